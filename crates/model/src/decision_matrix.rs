//! The decision matrix: a weighted-sum choice between AWS, Azure and Google Cloud that shows how
//! fragile its own answer is.
//!
//! The reader weighs five criteria and scores each provider 1–5 on each (the scores are the
//! reader's judgement, not measurements). Hard constraints veto providers before any weighing.
//! The model computes, with weights `w` normalised to sum to 1 and scores `s[p][c]`,
//!
//! ```text
//! total(p)  = Σ_c w_c · s[p][c]
//! winner    = the allowed provider with the highest total (ties are reported as ties)
//! margin    = total(winner) − total(best allowed challenger)
//! ```
//!
//! # Flip distance
//!
//! Moving weight `δ` from criterion `i` to criterion `j` changes `total(A) − total(B)` by
//! `−δ · (d_i − d_j)`, with `d_c = s[A][c] − s[B][c]`. The winner `A` and challenger `B` tie when
//!
//! ```text
//! δ = (total(A) − total(B)) / (d_i − d_j)      (only when d_i > d_j, and only if δ ≤ w_i)
//! ```
//!
//! The flip distance is the least such `δ` over every challenger and every ordered pair of
//! criteria: the smallest transfer of weight between two criteria at which the answer changes.
//!
//! # Tornado
//!
//! For each criterion `c`, its weight `t` sweeps 0…1 while the others keep their proportions
//! (scaled by `(1 − t)/(1 − w_c)`). The winner's margin over its best challenger is then a
//! minimum of straight lines in `t`, so its extremes over `[0, 1]` lie at the ends or where two
//! challengers cross; the bar spans the margin at `t = 0` to the margin at `t = 1`, and the weight
//! at which the margin reaches zero nearest to today's weight is where that criterion alone flips
//! the decision.
//!
//! # Robustness
//!
//! Weights are uncertain, so draw `N` weightings from a Dirichlet distribution centred on the
//! reader's weights with concentration `κ` (`α_c = κ · w_c`, so each draw's mean is `w`; a larger
//! `κ` means surer weights) from the seeded [`Rng`], and count the share of draws each allowed
//! provider wins (a tie splits the draw). `κ = ∞` is the weights held fixed.
//!
//! Belton and Stewart (2002) treat this kind of sensitivity analysis as part of any multi-criteria
//! decision; Butler, Jia and Dyer (1997) simulate weights the same way.

use crate::cloud::Provider;
use crate::fmt::{fixed, grouped, percent, short};
use crate::note::{Facts, Readout};
use crate::rng::Rng;
use crate::spec::{choice, labelled, range, toggle, State, WidgetSpec};
use crate::value;

/// The criteria, in the matrix's row order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterion {
    Expertise,
    Requirements,
    ServiceFit,
    Price,
    Ecosystem,
}

/// How many criteria and providers the matrix has.
pub const CRITERIA: usize = 5;
pub const PROVIDERS: usize = 3;

impl Criterion {
    pub const ALL: [Criterion; CRITERIA] =
        [Criterion::Expertise, Criterion::Requirements, Criterion::ServiceFit, Criterion::Price, Criterion::Ecosystem];

    pub fn label(self) -> &'static str {
        match self {
            Criterion::Expertise => "Team expertise",
            Criterion::Requirements => "Customer and regulatory requirements",
            Criterion::ServiceFit => "Managed-service fit",
            Criterion::Price => "Price",
            Criterion::Ecosystem => "Support and ecosystem",
        }
    }

    /// [`Self::label`] inside a sentence ("team expertise"). (Not `to_lowercase`, which would
    /// link byte-index string slicing into the bundle.)
    pub fn lower(self) -> &'static str {
        match self {
            Criterion::Expertise => "team expertise",
            Criterion::Requirements => "customer and regulatory requirements",
            Criterion::ServiceFit => "managed-service fit",
            Criterion::Price => "price",
            Criterion::Ecosystem => "support and ecosystem",
        }
    }

    /// [`Self::short_label`] inside a sentence.
    pub fn short_lower(self) -> &'static str {
        match self {
            Criterion::Expertise => "expertise",
            Criterion::Requirements => "requirements",
            Criterion::ServiceFit => "service fit",
            Criterion::Price => "price",
            Criterion::Ecosystem => "ecosystem",
        }
    }

    /// A short label for chart axes and tight tables.
    pub fn short_label(self) -> &'static str {
        match self {
            Criterion::Expertise => "Expertise",
            Criterion::Requirements => "Requirements",
            Criterion::ServiceFit => "Service fit",
            Criterion::Price => "Price",
            Criterion::Ecosystem => "Ecosystem",
        }
    }

    /// The key fragment in the widget's parameters.
    pub fn key(self) -> &'static str {
        match self {
            Criterion::Expertise => "exp",
            Criterion::Requirements => "req",
            Criterion::ServiceFit => "fit",
            Criterion::Price => "price",
            Criterion::Ecosystem => "eco",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// How sure the reader is of the weights: the Dirichlet concentration κ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Certainty {
    /// κ = this value (positive).
    Kappa(f64),
    /// κ → ∞: the weights exactly as set.
    Fixed,
}

/// The κ values the widget offers, in its choice's order.
pub const CERTAINTY: [Certainty; 4] =
    [Certainty::Kappa(5.0), Certainty::Kappa(20.0), Certainty::Kappa(100.0), Certainty::Fixed];

/// Random weightings drawn for the robustness figure.
pub const DRAWS: usize = 4_000;

/// The scores' range: 1 (poor) to 5 (excellent).
pub const SCORE_RANGE: (f64, f64) = (1.0, 5.0);

/// Everything the matrix decides from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatrixParams {
    /// Relative weights, indexed like [`Criterion::ALL`]; the model normalises them (negative
    /// and non-finite values count as 0; all zero means equal weights).
    pub weights: [f64; CRITERIA],
    /// `scores[p][c]`, providers in [`Provider::ALL`] order (AWS, Azure, Google Cloud).
    pub scores: [[f64; CRITERIA]; PROVIDERS],
    /// A customer contract that requires one provider (vetoes the other two).
    pub contract: Option<Provider>,
    /// Providers ruled out by some other hard constraint (a data-residency region it lacks, an
    /// authorisation it does not hold), in [`Provider::ALL`] order.
    pub ruled_out: [bool; PROVIDERS],
    pub certainty: Certainty,
    /// Seeds the robustness draws.
    pub seed: u64,
}

impl MatrixParams {
    /// The design's illustrative matrix: weights 35/25/15/15/10%; AWS 5,3,4,3,5; Azure 3,5,4,3,4;
    /// Google Cloud 2,3,4,4,3; no constraints; κ = 20.
    pub const EXAMPLE: MatrixParams = MatrixParams {
        weights: [0.35, 0.25, 0.15, 0.15, 0.10],
        scores: [[5.0, 3.0, 4.0, 3.0, 5.0], [3.0, 5.0, 4.0, 3.0, 4.0], [2.0, 3.0, 4.0, 4.0, 3.0]],
        contract: None,
        ruled_out: [false; PROVIDERS],
        certainty: Certainty::Kappa(20.0),
        seed: crate::spec::DEFAULT_SEED,
    };

    /// The same matrix with every score forced into 1…5 (NaN becomes 1).
    pub fn clamped(mut self) -> MatrixParams {
        for row in &mut self.scores {
            for s in row.iter_mut() {
                *s = crate::num::clamp_or_low(*s, SCORE_RANGE.0, SCORE_RANGE.1);
            }
        }
        self
    }

    /// The normalised weights.
    pub fn normalised(&self) -> [f64; CRITERIA] {
        normalise(self.weights)
    }

    /// Whether provider `p` survives the hard constraints.
    pub fn allowed(&self, p: Provider) -> bool {
        let i = provider_index(p);
        !self.ruled_out[i] && self.contract.is_none_or(|q| q == p)
    }
}

impl Default for MatrixParams {
    fn default() -> Self {
        MatrixParams::EXAMPLE
    }
}

/// `p`'s position in [`Provider::ALL`].
pub fn provider_index(p: Provider) -> usize {
    match p {
        Provider::Aws => 0,
        Provider::Azure => 1,
        Provider::Gcp => 2,
    }
}

/// Weights scaled to sum to 1; negative and non-finite weights count as 0; all zero gives equal
/// weights.
pub fn normalise(w: [f64; CRITERIA]) -> [f64; CRITERIA] {
    let w = w.map(|x| if x.is_finite() && x > 0.0 { x } else { 0.0 });
    let sum: f64 = w.iter().sum();
    if sum > 0.0 && sum.is_finite() {
        w.map(|x| x / sum)
    } else {
        [1.0 / CRITERIA as f64; CRITERIA]
    }
}

/// The weights after the reader sets criterion `i` to share `v` (0…1) of the total: the others
/// keep their proportions and share the rest; if they were all zero they share it equally.
pub fn set_weight(w: [f64; CRITERIA], i: usize, v: f64) -> [f64; CRITERIA] {
    let w = normalise(w);
    let v = crate::num::clamp_or_low(v, 0.0, 1.0);
    if i >= CRITERIA {
        return w;
    }
    let rest: f64 = w.iter().enumerate().filter(|(k, _)| *k != i).map(|(_, x)| x).sum();
    let mut out = [0.0; CRITERIA];
    for k in 0..CRITERIA {
        out[k] = if k == i {
            v
        } else if rest > 1e-12 {
            w[k] / rest * (1.0 - v)
        } else {
            (1.0 - v) / (CRITERIA - 1) as f64
        };
    }
    out
}

/// Each provider's weighted total under normalised weights `w`, in [`Provider::ALL`] order.
pub fn totals_with(scores: &[[f64; CRITERIA]; PROVIDERS], w: &[f64; CRITERIA]) -> [f64; PROVIDERS] {
    scores.map(|row| row.iter().zip(w).map(|(s, w)| s * w).sum())
}

/// Each provider's weighted total, in [`Provider::ALL`] order.
pub fn totals(p: &MatrixParams) -> [f64; PROVIDERS] {
    totals_with(&p.clamped().scores, &p.normalised())
}

/// Totals are compared to this tolerance (sums of products of decimals are not exact).
pub const EPS: f64 = 1e-9;

/// The allowed providers with their totals, best first; ties keep [`Provider::ALL`]'s order.
fn order(p: &MatrixParams, t: &[f64; PROVIDERS]) -> Vec<(Provider, f64)> {
    let mut r: Vec<(Provider, f64)> =
        Provider::ALL.iter().filter(|&&q| p.allowed(q)).map(|&q| (q, t[provider_index(q)])).collect();
    // Insertion sort on at most three: descending, stable.
    for i in 1..r.len() {
        let mut j = i;
        while j > 0 && r[j].1 > r[j - 1].1 + EPS {
            r.swap(j, j - 1);
            j -= 1;
        }
    }
    r
}

/// The winners of one weighting among the allowed providers (several on a tie), as flags in
/// [`Provider::ALL`] order.
fn winners_with(p: &MatrixParams, scores: &[[f64; CRITERIA]; PROVIDERS], w: &[f64; CRITERIA]) -> [bool; PROVIDERS] {
    let t = totals_with(scores, w);
    let best = Provider::ALL
        .iter()
        .filter(|&&q| p.allowed(q))
        .map(|&q| t[provider_index(q)])
        .fold(f64::NEG_INFINITY, f64::max);
    Provider::ALL.map(|q| p.allowed(q) && t[provider_index(q)] >= best - EPS)
}

/// The weight `δ` moved from criterion `from` to criterion `to` at which `b` catches `a`:
/// `(total(a) − total(b)) / (d_from − d_to)`, `d_c = s[a][c] − s[b][c]`. `None` when the move
/// does not close the gap (`d_from ≤ d_to`) or needs more weight than `from` has.
pub fn pair_flip(p: &MatrixParams, a: Provider, b: Provider, from: Criterion, to: Criterion) -> Option<f64> {
    let s = p.clamped().scores;
    let w = p.normalised();
    let t = totals_with(&s, &w);
    let (ia, ib) = (provider_index(a), provider_index(b));
    let gap = t[ia] - t[ib];
    let d = |c: Criterion| s[ia][c.index()] - s[ib][c.index()];
    let denom = d(from) - d(to);
    if from == to || denom <= 0.0 || gap < -EPS {
        return None;
    }
    let delta = (gap / denom).max(0.0);
    (delta <= w[from.index()] + EPS).then_some(delta)
}

/// The least weight moved between two criteria that changes the winner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flip {
    /// The weight moved, as a share of the total (0.075 = 7.5 percentage points).
    pub amount: f64,
    pub from: Criterion,
    pub to: Criterion,
    /// Who wins (ties, at exactly `amount`) after the move.
    pub challenger: Provider,
}

/// The flip distance: the smallest [`pair_flip`] over every allowed challenger of the winner and
/// every ordered pair of criteria. `None` when no single transfer can change the answer (one
/// allowed provider, or none).
pub fn flip_distance(p: &MatrixParams) -> Option<Flip> {
    let t = totals(p);
    let ranked = order(p, &t);
    let &(winner, _) = ranked.first()?;
    let mut best: Option<Flip> = None;
    for &(b, _) in ranked.iter().skip(1) {
        for from in Criterion::ALL {
            for to in Criterion::ALL {
                if let Some(amount) = pair_flip(p, winner, b, from, to) {
                    if best.is_none_or(|f| amount < f.amount - EPS) {
                        best = Some(Flip { amount, from, to, challenger: b });
                    }
                }
            }
        }
    }
    best
}

/// One criterion's bar in the tornado chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TornadoBar {
    pub criterion: Criterion,
    /// Its weight now (normalised).
    pub weight: f64,
    /// The winner's margin over its best challenger with this criterion's weight at 0 and at 1
    /// (the others keeping their proportions); negative: someone else would win.
    pub at_zero: f64,
    pub at_one: f64,
    /// The extremes of the margin over the whole sweep (the bar's ends).
    pub low: f64,
    pub high: f64,
    /// The weight at which this criterion alone changes the winner, nearest to its weight now.
    pub flips_at: Option<f64>,
}

/// The weights with criterion `c` at `t` and the others scaled to share `1 − t` in their present
/// proportions (equally if they are all zero).
pub fn sweep_weights(w: &[f64; CRITERIA], c: usize, t: f64) -> [f64; CRITERIA] {
    set_weight(*w, c, t)
}

/// The winner's margin over its best allowed challenger under weights `w` (`None` with fewer
/// than two allowed providers).
fn margin_with(
    p: &MatrixParams,
    winner: Provider,
    s: &[[f64; CRITERIA]; PROVIDERS],
    w: &[f64; CRITERIA],
) -> Option<f64> {
    let t = totals_with(s, w);
    Provider::ALL
        .iter()
        .filter(|&&q| q != winner && p.allowed(q))
        .map(|&q| t[provider_index(winner)] - t[provider_index(q)])
        .reduce(f64::min)
}

/// The tornado: one bar per criterion, widest swing first. Empty with fewer than two allowed
/// providers (no weighting can change the answer).
pub fn tornado(p: &MatrixParams) -> Vec<TornadoBar> {
    let s = p.clamped().scores;
    let w = p.normalised();
    let t = totals_with(&s, &w);
    let Some(&(winner, _)) = order(p, &t).first() else { return Vec::new() };
    if margin_with(p, winner, &s, &w).is_none() {
        return Vec::new();
    }
    let mut bars: Vec<TornadoBar> = Criterion::ALL
        .iter()
        .map(|&c| {
            let ci = c.index();
            // The margin is piecewise linear in t: sample finely enough to find its extremes and
            // its zero crossings (each linear piece is exact between samples; crossings are then
            // refined by bisection).
            const N: usize = 200;
            let m = |x: f64| margin_with(p, winner, &s, &sweep_weights(&w, ci, x)).unwrap_or(0.0);
            let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
            let mut flips_at: Option<f64> = None;
            let mut prev = (0.0, m(0.0));
            for k in 0..=N {
                let x = k as f64 / N as f64;
                let y = m(x);
                low = low.min(y);
                high = high.max(y);
                // A change of winner, not a tie reached at the end of the sweep.
                if k > 0 && ((prev.1 > EPS && y < -EPS) || (prev.1 < -EPS && y > EPS)) {
                    // Bisect for the crossing between prev.0 and x.
                    let (mut lo, mut hi) = (prev.0, x);
                    for _ in 0..50 {
                        let mid = 0.5 * (lo + hi);
                        if (m(mid) > EPS) == (prev.1 > EPS) {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    let z = 0.5 * (lo + hi);
                    if flips_at.is_none_or(|f| (z - w[ci]).abs() < (f - w[ci]).abs()) {
                        flips_at = Some(z);
                    }
                }
                prev = (x, y);
            }
            TornadoBar { criterion: c, weight: w[ci], at_zero: m(0.0), at_one: m(1.0), low, high, flips_at }
        })
        .collect();
    crate::num::sort::short_stable_by_key(&mut bars, |b| core::cmp::Reverse(((b.high - b.low) * 1e9) as i64));
    bars
}

/// The share of random weightings each provider wins, in [`Provider::ALL`] order (0 for vetoed
/// providers; ties split the draw).
pub fn robustness(p: &MatrixParams) -> [f64; PROVIDERS] {
    let s = p.clamped().scores;
    let w = p.normalised();
    let mut wins = [0.0; PROVIDERS];
    fn count(flags: [bool; PROVIDERS], wins: &mut [f64; PROVIDERS]) {
        let n = flags.iter().filter(|f| **f).count();
        if n > 0 {
            for (win, f) in wins.iter_mut().zip(flags) {
                if f {
                    *win += 1.0 / n as f64;
                }
            }
        }
    }
    match p.certainty {
        Certainty::Fixed => {
            count(winners_with(p, &s, &w), &mut wins);
            wins
        }
        Certainty::Kappa(kappa) => {
            let kappa = if kappa.is_finite() && kappa > 0.0 { kappa } else { 1.0 };
            let alpha = w.map(|x| x * kappa);
            let mut rng = Rng::new(p.seed);
            let mut draw = [0.0; CRITERIA];
            for _ in 0..DRAWS {
                rng.dirichlet(&alpha, &mut draw);
                count(winners_with(p, &s, &draw), &mut wins);
            }
            wins.map(|x| x / DRAWS as f64)
        }
    }
}

/// The price jiggle: every provider's price score moved up or down by 10%.
#[derive(Clone, Debug, PartialEq)]
pub struct Jiggle {
    /// Combinations tried (2³: each allowed provider's price score × 0.9 or × 1.1).
    pub tried: usize,
    /// How many of them changed the order of the allowed providers.
    pub reordered: usize,
    /// The largest move of any provider's total.
    pub max_shift: f64,
}

/// The price scores of combination `k` (0…7; bit `i` set: provider `i`'s price score × 1.1, else
/// × 0.9), and the matrix with them.
pub fn jiggled(p: &MatrixParams, k: usize) -> MatrixParams {
    let mut q = p.clamped();
    for (i, row) in q.scores.iter_mut().enumerate() {
        let f = if k >> i & 1 == 1 { 1.1 } else { 0.9 };
        row[Criterion::Price.index()] *= f;
    }
    q
}

/// The order of the allowed providers after combination `k` of the jiggle, best first.
pub fn jiggled_order(p: &MatrixParams, k: usize) -> Vec<Provider> {
    let q = jiggled(p, k);
    // Scores are deliberately not clamped again: 5 × 1.1 is allowed here.
    let t = totals_with(&q.scores, &p.normalised());
    order(p, &t).into_iter().map(|(q, _)| q).collect()
}

/// Tries all eight price jiggles.
pub fn price_jiggle(p: &MatrixParams) -> Jiggle {
    let base: Vec<Provider> = order(p, &totals(p)).into_iter().map(|(q, _)| q).collect();
    let t0 = totals(p);
    let w = p.normalised();
    let mut reordered = 0;
    let mut max_shift: f64 = 0.0;
    for k in 0..8 {
        if jiggled_order(p, k) != base {
            reordered += 1;
        }
        let t = totals_with(&jiggled(p, k).scores, &w);
        for i in 0..PROVIDERS {
            if p.allowed(Provider::ALL[i]) {
                max_shift = max_shift.max((t[i] - t0[i]).abs());
            }
        }
    }
    Jiggle { tried: 8, reordered, max_shift }
}

/// Everything the widget shows.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixReport {
    /// Totals in [`Provider::ALL`] order (vetoed providers too, for the table).
    pub totals: [f64; PROVIDERS],
    /// Allowed providers, best first.
    pub ranking: Vec<(Provider, f64)>,
    /// Providers sharing the top total (one unless tied; empty if every provider is vetoed).
    pub winners: Vec<Provider>,
    /// Total of the winner minus the best challenger (`None`: fewer than two allowed).
    pub margin: Option<f64>,
    pub flip: Option<Flip>,
    pub tornado: Vec<TornadoBar>,
    pub robustness: [f64; PROVIDERS],
    pub jiggle: Jiggle,
    pub weights: [f64; CRITERIA],
    pub allowed: [bool; PROVIDERS],
    pub verdict: String,
    pub margin_text: String,
    pub flip_text: String,
    pub robustness_text: String,
    pub jiggle_text: String,
    pub totals_text: String,
    /// Which criteria could flip the decision on their own, in words (the tornado's summary).
    pub tornado_text: String,
}

/// A weight share as percentage points with one decimal where needed: 0.075 → "7.5", 0.35 → "35".
pub fn points(x: f64) -> String {
    short(x * 100.0, 1)
}

/// The list "A, B and C".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [a] => a.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Decides and measures the decision's fragility.
pub fn analyse(params: &MatrixParams) -> MatrixReport {
    let p = params.clamped();
    let w = p.normalised();
    let t = totals(&p);
    let ranking = order(&p, &t);
    let allowed = Provider::ALL.map(|q| p.allowed(q));
    let winners: Vec<Provider> = match ranking.first() {
        Some(&(_, top)) => ranking.iter().filter(|(_, x)| *x >= top - EPS).map(|(q, _)| *q).collect(),
        None => Vec::new(),
    };
    let margin = (ranking.len() >= 2).then(|| ranking[0].1 - ranking[1].1);
    let flip = flip_distance(&p);
    let tornado = tornado(&p);
    let robustness = robustness(&p);
    let jiggle = price_jiggle(&p);

    let label = |q: Provider| q.label();
    let vetoed: Vec<&str> = Provider::ALL.iter().filter(|q| !p.allowed(**q)).map(|q| q.label()).collect();
    let veto_note = if vetoed.is_empty() {
        String::new()
    } else {
        format!(" {} {} out by a hard constraint.", and_list(&vetoed), if vetoed.len() == 1 { "is" } else { "are" })
    };
    let margin_text = match (winners.len(), margin) {
        (0, _) => "No provider meets every hard constraint".to_string(),
        (_, None) => format!("{} is the only provider left: no weighting changes that", label(winners[0])),
        (n, Some(_)) if n > 1 => format!(
            "{} tie at {}",
            and_list(&winners.iter().map(|q| q.label()).collect::<Vec<_>>()),
            fixed(ranking[0].1, 2)
        ),
        (_, Some(m)) => format!(
            "{} {} against {} {}: {} points ahead on a 1–5 scale",
            label(ranking[0].0),
            fixed(ranking[0].1, 2),
            label(ranking[1].0),
            fixed(ranking[1].1, 2),
            fixed(m, 2)
        ),
    };
    let flip_text = match flip {
        None if winners.len() <= 1 => "No transfer of weight can change the answer".to_string(),
        None => "Already tied".to_string(),
        Some(f) if f.amount <= EPS => format!("Tied: any weight towards {} decides it", f.to.lower()),
        Some(f) => format!(
            "{} points of weight from {} to {} make {} tie with {}",
            points(f.amount),
            f.from.lower(),
            f.to.lower(),
            f.challenger.label(),
            label(ranking[0].0)
        ),
    };
    let shares: Vec<String> = Provider::ALL
        .iter()
        .filter(|q| p.allowed(**q))
        .map(|&q| format!("{} {}", q.label(), percent(robustness[provider_index(q)])))
        .collect();
    let robustness_text = match p.certainty {
        _ if shares.is_empty() => "No provider is left to win".to_string(),
        Certainty::Fixed => format!("Weights held fixed: {}", shares.join(", ")),
        Certainty::Kappa(k) => {
            format!(
                "{} of {} random weightings near yours (κ = {})",
                shares.join(", "),
                grouped(DRAWS as f64),
                grouped(k)
            )
        }
    };
    let jiggle_text = if ranking.len() < 2 {
        "Nothing to reorder".to_string()
    } else if jiggle.reordered == 0 {
        format!(
            "The order holds in all {} combinations of ±10% on each price score (totals move by at most {})",
            jiggle.tried,
            fixed(jiggle.max_shift, 2)
        )
    } else {
        format!(
            "The order changes in {} of {} combinations of ±10% on each price score: price is close to deciding",
            jiggle.reordered, jiggle.tried
        )
    };
    let totals_text = Provider::ALL
        .iter()
        .map(|&q| {
            let v = fixed(t[provider_index(q)], 2);
            if p.allowed(q) {
                format!("{} {v}", q.label())
            } else {
                format!("{} {v} (ruled out)", q.label())
            }
        })
        .collect::<Vec<_>>()
        .join(", ");

    let verdict = match (winners.len(), margin) {
        (0, _) => format!("No provider meets every hard constraint.{veto_note} Relax one, or the decision is not about clouds."),
        (_, None) => format!("{}: the hard constraints decide, whatever the weights.{veto_note}", label(winners[0])),
        (n, _) if n == PROVIDERS => format!(
            "All three tie at {}: with these weights and scores there is no winner, so the choice falls to the criteria you did not write down.{veto_note}",
            fixed(ranking[0].1, 2)
        ),
        (n, _) if n > 1 => format!(
            "{} tie at {}: the weights do not separate them.{veto_note}",
            and_list(&winners.iter().map(|q| q.label()).collect::<Vec<_>>()),
            fixed(ranking[0].1, 2)
        ),
        (_, Some(m)) => {
            let win = ranking[0].0;
            let share = robustness[provider_index(win)];
            let fragile = match flip {
                Some(f) => format!(
                    " Moving {} points of weight from {} to {} would hand it to {}.",
                    points(f.amount),
                    f.from.lower(),
                    f.to.lower(),
                    f.challenger.label()
                ),
                None => String::new(),
            };
            format!(
                "{} wins by {} with your weights, and in {} of random weightings near them.{fragile}{veto_note}",
                label(win),
                fixed(m, 2),
                percent(share)
            )
        }
    };

    let flips: Vec<String> = tornado
        .iter()
        .filter_map(|b| {
            b.flips_at.map(|x| {
                format!("{} at {}% of the weight (now {}%)", b.criterion.short_lower(), points(x), points(b.weight))
            })
        })
        .collect();
    let steady: Vec<&str> =
        tornado.iter().filter(|b| b.flips_at.is_none()).map(|b| b.criterion.short_lower()).collect();
    let tornado_text = if tornado.is_empty() {
        "No criterion can change it: the constraints decide".to_string()
    } else if flips.is_empty() {
        "No single criterion's weight can change the winner".to_string()
    } else {
        let mut t = format!("Alone, {} would change the winner", flips.join("; "));
        if !steady.is_empty() {
            t += &format!("; {} never would", and_list(&steady));
        }
        t
    };

    MatrixReport {
        totals: t,
        ranking,
        winners,
        margin,
        flip,
        tornado,
        robustness,
        jiggle,
        weights: w,
        allowed,
        verdict,
        margin_text,
        flip_text,
        robustness_text,
        jiggle_text,
        totals_text,
        tornado_text,
    }
}

/// One step of the price jiggle in words: each allowed provider's price factor and the totals
/// and order that follow, and whether the order is the one without the jiggle.
pub fn jiggle_line(p: &MatrixParams, k: usize) -> String {
    let q = jiggled(p, k);
    let w = p.normalised();
    let t = totals_with(&q.scores, &w);
    let base: Vec<Provider> = order(p, &totals(p)).into_iter().map(|(q, _)| q).collect();
    let now = jiggled_order(p, k);
    let factors: Vec<String> = Provider::ALL
        .iter()
        .enumerate()
        .filter(|(_, q)| p.allowed(**q))
        .map(|(i, q)| format!("{} {}", q.label(), if k >> i & 1 == 1 { "+10%" } else { "−10%" }))
        .collect();
    let totals: Vec<String> =
        now.iter().map(|q| format!("{} {}", q.label(), fixed(t[provider_index(*q)], 2))).collect();
    format!(
        "Price scores {}: {} ({})",
        factors.join(", "),
        totals.join(", "),
        if now == base { "same order" } else { "the order changes" }
    )
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// The dated assumptions behind [`MatrixParams::EXAMPLE`].
pub const ASSUMPTIONS: &str = "Illustrative weights and scores, December 2026: the scores are judgement, \
not measurements, for a team that knows AWS well (AWS 5, 3, 4, 3, 5; Azure 3, 5, 4, 3, 4; Google \
Cloud 2, 3, 4, 4, 3 on team expertise, customer and regulatory requirements, managed-service fit, \
price and support and ecosystem; 1 poor, 5 excellent) and weights of 35, 25, 15, 15 and 10%. \
Robustness draws 4,000 weightings from a Dirichlet distribution centred on yours with concentration \
κ (5, 20 or 100; larger is surer), from seed 1 unless the link says otherwise. The price jiggle \
scales each provider's price score by 0.9 or 1.1. Replace every number with your own.";

const PROVIDER_KEYS: [&str; PROVIDERS] = ["aws", "azure", "gcp"];
const CONTRACT: &[&str] = &["none", "aws", "azure", "gcp"];
const SURE: &[&str] = &["loose", "some", "firm", "fixed"];

/// A score cell's parameter: provider `p`, criterion `c`, default `d`.
const fn score(key: &'static str, label: &'static str, d: f64) -> crate::spec::ParamSpec {
    range(key, label, 1.0, 5.0, 1.0, d, "").in_group("judgement")
}

/// A weight's parameter, in percent of the total.
const fn weight(key: &'static str, label: &'static str, d: f64) -> crate::spec::ParamSpec {
    range(key, label, 0.0, 100.0, 0.1, d, "%").in_group("weights")
}

/// The decision matrix that shows its own fragility.
pub const DECISION_MATRIX: WidgetSpec = WidgetSpec {
    name: "decision-matrix",
    about: crate::note::About {
        question: "Which cloud provider does a weighted decision matrix pick, and how much would the weights have to \
                   change for it to pick another?",
        assumptions: &[(ASSUMPTIONS, "December 2026")],
        sources: &[
            "Valerie Belton and Theodor J. Stewart, Multiple Criteria Decision Analysis: An Integrated Approach (2002)",
            "John Butler, Jianmin Jia and James Dyer, Simulation techniques for the sensitivity analysis of multi-criteria decision models, European Journal of Operational Research (1997)",
            "George Marsaglia and Wai Wan Tsang, A Simple Method for Generating Gamma Variables, ACM Transactions on Mathematical Software (2000)",
            "Gregor Hohpe, Cloud Strategy: A Decision-Based Approach to Successful Cloud Migration (2020)",
        ],
    },
    reserve_rem: 85.0,
    hot: false,
    title: "A decision matrix that shows its fragility",
    params: &[
        weight("w-exp", "Team expertise", 35.0),
        weight("w-req", "Customer and regulatory requirements", 25.0),
        weight("w-fit", "Managed-service fit", 15.0),
        weight("w-price", "Price", 15.0),
        weight("w-eco", "Support and ecosystem", 10.0),
        score("aws-exp", "AWS: team expertise", 5.0),
        score("aws-req", "AWS: requirements", 3.0),
        score("aws-fit", "AWS: managed-service fit", 4.0),
        score("aws-price", "AWS: price", 3.0),
        score("aws-eco", "AWS: support and ecosystem", 5.0),
        score("azure-exp", "Azure: team expertise", 3.0),
        score("azure-req", "Azure: requirements", 5.0),
        score("azure-fit", "Azure: managed-service fit", 4.0),
        score("azure-price", "Azure: price", 3.0),
        score("azure-eco", "Azure: support and ecosystem", 4.0),
        score("gcp-exp", "Google Cloud: team expertise", 2.0),
        score("gcp-req", "Google Cloud: requirements", 3.0),
        score("gcp-fit", "Google Cloud: managed-service fit", 4.0),
        score("gcp-price", "Google Cloud: price", 4.0),
        score("gcp-eco", "Google Cloud: support and ecosystem", 3.0),
        labelled(
            choice("contract", "A customer contract requires", CONTRACT, 0),
            &["No particular provider", "AWS", "Azure", "Google Cloud"],
        )
        .in_group("constraints"),
        toggle("no-aws", "AWS fails a hard constraint", false).in_group("constraints"),
        toggle("no-azure", "Azure fails a hard constraint", false).in_group("constraints"),
        toggle("no-gcp", "Google Cloud fails a hard constraint", false).in_group("constraints"),
        labelled(
            choice("sure", "How sure are you of the weights?", SURE, 1),
            &["Not very (κ = 5)", "Fairly (κ = 20)", "Quite (κ = 100)", "Certain (weights fixed)"],
        )
        .in_group("constraints"),
    ],
    presets: &[],
};

/// The parameter key of provider `p`'s score on criterion `c` ("aws-exp").
pub fn score_key(p: usize, c: Criterion) -> Option<&'static str> {
    let i = DECISION_MATRIX.param(&format!("{}-{}", PROVIDER_KEYS.get(p)?, c.key()))?.0;
    Some(DECISION_MATRIX.params[i].key)
}

/// The parameter key of criterion `c`'s weight ("w-exp").
pub fn weight_key(c: Criterion) -> &'static str {
    DECISION_MATRIX.params[c.index()].key
}

/// The matrix the decision-matrix widget describes.
pub fn matrix_params(state: &State) -> MatrixParams {
    let at = |key: &str| state.value_of(&DECISION_MATRIX, key).unwrap_or(0.0);
    let weights = normalise(Criterion::ALL.map(|c| at(weight_key(c))));
    let mut scores = [[0.0; CRITERIA]; PROVIDERS];
    for (pi, row) in scores.iter_mut().enumerate() {
        for c in Criterion::ALL {
            row[c.index()] = score_key(pi, c).map_or(SCORE_RANGE.0, at);
        }
    }
    let contract = match value!(DECISION_MATRIX, state, "contract") as usize {
        1 => Some(Provider::Aws),
        2 => Some(Provider::Azure),
        3 => Some(Provider::Gcp),
        _ => None,
    };
    MatrixParams {
        weights,
        scores,
        contract,
        ruled_out: [
            value!(DECISION_MATRIX, state, "no-aws") != 0.0,
            value!(DECISION_MATRIX, state, "no-azure") != 0.0,
            value!(DECISION_MATRIX, state, "no-gcp") != 0.0,
        ],
        certainty: CERTAINTY[(value!(DECISION_MATRIX, state, "sure") as usize).min(CERTAINTY.len() - 1)],
        seed: state.seed,
    }
    .clamped()
}

/// The weights as the state holds them, in percent (a link may give any that do not add up to
/// 100; the model uses each as its share of their total).
pub fn raw_weights(state: &State) -> [f64; CRITERIA] {
    Criterion::ALL.map(|c| state.value_of(&DECISION_MATRIX, weight_key(c)).unwrap_or(0.0))
}

/// A word on weights from a link that do not add up to 100% (None when they do, to a rounding).
pub fn weights_note(state: &State) -> Option<String> {
    let total: f64 = raw_weights(state).iter().sum();
    ((total - 100.0).abs() > 0.5).then(|| {
        format!(
            "These weights add up to {}%, so each counts as its share of the total; moving a slider makes them add up to 100% again.",
            short(total, 1)
        )
    })
}

/// Writes `w` (normalised shares) into the state's weight parameters, in percent.
pub fn store_weights(state: &mut State, w: [f64; CRITERIA]) {
    for c in Criterion::ALL {
        state.set(&DECISION_MATRIX, weight_key(c), w[c.index()] * 100.0);
    }
}

/// What the decision-matrix widget shows: the verdict and the fragility figures.
pub fn matrix_facts(r: &MatrixReport) -> Facts {
    Facts {
        verdict: r.verdict.clone(),
        readouts: vec![
            Readout::new("margin", "Winner and margin", r.margin_text.clone()).wide(),
            Readout::new("flip", "Flip distance", r.flip_text.clone()).wide(),
            Readout::new("tornado", "What one criterion could do", r.tornado_text.clone()).wide(),
            Readout::new("robustness", "Robustness", r.robustness_text.clone()).wide(),
            Readout::new("jiggle", "Price ±10%", r.jiggle_text.clone()).wide(),
            Readout::new("totals", "Weighted totals", r.totals_text.clone()).wide(),
        ],
        run: Vec::new(),
    }
}
