//! The timeout / thread-pool model: a service with `threads` worker threads. A share of its
//! requests call a dependency (connect, then wait for the response); the rest do a little local
//! work. Requests that find every thread busy wait in a bounded backlog; the upstream caller gives
//! up after its own timeout.
//!
//! With no timeouts (or loose ones), a slow or black-holed dependency holds threads until the pool
//! is exhausted, and then requests that never touch the dependency fail too: the failure spreads
//! upstream. With timeouts tighter than the dependency's normal tail, healthy calls fail: the
//! spurious failures the article warns about.
//!
//! A missing connect timeout falls back to the operating system's: Linux gives up on an
//! unanswered SYN after about 127 s (6 retries, `tcp_syn_retries`).

use crate::des::{millis, Advanced, Engine, Micros, Model, Scheduler, MS, SEC};
use crate::fmt::{ms, num, percent, plural};
use crate::note::{Facts, Readout};
use crate::queueing::{Agreement, Comparison, Unit};
use crate::replay::{Replay, Replayable};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::spec::{range, State, WidgetSpec};
use crate::stats::{Histogram, Ring};
use crate::value;
use std::collections::VecDeque;

/// Length of one statistics window.
pub const WINDOW: Micros = 100 * MS;
/// Windows kept in the time series (60 s).
pub const SERIES_LEN: usize = 600;
/// The kernel's connect timeout when the application sets none.
pub const OS_CONNECT_TIMEOUT_MS: f64 = 127_000.0;
/// Local work for requests that do not call the dependency.
const LOCAL_WORK_MS: f64 = 5.0;
/// The connect time's p99 / median.
const CONNECT_TAIL: f64 = 3.0;

/// Parameters (times in ms; a timeout of 0 means "not set").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolParams {
    pub arrival_rps: f64,
    pub threads: u32,
    /// Requests that may wait for a thread; more are rejected at once.
    pub backlog: u32,
    /// Fraction of requests that call the dependency.
    pub dependency_share: f64,
    /// The dependency's median response time when healthy.
    pub dep_median_ms: f64,
    /// The dependency's p99 / median.
    pub dep_tail: f64,
    /// Median time to establish a connection.
    pub connect_ms: f64,
    pub connect_timeout_ms: f64,
    pub read_timeout_ms: f64,
    pub overall_timeout_ms: f64,
    /// How long the upstream caller waits for this service.
    pub upstream_timeout_ms: f64,
}

impl PoolParams {
    const BASE: PoolParams = PoolParams {
        arrival_rps: 400.0,
        threads: 100,
        backlog: 200,
        dependency_share: 0.5,
        dep_median_ms: 50.0,
        dep_tail: 4.0,
        connect_ms: 1.0,
        connect_timeout_ms: 0.0,
        read_timeout_ms: 0.0,
        overall_timeout_ms: 0.0,
        upstream_timeout_ms: 1_000.0,
    };
    /// No timeouts at all: the default of many HTTP clients.
    pub const NO_TIMEOUTS: PoolParams = PoolParams::BASE;
    /// Timeouts below the healthy p99: spurious failures.
    pub const TOO_TIGHT: PoolParams =
        PoolParams { connect_timeout_ms: 5.0, read_timeout_ms: 60.0, overall_timeout_ms: 80.0, ..PoolParams::BASE };
    /// Timeouts above the healthy p99 but far below the upstream's patience.
    pub const BALANCED: PoolParams =
        PoolParams { connect_timeout_ms: 50.0, read_timeout_ms: 300.0, overall_timeout_ms: 350.0, ..PoolParams::BASE };
    /// Timeouts longer than the upstream waits: they protect nothing.
    pub const TOO_LOOSE: PoolParams = PoolParams {
        connect_timeout_ms: 1_000.0,
        read_timeout_ms: 2_000.0,
        overall_timeout_ms: 3_000.0,
        ..PoolParams::BASE
    };

    pub const PRESETS: [(&'static str, PoolParams); 4] = [
        ("none", PoolParams::NO_TIMEOUTS),
        ("tight", PoolParams::TOO_TIGHT),
        ("balanced", PoolParams::BALANCED),
        ("loose", PoolParams::TOO_LOOSE),
    ];

    pub fn clamped(mut self) -> Self {
        let c = crate::num::clamp_or_low;
        self.arrival_rps = c(self.arrival_rps, 1.0, 20_000.0);
        self.threads = self.threads.clamp(1, 2_000);
        self.backlog = self.backlog.clamp(0, 100_000);
        self.dependency_share = c(self.dependency_share, 0.0, 1.0);
        self.dep_median_ms = c(self.dep_median_ms, 0.1, 60_000.0);
        self.dep_tail = c(self.dep_tail, 1.0, 100.0);
        self.connect_ms = c(self.connect_ms, 0.0, 10_000.0);
        self.connect_timeout_ms = c(self.connect_timeout_ms, 0.0, 600_000.0);
        self.read_timeout_ms = c(self.read_timeout_ms, 0.0, 600_000.0);
        self.overall_timeout_ms = c(self.overall_timeout_ms, 0.0, 600_000.0);
        self.upstream_timeout_ms = c(self.upstream_timeout_ms, 1.0, 600_000.0);
        self
    }

    /// The healthy dependency's p99 response time (connect excluded), from the log-normal model.
    pub fn dep_p99_ms(&self) -> f64 {
        self.dep_median_ms * self.dep_tail
    }
}

/// Faults injected by the reader.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PoolFaultKind {
    /// Responses take this many times longer.
    Slow(f64),
    /// Connection attempts are silently dropped (a black-holed host or a full SYN queue).
    BlackHole,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolFault {
    pub kind: PoolFaultKind,
    pub start: Micros,
    pub duration: Micros,
}

/// How a call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallEnd {
    Ok,
    ConnectTimeout,
    ReadTimeout,
    OverallTimeout,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PoolEvent {
    Arrival,
    Done { thread: u32, end: CallEnd, arrived: Micros, spurious: bool, dep: bool },
    FaultStart { index: u32 },
    FaultEnd { index: u32 },
    Window,
}

/// One window (rates per second, latencies in ms as the upstream sees them).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PoolSample {
    pub t: f64,
    pub busy: u32,
    pub backlog: u32,
    pub ok: f64,
    pub timeouts: f64,
    /// Timeouts of calls the healthy dependency would have answered.
    pub spurious: f64,
    pub rejected: f64,
    /// Requests the upstream gave up on (waited too long for a thread, or took too long).
    pub upstream_failed: f64,
    /// Upstream failures among requests that never needed the dependency.
    pub collateral: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Totals. Invariant: `requests == ok + failed + rejected + in_system`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolTotals {
    pub requests: u64,
    pub ok: u64,
    pub failed: u64,
    pub rejected: u64,
    pub in_system: u64,
    pub connect_timeouts: u64,
    pub read_timeouts: u64,
    pub overall_timeouts: u64,
    pub spurious: u64,
    pub upstream_failed: u64,
    pub collateral: u64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolSnapshot {
    pub now: Micros,
    pub totals: PoolTotals,
    pub last: PoolSample,
    pub busy: u32,
    pub threads: u32,
    pub backlog: u32,
    /// Failed fraction of the last second's completed requests (as the upstream sees them).
    pub error_rate: f64,
    pub fault_active: bool,
}

#[derive(Clone, Copy, Debug, Default)]
struct Win {
    ok: u32,
    timeouts: u32,
    spurious: u32,
    rejected: u32,
    upstream_failed: u32,
    collateral: u32,
    finished: u32,
}

/// The pool's own statistics since the run last met Little's law's premises for its closed-form
/// holding time: no fault, no timeout cutting a call short, nobody rejected or abandoned.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PoolTheoryStats {
    /// Collecting since then; `None` while the backlog drains after a departure.
    pub since: Option<Micros>,
    /// When the run last left the premises, and why.
    pub departed: Option<(Micros, PoolDeparture)>,
    /// ∫ busy threads dt since `since` (thread·µs).
    pub busy_area: f64,
    /// Requests that took a thread since `since`.
    pub started: u64,
    last_mark: Micros,
}

/// What took the pool outside the closed form's premises last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolDeparture {
    Fault,
    Timeout,
    /// A request was rejected (backlog full) or abandoned by its caller.
    Lost,
}

/// Busy threads a pool must have averaged over at least this long (simulated) before they are
/// compared with Little's law (see the `theory` tests for the noise at this length).
pub const THEORY_MIN_SECONDS: f64 = 10.0;

/// The mean time a request holds a thread when every call runs to completion (no timeout, no
/// fault), in ms: local work for the share that does not call the dependency, connect plus
/// response for the rest, each log-normal with mean median·e^{σ²/2}, σ = ln(p99/median) / z₀.₉₉.
pub fn mean_holding_ms(p: &PoolParams) -> f64 {
    let lognormal_mean = |median: f64, tail: f64| {
        let sigma = libm::log(tail.max(1.0)) / crate::rng::Z99;
        median * libm::exp(sigma * sigma / 2.0)
    };
    let dep = lognormal_mean(p.connect_ms, CONNECT_TAIL) + lognormal_mean(p.dep_median_ms, p.dep_tail);
    (1.0 - p.dependency_share) * LOCAL_WORK_MS + p.dependency_share * dep
}

#[derive(Clone)]
struct Pool {
    p: PoolParams,
    rng: Rng,
    arrivals: Rng,
    faults: Vec<PoolFault>,
    slow: f64,
    black_holes: u32,
    idle: Vec<u32>,
    threads_busy: Vec<bool>,
    /// Waiting requests: (arrival time, calls the dependency?).
    backlog: VecDeque<(Micros, bool)>,
    totals: PoolTotals,
    win: Win,
    lat: Histogram,
    series: Ring<PoolSample>,
    last_second: [(u32, u32); 10],
    ls_i: usize,
    theory: PoolTheoryStats,
}

impl Pool {
    fn timeout(ms: f64) -> Option<Micros> {
        (ms > 0.0).then(|| millis(ms))
    }

    /// Starts a request on `thread`: decides how the call ends and when.
    fn start(&mut self, thread: u32, arrived: Micros, dep: bool, s: &mut Scheduler<PoolEvent>) {
        self.threads_busy[thread as usize] = true;
        if self.theory.since.is_some() {
            self.theory.started += 1;
        }
        if !dep {
            let d = self.rng.exp(millis(LOCAL_WORK_MS) as f64) as Micros;
            s.after(d, PoolEvent::Done { thread, end: CallEnd::Ok, arrived, spurious: false, dep: false });
            return;
        }
        let p = self.p;
        let connect_to = Self::timeout(p.connect_timeout_ms).unwrap_or(millis(OS_CONNECT_TIMEOUT_MS));
        let read_to = Self::timeout(p.read_timeout_ms);
        let overall_to = Self::timeout(p.overall_timeout_ms);
        let healthy_connect = self.rng.lognormal_median_tail(millis(p.connect_ms) as f64, CONNECT_TAIL) as Micros;
        let healthy_read = self.rng.lognormal_median_tail(millis(p.dep_median_ms) as f64, p.dep_tail) as Micros;
        let faulty = self.black_holes > 0 || self.slow > 1.0;
        let connect = if self.black_holes > 0 { Micros::MAX / 4 } else { healthy_connect };
        let read = (healthy_read as f64 * self.slow) as Micros;

        let (dur, end) = if connect > connect_to {
            (connect_to, CallEnd::ConnectTimeout)
        } else {
            match read_to {
                Some(rt) if read > rt => (connect + rt, CallEnd::ReadTimeout),
                _ => (connect + read, CallEnd::Ok),
            }
        };
        let (dur, end) = match overall_to {
            Some(ot) if dur > ot => (ot, CallEnd::OverallTimeout),
            _ => (dur, end),
        };
        // Spurious: a timeout although the dependency is healthy and would have answered.
        let spurious = end != CallEnd::Ok && !faulty;
        s.after(dur, PoolEvent::Done { thread, end, arrived, spurious, dep: true });
    }

    /// Adds the busy threads since the last change to the Little's-law integral.
    fn theory_mark(&mut self, now: Micros) {
        let busy = (self.p.threads as usize - self.idle.len()) as f64;
        let t = &mut self.theory;
        if t.since.is_some() {
            t.busy_area += busy * now.saturating_sub(t.last_mark) as f64;
        }
        t.last_mark = now;
    }

    /// The run left the premises at `now`; the statistics start again once it is back (no fault,
    /// an empty backlog).
    fn theory_depart(&mut self, now: Micros, why: PoolDeparture) {
        self.theory = PoolTheoryStats { departed: Some((now, why)), last_mark: now, ..Default::default() };
        self.theory_resume(now);
    }

    fn theory_resume(&mut self, now: Micros) {
        if self.theory.since.is_none() && self.backlog.is_empty() && self.slow == 1.0 && self.black_holes == 0 {
            self.theory.since = Some(now);
            self.theory.last_mark = now;
        }
    }

    fn upstream_gave_up(&self, arrived: Micros, now: Micros) -> bool {
        now.saturating_sub(arrived) > millis(self.p.upstream_timeout_ms)
    }

    fn finish_failed(&mut self, dep: bool) {
        self.totals.failed += 1;
        self.totals.upstream_failed += 1;
        self.win.upstream_failed += 1;
        if !dep {
            self.totals.collateral += 1;
            self.win.collateral += 1;
        }
        self.win.finished += 1;
        self.last_second[self.ls_i].1 += 1;
    }

    /// Hands the freed thread the oldest waiting request whose caller still waits.
    fn next_from_backlog(&mut self, thread: u32, s: &mut Scheduler<PoolEvent>) {
        let now = s.now();
        while let Some((arrived, dep)) = self.backlog.pop_front() {
            if self.upstream_gave_up(arrived, now) {
                self.theory_depart(now, PoolDeparture::Lost);
                self.totals.in_system -= 1;
                self.finish_failed(dep);
                continue;
            }
            self.start(thread, arrived, dep, s);
            return;
        }
        self.threads_busy[thread as usize] = false;
        self.idle.push(thread);
        self.theory_resume(now);
    }
}

impl Model for Pool {
    type Event = PoolEvent;
    fn handle(&mut self, ev: PoolEvent, s: &mut Scheduler<PoolEvent>) {
        let now = s.now();
        if matches!(ev, PoolEvent::Arrival | PoolEvent::Done { .. }) {
            self.theory_mark(now);
        }
        match ev {
            PoolEvent::Arrival => {
                let gap = self.arrivals.exp(SEC as f64 / self.p.arrival_rps) as Micros;
                s.after(gap.max(1), PoolEvent::Arrival);
                let dep = self.arrivals.chance(self.p.dependency_share);
                self.totals.requests += 1;
                if let Some(t) = self.idle.pop() {
                    self.totals.in_system += 1;
                    self.start(t, now, dep, s);
                } else if self.backlog.len() < self.p.backlog as usize {
                    self.totals.in_system += 1;
                    self.backlog.push_back((now, dep));
                } else {
                    self.theory_depart(now, PoolDeparture::Lost);
                    self.totals.rejected += 1;
                    self.win.rejected += 1;
                    self.win.finished += 1;
                    self.last_second[self.ls_i].1 += 1;
                }
            }
            PoolEvent::Done { thread, end, arrived, spurious, dep } => {
                self.totals.in_system -= 1;
                match end {
                    CallEnd::Ok if !self.upstream_gave_up(arrived, now) => {
                        self.totals.ok += 1;
                        self.win.ok += 1;
                        self.win.finished += 1;
                        self.last_second[self.ls_i].0 += 1;
                        self.last_second[self.ls_i].1 += 1;
                        self.lat.record(now - arrived);
                    }
                    CallEnd::Ok => {
                        self.theory_depart(now, PoolDeparture::Lost);
                        self.finish_failed(dep);
                    }
                    _ => {
                        self.theory_depart(now, PoolDeparture::Timeout);
                        match end {
                            CallEnd::ConnectTimeout => self.totals.connect_timeouts += 1,
                            CallEnd::ReadTimeout => self.totals.read_timeouts += 1,
                            _ => self.totals.overall_timeouts += 1,
                        }
                        self.win.timeouts += 1;
                        if spurious {
                            self.totals.spurious += 1;
                            self.win.spurious += 1;
                        }
                        self.totals.failed += 1;
                        self.win.finished += 1;
                        self.last_second[self.ls_i].1 += 1;
                    }
                }
                self.next_from_backlog(thread, s);
            }
            PoolEvent::FaultStart { index } => {
                match self.faults[index as usize].kind {
                    PoolFaultKind::Slow(f) => self.slow = crate::num::clamp(f, 1.0, 1_000.0),
                    PoolFaultKind::BlackHole => self.black_holes += 1,
                }
                self.theory_depart(now, PoolDeparture::Fault);
            }
            PoolEvent::FaultEnd { index } => {
                match self.faults[index as usize].kind {
                    PoolFaultKind::Slow(_) => self.slow = 1.0,
                    PoolFaultKind::BlackHole => self.black_holes = self.black_holes.saturating_sub(1),
                }
                self.theory_depart(now, PoolDeparture::Fault);
            }
            PoolEvent::Window => {
                let per_s = SEC as f64 / WINDOW as f64;
                let w = std::mem::take(&mut self.win);
                let ms = |v: Option<u64>| v.map_or(0.0, |x| x as f64 / MS as f64);
                self.series.push(PoolSample {
                    t: now as f64 / SEC as f64,
                    busy: self.p.threads - self.idle.len() as u32,
                    backlog: self.backlog.len() as u32,
                    ok: w.ok as f64 * per_s,
                    timeouts: w.timeouts as f64 * per_s,
                    spurious: w.spurious as f64 * per_s,
                    rejected: w.rejected as f64 * per_s,
                    upstream_failed: w.upstream_failed as f64 * per_s,
                    collateral: w.collateral as f64 * per_s,
                    p50_ms: ms(self.lat.quantile(0.5)),
                    p99_ms: ms(self.lat.quantile(0.99)),
                });
                self.lat.clear();
                self.ls_i = (self.ls_i + 1) % self.last_second.len();
                self.last_second[self.ls_i] = (0, 0);
                s.after(WINDOW, PoolEvent::Window);
            }
        }
    }
}

/// A stepped timeout / thread-pool simulation.
#[derive(Clone)]
pub struct PoolSim {
    engine: Engine<Pool>,
}

impl PoolSim {
    pub fn new(params: PoolParams, seed: u64) -> Self {
        let p = params.clamped();
        let m = Pool {
            p,
            rng: Rng::new(seed ^ 0x5851_F42D_4C95_7F2D),
            arrivals: Rng::new(seed),
            faults: Vec::new(),
            slow: 1.0,
            black_holes: 0,
            idle: (0..p.threads).rev().collect(),
            threads_busy: vec![false; p.threads as usize],
            backlog: VecDeque::new(),
            totals: PoolTotals::default(),
            win: Win::default(),
            lat: Histogram::new(),
            series: Ring::new(SERIES_LEN),
            last_second: [(0, 0); 10],
            ls_i: 0,
            theory: PoolTheoryStats { since: Some(0), ..Default::default() },
        };
        let mut engine = Engine::new(m);
        engine.sched.at(0, PoolEvent::Arrival);
        engine.sched.at(WINDOW, PoolEvent::Window);
        PoolSim { engine }
    }

    pub fn params(&self) -> &PoolParams {
        &self.engine.model.p
    }

    pub fn inject(&mut self, fault: PoolFault) {
        let m = &mut self.engine.model;
        if m.faults.len() >= 1_000 {
            return;
        }
        let start = fault.start.max(self.engine.sched.now());
        let index = m.faults.len() as u32;
        m.faults.push(PoolFault { start, ..fault });
        self.engine.sched.at(start, PoolEvent::FaultStart { index });
        self.engine.sched.at(start.saturating_add(fault.duration), PoolEvent::FaultEnd { index });
    }

    pub fn faults(&self) -> &[PoolFault] {
        &self.engine.model.faults
    }

    pub fn now(&self) -> Micros {
        self.engine.now()
    }

    pub fn step(&mut self) -> bool {
        self.engine.step()
    }

    pub fn advance(&mut self, dt: Micros) -> u64 {
        self.engine.advance(dt)
    }

    pub fn advance_to(&mut self, to: Micros, max_events: u64) -> crate::des::Advanced {
        self.engine.advance_to(to, max_events)
    }

    pub fn series(&self) -> &Ring<PoolSample> {
        &self.engine.model.series
    }

    /// Whether each thread is busy.
    pub fn threads_busy(&self) -> &[bool] {
        &self.engine.model.threads_busy
    }

    /// The pool's statistics since the run last met the closed form's premises.
    pub fn theory_stats(&self) -> PoolTheoryStats {
        self.engine.model.theory
    }

    /// Little's law for the threads: busy threads L = λ·E[S], exact for any holding-time
    /// distribution, with E[S] from [`mean_holding_ms`].
    pub fn littles_busy_threads(&self) -> f64 {
        let p = &self.engine.model.p;
        p.arrival_rps * mean_holding_ms(p) / 1_000.0
    }

    /// The simulated mean of busy threads beside Little's law, or why they cannot be compared now.
    pub fn theory(&self) -> Agreement {
        let m = &self.engine.model;
        let now = self.engine.sched.now();
        if m.slow > 1.0 || m.black_holes > 0 {
            return Agreement::Outside(
                "No Little's-law comparison during a fault: the formula's holding time is the healthy dependency's."
                    .into(),
            );
        }
        let l = self.littles_busy_threads();
        if l >= m.p.threads as f64 {
            return Agreement::Outside(format!(
                "No Little's-law comparison: the offered work needs {} threads on average, more than the {}, so \
                 requests pile up until callers give up; there is no steady state to compare.",
                num(l, 0),
                m.p.threads
            ));
        }
        let t = &m.theory;
        // What departed from the formula's assumptions, and when: "a timeout cut a call short
        // 0.4 s ago (the formula assumes every call completes)".
        let why = |d: PoolDeparture| match d {
            PoolDeparture::Fault => ("a fault", ""),
            PoolDeparture::Timeout => ("a timeout cut a call short", " (the formula assumes every call completes)"),
            PoolDeparture::Lost => ("a request was rejected or abandoned", ""),
        };
        let ago = |at: Micros| num(now.saturating_sub(at) as f64 / SEC as f64, 1);
        let when = |(at, d): (Micros, PoolDeparture)| {
            let (what, reason) = why(d);
            format!("{what} {} s ago{reason}", ago(at))
        };
        let span = t.since.map_or(0.0, |since| now.saturating_sub(since) as f64 / SEC as f64);
        match (t.since, t.departed) {
            (None, Some(departed)) => Agreement::Outside(format!(
                "No Little's-law comparison yet: {}; comparing again once the backlog has drained.",
                when(departed)
            )),
            (Some(_), departed) if span < THEORY_MIN_SECONDS => Agreement::Outside(match departed {
                Some(departed) => format!(
                    "No Little's-law comparison yet: {}; averaging {} s of the {} s it needs.",
                    when(departed),
                    num(span, 1),
                    num(THEORY_MIN_SECONDS, 0)
                ),
                None => format!(
                    "Too short a run yet for a Little's-law comparison ({} s of the {} s it needs).",
                    num(span, 1),
                    num(THEORY_MIN_SECONDS, 0)
                ),
            }),
            _ => Agreement::Compared(Comparison {
                what: "busy threads",
                simulated: t.busy_area / (span * SEC as f64),
                theory: l,
                formula: "Little's law",
                unit: Unit::Count,
                n: t.started,
                spread: None,
            }),
        }
    }

    pub fn snapshot(&self) -> PoolSnapshot {
        let m = &self.engine.model;
        let (ok, done) = m.last_second.iter().fold((0u32, 0u32), |a, x| (a.0 + x.0, a.1 + x.1));
        PoolSnapshot {
            now: self.engine.now(),
            totals: m.totals,
            last: m.series.last().copied().unwrap_or_default(),
            busy: m.p.threads - m.idle.len() as u32,
            threads: m.p.threads,
            backlog: m.backlog.len() as u32,
            error_rate: if done == 0 { 0.0 } else { 1.0 - ok as f64 / done as f64 },
            fault_active: m.slow > 1.0 || m.black_holes > 0,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// What a timeout-pool preset sets: the three timeouts of one of [`PoolParams::PRESETS`].
const fn timeouts(p: &PoolParams) -> [(&'static str, f64); 3] {
    [("connect", p.connect_timeout_ms), ("read", p.read_timeout_ms), ("overall", p.overall_timeout_ms)]
}

/// What the thread pool's numbers rest on, for its decision note.
const ASSUMPTIONS_NOTE: &[(&str, &str)] = &[
    (
        "Requests arrive as a Poisson process at 400 a second; half call the dependency, the others do about 5 ms of \
         local work. Up to 200 requests wait for a thread, more are rejected at once; the upstream caller gives up \
         after 1 s.",
        "",
    ),
    (
        "The healthy dependency answers in a log-normal time with the median set by the sliders and a p99 of 4× the \
         median; connecting takes a median of 1 ms (p99 3 ms). Calls are not retried.",
        "",
    ),
    (
        "Without a connect timeout, a connection to a black-holed host waits for the operating system's: about 127 s \
         on Linux (6 SYN retries, tcp_syn_retries).",
        "",
    ),
    (
        "A fault lasts 15 s: the dependency answers slower by the factor set by the sliders, or drops connection \
         attempts (a black hole). A timeout is spurious when the dependency was healthy and would have answered.",
        "",
    ),
];

/// The timeout / thread-pool widget.
pub const TIMEOUT_POOL: WidgetSpec = WidgetSpec {
    name: "timeout-pool",
    about: crate::note::About {
        question: "Which connect, read and overall timeouts should this service set on its dependency calls so that one slow dependency cannot exhaust its threads?",
        assumptions: ASSUMPTIONS_NOTE,
        sources: &[
            "Marc Brooker, Timeouts, retries, and backoff with jitter (2019)",
            "Michael T. Nygard, Release It! Design and Deploy Production-Ready Software, 2nd ed. (2018): timeouts and bulkheads",
            "Mike Ulrich, Addressing Cascading Failures (2016)",
        ],
    },
    reserve_rem: 87.0,
    hot: false,
    title: "Timeouts and the thread pool",
    params: &[
        range("connect", "Connect timeout (0 = none)", 0.0, 2_000.0, 5.0, 0.0, "ms"),
        range("read", "Read timeout (0 = none)", 0.0, 5_000.0, 10.0, 0.0, "ms"),
        range("overall", "Overall timeout (0 = none)", 0.0, 5_000.0, 10.0, 0.0, "ms"),
        range("latency", "Dependency median latency", 5.0, 2_000.0, 5.0, 50.0, "ms"),
        range("threads", "Threads", 10.0, 400.0, 10.0, 100.0, ""),
        range("slowdown", "Slowdown when degraded", 2.0, 100.0, 1.0, 20.0, "×"),
    ],
    presets: &[
        ("none", &timeouts(&PoolParams::NO_TIMEOUTS)),
        ("tight", &timeouts(&PoolParams::TOO_TIGHT)),
        ("balanced", &timeouts(&PoolParams::BALANCED)),
        ("loose", &timeouts(&PoolParams::TOO_LOOSE)),
    ],
};

/// Timeout-pool parameters for a state.
pub fn pool_params(state: &State) -> PoolParams {
    PoolParams {
        dep_median_ms: value!(TIMEOUT_POOL, state, "latency"),
        connect_timeout_ms: value!(TIMEOUT_POOL, state, "connect"),
        read_timeout_ms: value!(TIMEOUT_POOL, state, "read"),
        overall_timeout_ms: value!(TIMEOUT_POOL, state, "overall"),
        threads: value!(TIMEOUT_POOL, state, "threads") as u32,
        ..PoolParams::NO_TIMEOUTS
    }
    .clamped()
}

// ---------------------------------------------------------------------------------------------
// The widget's run: the reader's interventions
// ---------------------------------------------------------------------------------------------

/// How long a fault the reader injects lasts.
pub const FAULT_SECONDS: u64 = 15;

/// What a reader does to a running thread pool, as a share link logs it. (Every setting restarts
/// this widget's run, so there is no `set`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolAction {
    /// `slow`: the dependency answers the run's `slowdown` setting times slower for
    /// [`FAULT_SECONDS`].
    Slow,
    /// `blackhole`: connection attempts are dropped for [`FAULT_SECONDS`].
    BlackHole,
}

impl PoolAction {
    /// Reads a log entry (`slow`, `blackhole`); `None` for anything else.
    pub fn parse(code: &str) -> Option<PoolAction> {
        match code {
            "slow" => Some(PoolAction::Slow),
            "blackhole" => Some(PoolAction::BlackHole),
            _ => None,
        }
    }

    /// The log entry [`Self::parse`] reads back.
    pub fn encode(&self) -> String {
        match self {
            PoolAction::Slow => "slow",
            PoolAction::BlackHole => "blackhole",
        }
        .into()
    }

    /// The fault it injects at `now` under `settings`.
    pub fn fault(&self, settings: &State, now: Micros) -> PoolFault {
        let kind = match self {
            PoolAction::Slow => PoolFaultKind::Slow(value!(TIMEOUT_POOL, settings, "slowdown")),
            PoolAction::BlackHole => PoolFaultKind::BlackHole,
        };
        PoolFault { kind, start: now, duration: FAULT_SECONDS * SEC }
    }
}

impl Replayable for PoolSim {
    type Action = PoolAction;
    type Snapshot = PoolSnapshot;
    const SPEC: &'static WidgetSpec = &TIMEOUT_POOL;

    fn parse(code: &str) -> Option<PoolAction> {
        PoolAction::parse(code)
    }

    fn encode(action: &PoolAction) -> String {
        action.encode()
    }

    fn set(_: usize, _: f64) -> Option<PoolAction> {
        None // a pool reaches its steady state within a second: every change restarts the run
    }

    fn start(settings: &State) -> Self {
        PoolSim::new(pool_params(settings), settings.seed)
    }

    fn now(&self) -> Micros {
        PoolSim::now(self)
    }

    fn run_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        let r = self.advance_to(to, max_events);
        if !r.reached {
            let now = PoolSim::now(self);
            self.advance_to(now, u64::MAX); // the rest of the events due at the moment it stopped
        }
        r
    }

    fn apply(&mut self, settings: &mut State, action: &PoolAction) {
        let fault = action.fault(settings, PoolSim::now(self));
        self.inject(fault);
    }

    fn snapshot(&self) -> PoolSnapshot {
        PoolSim::snapshot(self)
    }
}

/// A thread-pool run with its interventions, replayable from a share link.
pub type PoolReplay = Replay<PoolSim>;

/// The thread pool's named failure scenarios ([`crate::scenario`]): each timeout preset against
/// the same fault, 3 s into the run, paused 5 s later.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "no-timeouts",
        title: "No timeouts: the pool fills",
        watch_for: "5 s into a 20× slowdown all 100 threads wait on the dependency, 200 requests queue behind them, and requests that never call it fail too.",
        link: "preset=none&log=3000000.slow&t=8000000",
    },
    Scenario {
        name: "tight-timeouts",
        title: "Timeouts below the healthy p99",
        watch_for: "Nothing is wrong with the dependency, yet 18% of requests fail: a 60 ms read timeout cuts off its normal slow tail.",
        link: "preset=tight&t=6000000",
    },
    Scenario {
        name: "balanced-timeouts",
        title: "Timeouts that contain a slowdown",
        watch_for: "The same slowdown with a 300 ms read timeout: calls to the dependency fail fast, threads stay free, and no request that skips the dependency fails.",
        link: "preset=balanced&log=3000000.slow&t=8000000",
    },
    Scenario {
        name: "loose-timeouts",
        title: "Timeouts longer than the caller waits",
        watch_for: "A 2 s read timeout behind a caller that gives up after 1 s protects nothing: every thread is stuck, as with no timeouts at all.",
        link: "preset=loose&log=3000000.slow&t=8000000",
    },
    Scenario {
        name: "black-hole",
        title: "A black hole and a connect timeout",
        watch_for: "Connection attempts vanish; a 50 ms connect timeout fails those calls fast, so fewer than 1 thread in 10 is busy and nothing is rejected.",
        link: "preset=balanced&log=3000000.blackhole&t=8000000",
    },
];

// ---------------------------------------------------------------------------------------------
// What the widget shows, and its decision note
// ---------------------------------------------------------------------------------------------

/// The widget's key numbers (the same list at every moment).
pub fn pool_readouts(s: &PoolSnapshot) -> Vec<Readout> {
    vec![
        Readout::new("time", "Simulated time", format!("{} s", num(s.now as f64 / SEC as f64, 1))),
        Readout::new("busy", "Busy threads", format!("{} of {}", s.busy, s.threads)),
        Readout::new("backlog", "Waiting for a thread", num(s.backlog as f64, 0)),
        Readout::new("errors", "Errors (last second)", percent(s.error_rate)),
        Readout::new("spurious", "Spurious timeouts", num(s.totals.spurious as f64, 0)),
        Readout::new("collateral", "Collateral failures", num(s.totals.collateral as f64, 0)),
        Readout::new(
            "p99",
            "p99 seen by the caller",
            if s.last.ok > 0.0 { ms(s.last.p99_ms) } else { "no successes".into() },
        ),
        Readout::new("fault", "Dependency", if s.fault_active { "degraded" } else { "healthy" }),
    ]
}

/// The most pool exhaustions a note lists.
const NOTE_EXHAUSTIONS: usize = 5;

/// The decision note's facts for a thread-pool run: what it shows so far, the key numbers, and
/// the run: its start, the reader's faults and their ends, and each time every thread was busy
/// (within the time series the widget keeps).
pub fn timeout_pool_facts(r: &PoolReplay) -> Facts {
    let sim = r.run();
    let s = sim.snapshot();
    let failing = format!("{} of the last second's requests failed", percent(s.error_rate));
    let collateral = plural(s.totals.collateral as f64, "request", "requests");
    let verdict = if s.fault_active {
        format!(
            "While the dependency is degraded: {} of {} threads busy, {} waiting for a thread; {failing}.",
            s.busy,
            s.threads,
            num(s.backlog as f64, 0)
        )
    } else if sim.faults().is_empty() {
        format!(
            "Healthy dependency, no fault yet: {failing}; {} so far (timeouts the healthy dependency would have answered).",
            plural(s.totals.spurious as f64, "spurious timeout", "spurious timeouts")
        )
    } else {
        format!(
            "The dependency is healthy again: {} of {} threads busy, {failing}; {collateral} that never called it failed with it (collateral).",
            s.busy, s.threads
        )
    };
    let now = sim.now();
    let mut events = Vec::new();
    for f in sim.faults() {
        let end = f.start.saturating_add(f.duration);
        if end <= now {
            events.push((end, "the dependency is healthy again".to_string()));
        }
    }
    let mut was_full = false;
    let mut exhausted = 0;
    for x in sim.series().iter() {
        let full = x.busy >= s.threads;
        if full && !was_full && exhausted < NOTE_EXHAUSTIONS {
            exhausted += 1;
            let what = format!("all {} threads busy: the pool is exhausted", s.threads);
            events.push((crate::des::secs(x.t), what));
        }
        was_full = full;
    }
    let slowdown = crate::fmt::number(value!(TIMEOUT_POOL, r.settings(), "slowdown"));
    let describe = |code: &str| match code {
        "slow" => format!("the dependency answers {slowdown}× slower for {FAULT_SECONDS} s"),
        "blackhole" => format!("the dependency is black-holed (connections dropped) for {FAULT_SECONDS} s"),
        other => other.to_string(),
    };
    let started = format!("started with the settings above, seed {}", r.started().seed);
    let now_text = format!("{} of {} threads busy, {failing}", s.busy, s.threads);
    let run = crate::note::run_so_far(
        &TIMEOUT_POOL,
        &r.applied(),
        &crate::note::at,
        &describe,
        &started,
        events,
        (now, &now_text),
    );
    Facts { verdict, readouts: pool_readouts(&s), run }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::{grouped, number_grouped};

    /// Each number the decision note states that a constant or a default parameter stands
    /// behind, built from that constant. Not backed by a constant: "6 SYN retries" (Linux's
    /// `tcp_syn_retries` default), checked against [`OS_CONNECT_TIMEOUT_MS`], which it explains.
    #[test]
    fn the_notes_assumptions_state_the_models_constants() {
        let says = |phrase: &str| crate::note::assert_assumption(ASSUMPTIONS_NOTE, phrase);
        let s = |ms: f64| format!("{} s", number_grouped(ms / 1_000.0));
        let p = PoolParams::NO_TIMEOUTS; // what `pool_params` starts from
        says(&format!("a Poisson process at {} a second", grouped(p.arrival_rps)));
        assert_eq!(p.dependency_share, 0.5);
        says("half call the dependency");
        says(&format!("about {} of local work", ms(LOCAL_WORK_MS)));
        says(&format!("Up to {} requests wait", grouped(p.backlog as f64)));
        says(&format!("gives up after {}", s(p.upstream_timeout_ms)));
        says(&format!("a p99 of {}× the median", number_grouped(p.dep_tail)));
        says(&format!("a median of {} (p99 {})", ms(p.connect_ms), ms(p.connect_ms * CONNECT_TAIL)));
        says(&format!("about {} on Linux", s(OS_CONNECT_TIMEOUT_MS)));
        // The first SYN and each retry wait twice as long as the one before, from 1 s.
        let syn_retries = 6;
        says(&format!("({syn_retries} SYN retries"));
        assert_eq!(((1u64 << (syn_retries + 1)) - 1) as f64 * 1_000.0, OS_CONNECT_TIMEOUT_MS);
        says(&format!("A fault lasts {FAULT_SECONDS} s"));
    }
}
