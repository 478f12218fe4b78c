//! Kafka's partition assignors, for one consumer group.
//!
//! Members are given in the order of their member ids (Kafka sorts them; this model names its
//! consumers `C0`, `C1`, … and keeps that order), topics in the order of their names.
//!
//! - **Range** (`RangeAssignor`): per topic, partitions in numeric order are split into
//!   contiguous ranges, one per subscribed member; the first `P mod C` members get one extra.
//! - **Round robin** (`RoundRobinAssignor`): every partition of every subscribed topic, sorted by
//!   topic then partition, dealt to the members in a circle, skipping members not subscribed to
//!   the partition's topic.
//! - **Cooperative sticky** (`CooperativeStickyAssignor`, KIP-429; the balanced "constrained"
//!   path of `AbstractStickyAssignor`, where every member subscribes to the same topic): each
//!   member has a quota of ⌊P/C⌋ partitions, and `P mod C` members may hold one more. Each member
//!   keeps the partitions it owned, up to its quota; only the rest, and partitions nobody owned,
//!   are handed out — first to members below the minimum, then one each to members at the
//!   minimum while the extra places last. So the assignment is balanced and as few partitions as
//!   possible change owner.
//!
//! Range and round robin run under the classic *eager* protocol: in a rebalance every member
//! gives up every partition first. Cooperative sticky revokes only the partitions that move.

/// How a consumer group spreads partitions over its members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assignor {
    Range,
    RoundRobin,
    CooperativeSticky,
}

impl Assignor {
    /// Whether a rebalance revokes every partition (the classic eager protocol) rather than only
    /// those that move.
    pub fn eager(self) -> bool {
        !matches!(self, Assignor::CooperativeSticky)
    }
}

/// A partition of a topic: (topic index, partition number).
pub type TopicPartition = (usize, u32);

/// Kafka's `RangeAssignor`: `partitions[t]` partitions in topic `t`, `subscriptions[m]` the topics
/// member `m` subscribes to. Returns each member's partitions in the order they are assigned.
pub fn range_topics(partitions: &[u32], subscriptions: &[&[usize]]) -> Vec<Vec<TopicPartition>> {
    let mut out = vec![Vec::new(); subscriptions.len()];
    for (t, &n) in partitions.iter().enumerate() {
        let members: Vec<usize> = (0..subscriptions.len()).filter(|&m| subscriptions[m].contains(&t)).collect();
        let c = members.len() as u32;
        if c == 0 {
            continue;
        }
        let (per, extra) = (n / c, n % c);
        for (i, &m) in members.iter().enumerate() {
            let i = i as u32;
            let start = per * i + i.min(extra);
            out[m].extend((start..start + per + u32::from(i < extra)).map(|p| (t, p)));
        }
    }
    out
}

/// Kafka's `RoundRobinAssignor`, with the arguments of [`range_topics`].
pub fn round_robin_topics(partitions: &[u32], subscriptions: &[&[usize]]) -> Vec<Vec<TopicPartition>> {
    let mut out = vec![Vec::new(); subscriptions.len()];
    let n = subscriptions.len();
    let mut next = 0;
    for (t, &count) in partitions.iter().enumerate() {
        if !subscriptions.iter().any(|s| s.contains(&t)) {
            continue; // only the partitions of subscribed topics are dealt
        }
        for p in 0..count {
            while !subscriptions[next].contains(&t) {
                next = (next + 1) % n;
            }
            out[next].push((t, p));
            next = (next + 1) % n;
        }
    }
    out
}

/// The owner (an index into the group's member list) of each of `partitions` partitions of one
/// topic that every one of `members` members subscribes to. `previous[p]` is partition `p`'s
/// owner before this rebalance, if it is still a member (only the sticky assignor looks at it).
pub fn assign(assignor: Assignor, partitions: u32, members: usize, previous: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    assign_into(assignor, partitions, members, previous, &mut out, &mut Scratch::default());
    out
}

/// Working space for [`assign_into`], kept between rebalances so that one allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    count: Vec<usize>,
    keep: Vec<usize>,
    unassigned: Vec<usize>,
}

/// [`assign`] into `out`, reusing `scratch`.
pub fn assign_into(
    assignor: Assignor,
    partitions: u32,
    members: usize,
    previous: &[Option<usize>],
    out: &mut Vec<Option<usize>>,
    scratch: &mut Scratch,
) {
    let p = partitions as usize;
    out.clear();
    if members == 0 {
        out.resize(p, None);
        return;
    }
    match assignor {
        Assignor::Range => {
            let (per, extra) = (p / members, p % members);
            // The first `extra` members hold per + 1 partitions each, the rest per.
            let big = extra * (per + 1);
            out.extend((0..p).map(|q| Some(if q < big { q / (per + 1) } else { extra + (q - big) / per.max(1) })));
        }
        Assignor::RoundRobin => out.extend((0..p).map(|q| Some(q % members))),
        Assignor::CooperativeSticky => sticky(p, members, previous, out, scratch),
    }
}

/// The cooperative sticky assignment (see the module docs).
fn sticky(p: usize, members: usize, previous: &[Option<usize>], owner: &mut Vec<Option<usize>>, s: &mut Scratch) {
    let min = p / members;
    let extra = p % members; // how many members may hold min + 1
    let prev = |q: usize| previous.get(q).copied().flatten().filter(|&m| m < members);
    owner.resize(p, None);
    // How many each member owned, and how many of those it keeps: all up to the minimum; one
    // more for the first members (in order) that owned more, while the extra places last.
    s.count.clear();
    s.count.resize(members, 0);
    for m in (0..p).filter_map(prev) {
        s.count[m] += 1;
    }
    let mut over = 0;
    s.keep.clear();
    for &owned in &s.count {
        s.keep.push(if owned <= min {
            owned
        } else if extra > 0 && over < extra {
            over += 1;
            min + 1
        } else {
            min
        });
    }
    // Each member keeps its lowest-numbered partitions up to its quota; the rest are handed out
    // in partition order.
    s.count.iter_mut().for_each(|n| *n = 0);
    s.unassigned.clear();
    for (q, o) in owner.iter_mut().enumerate() {
        match prev(q) {
            Some(m) if s.count[m] < s.keep[m] => {
                *o = Some(m);
                s.count[m] += 1;
            }
            _ => s.unassigned.push(q),
        }
    }
    let mut next = s.unassigned.iter().copied();
    // First every member up to the minimum, then one more each while the extra places last.
    for (m, n) in s.count.iter_mut().enumerate() {
        while *n < min {
            let Some(q) = next.next() else { break };
            owner[q] = Some(m);
            *n += 1;
        }
    }
    for (m, n) in s.count.iter_mut().enumerate() {
        if *n == min && over < extra {
            let Some(q) = next.next() else { break };
            owner[q] = Some(m);
            *n += 1;
            over += 1;
        }
    }
}

/// How many partitions each of `members` members owns under `owners` (from [`assign`]).
pub fn counts(owners: &[Option<usize>], members: usize) -> Vec<usize> {
    let mut c = vec![0; members];
    for m in owners.iter().flatten() {
        if let Some(x) = c.get_mut(*m) {
            *x += 1;
        }
    }
    c
}
