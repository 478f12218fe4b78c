//! The decision matrix against the design's golden values (2A) and closed forms: weighted totals,
//! the flip distance `margin / (d_i − d_j)`, the tornado's flip weights, Dirichlet robustness, hard
//! constraints, the price jiggle; and no input producing NaN.

use model::cloud::Provider::{self, Aws, Azure, Gcp};
use model::decision_matrix::*;
use proptest::prelude::*;

const EX: MatrixParams = MatrixParams::EXAMPLE;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn total(p: &MatrixParams, q: Provider) -> f64 {
    totals(p)[provider_index(q)]
}

#[test]
fn the_widget_defaults_are_the_example() {
    let st = DECISION_MATRIX.defaults();
    assert_eq!(matrix_params(&st), EX);
    // Every score is a parameter in the "judgement" group, every weight in "weights".
    assert_eq!(DECISION_MATRIX.params.iter().filter(|p| p.group == "judgement").count(), 15);
    assert_eq!(DECISION_MATRIX.params.iter().filter(|p| p.group == "weights").count(), 5);
    let (st, notes) = DECISION_MATRIX.parse_query("contract=azure&no-gcp=1&sure=fixed&gcp-price=5&w-eco=40");
    assert!(notes.is_empty(), "{notes:?}");
    let p = matrix_params(&st);
    assert_eq!(p.contract, Some(Azure));
    assert_eq!(p.ruled_out, [false, false, true]);
    assert_eq!(p.certainty, Certainty::Fixed);
    assert_eq!(p.scores[2][Criterion::Price.index()], 5.0);
    assert!(close(p.normalised()[4], 40.0 / 130.0));
    assert_eq!(raw_weights(&st), [35.0, 25.0, 15.0, 15.0, 40.0]);
    assert_eq!(
        weights_note(&st).as_deref(),
        Some("These weights add up to 130%, so each counts as its share of the total; moving a slider makes them add up to 100% again.")
    );
    assert_eq!(weights_note(&DECISION_MATRIX.defaults()), None);
}

/// Golden 1: the default weights and scores.
#[test]
fn golden_default_totals() {
    assert!(close(total(&EX, Aws), 4.05), "{}", total(&EX, Aws));
    assert!(close(total(&EX, Gcp), 2.95));
    assert!(close(total(&EX, Azure), 3.75));
    let r = analyse(&EX);
    assert_eq!(r.winners, vec![Aws]);
    assert!(close(r.margin.unwrap(), 0.30));
    assert_eq!(r.ranking.iter().map(|x| x.0).collect::<Vec<_>>(), vec![Aws, Azure, Gcp]);
    assert_eq!(r.totals_text, "AWS 4.05, Azure 3.75, Google Cloud 2.95");
}

/// Golden 2: moving weight from team expertise to requirements, AWS → Azure:
/// margin / ((5 − 3) − (3 − 5)) = 0.30 / 4 = 0.075.
#[test]
fn golden_flip_distance_expertise_to_requirements() {
    let d = pair_flip(&EX, Aws, Azure, Criterion::Expertise, Criterion::Requirements).unwrap();
    assert!(close(d, 0.075), "{d}");
    // And it is the least transfer of all: the flip distance.
    let f = flip_distance(&EX).unwrap();
    assert!(close(f.amount, 0.075));
    assert_eq!((f.from, f.to, f.challenger), (Criterion::Expertise, Criterion::Requirements, Azure));
    // At exactly that transfer the two tie (3.90 each); a hair further, Azure wins.
    let at = |delta: f64| {
        let mut w = EX.weights;
        w[0] -= delta;
        w[1] += delta;
        MatrixParams { weights: w, ..EX }
    };
    assert!(close(total(&at(0.075), Aws), 3.9) && close(total(&at(0.075), Azure), 3.9));
    assert_eq!(analyse(&at(0.076)).winners, vec![Azure]);
    assert_eq!(analyse(&at(0.074)).winners, vec![Aws]);
    assert_eq!(
        analyse(&EX).flip_text,
        "7.5 points of weight from team expertise to customer and regulatory requirements make Azure tie with AWS"
    );
}

/// Pairs that cannot close the gap, or need more weight than the source has, are not flips.
#[test]
fn pair_flip_cases() {
    use Criterion::*;
    // (a, b, from, to, expected)
    let cases: &[(Provider, Provider, Criterion, Criterion, Option<f64>)] = &[
        (Aws, Azure, Expertise, Requirements, Some(0.075)),
        (Aws, Azure, Ecosystem, Requirements, Some(0.10)), // 0.30 / (1 + 2), exactly all of ecosystem's weight
        (Aws, Azure, Expertise, Price, Some(0.15)),        // 0.30 / (2 − 0)
        (Aws, Azure, Requirements, Expertise, None),       // moving towards AWS's strength widens the gap
        (Aws, Azure, Price, ServiceFit, None),             // equal differences: no effect
        (Aws, Gcp, Expertise, Price, Some(0.275)),         // 1.10 / (3 + 1)
        (Aws, Gcp, Ecosystem, Price, None),                // 1.10 / 3 > 0.10 of ecosystem weight
        (Aws, Azure, Expertise, Expertise, None),
    ];
    for &(a, b, from, to, want) in cases {
        let got = pair_flip(&EX, a, b, from, to);
        match (got, want) {
            (Some(g), Some(w)) => assert!(close(g, w), "{a:?}→{b:?} {from:?}→{to:?}: {g} vs {w}"),
            (g, w) => assert_eq!(g, w, "{a:?}→{b:?} {from:?}→{to:?}"),
        }
    }
}

/// Golden 3: equal weights (0.2 each): AWS 20/5 = 4.0, Azure 19/5 = 3.8, Google Cloud 16/5 = 3.2.
#[test]
fn golden_equal_weights() {
    let p = MatrixParams { weights: [0.2; 5], ..EX };
    assert!(close(total(&p, Aws), 4.0));
    assert!(close(total(&p, Azure), 3.8));
    assert!(close(total(&p, Gcp), 3.2));
    // Raw weights need not sum to 1: all equal is all equal; all zero is equal too.
    assert_eq!(totals(&MatrixParams { weights: [7.0; 5], ..EX }), totals(&p));
    assert_eq!(totals(&MatrixParams { weights: [0.0; 5], ..EX }), totals(&p));
    let r = analyse(&p);
    assert!(close(r.margin.unwrap(), 0.2));
}

/// Golden 4: a contract requiring Azure decides for every weighting.
#[test]
fn golden_contract_requires_azure() {
    let p = MatrixParams { contract: Some(Azure), ..EX };
    for certainty in CERTAINTY {
        let r = analyse(&MatrixParams { certainty, ..p });
        assert_eq!(r.winners, vec![Azure]);
        assert_eq!(r.robustness, [0.0, 1.0, 0.0], "{certainty:?}");
        assert_eq!(r.margin, None);
        assert_eq!(r.flip, None);
        assert!(r.tornado.is_empty());
    }
    assert!(analyse(&p).verdict.starts_with("Azure: the hard constraints decide"), "{}", analyse(&p).verdict);
    let mut rng = model::rng::Rng::new(5);
    for _ in 0..200 {
        let mut w = [0.0; 5];
        rng.dirichlet(&[1.0; 5], &mut w);
        assert_eq!(analyse(&MatrixParams { weights: w, ..p }).winners, vec![Azure]);
    }
}

/// Golden 5: weights held fixed (κ → ∞) give AWS every draw; a very large κ does too; GCP's price
/// score ±1 moves its total by ±0.15 (its weight) and nothing else.
#[test]
fn golden_fixed_weights_and_price_sensitivity() {
    let fixed = analyse(&MatrixParams { certainty: Certainty::Fixed, ..EX });
    assert_eq!(fixed.robustness, [1.0, 0.0, 0.0]);
    let huge = robustness(&MatrixParams { certainty: Certainty::Kappa(1e7), ..EX });
    assert_eq!(huge, [1.0, 0.0, 0.0]);
    for (delta, want) in [(1.0, 3.10), (-1.0, 2.80)] {
        let mut p = EX;
        p.scores[2][Criterion::Price.index()] += delta;
        let t = totals(&p);
        assert!(close(t[2], want), "{delta}: {}", t[2]);
        assert!(close(t[2] - total(&EX, Gcp), 0.15 * delta));
        assert_eq!(&t[..2], &totals(&EX)[..2]);
    }
}

/// The robustness draws: shares sum to 1, the same seed gives the same shares, a looser κ gives
/// the challenger more draws, and the shares sit within ±4σ of a long run's.
#[test]
fn robustness_is_seeded_and_sensible() {
    let shares = |k: f64, seed: u64| robustness(&MatrixParams { certainty: Certainty::Kappa(k), seed, ..EX });
    let a = shares(20.0, 1);
    assert!(close(a.iter().sum(), 1.0));
    assert_eq!(a, shares(20.0, 1));
    assert!(a[0] > 0.5 && a[1] > 0.05, "{a:?}");
    let (loose, firm) = (shares(5.0, 1), shares(100.0, 1));
    assert!(loose[0] < a[0] && a[0] < firm[0], "{loose:?} {a:?} {firm:?}");
    // Another seed agrees within ±4σ of a binomial share over DRAWS draws (twice: two estimates).
    let b = shares(20.0, 2);
    let sigma = (a[0] * (1.0 - a[0]) / DRAWS as f64).sqrt();
    assert!((a[0] - b[0]).abs() < 4.0 * sigma * 2f64.sqrt(), "{a:?} {b:?}");
}

/// The tornado: expertise flips the decision at 4/17 of the weight, requirements at 8/23
/// (closed forms: the margin over Azure, others rescaled, crosses zero there).
#[test]
fn tornado_flip_weights() {
    let bars = tornado(&EX);
    assert_eq!(bars.len(), 5);
    let bar = |c: Criterion| *bars.iter().find(|b| b.criterion == c).unwrap();
    let e = bar(Criterion::Expertise);
    assert!((e.flips_at.unwrap() - 4.0 / 17.0).abs() < 1e-6, "{e:?}");
    assert!(close(e.weight, 0.35));
    // At weight 0 Azure leads by 2.7/0.65 − 2.3/0.65; at weight 1 AWS leads GCP and Azure by 2.
    assert!((e.at_zero - (2.3 - 2.7) / 0.65).abs() < 1e-9);
    assert!(close(e.at_one, 2.0));
    let r = bar(Criterion::Requirements);
    assert!((r.flips_at.unwrap() - 8.0 / 23.0).abs() < 1e-6, "{r:?}");
    assert!(close(r.at_one, -2.0));
    // Price alone hands it to Google Cloud at 25/42 of the weight; managed-service fit, where all
    // three score 4, only ever ties (at 100%), and ecosystem never flips it.
    assert!((bar(Criterion::Price).flips_at.unwrap() - 25.0 / 42.0).abs() < 1e-6);
    assert_eq!(bar(Criterion::ServiceFit).flips_at, None);
    assert_eq!(bar(Criterion::Ecosystem).flips_at, None);
    // Bars run widest first, and each spans the current margin.
    for pair in bars.windows(2) {
        assert!(pair[0].high - pair[0].low >= pair[1].high - pair[1].low - 1e-9);
    }
    for b in &bars {
        assert!(b.low <= 0.30 + 1e-9 && b.high >= 0.30 - 1e-9, "{b:?}");
    }
}

#[test]
fn set_weight_keeps_the_others_in_proportion() {
    let w = set_weight(EX.weights, 0, 0.15);
    assert!(close(w.iter().sum(), 1.0));
    assert!(close(w[0], 0.15));
    // The other four had 0.25 : 0.15 : 0.15 : 0.10 of 0.65; now they share 0.85.
    assert!(close(w[1], 0.25 / 0.65 * 0.85));
    assert!(close(w[4], 0.10 / 0.65 * 0.85));
    // All weight on one criterion, then away from it again: the others share equally.
    let all = set_weight(EX.weights, 2, 1.0);
    assert_eq!(all, [0.0, 0.0, 1.0, 0.0, 0.0]);
    let back = set_weight(all, 2, 0.6);
    assert!(close(back[0], 0.1) && close(back[4], 0.1) && close(back[2], 0.6));
    // Out-of-range and NaN requests clamp.
    assert!(close(set_weight(EX.weights, 1, 7.0)[1], 1.0));
    assert!(close(set_weight(EX.weights, 1, f64::NAN)[1], 0.0));
    // Through the widget's state: stored in percent, read back normalised.
    let mut st = DECISION_MATRIX.defaults();
    store_weights(&mut st, set_weight(EX.weights, 0, 0.275));
    let p = matrix_params(&st);
    assert!((p.normalised()[0] - 0.275).abs() < 1e-3);
}

#[test]
fn the_price_jiggle_leaves_the_default_order_alone() {
    let j = price_jiggle(&EX);
    assert_eq!((j.tried, j.reordered), (8, 0));
    // The largest move: Google Cloud's 4 × 10% × 0.15 = 0.06.
    assert!(close(j.max_shift, 0.06));
    assert_eq!(jiggled_order(&EX, 0b101), vec![Aws, Azure, Gcp]);
    // Close totals: AWS and Azure 0.01 apart with price weighted heavily, the jiggle reorders.
    let mut p = EX;
    p.weights = [0.0, 0.0, 0.0, 1.0, 0.0];
    p.scores[0][3] = 3.0;
    p.scores[1][3] = 3.0;
    assert!(price_jiggle(&p).reordered > 0);
}

#[test]
fn ties_vetoes_and_nothing_left() {
    // Identical scores: a three-way tie, reported as one.
    let same = MatrixParams { scores: [[3.0; 5]; 3], ..EX };
    let r = analyse(&same);
    assert_eq!(r.winners, vec![Aws, Azure, Gcp]);
    assert!(r.verdict.starts_with("All three tie at 3.00"), "{}", r.verdict);
    assert_eq!(r.robustness.map(|x| (x * 3.0 * 1e9).round() / 1e9), [1.0, 1.0, 1.0]);
    // Two-way tie.
    let mut two = EX;
    two.scores[1] = two.scores[0];
    let r = analyse(&two);
    assert_eq!(r.winners, vec![Aws, Azure]);
    assert!(r.verdict.starts_with("AWS and Azure tie"), "{}", r.verdict);
    // A veto hands the win to the runner-up.
    let r = analyse(&MatrixParams { ruled_out: [true, false, false], ..EX });
    assert_eq!(r.winners, vec![Azure]);
    assert!(r.verdict.contains("AWS is out by a hard constraint"), "{}", r.verdict);
    assert_eq!(r.robustness[0], 0.0);
    // Everything vetoed: no winner, no NaN.
    let r = analyse(&MatrixParams { ruled_out: [true; 3], ..EX });
    assert!(r.winners.is_empty());
    assert!(r.verdict.starts_with("No provider meets every hard constraint"), "{}", r.verdict);
    assert_eq!(r.robustness, [0.0; 3]);
    // A contract for a provider another constraint rules out leaves nothing either.
    let r = analyse(&MatrixParams { contract: Some(Gcp), ruled_out: [false, false, true], ..EX });
    assert!(r.winners.is_empty());
}

#[test]
fn the_default_verdict() {
    let r = analyse(&EX);
    let aws = r.robustness[0];
    assert_eq!(
        r.verdict,
        format!(
            "AWS wins by 0.30 with your weights, and in {} of random weightings near them. Moving 7.5 points of weight \
             from team expertise to customer and regulatory requirements would hand it to Azure.",
            model::fmt::percent(aws)
        )
    );
    assert_eq!(r.margin_text, "AWS 4.05 against Azure 3.75: 0.30 points ahead on a 1–5 scale");
    assert_eq!(
        r.tornado_text,
        "Alone, requirements at 34.8% of the weight (now 25%); expertise at 23.5% of the weight (now 35%); price at \
         59.5% of the weight (now 15%) would change the winner; ecosystem and service fit never would"
    );
    assert_eq!(
        jiggle_line(&EX, 0b001),
        "Price scores AWS +10%, Azure −10%, Google Cloud −10%: AWS 4.10, Azure 3.70, Google Cloud 2.89 (same order)"
    );
    let facts = matrix_facts(&r);
    assert_eq!(facts.readouts.len(), 6);
}

/// The analysis after moving `d` of weight along `f`'s pair of criteria.
fn moved(p: &MatrixParams, f: &Flip, d: f64) -> MatrixReport {
    let mut x = p.normalised();
    x[f.from.index()] -= d;
    x[f.to.index()] += d;
    let mut q = *p;
    q.weights = x.map(|v| v.max(0.0));
    analyse(&q)
}

fn arb_params() -> impl Strategy<Value = MatrixParams> {
    let w = prop::array::uniform5(prop_oneof![Just(0.0), -1.0..2.0f64, Just(f64::NAN), Just(f64::INFINITY)]);
    let row = prop::array::uniform5(prop_oneof![0.0..7.0f64, Just(f64::NAN)]);
    (w, prop::array::uniform3(row), 0usize..4, prop::array::uniform3(any::<bool>()), 0usize..4, any::<u64>()).prop_map(
        |(weights, scores, c, ruled_out, k, seed)| MatrixParams {
            weights,
            scores,
            contract: [None, Some(Aws), Some(Azure), Some(Gcp)][c],
            ruled_out,
            certainty: CERTAINTY[k],
            seed,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Nothing is NaN; shares sum to 1 (or 0 when nothing is allowed); the flip, when there is one,
    /// is exact: moving a little less keeps the winner, a little more changes it.
    #[test]
    fn analysis_is_total_and_the_flip_is_exact(p in arb_params()) {
        let r = analyse(&p);
        prop_assert!(r.totals.iter().all(|t| t.is_finite()));
        prop_assert!(r.weights.iter().all(|w| w.is_finite() && *w >= 0.0));
        prop_assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let s: f64 = r.robustness.iter().sum();
        prop_assert!(if r.winners.is_empty() { s == 0.0 } else { (s - 1.0).abs() < 1e-9 }, "{:?}", r.robustness);
        for b in &r.tornado {
            prop_assert!(b.low.is_finite() && b.high.is_finite() && b.low <= b.high + 1e-12);
        }
        if let (Some(f), [winner]) = (r.flip, r.winners.as_slice()) {
            let w = p.normalised();
            if f.amount > 1e-6 {
                prop_assert_eq!(&moved(&p, &f, f.amount * (1.0 - 1e-6)).winners, &vec![*winner]);
            }
            if f.amount + 1e-6 <= w[f.from.index()] {
                prop_assert!(!moved(&p, &f, f.amount + 1e-6).winners.contains(winner));
            }
        }
    }

    /// Renormalising a weight always leaves shares that sum to 1 with the requested share set.
    #[test]
    fn set_weight_sums_to_one(w in prop::array::uniform5(0.0..1.0f64), i in 0usize..5, v in 0.0..1.0f64) {
        let out = set_weight(w, i, v);
        prop_assert!((out.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        prop_assert!((out[i] - v).abs() < 1e-12);
    }
}

/// The figures the article quotes (printed with --nocapture, asserted where they are exact).
#[test]
fn article_figures() {
    let r = analyse(&EX);
    println!("robustness κ=20: {:?}", r.robustness);
    for k in [5.0, 100.0] {
        println!("robustness κ={k}: {:?}", robustness(&MatrixParams { certainty: Certainty::Kappa(k), ..EX }));
    }
    for b in &r.tornado {
        println!("{:?}: {:.4}..{:.4} flips at {:?}", b.criterion, b.low, b.high, b.flips_at);
    }
    println!("{}", r.verdict);
    assert!(r.robustness[0] > r.robustness[1] && r.robustness[1] > r.robustness[2]);
}
