//! The queue-vs-log model against the fluid-queue closed forms: peak backlog (kλ − μ)·b, drain
//! time peak / (μ − λ), a log's parallelism min(consumers, partitions), storage linear in rate,
//! size and retention, replay within retention; the time-stepped simulation held to the closed
//! forms; monotonicity and no NaN or infinity on any input.

mod common;

use common::close;
use model::messaging::*;
use proptest::prelude::*;

const P: MessagingParams = MessagingParams::ILLUSTRATIVE;

// ---------------------------------------------------------------------------------------------
// Closed forms, case by case
// ---------------------------------------------------------------------------------------------

/// (rate, factor, burst s, capacity, expected backlog).
#[test]
fn burst_backlog_cases() {
    let cases: &[(f64, f64, f64, f64, Backlog)] = &[
        // kλ ≤ μ: nothing waits.
        (1_000.0, 3.0, 120.0, 3_000.0, Backlog::KeepsUp),
        (1_000.0, 1.0, 120.0, 1_000.0, Backlog::KeepsUp),
        // λ < μ < kλ: (3000 − 1600)·120 = 168,000, drained at 600/s in 280 s, worst wait 105 s.
        (1_000.0, 3.0, 120.0, 1_600.0, Backlog::Drains { peak: 168_000.0, drain_s: 280.0, worst_wait_s: 105.0 }),
        (1_000.0, 3.0, 120.0, 1_200.0, Backlog::Drains { peak: 216_000.0, drain_s: 1_080.0, worst_wait_s: 180.0 }),
        (100.0, 2.0, 10.0, 150.0, Backlog::Drains { peak: 500.0, drain_s: 10.0, worst_wait_s: 500.0 / 150.0 }),
        // μ = λ: the burst's backlog stays; μ < λ: it grows.
        (1_000.0, 3.0, 100.0, 1_000.0, Backlog::NeverDrains { after_burst: 200_000.0, growth_per_s: 0.0 }),
        (1_000.0, 2.0, 10.0, 800.0, Backlog::NeverDrains { after_burst: 12_000.0, growth_per_s: 200.0 }),
        (1_000.0, 1.0, 10.0, 800.0, Backlog::NeverDrains { after_burst: 2_000.0, growth_per_s: 200.0 }),
        // Garbage counts as zero (factor as 1).
        (f64::NAN, 3.0, 120.0, 100.0, Backlog::KeepsUp),
        (1_000.0, f64::INFINITY, 120.0, 1_500.0, Backlog::KeepsUp),
        (1_000.0, 2.0, -5.0, 1_500.0, Backlog::KeepsUp),
        (1_000.0, 2.0, 0.0, 500.0, Backlog::NeverDrains { after_burst: 0.0, growth_per_s: 500.0 }),
        (1_000.0, 2.0, 10.0, f64::NAN, Backlog::NeverDrains { after_burst: 20_000.0, growth_per_s: 1_000.0 }),
    ];
    for &(rate, k, b, mu, want) in cases {
        assert_eq!(burst_backlog(rate, k, b, mu), want, "λ {rate} ×{k} for {b} s, μ {mu}");
    }
}

#[test]
fn parallelism_is_capped_by_partitions_on_the_log_only() {
    for (consumers, partitions, queue, log) in
        [(8, 6, 8, 6), (4, 12, 4, 4), (6, 6, 6, 6), (1, 64, 1, 1), (64, 1, 64, 1)]
    {
        let p = MessagingParams { consumers, partitions, ..P };
        assert_eq!(busy_consumers(&p, System::Queue), queue);
        assert_eq!(busy_consumers(&p, System::Log), log);
        assert_eq!(capacity_per_s(&p, System::Log), log as f64 * p.per_consumer_per_s);
    }
}

#[test]
fn the_illustrative_report() {
    let r = analyse(&P);
    assert_eq!(r.queue.text.parallelism, "8 of 8 busy");
    assert_eq!(r.log.text.parallelism, "6 of 8 busy: 6 partitions");
    assert_eq!((r.queue.capacity_per_s, r.log.capacity_per_s), (1_600.0, 1_200.0));
    assert_eq!(r.queue.text.peak, "168,000 messages");
    assert_eq!(r.log.text.peak, "216,000 messages");
    assert_eq!(r.queue.text.drain, "4 min 40 s after the burst");
    assert_eq!(r.log.text.drain, "18 min after the burst");
    assert_eq!(r.queue.text.worst_wait, "1 min 45 s");
    assert_eq!(r.log.text.worst_wait, "3 min");
    assert_eq!(r.queue.text.order, "none overall: 8 consumers finish out of order");
    assert_eq!(r.log.text.order, "per key, within each of 6 partitions");
    // 1,000 msg/s × 1 KB × 168 h × 3 replicas; 168,000 waiting × 3 queues × 1 KB × 3.
    assert_eq!(r.log.storage_bytes, 1_000.0 * 1_000.0 * 168.0 * 3_600.0 * 3.0);
    assert_eq!(r.log.text.storage, "1.8 TB (168 h × 3 replicas)");
    assert_eq!(r.queue.text.storage, "1.5 GB at the peak (only what waits)");
    assert_eq!(r.queue.text.fan_out, "3 queues: every message written 3 times");
    assert_eq!(r.log.text.fan_out, "1 copy, read by 3 groups");
    assert_eq!(r.queue.text.replay, "no: acknowledged messages are deleted");
    // 24 h × 3,600 s × 1,000 msg/s = 86.4 million, reread at 1,200 msg/s in 72,000 s = 20 h.
    // Catching up with live traffic: the lag shrinks at 1,200 − 1,000 = 200 msg/s, so 86.4 million
    // take 432,000 s = 5 days.
    assert_eq!(r.log.text.replay, "yes: 86.4 million messages, reread in 20 h; level with live traffic after 5 days");
    assert_eq!(r.log.text.replay_cap, "the 6 partitions: one consumer each, the others idle");
    assert_eq!(
        r.summary,
        "Under a 3× burst for 2 min, the queue clears its backlog 4 min 40 s after the burst; the log clears its \
         lag 18 min after the burst. Only 6 of the log's 8 consumers work, one per partition: add partitions, not \
         consumers. For 3 readers the queue writes every message 3 times and the log once; a bug found 24 h later \
         can be replayed from the log, not from the queue."
    );
}

#[test]
fn the_presets_tell_their_stories() {
    // Slow jobs: the queue uses 20 consumers, the log 6, below the steady rate.
    let r = analyse(&MessagingParams::JOBS);
    assert!(matches!(r.queue.backlog, Backlog::Drains { .. }));
    assert!(matches!(r.log.backlog, Backlog::NeverDrains { growth_per_s, .. } if growth_per_s == 80.0));
    assert_eq!(r.log.text.drain, "never");
    assert_eq!(r.log.text.peak, "grows 80 msg/s, forever");
    assert!(r.summary.contains("the log never catches up"), "{}", r.summary);
    assert!(r.summary.contains(" A bug found 48 h later is past the log's 24 h retention"), "{}", r.summary);
    // Fan-out: both sides have the same capacity; only copies and storage differ.
    let r = analyse(&MessagingParams::FAN_OUT);
    assert_eq!(r.queue.backlog, r.log.backlog);
    assert_eq!(r.queue.backlog, Backlog::KeepsUp);
    assert_eq!(r.queue.text.storage, "almost none: nothing waits");
    assert_eq!((r.queue.copies, r.log.copies), (8, 1));
    assert!(r.summary.starts_with("Under a 2× burst for 1 min, queue and log both keep up."), "{}", r.summary);
}

#[test]
fn too_few_consumers_anywhere() {
    let r = analyse(&MessagingParams { consumers: 4, partitions: 2, ..P });
    assert!(
        r.summary.starts_with(
            "Under a 3× burst for 2 min, neither queue nor log catches up. 800 msg/s of consumers cannot keep up \
             with 1,000 msg/s arriving: add consumers or make them faster, and give the log a partition for each."
        ),
        "{}",
        r.summary
    );
    let r = analyse(&MessagingParams { consumers: 5, partitions: 5, ..P });
    assert!(
        r.summary.starts_with("Under a 3× burst for 2 min, queue and log both never clear their backlogs. 1,000 msg/s"),
        "{}",
        r.summary
    );
    assert_eq!(r.queue.text.peak, "240,000 messages, never shrinks");
}

#[test]
fn ordering_and_replay_edges() {
    let one = analyse(&MessagingParams { consumers: 1, partitions: 1, readers: 1, ..P });
    assert_eq!(one.queue.text.order, "in order (one consumer); a redelivery breaks it");
    assert_eq!(one.log.text.order, "total (one partition)");
    assert_eq!(one.queue.text.fan_out, "1 queue");
    assert_eq!(one.log.text.fan_out, "1 copy, 1 group");
    // Replay is possible exactly up to the retention.
    for (bug, retention, possible) in [(24.0, 168.0, true), (168.0, 168.0, true), (169.0, 168.0, false)] {
        let p = MessagingParams { bug_found_h: bug, retention_h: retention, ..P };
        assert_eq!(matches!(replay(&p, System::Log), Replay::Possible { .. }), possible, "{bug} h / {retention} h");
        assert_eq!(replay(&p, System::Queue), Replay::Deleted);
    }
    let past = analyse(&MessagingParams { bug_found_h: 200.0, ..P });
    assert_eq!(past.log.text.replay, "no: older than the 168 h retention");
}

#[test]
fn formatting() {
    for (s, want) in [
        (0.0, "0 s"),
        (0.44, "440 ms"),
        (45.4, "45 s"),
        (59.6, "1 min"),
        (280.0, "4 min 40 s"),
        (3_600.0, "1 h"),
        (7_500.0, "2 h 5 min"),
        (72_000.0, "20 h"),
        (3.0 * 86_400.0, "3 days"),
        (1e9, "11,574 days"),
        (f64::INFINITY, "0 s"),
        (f64::NAN, "0 s"),
    ] {
        assert_eq!(model::fmt::duration(s, model::fmt::Unit::S), want, "{s}");
    }
    for (b, want) in [
        (0.0, "0 B"),
        (512.0, "512 B"),
        (999.6, "1 KB"),
        (1.512e9, "1.5 GB"),
        (1.8144e12, "1.8 TB"),
        (181e12, "181 TB"),
        (f64::NAN, "0 B"),
    ] {
        assert_eq!(model::fmt::bytes(b), want, "{b}");
    }
    for (n, want) in [
        (1.0, "1 message"),
        (168_000.0, "168,000 messages"),
        (86.4e6, "86.4 million messages"),
        (2.5e9, "2.5 billion messages"),
    ] {
        assert_eq!(messages(n), want, "{n}");
    }
}

// ---------------------------------------------------------------------------------------------
// The simulation against the closed forms
// ---------------------------------------------------------------------------------------------

/// The time-stepped backlog peaks at the closed form's (kλ − μ)·b at the end of the burst and
/// is empty again within a step of the closed form's drain time.
fn check_simulation(p: &MessagingParams) {
    let p = p.clamped();
    let t = timeline(&p);
    assert!(t.burst_start_s < t.burst_end_s && t.burst_end_s <= t.horizon_s);
    assert!(t.horizon_s <= MAX_HORIZON_S.max(t.burst_end_s));
    for system in [System::Queue, System::Log] {
        let mu = capacity_per_s(&p, system);
        let run = simulate(&p, mu, &t);
        assert!(run.points.len() as u64 <= CHART_POINTS + 4, "{} points", run.points.len());
        assert!(run.points.windows(2).all(|w| w[0].0 < w[1].0), "points in time order");
        assert!(run.points.iter().all(|&(_, b)| b.is_finite() && b >= 0.0));
        match burst_backlog(p.rate_per_s, p.burst_factor, p.burst_s, mu) {
            Backlog::KeepsUp => assert_eq!(run.peak, 0.0, "{p:?}"),
            Backlog::Drains { peak, drain_s, .. } => {
                assert!(close(run.peak, peak, 1e-9), "{system:?}: simulated {} vs {peak}", run.peak);
                assert_eq!(run.peak_at_ms, t.burst_end_s * 1_000, "peaks when the burst ends");
                if let Some(at) = run.drained_at_ms {
                    let sim = (at - t.burst_end_s * 1_000) as f64 / 1_000.0;
                    assert!(
                        sim >= drain_s - 1e-6 * drain_s - 1e-9 && sim <= drain_s * (1.0 + 1e-6) + 0.2,
                        "{system:?}: drained in {sim} s, closed form {drain_s} s"
                    );
                } else {
                    // Not within the chart: only when the drain runs past the horizon.
                    assert!(t.burst_end_s as f64 + drain_s > t.horizon_s as f64 - 0.2, "{p:?}");
                }
            }
            Backlog::NeverDrains { growth_per_s, .. } => {
                assert_eq!(run.drained_at_ms, None);
                // After the burst the backlog grows at λ − μ (from wherever it stood).
                let after = run.points.iter().filter(|&&(ms, _)| ms >= t.burst_end_s * 1_000).collect::<Vec<_>>();
                if let (Some(&&(t0, b0)), Some(&&(t1, b1))) = (after.first(), after.last()) {
                    if t1 > t0 {
                        let slope = (b1 - b0) / ((t1 - t0) as f64 / 1_000.0);
                        assert!(close(slope, growth_per_s, 1e-6), "{system:?}: slope {slope} vs {growth_per_s}");
                    }
                }
            }
        }
    }
}

#[test]
fn simulation_matches_the_closed_forms() {
    for p in MessagingParams::PRESETS.map(|(_, p)| p) {
        check_simulation(&p);
    }
    // Drains within the chart; drains past it; never drains; keeps up.
    check_simulation(&MessagingParams { rate_per_s: 1_000.0, consumers: 5, partitions: 5, ..P });
    check_simulation(&MessagingParams { rate_per_s: 1_000.0, consumers: 6, per_consumer_per_s: 170.0, ..P });
    check_simulation(&MessagingParams { rate_per_s: 5_000.0, ..P });
    check_simulation(&MessagingParams { rate_per_s: 100.0, ..P });
    let r = simulate(&P, 1_600.0, &timeline(&P));
    assert_eq!(r.drained_at_ms, Some((timeline(&P).burst_end_s + 280) * 1_000));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn simulation_matches_the_closed_forms_random(p in in_range()) {
        check_simulation(&p);
    }

    /// Adding consumers beyond the partitions changes nothing on the log.
    #[test]
    fn consumers_beyond_partitions_change_nothing_on_the_log(p in in_range(), extra in 1u32..50) {
        let at = MessagingParams { consumers: p.partitions, ..p };
        let more = MessagingParams { consumers: p.partitions + extra, ..p };
        prop_assert_eq!(busy_consumers(&more, System::Log), p.partitions);
        let (a, b) = (analyse(&at), analyse(&more));
        prop_assert_eq!(a.log.capacity_per_s, b.log.capacity_per_s);
        prop_assert_eq!(a.log.backlog, b.log.backlog);
        prop_assert_eq!(a.log.replay, b.log.replay);
        let t = timeline(&at);
        prop_assert_eq!(simulate(&at, a.log.capacity_per_s, &t), simulate(&more, b.log.capacity_per_s, &t));
        prop_assert_eq!(b.log.idle, extra);
    }

    /// More consumers or faster ones never make a backlog worse; a higher rate never makes it
    /// better.
    #[test]
    fn backlog_is_monotone(p in in_range(), extra in 1u32..20, faster in 1.0f64..3.0, busier in 1.0f64..3.0) {
        for system in [System::Queue, System::Log] {
            let base = severity(&p, system);
            let more = MessagingParams { consumers: p.consumers + extra, partitions: p.partitions + extra, ..p };
            let fast = MessagingParams { per_consumer_per_s: p.per_consumer_per_s * faster, ..p };
            let heavy = MessagingParams { rate_per_s: p.rate_per_s * busier, ..p };
            prop_assert!(severity(&more, system) <= base);
            prop_assert!(severity(&fast, system) <= base);
            prop_assert!(severity(&heavy, system) >= base);
        }
        // The queue never does worse than the log: its parallelism is never lower.
        prop_assert!(severity(&p, System::Queue) <= severity(&p, System::Log));
    }

    /// Log storage is linear in the rate, the message size and the retention.
    #[test]
    fn storage_is_linear(p in in_range(), m in 1.0f64..4.0) {
        let base = log_storage_bytes(&p);
        for scaled in [
            MessagingParams { rate_per_s: p.rate_per_s * m, ..p },
            MessagingParams { message_kb: p.message_kb * m, ..p },
            MessagingParams { retention_h: p.retention_h * m, ..p },
        ] {
            prop_assert!(close(log_storage_bytes(&scaled), base * m, 1e-12));
        }
        // More readers: the queues store more, the log the same.
        let more = MessagingParams { readers: p.readers + 1, ..p };
        prop_assert_eq!(log_storage_bytes(&more), base);
        prop_assert!(queue_storage_bytes(&more, 1_000.0) > queue_storage_bytes(&p, 1_000.0));
    }

    /// Whatever the input (out of range, NaN, infinite), every number is finite and no text says
    /// NaN or inf.
    #[test]
    fn extremes_are_finite(p in wild_params()) {
        let r = analyse(&p);
        for s in [&r.queue, &r.log] {
            prop_assert!(s.capacity_per_s.is_finite() && s.capacity_per_s > 0.0);
            prop_assert!(s.storage_bytes.is_finite() && s.storage_bytes >= 0.0);
            match s.backlog {
                Backlog::KeepsUp => {}
                Backlog::Drains { peak, drain_s, worst_wait_s } => {
                    prop_assert!(peak.is_finite() && drain_s.is_finite() && worst_wait_s.is_finite());
                }
                Backlog::NeverDrains { after_burst, growth_per_s } => {
                    prop_assert!(after_burst.is_finite() && growth_per_s.is_finite());
                }
            }
            let t = &s.text;
            for text in [&t.parallelism, &t.capacity, &t.peak, &t.drain, &t.worst_wait, &t.order, &t.storage, &t.fan_out, &t.replay] {
                prop_assert!(!text.contains("NaN") && !text.contains("inf") && !text.contains('∞'), "{}", text);
            }
        }
        prop_assert!(!r.summary.contains("NaN") && !r.summary.contains("inf"), "{}", r.summary);
        prop_assert!(r.chart.queue.iter().chain(&r.chart.log).all(|&(x, y)| x.is_finite() && y.is_finite()));
        prop_assert!(r.timeline.horizon_s <= MAX_HORIZON_S + 3_600 + 600);
    }
}

/// How bad a backlog is, as a totally ordered number: 0 keeps up, the peak while it drains, and
/// beyond every peak when it never drains (more so the faster it grows).
fn severity(p: &MessagingParams, system: System) -> (u8, f64) {
    let p = p.clamped();
    match burst_backlog(p.rate_per_s, p.burst_factor, p.burst_s, capacity_per_s(&p, system)) {
        Backlog::KeepsUp => (0, 0.0),
        Backlog::Drains { peak, .. } => (1, peak),
        Backlog::NeverDrains { growth_per_s, .. } => (2, growth_per_s),
    }
}

/// Parameters inside the widget's ranges (whole seconds, whole counts).
fn in_range() -> impl Strategy<Value = MessagingParams> {
    (
        (10u32..=2_000).prop_map(|x| x as f64 * 10.0),
        (2u32..=20).prop_map(|x| x as f64 * 0.5),
        (1u32..=90).prop_map(|x| x as f64 * 10.0),
        1u32..=64,
        (1u32..=500).prop_map(|x| x as f64 * 10.0),
        1u32..=64,
        1u32..=10,
        1u32..=720,
        (1u32..=1_000).prop_map(|x| x as f64 / 10.0),
        1u32..=720,
    )
        .prop_map(|(rate, k, b, c, r, parts, readers, ret, kb, bug)| MessagingParams {
            rate_per_s: rate,
            burst_factor: k,
            burst_s: b,
            consumers: c,
            per_consumer_per_s: r,
            partitions: parts,
            readers,
            retention_h: ret as f64,
            message_kb: kb,
            bug_found_h: bug as f64,
            ..P
        })
}

fn wild(lo: f64, hi: f64) -> BoxedStrategy<f64> {
    prop_oneof![
        4 => lo..=hi,
        1 => any::<f64>(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(-1.0),
    ]
    .boxed()
}

fn wild_params() -> impl Strategy<Value = MessagingParams> {
    (
        (wild(1.0, 1e6), wild(1.0, 100.0), wild(1.0, 3_600.0), any::<u32>(), wild(1.0, 1e6)),
        (any::<u32>(), any::<u32>(), wild(1.0, 87_600.0), wild(0.01, 10_000.0), any::<u32>(), wild(0.0, 87_600.0)),
        (wild(0.0, 0.5), wild(1.0, 1_800.0)),
    )
        .prop_map(|((rate, k, b, c, r), (parts, readers, ret, kb, rf, bug), (hot, session))| MessagingParams {
            rate_per_s: rate,
            burst_factor: k,
            burst_s: b,
            consumers: c,
            per_consumer_per_s: r,
            partitions: parts,
            readers,
            retention_h: ret,
            message_kb: kb,
            replication: rf,
            bug_found_h: bug,
            hot_key_share: hot,
            session_timeout_s: session,
        })
}

// ---------------------------------------------------------------------------------------------
// The design's reference values (designs/messaging.md, widget 7B) and the fan-out replay
// ---------------------------------------------------------------------------------------------

/// The fan-out preset's replay: 72 h × 3,600 s × 2,000 msg/s = 518.4 million messages. Its group
/// has 4 consumers of 1,000 msg/s on 12 partitions, so the 4 consumers are the cap (not the
/// partitions): reread in 518.4 M / 4,000 = 129,600 s = 36 h; level with live traffic, which
/// keeps arriving at 2,000 msg/s, after 518.4 M / (4,000 − 2,000) = 259,200 s = 3 days. With 12
/// consumers (one per partition): 518.4 M / 12,000 = 43,200 s = 12 h.
#[test]
fn fan_out_replay_is_capped_by_consumers() {
    let r = analyse(&MessagingParams::FAN_OUT);
    match r.log.replay {
        Replay::Possible { messages, reread_s, catch_up_s, cap, reread_one_per_partition_s, .. } => {
            assert_eq!(messages, 518_400_000.0);
            assert!(close(reread_s, 129_600.0, 1e-9), "{reread_s}");
            assert!(close(catch_up_s.unwrap(), 259_200.0, 1e-9), "{catch_up_s:?}");
            assert_eq!(cap, ReplayCap::Consumers);
            assert!(close(reread_one_per_partition_s, 43_200.0, 1e-9));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(r.log.text.replay, "yes: 518.4 million messages, reread in 36 h; level with live traffic after 3 days");
    assert_eq!(r.log.text.replay_cap, "the group's 4 consumers; 12 (one per partition) would reread in 12 h");
}

/// M/M/c with λ = 300 msg/s and μ = 20 msg/s per consumer: (c, P(wait), Wq in ms).
#[test]
fn queue_side_waits_are_erlang_c() {
    let base = MessagingParams { rate_per_s: 300.0, per_consumer_per_s: 20.0, ..P };
    for (c, p_wait, wq_ms) in
        [(16, 0.730076, 36.504), (18, 0.361334, 6.022), (20, 0.160429, 1.604), (25, 0.012434, f64::NAN)]
    {
        match steady_wait(&MessagingParams { consumers: c, ..base }, System::Queue) {
            SteadyWait::Waits { p_wait: pw, mean_wait_s } => {
                assert!((pw - p_wait).abs() < 5e-7, "c={c}: P(wait) {pw}");
                if wq_ms.is_finite() {
                    assert!((mean_wait_s * 1e3 - wq_ms).abs() < 5e-4, "c={c}: Wq {} ms", mean_wait_s * 1e3);
                }
                if c == 20 {
                    // W = Wq + 1/μ = 1.604 + 50 = 51.604 ms.
                    assert!((mean_wait_s * 1e3 + 50.0 - 51.604).abs() < 5e-4);
                }
            }
            other => panic!("c={c}: {other:?}"),
        }
    }
    // c = 15: ρ = 1, no steady state.
    assert_eq!(
        steady_wait(&MessagingParams { consumers: 15, ..base }, System::Queue),
        SteadyWait::Unstable { load: 20.0 }
    );
    let r = analyse(&MessagingParams { consumers: 16, ..base });
    assert_eq!(r.queue.text.steady_wait, "M/M/c: 73% of messages wait, 37 ms on average");
}

/// A log with 12 partitions at 300 msg/s and 20 msg/s per consumer: the group's throughput is capped
/// at 240 msg/s for any C ≥ 12, so the lag grows 60 msg/s, 36,000 after 10 minutes; with 16
/// consumers 4 are idle.
#[test]
fn the_partition_cap() {
    let p = MessagingParams { hot_key_share: 0.0, burst_factor: 1.0, ..MessagingParams::HOT_KEY };
    for c in [12, 16, 40] {
        let q = MessagingParams { consumers: c, ..p };
        assert_eq!(capacity_per_s(&q, System::Log), 240.0);
        assert!(
            matches!(side_backlog(&q, System::Log), Backlog::NeverDrains { growth_per_s, .. } if growth_per_s == 60.0)
        );
        // The fluid simulation: 10 minutes after the lead-in, 36,000 more messages wait.
        let t = Timeline { burst_start_s: 5, burst_end_s: 5, horizon_s: 605 };
        let run = simulate_side(&q, System::Log, &t);
        assert!(close(run.end_backlog, 36_300.0, 1e-9), "{}", run.end_backlog);
    }
    let r = analyse(&p);
    assert_eq!((r.log.busy, r.log.idle), (12, 4));
}

/// A hot key with 10% of 300 msg/s sends 30 msg/s to one partition, more than one consumer's 20:
/// that partition's lag grows at least 10 msg/s whatever the partition count. With 12
/// partitions the partition also gets a twelfth of the rest: 30 + 270 / 12 = 52.5 msg/s, growing
/// 32.5 msg/s.
#[test]
fn a_hot_key_caps_one_partition() {
    let h = hot_key(&MessagingParams::HOT_KEY).unwrap();
    assert!(close(h.key_rate, 30.0, 1e-12));
    assert!(close(h.floor_growth_per_s, 10.0, 1e-12));
    assert!(close(h.partition_rate, 52.5, 1e-12));
    assert!(close(h.growth_per_s, 32.5, 1e-12));
    for partitions in [12, 24, 64] {
        let q = MessagingParams { partitions, consumers: partitions, ..MessagingParams::HOT_KEY };
        let h = hot_key(&q).unwrap();
        assert!(h.growth_per_s >= 10.0, "{partitions} partitions: {}", h.growth_per_s);
        assert!(
            matches!(side_backlog(&q, System::Log), Backlog::NeverDrains { growth_per_s, .. } if growth_per_s >= 10.0)
        );
    }
    let r = analyse(&MessagingParams::HOT_KEY);
    assert_eq!(
        r.log.text.hot_key,
        "52.5 msg/s on one partition, one consumer does 20: its lag grows 32.5 msg/s, at least 10 whatever the partitions"
    );
    // On the queue side the hot key changes nothing but its own line.
    let even = analyse(&MessagingParams { hot_key_share: 0.0, ..MessagingParams::HOT_KEY }).queue;
    assert_eq!((even.backlog, even.steady_wait), (r.queue.backlog, r.queue.steady_wait));
    assert_eq!(
        r.queue.text.hot_key,
        "30 msg/s for one key, spread over all consumers (a FIFO group would get one at a time)"
    );
}

/// A crashed consumer's partitions wait session.timeout.ms (45 s by default): one partition at
/// 300 / 12 = 25 msg/s backs up 25 × 45 = 1,125 messages before the group reassigns it.
#[test]
fn a_crash_stalls_for_the_session_timeout() {
    let p = MessagingParams { rate_per_s: 300.0, partitions: 12, consumers: 12, hot_key_share: 0.0, ..P };
    assert_eq!(crash_stall(&p), (45.0, 1_125.0));
    assert_eq!(analyse(&p).log.text.crash, "its partitions wait 45 s (session.timeout.ms): 1,125 messages back up");
    // Fewer consumers own more partitions each: 8 consumers on 12 partitions, the first 4 own
    // two (Kafka's range assignor), so the busiest backs up 50 × 45 = 2,250.
    assert_eq!(crash_stall(&MessagingParams { consumers: 8, ..p }), (45.0, 2_250.0));
}

/// The range assignor's uneven split: 12 partitions over 8 consumers gives 4 consumers two
/// partitions and 4 one, so a group that keeps up on average can still lag on its busiest members.
#[test]
fn lanes_follow_the_range_assignor() {
    let p = MessagingParams { partitions: 12, consumers: 8, ..P };
    let l = lanes(&p, System::Log);
    assert_eq!((l[0].consumers, l[1].consumers, l[2].consumers), (4, 4, 0));
    assert!(close(l[0].share, 8.0 / 12.0, 1e-12) && close(l[1].share, 4.0 / 12.0, 1e-12));
    assert!(close(busiest_consumer_rate(&p), 1_000.0 * 2.0 / 12.0, 1e-12));
    for q in [P, MessagingParams::JOBS, MessagingParams::FAN_OUT, MessagingParams::HOT_KEY, p] {
        let total: f64 = lanes(&q, System::Log).iter().map(|l| l.share).sum();
        assert!(close(total, 1.0, 1e-12), "{q:?}");
        let busy: u32 = lanes(&q, System::Log).iter().map(|l| l.consumers).sum();
        assert_eq!(busy, busy_consumers(&q, System::Log));
    }
}
