//! The retry-storm model: clients calling one dependency through a retry policy.
//!
//! Fresh requests arrive as a Poisson process (the offered load), each from one of `clients`
//! clients. A request makes attempts; each attempt crosses the network, waits in the dependency's
//! bounded FIFO queue, is served by one of `workers` workers (exponential service time) and its
//! response crosses the network back. The client gives up on an attempt after the attempt timeout
//! and on the whole request at the overall timeout; it retries failed attempts according to its
//! policy. The dependency does not know that a client gave up, so it keeps serving abandoned
//! attempts: that wasted work is what turns a short outage into a metastable failure
//! (Bronson et al., "Metastable Failures in Distributed Systems", HotOS 2021).
//!
//! Policies are modelled as one instance shared by all clients (a retry budget, an adaptive
//! throttle and a circuit breaker per client library, seeing the same dependency).
//!
//! Arrivals (times and clients) come from their own PRNG stream, so two runs with the same seed
//! and different policies see exactly the same offered load: that is what the A/B mode compares.
//!
//! Memory is bounded: the time series is a ring of [`SERIES_LEN`] windows of [`WINDOW`] each,
//! requests live in a slab that is reused, and nothing is allocated per event once the slab and
//! the queue have grown to the run's peak.

use crate::backoff::{Backoff, BackoffPolicy, Jitter};
use crate::des::{millis, Advanced, Engine, Micros, Model, Scheduler, MS, SEC};
use crate::fmt::{ms, num, percent};
use crate::note::{Facts, Readout};
use crate::queueing::{adaptive_throttle_reject, mmck, Agreement, Comparison, MmcK, Unit};
use crate::replay::{Replay, Replayable};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::spec::{choice, range, toggle, State, WidgetSpec};
use crate::stats::{Histogram, Ring};
use crate::value;
use std::collections::VecDeque;

/// Length of one statistics window.
pub const WINDOW: Micros = 100 * MS;
/// Windows kept in the time series (60 s of history).
pub const SERIES_LEN: usize = 600;
/// Windows the circuit breaker looks back over (1 s).
const BREAKER_WINDOWS: usize = 10;
/// Windows the adaptive throttle looks back over (5 s; the SRE book uses two minutes, shortened so
/// a reader sees it act).
const THROTTLE_WINDOWS: usize = 50;
/// Fewest attempts in the breaker window before it may trip.
const BREAKER_MIN_CALLS: u32 = 20;
/// Trial attempts let through while half-open.
const BREAKER_PROBES: u32 = 5;
/// Token bucket size of the retry budget.
const BUDGET_MAX_TOKENS: f64 = 50.0;
/// Each network hop takes `network_ms` times a factor uniform in this range.
const HOP_FACTOR: (f64, f64) = (0.5, 1.5);
/// Attempts the dependency must have served within M/M/c/K's assumptions before its mean wait is
/// compared with the formula's (see the `theory` tests for the noise at this size).
pub const THEORY_MIN_WAITS: u64 = 10_000;
/// Recovered: goodput at least this share of the offered load...
const RECOVERY_GOODPUT: f64 = 0.9;
/// ...for this many windows in a row (1 s).
const RECOVERY_WINDOWS: u32 = 10;

/// Parameters of a retry-storm run. Times in milliseconds, rates per second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryParams {
    /// Number of clients (the load is shared between them; it sets the picture's population).
    pub clients: u32,
    /// Fresh requests per second, across all clients.
    pub offered_rps: f64,
    /// Dependency workers (concurrent requests it can serve).
    pub workers: u32,
    /// Mean service time of one attempt.
    pub service_ms: f64,
    /// Dependency queue bound; attempts arriving to a full queue are rejected at once.
    pub queue_limit: u32,
    /// One-way network delay (each hop is uniform in 0.5×–1.5× this).
    pub network_ms: f64,
    /// The client gives up on one attempt after this long.
    pub attempt_timeout_ms: f64,
    /// The client gives up on the whole request after this long.
    pub overall_timeout_ms: f64,
    /// Attempts per request, including the first.
    pub max_attempts: u32,
    pub backoff: Backoff,
    pub jitter: Jitter,
    pub backoff_base_ms: f64,
    pub backoff_cap_ms: f64,
    /// Retry budget as a fraction of fresh requests (0.1 = retries ≤ 10 % of requests); 0 = off.
    pub retry_budget: f64,
    /// Client-side adaptive throttling (Google SRE book, "Handling Overload"), K = `throttle_k`.
    pub adaptive_throttle: bool,
    pub throttle_k: f64,
    /// Circuit breaker: opens when the failure ratio over the last second reaches the threshold.
    pub breaker: bool,
    pub breaker_threshold: f64,
    pub breaker_open_ms: f64,
    /// Fraction of served attempts that fail with an error (a fault the reader can set).
    pub error_rate: f64,
    /// The dependency drops attempts whose deadline has passed instead of serving them
    /// (deadline propagation + load shedding).
    pub shed_expired: bool,
}

impl RetryParams {
    const BASE: RetryParams = RetryParams {
        clients: 400,
        offered_rps: 560.0,
        workers: 8,
        service_ms: 10.0,
        queue_limit: 400,
        network_ms: 1.0,
        attempt_timeout_ms: 250.0,
        overall_timeout_ms: 1_000.0,
        max_attempts: 4,
        backoff: Backoff::None,
        jitter: Jitter::None,
        backoff_base_ms: 50.0,
        backoff_cap_ms: 1_000.0,
        retry_budget: 0.0,
        adaptive_throttle: false,
        throttle_k: 2.0,
        breaker: false,
        breaker_threshold: 0.5,
        breaker_open_ms: 2_000.0,
        error_rate: 0.0,
        shed_expired: false,
    };

    /// Three immediate retries, nothing else: the storm-maker.
    pub const NAIVE: RetryParams = RetryParams::BASE;
    /// Exponential backoff without jitter.
    pub const EXPONENTIAL: RetryParams = RetryParams { backoff: Backoff::Exponential, ..RetryParams::BASE };
    /// Exponential backoff with full jitter.
    pub const JITTERED: RetryParams =
        RetryParams { backoff: Backoff::Exponential, jitter: Jitter::Full, ..RetryParams::BASE };
    /// Full jitter plus a 10 % retry budget.
    pub const JITTERED_WITH_BUDGET: RetryParams = RetryParams { retry_budget: 0.1, ..RetryParams::JITTERED };
    /// Full jitter, a retry budget and a circuit breaker.
    pub const WITH_BREAKER: RetryParams = RetryParams { breaker: true, ..RetryParams::JITTERED_WITH_BUDGET };

    /// The presets in the order the widget offers them.
    pub const PRESETS: [(&'static str, RetryParams); 5] = [
        ("naive", RetryParams::NAIVE),
        ("exponential", RetryParams::EXPONENTIAL),
        ("jitter", RetryParams::JITTERED),
        ("budget", RetryParams::JITTERED_WITH_BUDGET),
        ("breaker", RetryParams::WITH_BREAKER),
    ];

    /// The dependency's capacity in attempts per second (workers / mean service time).
    pub fn capacity_rps(&self) -> f64 {
        self.workers as f64 * 1_000.0 / self.service_ms.max(1e-3)
    }

    /// Returns the parameters with every field forced into a range the model handles
    /// (NaN becomes the range's low end).
    pub fn clamped(mut self) -> RetryParams {
        let c = crate::num::clamp_or_low;
        self.clients = self.clients.clamp(1, 20_000);
        self.offered_rps = c(self.offered_rps, 1.0, 20_000.0);
        self.workers = self.workers.clamp(1, 512);
        self.service_ms = c(self.service_ms, 0.1, 10_000.0);
        self.queue_limit = self.queue_limit.clamp(0, 100_000);
        self.network_ms = c(self.network_ms, 0.0, 1_000.0);
        self.attempt_timeout_ms = c(self.attempt_timeout_ms, 1.0, 60_000.0);
        self.overall_timeout_ms = c(self.overall_timeout_ms, 1.0, 600_000.0);
        self.max_attempts = self.max_attempts.clamp(1, 20);
        self.backoff_base_ms = c(self.backoff_base_ms, 0.0, 60_000.0);
        self.backoff_cap_ms = c(self.backoff_cap_ms, self.backoff_base_ms, 600_000.0);
        self.retry_budget = c(self.retry_budget, 0.0, 10.0);
        self.throttle_k = c(self.throttle_k, 1.0, 10.0);
        self.breaker_threshold = c(self.breaker_threshold, 0.01, 1.0);
        self.breaker_open_ms = c(self.breaker_open_ms, 10.0, 600_000.0);
        self.error_rate = c(self.error_rate, 0.0, 1.0);
        self
    }
}

/// A fault the reader injects: data, so a shared link can replay it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fault {
    pub kind: FaultKind,
    pub start: Micros,
    pub duration: Micros,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultKind {
    /// The dependency hangs: it accepts attempts into its queue but serves none.
    Outage,
    /// Service times are multiplied by this factor.
    LatencySpike(f64),
}

/// Circuit breaker state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

/// What a client is doing (for the picture), one byte per client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ClientState {
    Idle = 0,
    /// An attempt is outstanding.
    Waiting = 1,
    /// Waiting before a retry.
    BackingOff = 2,
    /// The last request succeeded.
    Succeeded = 3,
    /// The last request failed (timeouts or errors).
    Failed = 4,
    /// The last request was refused locally (breaker or throttle).
    Refused = 5,
}

/// What a dependency worker is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerState {
    Idle,
    /// Serving an attempt its client still waits for.
    Useful,
    /// Serving an attempt its client has already given up on.
    Wasted,
}

/// One statistics window (rates per second, latencies in milliseconds).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RetrySample {
    /// End of the window, in seconds of simulated time.
    pub t: f64,
    pub offered: f64,
    pub attempts: f64,
    pub goodput: f64,
    pub timeouts: f64,
    pub errors: f64,
    /// Attempts the dependency turned away (queue full or shed).
    pub rejected: f64,
    /// Requests or retries refused by the client's own policy (breaker, throttle, budget).
    pub refused: f64,
    /// Served attempts nobody was waiting for any more.
    pub wasted: f64,
    pub queue: u32,
    pub in_flight: u32,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub breaker: u8,
}

/// Running totals since the start. Invariant:
/// `requests == succeeded + failed + refused + in_flight`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetryTotals {
    pub requests: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub refused: u64,
    pub in_flight: u64,
    pub attempts: u64,
    pub attempt_timeouts: u64,
    pub errors: u64,
    pub rejected: u64,
    pub wasted: u64,
}

/// Where the run is relative to the last fault.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Recovery {
    /// No fault has ended yet.
    NoFault,
    /// The last fault ended this many seconds ago and goodput has not come back.
    Recovering { since_s: f64 },
    /// Goodput came back to ≥ 90 % of the offered load for a full second this many seconds after
    /// the last fault ended.
    Recovered { after_s: f64 },
}

/// Everything the widget shows, as of `now`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetrySnapshot {
    pub now: Micros,
    pub totals: RetryTotals,
    /// The last complete window.
    pub last: RetrySample,
    /// The mean of the last second's windows (steadier numbers for a readout).
    pub recent: RetrySample,
    /// Attempts per fresh request over the last second.
    pub amplification: f64,
    /// Goodput as a fraction of offered load over the last second.
    pub goodput_ratio: f64,
    pub breaker: BreakerState,
    /// Current local rejection probability of the adaptive throttle.
    pub throttle_reject: f64,
    pub queue_len: u32,
    pub busy_workers: u32,
    pub recovery: Recovery,
    pub fault_active: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryEvent {
    Arrival,
    /// A request's retry timer fired.
    Retry {
        slot: u32,
        rid: u64,
    },
    /// An attempt reaches the dependency.
    AttemptArrive {
        slot: u32,
        aid: u64,
    },
    /// A worker finished.
    ServiceDone {
        worker: u32,
    },
    /// A response (or a rejection) reaches the client.
    Response {
        slot: u32,
        aid: u64,
        outcome: Outcome,
    },
    AttemptTimeout {
        slot: u32,
        aid: u64,
    },
    OverallTimeout {
        slot: u32,
        rid: u64,
    },
    FaultStart {
        index: u32,
    },
    FaultEnd {
        index: u32,
    },
    Window,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Error,
    /// Turned away by the dependency (queue full, or shed because its deadline had passed).
    Rejected,
}

#[derive(Clone, Copy, Debug, Default)]
struct Request {
    rid: u64,
    client: u32,
    start: Micros,
    deadline: Micros,
    attempts: u32,
    /// Attempt the client currently waits for (0: none).
    aid: u64,
    prev_wait: f64,
}

#[derive(Clone, Copy, Debug)]
struct Queued {
    slot: u32,
    aid: u64,
    deadline: Micros,
    /// When it joined the dependency's queue.
    queued_at: Micros,
}

#[derive(Clone, Copy, Debug, Default)]
struct WindowCounts {
    offered: u32,
    attempts: u32,
    goodput: u32,
    timeouts: u32,
    errors: u32,
    rejected: u32,
    refused: u32,
    wasted: u32,
}

/// Pairs of counts over a sliding window of statistics windows.
#[derive(Clone, Debug)]
struct Sliding {
    buckets: Vec<(u32, u32)>,
    i: usize,
    a: u64,
    b: u64,
}

impl Sliding {
    fn new(n: usize) -> Self {
        Sliding { buckets: vec![(0, 0); n], i: 0, a: 0, b: 0 }
    }
    fn add(&mut self, a: u32, b: u32) {
        self.buckets[self.i].0 += a;
        self.buckets[self.i].1 += b;
        self.a += a as u64;
        self.b += b as u64;
    }
    fn rotate(&mut self) {
        self.i = (self.i + 1) % self.buckets.len();
        let (a, b) = std::mem::take(&mut self.buckets[self.i]);
        self.a -= a as u64;
        self.b -= b as u64;
    }
    fn reset(&mut self) {
        self.buckets.iter_mut().for_each(|x| *x = (0, 0));
        self.a = 0;
        self.b = 0;
    }
}

/// What took the run outside M/M/c/K's assumptions last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Departure {
    /// An outage or a slowdown started or ended.
    Fault,
    /// A setting changed mid-run.
    Settings,
    /// A client retried an attempt: retries are not Poisson arrivals.
    Retry,
    /// A client's breaker, throttle or budget refused a request (arrivals thinned by the state).
    Refusal,
    /// The dependency shed an expired attempt from its queue.
    Shed,
}

/// The dependency's own statistics since the run last met M/M/c/K's assumptions: every attempt
/// a fresh request's first (Poisson arrivals: the network's independent delays keep them
/// Poisson), exponential service, `workers` servers and room for `workers + queue_limit`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DependencyStats {
    /// Collecting since then; `None` while the queue drains after a departure.
    pub since: Option<Micros>,
    /// The last departure from the assumptions and when it happened.
    pub departed: Option<(Micros, Departure)>,
    /// Attempts that started service after `since`, and the sum of their waits in the queue (µs).
    pub waits: u64,
    pub wait_sum: f64,
    /// ∫ queue length dt since `since` (µs), for Little's law.
    pub queue_area: f64,
    last_mark: Micros,
}

#[derive(Clone)]
struct Retry {
    p: RetryParams,
    policy: BackoffPolicy,
    arrivals: Rng,
    rng: Rng,
    faults: Vec<Fault>,
    outages: u32,
    spike: f64,
    last_fault_end: Option<Micros>,
    recovered_at: Option<Micros>,
    good_streak: u32,

    slab: Vec<Request>,
    free: Vec<u32>,
    next_id: u64,
    queue: VecDeque<Queued>,
    workers: Vec<Option<Queued>>,
    idle_workers: Vec<u32>,
    clients: Vec<u8>,

    budget_tokens: f64,
    breaker: BreakerState,
    breaker_open_until: Micros,
    probes_out: u32,
    probes_ok: u32,
    breaker_calls: Sliding, // (failures, calls)
    throttle: Sliding,      // (requests, accepts)

    totals: RetryTotals,
    win: WindowCounts,
    win_latency: Histogram,
    series: Ring<RetrySample>,
    last_second: Sliding,      // (offered, attempts) over the last second
    last_second_good: Sliding, // (goodput, offered)
    theory: DependencyStats,
}

impl Retry {
    fn new(p: RetryParams, seed: u64) -> Self {
        let p = p.clamped();
        Retry {
            policy: BackoffPolicy {
                backoff: p.backoff,
                jitter: p.jitter,
                base: millis(p.backoff_base_ms) as f64,
                cap: millis(p.backoff_cap_ms) as f64,
            },
            arrivals: Rng::new(seed),
            rng: Rng::new(seed ^ 0x9E37_79B9_7F4A_7C15),
            faults: Vec::new(),
            outages: 0,
            spike: 1.0,
            last_fault_end: None,
            recovered_at: None,
            good_streak: 0,
            slab: Vec::new(),
            free: Vec::new(),
            next_id: 0,
            queue: VecDeque::new(),
            workers: vec![None; p.workers as usize],
            idle_workers: (0..p.workers).rev().collect(),
            clients: vec![ClientState::Idle as u8; p.clients as usize],
            budget_tokens: BUDGET_MAX_TOKENS,
            breaker: BreakerState::Closed,
            breaker_open_until: 0,
            probes_out: 0,
            probes_ok: 0,
            breaker_calls: Sliding::new(BREAKER_WINDOWS),
            throttle: Sliding::new(THROTTLE_WINDOWS),
            totals: RetryTotals::default(),
            win: WindowCounts::default(),
            win_latency: Histogram::new(),
            series: Ring::new(SERIES_LEN),
            last_second: Sliding::new(10),
            last_second_good: Sliding::new(10),
            theory: DependencyStats { since: Some(0), ..Default::default() },
            p,
        }
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn hop(&mut self) -> Micros {
        (millis(self.p.network_ms) as f64 * self.rng.uniform_range(HOP_FACTOR.0, HOP_FACTOR.1)) as Micros
    }

    fn set_client(&mut self, slot: u32, s: ClientState) {
        let c = self.slab[slot as usize].client as usize;
        if let Some(x) = self.clients.get_mut(c) {
            *x = s as u8; // a client removed by a live change of `clients` is simply not drawn
        }
    }

    fn finish(&mut self, slot: u32, s: &Scheduler<RetryEvent>, state: ClientState) {
        let now = s.now();
        self.set_client(slot, state);
        let r = &mut self.slab[slot as usize];
        match state {
            ClientState::Succeeded => {
                self.totals.succeeded += 1;
                self.win.goodput += 1;
                self.last_second_good.add(1, 0);
                self.win_latency.record(now - r.start);
            }
            ClientState::Refused => self.totals.refused += 1,
            _ => self.totals.failed += 1,
        }
        self.totals.in_flight -= 1;
        r.rid = 0;
        r.aid = 0;
        self.free.push(slot);
    }

    /// Asks the breaker and the throttle for permission to send an attempt.
    fn admit(&mut self, now: Micros) -> bool {
        if self.p.breaker {
            match self.breaker {
                BreakerState::Open if now >= self.breaker_open_until => {
                    self.breaker = BreakerState::HalfOpen;
                    self.probes_out = 0;
                    self.probes_ok = 0;
                }
                BreakerState::Open => return false,
                _ => {}
            }
            if self.breaker == BreakerState::HalfOpen {
                if self.probes_out >= BREAKER_PROBES {
                    return false;
                }
                self.probes_out += 1;
            }
        }
        if self.p.adaptive_throttle {
            let reject = self.throttle_probability();
            self.throttle.add(1, 0);
            if self.rng.chance(reject) {
                return false;
            }
        }
        true
    }

    fn throttle_probability(&self) -> f64 {
        adaptive_throttle_reject(self.throttle.a as f64, self.throttle.b as f64, self.p.throttle_k)
    }

    fn record_outcome(&mut self, ok: bool, now: Micros) {
        if self.p.adaptive_throttle && ok {
            self.throttle.add(0, 1);
        }
        if !self.p.breaker {
            return;
        }
        match self.breaker {
            BreakerState::Closed => {
                self.breaker_calls.add(!ok as u32, 1);
                let (fails, calls) = (self.breaker_calls.a, self.breaker_calls.b);
                if calls >= BREAKER_MIN_CALLS as u64 && fails as f64 >= self.p.breaker_threshold * calls as f64 {
                    self.open_breaker(now);
                }
            }
            BreakerState::HalfOpen => {
                if !ok {
                    self.open_breaker(now);
                } else {
                    self.probes_ok += 1;
                    if self.probes_ok >= BREAKER_PROBES {
                        self.breaker = BreakerState::Closed;
                        self.breaker_calls.reset();
                    }
                }
            }
            BreakerState::Open => {}
        }
    }

    fn open_breaker(&mut self, now: Micros) {
        self.breaker = BreakerState::Open;
        self.breaker_open_until = now + millis(self.p.breaker_open_ms);
    }

    fn send_attempt(&mut self, slot: u32, s: &mut Scheduler<RetryEvent>) {
        let now = s.now();
        if self.slab[slot as usize].attempts > 0 {
            self.theory_depart(now, Departure::Retry);
        }
        if !self.admit(now) {
            self.theory_depart(now, Departure::Refusal);
            self.win.refused += 1;
            self.finish(slot, s, ClientState::Refused);
            return;
        }
        let aid = self.id();
        let timeout = millis(self.p.attempt_timeout_ms);
        let hop = self.hop();
        let r = &mut self.slab[slot as usize];
        r.attempts += 1;
        r.aid = aid;
        let until = (now + timeout).min(r.deadline);
        self.totals.attempts += 1;
        self.win.attempts += 1;
        self.last_second.add(0, 1);
        self.set_client(slot, ClientState::Waiting);
        s.after(hop, RetryEvent::AttemptArrive { slot, aid });
        s.at(until, RetryEvent::AttemptTimeout { slot, aid });
    }

    /// The current attempt of `slot` failed: retry if the policy allows.
    fn attempt_failed(&mut self, slot: u32, s: &mut Scheduler<RetryEvent>) {
        let now = s.now();
        let r = self.slab[slot as usize];
        self.slab[slot as usize].aid = 0;
        if r.attempts >= self.p.max_attempts || now >= r.deadline {
            self.finish(slot, s, ClientState::Failed);
            return;
        }
        if self.p.retry_budget > 0.0 {
            if self.budget_tokens < 1.0 {
                self.win.refused += 1;
                self.finish(slot, s, ClientState::Failed);
                return;
            }
            self.budget_tokens -= 1.0;
        }
        let wait = self.policy.delay(r.attempts, r.prev_wait, &mut self.rng);
        let wait_us = wait.max(0.0) as Micros;
        if now + wait_us >= r.deadline {
            self.finish(slot, s, ClientState::Failed);
            return;
        }
        self.slab[slot as usize].prev_wait = wait;
        self.set_client(slot, ClientState::BackingOff);
        s.after(wait_us, RetryEvent::Retry { slot, rid: r.rid });
    }

    fn service_time(&mut self) -> Micros {
        (self.rng.exp(millis(self.p.service_ms) as f64) * self.spike) as Micros
    }

    /// Gives idle workers queued work while the dependency is up.
    fn dispatch(&mut self, s: &mut Scheduler<RetryEvent>) {
        let now = s.now();
        self.theory_mark(now);
        while self.outages == 0 && !self.idle_workers.is_empty() {
            let Some(q) = self.queue.pop_front() else { break };
            if self.p.shed_expired && now >= q.deadline {
                self.theory_depart(now, Departure::Shed);
                self.totals.rejected += 1;
                self.win.rejected += 1;
                let hop = self.hop();
                s.after(hop, RetryEvent::Response { slot: q.slot, aid: q.aid, outcome: Outcome::Rejected });
                continue;
            }
            let w = self.idle_workers.pop().expect("checked non-empty");
            if self.theory.since.is_some_and(|t| q.queued_at >= t) {
                self.theory.waits += 1;
                self.theory.wait_sum += (now - q.queued_at) as f64;
            }
            self.workers[w as usize] = Some(q);
            let dt = self.service_time();
            s.after(dt, RetryEvent::ServiceDone { worker: w });
        }
        self.theory_resume(now);
    }

    /// Adds the queue's length since the last change to the Little's-law integral.
    fn theory_mark(&mut self, now: Micros) {
        let t = &mut self.theory;
        if t.since.is_some() {
            t.queue_area += self.queue.len() as f64 * now.saturating_sub(t.last_mark) as f64;
        }
        t.last_mark = now;
    }

    /// The run left M/M/c/K's assumptions at `now`: the statistics start again once it is back
    /// (no fault, the queue drained).
    fn theory_depart(&mut self, now: Micros, why: Departure) {
        self.theory = DependencyStats { departed: Some((now, why)), last_mark: now, ..Default::default() };
        self.theory_resume(now);
    }

    /// Starts collecting again when the run is back within the assumptions: no fault, an empty
    /// queue (so the transient after a fault has drained).
    fn theory_resume(&mut self, now: Micros) {
        if self.theory.since.is_none() && self.queue.is_empty() && self.outages == 0 && self.spike == 1.0 {
            self.theory.since = Some(now);
            self.theory.last_mark = now;
        }
    }

    fn is_current(&self, slot: u32, aid: u64) -> bool {
        self.slab.get(slot as usize).is_some_and(|r| r.rid != 0 && r.aid == aid)
    }

    fn close_window(&mut self, now: Micros) {
        let per_s = SEC as f64 / WINDOW as f64;
        let w = std::mem::take(&mut self.win);
        let ms = |v: Option<u64>| v.map_or(0.0, |x| x as f64 / MS as f64);
        let sample = RetrySample {
            t: now as f64 / SEC as f64,
            offered: w.offered as f64 * per_s,
            attempts: w.attempts as f64 * per_s,
            goodput: w.goodput as f64 * per_s,
            timeouts: w.timeouts as f64 * per_s,
            errors: w.errors as f64 * per_s,
            rejected: w.rejected as f64 * per_s,
            refused: w.refused as f64 * per_s,
            wasted: w.wasted as f64 * per_s,
            queue: self.queue.len() as u32,
            in_flight: self.totals.in_flight as u32,
            p50_ms: ms(self.win_latency.quantile(0.5)),
            p99_ms: ms(self.win_latency.quantile(0.99)),
            breaker: self.breaker as u8,
        };
        self.series.push(sample);
        self.win_latency.clear();
        self.breaker_calls.rotate();
        self.throttle.rotate();
        self.last_second.rotate();
        self.last_second_good.rotate();

        // Recovery: a full second at ≥ 90 % goodput after the last fault ended.
        if let (Some(end), None) = (self.last_fault_end, self.recovered_at) {
            if now > end && self.outages == 0 && self.spike == 1.0 {
                if w.goodput as f64 >= RECOVERY_GOODPUT * w.offered as f64 && w.offered > 0 {
                    self.good_streak += 1;
                    if self.good_streak >= RECOVERY_WINDOWS {
                        self.recovered_at = Some(now - RECOVERY_WINDOWS as Micros * WINDOW);
                    }
                } else {
                    self.good_streak = 0;
                }
            }
        }
    }
}

impl Model for Retry {
    type Event = RetryEvent;

    fn handle(&mut self, ev: RetryEvent, s: &mut Scheduler<RetryEvent>) {
        let now = s.now();
        match ev {
            RetryEvent::Arrival => {
                let client = self.arrivals.below(self.p.clients as u64) as u32;
                let gap = self.arrivals.exp(SEC as f64 / self.p.offered_rps) as Micros;
                s.after(gap.max(1), RetryEvent::Arrival);
                let rid = self.id();
                let req = Request {
                    rid,
                    client,
                    start: now,
                    deadline: now + millis(self.p.overall_timeout_ms),
                    attempts: 0,
                    aid: 0,
                    prev_wait: self.policy.base,
                };
                let slot = match self.free.pop() {
                    Some(i) => {
                        self.slab[i as usize] = req;
                        i
                    }
                    None => {
                        self.slab.push(req);
                        (self.slab.len() - 1) as u32
                    }
                };
                self.totals.requests += 1;
                self.totals.in_flight += 1;
                self.win.offered += 1;
                self.last_second.add(1, 0);
                self.last_second_good.add(0, 1);
                self.budget_tokens = (self.budget_tokens + self.p.retry_budget).min(BUDGET_MAX_TOKENS);
                s.at(req.deadline, RetryEvent::OverallTimeout { slot, rid });
                self.send_attempt(slot, s);
            }
            RetryEvent::Retry { slot, rid } => {
                if self.slab[slot as usize].rid == rid {
                    self.send_attempt(slot, s);
                }
            }
            RetryEvent::AttemptArrive { slot, aid } => {
                let deadline = {
                    let r = &self.slab[slot as usize];
                    // What the client would propagate: the earlier of its two timeouts.
                    r.deadline.min(now + millis(self.p.attempt_timeout_ms))
                };
                if self.queue.len() >= self.p.queue_limit as usize && self.idle_workers.is_empty()
                    || (self.outages > 0 && self.queue.len() >= self.p.queue_limit as usize)
                {
                    self.totals.rejected += 1;
                    self.win.rejected += 1;
                    let hop = self.hop();
                    s.after(hop, RetryEvent::Response { slot, aid, outcome: Outcome::Rejected });
                } else {
                    self.theory_mark(now);
                    self.queue.push_back(Queued { slot, aid, deadline, queued_at: now });
                    self.dispatch(s);
                }
            }
            RetryEvent::ServiceDone { worker } => {
                let q = self.workers[worker as usize].take().expect("busy worker");
                self.idle_workers.push(worker);
                let outcome = if self.rng.chance(self.p.error_rate) { Outcome::Error } else { Outcome::Ok };
                if !self.is_current(q.slot, q.aid) {
                    self.totals.wasted += 1;
                    self.win.wasted += 1;
                }
                let hop = self.hop();
                s.after(hop, RetryEvent::Response { slot: q.slot, aid: q.aid, outcome });
                self.dispatch(s);
            }
            RetryEvent::Response { slot, aid, outcome } => {
                if !self.is_current(slot, aid) {
                    return; // the client stopped waiting for this attempt
                }
                self.record_outcome(outcome == Outcome::Ok, now);
                match outcome {
                    Outcome::Ok => self.finish(slot, s, ClientState::Succeeded),
                    Outcome::Error | Outcome::Rejected => {
                        self.totals.errors += 1;
                        self.win.errors += 1;
                        self.attempt_failed(slot, s);
                    }
                }
            }
            RetryEvent::AttemptTimeout { slot, aid } => {
                if self.is_current(slot, aid) {
                    self.totals.attempt_timeouts += 1;
                    self.win.timeouts += 1;
                    self.record_outcome(false, now);
                    self.attempt_failed(slot, s);
                }
            }
            RetryEvent::OverallTimeout { slot, rid } => {
                if self.slab[slot as usize].rid == rid {
                    self.finish(slot, s, ClientState::Failed);
                }
            }
            RetryEvent::FaultStart { index } => {
                match self.faults[index as usize].kind {
                    FaultKind::Outage => self.outages += 1,
                    FaultKind::LatencySpike(f) => self.spike = crate::num::clamp(f, 1.0, 1_000.0),
                }
                self.theory_depart(now, Departure::Fault);
            }
            RetryEvent::FaultEnd { index } => {
                match self.faults[index as usize].kind {
                    FaultKind::Outage => self.outages = self.outages.saturating_sub(1),
                    FaultKind::LatencySpike(_) => self.spike = 1.0,
                }
                self.last_fault_end = Some(now);
                self.recovered_at = None;
                self.good_streak = 0;
                self.theory_depart(now, Departure::Fault);
                self.dispatch(s);
            }
            RetryEvent::Window => {
                self.close_window(now);
                s.after(WINDOW, RetryEvent::Window);
            }
        }
    }
}

/// The mean of the newest `n` samples (rates and latencies averaged; queue and in-flight from the
/// newest).
fn mean_of_last(series: &Ring<RetrySample>, n: usize) -> RetrySample {
    let Some(newest) = series.last().copied() else { return RetrySample::default() };
    let skip = series.len().saturating_sub(n);
    let mut sum = RetrySample {
        t: newest.t,
        queue: newest.queue,
        in_flight: newest.in_flight,
        breaker: newest.breaker,
        ..Default::default()
    };
    let mut k = 0.0;
    let mut lat = 0.0;
    for x in series.iter().skip(skip) {
        k += 1.0;
        sum.offered += x.offered;
        sum.attempts += x.attempts;
        sum.goodput += x.goodput;
        sum.timeouts += x.timeouts;
        sum.errors += x.errors;
        sum.rejected += x.rejected;
        sum.refused += x.refused;
        sum.wasted += x.wasted;
        if x.goodput > 0.0 {
            lat += 1.0;
            sum.p50_ms += x.p50_ms;
            sum.p99_ms = sum.p99_ms.max(x.p99_ms);
        }
    }
    for v in [
        &mut sum.offered,
        &mut sum.attempts,
        &mut sum.goodput,
        &mut sum.timeouts,
        &mut sum.errors,
        &mut sum.rejected,
        &mut sum.refused,
        &mut sum.wasted,
    ] {
        *v /= k;
    }
    if lat > 0.0 {
        sum.p50_ms /= lat;
    }
    sum
}

/// A stepped retry-storm simulation.
#[derive(Clone)]
pub struct RetrySim {
    engine: Engine<Retry>,
    seed: u64,
}

impl RetrySim {
    pub fn new(params: RetryParams, seed: u64) -> Self {
        let mut engine = Engine::new(Retry::new(params, seed));
        engine.sched.at(0, RetryEvent::Arrival);
        engine.sched.at(WINDOW, RetryEvent::Window);
        RetrySim { engine, seed }
    }

    pub fn params(&self) -> &RetryParams {
        &self.engine.model.p
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Schedules a fault (times are clamped to now or later). It is kept in [`Self::faults`] so
    /// the run can be replayed.
    pub fn inject(&mut self, fault: Fault) {
        let m = &mut self.engine.model;
        if m.faults.len() >= 1_000 {
            return; // a bound on what a reader (or a URL) can pile up
        }
        let start = fault.start.max(self.engine.sched.now());
        let fault = Fault { start, ..fault };
        let index = m.faults.len() as u32;
        m.faults.push(fault);
        self.engine.sched.at(start, RetryEvent::FaultStart { index });
        self.engine.sched.at(start.saturating_add(fault.duration), RetryEvent::FaultEnd { index });
    }

    /// Changes the client policy and load while the run goes on (the reader flips a knob in the
    /// middle of a storm). The dependency's shape (`workers`, `queue_limit`, `service_ms`) stays.
    pub fn set_params(&mut self, p: RetryParams) {
        let m = &mut self.engine.model;
        let p = p.clamped();
        m.p = RetryParams { workers: m.p.workers, queue_limit: m.p.queue_limit, service_ms: m.p.service_ms, ..p };
        m.policy = BackoffPolicy {
            backoff: p.backoff,
            jitter: p.jitter,
            base: millis(p.backoff_base_ms) as f64,
            cap: millis(p.backoff_cap_ms) as f64,
        };
        m.clients.resize(p.clients as usize, ClientState::Idle as u8);
        let now = self.engine.sched.now();
        self.engine.model.theory_depart(now, Departure::Settings);
    }

    /// The dependency's statistics since the run last met M/M/c/K's assumptions.
    pub fn dependency_stats(&self) -> DependencyStats {
        self.engine.model.theory
    }

    /// The dependency as M/M/c/K: `workers` servers at 1/`service_ms` each, room for `workers +
    /// queue_limit`, arrivals at the offered load. `None` for an unusable rate.
    pub fn dependency_mmck(&self) -> Option<MmcK> {
        let p = &self.engine.model.p;
        mmck(p.workers, p.workers + p.queue_limit, p.offered_rps, 1_000.0 / p.service_ms)
    }

    /// The simulated mean wait in the dependency's queue beside M/M/c/K's, or why they cannot be
    /// compared now (a fault, an overload, a departure from the assumptions, too few samples).
    pub fn dependency_theory(&self) -> Agreement {
        let m = &self.engine.model;
        let p = &m.p;
        let now = self.engine.sched.now();
        let t = &m.theory;
        if m.outages > 0 || m.spike != 1.0 {
            return Agreement::Outside(
                "No M/M/c/K comparison during a fault: the formula assumes a steady dependency.".into(),
            );
        }
        let Some(q) = self.dependency_mmck() else {
            return Agreement::Outside("No M/M/c/K comparison: the rates are not usable.".into());
        };
        if p.offered_rps >= p.capacity_rps() {
            return Agreement::Outside(format!(
                "No M/M/c/K comparison: the offered load ({}/s) is at or above capacity ({}/s), so the queue fills \
                 until attempts time out and retry; there is no steady state to compare.",
                num(p.offered_rps, 0),
                num(p.capacity_rps(), 0)
            ));
        }
        // What departed from the formula's assumptions, and when: "a retry 0.4 s ago (retries
        // are not Poisson arrivals)".
        let why = |d: Departure| match d {
            Departure::Fault => ("a fault", ""),
            Departure::Settings => ("a settings change", ""),
            Departure::Retry => ("a retry", " (retries are not Poisson arrivals)"),
            Departure::Refusal => ("a request refused by the client's policy", ""),
            Departure::Shed => ("an attempt shed by the dependency", ""),
        };
        let ago = |at: Micros| num(now.saturating_sub(at) as f64 / SEC as f64, 1);
        let when = |(at, d): (Micros, Departure)| {
            let (what, reason) = why(d);
            format!("{what} {} s ago{reason}", ago(at))
        };
        match (t.since, t.departed) {
            (None, Some(departed)) => Agreement::Outside(format!(
                "No M/M/c/K comparison yet: {}; comparing again once the queue has drained.",
                when(departed)
            )),
            (Some(_), departed) if t.waits < THEORY_MIN_WAITS => Agreement::Outside(match departed {
                Some(departed) => format!(
                    "No M/M/c/K comparison yet: {}; too few attempts since (n = {} of {}).",
                    when(departed),
                    crate::fmt::grouped(t.waits as f64),
                    crate::fmt::grouped(THEORY_MIN_WAITS as f64)
                ),
                None => format!(
                    "Too few attempts yet for an M/M/c/K comparison (n = {} of {}).",
                    crate::fmt::grouped(t.waits as f64),
                    crate::fmt::grouped(THEORY_MIN_WAITS as f64)
                ),
            }),
            _ => Agreement::Compared(Comparison {
                what: "wait",
                simulated: t.wait_sum / t.waits.max(1) as f64 / MS as f64,
                theory: q.wq * 1_000.0,
                formula: "M/M/c/K",
                unit: Unit::Ms,
                n: t.waits,
                spread: None,
            }),
        }
    }

    /// Faults injected so far, in order.
    pub fn faults(&self) -> &[Fault] {
        &self.engine.model.faults
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
    pub fn advance_to(&mut self, to: Micros, max_events: u64) -> crate::des::Advanced {
        self.engine.advance_to(to, max_events)
    }

    pub fn events_handled(&self) -> u64 {
        self.engine.events_handled()
    }

    /// When the next event is due, if any.
    pub fn next_event(&self) -> Option<Micros> {
        self.engine.sched.peek_time()
    }

    /// The per-window history, oldest first (at most [`SERIES_LEN`] windows).
    pub fn series(&self) -> &Ring<RetrySample> {
        &self.engine.model.series
    }

    /// One byte per client: a [`ClientState`] as `u8`.
    pub fn client_states(&self) -> &[u8] {
        &self.engine.model.clients
    }

    /// Calls `f` for each queued attempt, front first, with whether its client has given up.
    pub fn for_each_queued(&self, mut f: impl FnMut(bool)) {
        let m = &self.engine.model;
        for q in &m.queue {
            f(!m.is_current(q.slot, q.aid));
        }
    }

    /// Calls `f` for each worker.
    pub fn for_each_worker(&self, mut f: impl FnMut(WorkerState)) {
        let m = &self.engine.model;
        for w in &m.workers {
            f(match w {
                None => WorkerState::Idle,
                Some(q) if m.is_current(q.slot, q.aid) => WorkerState::Useful,
                Some(_) => WorkerState::Wasted,
            });
        }
    }

    pub fn snapshot(&self) -> RetrySnapshot {
        let m = &self.engine.model;
        let now = self.engine.now();
        let recovery = match (m.last_fault_end, m.recovered_at) {
            (None, _) => Recovery::NoFault,
            (Some(end), Some(at)) => Recovery::Recovered { after_s: at.saturating_sub(end) as f64 / SEC as f64 },
            (Some(end), None) => Recovery::Recovering { since_s: now.saturating_sub(end) as f64 / SEC as f64 },
        };
        let ratio = |num: u64, den: u64| if den == 0 { 0.0 } else { num as f64 / den as f64 };
        RetrySnapshot {
            now,
            totals: m.totals,
            last: m.series.last().copied().unwrap_or_default(),
            recent: mean_of_last(&m.series, 10),
            amplification: ratio(m.last_second.b, m.last_second.a),
            goodput_ratio: ratio(m.last_second_good.a, m.last_second_good.b).min(1.0),
            breaker: if m.p.breaker { m.breaker } else { BreakerState::Closed },
            throttle_reject: if m.p.adaptive_throttle { m.throttle_probability() } else { 0.0 },
            queue_len: m.queue.len() as u32,
            busy_workers: m.p.workers - m.idle_workers.len() as u32,
            recovery,
            fault_active: m.outages > 0 || m.spike != 1.0,
        }
    }
}
/// The benchmark workload of the event core, defined once for the native criterion bench
/// (`benches/events.rs`) and the in-browser one (`crates/bench-web`): 20 s of the naive preset
/// with 5,000 clients, seed 42 and a 2 s outage at t = 5 s (a healthy phase, then a retry
/// storm). Returns (events handled, a checksum of the outcome); both must match across targets.
pub fn storm_workload() -> (u64, u64) {
    let p = RetryParams { clients: 5_000, ..RetryParams::NAIVE };
    let mut sim = RetrySim::new(p, 42);
    sim.inject(Fault { kind: FaultKind::Outage, start: 5 * SEC, duration: 2 * SEC });
    sim.advance(20 * SEC);
    let t = sim.snapshot().totals;
    (sim.events_handled(), t.attempts ^ (t.succeeded << 20) ^ (t.wasted << 40))
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// What a retry-storm preset sets: the retry policy of one of [`RetryParams::PRESETS`] (the
/// load, clients and timeouts stay as the reader set them).
const fn policy(p: &RetryParams) -> [(&'static str, f64); 4] {
    [
        ("backoff", p.backoff as u8 as f64),
        ("jitter", p.jitter as u8 as f64),
        ("budget", p.retry_budget * 100.0),
        ("breaker", p.breaker as u8 as f64),
    ]
}

const POLICIES: &[&str] = &["naive", "exponential", "jitter", "budget", "breaker"];
const BACKOFFS: &[&str] = &["none", "constant", "exponential"];
const JITTERS: &[&str] = &["none", "full", "equal", "decorrelated"];
/// What the retry storm's numbers rest on, for its decision note.
const ASSUMPTIONS_NOTE: &[(&str, &str)] = &[
    (
        "The dependency: 8 workers with exponential service times averaging 10 ms (800 attempts a second) and a \
         FIFO queue of 400; an attempt that finds the queue full is rejected at once. It cannot tell that a client \
         gave up, so it serves abandoned attempts too (no deadline shedding).",
        "",
    ),
    (
        "Fresh requests arrive as a Poisson process at the offered load (set by the sliders, as a share of the 800 a \
         second); each network hop takes 0.5 to 1.5 ms. A client gives up on a request after 1 s and on an attempt \
         after the attempt timeout (set by the sliders).",
        "",
    ),
    (
        "Clients retry immediately unless a backoff is chosen: a constant 50 ms, or 50 ms doubled for each attempt \
         so far, capped at 1 s. The retry budget is a bucket of at most 50 tokens; the circuit breaker opens when at \
         least half of the last second's attempts (20 or more) failed, stays open 2 s, then lets 5 trial attempts \
         through; adaptive throttling uses K = 2 over the last 5 s (the SRE book uses two minutes).",
        "",
    ),
    (
        "All clients share one budget, breaker and throttle. An outage hangs the dependency (it queues attempts but \
         serves none); a slowdown makes its service 5× slower. Recovered means a full second at 90% goodput or more \
         after the fault ended.",
        "",
    ),
];

/// The retry-storm widget.
pub const RETRY_STORM: WidgetSpec = WidgetSpec {
    name: "retry-storm",
    about: crate::note::About {
        question: "Which retry policy should our clients use so that a short outage of a dependency does not become a long one?",
        assumptions: ASSUMPTIONS_NOTE,
        sources: &[
            "Marc Brooker, Exponential Backoff And Jitter (2015)",
            "Marc Brooker, Timeouts, retries, and backoff with jitter (2019)",
            "Alejandro Forero Cuervo, Handling Overload (2016): retry budgets and adaptive throttling",
            "Nathan Bronson et al., Metastable Failures in Distributed Systems (2021)",
        ],
    },
    reserve_rem: 110.5,
    hot: true,
    title: "Retry storm",
    params: &[
        choice("backoff", "Backoff", BACKOFFS, 0),
        choice("jitter", "Jitter", JITTERS, 0),
        range("budget", "Retry budget", 0.0, 100.0, 5.0, 0.0, "% of requests"),
        toggle("breaker", "Circuit breaker", false),
        toggle("throttle", "Adaptive throttling", false),
        range("load", "Offered load", 10.0, 120.0, 5.0, 70.0, "% of capacity"),
        range("attempts", "Max attempts", 1.0, 8.0, 1.0, 4.0, ""),
        range("timeout", "Attempt timeout", 20.0, 2_000.0, 10.0, 250.0, "ms"),
        range("clients", "Clients", 10.0, 5_000.0, 10.0, 400.0, ""),
        range("outage", "Outage length", 0.5, 10.0, 0.5, 2.0, "s"),
        toggle("ab", "Compare two policies", false).in_group("ab"),
        choice("preset_b", "Policy B", POLICIES, 3).in_group("ab").shown_if("ab", 1.0),
    ],
    presets: &[
        ("naive", &policy(&RetryParams::NAIVE)),
        ("exponential", &policy(&RetryParams::EXPONENTIAL)),
        ("jitter", &policy(&RetryParams::JITTERED)),
        ("budget", &policy(&RetryParams::JITTERED_WITH_BUDGET)),
        ("breaker", &policy(&RetryParams::WITH_BREAKER)),
    ],
};

/// Retry-storm parameters for a state: `policy` overrides the policy knobs with a preset (used by
/// the B side of the A/B mode).
pub fn retry_params(state: &State, policy: Option<usize>) -> RetryParams {
    let mut st = state.clone();
    if let Some(i) = policy {
        for (k, v) in RETRY_STORM.presets[i.min(RETRY_STORM.presets.len() - 1)].1 {
            st.set(&RETRY_STORM, k, *v);
        }
    }
    let base = RetryParams::NAIVE;
    let capacity = base.capacity_rps();
    RetryParams {
        clients: value!(RETRY_STORM, st, "clients") as u32,
        offered_rps: capacity * value!(RETRY_STORM, st, "load") / 100.0,
        max_attempts: value!(RETRY_STORM, st, "attempts") as u32,
        attempt_timeout_ms: value!(RETRY_STORM, st, "timeout"),
        backoff: [Backoff::None, Backoff::Constant, Backoff::Exponential][value!(RETRY_STORM, st, "backoff") as usize],
        jitter: [Jitter::None, Jitter::Full, Jitter::Equal, Jitter::Decorrelated]
            [value!(RETRY_STORM, st, "jitter") as usize],
        retry_budget: value!(RETRY_STORM, st, "budget") / 100.0,
        breaker: (value!(RETRY_STORM, st, "breaker") != 0.0),
        adaptive_throttle: (value!(RETRY_STORM, st, "throttle") != 0.0),
        ..base
    }
    .clamped()
}

// ---------------------------------------------------------------------------------------------
// The widget's run: the reader's interventions and the A/B pair
// ---------------------------------------------------------------------------------------------

/// How much slower the dependency gets when the reader presses "Slow it down".
pub const SPIKE_FACTOR: f64 = 5.0;

/// Settings that restart the run rather than apply to it (`ab`, `preset_b`; the seed too).
const RESTARTS: [&str; 2] = ["ab", "preset_b"];

/// What a reader does to a running retry storm, as a share link logs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RetryAction {
    /// `outage`: the dependency hangs for the run's outage length (the `outage` setting).
    Outage,
    /// `spike`: its service times are [`SPIKE_FACTOR`]× longer for the outage length.
    Spike,
    /// `set.<key>.<value>`: a setting changes while the run goes on (clamped to its range when
    /// applied). Never `ab` or `preset_b`, which restart the run.
    Set { key: &'static str, value: f64 },
}

impl RetryAction {
    /// The action that sets `key` mid-run; `None` for a key the widget does not have or one that
    /// restarts the run.
    pub fn set(key: &str, value: f64) -> Option<RetryAction> {
        let (_, p) = RETRY_STORM.param(key)?;
        (!RESTARTS.contains(&p.key)).then_some(RetryAction::Set { key: p.key, value })
    }

    /// Reads a log entry (`outage`, `spike`, `set.<key>.<value>`); `None` for anything else.
    pub fn parse(code: &str) -> Option<RetryAction> {
        match code {
            "outage" => Some(RetryAction::Outage),
            "spike" => Some(RetryAction::Spike),
            _ => {
                let (key, value) = code.strip_prefix("set.")?.split_once('.')?;
                RetryAction::set(key, crate::num::parse_decimal(value)?)
            }
        }
    }

    /// The log entry [`Self::parse`] reads back.
    pub fn encode(&self) -> String {
        match self {
            RetryAction::Outage => "outage".into(),
            RetryAction::Spike => "spike".into(),
            RetryAction::Set { key, value } => format!("set.{key}.{}", crate::fmt::number(*value)),
        }
    }
}

/// The retry-storm widget's run: policy A (the settings), and with `ab` on, policy B (preset
/// `preset_b` over the same settings) on the same seed, so on exactly the same arrivals. Every
/// intervention applies to both.
#[derive(Clone)]
pub struct RetryRuns {
    sims: Vec<RetrySim>,
}

/// What the widget shows of its runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryRunsSnapshot {
    pub a: RetrySnapshot,
    pub b: Option<RetrySnapshot>,
}

impl RetryRuns {
    /// A (and, in A/B mode, B), in that order.
    pub fn sims(&self) -> &[RetrySim] {
        &self.sims
    }

    fn params_b(settings: &State) -> RetryParams {
        retry_params(settings, Some(value!(RETRY_STORM, settings, "preset_b") as usize))
    }
}

/// Finishes the events due at `sim`'s clock (after an event budget ran out part-way through them).
fn settle(sim: &mut RetrySim) {
    sim.advance_to(sim.now(), u64::MAX);
}

impl Replayable for RetryRuns {
    type Action = RetryAction;
    type Snapshot = RetryRunsSnapshot;
    const SPEC: &'static WidgetSpec = &RETRY_STORM;

    fn parse(code: &str) -> Option<RetryAction> {
        RetryAction::parse(code)
    }

    fn encode(action: &RetryAction) -> String {
        action.encode()
    }

    fn set(index: usize, value: f64) -> Option<RetryAction> {
        RetryAction::set(RETRY_STORM.params.get(index)?.key, value)
    }

    fn start(settings: &State) -> Self {
        let mut sims = vec![RetrySim::new(retry_params(settings, None), settings.seed)];
        if value!(RETRY_STORM, settings, "ab") != 0.0 {
            sims.push(RetrySim::new(RetryRuns::params_b(settings), settings.seed));
        }
        RetryRuns { sims }
    }

    fn now(&self) -> Micros {
        self.sims[0].now()
    }

    /// With two runs, events are handled in time order across both, so when the budget runs out
    /// both stop at the same moment.
    fn run_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        if let [sim] = &mut self.sims[..] {
            let r = sim.advance_to(to, max_events);
            if !r.reached {
                settle(sim);
            }
            return r;
        }
        let mut events = 0;
        while events < max_events {
            let due = self.sims.iter().enumerate().filter_map(|(i, s)| Some((s.next_event()?, i)));
            let Some((_, i)) = due.filter(|&(t, _)| t <= to).min() else {
                for sim in &mut self.sims {
                    sim.advance_to(to, u64::MAX); // nothing is due by `to`: only the clocks move
                }
                return Advanced { events, reached: true };
            };
            self.sims[i].step();
            events += 1;
        }
        let at = self.sims.iter().map(RetrySim::now).max().unwrap_or(0);
        for sim in &mut self.sims {
            sim.advance_to(at, u64::MAX);
        }
        Advanced { events, reached: at >= to && self.sims.iter().all(|s| s.next_event().is_none_or(|t| t > to)) }
    }

    fn apply(&mut self, settings: &mut State, action: &RetryAction) {
        let kind = match *action {
            RetryAction::Outage => FaultKind::Outage,
            RetryAction::Spike => FaultKind::LatencySpike(SPIKE_FACTOR),
            RetryAction::Set { key, value } => {
                settings.set(&RETRY_STORM, key, value);
                self.sims[0].set_params(retry_params(settings, None));
                if let Some(b) = self.sims.get_mut(1) {
                    b.set_params(RetryRuns::params_b(settings));
                }
                return;
            }
        };
        let duration = crate::des::secs(value!(RETRY_STORM, settings, "outage"));
        for sim in &mut self.sims {
            let start = sim.now();
            sim.inject(Fault { kind, start, duration });
        }
    }

    fn snapshot(&self) -> RetryRunsSnapshot {
        RetryRunsSnapshot { a: self.sims[0].snapshot(), b: self.sims.get(1).map(RetrySim::snapshot) }
    }
}

/// A retry-storm run with its interventions, replayable from a share link.
pub type RetryReplay = Replay<RetryRuns>;

/// The retry storm's named failure scenarios ([`crate::scenario`]). Each starts healthy at 70%
/// load and triggers a fault at 2 s.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "blip-becomes-outage",
        title: "A 2-second blip that never ends",
        watch_for: "The dependency came back at 4 s, yet 16 s later goodput is still 0 and every request makes 4 attempts: the retries alone keep it down.",
        link: "log=2000000.outage&t=20000000",
    },
    Scenario {
        name: "backoff-without-jitter",
        title: "Backoff without jitter",
        watch_for: "Exponential backoff moved the retries later but kept all of them: 6 s after the outage, goodput is 0 and requests still make 3.6 attempts each.",
        link: "preset=exponential&log=2000000.outage&t=10000000",
    },
    Scenario {
        name: "retry-budget",
        title: "A retry budget contains the storm",
        watch_for: "With a 10% retry budget, retries came to 3.6% of requests rather than 3 per request, and goodput was back 1.6 s after the outage.",
        link: "preset=budget&log=2000000.outage&t=12000000",
    },
    Scenario {
        name: "flapping-breaker",
        title: "A breaker that flaps",
        watch_for: "In a 10 s slowdown the breaker tripped and closed 3 times: its trial calls succeed on the slow dependency, it closes, and the full load trips it again.",
        link: "preset=breaker&outage=10&log=2000000.spike&t=13000000",
    },
];

// ---------------------------------------------------------------------------------------------
// What the widget shows, and its decision note
// ---------------------------------------------------------------------------------------------

/// Where a run is relative to the last fault, in a sentence.
pub fn recovery_text(r: Recovery) -> String {
    match r {
        Recovery::NoFault => "No fault yet: press “Trigger outage”.".into(),
        Recovery::Recovering { since_s } => format!("Not recovered {} s after the fault ended.", num(since_s, 1)),
        Recovery::Recovered { after_s } => format!("Recovered {} s after the fault ended.", num(after_s, 1)),
    }
}

/// The circuit breaker's state in words.
pub fn breaker_text(b: BreakerState) -> &'static str {
    match b {
        BreakerState::Closed => "closed",
        BreakerState::Open => "open (failing fast)",
        BreakerState::HalfOpen => "half-open (probing)",
    }
}

/// One run's key numbers, as its panel shows them (the same list at every moment).
pub fn retry_readouts(s: &RetrySnapshot) -> Vec<Readout> {
    vec![
        Readout::new("time", "Simulated time", format!("{} s", num(s.now as f64 / SEC as f64, 1))),
        Readout::new("offered", "Offered", format!("{}/s", num(s.recent.offered, 0))),
        Readout::new("attempts", "Attempts", format!("{}/s", num(s.recent.attempts, 0))),
        Readout::new("amplification", "Amplification", format!("{}×", num(s.amplification, 2))),
        Readout::new("goodput", "Goodput", format!("{} of offered", percent(s.goodput_ratio))),
        Readout::new("queue", "Queue", num(s.queue_len as f64, 0)),
        Readout::new("wasted", "Wasted work", format!("{}/s", num(s.recent.wasted, 0))),
        Readout::new(
            "p99",
            "p99 latency (last s)",
            if s.recent.goodput > 0.0 { ms(s.recent.p99_ms) } else { "no successes".into() },
        ),
        Readout::new("breaker", "Breaker", breaker_text(s.breaker)),
        Readout::new("recovery", "Recovery", recovery_text(s.recovery)).wide(),
    ]
}

/// What one run shows so far, in a sentence.
fn retry_verdict(s: &RetrySnapshot) -> String {
    let now =
        format!("goodput {} of offered at {}× attempts per request", percent(s.goodput_ratio), num(s.amplification, 2));
    match s.recovery {
        _ if s.fault_active => format!("During the fault: {now}, {} queued.", num(s.queue_len as f64, 0)),
        Recovery::NoFault => format!("No fault yet: {now}."),
        Recovery::Recovering { since_s } => {
            format!("Not recovered {} s after the fault ended: {now}.", num(since_s, 1))
        }
        Recovery::Recovered { after_s } => {
            format!("Recovered {} s after the fault ended; now {now}.", num(after_s, 1))
        }
    }
}

/// The decision note's facts for a retry-storm run: what it shows so far (A and B side by side
/// in A/B mode), the key numbers of its panels, and the run: its start, the reader's outages,
/// slowdowns and setting changes, each fault's end and the recovery.
pub fn retry_storm_facts(r: &RetryReplay) -> Facts {
    let sims = r.run().sims();
    let snaps: Vec<RetrySnapshot> = sims.iter().map(RetrySim::snapshot).collect();
    let b_name = (snaps.len() > 1).then(|| {
        let i = value!(RETRY_STORM, r.started(), "preset_b") as usize;
        RETRY_STORM.presets[i.min(RETRY_STORM.presets.len() - 1)].0
    });
    let both = |f: &dyn Fn(&RetrySnapshot) -> String| match (&snaps[..], b_name) {
        ([a, b], Some(name)) => format!("A (your policy): {} B (policy “{name}”): {}", f(a), f(b)),
        _ => f(&snaps[0]),
    };
    let verdict = both(&retry_verdict);
    let mut readouts = retry_readouts(&snaps[0]);
    if let Some(b) = snaps.get(1) {
        for (a, b) in readouts.iter_mut().zip(retry_readouts(b)) {
            a.value = format!("A: {} · B: {}", a.value, b.value);
        }
    }
    let started = match b_name {
        Some(name) => format!(
            "started A (the settings above) and B (policy “{name}”) on the same arrivals, seed {}",
            r.started().seed
        ),
        None => format!("started with the settings above, seed {}", r.started().seed),
    };
    let now = r.now();
    let mut events = Vec::new();
    for f in sims[0].faults() {
        let end = f.start + f.duration;
        if end <= now {
            let what = if f.kind == FaultKind::Outage { "the outage ended" } else { "the slowdown ended" };
            events.push((end, what.to_string()));
        }
    }
    let last_end = sims[0].faults().iter().map(|f| f.start + f.duration).filter(|&e| e <= now).max();
    for (i, s) in snaps.iter().enumerate() {
        if let (Recovery::Recovered { after_s }, Some(end)) = (s.recovery, last_end) {
            let who = if snaps.len() > 1 { ["A: ", "B: "][i] } else { "" };
            let at = end + crate::des::secs(after_s);
            events.push((at, format!("{who}recovered (goodput back to 90% of offered for a full second)")));
        }
    }
    let describe = |code: &str| match code {
        "outage" => "outage: the dependency hangs (accepts attempts, serves none)".to_string(),
        "spike" => format!("slowdown: the dependency's service times {}× longer", crate::fmt::number(SPIKE_FACTOR)),
        other => other.to_string(),
    };
    let now_text = both(&|s| {
        format!("goodput {} of offered, {}× attempts per request.", percent(s.goodput_ratio), num(s.amplification, 2))
    });
    let run = crate::note::run_so_far(
        &RETRY_STORM,
        &r.applied(),
        &crate::note::at,
        &describe,
        &started,
        events,
        (now, now_text.trim_end_matches('.')),
    );
    Facts { verdict, readouts, run }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::{grouped, number};

    /// Each number the decision note states that a constant or a default parameter stands
    /// behind, built from that constant. Not backed by a constant: "two minutes" (the SRE book's
    /// throttle window, which the model shortens to `THROTTLE_WINDOWS`).
    #[test]
    fn the_notes_assumptions_state_the_models_constants() {
        let says = |phrase: &str| crate::note::assert_assumption(ASSUMPTIONS_NOTE, phrase);
        let s = |ms: f64| format!("{} s", number(ms / 1_000.0));
        let p = RetryParams::BASE;
        says(&format!("{} workers", p.workers));
        says(&format!("averaging {}", ms(p.service_ms)));
        says(&format!("({} attempts a second)", grouped(p.capacity_rps())));
        says(&format!("as a share of the {} a second", grouped(p.capacity_rps())));
        says(&format!("FIFO queue of {}", grouped(p.queue_limit as f64)));
        says(&format!(
            "each network hop takes {} to {}",
            number(p.network_ms * HOP_FACTOR.0),
            ms(p.network_ms * HOP_FACTOR.1)
        ));
        says(&format!("gives up on a request after {}", s(p.overall_timeout_ms)));
        says(&format!("a constant {}, or {} doubled", ms(p.backoff_base_ms), ms(p.backoff_base_ms)));
        says(&format!("capped at {}", s(p.backoff_cap_ms)));
        says(&format!("at most {} tokens", number(BUDGET_MAX_TOKENS)));
        assert_eq!(p.breaker_threshold, 0.5);
        says("opens when at least half");
        assert_eq!(BREAKER_WINDOWS as Micros * WINDOW, SEC);
        says("of the last second's attempts");
        says(&format!("({BREAKER_MIN_CALLS} or more)"));
        says(&format!("stays open {}", s(p.breaker_open_ms)));
        says(&format!("lets {BREAKER_PROBES} trial attempts"));
        says(&format!("K = {}", number(p.throttle_k)));
        says(&format!("over the last {}", s((THROTTLE_WINDOWS as Micros * WINDOW / MS) as f64)));
        says(&format!("{}× slower", number(SPIKE_FACTOR)));
        assert_eq!(RECOVERY_WINDOWS as Micros * WINDOW, SEC);
        says(&format!("a full second at {} goodput", percent(RECOVERY_GOODPUT)));
    }
}
