//! "The same orders, two semantics": the partitioner against Kafka's own vectors, the assignors
//! against their javadoc, and the queue's and the log's behaviour in hand-worked runs, each
//! expected value derived in a comment. Then determinism, bounded memory, replay and properties.

use model::des::{Micros, MS, SEC};
use model::queue_semantics::*;
use proptest::prelude::*;

// ---- the partitioner ----------------------------------------------------------------------------

#[test]
fn murmur2_matches_kafkas_vectors() {
    // Kafka's UtilsTest.testMurmur2.
    for (key, want) in [
        ("21", -973_932_308),
        ("foobar", -790_332_482),
        ("abc", 479_470_107),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
    ] {
        assert_eq!(murmur2(key.as_bytes()), want, "{key}");
    }
    assert_eq!(to_positive(i32::MIN), 0);
    assert_eq!(to_positive(-1), 0x7fff_ffff);
}

#[test]
fn key_21_moves_from_partition_0_to_4() {
    // murmur2("21") = −973,932,308; as 32 bits that is 2³² − 973,932,308 = 3,321,034,988, and
    // toPositive keeps the low 31 bits: 3,321,034,988 − 2³¹ = 1,173,551,340.
    // 1,173,551,340 = 6 × 195,591,890 exactly, so partition 0 of 6;
    // 1,173,551,340 mod 8 = 340 mod 8 (1,000 is a multiple of 8) = 4, so partition 4 of 8.
    assert_eq!(to_positive(murmur2(b"21")), 1_173_551_340);
    assert_eq!(partition_for_key(b"21", 6), 0);
    assert_eq!(partition_for_key(b"21", 8), 4);
}

#[test]
fn most_customers_move_when_6_partitions_become_8() {
    // h mod 6 = h mod 8 exactly when h mod 24 is 0–5 (h mod 24 = r gives r mod 6 and r mod 8, equal
    // only for r < 6): 6 residues of 24, so a quarter of keys stay and 75 % move. Counting with
    // the port over customer-0 … customer-999: 777 move (77.7 %).
    let key = |n: u32| customer_key(n).into_bytes();
    let moved = (0..1_000).filter(|&n| partition_for_key(&key(n), 6) != partition_for_key(&key(n), 8)).count();
    assert_eq!(moved, 777);
    let stay_by_residue = (0..1_000).filter(|&n| to_positive(murmur2(&key(n))) % 24 < 6).count();
    assert_eq!(1_000 - stay_by_residue, moved, "the residue argument, key by key");
    // The four lane customers: (partition of 6, partition of 8).
    let lanes: Vec<(u32, u32)> =
        (0..4).map(|n| (partition_for_key(&key(n), 6), partition_for_key(&key(n), 8))).collect();
    assert_eq!(lanes, [(1, 3), (3, 1), (2, 6), (4, 2)]);
}

// ---- the assignors ------------------------------------------------------------------------------

/// "t0p1" style names of a member's partitions.
fn names(tps: &[TopicPartition]) -> Vec<String> {
    tps.iter().map(|(t, p)| format!("t{t}p{p}")).collect()
}

#[test]
fn assignors_reproduce_their_javadoc_examples() {
    let both: &[usize] = &[0, 1];
    let two = [both, both];
    // RangeAssignor: C0, C1 subscribe to t0 and t1 of 3 partitions each.
    let r = range_topics(&[3, 3], &two);
    assert_eq!(names(&r[0]), ["t0p0", "t0p1", "t1p0", "t1p1"]);
    assert_eq!(names(&r[1]), ["t0p2", "t1p2"]);
    // RoundRobinAssignor, the same setup.
    let rr = round_robin_topics(&[3, 3], &two);
    assert_eq!(names(&rr[0]), ["t0p0", "t0p2", "t1p1"]);
    assert_eq!(names(&rr[1]), ["t0p1", "t1p0", "t1p2"]);
    // RoundRobinAssignor, unequal subscriptions: C0 → t0; C1 → t0, t1; C2 → t0, t1, t2 with 1, 2
    // and 3 partitions.
    let unequal: [&[usize]; 3] = [&[0], &[0, 1], &[0, 1, 2]];
    let rr = round_robin_topics(&[1, 2, 3], &unequal);
    assert_eq!(names(&rr[0]), ["t0p0"]);
    assert_eq!(names(&rr[1]), ["t1p0"]);
    assert_eq!(names(&rr[2]), ["t1p1", "t2p0", "t2p1", "t2p2"]);
}

#[test]
fn range_counts() {
    // Range gives each of C members ⌊P/C⌋ partitions and the first P mod C one more:
    // P=6, C=4: ⌊6/4⌋ = 1, 6 mod 4 = 2 → [2, 2, 1, 1];
    // P=6, C=8: ⌊6/8⌋ = 0, 6 mod 8 = 6 → [1, 1, 1, 1, 1, 1, 0, 0], two idle;
    // P=8, C=8 (after adding two partitions) → one each; P=7, C=3: 2 rem 1 → [3, 2, 2].
    for (p, c, want) in [
        (6, 4, vec![2, 2, 1, 1]),
        (6, 8, vec![1, 1, 1, 1, 1, 1, 0, 0]),
        (8, 8, vec![1; 8]),
        (7, 3, vec![3, 2, 2]),
        (6, 1, vec![6]),
        (1, 3, vec![1, 0, 0]),
    ] {
        for assignor in [Assignor::Range, Assignor::CooperativeSticky] {
            assert_eq!(counts(&assign(assignor, p, c, &[]), c), want, "{assignor:?} P={p} C={c}");
        }
    }
    // Range keeps each member's partitions contiguous: P=6, C=4 → C0 [0, 1], C1 [2, 3], C2 [4], C3 [5].
    let owners = assign(Assignor::Range, 6, 4, &[]);
    assert_eq!(owners, [Some(0), Some(0), Some(1), Some(1), Some(2), Some(3)]);
    // Round robin deals them: C0 [0, 4], C1 [1, 5], C2 [2], C3 [3].
    let owners = assign(Assignor::RoundRobin, 6, 4, &[]);
    assert_eq!(owners, [Some(0), Some(1), Some(2), Some(3), Some(0), Some(1)]);
}

/// The fewest partitions that must change owner to make `previous` (owners among `members`)
/// balanced: each member keeps up to its quota, the `P mod C` members owning most may keep one
/// more, and everything else moves.
fn fewest_moves(partitions: u32, members: usize, previous: &[Option<usize>]) -> usize {
    let p = partitions as usize;
    let (min, extra) = (p / members, p % members);
    let mut owned = counts(previous, members);
    model::num::sort::by_unique_key(&mut owned, |&n| std::cmp::Reverse(n)); // equal counts are interchangeable
    owned.iter().enumerate().map(|(i, &n)| n.saturating_sub(if i < extra { min + 1 } else { min })).sum()
}

fn moved(before: &[Option<usize>], after: &[Option<usize>]) -> usize {
    before.iter().zip(after).filter(|(a, b)| a.is_some() && a != b).count()
}

#[test]
fn cooperative_sticky_moves_only_what_it_must() {
    // P=6, C=2 → [3, 3]. A third member must get ⌊6/3⌋ = 2, so at least 2 move; sticky moves 2
    // (one from each), while range recomputes from scratch: C0 [0, 1], C1 [2, 3], C2 [4, 5],
    // moving p2 (C0 → C1) and p4, p5 (C1 → C2): 3.
    let before = assign(Assignor::CooperativeSticky, 6, 2, &[]);
    let after = assign(Assignor::CooperativeSticky, 6, 3, &before);
    assert_eq!((moved(&before, &after), counts(&after, 3)), (2, vec![2, 2, 2]));
    assert_eq!(moved(&assign(Assignor::Range, 6, 2, &[]), &assign(Assignor::Range, 6, 3, &[])), 3);
    // P=6, C=4 → 5 members: sticky moves 1; range [2,2,1,1] → [2,1,1,1,1] moves p3, p4, p5: 3.
    let before = assign(Assignor::CooperativeSticky, 6, 4, &[]);
    assert_eq!(moved(&before, &assign(Assignor::CooperativeSticky, 6, 5, &before)), 1);
    assert_eq!(moved(&assign(Assignor::Range, 6, 4, &[]), &assign(Assignor::Range, 6, 5, &[])), 3);
    // For every P ≤ 16 and C ≤ 12: adding a member, or losing any one, moves exactly the fewest
    // partitions a balanced result needs, and the result is balanced.
    for p in 1..=16u32 {
        for c in 1..=12usize {
            let before = assign(Assignor::CooperativeSticky, p, c, &[]);
            let grown = assign(Assignor::CooperativeSticky, p, c + 1, &before);
            assert_eq!(moved(&before, &grown), fewest_moves(p, c + 1, &before), "P={p} C={c}+1");
            let n = counts(&grown, c + 1);
            assert!(n.iter().max().unwrap() - n.iter().min().unwrap() <= 1, "P={p} C={c}+1: {n:?}");
            for gone in 0..c {
                if c == 1 {
                    continue;
                }
                // Members after `gone` shift down one place in the member list.
                let prev: Vec<Option<usize>> = before
                    .iter()
                    .map(|o| o.and_then(|m| if m == gone { None } else { Some(if m > gone { m - 1 } else { m }) }))
                    .collect();
                let after = assign(Assignor::CooperativeSticky, p, c - 1, &prev);
                let lost = before.iter().filter(|o| **o == Some(gone)).count();
                let kept_moved = prev.iter().zip(&after).filter(|(a, b)| a.is_some() && a != b).count();
                assert_eq!(kept_moved, fewest_moves(p, c - 1, &prev), "P={p} C={c}-C{gone}");
                assert!(kept_moved <= lost, "P={p} C={c}-C{gone}: survivors lose no more than the lost member had");
            }
        }
    }
}

#[test]
fn single_topic_assignments_match_the_multi_topic_assignors() {
    for p in 1..=16u32 {
        for c in 1..=12usize {
            let subs: Vec<&[usize]> = vec![&[0]; c];
            let by_member = |owners: Vec<Option<usize>>| {
                let mut v = vec![Vec::new(); c];
                for (q, o) in owners.into_iter().enumerate() {
                    v[o.unwrap()].push((0, q as u32));
                }
                v
            };
            assert_eq!(by_member(assign(Assignor::Range, p, c, &[])), range_topics(&[p], &subs), "P={p} C={c}");
            assert_eq!(by_member(assign(Assignor::RoundRobin, p, c, &[])), round_robin_topics(&[p], &subs));
        }
    }
}

// ---- hand-worked runs ---------------------------------------------------------------------------

/// No producer: the test sends each order itself.
fn quiet(p: QueueSemanticsParams) -> QueueSemanticsSim {
    QueueSemanticsSim::new(QueueSemanticsParams { rate_per_s: 0.0, ..p }, 1)
}

/// The trace entries of `side`, as (kind, time in ms, n).
fn events(sim: &QueueSemanticsSim, side: Side) -> Vec<(TraceKind, u64, u32)> {
    sim.trace().iter().filter(|t| t.side == side).map(|t| (t.kind, t.t / MS, t.n)).collect()
}

const QUEUE: Side = Side::Queue;
const LOG: Side = Side::Log { group: 0 };

#[test]
fn processing_longer_than_the_visibility_timeout() {
    use TraceKind::*;
    // One order at t = 0 needing 45 s, three consumers, maxReceiveCount 5. With VT 30 s:
    //   0 s  C0 receives (ReceiveCount 1, receipt 1); it is invisible until 30 s.
    //  30 s  visible again: C1 receives it (receipt 2) — the first duplicate.
    //  45 s  C0 finishes and deletes with receipt 1, which is stale: ignored (the stale receipt
    //        rule, see the module docs), so the order stays in flight under C1's receive.
    //  60 s  visible again (30 + 30): C2 receives (3). 75 s: C1's delete (receipt 2) is stale.
    //  90 s  C0 receives (4). 105 s: C2's delete is stale. 120 s: C1 receives (5). 135 s: C0's stale.
    // 150 s  visible again; the next receive would make ReceiveCount 6 > 5: dead-lettered.
    // 165 s  C1 finishes the fifth processing; its delete is stale too (the order is in the DLQ).
    // Duplicates at 30, 60, 90 and 120 s (4); the order was processed 5 times and still ended in
    // the dead-letter queue. The log delivers it once and it is processed once, at 45 s.
    let mut sim = quiet(QueueSemanticsParams { consumers: 3, ..QueueSemanticsParams::STANDARD });
    sim.publish(0, 45 * SEC, MessageKind::Slow);
    sim.advance(300 * SEC);
    assert_eq!(
        events(&sim, QUEUE),
        [
            (Redelivered, 30_000, 2),
            (StaleDelete, 45_000, 1),
            (Redelivered, 60_000, 3),
            (StaleDelete, 75_000, 2),
            (Redelivered, 90_000, 4),
            (StaleDelete, 105_000, 3),
            (Redelivered, 120_000, 5),
            (StaleDelete, 135_000, 4),
            (DeadLettered, 150_000, 5),
            (StaleDelete, 165_000, 5),
        ]
    );
    let s = sim.snapshot();
    let q = s.queue.totals;
    assert_eq!((q.deliveries, q.duplicates, q.processed, q.dead_lettered, q.stale_deletes), (5, 4, 5, 1, 5));
    let l = s.log.main.totals;
    assert_eq!((l.deliveries, l.duplicates, l.processed, l.dead_lettered), (1, 0, 1, 0));
    assert_eq!(events(&sim, LOG), []);

    // (consumers, VT s) → (deliveries, duplicates, dead-lettered). With one consumer nobody else
    // can receive the order at 30 s; at 45 s its own receipt is still the latest, so the delete
    // works: no duplicate. Two consumers behave like three (the consumer free at 45 s takes the
    // 60 s receive). VT 60 s > 45 s: deleted at 45 s, no duplicate.
    for (consumers, vt, want) in
        [(1, 30.0, (1, 0, 0)), (2, 30.0, (5, 4, 1)), (3, 30.0, (5, 4, 1)), (3, 60.0, (1, 0, 0))]
    {
        let mut sim =
            quiet(QueueSemanticsParams { consumers, visibility_timeout_s: vt, ..QueueSemanticsParams::STANDARD });
        sim.publish(0, 45 * SEC, MessageKind::Slow);
        sim.advance(300 * SEC);
        let q = sim.snapshot().queue.totals;
        assert_eq!((q.deliveries, q.duplicates, q.dead_lettered), want, "{consumers} consumers, VT {vt} s");
    }
}

#[test]
fn a_poison_order() {
    use TraceKind::*;
    // A poison order fails after 1 s every time and is never deleted. VT 30 s: receives at 0, 30,
    // 60, 90 and 120 s (ReceiveCount 1–5); at 150 s the next receive would make it 6 > 5, so it
    // moves to the DLQ then. The log retries in place on the same schedule and writes it to the
    // dead-letter topic at 150 s.
    let mut sim = quiet(QueueSemanticsParams { consumers: 3, ..QueueSemanticsParams::STANDARD });
    sim.publish(1, SEC, MessageKind::Poison);
    sim.advance(300 * SEC);
    for side in [QUEUE, LOG] {
        let got = events(&sim, side);
        let want = [
            (Failed, 1_000, 1),
            (Redelivered, 30_000, 2),
            (Failed, 31_000, 2),
            (Redelivered, 60_000, 3),
            (Failed, 61_000, 3),
            (Redelivered, 90_000, 4),
            (Failed, 91_000, 4),
            (Redelivered, 120_000, 5),
            (Failed, 121_000, 5),
            (DeadLettered, 150_000, 5),
        ];
        assert_eq!(got, want, "{side:?}");
    }
    let s = sim.snapshot();
    for t in [s.queue.totals, s.log.main.totals] {
        assert_eq!((t.deliveries, t.duplicates, t.processed, t.dead_lettered), (5, 4, 0, 1));
    }
}

#[test]
fn what_waits_behind_a_poison_order() {
    // The poison order of customer-1 goes out at 0 s; at 5 s customer-1 sends a normal order,
    // and so does another customer on customer-1's partition (3 of 6); each takes 1 s.
    // Standard queue: both are received at once and done at 6 s.
    // FIFO queue: customer-1 is a message group, held behind the poison order until that is
    //   dead-lettered at 150 s, so its order is done at 151 s; the other customer's group is free:
    //   done at 6 s.
    // Log: the partition waits behind the poison record until 150 s, then processes in offset
    //   order: customer-1's at 151 s, the other's at 152 s.
    let neighbour = (2..100).find(|&n| partition_for_key(customer_key(n).as_bytes(), 6) == 3).unwrap();
    for (queue, done_by_7s, customer_1_done) in [(QueueKind::Standard, 2, 6_000), (QueueKind::Fifo, 1, 151_000)] {
        let mut sim = quiet(QueueSemanticsParams { queue, ..QueueSemanticsParams::STANDARD });
        sim.publish(1, SEC, MessageKind::Poison);
        sim.advance(5 * SEC);
        sim.publish(1, SEC, MessageKind::Normal);
        sim.publish(neighbour, SEC, MessageKind::Normal);
        let processed = |sim: &mut QueueSemanticsSim, to: Micros| {
            sim.advance_to(to, u64::MAX);
            let s = sim.snapshot();
            (s.queue.totals.processed, s.log.main.totals.processed)
        };
        assert_eq!(processed(&mut sim, 7 * SEC), (done_by_7s, 0), "{queue:?}");
        assert_eq!(processed(&mut sim, 151_500 * MS), (2, 1), "{queue:?}");
        assert_eq!(processed(&mut sim, 152_500 * MS), (2, 2), "{queue:?}");
        let first = |side| sim.lane(side, 1).unwrap().iter().find(|c| c.seq == 1).map(|c| c.t / MS);
        assert_eq!((first(QUEUE), first(LOG)), (Some(customer_1_done), Some(151_000)), "{queue:?}");
    }
}

#[test]
fn a_consumer_crash_and_what_is_delivered_again() {
    // Two partitions, two consumers: range gives C0 partition 0 and C1 partition 1. customer-2
    // hashes to partition 0 of 2 (and 2 of 6: even), customer-0 to partition 1 (odd).
    // Orders of customer-2, 1 s each: three at 0 s (C0 processes them 0–3 s), two at 6 s (6–8 s).
    // Auto-commit at 5 s commits offset 3; C0 crashes at 8.5 s, before the 10 s commit. The group
    // notices at 8.5 + 45 = 53.5 s and rebalances; after the 3 s pause C1 starts partition 0 from
    // offset 3 and processes #3 and #4 again: 2 duplicates, delivered at 56.5 and 57.5 s. With a
    // commit after each order, offset 5 was committed at 8 s: none. C0 restarts at 68.5 s: a
    // second rebalance. The queue's C0 crashed holding nothing: no duplicate there.
    for (commit, want_duplicates) in [(Commit::Auto, 2), (Commit::AfterProcess, 0)] {
        let mut sim =
            quiet(QueueSemanticsParams { consumers: 2, partitions: 2, commit, ..QueueSemanticsParams::STANDARD });
        for _ in 0..3 {
            sim.publish(2, SEC, MessageKind::Normal);
        }
        sim.advance(6 * SEC);
        for _ in 0..2 {
            sim.publish(2, SEC, MessageKind::Normal);
        }
        sim.advance(2_500 * MS);
        assert!(sim.crash());
        sim.advance(100 * SEC);
        let redeliveries: Vec<u64> =
            events(&sim, LOG).into_iter().filter(|e| e.0 == TraceKind::Redelivered).map(|e| e.1).collect();
        let want: &[u64] = if want_duplicates == 2 { &[56_500, 57_500] } else { &[] };
        assert_eq!(redeliveries, want, "{commit:?}");
        let s = sim.snapshot();
        assert_eq!((s.log.main.totals.duplicates, s.log.main.rebalances), (want_duplicates, 2));
        assert_eq!(s.queue.totals.duplicates, 0);
    }
}

#[test]
fn a_crash_mid_order() {
    // One order of customer-2 taking 10 s, sent at 0 s; both sides' C0 take it and crash at 2 s.
    // The queue hands it to C1 when its visibility timeout ends, at 30 s: done at 40 s. The log
    // waits for the session timeout (2 + 45 = 47 s) and the rebalance pause (50 s): done at 60 s.
    let mut sim = quiet(QueueSemanticsParams { consumers: 2, partitions: 2, ..QueueSemanticsParams::STANDARD });
    sim.publish(2, 10 * SEC, MessageKind::Normal);
    sim.advance(2 * SEC);
    assert!(sim.crash());
    sim.advance(100 * SEC);
    let done = |side| sim.lane(side, 2).unwrap().iter().map(|c| (c.t / MS, c.delivery)).collect::<Vec<_>>();
    assert_eq!(done(QUEUE), [(40_000, 2)]);
    assert_eq!(done(LOG), [(60_000, 2)]);
}

#[test]
fn eager_rebalances_stop_everyone_cooperative_ones_do_not() {
    // As above, C0 crashes at 2 s and the group rebalances at 47 s. An order of customer-0
    // (partition 1, C1's) sent right then: range revokes every partition for the 3 s pause, so it
    // is done at 47 + 3 + 1 = 51 s; cooperative sticky leaves partition 1 with C1: done at 48 s.
    for (assignor, want) in
        [(Assignor::Range, 51_000), (Assignor::RoundRobin, 51_000), (Assignor::CooperativeSticky, 48_000)]
    {
        let mut sim =
            quiet(QueueSemanticsParams { consumers: 2, partitions: 2, assignor, ..QueueSemanticsParams::STANDARD });
        sim.publish(2, 10 * SEC, MessageKind::Normal);
        sim.advance(2 * SEC);
        sim.crash();
        sim.advance(45 * SEC);
        sim.publish(0, SEC, MessageKind::Normal);
        sim.advance(10 * SEC);
        let done: Vec<u64> = sim.lane(LOG, 0).unwrap().iter().map(|c| c.t / MS).collect();
        assert_eq!(done, [want], "{assignor:?}");
    }
}

#[test]
fn adding_partitions_breaks_per_key_order() {
    // Eight consumers, six partitions (C6 and C7 idle). A customer sends #0 (10 s of work) and #1
    // (1 s) at 0 s; its partition's consumer takes #0 and #1 waits behind it. At 1 s the topic
    // grows to 8 partitions and the group rebalances; at 1.5 s the customer sends #2 (1 s), which
    // lands in its new partition. #0 is done at 10 s and #1 at 11 s.
    // customer-0 moves from partition 1 to 3, an existing partition with a committed offset
    //   (every owner commits before giving a partition up), so `auto.offset.reset` plays no part.
    //   Range: every partition stops until 1 + 3 = 4 s, so #2 is done at 5 s, before #0 and #1:
    //   2 out of order. Cooperative sticky keeps partitions 0–5 where they were, partition 3
    //   never stops: #2 is done at 2.5 s, still 2 out of order.
    // customer-2 moves from partition 2 to 6, a new partition without a committed offset. Both
    //   assignors hand it to C6 after the 3 s pause. earliest: C6 starts at offset 0 at 4 s, #2 is
    //   done at 5 s, 2 out of order. latest: C6 starts at the end, past #2, which is never read:
    //   1 skipped, and #0, #1 in order.
    for (customer, assignor, reset, want_done_2, want_out_of_order, want_skipped) in [
        (0, Assignor::Range, OffsetReset::Earliest, Some(5_000), 2, 0),
        (0, Assignor::Range, OffsetReset::Latest, Some(5_000), 2, 0),
        (0, Assignor::CooperativeSticky, OffsetReset::Earliest, Some(2_500), 2, 0),
        (2, Assignor::Range, OffsetReset::Earliest, Some(5_000), 2, 0),
        (2, Assignor::Range, OffsetReset::Latest, None, 0, 1),
        (2, Assignor::CooperativeSticky, OffsetReset::Latest, None, 0, 1),
    ] {
        let mut sim = quiet(QueueSemanticsParams { assignor, offset_reset: reset, ..QueueSemanticsParams::STANDARD });
        sim.publish(customer, 10 * SEC, MessageKind::Normal);
        sim.publish(customer, SEC, MessageKind::Normal);
        sim.advance(SEC);
        let before = sim.partition_of(customer);
        assert!(sim.add_partitions());
        assert_eq!(
            (before, sim.partition_of(customer)),
            if customer == 0 { (Some(1), Some(3)) } else { (Some(2), Some(6)) }
        );
        sim.advance(500 * MS);
        sim.publish(customer, SEC, MessageKind::Normal);
        sim.advance(30 * SEC);
        let lane: Vec<(u32, u64)> =
            sim.lane(LOG, customer as usize).unwrap().iter().map(|c| (c.seq, c.t / MS)).collect();
        let case = format!("customer-{customer} {assignor:?} {reset:?}: {lane:?}");
        assert_eq!(lane.iter().find(|c| c.0 == 2).map(|c| c.1), want_done_2, "{case}");
        let t = sim.snapshot().log.main.totals;
        assert_eq!((t.out_of_order, t.skipped), (want_out_of_order, want_skipped), "{case}");
        assert_eq!(lane.iter().filter(|c| c.0 < 2).map(|c| c.1).collect::<Vec<_>>(), [10_000, 11_000], "{case}");
    }
}

#[test]
fn replay_after_a_thousand_orders() {
    // 1,000 orders, all processed and acknowledged on both sides. The log still holds all 1,000
    // (168 h retention, far below its record bound); the queue deleted each on its ack and holds
    // none. A new group with `earliest` starts at every partition's offset 0 and reads all 1,000,
    // each written before it subscribed: 1,000 replayed. With `latest` it starts at the end: 0.
    // A new subscriber of the queue would get only what is still queued: 0.
    for (reset, want) in [(OffsetReset::Earliest, 1_000), (OffsetReset::Latest, 0)] {
        let p = QueueSemanticsParams { max_orders: 1_000, offset_reset: reset, ..QueueSemanticsParams::STANDARD };
        let mut sim = QueueSemanticsSim::new(p, 7);
        sim.advance(1_000 * SEC);
        let before = sim.snapshot();
        assert_eq!(before.orders, 1_000);
        assert_eq!((before.queue.visible, before.queue.in_flight), (0, 0), "the queue kept nothing");
        assert_eq!(before.queue.totals.processed, 1_000);
        assert_eq!((before.log.retained, before.log.main.lag_total), (1_000, 0));
        assert!(sim.subscribe_new_group());
        assert!(!sim.subscribe_new_group(), "one new group at most");
        sim.advance(1_000 * SEC);
        let g = sim.snapshot().log.new_group.unwrap();
        assert_eq!(g.retained_at_join, 1_000);
        assert_eq!((g.totals.replayed, g.totals.deliveries, g.totals.processed), (want, want, want), "{reset:?}");
        assert_eq!((g.totals.duplicates, g.totals.skipped), (0, 0));
        assert_eq!(sim.snapshot().queue.totals.replayed, 0);
    }
}

#[test]
fn a_standard_queue_reorders_a_busy_customer_and_the_others_do_not() {
    // Under the default load, concurrent consumers finish customer-0's orders out of order on a
    // standard queue; a FIFO queue and the log (one partition, one consumer at a time) never do.
    for (queue, reorders) in [(QueueKind::Standard, true), (QueueKind::Fifo, false)] {
        let mut sim = QueueSemanticsSim::new(QueueSemanticsParams { queue, ..QueueSemanticsParams::STANDARD }, 3);
        sim.advance(600 * SEC);
        let s = sim.snapshot();
        assert_eq!(s.queue.totals.out_of_order > 0, reorders, "{queue:?}: {:?}", s.queue.totals);
        assert_eq!(s.log.main.totals.out_of_order, 0);
        assert_eq!((s.queue.totals.duplicates, s.log.main.totals.duplicates), (0, 0));
        // Range over 6 partitions leaves C6 and C7 of 8 without work; the queue keeps all 8 busy.
        assert_eq!((s.log.main.idle, s.queue.idle), (2, 0));
    }
}

// ---- determinism, memory, replay ----------------------------------------------------------------

fn standard_run(seed: u64) -> QueueSemanticsSnapshot {
    let mut sim = QueueSemanticsSim::new(QueueSemanticsParams::STANDARD, seed);
    sim.advance(20 * SEC);
    sim.publish(SLOW_CUSTOMER, 45 * SEC, MessageKind::Slow);
    sim.advance(10 * SEC);
    sim.crash();
    sim.advance(30 * SEC);
    sim.add_partitions();
    sim.subscribe_new_group();
    sim.advance(120 * SEC);
    sim.snapshot()
}

#[test]
fn same_seed_same_run() {
    assert_eq!(standard_run(5), standard_run(5));
    assert_ne!(standard_run(5), standard_run(6));
}

#[test]
fn memory_stays_bounded() {
    // 30 orders a second, 5 s each, one consumer: the queue backs up into its bound and the log's
    // partitions into theirs; a run of two simulated hours holds no more than that.
    let p = QueueSemanticsParams {
        rate_per_s: 30.0,
        processing_ms: 5_000.0,
        consumers: 1,
        partitions: 2,
        ..QueueSemanticsParams::STANDARD
    };
    let mut sim = QueueSemanticsSim::new(p, 1);
    sim.subscribe_new_group();
    let mut peak = 0;
    for _ in 0..120 {
        sim.advance(60 * SEC);
        let s = sim.snapshot();
        assert!((s.queue.visible + s.queue.in_flight) as usize <= BACKLOG_BOUND);
        assert!(s.log.retained as usize <= LOG_CAP * 2);
        assert!(sim.trace().len() <= TRACE_LEN);
        peak = peak.max(sim.held());
    }
    let s = sim.snapshot();
    assert!(s.queue.totals.refused > 0 && s.log.main.totals.skipped > 0, "both bounds were reached");
    assert!(peak <= BACKLOG_BOUND + 2 * LOG_CAP + 1_000, "{peak} items held");
}

#[test]
fn share_links_replay_the_run() {
    let (st, notes) = QUEUE_SEMANTICS.parse_query("queue=fifo&assignor=cooperative-sticky&seed=9");
    assert!(notes.is_empty());
    let mut live = QueueSemanticsReplay::new(&st);
    for (t, action) in [
        (5, QueueSemanticsAction::Slow),
        (8, QueueSemanticsAction::Poison),
        (20, QueueSemanticsAction::Crash),
        (40, QueueSemanticsAction::AddPartitions),
        (41, QueueSemanticsAction::Subscribe),
    ] {
        live.record(t * SEC, action);
    }
    live.advance_to(200 * SEC, u64::MAX);
    let link = QUEUE_SEMANTICS.to_query(&live.to_state());
    assert_eq!(
        link,
        "queue=fifo&assignor=cooperative-sticky&seed=9&log=5000000.slow,8000000.poison,20000000.crash,\
40000000.partitions,41000000.subscribe&t=200000000"
    );
    let (shared, notes) = QUEUE_SEMANTICS.parse_query(&link);
    assert!(notes.is_empty());
    let replayed = QueueSemanticsReplay::open(&shared);
    assert_eq!(replayed.snapshot(), live.snapshot());
    for a in QueueSemanticsAction::ALL {
        assert_eq!(QueueSemanticsAction::parse(a.code()), Some(a));
    }
    assert_eq!(QueueSemanticsAction::parse("outage"), None);
}

#[test]
fn presets_are_the_named_params() {
    assert_eq!(queue_semantics_params(&QUEUE_SEMANTICS.defaults()), QueueSemanticsParams::STANDARD);
    for (i, (name, want)) in QueueSemanticsParams::PRESETS.iter().enumerate() {
        assert_eq!(QUEUE_SEMANTICS.presets[i].0, *name);
        let (st, notes) = QUEUE_SEMANTICS.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty());
        assert_eq!(queue_semantics_params(&st), *want, "{name}");
    }
}

// ---- properties -------------------------------------------------------------------------------

fn query() -> impl Strategy<Value = String> {
    let spec = &QUEUE_SEMANTICS;
    let parts: Vec<_> = spec
        .params
        .iter()
        .map(|p| {
            let key = p.key;
            let value = match p.kind {
                model::spec::Kind::Range { min, max, .. } => prop_oneof![
                    6 => (min..=max).prop_map(|v| v.to_string()).boxed(),
                    1 => any::<f64>().prop_map(|v| v.to_string()).boxed(),
                    1 => Just("NaN".to_string()).boxed(),
                ]
                .boxed(),
                model::spec::Kind::Choice(opts) => proptest::sample::select(opts).prop_map(str::to_string).boxed(),
                model::spec::Kind::Toggle => Just("1".to_string()).boxed(),
            };
            (Just(key), value).prop_map(|(k, v)| format!("{k}={v}"))
        })
        .collect();
    (parts, any::<u64>()).prop_map(|(p, seed)| format!("{}&seed={seed}", p.join("&")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn any_settings_and_presses_keep_the_books_straight(
        q in query(),
        presses in prop::collection::vec((0u64..240, 0usize..5), 0..10),
    ) {
        let (state, _) = QUEUE_SEMANTICS.parse_query(&q);
        let mut run = QueueSemanticsReplay::new(&state);
        let mut presses = presses;
        model::num::sort::short_stable_by_key(&mut presses, |p| p.0);
        for (t, a) in presses {
            run.record(t * SEC, QueueSemanticsAction::ALL[a]);
        }
        let mut last: Micros = 0;
        for _ in 0..30 {
            run.advance_to(run.now() + 10 * SEC, 200_000);
            prop_assert!(run.now() >= last);
            last = run.now();
            let s = run.snapshot();
            for t in [Some(s.queue.totals), Some(s.log.main.totals), s.log.new_group.map(|g| g.totals)].into_iter().flatten() {
                prop_assert!(t.duplicates <= t.deliveries);
                prop_assert!(t.processed <= t.deliveries);
                prop_assert!(t.out_of_order <= t.processed);
                prop_assert!(t.replayed <= t.deliveries);
            }
            prop_assert!(s.queue.totals.deliveries - s.queue.totals.duplicates <= s.orders);
            prop_assert!(s.queue.idle + s.queue.down <= s.queue.consumers);
            prop_assert!(s.log.main.idle + s.log.main.down <= s.log.main.members);
            prop_assert!(s.log.main.lag_total <= s.log.retained);
            prop_assert!(s.log.main.lag.iter().skip(s.log.partitions as usize).all(|&l| l == 0));
            prop_assert!(s.log.partitions as usize <= MAX_PARTITIONS);
        }
    }
}

#[test]
fn what_the_reader_reads() {
    // The slow order of `processing_longer_than_the_visibility_timeout`, in words.
    let settings = QUEUE_SEMANTICS.defaults();
    let mut sim = quiet(QueueSemanticsParams { consumers: 3, ..QueueSemanticsParams::STANDARD });
    sim.publish(SLOW_CUSTOMER, 45 * SEC, MessageKind::Slow);
    sim.advance(200 * SEC);
    let s = sim.snapshot();
    let values = |rows: &[Row]| rows.iter().map(|r| (r.key, r.value.clone())).collect::<Vec<_>>();
    assert_eq!(
        values(&s.queue_rows()),
        [
            ("queue-deliveries", "5".into()),
            ("queue-duplicates", "4".into()),
            ("queue-out-of-order", "0".into()),
            ("queue-dead-lettered", "1".into()),
            ("queue-held", "0 / 0".into()),
            ("queue-idle", "3 of 3".into()),
            ("queue-replayed", "0: deleted on ack".into()),
        ]
    );
    assert_eq!(
        values(&s.log_rows()),
        [
            ("log-deliveries", "1".into()),
            ("log-duplicates", "0".into()),
            ("log-out-of-order", "0".into()),
            ("log-dead-lettered", "0".into()),
            ("log-lag", "0".into()),
            ("log-idle", "0 of 3".into()),
            ("log-lag-by-partition", "p0 0 · p1 0 · p2 0 · p3 0 · p4 0 · p5 0".into()),
            ("log-replayed", "not subscribed yet".into()),
        ]
    );
    assert_eq!(s.status(), "200.0 s simulated · 1 order sent");
    assert_eq!(
        sim.lanes_text(Side::Queue, 3),
        // Its last three cells: the fourth processing (done at 135 s), the move to the DLQ (150 s)
        // and the fifth processing, done at 165 s after the move.
        "customer-0: #0 (again, delivery 4, slow), #0 (dead-lettered), #0 (again, delivery 5, slow). \
customer-1: nothing processed yet. customer-2: nothing processed yet. customer-3: nothing processed yet."
    );
    assert_eq!(
        sim.recent_events(2),
        [
            "2 min 45 s · queue: C1 finished customer-0 #0; its delete used a stale receipt and was ignored",
            "2 min 30 s · queue: customer-0 #0 dead-lettered after 5 deliveries",
        ]
    );
    let labels: Vec<String> = QueueSemanticsAction::ALL.iter().map(|a| a.label(&settings, &s)).collect();
    assert_eq!(
        labels,
        [
            "Slow order (customer-0, 45 s)",
            "Poison order (customer-1)",
            "Crash a consumer",
            "Add partitions (6 → 8)",
            "New consumer group (earliest)"
        ]
    );
    assert_eq!(
        titles(&settings, &s),
        (
            "Queue (SQS-like): standard, visibility timeout 30 s".to_string(),
            "Log (Kafka-like): 6 partitions, range assignor".to_string()
        )
    );
    // After a crash, more partitions and a new group: the new group replays the one order from
    // offset 0 (after the 3 s pause), which takes 45 s, so 20 s later it is still in hand: lag 1.
    sim.crash();
    sim.add_partitions();
    sim.subscribe_new_group();
    sim.advance(20 * SEC);
    let s = sim.snapshot();
    assert_eq!(s.queue_rows()[5].value, "2 of 3, 1 down");
    assert_eq!(s.log_rows()[7].value, "replayed 1 of 1 retained; lag 1; 0 out of order");
    assert!(!s.can(QueueSemanticsAction::Subscribe));
    assert_eq!(QueueSemanticsAction::AddPartitions.label(&settings, &s), "Add partitions (8 → 10)");
}
