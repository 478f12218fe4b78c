//! What a cluster is and what a reader can do to it: the size caps, the modes and conflict rules,
//! [`ClusterParams`] and its presets, the [`Action`]s a reader or a tour applies, and the tour.

use crate::des::{Micros, SEC};
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::value;

/// Most operations a history holds; later invocations are refused with "history full".
pub const HISTORY_CAP: usize = 200;
/// Lines kept in the event log (oldest dropped first).
pub const LOG_CAP: usize = 200;
/// Each hop takes the link latency times a uniform factor in `1 ± LINK_JITTER`.
pub const LINK_JITTER: f64 = 0.1;
/// Cp: each election timeout is uniform in 1 to `ELECTION_SPREAD` times `election_timeout_ms`.
pub(crate) const ELECTION_SPREAD: f64 = 2.0;
pub const MIN_REPLICAS: u32 = 3;
pub const MAX_REPLICAS: u32 = 7;
pub const MIN_CLIENTS: u32 = 2;
pub const MAX_CLIENTS: u32 = 4;
/// Client names in log lines and views.
pub const CLIENT_NAMES: [char; 4] = ['A', 'B', 'C', 'D'];

/// How the register is replicated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Leader with majority quorums (Raft-like): linearizable, unavailable on a minority side.
    Cp,
    /// Leaderless with N/R/W quorums and sloppy acceptance (Dynamo-like): available, not
    /// linearizable.
    Ap,
    /// Asynchronous primary–backup with failover: fast, stale backups, lost writes on failover.
    Async,
}

/// How [`Mode::Ap`] resolves concurrent versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// Keep the version with the greatest (timestamp, replica id).
    LastWriterWins,
    /// Keep concurrent versions (by version vector) side by side; reads return all of them.
    Siblings,
}

/// Parameters of a cluster. Times in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClusterParams {
    pub mode: Mode,
    /// Used by [`Mode::Ap`] only.
    pub conflict: Conflict,
    /// Number of replicas, 3–7 (N in Ap mode).
    pub replicas: u32,
    /// Number of clients, 2–4.
    pub clients: u32,
    /// One-way latency of every link.
    pub latency_ms: f64,
    /// How long a coordinator waits for a quorum (Cp), the replicas (Ap) or the primary (Async).
    pub timeout_ms: f64,
    /// Ap: replicas a read waits for, counting the coordinator.
    pub r: u32,
    /// Ap: replicas a write waits for, counting the coordinator.
    pub w: u32,
    /// Ap: accept with the reachable replicas when fewer than R or W are reachable.
    pub sloppy: bool,
    /// Ap: replica `k`'s clock reads `k × clock_skew_ms` behind true time (write timestamps).
    pub clock_skew_ms: f64,
    /// Cp: leader heartbeat (and replication retry) interval.
    pub heartbeat_ms: f64,
    /// Cp: base election timeout; each wait is uniform in 1–2× this.
    pub election_timeout_ms: f64,
    /// Async: the primary must be cut from every other replica this long before an automatic
    /// failover.
    pub failover_timeout_ms: f64,
}

impl ClusterParams {
    const BASE: ClusterParams = ClusterParams {
        mode: Mode::Cp,
        conflict: Conflict::LastWriterWins,
        replicas: 3,
        clients: 2,
        latency_ms: 20.0,
        timeout_ms: 1_000.0,
        r: 2,
        w: 2,
        sloppy: true,
        clock_skew_ms: 0.0,
        heartbeat_ms: 50.0,
        election_timeout_ms: 300.0,
        failover_timeout_ms: 1_000.0,
    };
    /// Leader and majority quorums.
    pub const CP: ClusterParams = ClusterParams::BASE;
    /// Dynamo-style, N = 3, R = W = 2, sloppy, last writer wins, clocks 100 ms apart.
    pub const AP_LWW: ClusterParams = ClusterParams { mode: Mode::Ap, clock_skew_ms: 100.0, ..ClusterParams::BASE };
    /// As [`Self::AP_LWW`] but keeping siblings.
    pub const AP_SIBLINGS: ClusterParams = ClusterParams { conflict: Conflict::Siblings, ..ClusterParams::AP_LWW };
    /// Asynchronous primary–backup.
    pub const ASYNC: ClusterParams = ClusterParams { mode: Mode::Async, ..ClusterParams::BASE };

    /// The presets in the order a widget offers them.
    pub const PRESETS: [(&'static str, ClusterParams); 4] = [
        ("cp", ClusterParams::CP),
        ("ap-lww", ClusterParams::AP_LWW),
        ("ap-siblings", ClusterParams::AP_SIBLINGS),
        ("async", ClusterParams::ASYNC),
    ];

    /// Returns the parameters forced into the ranges the model handles (NaN becomes the low end).
    pub fn clamped(mut self) -> Self {
        let c = crate::num::clamp_or_low;
        self.replicas = self.replicas.clamp(MIN_REPLICAS, MAX_REPLICAS);
        self.clients = self.clients.clamp(MIN_CLIENTS, MAX_CLIENTS);
        self.latency_ms = c(self.latency_ms, 0.1, 1_000.0);
        self.timeout_ms = c(self.timeout_ms, 10.0, 60_000.0);
        self.r = self.r.clamp(1, self.replicas);
        self.w = self.w.clamp(1, self.replicas);
        self.clock_skew_ms = c(self.clock_skew_ms, 0.0, 10_000.0);
        self.heartbeat_ms = c(self.heartbeat_ms, 5.0, 5_000.0);
        self.election_timeout_ms = c(self.election_timeout_ms, 10.0, 60_000.0);
        self.failover_timeout_ms = c(self.failover_timeout_ms, 10.0, 600_000.0);
        self
    }
}

/// A step of a scripted scenario or a reader's action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Write {
        client: u32,
        value: u32,
    },
    Read {
        client: u32,
    },
    /// Cut every link between the listed nodes and the rest
    /// ([`ClusterSim::partition`](super::ClusterSim::partition)).
    Partition(Vec<u32>),
    HealAll,
    /// Async only.
    Failover,
    Cut(u32, u32),
    Heal(u32, u32),
}

impl Action {
    /// The action as a run-log entry for share links (`w.<client>.<value>`, `r.<client>`,
    /// `part.<node>…`, `healall`, `failover`, `cut.<a>.<b>`, `heal.<a>.<b>`); [`Action::parse`]
    /// reads it back.
    pub fn code(&self) -> String {
        match self {
            Action::Write { client, value } => format!("w.{client}.{value}"),
            Action::Read { client } => format!("r.{client}"),
            Action::Partition(side) => {
                let mut s = "part".to_string();
                for n in side {
                    s.push('.');
                    s.push_str(&n.to_string());
                }
                s
            }
            Action::HealAll => "healall".into(),
            Action::Failover => "failover".into(),
            Action::Cut(a, b) => format!("cut.{a}.{b}"),
            Action::Heal(a, b) => format!("heal.{a}.{b}"),
        }
    }

    /// Reads [`Action::code`] back; `None` for anything else. Node and client numbers are not
    /// checked here: the sim refuses unknown ones with a message.
    pub fn parse(code: &str) -> Option<Action> {
        let mut parts = code.split('.');
        let verb = parts.next()?;
        let nums: Option<Vec<u32>> = parts.map(|p| p.parse::<u32>().ok()).collect();
        let nums = nums?;
        Some(match (verb, nums.as_slice()) {
            ("w", &[client, value]) => Action::Write { client, value },
            ("r", &[client]) => Action::Read { client },
            ("part", side) if !side.is_empty() && side.len() <= 16 => Action::Partition(side.to_vec()),
            ("healall", []) => Action::HealAll,
            ("failover", []) => Action::Failover,
            ("cut", &[a, b]) => Action::Cut(a, b),
            ("heal", &[a, b]) => Action::Heal(a, b),
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourStep {
    /// Absolute simulated time to apply the action at.
    pub at: Micros,
    pub action: Action,
    pub caption: &'static str,
}

/// The canonical scenario for `mode`, with the default presets (3 replicas, clients A at R0 and B
/// at R1): a write, a partition {R0, A} | {R1, R2, B}, writes on both sides, heal, read. Play it
/// by advancing to each step's `at` and calling [`ClusterSim::apply`](super::ClusterSim::apply).
///
/// What it shows: Cp rejects A's minority-side write ("no quorum on this side") and stays
/// linearizable; Ap with last-writer-wins loses B's later write (R1's clock is 100 ms behind, so
/// it carries the older timestamp), Ap with siblings returns both; Async loses the write the old
/// primary acknowledged after the failover.
pub fn tour_steps(mode: Mode) -> Vec<TourStep> {
    use Action::*;
    const S: Micros = SEC;
    let step =
        |at_ms: Micros, action: Action, caption: &'static str| TourStep { at: at_ms * S / 1_000, action, caption };
    match mode {
        Mode::Cp => vec![
            step(
                500,
                Write { client: 0, value: 1 },
                "Client A writes 1. The leader R0 replicates it to a majority before acknowledging.",
            ),
            step(1_000, Partition(vec![0]), "Cut R0, the leader, and client A off from R1 and R2."),
            step(
                1_200,
                Write { client: 0, value: 2 },
                "A writes 2 on the minority side. R0 cannot reach a majority: after the timeout it refuses with \"no \
                 quorum on this side\".",
            ),
            step(
                2_000,
                Write { client: 1, value: 3 },
                "Meanwhile R1 and R2 have elected a new leader in a higher term. B writes 3 and it commits.",
            ),
            step(3_000, HealAll, "Heal. R0 sees the higher term, steps down and drops its uncommitted write."),
            step(
                3_500,
                Read { client: 0 },
                "A reads 3: every acknowledged write survived, and nothing refused appeared.",
            ),
        ],
        Mode::Ap => vec![
            step(500, Write { client: 0, value: 1 }, "Client A writes 1; it reaches all three replicas."),
            step(1_000, Partition(vec![0]), "Cut R0 and client A off from R1 and R2."),
            step(
                1_200,
                Write { client: 0, value: 2 },
                "A writes 2. Only R0 is reachable: a sloppy quorum accepts it anyway and keeps hints for R1 and R2.",
            ),
            step(
                1_250,
                Write { client: 1, value: 3 },
                "Just after, B writes 3 on the other side; it is acknowledged too. R1's clock runs 100 ms behind \
                 R0's, so this later write carries the older timestamp.",
            ),
            step(
                2_000,
                HealAll,
                "Heal. Anti-entropy exchanges the versions: last-writer-wins keeps the greater timestamp (A's 2) and \
                 silently drops B's 3; siblings keeps both.",
            ),
            step(
                2_500,
                Read { client: 0 },
                "A reads: 2 alone under last-writer-wins (B's acknowledged write is lost), or the siblings 2 and 3.",
            ),
        ],
        Mode::Async => vec![
            step(
                500,
                Write { client: 0, value: 1 },
                "Client A writes 1. The primary R0 acknowledges at once and ships it to the backups.",
            ),
            step(1_000, Partition(vec![0]), "Cut the primary R0 and client A off from the backups."),
            step(
                1_200,
                Failover,
                "The operator fails over: R1, the most up-to-date backup, becomes primary in epoch 2.",
            ),
            step(1_400, Write { client: 1, value: 3 }, "B writes 3 on the new primary R1."),
            step(
                1_600,
                Write { client: 0, value: 2 },
                "A writes 2. R0 does not know it was replaced: it acknowledges (split brain).",
            ),
            step(
                2_500,
                HealAll,
                "Heal. R0 learns of epoch 2, steps down and rolls back to R1's log: the acknowledged write 2 is lost.",
            ),
            step(3_000, Read { client: 0 }, "A reads 3: its own acknowledged write is gone."),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

const MODES: &[&str] = &["cp", "ap", "async"];
const CONFLICTS: &[&str] = &["lww", "siblings"];
/// What the partition toggles rest on, for their decision note.
const ASSUMPTIONS_NOTE: &[(&str, &str)] = &[
    (
        "One register. Every link takes 20 ms one way (± 10%) and delivers in order; a message on a cut link is \
         dropped. Each client talks only to its home replica; replicas never crash, only links are cut. A \
         coordinator waits 1 s for its quorum, the replicas or the primary.",
        "",
    ),
    (
        "CP: a Raft-like leader with 50 ms heartbeats and election timeouts of 300 to 600 ms; reads go through the \
         log (no ReadIndex or leases), and there is no pre-vote.",
        "",
    ),
    (
        "AP: R = W = 2 whatever the number of replicas (so R + W ≤ N from 4 replicas on), sloppy quorums with hinted \
         handoff, and anti-entropy only when a link heals. Replica k's clock runs k × 100 ms behind, which decides \
         last-writer-wins.",
        "",
    ),
    (
        "Async: the primary acknowledges before shipping a write to the backups. A failover manager outside the \
         partition promotes the most up-to-date backup once the primary has been cut off from every other replica \
         for 1 s (or when the reader fails over), and does not fence the old primary.",
        "",
    ),
];

/// A replicated register with links the reader cuts.
pub const PARTITION_TOGGLES: WidgetSpec = WidgetSpec {
    name: "partition-toggles",
    about: crate::note::About {
        question: "When this data's replicas cannot reach each other, should it refuse writes on the minority side (CP), accept them and reconcile later (AP), or fail over to an asynchronous backup?",
        assumptions: ASSUMPTIONS_NOTE,
        sources: &[
            "Seth Gilbert and Nancy Lynch, Brewer's Conjecture and the Feasibility of Consistent, Available, Partition-Tolerant Web Services (2002)",
            "Martin Kleppmann, Please stop calling databases CP or AP (2015)",
            "Giuseppe DeCandia et al., Dynamo: Amazon's Highly Available Key-value Store (2007)",
            "Jepsen, Consistency Models (2016)",
        ],
    },
    // The stale-read line under the history added about 3 rem (64–65 rem measured in a dev build
    // at 1,280 × 900).
    reserve_rem: 65.5,
    hot: false,
    title: "Partition toggles",
    params: &[
        labelled(
            choice("mode", "Replication", MODES, 0),
            &["CP: leader + majority quorum", "AP: leaderless, sloppy quorum", "Async primary–backup"],
        ),
        labelled(choice("conflict", "Conflict handling (AP)", CONFLICTS, 0), &["Last writer wins", "Keep siblings"])
            .shown_if("mode", 1.0),
        range("replicas", "Replicas", 3.0, 7.0, 1.0, 3.0, ""),
        range("clients", "Clients", 2.0, 4.0, 1.0, 2.0, ""),
    ],
    presets: &[],
};

/// Cluster parameters for a partition-toggles state.
pub fn cluster_params(state: &State) -> ClusterParams {
    let base = match (
        (value!(PARTITION_TOGGLES, state, "mode") as usize),
        (value!(PARTITION_TOGGLES, state, "conflict") as usize),
    ) {
        (0, _) => ClusterParams::CP,
        (1, 0) => ClusterParams::AP_LWW,
        (1, _) => ClusterParams::AP_SIBLINGS,
        _ => ClusterParams::ASYNC,
    };
    ClusterParams {
        replicas: value!(PARTITION_TOGGLES, state, "replicas") as u32,
        clients: value!(PARTITION_TOGGLES, state, "clients") as u32,
        ..base
    }
    .clamped()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::{ms, number, percent};

    /// Each number the decision note states that a constant or a default parameter stands
    /// behind, built from that constant.
    #[test]
    fn the_notes_assumptions_state_the_models_constants() {
        let says = |phrase: &str| crate::note::assert_assumption(ASSUMPTIONS_NOTE, phrase);
        let s = |ms: f64| format!("{} s", number(ms / 1_000.0));
        let p = ClusterParams::BASE; // what every preset starts from
        says(&format!("Every link takes {} one way (± {})", ms(p.latency_ms), percent(LINK_JITTER)));
        says(&format!("A coordinator waits {} for its quorum", s(p.timeout_ms)));
        let cp = ClusterParams::CP;
        says(&format!("{} heartbeats", ms(cp.heartbeat_ms)));
        says(&format!(
            "election timeouts of {} to {}",
            number(cp.election_timeout_ms),
            ms(cp.election_timeout_ms * ELECTION_SPREAD)
        ));
        for ap in [ClusterParams::AP_LWW, ClusterParams::AP_SIBLINGS] {
            assert_eq!(ap.r, ap.w);
            says(&format!("R = W = {}", ap.r));
            says(&format!("R + W ≤ N from {} replicas on", ap.r + ap.w));
            says(&format!("clock runs k × {} behind", ms(ap.clock_skew_ms)));
        }
        says(&format!("for {} (or when the reader fails over)", s(ClusterParams::ASYNC.failover_timeout_ms)));
    }

    #[test]
    fn action_codes_round_trip() {
        let all = [
            Action::Write { client: 1, value: 42 },
            Action::Read { client: 0 },
            Action::Partition(vec![0, 3]),
            Action::HealAll,
            Action::Failover,
            Action::Cut(0, 4),
            Action::Heal(2, 1),
        ];
        for a in all {
            assert_eq!(Action::parse(&a.code()), Some(a.clone()), "{}", a.code());
        }
        for bad in
            ["", "w", "w.1", "w.1.x", "r.1.2", "part", "healall.1", "cut.1", "zap.1.2", "w.-1.2", "w.1.99999999999"]
        {
            assert_eq!(Action::parse(bad), None, "{bad}");
        }
    }
}
