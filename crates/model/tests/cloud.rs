//! The cloud-fit model: the score is a deterministic, monotone sum of points; a forcing
//! requirement decides; switching costs are linear in engineers and terabytes; payback is exactly
//! cost / monthly saving; and no input (in range, out of range, NaN or infinite) produces NaN or
//! infinity.

use model::cloud::*;
use model::cloud::{cloud_params, CLOUD_FIT};
use proptest::prelude::*;

const A: CloudAssumptions = CloudAssumptions::ILLUSTRATIVE;

fn params(aws: Expertise, azure: Expertise, gcp: Expertise, requirement: Requirement) -> CloudParams {
    CloudParams { expertise: [aws, azure, gcp], requirement, ..CloudParams::EXAMPLE }
}

fn order(p: &CloudParams) -> Vec<Provider> {
    ranking(p).iter().map(|r| r.0).collect()
}

use Expertise::{Deep, None as No, Some as Part};
use Provider::{Aws, Azure, Gcp};

#[test]
fn the_widget_defaults_are_the_example() {
    assert_eq!(cloud_params(&CLOUD_FIT.defaults()), CloudParams::EXAMPLE);
    assert_eq!(CLOUD_FIT.params.iter().find(|p| p.key == "needs").map(|p| p.kind), {
        Some(model::spec::Kind::Choice(&["none", "m365", "acct-aws", "acct-azure", "acct-gcp", "analytics", "gov"]))
    });
    // The choice order matches the model's.
    let names = ["none", "m365", "acct-aws", "acct-azure", "acct-gcp", "analytics", "gov"];
    for (name, r) in names.iter().zip(Requirement::ALL.iter()) {
        let (st, notes) = CLOUD_FIT.parse_query(&format!("needs={name}"));
        assert!(notes.is_empty());
        assert_eq!(cloud_params(&st).requirement, *r);
    }
    let (st, _) = CLOUD_FIT.parse_query("aws=none&azure=deep&gcp=some&operate=portable");
    let p = cloud_params(&st);
    assert_eq!(p.expertise, [No, Deep, Part]);
    assert_eq!(p.operate, Operate::Portable);
}

/// (aws, azure, gcp, requirement, expected order), data-driven.
#[test]
fn ranking_cases() {
    let cases: &[(Expertise, Expertise, Expertise, Requirement, [Provider; 3])] = &[
        (Deep, No, Part, Requirement::None, [Aws, Gcp, Azure]),
        (No, No, No, Requirement::None, [Aws, Azure, Gcp]), // a three-way tie keeps ALL's order
        (No, Deep, No, Requirement::None, [Azure, Aws, Gcp]),
        (Part, Part, Part, Requirement::MicrosoftIdentity, [Azure, Aws, Gcp]),
        // Identity tilts (+30) but deep expertise (+40 over none) still wins.
        (Deep, No, No, Requirement::MicrosoftIdentity, [Aws, Azure, Gcp]),
        (Part, No, No, Requirement::MicrosoftIdentity, [Azure, Aws, Gcp]),
        (Part, Part, Part, Requirement::AnalyticsCore, [Gcp, Aws, Azure]),
        (Deep, No, No, Requirement::AnalyticsCore, [Aws, Gcp, Azure]),
        (Deep, Deep, No, Requirement::Government, [Aws, Azure, Gcp]),
        // Customers' own accounts decide, whatever the team knows.
        (Deep, Deep, No, Requirement::CustomerAccount(Gcp), [Gcp, Aws, Azure]),
        (No, Deep, Deep, Requirement::CustomerAccount(Aws), [Aws, Azure, Gcp]),
        (Deep, No, Deep, Requirement::CustomerAccount(Azure), [Azure, Aws, Gcp]),
    ];
    for &(aws, azure, gcp, req, want) in cases {
        let p = params(aws, azure, gcp, req);
        assert_eq!(order(&p), want, "{aws:?} {azure:?} {gcp:?} {req:?}");
        assert_eq!(analyse(&p, &A).winner, want[0]);
    }
}

#[test]
fn scores_are_the_documented_points() {
    let p = params(Deep, Part, No, Requirement::MicrosoftIdentity);
    assert_eq!(score(&p, Aws), 40.0);
    assert_eq!(score(&p, Azure), 50.0);
    assert_eq!(score(&p, Gcp), 0.0);
    let p = params(No, No, No, Requirement::CustomerAccount(Gcp));
    assert_eq!(score(&p, Gcp), FORCED_POINTS);
}

#[test]
fn the_example_readouts() {
    let r = analyse(&CloudParams::EXAMPLE, &A);
    assert_eq!((r.winner, r.runner_up, r.tied, r.forced), (Aws, Gcp, false, None));
    // 12 engineers × 1 month (some experience) × $15,000.
    assert_eq!(r.learning, 180_000.0);
    // 12 × 2 months of re-platforming × $15,000.
    assert_eq!(r.rework, 360_000.0);
    // A full exit from AWS claims its 2024 waiver: no egress. At list prices, 100 TB = 102,400 GB
    // less 100 free: 10,240 × 0.09 + 40,960 × 0.085 + 51,100 × 0.07 = $7,980.20.
    assert_eq!(r.egress, 0.0);
    assert!((r.egress_list - 7_980.2).abs() < 1e-6, "{}", r.egress_list);
    assert!((r.switching - 540_000.0).abs() < 1e-6);
    assert!((r.saving_needed_monthly - 22_500.0).abs() < 1e-6);
    assert!((r.saving_needed_share - 0.375).abs() < 1e-12);
    assert_eq!(r.learning_text, "$180,000 (12 engineers × 1 month × $15,000)");
    assert_eq!(
        r.egress_text,
        "$0 under AWS's exit waiver (since 5 March 2024; approval by AWS support, the move completed within 60 \
         days, credited afterwards); at list prices 100 TB would cost $7,980"
    );
    assert_eq!(r.switching_text, "$540,000 to Google Cloud, with $360,000 of re-platforming");
    assert_eq!(r.payback_text, "38% cheaper ($22,500 a month); at 10% cheaper it pays back in 90 months");
    assert_eq!(
        r.verdict,
        "AWS, because your team knows it best. Moving to Google Cloud later would cost about $540,000 \
         (illustrative); it would have to be 38% cheaper to pay that back within two years."
    );
    assert_eq!(r.ranking.iter().filter(|x| x.top).count(), 1);
}

#[test]
fn ties_and_forced_choices_are_reported() {
    // A three-way tie is reported as one, not as the first two.
    let r = analyse(&params(Part, Part, Part, Requirement::None), &A);
    assert!(r.tied);
    assert_eq!(r.top_count, 3);
    assert_eq!(r.ranking.iter().filter(|x| x.top).count(), 3);
    assert!(r.verdict.starts_with("All three tie"), "{}", r.verdict);
    let r = analyse(&params(Part, Part, No, Requirement::None), &A);
    assert!(r.tied);
    assert_eq!(r.top_count, 2);
    assert_eq!(r.ranking.iter().filter(|x| x.top).count(), 2);
    assert!(r.verdict.starts_with("AWS and Azure tie"), "{}", r.verdict);
    let r = analyse(&params(Deep, Deep, Deep, Requirement::CustomerAccount(Azure)), &A);
    assert_eq!(r.forced, Some(Azure));
    assert!(!r.tied);
    assert!(r.verdict.starts_with("Azure: your customers decide"), "{}", r.verdict);
    let r = analyse(&params(No, Part, No, Requirement::MicrosoftIdentity), &A);
    assert!(r.verdict.contains("knows it best and your customers' needs point there too"), "{}", r.verdict);
    let r = analyse(&params(Part, Part, No, Requirement::MicrosoftIdentity), &A);
    assert!(r.verdict.starts_with("Azure, because of what your customers need"), "{}", r.verdict);
}

#[test]
fn a_bill_too_small_for_any_discount() {
    let p = CloudParams { monthly_spend: 1_000.0, ..CloudParams::EXAMPLE };
    let r = analyse(&p, &A);
    assert!(r.saving_needed_share > 1.0);
    assert!(r.verdict.contains("no discount could pay that back"), "{}", r.verdict);
    assert!(r.payback_text.starts_with("More than the whole bill"), "{}", r.payback_text);
}

#[test]
fn portability_trades_a_yearly_cost_for_a_cheaper_move() {
    let managed = CloudParams::EXAMPLE;
    let portable = CloudParams { operate: Operate::Portable, ..managed };
    let (rm, rp) = (analyse(&managed, &A), analyse(&portable, &A));
    // Ramp-up halved (0.5 month), rework 0.5 month instead of 2.
    assert_eq!(rp.learning, 12.0 * 0.5 * 15_000.0);
    assert_eq!(rp.rework, 12.0 * 0.5 * 15_000.0);
    assert!(rp.switching < rm.switching);
    assert_eq!(rm.portability_saves, rm.switching - rp.switching);
    assert_eq!(rp.portability_saves, rm.portability_saves);
    assert_eq!(rm.self_run_yearly, 0.0);
    // 10% of 12 engineers' time for a year.
    assert!((rp.self_run_yearly - 12.0 * 0.1 * 15_000.0 * 12.0).abs() < 1e-6);
    assert_eq!(rm.portability_text, rp.portability_text);
    assert_eq!(
        rm.portability_text,
        "Running it yourself costs about $216,000 a year; it saves $360,000 once, if you ever move"
    );
}

#[test]
fn payback_is_cost_over_saving() {
    assert_eq!(payback(120_000.0, 10_000.0), Payback::Months(12.0));
    assert_eq!(payback(1.0, 3.0), Payback::Months(1.0 / 3.0));
    assert_eq!(payback(0.0, 10.0), Payback::Months(0.0));
    assert_eq!(payback(-5.0, 10.0), Payback::Months(0.0));
    assert_eq!(payback(100.0, 0.0), Payback::Never);
    assert_eq!(payback(100.0, -1.0), Payback::Never);
    assert_eq!(payback(100.0, f64::NAN), Payback::Never);
    assert_eq!(payback(100.0, f64::INFINITY), Payback::Months(0.0));
    assert_eq!(payback(f64::INFINITY, 1.0), Payback::Never);
    assert_eq!(payback(f64::MAX, f64::MIN_POSITIVE), Payback::Never);
    assert_eq!(payback(f64::NAN, 1.0), Payback::Months(0.0));
    for (p, want) in [
        (Payback::Never, "never"),
        (Payback::Months(0.0), "at once"),
        (Payback::Months(7.25), "in 7.3 months"),
        (Payback::Months(91.5), "in 92 months"),
    ] {
        assert_eq!(p.describe(), want);
    }
}

#[test]
fn percentages() {
    for (x, want) in
        [(0.0, "0.0%"), (0.025, "2.5%"), (0.38125, "38%"), (2.0, "200%"), (f64::NAN, "0.0%"), (-1.0, "0.0%")]
    {
        assert_eq!(model::fmt::percent_fine(x), want);
    }
}

fn expertise() -> impl Strategy<Value = Expertise> {
    prop_oneof![Just(No), Just(Part), Just(Deep)]
}

fn requirement() -> impl Strategy<Value = Requirement> {
    (0..Requirement::ALL.len()).prop_map(|i| Requirement::ALL[i])
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![-1e12f64..1e12, Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(0.0), Just(f64::MAX)]
}

fn situation() -> impl Strategy<Value = CloudParams> {
    (
        [expertise(), expertise(), expertise()],
        requirement(),
        prop_oneof![Just(Operate::Managed), Just(Operate::Portable)],
        any::<u32>(),
        any_f64(),
        any_f64(),
        (prop_oneof![Just(Exit::Waiver), Just(Exit::List)], any_f64()),
    )
        .prop_map(|(expertise, requirement, operate, engineers, monthly_spend, data_tb, (exit, p_switch))| {
            CloudParams { expertise, requirement, operate, engineers, monthly_spend, data_tb, exit, p_switch }
        })
}

fn finite(r: &CloudReport) -> bool {
    let xs = [
        r.learning,
        r.rework,
        r.egress,
        r.switching,
        r.saving_needed_monthly,
        r.saving_needed_share,
        r.self_run_yearly,
        r.portability_saves,
    ];
    xs.iter().all(|x| x.is_finite())
        && r.ranking.iter().all(|x| x.score.is_finite())
        && match r.payback_at_ten_percent {
            Payback::Months(m) => m.is_finite() && m >= 0.0,
            Payback::Never => true,
        }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// More experience with a provider never lowers its score, nor its place in the ranking.
    #[test]
    fn more_expertise_never_hurts(p in situation(), i in 0usize..3) {
        let prov = Provider::ALL[i];
        let before = score(&p, prov);
        let place = order(&p).iter().position(|&q| q == prov).unwrap();
        for e in Expertise::ALL {
            if e >= p.expertise[i] {
                let mut q = p;
                q.expertise[i] = e;
                prop_assert!(score(&q, prov) >= before);
                prop_assert!(order(&q).iter().position(|&x| x == prov).unwrap() <= place);
            }
        }
    }

    /// Deterministic: the same input gives the same report.
    #[test]
    fn deterministic(p in situation()) {
        prop_assert_eq!(analyse(&p, &A), analyse(&p, &A));
    }

    /// A customer-account requirement picks its provider whatever the team knows.
    #[test]
    fn customer_accounts_decide(p in situation(), i in 0usize..3) {
        let prov = Provider::ALL[i];
        let q = CloudParams { requirement: Requirement::CustomerAccount(prov), ..p };
        let r = analyse(&q, &A);
        prop_assert_eq!(r.winner, prov);
        prop_assert_eq!(r.forced, Some(prov));
        prop_assert!(!r.tied);
    }

    /// Switching cost is linear in engineers (learning and rework) and in terabytes (egress).
    #[test]
    fn switching_is_linear(p in situation(), n in 1u32..=250, tb in 0.0f64..2_500.0, i in 0usize..3) {
        let prov = Provider::ALL[i];
        let base = CloudParams { engineers: n, data_tb: tb, ..p };
        let twice_people = CloudParams { engineers: 2 * n, ..base };
        let twice_data = CloudParams { data_tb: 2.0 * tb, ..base };
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()));
        prop_assert!(close(learning_cost(&twice_people, &A, prov), 2.0 * learning_cost(&base, &A, prov)));
        prop_assert!(close(rework_cost(&twice_people, &A), 2.0 * rework_cost(&base, &A)));
        // Tiered egress: twice the data costs more, but at most twice as much (rates only fall).
        let listed = |p: &CloudParams| egress_cost(&CloudParams { exit: Exit::List, ..*p }, prov);
        prop_assert!(listed(&twice_data) >= listed(&base));
        prop_assert!(listed(&twice_data) <= 2.0 * listed(&base) + 1e-6 + prov.egress().free_gb * 0.2);
        prop_assert_eq!(egress_cost(&CloudParams { exit: Exit::Waiver, ..base }, prov), 0.0);
        prop_assert!(close(
            switching_cost(&base, &A, prov, Provider::Aws),
            learning_cost(&base, &A, Provider::Aws) + rework_cost(&base, &A) + egress_cost(&base, prov)
        ));
        // Egress does not depend on people, nor learning on data.
        prop_assert_eq!(egress_cost(&twice_people, prov), egress_cost(&base, prov));
        prop_assert_eq!(learning_cost(&twice_data, &A, prov), learning_cost(&base, &A, prov));
    }

    /// The readouts' payback figures are the formulas, exactly.
    #[test]
    fn payback_figures_are_exact(p in situation()) {
        let r = analyse(&p, &A);
        let s = p.clamped();
        prop_assert_eq!(r.saving_needed_monthly, r.switching / A.payback_months);
        prop_assert_eq!(r.saving_needed_share, r.saving_needed_monthly / s.monthly_spend);
        prop_assert_eq!(r.payback_at_ten_percent, payback(r.switching, 0.1 * s.monthly_spend));
        if let Payback::Months(m) = r.payback_at_ten_percent {
            prop_assert_eq!(m, r.switching / (0.1 * s.monthly_spend));
        }
        // Paying back within the horizon at exactly the needed saving.
        if r.switching > 0.0 {
            match payback(r.switching, r.saving_needed_monthly) {
                Payback::Months(m) => prop_assert!((m - A.payback_months).abs() < 1e-9),
                Payback::Never => prop_assert!(false, "needed saving never pays back"),
            }
        }
    }

    /// No input, however extreme, produces NaN or infinity; text never shows "NaN" or "inf".
    #[test]
    fn extremes_stay_finite(p in situation(), loaded in any_f64(), ramp in any_f64(), share in any_f64()) {
        let a = CloudAssumptions { loaded_monthly: loaded, ramp_months_none: ramp, self_run_share: share, ..A };
        let r = analyse(&p, &a);
        prop_assert!(finite(&r), "{r:?}");
        prop_assert!(r.egress_list.is_finite() && r.lockin.invest.is_finite());
        prop_assert!(r.break_even.is_none_or(|p| p.is_finite() && p >= 0.0));
        for t in [&r.verdict, &r.learning_text, &r.egress_text, &r.switching_text, &r.payback_text, &r.portability_text, &r.break_even_text]
            .into_iter()
            .chain(r.reasons.iter())
        {
            prop_assert!(!t.contains("NaN") && !t.contains("inf"), "{t}");
        }
        prop_assert!(finite(&analyse(&p, &A)));
        prop_assert!(r.switching >= 0.0 && r.learning >= 0.0 && r.egress >= 0.0);
    }

    /// Parsing any query gives parameters inside the ranges.
    #[test]
    fn any_query_clamps(engineers in any_f64(), spend in any_f64(), data in any_f64(), needs in -5i32..20) {
        let q = format!(
            "engineers={}&spend={}&data={}&needs={needs}",
            model::fmt::number(engineers),
            model::fmt::number(spend),
            model::fmt::number(data)
        );
        let p = cloud_params(&CLOUD_FIT.parse_query(&q).0);
        prop_assert!((1..=500).contains(&p.engineers));
        prop_assert!((1_000.0..=2_000_000.0).contains(&p.monthly_spend));
        prop_assert!((0.0..=5_000.0).contains(&p.data_tb));
    }
}

/// The dated tier tables against the design's golden values (2B, test 1, 2 and 4): the free
/// allowance deducted first, tiers applied to the billable volume, 1 TB = 1,024 GB.
#[test]
fn egress_tiers_golden() {
    let gb = |tb: f64| tb * GB_PER_TB;
    let cases: &[(&EgressTable, f64, f64)] = &[
        // 5 TB: AWS (5,120 − 100) × 0.09; Azure (5,120 − 100) × 0.087; GCP 1,024 × 0.12 + 4,096 × 0.11.
        (&AWS_EGRESS, 5.0, 451.80),
        (&AZURE_EGRESS, 5.0, 436.74),
        (&GCP_EGRESS, 5.0, 573.44),
        // 20 TB on AWS: 10,240 × 0.09 + 10,140 × 0.085.
        (&AWS_EGRESS, 20.0, 1_783.50),
        // 500 TB out of AWS, no waiver: 10,240 × 0.09 + 40,960 × 0.085 + 102,400 × 0.07 + 358,300 × 0.05.
        (&AWS_EGRESS, 500.0, 29_486.20),
        // 2,000 TB: the same walk with 1,894,300 GB at $0.05.
        (&AWS_EGRESS, 2_000.0, 106_286.20),
        (&AWS_EGRESS, 0.0, 0.0),
        (&AWS_EGRESS, 100.0 / 1_024.0, 0.0), // inside the free 100 GB
    ];
    for &(t, tb, want) in cases {
        let got = egress_list_cost(t, gb(tb));
        assert!((got - want).abs() < 1e-6, "{:?} {tb} TB: {got} vs {want}", t.provider);
    }
    // The spread at 5 TB between the dearest and the cheapest list price: $136.70.
    let five: Vec<f64> =
        [&AWS_EGRESS, &AZURE_EGRESS, &GCP_EGRESS].iter().map(|t| egress_list_cost(t, gb(5.0))).collect();
    let spread = five.iter().cloned().fold(f64::MIN, f64::max) - five.iter().cloned().fold(f64::MAX, f64::min);
    assert!((spread - 136.70).abs() < 1e-6, "{spread}");
    // The old flat $0.09/GB overstated 2,000 TB by 184,320 / 106,286.20 ≈ 1.73×.
    let ratio = gb(2_000.0) * FLAT_EGRESS_PER_GB / egress_list_cost(&AWS_EGRESS, gb(2_000.0));
    assert!((ratio - 1.734).abs() < 1e-3, "{ratio}");
    // Nonsense volumes cost nothing rather than NaN.
    assert_eq!(egress_list_cost(&AWS_EGRESS, f64::NAN), 0.0);
    assert_eq!(egress_list_cost(&AWS_EGRESS, -5.0), 0.0);
    // Every table is dated and sourced, and every provider has a dated waiver.
    for p in Provider::ALL {
        assert_eq!(p.egress().provider, p);
        assert!(!p.egress().as_of.is_empty() && !p.egress().source.is_empty());
        assert_eq!(p.exit_waiver().provider, p);
        assert!(p.exit_waiver().announced.ends_with("2024"));
    }
}

/// The waiver is in the model: a full exit pays no egress, list prices pay the tiers of the
/// provider being left.
#[test]
fn exit_waiver_and_list_prices() {
    let big = CloudParams { data_tb: 2_000.0, ..CloudParams::EXAMPLE };
    let waived = analyse(&big, &A);
    let listed = analyse(&CloudParams { exit: Exit::List, ..big }, &A);
    assert_eq!(waived.egress, 0.0);
    assert!((listed.egress - 106_286.2).abs() < 1e-6);
    assert_eq!(listed.egress, waived.egress_list);
    assert!((listed.switching - waived.switching - 106_286.2).abs() < 1e-6);
    assert_eq!(listed.egress_flat, 184_320.0);
    assert_eq!(
        listed.egress_text,
        "$106,286 for 2,000 TB at AWS's list tiers (as of December 2026); a flat $0.09/GB would say $184,320"
    );
    // Leaving Azure or Google Cloud prices their own tiers.
    let from_gcp = CloudParams { expertise: [No, No, Deep], exit: Exit::List, data_tb: 5.0, ..big };
    assert!((analyse(&from_gcp, &A).egress - 573.44).abs() < 1e-6);
}

/// Hohpe's break-even (design 2B, test 5): invest $300k to cut a $2.0M switch to $0.5M.
#[test]
fn lock_in_break_even_golden() {
    let l = LockIn { invest: 300_000.0, switch_without: 2_000_000.0, switch_with: 500_000.0 };
    let cases = [(0.10, 200_000.0, 350_000.0), (0.25, 500_000.0, 425_000.0), (0.20, 400_000.0, 400_000.0)];
    for (p, without, with) in cases {
        assert!((l.expected_without(p) - without).abs() < 1e-6, "{p}");
        assert!((l.expected_with(p) - with).abs() < 1e-6, "{p}");
    }
    assert!((l.break_even().unwrap() - 0.2).abs() < 1e-12);
    // Nothing saved: never pays.
    assert_eq!(LockIn { switch_with: 2_000_000.0, ..l }.break_even(), None);
    let (a, b) = l.curves(4);
    assert_eq!(a, vec![(0.0, 0.0), (0.25, 500_000.0), (0.5, 1_000_000.0), (0.75, 1_500_000.0), (1.0, 2_000_000.0)]);
    assert_eq!(b[0], (0.0, 300_000.0));
    // In the widget's example: running the portable stack for 24 months ($432,000) against the
    // $360,000 it saves on a move: break-even 1.2, so it never pays within two years.
    let r = analyse(&CloudParams::EXAMPLE, &A);
    assert!((r.lockin.invest - 432_000.0).abs() < 1e-6);
    assert!((r.lockin.switch_without - r.lockin.switch_with - 360_000.0).abs() < 1e-6);
    assert!((r.break_even.unwrap() - 1.2).abs() < 1e-12);
    assert!(r.break_even_text.starts_with("Never pays within 24 months"), "{}", r.break_even_text);
    // A team that knows the runner-up not at all saves more by being portable: 12 × (1.5 + 1.5)
    // months × $15,000 = $540,000 against $432,000, break-even 80%.
    let r = analyse(&CloudParams { expertise: [Deep, No, No], ..CloudParams::EXAMPLE }, &A);
    assert!((r.break_even.unwrap() - 0.8).abs() < 1e-12, "{:?}", r.break_even);
    assert_eq!(
        r.break_even_text,
        "Pays if the chance of moving within 24 months is above 80%; at your 20%: $180,000 expected without it, $504,000 with it"
    );
}
