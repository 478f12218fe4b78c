//! The burn-rate model against the SRE Workbook's numbers and hand derivations: budgets, burn
//! thresholds, when each rule fires for constant error ratios from a clean state (exact, at the
//! threshold), time to exhaustion, the presets' story, edits and determinism.

mod common;

use common::assert_close;
use model::slo_burn::*;
use model::spec::DEFAULT_SEED;

/// A clean month (baseline 0) at 99.9 % over 30 days, with one incident of `ppm` covering it all.
fn constant(ppm: u32) -> Month {
    let p = BurnRateParams { baseline_ppm: 0, ..BurnRateParams::BIG_OUTAGE };
    Month::new(p, &[Incident { start: 0, duration: p.minutes(), ppm }])
}

#[test]
fn budgets_per_target_and_window() {
    assert_close(budget_minutes(0.999, 30), 43.2, 1e-9, "99.9% / 30 d");
    assert_close(budget_minutes(0.9999, 30), 4.32, 1e-9, "99.99% / 30 d");
    assert_close(budget_minutes(0.9995, 30), 21.6, 1e-9, "99.95% / 30 d");
    assert_close(budget_minutes(0.999, 28), 40.32, 1e-9, "99.9% / 28 d");
    // The widget's budgets in ppm agree: (1 − SLO) × minutes.
    for (ppm, days, want) in [(1_000, 30, 43.2), (100, 30, 4.32), (500, 30, 21.6), (1_000, 28, 40.32)] {
        assert_close(ppm as f64 / 1e6 * (days * DAY) as f64, want, 1e-9, "ppm budget");
    }
}

#[test]
fn burn_thresholds_from_budget_shares() {
    for ((share, hours), want) in [((0.02, 1.0), 14.4), ((0.05, 6.0), 6.0), ((0.10, 72.0), 1.0)] {
        assert_close(burn_threshold(share, hours, 720.0), want, 1e-9, "burn threshold");
    }
    // The rules carry exactly these (×10), with windows of 1 h, 6 h and 3 days.
    let burns: Vec<u64> = MULTI.iter().map(|r| r.burn_x10).collect();
    assert_eq!(burns, [144, 60, 10]);
    for (rule, share) in MULTI.iter().zip(MULTI_SHARES) {
        let derived = burn_threshold(share, rule.long as f64 / 60.0, 720.0);
        assert_close(derived * 10.0, rule.burn_x10 as f64, 1e-9, rule.name);
    }
    assert_eq!(MULTI.map(|r| (r.long, r.short, r.page)), [(60, 5, true), (360, 30, true), (4_320, 360, false)]);
}

#[test]
fn time_to_exhaust_per_burn_rate() {
    assert_close(days_to_exhaust(14.4, 30.0), 2.0833, 1e-4, "burn 14.4");
    assert_close(days_to_exhaust(6.0, 30.0), 5.0, 1e-12, "burn 6");
    assert_close(days_to_exhaust(1.0, 30.0), 30.0, 1e-12, "burn 1");
    // The month says the same at the playhead: a constant 1.44 % ratio (burn 14.4) from the
    // start leaves 3,000 minutes = 2.0833 days at the first minute's burn… of the whole budget.
    let m = constant(14_400);
    assert_close(m.burn_1h(60), 14.4, 1e-12, "burn over the first hour");
    let left = m.minutes_to_exhaust(60).unwrap() + 60.0;
    assert_close(left / DAY as f64, 2.0833, 1e-4, "time to exhaust from the month");
    let m = constant(6_000);
    assert_close((m.minutes_to_exhaust(360).unwrap() + 360.0) / DAY as f64, 5.0, 1e-9, "burn 6");
}

/// (rule index in `Month::first`, firing minute, exact crossing minutes, budget spent).
fn fires(m: &Month, rule: usize) -> Option<(u32, f64, f64)> {
    m.first()[rule].map(|f| (f.minute, f.crossed, f.spent))
}

#[test]
fn a_total_outage_from_a_clean_state() {
    let m = constant(PPM);
    // 1 h / 14.4: the 1-hour ratio m/60 > 0.0144 ⇔ m > 0.864 min: minute 1 (the long window
    // decides; the 5-minute window is above after 0.072 min). Spent 1/43.2 = 2.31 %.
    let (minute, crossed, spent) = fires(&m, 1).unwrap();
    assert_eq!(minute, 1);
    assert_close(crossed, 0.864, 1e-9, "crossing");
    assert_close(spent, 1.0 / 43.2, 1e-12, "spent");
    assert_close(crossing_minutes(1_000.0, 14.4, 5).unwrap(), 0.072, 1e-12, "short window crossing");
    assert_close(crossing_minutes(1_000.0, 14.4, 60).unwrap(), 0.864, 1e-12, "long window crossing");
    // 6 h / 6: m/360 > 0.006 ⇔ m > 2.16: minute 3, 6.94 %.
    let (minute, crossed, spent) = fires(&m, 2).unwrap();
    assert_eq!(minute, 3);
    assert_close(crossed, 2.16, 1e-9, "crossing");
    assert_close(spent, 3.0 / 43.2, 1e-12, "spent");
    // 3 d / 1 ticket: m/4320 > 0.001 ⇔ m > 4.32: minute 5, 11.57 %.
    let (minute, crossed, spent) = fires(&m, 3).unwrap();
    assert_eq!(minute, 5);
    assert_close(crossed, 4.32, 1e-9, "crossing");
    assert_close(spent, 5.0 / 43.2, 1e-12, "spent");
    // At each exact crossing, exactly the rule's budget share is spent: 2 %, 5 %, 10 %.
    for (i, share) in MULTI_SHARES.iter().enumerate() {
        let crossed = m.first()[i + 1].unwrap().crossed;
        assert_close(crossed / 43.2, *share, 1e-12, "share at the crossing");
    }
}

#[test]
fn a_constant_one_percent() {
    let m = constant(10_000); // burn 10
                              // 1 h / 14.4 never: 0.01 < 0.0144.
    assert_eq!(fires(&m, 1), None);
    assert_eq!(crossing_minutes(10.0, 14.4, 60), None);
    // 6 h / 6: 0.01·m/360 > 0.006 ⇔ m > 216; at 216 the ratio equals the threshold exactly and
    // 5.00 % is spent; strict `>` fires at 217 min (3 h 37 min), 5.02 % spent.
    let (minute, crossed, spent) = fires(&m, 2).unwrap();
    assert_eq!(minute, 217);
    assert_close(crossed, 216.0, 1e-9, "crossing");
    assert_close(spent, 2.17 / 43.2, 1e-12, "spent");
    assert_close(crossed * 0.01 / 43.2, 0.05, 1e-12, "5% at the crossing");
    assert_eq!(minutes_text(minute as f64), "3 h 37 min");
    // 3 d / 1 ticket: m > 432 → 433 min, 10.02 %.
    let (minute, crossed, spent) = fires(&m, 3).unwrap();
    assert_eq!(minute, 433);
    assert_close(crossed, 432.0, 1e-9, "crossing");
    assert_close(spent, 4.33 / 43.2, 1e-12, "spent");
}

#[test]
fn a_constant_two_percent() {
    let m = constant(20_000); // burn 20
                              // 1 h / 14.4: 0.02·m/60 > 0.0144 ⇔ m > 43.2: minute 44, 2.04 % spent (2.0 % at 43.2 min).
    let (minute, crossed, spent) = fires(&m, 1).unwrap();
    assert_eq!(minute, 44);
    assert_close(crossed, 43.2, 1e-9, "crossing");
    assert_close(spent, 0.88 / 43.2, 1e-12, "spent");
    assert_close(crossed * 0.02 / 43.2, 0.02, 1e-12, "2% at the crossing");
    // 6 h / 6: m > 108 → 109 min, 5.05 %.
    let (minute, crossed, spent) = fires(&m, 2).unwrap();
    assert_eq!(minute, 109);
    assert_close(crossed, 108.0, 1e-9, "crossing");
    assert_close(spent, 2.18 / 43.2, 1e-12, "spent");
    // 3 d: m > 216 → 217.
    assert_eq!(fires(&m, 3).map(|f| f.0), Some(217));
}

#[test]
fn exactly_at_the_threshold_never_fires() {
    // A constant 1.44 % is burn 14.4 exactly: never strictly above.
    assert_eq!(fires(&constant(14_400), 1), None);
    // 0.6 % is burn 6: the 6 h rule never fires; the 3 d rule does.
    let m = constant(6_000);
    assert_eq!(fires(&m, 2), None);
    assert!(fires(&m, 3).is_some());
    // A ratio exactly at the naive threshold (2 %) never pages; just above does.
    let p = BurnRateParams { baseline_ppm: 0, ..BurnRateParams::BIG_OUTAGE };
    let at = Month::new(p, &[Incident { start: 0, duration: 600, ppm: 20_000 }]);
    assert!(at.naive_pages().is_empty());
    let above = Month::new(p, &[Incident { start: 0, duration: 600, ppm: 20_001 }]);
    assert_eq!(above.naive_pages().len(), 1);
}

#[test]
fn the_presets_tell_the_story() {
    let month = |p: BurnRateParams| Month::new(p, p.incidents);
    let end = |m: &Month| (m.tally(false, m.minutes()), m.tally(true, m.minutes()));
    // Quiet: the naive rule pages on both blips (noise); the burn-rate rules stay silent.
    let (naive, multi) = end(&month(BurnRateParams::QUIET));
    assert_eq!((naive.pages, naive.noise, naive.misses), (2, 2, 0), "{naive:?}");
    assert_eq!((multi.pages, multi.noise, multi.misses, multi.tickets), (0, 0, 0, 0), "{multi:?}");
    // Slow burn: 1 % for 36 h, half the budget: the naive rule never pages (a miss); the 6 h rule
    // pages after 217 minutes.
    let m = month(BurnRateParams::SLOW_BURN);
    let (naive, multi) = end(&m);
    assert_eq!((naive.pages, naive.misses), (0, 1));
    assert_eq!((multi.pages, multi.misses, multi.noise), (1, 0, 0));
    let r = m.results()[0];
    assert_close(r.cost, 0.01 * 2_160.0 / 43.2 - 0.0001 * 2_160.0 / 43.2, 1e-9, "cost above baseline");
    // With the 0.01 % baseline in the rest of the 6 h window: 0.01·m + 0.0001·(360 − m) > 2.16
    // ⇔ m > 214.5: 215 minutes (217 from a clean state).
    let d = r.multi.unwrap();
    assert_eq!((d.at - r.incident.start, d.rule, d.page), (215, 2, true));
    // Big outage: both page at once; the budget runs out.
    let m = month(BurnRateParams::BIG_OUTAGE);
    let (naive, multi) = end(&m);
    assert_eq!((naive.pages, multi.pages, naive.misses, multi.misses), (1, 1, 0, 0));
    assert!(m.remaining(m.minutes()) < 0.0);
    assert_eq!(m.results()[0].naive.unwrap().at - m.results()[0].incident.start, 1);
    // Noisy: six harmless spikes, six naive pages, all noise; no burn-rate page.
    let (naive, multi) = end(&month(BurnRateParams::NOISY));
    assert_eq!((naive.pages, naive.noise), (6, 6));
    assert_eq!(multi.pages, 0);
    // A bit of everything: the naive rule pages on the blips and the outage but misses the leak;
    // the burn-rate rules page on the leak and the outage only.
    let (naive, multi) = end(&month(BurnRateParams::MONTH));
    assert_eq!((naive.pages, naive.noise, naive.misses), (3, 2, 1), "{naive:?}");
    assert_eq!((multi.pages, multi.noise, multi.misses), (2, 0, 0), "{multi:?}");
}

#[test]
fn edits_replay_and_the_clock() {
    use model::replay::Replayable;
    let st = BURN_RATE.parse_query("preset=slow-burn").0;
    let mut run = BurnRun::start(&st);
    let mut settings = st.clone();
    assert_eq!(run.month().incidents().len(), 1);
    // One second of replay clock is one simulated hour; the 30-day month ends at 720 s.
    assert_eq!(run.end_us(), 720 * HOUR_US);
    assert_eq!(minute_at(HOUR_US), 60);
    assert_eq!(us_at(1), 16_667);
    assert_eq!(minute_at(us_at(1)), 1);
    run.run_to(u64::MAX, 1);
    assert!(run.ended());
    assert_eq!(run.snapshot().minute, 43_200);
    // Edits: add, move, severity, duration, remove; each round-trips through its log entry.
    let actions = [
        BurnAction::Add(Incident { start: 100, duration: 30, ppm: PPM }),
        BurnAction::Move(1, 2_000),
        BurnAction::Severity(1, 50_000),
        BurnAction::Duration(1, 60),
        BurnAction::Remove(0),
        BurnAction::Set { key: "slo", value: 3.0 },
    ];
    for a in actions {
        assert_eq!(BurnAction::parse(&a.encode()), Some(a), "{}", a.encode());
        run.apply(&mut settings, &a);
    }
    assert_eq!(run.month().incidents(), &[Incident { start: 2_000, duration: 60, ppm: 50_000 }]);
    assert_eq!(run.month().params().budget_ppm, 500);
    assert_eq!(BurnAction::parse("set.scenario.2"), None, "the scenario restarts the month");
    assert_eq!(BurnAction::parse("del.99"), None);
    assert_eq!(BurnAction::parse("mv.1"), None);
    // A 28-day window clips the playhead and the incidents.
    run.apply(&mut settings, &BurnAction::Set { key: "window", value: 1.0 });
    assert_eq!(run.month().minutes(), 40_320);
    assert!(run.ended());
    assert_eq!(clock_text(4_505), "75.08 h · day 3, 03:05");
}

#[test]
fn random_months_are_seeded() {
    let a = random_incidents(8, 30, DEFAULT_SEED);
    assert_eq!(a, random_incidents(8, 30, DEFAULT_SEED));
    assert_ne!(a, random_incidents(8, 30, 2));
    assert!(a.iter().all(|i| i.end() <= 30 * DAY && SEVERITIES.contains(&i.ppm) && DURATIONS.contains(&i.duration)));
    assert_eq!(random_incidents(99, 30, 1).len(), MAX_INCIDENTS);
}

#[test]
fn step_through_severities() {
    assert_eq!(step_through(&SEVERITIES, 10_000, true), 15_000);
    assert_eq!(step_through(&SEVERITIES, 10_000, false), 5_000);
    assert_eq!(step_through(&SEVERITIES, 12_345, true), 15_000);
    assert_eq!(step_through(&SEVERITIES, PPM, true), PPM);
    assert_eq!(step_through(&SEVERITIES, 2_000, false), 2_000);
}
