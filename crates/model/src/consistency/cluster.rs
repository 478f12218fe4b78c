//! The simulation's insides: replicas, messages and events, and the [`Cluster`] model with its
//! shared plumbing (links and their latency, clients, coordinators, cuts and heals) and the
//! dispatch of every event to the protocol that handles it. The protocols live next door:
//! [`super::cp`], [`super::ap`] and [`super::async_backup`].

use super::history::{client_name, Op, OpId, OpKind, Outcome};
use super::params::{ClusterParams, Mode, HISTORY_CAP, LINK_JITTER, LOG_CAP};
use super::sim::Role;
use crate::des::{millis, Micros, Model, Scheduler, SEC};
use crate::rng::Rng;
use crate::stats::Ring;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cmd {
    Noop,
    Write { value: u32, op: OpId, coord: u32 },
    Read { op: OpId, coord: u32 },
}

impl Cmd {
    pub(super) fn op(&self) -> Option<OpId> {
        match *self {
            Cmd::Noop => None,
            Cmd::Write { op, .. } | Cmd::Read { op, .. } => Some(op),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Entry {
    pub(super) term: u64,
    pub(super) cmd: Cmd,
    pub(super) at: Micros,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Version {
    pub(super) value: u32,
    pub(super) vv: Vec<u32>,
    pub(super) ts: i64,
    pub(super) writer: u32,
}

impl Version {
    /// `self` has seen everything `other` has (pointwise ≥).
    pub(super) fn covers(&self, other: &Version) -> bool {
        self.vv.iter().zip(&other.vv).all(|(a, b)| a >= b)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct AEntry {
    pub(super) value: u32,
    pub(super) epoch: u32,
    pub(super) seq: u32,
    pub(super) at: Micros,
}

/// Raft's AppendEntries: the leader's log from `prev_len` on.
#[derive(Clone, Debug)]
pub(super) struct Append {
    pub(super) term: u64,
    pub(super) prev_len: usize,
    pub(super) prev_term: u64,
    pub(super) entries: Vec<Entry>,
    pub(super) commit: usize,
}

#[derive(Clone, Debug)]
pub(super) enum Msg {
    Request { op: OpId, kind: OpKind },
    Response { op: OpId, result: Result<Vec<u32>, String> },
    Forward { op: OpId, cmd: Cmd },
    NotLeader { op: OpId, hint: Option<u32> },
    Committed { op: OpId, result: Result<Vec<u32>, String> },
    Append(Append),
    AppendReply { term: u64, ok: bool, len: usize },
    RequestVote { term: u64, last_len: usize, last_term: u64 },
    Vote { term: u64, granted: bool },
    Put { op: OpId, version: Version },
    PutAck { op: OpId },
    Get { op: OpId },
    GetReply { op: OpId, versions: Vec<Version> },
    Versions { versions: Vec<Version> },
    Replicate { epoch: u32, start: usize, entries: Vec<AEntry> },
    Gap { epoch: u32, len: usize },
    Hello { epoch: u32, primary: u32, len: usize },
    SyncReq,
    SyncLog { epoch: u32, log: Vec<AEntry> },
}

#[derive(Clone, Debug)]
pub(super) enum Ev {
    Deliver { from: u32, to: u32, gen: u32, msg: Msg },
    ClientTimeout { client: u32, op: OpId },
    CoordTimeout { replica: u32, op: OpId },
    Election { replica: u32 },
    Heartbeat { replica: u32, term: u64 },
    FailoverCheck { gen: u32 },
}

/// An operation a replica coordinates.
#[derive(Clone, Debug)]
pub(super) struct Pending {
    pub(super) op: OpId,
    pub(super) client: u32,
    pub(super) kind: OpKind,
    /// Cp: where it was last submitted (a leader); Async: the primary it was forwarded to.
    pub(super) target: Option<u32>,
    /// Ap: acks (writes) or replies (reads) so far, counting the coordinator.
    pub(super) acks: u32,
    pub(super) needed: u32,
    pub(super) got: Vec<Version>,
}

#[derive(Clone, Debug)]
pub(super) struct Replica {
    pub(super) role: Role,
    // Cp
    pub(super) term: u64,
    pub(super) voted_for: Option<u32>,
    pub(super) leader_hint: Option<u32>,
    pub(super) log: Vec<Entry>,
    pub(super) commit: usize,
    pub(super) applied: usize,
    pub(super) value: Option<(u32, u64, usize, Micros)>,
    pub(super) applied_ops: Vec<bool>,
    pub(super) deadline: Micros,
    pub(super) votes: u32,
    pub(super) next: Vec<usize>,
    pub(super) matched: Vec<usize>,
    // Ap
    pub(super) versions: Vec<Version>,
    pub(super) counter: u32,
    pub(super) hints: Vec<(u32, Version)>,
    // Async
    pub(super) epoch: u32,
    pub(super) primary: u32,
    pub(super) alog: Vec<AEntry>,
    // every mode
    pub(super) pending: Vec<Pending>,
}

#[derive(Clone)]
pub(super) struct Cluster {
    pub(super) p: ClusterParams,
    pub(super) n: u32,
    pub(super) c: u32,
    pub(super) rng: Rng,
    pub(super) cut: Vec<bool>,
    pub(super) gen: Vec<u32>,
    pub(super) last_delivery: Vec<Micros>,
    /// Per undirected link: one-way latency override (ms).
    pub(super) latency: Vec<Option<f64>>,
    pub(super) reps: Vec<Replica>,
    pub(super) busy: Vec<Option<OpId>>,
    pub(super) history: Vec<Op>,
    pub(super) history_gen: u64,
    pub(super) log: Ring<String>,
    pub(super) dropped: u64,
    /// Where the stale-read comparison stands (see [`super::theory`]).
    pub(super) stale: super::theory::StaleTracker,
    // Async failover manager
    pub(super) primary: u32,
    pub(super) epoch: u32,
    pub(super) isolated_since: Option<Micros>,
    pub(super) isolation_gen: u32,
}

pub(super) fn rname(r: u32) -> String {
    format!("R{r}")
}

impl Cluster {
    pub(super) fn new(p: ClusterParams, seed: u64) -> Self {
        let p = p.clamped();
        let (n, c) = (p.replicas, p.clients);
        let nodes = (n + c) as usize;
        let role0 = |i: u32| match p.mode {
            Mode::Cp if i == 0 => Role::Leader,
            Mode::Cp => Role::Follower,
            Mode::Async if i == 0 => Role::Primary,
            Mode::Async => Role::Backup,
            Mode::Ap => Role::Peer,
        };
        let reps = (0..n)
            .map(|i| Replica {
                role: role0(i),
                term: 1,
                voted_for: Some(0),
                leader_hint: Some(0),
                log: Vec::new(),
                commit: 0,
                applied: 0,
                value: None,
                applied_ops: vec![false; HISTORY_CAP],
                deadline: 0,
                votes: 0,
                next: vec![0; n as usize],
                matched: vec![0; n as usize],
                versions: Vec::new(),
                counter: 0,
                hints: Vec::new(),
                epoch: 1,
                primary: 0,
                alog: Vec::new(),
                pending: Vec::new(),
            })
            .collect();
        Cluster {
            p,
            n,
            c,
            rng: Rng::new(seed),
            cut: vec![false; nodes * nodes],
            gen: vec![0; nodes * nodes],
            last_delivery: vec![0; nodes * nodes],
            latency: vec![None; nodes * nodes],
            reps,
            busy: vec![None; c as usize],
            history: Vec::new(),
            history_gen: 0,
            log: Ring::new(LOG_CAP),
            dropped: 0,
            stale: Default::default(),
            primary: 0,
            epoch: 1,
            isolated_since: None,
            isolation_gen: 0,
        }
    }

    fn nodes(&self) -> u32 {
        self.n + self.c
    }

    pub(super) fn home(&self, client: u32) -> u32 {
        client % self.n
    }

    fn node_name(&self, x: u32) -> String {
        if x < self.n {
            rname(x)
        } else {
            client_name(x - self.n)
        }
    }

    /// Index of the undirected link (a, b).
    fn li(&self, a: u32, b: u32) -> usize {
        let (a, b) = (a.min(b), a.max(b));
        (a * self.nodes() + b) as usize
    }

    pub(super) fn up(&self, a: u32, b: u32) -> bool {
        a == b || !self.cut[self.li(a, b)]
    }

    /// Links the model has: replica–replica and client–home.
    pub(super) fn meaningful(&self, a: u32, b: u32) -> bool {
        let nodes = self.nodes();
        if a == b || a >= nodes || b >= nodes {
            return false;
        }
        match (a < self.n, b < self.n) {
            (true, true) => true,
            (true, false) => self.home(b - self.n) == a,
            (false, true) => self.home(a - self.n) == b,
            (false, false) => false,
        }
    }

    pub(super) fn note(&mut self, now: Micros, text: String) {
        self.log.push(format!("t={} s: {text}", crate::fmt::fixed(now as f64 / SEC as f64, 2)));
    }

    pub(super) fn link_latency_ms(&self, a: u32, b: u32) -> f64 {
        self.latency[self.li(a, b)].unwrap_or(self.p.latency_ms)
    }

    fn hop(&mut self, a: u32, b: u32) -> Micros {
        let base = millis(self.link_latency_ms(a, b)) as f64;
        (base * self.rng.uniform_range(1.0 - LINK_JITTER, 1.0 + LINK_JITTER)) as Micros
    }

    fn max_hop(&self, a: u32, b: u32) -> Micros {
        (millis(self.link_latency_ms(a, b)) as f64 * (1.0 + LINK_JITTER)).ceil() as Micros
    }

    pub(super) fn send(&mut self, s: &mut Scheduler<Ev>, from: u32, to: u32, msg: Msg) {
        if from == to {
            s.after(0, Ev::Deliver { from, to, gen: 0, msg });
            return;
        }
        let l = self.li(from, to);
        if self.cut[l] {
            self.dropped += 1;
            return;
        }
        let hop = self.hop(from, to);
        let d = (from * self.nodes() + to) as usize;
        let t = (s.now() + hop).max(self.last_delivery[d]);
        self.last_delivery[d] = t;
        s.at(t, Ev::Deliver { from, to, gen: self.gen[l], msg });
    }

    pub(super) fn op_label(&self, op: OpId) -> String {
        let o = &self.history[op as usize];
        let who = client_name(o.client);
        match o.kind {
            OpKind::Write(v) => format!("write {v} by client {who}"),
            OpKind::Read => format!("read by client {who}"),
        }
    }

    // --- clients ------------------------------------------------------------------------------

    pub(super) fn invoke(&mut self, s: &mut Scheduler<Ev>, client: u32, kind: OpKind) -> Result<OpId, String> {
        if client >= self.c {
            return Err(format!("no client {client} (there are {})", self.c));
        }
        if let Some(op) = self.busy[client as usize] {
            return Err(format!("client {} is busy with operation #{op}", client_name(client)));
        }
        if self.history.len() >= HISTORY_CAP {
            return Err("history full".into());
        }
        let now = s.now();
        let id = self.history.len() as OpId;
        self.history.push(Op { id, client, kind, invoke: now, complete: None, outcome: Outcome::Pending });
        self.history_gen += 1;
        if matches!(kind, OpKind::Write(_)) {
            self.stale_on_write(now, id);
        }
        self.busy[client as usize] = Some(id);
        let home = self.home(client);
        let label = self.op_label(id);
        self.note(now, format!("{label} sent to {}", rname(home)));
        let node = self.n + client;
        self.send(s, node, home, Msg::Request { op: id, kind });
        let wait = millis(self.p.timeout_ms) + 2 * self.max_hop(node, home) + 2_000;
        s.after(wait, Ev::ClientTimeout { client, op: id });
        Ok(id)
    }

    fn client_done(&mut self, now: Micros, client: u32, op: OpId, result: Result<Vec<u32>, String>) {
        if self.busy.get(client as usize).copied().flatten() != Some(op) {
            return; // late answer after a client-side timeout
        }
        self.busy[client as usize] = None;
        let label = self.op_label(op);
        let text = match &result {
            Ok(_) if matches!(self.history[op as usize].kind, OpKind::Write(_)) => format!("{label} acknowledged"),
            Ok(v) if v.len() > 1 => {
                let vs: Vec<String> = v.iter().map(|x| x.to_string()).collect();
                format!("{label} returned siblings {}", vs.join(", "))
            }
            Ok(v) => format!("{label} returned {}", v.first().copied().unwrap_or(0)),
            Err(e) => {
                let verb =
                    if matches!(self.history[op as usize].kind, OpKind::Write(_)) { "rejected" } else { "failed" };
                format!("{label} {verb}: {e}")
            }
        };
        self.note(now, text);
        let o = &mut self.history[op as usize];
        o.complete = Some(now);
        o.outcome = match result {
            Ok(v) => Outcome::Ok(v),
            Err(e) => Outcome::Err(e),
        };
        self.history_gen += 1;
    }

    // --- coordinators -------------------------------------------------------------------------

    pub(super) fn pending_index(&self, r: u32, op: OpId) -> Option<usize> {
        self.reps[r as usize].pending.iter().position(|p| p.op == op)
    }

    pub(super) fn finish(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId, result: Result<Vec<u32>, String>) {
        let Some(i) = self.pending_index(r, op) else { return };
        let p = self.reps[r as usize].pending.remove(i);
        let node = self.n + p.client;
        self.send(s, r, node, Msg::Response { op, result });
    }

    fn coord_start(&mut self, s: &mut Scheduler<Ev>, r: u32, client: u32, op: OpId, kind: OpKind) {
        self.reps[r as usize].pending.push(Pending {
            op,
            client,
            kind,
            target: None,
            acks: 1,
            needed: 1,
            got: Vec::new(),
        });
        s.after(millis(self.p.timeout_ms), Ev::CoordTimeout { replica: r, op });
        match self.p.mode {
            Mode::Cp => self.cp_submit(s, r, op),
            Mode::Ap => self.ap_start(s, r, op, kind),
            Mode::Async => self.async_start(s, r, op, kind),
        }
    }

    fn coord_timeout(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId) {
        let Some(i) = self.pending_index(r, op) else { return };
        let p = self.reps[r as usize].pending[i].clone();
        let result = match self.p.mode {
            Mode::Cp => Err(format!(
                "no quorum on this side (nothing committed within {} ms)",
                crate::fmt::number(self.p.timeout_ms)
            )),
            Mode::Async => {
                Err(format!("timeout: primary {} did not answer", p.target.map_or("(unknown)".to_string(), rname)))
            }
            Mode::Ap => match p.kind {
                OpKind::Write(_) if self.p.sloppy => {
                    let now = s.now();
                    let label = self.op_label(op);
                    self.note(
                        now,
                        format!("{label}: only {} of W={} acks by the timeout, accepted (sloppy)", p.acks, self.p.w),
                    );
                    Ok(vec![])
                }
                OpKind::Write(_) => Err(format!("write quorum not reached: {} of W={} acknowledged", p.acks, self.p.w)),
                OpKind::Read if self.p.sloppy => Ok(self.ap_values(&p.got)),
                OpKind::Read => Err(format!("read quorum not reached: {} of R={} replied", p.acks, self.p.r)),
            },
        };
        self.finish(s, r, op, result);
    }

    // --- links --------------------------------------------------------------------------------

    fn set_cut(&mut self, a: u32, b: u32) -> bool {
        let l = self.li(a, b);
        if self.cut[l] {
            return false;
        }
        self.cut[l] = true;
        self.gen[l] += 1;
        true
    }

    fn set_healed(&mut self, s: &mut Scheduler<Ev>, a: u32, b: u32) -> bool {
        let l = self.li(a, b);
        if !self.cut[l] {
            return false;
        }
        self.cut[l] = false;
        if a < self.n && b < self.n {
            match self.p.mode {
                Mode::Ap => self.ap_on_heal(s, a, b),
                Mode::Async => self.async_on_heal(s, a, b),
                Mode::Cp => {}
            }
        }
        true
    }

    pub(super) fn cut_link(&mut self, s: &mut Scheduler<Ev>, a: u32, b: u32) -> Result<(), String> {
        if !self.meaningful(a, b) {
            return Err(format!("no link between nodes {a} and {b}"));
        }
        if self.set_cut(a, b) {
            self.stale_on_cut(s.now());
            let text = format!("link {}–{} cut", self.node_name(a), self.node_name(b));
            self.note(s.now(), text);
            self.async_check_isolation(s);
        }
        Ok(())
    }

    pub(super) fn heal_link(&mut self, s: &mut Scheduler<Ev>, a: u32, b: u32) -> Result<(), String> {
        if !self.meaningful(a, b) {
            return Err(format!("no link between nodes {a} and {b}"));
        }
        if self.set_healed(s, a, b) {
            self.stale_on_heal(s.now());
            let text = format!("link {}–{} healed", self.node_name(a), self.node_name(b));
            self.note(s.now(), text);
            self.async_check_isolation(s);
        }
        Ok(())
    }

    pub(super) fn all_links(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for a in 0..self.nodes() {
            for b in a + 1..self.nodes() {
                if self.meaningful(a, b) {
                    out.push((a, b));
                }
            }
        }
        out
    }

    pub(super) fn partition(&mut self, s: &mut Scheduler<Ev>, side_a: &[u32]) -> Result<(), String> {
        if let Some(&x) = side_a.iter().find(|&&x| x >= self.nodes()) {
            return Err(format!("no node {x}"));
        }
        // An unlisted client is on its home replica's side.
        let on_a = |me: &Self, x: u32| side_a.contains(&x) || (x >= me.n && side_a.contains(&me.home(x - me.n)));
        let mut a_names = Vec::new();
        let mut b_names = Vec::new();
        for x in 0..self.nodes() {
            if on_a(self, x) {
                a_names.push(self.node_name(x));
            } else {
                b_names.push(self.node_name(x));
            }
        }
        let mut any = false;
        for (a, b) in self.all_links() {
            if on_a(self, a) != on_a(self, b) {
                any |= self.set_cut(a, b);
            }
        }
        if any {
            self.stale_on_cut(s.now());
            self.note(s.now(), format!("partition: {{{}}} | {{{}}}", a_names.join(", "), b_names.join(", ")));
        }
        self.async_check_isolation(s);
        Ok(())
    }

    pub(super) fn set_latency(&mut self, a: u32, b: u32, ms: Option<f64>) -> Result<(), String> {
        if !self.meaningful(a, b) {
            return Err(format!("no link between nodes {a} and {b}"));
        }
        let l = self.li(a, b);
        self.latency[l] = ms.map(|x| if x.is_nan() { self.p.latency_ms } else { crate::num::clamp(x, 0.1, 1_000.0) });
        Ok(())
    }

    pub(super) fn heal_all(&mut self, s: &mut Scheduler<Ev>) {
        let mut any = false;
        for (a, b) in self.all_links() {
            any |= self.set_healed(s, a, b);
        }
        if any {
            self.stale_on_heal(s.now());
            self.note(s.now(), "all links healed".into());
        }
        self.async_check_isolation(s);
    }
}

impl Model for Cluster {
    type Event = Ev;

    fn handle(&mut self, ev: Ev, s: &mut Scheduler<Ev>) {
        let now = s.now();
        match ev {
            Ev::Deliver { from, to, gen, msg } => {
                if from != to {
                    let l = self.li(from, to);
                    if self.cut[l] || self.gen[l] != gen {
                        self.dropped += 1;
                        return;
                    }
                }
                self.deliver(s, from, to, msg);
            }
            Ev::ClientTimeout { client, op } => {
                let home = self.home(client);
                self.client_done(now, client, op, Err(format!("timeout: no reply from {}", rname(home))));
            }
            Ev::CoordTimeout { replica, op } => self.coord_timeout(s, replica, op),
            Ev::Election { replica } => self.cp_election_timer(s, replica),
            Ev::Heartbeat { replica, term } => self.cp_on_heartbeat(s, replica, term),
            Ev::FailoverCheck { gen } => self.async_on_failover_check(s, gen),
        }
    }
}

impl Cluster {
    /// Dispatches a delivered message: client and coordinator traffic to the plumbing above,
    /// everything else to its protocol's handler (`cp.rs`, `ap.rs`, `async_backup.rs`).
    fn deliver(&mut self, s: &mut Scheduler<Ev>, from: u32, to: u32, msg: Msg) {
        let now = s.now();
        match msg {
            Msg::Request { op, kind } => self.coord_start(s, to, from - self.n, op, kind),
            Msg::Response { op, result } => self.client_done(now, to - self.n, op, result),
            Msg::Committed { op, result } => self.finish(s, to, op, result),
            Msg::Forward { op, cmd } => match self.p.mode {
                Mode::Cp => self.cp_on_forward(s, to, from, op, cmd),
                _ => self.async_on_forward(s, to, from, op, cmd),
            },
            Msg::NotLeader { op, hint } => self.cp_on_not_leader(s, to, from, op, hint),
            Msg::Append(a) => self.cp_on_append(s, to, from, a),
            Msg::AppendReply { term, ok, len } => self.cp_on_append_reply(s, to, from, term, ok, len),
            Msg::RequestVote { term, last_len, last_term } => {
                self.cp_on_request_vote(s, to, from, term, last_len, last_term)
            }
            Msg::Vote { term, granted } => self.cp_on_vote(s, to, from, term, granted),
            Msg::Put { op, version } => self.ap_on_put(s, to, from, op, version),
            Msg::PutAck { op } => self.ap_on_put_ack(s, to, op),
            Msg::Get { op } => self.ap_on_get(s, to, from, op),
            Msg::GetReply { op, versions } => self.ap_on_get_reply(s, to, op, versions),
            Msg::Versions { versions } => self.ap_merge_at(to, &versions),
            Msg::Replicate { epoch, start, entries } => self.async_on_replicate(s, to, from, epoch, start, entries),
            Msg::Gap { epoch, len } => self.async_on_gap(s, to, from, epoch, len),
            Msg::Hello { epoch, primary, len } => self.async_on_hello(s, to, from, epoch, primary, len),
            Msg::SyncReq => self.async_on_sync_req(s, to, from),
            Msg::SyncLog { epoch, log } => self.async_on_sync_log(now, to, from, epoch, log),
        }
    }
}
