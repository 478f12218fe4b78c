//! The simulation's public face: [`ClusterSim`], and the snapshot and views a widget draws.

use super::cluster::{Cluster, Ev};
use super::history::{lost_writes, stale_reads, Op, OpId, OpKind};
use super::linearizability::{check_linearizable, Verdict};
use super::params::{Action, ClusterParams, Conflict, Mode, CLIENT_NAMES};
use crate::des::{Advanced, Engine, Micros};
use std::cell::RefCell;

/// A replica's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Leader,
    Follower,
    Candidate,
    Primary,
    Backup,
    /// Ap replicas are all equal.
    Peer,
}

impl Role {
    /// The role as the picture labels it.
    pub fn name(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Primary => "primary",
            Role::Backup => "backup",
            Role::Peer => "peer",
        }
    }
}

/// A value a replica stores, with its version.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredValue {
    pub value: u32,
    /// Cp: `[term, log index]` of the write; Async: `[epoch, sequence number]`; Ap: the version
    /// vector, one counter per replica.
    pub version: Vec<u32>,
    /// Ap: the coordinator's (skewed) clock when written; Cp and Async: when the write was
    /// appended at the leader or primary. Milliseconds.
    pub timestamp_ms: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaView {
    pub id: u32,
    pub role: Role,
    /// Cp: the replica's term; Async: the epoch it is in; Ap: 0.
    pub term: u64,
    /// Cp: the leader it believes in; Async: the primary it believes in; Ap: `None`.
    pub leader: Option<u32>,
    /// Replicas it has a working link to.
    pub connected: Vec<u32>,
    /// Its side of the network holds a majority of the replicas.
    pub in_majority: bool,
    /// Cp: the committed value; Async: its current value; Ap: its versions (siblings). Empty when
    /// never written.
    pub values: Vec<StoredValue>,
    /// Cp: log length (including no-ops); Async: log length; Ap: 0.
    pub log_len: u32,
    /// Cp: committed entries; others: same as `log_len`.
    pub committed: u32,
    /// Ap: hinted versions waiting for a link to heal.
    pub hints: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClientView {
    pub id: u32,
    pub name: char,
    /// Its node id (for [`ClusterSim::cut`]).
    pub node: u32,
    pub home: u32,
    /// The operation it is waiting for.
    pub busy: Option<OpId>,
}

/// Everything a widget draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterSnapshot {
    pub now: Micros,
    pub mode: Mode,
    pub conflict: Conflict,
    pub replicas: Vec<ReplicaView>,
    pub clients: Vec<ClientView>,
    /// Cut links as node-id pairs `(a, b)` with `a < b`.
    pub cut_links: Vec<(u32, u32)>,
    /// Cp: the leader with the highest term; Async: the current primary; Ap: `None`.
    pub leader: Option<u32>,
    pub history: Vec<Op>,
    /// Human-readable event log, oldest first (at most [`LOG_CAP`](super::LOG_CAP) lines).
    pub log: Vec<String>,
    pub verdict: Verdict,
    pub stale_reads: Vec<OpId>,
    /// Judged against `final_values` (so during a partition: "lost if things settled now").
    pub lost_writes: Vec<OpId>,
    /// What the register would hold once the cluster settles: [`ClusterSim::final_values`].
    pub final_values: Vec<u32>,
    /// Messages dropped on cut links so far.
    pub dropped: u64,
}

impl Cluster {
    fn final_values(&self) -> Vec<u32> {
        match self.p.mode {
            Mode::Cp => {
                let best = self.reps.iter().max_by_key(|r| r.commit).expect("replicas");
                vec![best.value.map_or(0, |v| v.0)]
            }
            Mode::Async => vec![self.async_value(self.primary)],
            Mode::Ap => {
                let mut all = Vec::new();
                for r in &self.reps {
                    all.extend(r.versions.iter().cloned());
                    all.extend(r.hints.iter().map(|h| h.1.clone()));
                }
                self.ap_values(&all)
            }
        }
    }

    fn in_majority(&self, r: u32) -> bool {
        // Size of r's connected component over working replica links.
        let mut seen = vec![false; self.n as usize];
        let mut stack = vec![r];
        seen[r as usize] = true;
        let mut size = 0;
        while let Some(x) = stack.pop() {
            size += 1;
            for y in 0..self.n {
                if !seen[y as usize] && self.up(x, y) {
                    seen[y as usize] = true;
                    stack.push(y);
                }
            }
        }
        size >= self.majority()
    }

    fn replica_view(&self, r: u32) -> ReplicaView {
        let rep = &self.reps[r as usize];
        let ms = |t: Micros| t as f64 / 1_000.0;
        let (term, leader, values, log_len, committed) = match self.p.mode {
            Mode::Cp => (
                rep.term,
                if rep.role == Role::Leader { Some(r) } else { rep.leader_hint },
                rep.value
                    .map(|(value, term, idx, at)| StoredValue {
                        value,
                        version: vec![term as u32, idx as u32],
                        timestamp_ms: ms(at),
                    })
                    .into_iter()
                    .collect(),
                rep.log.len() as u32,
                rep.commit as u32,
            ),
            Mode::Async => (
                rep.epoch as u64,
                Some(rep.primary),
                rep.alog
                    .last()
                    .map(|e| StoredValue { value: e.value, version: vec![e.epoch, e.seq], timestamp_ms: ms(e.at) })
                    .into_iter()
                    .collect(),
                rep.alog.len() as u32,
                rep.alog.len() as u32,
            ),
            Mode::Ap => (
                0,
                None,
                rep.versions
                    .iter()
                    .map(|v| StoredValue { value: v.value, version: v.vv.clone(), timestamp_ms: v.ts as f64 / 1_000.0 })
                    .collect(),
                0,
                0,
            ),
        };
        ReplicaView {
            id: r,
            role: rep.role,
            term,
            leader,
            connected: (0..self.n).filter(|&o| o != r && self.up(r, o)).collect(),
            in_majority: self.in_majority(r),
            values,
            log_len,
            committed,
            hints: rep.hints.len() as u32,
        }
    }

    fn leader(&self) -> Option<u32> {
        match self.p.mode {
            Mode::Cp => (0..self.n)
                .filter(|&r| self.reps[r as usize].role == Role::Leader)
                .max_by_key(|&r| (self.reps[r as usize].term, std::cmp::Reverse(r))),
            Mode::Async => Some(self.primary),
            Mode::Ap => None,
        }
    }
}

/// The consistency simulation: a cluster, its clients, the network and the recorded history.
#[derive(Clone)]
pub struct ClusterSim {
    engine: Engine<Cluster>,
    seed: u64,
    verdict_cache: RefCell<Option<(u64, Verdict)>>,
}

impl ClusterSim {
    /// A cluster in its initial state: nothing written, all links up; in Cp mode R0 leads term 1,
    /// in Async mode R0 is primary in epoch 1.
    pub fn new(params: ClusterParams, seed: u64) -> Self {
        let mut engine = Engine::new(Cluster::new(params, seed));
        if engine.model.p.mode == Mode::Cp {
            let n = engine.model.n;
            engine.sched.at(0, Ev::Heartbeat { replica: 0, term: 1 });
            for r in 0..n {
                engine.model.reset_deadline(r, 0);
                let at = engine.model.reps[r as usize].deadline;
                engine.sched.at(at, Ev::Election { replica: r });
            }
        }
        ClusterSim { engine, seed, verdict_cache: RefCell::new(None) }
    }

    pub fn params(&self) -> &ClusterParams {
        &self.engine.model.p
    }

    pub(super) fn model(&self) -> &Cluster {
        &self.engine.model
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn now(&self) -> Micros {
        self.engine.now()
    }

    pub fn step(&mut self) -> bool {
        self.engine.step()
    }

    /// Runs `dt` of simulated time.
    pub fn advance(&mut self, dt: Micros) -> u64 {
        self.engine.advance(dt)
    }

    /// Runs towards `to`, handling at most `max_events`; see [`Engine::advance_to`].
    pub fn advance_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        self.engine.advance_to(to, max_events)
    }

    pub fn events_handled(&self) -> u64 {
        self.engine.events_handled()
    }

    /// The node id of client `client` (for [`Self::cut`] and [`Self::heal`]).
    pub fn client_node(&self, client: u32) -> u32 {
        self.engine.model.n + client
    }

    /// The replica that coordinates `client`'s operations.
    pub fn home(&self, client: u32) -> u32 {
        self.engine.model.home(client)
    }

    pub fn is_busy(&self, client: u32) -> bool {
        self.engine.model.busy.get(client as usize).copied().flatten().is_some()
    }

    /// Client `client` writes `value` now. Refused (not recorded) if the client is busy, does not
    /// exist, or the history is full. Values should be non-zero: 0 is the initial value.
    pub fn write(&mut self, client: u32, value: u32) -> Result<OpId, String> {
        let e = &mut self.engine;
        e.model.invoke(&mut e.sched, client, OpKind::Write(value))
    }

    /// Client `client` reads now. Refused like [`Self::write`].
    pub fn read(&mut self, client: u32) -> Result<OpId, String> {
        let e = &mut self.engine;
        e.model.invoke(&mut e.sched, client, OpKind::Read)
    }

    /// Cuts the link between nodes `a` and `b` (replica–replica or client–home).
    pub fn cut(&mut self, a: u32, b: u32) -> Result<(), String> {
        let e = &mut self.engine;
        e.model.cut_link(&mut e.sched, a, b)
    }

    /// Heals the link between nodes `a` and `b`.
    pub fn heal(&mut self, a: u32, b: u32) -> Result<(), String> {
        let e = &mut self.engine;
        e.model.heal_link(&mut e.sched, a, b)
    }

    /// Cuts every link between `side_a` and the other nodes. Clients not listed are on their home
    /// replica's side. Links already cut stay cut.
    pub fn partition(&mut self, side_a: &[u32]) -> Result<(), String> {
        let e = &mut self.engine;
        e.model.partition(&mut e.sched, side_a)
    }

    pub fn heal_all(&mut self) {
        let e = &mut self.engine;
        e.model.heal_all(&mut e.sched)
    }

    /// Sets the one-way latency of the link between nodes `a` and `b` (clamped to 0.1–1000 ms;
    /// `None` restores `latency_ms`). Messages already on the link keep their delivery time.
    pub fn set_link_latency(&mut self, a: u32, b: u32, latency_ms: Option<f64>) -> Result<(), String> {
        self.engine.model.set_latency(a, b, latency_ms)
    }

    /// The one-way latency of the link between nodes `a` and `b` in ms (`None` if there is no such
    /// link).
    pub fn link_latency_ms(&self, a: u32, b: u32) -> Option<f64> {
        let m = &self.engine.model;
        m.meaningful(a, b).then(|| m.link_latency_ms(a, b))
    }

    /// Async mode: promotes the most up-to-date replica other than the primary. Returns it.
    pub fn failover(&mut self) -> Result<u32, String> {
        let e = &mut self.engine;
        e.model.failover(&mut e.sched, false)
    }

    /// Applies a tour step or a reader's action now. Returns the operation id for reads and
    /// writes.
    pub fn apply(&mut self, action: &Action) -> Result<Option<OpId>, String> {
        match action {
            Action::Write { client, value } => self.write(*client, *value).map(Some),
            Action::Read { client } => self.read(*client).map(Some),
            Action::Partition(side) => self.partition(side).map(|_| None),
            Action::HealAll => {
                self.heal_all();
                Ok(None)
            }
            Action::Failover => self.failover().map(|_| None),
            Action::Cut(a, b) => self.cut(*a, *b).map(|_| None),
            Action::Heal(a, b) => self.heal(*a, *b).map(|_| None),
        }
    }

    /// Every operation so far, in invocation order (`history()[i].id == i`).
    pub fn history(&self) -> &[Op] {
        &self.engine.model.history
    }

    /// What the register holds once the cluster settles: Cp, the value at the highest commit
    /// index; Async, the current primary's value; Ap, every version anywhere (including hints)
    /// merged under the conflict rule. `[0]` when never written.
    pub fn final_values(&self) -> Vec<u32> {
        self.engine.model.final_values()
    }

    /// [`check_linearizable`] of the history, cached until the history changes.
    pub fn verdict(&self) -> Verdict {
        let gen = self.engine.model.history_gen;
        let mut cache = self.verdict_cache.borrow_mut();
        match &*cache {
            Some((g, v)) if *g == gen => v.clone(),
            _ => {
                let v = check_linearizable(&self.engine.model.history);
                *cache = Some((gen, v.clone()));
                v
            }
        }
    }

    pub fn snapshot(&self) -> ClusterSnapshot {
        let m = &self.engine.model;
        let final_values = m.final_values();
        ClusterSnapshot {
            now: self.engine.now(),
            mode: m.p.mode,
            conflict: m.p.conflict,
            replicas: (0..m.n).map(|r| m.replica_view(r)).collect(),
            clients: (0..m.c)
                .map(|i| ClientView {
                    id: i,
                    name: CLIENT_NAMES[i as usize],
                    node: m.n + i,
                    home: m.home(i),
                    busy: m.busy[i as usize],
                })
                .collect(),
            cut_links: m.all_links().into_iter().filter(|&(a, b)| !m.up(a, b)).collect(),
            leader: m.leader(),
            history: m.history.clone(),
            log: m.log.iter().cloned().collect(),
            verdict: self.verdict(),
            stale_reads: stale_reads(&m.history),
            lost_writes: lost_writes(&m.history, &final_values),
            final_values,
            dropped: m.dropped,
        }
    }
}
