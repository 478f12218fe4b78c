//! Consistency under partitions: one replicated register, three ways to replicate it, a recorded
//! history and a linearizability checker.
//!
//! A cluster has 3–7 replicas (`R0`…`R6`) and 2–4 clients (`A`…`D`). Client `i` talks only to its
//! *home* replica `i % replicas`, which coordinates its operations. Every replica–replica link and
//! every client–home link can be cut and healed on its own; a message on a cut link is dropped (a
//! link that is cut and healed while a message is on it drops it too). Each hop takes the link
//! latency ± [`LINK_JITTER`] (seeded), and a link delivers in order.
//!
//! Node ids, used by [`ClusterSim::cut`], [`ClusterSim::heal`] and [`ClusterSim::partition`]:
//! replicas are `0..replicas`, client `i` is node `replicas + i` ([`ClusterSim::client_node`]).
//!
//! # Modes
//!
//! - [`Mode::Cp`] — a leader with majority quorums, in the manner of Raft (Ongaro & Ousterhout,
//!   "In Search of an Understandable Consensus Algorithm", 2014). `R0` leads term 1. The leader
//!   appends each operation to its log, replicates it and commits it once a majority holds it;
//!   only then does the coordinator answer. **Reads go through the log too** (the simplest
//!   linearizable read: a read is answered with the value at its log position once that position
//!   is committed, so it is confirmed by a majority; Raft's ReadIndex and leases are optimisations
//!   of this and are not modelled). A coordinator that is not the leader forwards to the leader it
//!   knows of; if nothing commits within the timeout it answers "no quorum on this side".
//!   Followers that hear nothing from a leader for a randomized election timeout (1–2× the
//!   parameter) start an election: a higher term, votes granted at most once per term and only to
//!   a candidate whose log is at least as up to date (last term, then length). A leader commits
//!   only entries of its own term by counting (earlier ones commit with them), and a new leader
//!   appends a no-op so that happens promptly. So there is at most one leader per term and every
//!   leader holds every committed entry: the history is linearizable whatever the cuts.
//!   Operations carry ids and the state machine applies a write once, so a coordinator may safely
//!   re-forward an operation when it learns of a new leader. No pre-vote: a replica cut off from
//!   the leader keeps raising its term and, on heal, forces one election.
//! - [`Mode::Ap`] — leaderless, Dynamo-style (DeCandia et al., SOSP 2007) with N = `replicas` and
//!   the `r` and `w` parameters. A write gets a version vector (the coordinator merges the vectors
//!   it holds and bumps its own counter) and a timestamp from the coordinator's clock (replica `k`'s
//!   clock runs `k × clock_skew_ms` behind true time). The coordinator stores it and sends it to
//!   every replica it can reach, and acknowledges after `w` acks counting itself. With `sloppy`,
//!   when fewer than `w` replicas are reachable it acknowledges with the reachable ones; the
//!   missing replicas get a *hint* handed off when the link heals. A read asks every reachable
//!   replica and answers from the first `r` (counting itself; with `sloppy`, as many as are
//!   reachable), merging what they hold, and repairs the coordinator's own copy. Conflicts:
//!   [`Conflict::LastWriterWins`] keeps the version with the greatest (timestamp, replica id), so
//!   one of two concurrent writes is silently dropped; [`Conflict::Siblings`] keeps concurrent
//!   versions and a read returns all of them. When a replica–replica link heals, the two replicas
//!   exchange everything they hold (anti-entropy). No periodic anti-entropy, no Merkle trees.
//! - [`Mode::Async`] — asynchronous primary–backup. The primary (initially `R0`) applies a write
//!   and acknowledges at once, then ships it to the backups (one hop later). A backup coordinator
//!   forwards writes to the primary it believes in, and answers reads from its own copy: fast,
//!   possibly stale. A failover (manual, [`ClusterSim::failover`], or automatic once the primary has
//!   been cut from every other replica for `failover_timeout_ms`) is decided by a failover manager
//!   that sees every replica (like a cloud control plane outside the partition): it promotes the
//!   most up-to-date other replica (highest epoch, then longest log, then lowest id) in a new
//!   epoch. The old primary is not fenced: until it hears of the new epoch it keeps acknowledging
//!   writes (split brain). On heal, replicas exchange their epochs; a replica behind rolls its log
//!   back to the new primary's, and acknowledged writes the new primary never received are lost.
//!
//! # History and checking
//!
//! Every client operation is recorded as an [`Op`] (at most [`HISTORY_CAP`]; later invocations
//! are refused with "history full"). [`check_linearizable`] decides whether a history is
//! linearizable for one register (initial value 0, "never written"), [`stale_reads`] and
//! [`lost_writes`] name the two anomalies a reader can see, and the quorum functions of
//! [`crate::quorum`], re-exported here ([`pbs_stale_probability`] and friends), give the arithmetic
//! behind R + W > N and PACELC.
//!
//! # Layout
//!
//! `params.rs`: the caps, [`Mode`], [`Conflict`], [`ClusterParams`], [`Action`] and the tour.
//! `history.rs`: [`Op`] and the anomaly finders; `linearizability.rs`: the checker. `cluster.rs`:
//! the model's insides (replicas, messages, events) and the plumbing every mode shares (links,
//! clients, coordinators, cuts and heals, the event dispatch); each protocol's handlers are
//! `impl` blocks of the same model in `cp.rs`, `ap.rs` and `async_backup.rs`. `sim.rs`:
//! [`ClusterSim`], the snapshot and the views. `text.rs`: the verdict line, node and operation
//! labels, and the decision note's facts. `replay.rs`: [`ClusterReplay`], the run (tour included) a
//! share link replays. Everything public is re-exported here.

mod ap;
mod async_backup;
mod cluster;
mod cp;
mod history;
mod linearizability;
mod params;
mod replay;
mod sim;
mod text;
mod theory;

pub use crate::quorum::{
    binomial, pbs_stale_probability, quantile, quorum_latency_samples, quorum_overlap, read_tolerates,
    simulate_stale_rate, summarize, write_tolerates, LatencySummary,
};
pub use history::{client_name, lost_writes, stale_reads, Op, OpId, OpKind, Outcome};
pub use linearizability::{check_linearizable, check_linearizable_counted, Verdict, MAX_CHECK_OPS, MAX_CHECK_STATES};
pub use params::{
    cluster_params, tour_steps, Action, ClusterParams, Conflict, Mode, TourStep, CLIENT_NAMES, HISTORY_CAP,
    LINK_JITTER, LOG_CAP, MAX_CLIENTS, MAX_REPLICAS, MIN_CLIENTS, MIN_REPLICAS, PARTITION_TOGGLES,
};
pub use replay::{ClusterAction, ClusterReplay, ClusterRun, SCENARIOS};
pub use sim::{ClientView, ClusterSim, ClusterSnapshot, ReplicaView, Role, StoredValue};
pub use text::{
    node_label, op_label, partition_readouts, partition_toggles_facts, time_text, values_text, verdict_text,
};
pub use theory::StaleDeparture;
