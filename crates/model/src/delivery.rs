//! The delivery model: how long work lives on a branch and how often the team ships decide how
//! often merges collide and how long a change takes to reach production (trunk-based development
//! against GitFlow's long-lived branches and release trains).
//!
//! Everything here is a closed form: no clock, no randomness, no simulation. The rates are
//! illustrative assumptions (see [`ASSUMPTIONS`]); the point is the shape of the trade-off. Time
//! is measured in working days.
//!
//! # Merge conflicts
//!
//! Each of the other `n − 1` engineers lands `c` changes a working day on the shared trunk; each
//! such change overlaps what your branch touched with probability `q`. A branch that lives `L`
//! days sees `N ~ Poisson(c·L·(n − 1))` foreign changes land underneath it, and the overlapping
//! ones are a thinned Poisson process, so
//!
//! ```text
//! expected conflicting changes per merge  m = q·c·L·(n − 1)
//! P(the merge hits a conflict)            = 1 − exp(−m)
//! ```
//!
//! (A longer branch also touches more code, so `q` itself grows with `L`: the real picture is
//! worse than this linear rate, never better.)
//!
//! # Lead time
//!
//! A change committed at a uniform moment of its branch's life waits `B ~ U(0, L)` for the merge,
//! then `R ~ U(0, P)` for the next release train of period `P` (a merge lands at a uniform moment
//! of the train's period, so the wait averages `P / 2`; continuous deployment has `P = 0`), then a
//! fixed `F` for review, CI and the deploy itself. Lead time `B + R + F` has a trapezoidal
//! distribution whose quantiles [`uniform_sum_quantile`] gives exactly.
//!
//! # Feature flags
//!
//! With flags, unfinished work merges at least daily behind a switch ([`FLAG_BRANCH_DAYS`]), so
//! the branch that collides lives `min(L, 1)` days. The cost is the flags themselves: every piece
//! of work longer than a day needs one, and it lives for the work plus a cleanup lag; by Little's
//! law the team carries `n/L × (L + cleanup)` live flags. Lead time then measures code reaching
//! production switched off ("dark"); the feature reaches users when its flag is turned on, after
//! the whole piece of work: about `L + P/2 + F` on average.
//!
//! # Change failure
//!
//! If each change breaks production independently with probability `p`, a deploy of `k` changes
//! fails with probability `1 − (1 − p)^k`: DORA's change-failure rate (failed deploys over
//! deploys) grows with the batch even when the changes are just as good.

use crate::fmt::{num, percent, percent_fine};
use crate::note::{Facts, Readout};
use crate::spec::{choice, labelled, range, toggle, State, WidgetSpec};
use crate::value;

/// With feature flags, work merges behind a flag at least this often (working days).
pub const FLAG_BRANCH_DAYS: f64 = 1.0;
/// Working days in a week.
pub const WORKING_DAYS_PER_WEEK: f64 = 5.0;
/// Working hours in a working day (for showing short times in hours).
pub const HOURS_PER_DAY: f64 = 8.0;

/// The assumptions behind [`DeliveryParams::TRUNK`] and [`DeliveryParams::GITFLOW`].
pub const ASSUMPTIONS: &str = "Illustrative assumptions: each engineer lands 3 small changes a \
working day; each change by someone else overlaps the code your branch touches with probability \
0.4%; review, CI and the deploy take half a working day; with feature flags, work merges at least \
daily and each flag is removed 10 working days after its feature is finished; each change breaks \
production on its own with the probability you set, independently of the others. Times are in working \
days (5 a week, 8 hours each); a month is 21 working days. Change them to your own numbers. The DORA \
lines are the change-failure rates of the 2024 survey's clusters (elite 5%, high 20%, medium 10%, low \
40%; DORA, Accelerate State of DevOps Report 2024, as tabulated by S. Fenton, Octopus Deploy, \
2024-10-23): survey groups, not targets, and in 2024 the high cluster failed more often than the \
medium one.";

/// DORA 2024 clusters' change-failure rates (Accelerate State of DevOps Report 2024, as tabulated
/// by S. Fenton, Octopus Deploy blog, 2024-10-23): reference lines, not thresholds.
pub const DORA_2024_CFR: [(&str, f64); 4] = [("elite", 0.05), ("medium", 0.10), ("high", 0.20), ("low", 0.40)];

/// Declared ranges `(min, max)` of the parameters; [`DeliveryParams::clamped`] forces values into
/// them (NaN becomes the low end).
pub mod ranges {
    pub const ENGINEERS: (u32, u32) = (1, 1_000);
    pub const BRANCH_DAYS: (f64, f64) = (0.01, 250.0);
    pub const CHANGES_PER_DAY: (f64, f64) = (0.0, 100.0);
    pub const OVERLAP: (f64, f64) = (0.0, 1.0);
    pub const REVIEW_DEPLOY_DAYS: (f64, f64) = (0.0, 60.0);
    pub const FLAG_CLEANUP_DAYS: (f64, f64) = (0.0, 250.0);
    pub const CHANGE_FAILURE: (f64, f64) = (0.0, 1.0);
}

/// How often the team ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    /// Every merge goes to production on its own.
    Continuous,
    Daily,
    Weekly,
    Fortnightly,
    Monthly,
}

impl Cadence {
    pub const ALL: [Cadence; 5] =
        [Cadence::Continuous, Cadence::Daily, Cadence::Weekly, Cadence::Fortnightly, Cadence::Monthly];

    /// Working days between release trains (0 for continuous deployment).
    pub fn period_days(self) -> f64 {
        match self {
            Cadence::Continuous => 0.0,
            Cadence::Daily => 1.0,
            Cadence::Weekly => 5.0,
            Cadence::Fortnightly => 10.0,
            Cadence::Monthly => 21.0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Cadence::Continuous => "continuous deployment",
            Cadence::Daily => "a daily release",
            Cadence::Weekly => "a weekly release train",
            Cadence::Fortnightly => "a release train every two weeks",
            Cadence::Monthly => "a monthly release train",
        }
    }
}

/// A team's way of delivering.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeliveryParams {
    /// Engineers merging into the same codebase.
    pub engineers: u32,
    /// How long a branch lives before it merges (working days).
    pub branch_days: f64,
    pub cadence: Cadence,
    /// Unfinished work merges behind flags, so branches live at most [`FLAG_BRANCH_DAYS`].
    pub feature_flags: bool,
    /// Changes each engineer lands per working day (illustrative).
    pub changes_per_day: f64,
    /// Probability that one foreign change overlaps the code a branch touches (illustrative).
    pub overlap: f64,
    /// Review, CI and deploy time once merged (working days).
    pub review_deploy_days: f64,
    /// How long a flag outlives its finished feature (working days).
    pub flag_cleanup_days: f64,
    /// Probability that one change breaks production (independently of the others).
    pub change_failure: f64,
}

impl DeliveryParams {
    /// Trunk-based development: branches merged within half a day, continuous deployment, flags.
    pub const TRUNK: DeliveryParams = DeliveryParams {
        engineers: 12,
        branch_days: 0.5,
        cadence: Cadence::Continuous,
        feature_flags: true,
        changes_per_day: 3.0,
        overlap: 0.004,
        review_deploy_days: 0.5,
        flag_cleanup_days: 10.0,
        change_failure: 0.005,
    };

    /// GitFlow: feature branches living two weeks, a release train every two weeks, no flags.
    pub const GITFLOW: DeliveryParams = DeliveryParams {
        branch_days: 10.0,
        cadence: Cadence::Fortnightly,
        feature_flags: false,
        ..DeliveryParams::TRUNK
    };

    /// The parameters forced into their declared ranges (NaN becomes the low end).
    pub fn clamped(self) -> DeliveryParams {
        let f = |x: f64, (lo, hi): (f64, f64)| crate::num::clamp_or_low(x, lo, hi);
        DeliveryParams {
            engineers: self.engineers.max(ranges::ENGINEERS.0).min(ranges::ENGINEERS.1),
            branch_days: f(self.branch_days, ranges::BRANCH_DAYS),
            cadence: self.cadence,
            feature_flags: self.feature_flags,
            changes_per_day: f(self.changes_per_day, ranges::CHANGES_PER_DAY),
            overlap: f(self.overlap, ranges::OVERLAP),
            review_deploy_days: f(self.review_deploy_days, ranges::REVIEW_DEPLOY_DAYS),
            flag_cleanup_days: f(self.flag_cleanup_days, ranges::FLAG_CLEANUP_DAYS),
            change_failure: f(self.change_failure, ranges::CHANGE_FAILURE),
        }
    }

    /// How long the branch that has to merge actually lives: capped by flags.
    pub fn effective_branch_days(&self) -> f64 {
        if self.feature_flags {
            self.branch_days.min(FLAG_BRANCH_DAYS)
        } else {
            self.branch_days
        }
    }
}

/// Expected foreign changes that overlap a branch living `branch_days`: `q·c·L·(n − 1)`.
pub fn expected_conflicts(engineers: u32, branch_days: f64, changes_per_day: f64, overlap: f64) -> f64 {
    let others = engineers.saturating_sub(1) as f64;
    let m = overlap * changes_per_day * branch_days * others;
    if m.is_finite() && m > 0.0 {
        m
    } else {
        0.0
    }
}

/// Probability that a merge hits at least one conflict: `1 − exp(−q·c·L·(n − 1))`.
pub fn conflict_probability(engineers: u32, branch_days: f64, changes_per_day: f64, overlap: f64) -> f64 {
    let m = expected_conflicts(engineers, branch_days, changes_per_day, overlap);
    crate::num::clamp(-libm::expm1(-m), 0.0, 1.0)
}

/// Probability that a deploy of `k` changes fails when each change fails independently with
/// probability `p`: `1 − (1 − p)^k` (0 for non-finite or non-positive input; `p` clamped to [0, 1]).
pub fn change_failure_rate(p: f64, k: f64) -> f64 {
    if !(p.is_finite() && k.is_finite() && p > 0.0 && k > 0.0) {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    crate::num::clamp(-libm::expm1(k * libm::log1p(-p)), 0.0, 1.0)
}

/// The change-failure rate against changes per deploy, `points + 1` points from 1 to `to` (the chart).
pub fn change_failure_curve(p: f64, to: f64, points: u32) -> Vec<(f64, f64)> {
    let points = points.clamp(1, 1_000);
    let to = if to.is_finite() && to > 1.0 { to } else { 2.0 };
    (0..=points)
        .map(|i| {
            let k = 1.0 + (to - 1.0) * i as f64 / points as f64;
            (k, change_failure_rate(p, k))
        })
        .collect()
}

/// Working days from `finish` until the next release train leaves (trains at 0, P, 2P, …; a change
/// finishing exactly as a train leaves makes it). Continuous deployment (`period ≤ 0`) waits 0.
pub fn release_wait(finish: f64, period: f64) -> f64 {
    if period.is_nan() || period <= 0.0 || !period.is_finite() || !finish.is_finite() {
        return 0.0;
    }
    let into = finish.rem_euclid(period);
    if into == 0.0 {
        0.0
    } else {
        period - into
    }
}

/// The `p`-quantile of `U(0, a) + U(0, b)` (a trapezoidal distribution), exactly. Negative or
/// non-finite widths count as 0; `p` is clamped to `[0, 1]`.
pub fn uniform_sum_quantile(a: f64, b: f64, p: f64) -> f64 {
    let clean = |x: f64| if x.is_finite() && x > 0.0 { x } else { 0.0 };
    let (a, b) = (clean(a), clean(b));
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let p = if p.is_nan() { 0.5 } else { crate::num::clamp(p, 0.0, 1.0) };
    if b == 0.0 {
        return 0.0;
    }
    if a == 0.0 {
        return p * b;
    }
    // CDF: t²/(2ab) on [0, a]; (t − a/2)/b on [a, b]; 1 − (a + b − t)²/(2ab) on [b, a + b].
    let knee = a / (2.0 * b);
    let t = if p <= knee {
        (2.0 * a * b * p).sqrt()
    } else if p <= 1.0 - knee {
        p * b + a / 2.0
    } else {
        a + b - (2.0 * a * b * (1.0 - p)).sqrt()
    };
    crate::num::clamp(t, 0.0, a + b)
}

/// What a way of delivering costs.
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryReport {
    /// The parameters used (clamped).
    pub params: DeliveryParams,
    /// How long the merging branch lives (flags cap it).
    pub branch_days: f64,
    /// Foreign changes landing on the trunk while the branch lives.
    pub foreign_changes: f64,
    /// Expected foreign changes that overlap the branch (conflicting changes per merge).
    pub conflicting_changes: f64,
    /// Probability that a merge hits at least one conflict.
    pub conflict_probability: f64,
    /// Working days between releases (0: every merge deploys).
    pub release_period_days: f64,
    /// Changes that go out together in one deploy.
    pub changes_per_deploy: f64,
    /// Production deploys a week.
    pub deploys_per_week: f64,
    /// Lead time from commit to production (working days).
    pub lead_mean_days: f64,
    pub lead_median_days: f64,
    pub lead_p90_days: f64,
    /// Mean parts of the lead time: waiting on the branch, for the train, and review plus deploy.
    pub branch_wait_days: f64,
    pub train_wait_days: f64,
    /// Feature flags alive at once (0 without flags, or when work never outlives a day).
    pub live_flags: f64,
    /// Share of deploys that fail: `1 − (1 − p)^k` for `k` changes per deploy.
    pub change_failure_rate: f64,
    /// Expected broken changes in a failing deploy, `k·p / CFR` (1 when nothing fails).
    pub broken_per_failed_deploy: f64,
    /// With flags on work longer than a day: what lead time means here, and when the feature reaches users.
    pub lead_note: Option<String>,
    /// One plain-language sentence.
    pub verdict: String,
}

/// Analyses a way of delivering.
pub fn analyse(params: &DeliveryParams) -> DeliveryReport {
    let p = params.clamped();
    let n = p.engineers;
    let l = p.effective_branch_days();
    let period = p.cadence.period_days();
    let foreign = p.changes_per_day * l * n.saturating_sub(1) as f64;
    let m = expected_conflicts(n, l, p.changes_per_day, p.overlap);
    let prob = conflict_probability(n, l, p.changes_per_day, p.overlap);
    // Merges arrive at n / L a day. Continuous deployment ships each one; a train leaves every P
    // days if anything merged since the last (probability 1 − e^(−nP/L)), so the train's deploy
    // rate falls towards continuous as P shrinks. A deploy carries at least one change.
    let merges_per_week = n as f64 * WORKING_DAYS_PER_WEEK / l;
    let deploys_per_week = if period > 0.0 {
        WORKING_DAYS_PER_WEEK / period * -libm::expm1(-(n as f64) * period / l)
    } else {
        merges_per_week
    };
    let changes_per_week = n as f64 * p.changes_per_day * WORKING_DAYS_PER_WEEK;
    let changes_per_deploy = if deploys_per_week > 0.0 && deploys_per_week.is_finite() {
        (changes_per_week / deploys_per_week).max(1.0)
    } else {
        1.0
    };
    let fixed = p.review_deploy_days;
    let lead_median = uniform_sum_quantile(l, period, 0.5) + fixed;
    let lead_p90 = uniform_sum_quantile(l, period, 0.9) + fixed;
    let live_flags = if p.feature_flags && p.branch_days > FLAG_BRANCH_DAYS {
        n as f64 / p.branch_days * (p.branch_days + p.flag_cleanup_days)
    } else {
        0.0
    };
    let mut r = DeliveryReport {
        params: p,
        branch_days: l,
        foreign_changes: foreign,
        conflicting_changes: m,
        conflict_probability: prob,
        release_period_days: period,
        changes_per_deploy,
        deploys_per_week,
        lead_mean_days: l / 2.0 + period / 2.0 + fixed,
        lead_median_days: lead_median,
        lead_p90_days: lead_p90,
        branch_wait_days: l / 2.0,
        train_wait_days: period / 2.0,
        live_flags,
        change_failure_rate: change_failure_rate(p.change_failure, changes_per_deploy),
        broken_per_failed_deploy: 1.0,
        lead_note: None,
        verdict: String::new(),
    };
    if r.change_failure_rate > 0.0 {
        r.broken_per_failed_deploy = (changes_per_deploy * p.change_failure / r.change_failure_rate).max(1.0);
    }
    if p.feature_flags && p.branch_days > FLAG_BRANCH_DAYS {
        r.lead_note = Some(format!(
            "With flags, lead time is code reaching production switched off. The feature reaches users when its \
             flag is turned on, once all its work is done ({}): about {} after its first commit, on average.",
            crate::fmt::duration(p.branch_days, crate::fmt::Unit::WorkingDays),
            crate::fmt::duration(p.branch_days + period / 2.0 + fixed, crate::fmt::Unit::WorkingDays)
        ));
    }
    r.verdict = verdict(&r);
    r
}

/// The plain-language verdict for a report.
fn verdict(r: &DeliveryReport) -> String {
    let conflicts = if r.conflict_probability >= 0.5 {
        format!(
            "Most merges hit a conflict: about {} changes land underneath a branch that lives {}.",
            crate::fmt::grouped(r.foreign_changes.round()),
            crate::fmt::duration(r.branch_days, crate::fmt::Unit::WorkingDays)
        )
    } else if r.conflict_probability >= 0.15 {
        format!("About {} in {} merges hit a conflict.", crate::fmt::fixed(r.conflict_probability * 10.0, 0), 10)
    } else {
        "Conflicts are rare and small: branches merge before much lands underneath them.".to_string()
    };
    let fixed = r.params.review_deploy_days;
    let biggest = if r.train_wait_days >= r.branch_wait_days && r.train_wait_days > fixed {
        format!("most of it waiting for {}, so shipping more often cuts it most", r.params.cadence.label())
    } else if r.branch_wait_days > fixed {
        "most of it waiting on the branch, so shorter branches (or flags) cut it most".to_string()
    } else {
        "most of it review and deploy, not waiting".to_string()
    };
    let flags = if r.live_flags >= 1.0 {
        format!(" The price: about {} live flags to keep tidy.", crate::fmt::grouped(r.live_flags.round()))
    } else {
        String::new()
    };
    format!(
        "{conflicts} A change takes {} to reach production (p90 {}), {biggest}.{flags}",
        crate::fmt::duration(r.lead_median_days, crate::fmt::Unit::WorkingDays),
        crate::fmt::duration(r.lead_p90_days, crate::fmt::Unit::WorkingDays)
    )
}

/// `P(conflict)` against branch lifetime for a team, `points + 1` points from `from` to `to`
/// working days (the chart).
pub fn conflict_curve(params: &DeliveryParams, from: f64, to: f64, points: u32) -> Vec<(f64, f64)> {
    let p = params.clamped();
    let points = points.clamp(1, 1_000);
    let (from, to) = (if from.is_finite() { from } else { 0.0 }, if to.is_finite() { to } else { 1.0 });
    (0..=points)
        .map(|i| {
            let l = from + (to - from) * i as f64 / points as f64;
            (l, conflict_probability(p.engineers, l.max(0.0), p.changes_per_day, p.overlap))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// What a branch-lifetime preset sets: the branching practice of [`DeliveryParams::TRUNK`] or
/// [`DeliveryParams::GITFLOW`] (the team stays as the reader set it).
const fn practice(p: &DeliveryParams) -> [(&'static str, f64); 3] {
    [("branch", p.branch_days), ("cadence", p.cadence as u8 as f64), ("flags", p.feature_flags as u8 as f64)]
}

const CADENCES: &[&str] = &["continuous", "daily", "weekly", "fortnightly", "monthly"];
/// Branch lifetime, release cadence and flags: merge conflicts and lead time.
pub const BRANCH_LIFETIME: WidgetSpec = WidgetSpec {
    name: "branch-lifetime",
    about: crate::note::About {
        question: "How long should our branches live and how often should we release, given the merge conflicts, \
                   lead time and failed deploys each choice costs?",
        assumptions: &[(ASSUMPTIONS, "")],
        sources: &[
            "Paul Hammant, Trunk Based Development (2017)",
            "Jez Humble and David Farley, Continuous Delivery (2010)",
            "Nicole Forsgren, Jez Humble and Gene Kim, Accelerate: The Science of Lean Software and DevOps (2018)",
            "DORA (Google Cloud), Accelerate State of DevOps Report 2024 (2024): change-failure rates of its clusters",
        ],
    },
    reserve_rem: 61.0,
    hot: false,
    title: "Branch lifetime and lead time",
    params: &[
        range("team", "Engineers merging into the codebase", 2.0, 100.0, 1.0, 12.0, ""),
        range("branch", "Branch lifetime", 0.1, 30.0, 0.1, 5.0, "working days"),
        labelled(
            choice("cadence", "Release cadence", CADENCES, 2),
            &["Continuous deployment", "Daily", "Weekly", "Every two weeks", "Monthly"],
        ),
        toggle("flags", "Feature flags (merge unfinished work daily)", false),
        range("fail", "Changes that break production", 0.1, 5.0, 0.1, 0.5, "% of changes"),
    ],
    presets: &[("trunk", &practice(&DeliveryParams::TRUNK)), ("gitflow", &practice(&DeliveryParams::GITFLOW))],
};

/// A count as the widget shows it: one decimal below ten, whole above.
pub fn count(x: f64) -> String {
    if x < 9.95 {
        num(x, 1)
    } else {
        num(x, 0)
    }
}

/// What the branch-lifetime widget shows: the verdict and its key numbers. The note's verdict
/// adds the lead-time note the page shows under the numbers (flags on work longer than a day).
pub fn delivery_facts(r: &DeliveryReport) -> Facts {
    let days = |d: f64| crate::fmt::duration(d, crate::fmt::Unit::WorkingDays);
    let verdict = match &r.lead_note {
        Some(n) => format!("{} {n}", r.verdict),
        None => r.verdict.clone(),
    };
    Facts {
        verdict,
        readouts: vec![
            Readout::new("conflict", "Merges with a conflict", percent(r.conflict_probability)),
            Readout::new("conflicting", "Conflicting changes per merge", num(r.conflicting_changes, 2)),
            Readout::new("lead", "Lead time, median", days(r.lead_median_days)),
            Readout::new("lead-p90", "Lead time, p90", days(r.lead_p90_days)),
            Readout::new("batch", "Changes per deploy", count(r.changes_per_deploy)),
            Readout::new("deploys", "Deploys per week", count(r.deploys_per_week)),
            Readout::new("flags", "Live feature flags", num(r.live_flags, 0)),
            Readout::new("cfr", "Deploys that fail", percent_fine(r.change_failure_rate)),
            Readout::new("broken", "Broken changes per failed deploy", num(r.broken_per_failed_deploy, 1)),
        ],
        run: Vec::new(),
    }
}

/// Delivery parameters for a branch-lifetime state (the rates from the illustrative preset).
pub fn delivery_params(state: &State) -> DeliveryParams {
    DeliveryParams {
        engineers: value!(BRANCH_LIFETIME, state, "team") as u32,
        branch_days: value!(BRANCH_LIFETIME, state, "branch"),
        cadence: Cadence::ALL[(value!(BRANCH_LIFETIME, state, "cadence") as usize).min(Cadence::ALL.len() - 1)],
        feature_flags: (value!(BRANCH_LIFETIME, state, "flags") != 0.0),
        change_failure: value!(BRANCH_LIFETIME, state, "fail") / 100.0,
        ..DeliveryParams::TRUNK
    }
    .clamped()
}
