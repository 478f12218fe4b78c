//! Marc Brooker's contention experiment ("Exponential Backoff And Jitter", AWS Architecture Blog,
//! 2015), rebuilt on the event core: `clients` clients each want to update one row once, with
//! optimistic concurrency (read the version, write conditionally on it). Every network hop takes
//! |N(10 ms, 2 ms)|; a client whose write loses sleeps per its backoff (base 5 ms, cap 2 s) and
//! starts again with a read. Reported: total write calls and the time of the last success.

use crate::backoff::{Backoff, BackoffPolicy, Jitter};
use crate::des::{Engine, Micros, Model, Scheduler, MS};
use crate::fmt::{ms, num};
use crate::note::{Facts, Readout};
use crate::rng::Rng;
use crate::spec::{range, State, WidgetSpec};
use crate::stats::Summary;
use crate::value;

/// The strategies compared, in the order the widget shows them.
pub const STRATEGIES: [(&str, Backoff, Jitter); 5] = [
    ("No backoff", Backoff::None, Jitter::None),
    ("Exponential", Backoff::Exponential, Jitter::None),
    ("Equal jitter", Backoff::Exponential, Jitter::Equal),
    ("Full jitter", Backoff::Exponential, Jitter::Full),
    ("Decorrelated", Backoff::Exponential, Jitter::Decorrelated),
];

/// Parameters of the experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JitterParams {
    /// Contending clients.
    pub clients: u32,
    /// Seeded runs per strategy; the figures are their means.
    pub runs: u32,
    pub base_ms: f64,
    pub cap_ms: f64,
    pub net_mean_ms: f64,
    pub net_sd_ms: f64,
}

impl JitterParams {
    /// Brooker's settings.
    pub const BROOKER: JitterParams =
        JitterParams { clients: 50, runs: 100, base_ms: 5.0, cap_ms: 2_000.0, net_mean_ms: 10.0, net_sd_ms: 2.0 };

    pub fn clamped(mut self) -> Self {
        let c = crate::num::clamp_or_low;
        self.clients = self.clients.clamp(1, 500);
        self.runs = self.runs.clamp(1, 10_000);
        self.base_ms = c(self.base_ms, 0.1, 1_000.0);
        self.cap_ms = c(self.cap_ms, self.base_ms, 60_000.0);
        self.net_mean_ms = c(self.net_mean_ms, 0.0, 1_000.0);
        self.net_sd_ms = c(self.net_sd_ms, 0.0, 1_000.0);
        self
    }
}

#[derive(Clone, Copy, Debug)]
pub enum OccEvent {
    /// A read reaches the server.
    Read { client: u32 },
    /// The read's response (the version) reaches the client, which sends its write.
    ReadReply { client: u32, version: u64 },
    /// A conditional write reaches the server.
    Write { client: u32, version: u64 },
    /// The write's result reaches the client.
    WriteReply { client: u32, ok: bool },
}

struct Occ {
    policy: BackoffPolicy,
    rng: Rng,
    net_mean: f64,
    net_sd: f64,
    version: u64,
    attempts: Vec<u32>,
    prev_wait: Vec<f64>,
    calls: u64,
    last_success: Micros,
}

impl Occ {
    fn hop(&mut self) -> Micros {
        self.rng.normal(self.net_mean, self.net_sd).abs() as Micros
    }
}

impl Model for Occ {
    type Event = OccEvent;
    fn handle(&mut self, ev: OccEvent, s: &mut Scheduler<OccEvent>) {
        match ev {
            OccEvent::Read { client } => {
                let version = self.version;
                let d = self.hop();
                s.after(d, OccEvent::ReadReply { client, version });
            }
            OccEvent::ReadReply { client, version } => {
                let d = self.hop();
                s.after(d, OccEvent::Write { client, version });
            }
            OccEvent::Write { client, version } => {
                self.calls += 1;
                let ok = version == self.version;
                if ok {
                    self.version += 1;
                }
                let d = self.hop();
                s.after(d, OccEvent::WriteReply { client, ok });
            }
            OccEvent::WriteReply { client, ok } => {
                if ok {
                    self.last_success = s.now();
                    return;
                }
                let c = client as usize;
                self.attempts[c] += 1;
                let wait = self.policy.delay(self.attempts[c], self.prev_wait[c], &mut self.rng);
                self.prev_wait[c] = wait;
                let d = self.hop() + wait as Micros;
                s.after(d, OccEvent::Read { client });
            }
        }
    }
}

/// The outcome of one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OccRun {
    pub calls: u64,
    /// Time of the last successful write, in milliseconds.
    pub completion_ms: f64,
    pub events: u64,
}

/// Runs one contention round to completion.
pub fn run_once(p: &JitterParams, backoff: Backoff, jitter: Jitter, seed: u64) -> OccRun {
    let p = p.clamped();
    let n = p.clients as usize;
    let base = p.base_ms * MS as f64;
    let m = Occ {
        policy: BackoffPolicy { backoff, jitter, base, cap: p.cap_ms * MS as f64 },
        rng: Rng::new(seed),
        net_mean: p.net_mean_ms * MS as f64,
        net_sd: p.net_sd_ms * MS as f64,
        version: 0,
        attempts: vec![0; n],
        prev_wait: vec![base; n],
        calls: 0,
        last_success: 0,
    };
    let mut e = Engine::new(m);
    for client in 0..p.clients {
        let d = e.model.hop();
        e.sched.at(d, OccEvent::Read { client });
    }
    while e.step() {}
    OccRun { calls: e.model.calls, completion_ms: e.model.last_success as f64 / MS as f64, events: e.events_handled() }
}

/// Mean figures for one strategy.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StrategyResult {
    pub runs: u64,
    pub mean_calls: f64,
    pub mean_completion_ms: f64,
    /// Calls per client (1 is the floor: every client writes at least once).
    pub calls_per_client: f64,
}

/// The experiment as a stepped computation, so a page can spread it over frames.
pub struct JitterSim {
    p: JitterParams,
    seed: u64,
    calls: [Summary; 5],
    times: [Summary; 5],
    next: u64,
    events: u64,
}

/// Progress and results so far.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JitterSnapshot {
    pub clients: u32,
    pub runs_done: u32,
    pub runs_total: u32,
    pub results: [StrategyResult; 5],
    /// Index of the strategy with the fewest mean calls.
    pub fewest_calls: usize,
    /// Index of the strategy with the longest mean completion time.
    pub slowest: usize,
    pub done: bool,
}

impl JitterSim {
    pub fn new(params: JitterParams, seed: u64) -> Self {
        JitterSim {
            p: params.clamped(),
            seed,
            calls: [Summary::default(); 5],
            times: [Summary::default(); 5],
            next: 0,
            events: 0,
        }
    }

    pub fn params(&self) -> &JitterParams {
        &self.p
    }

    fn total_steps(&self) -> u64 {
        self.p.runs as u64 * STRATEGIES.len() as u64
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.total_steps()
    }

    /// Runs one (run, strategy) pair. Run `r` of every strategy uses the same seed, so the
    /// strategies meet the same network. Returns false when everything is done.
    pub fn step(&mut self) -> bool {
        if self.is_done() {
            return false;
        }
        let k = STRATEGIES.len() as u64;
        let (run, s) = (self.next / k, (self.next % k) as usize);
        let (_, b, j) = STRATEGIES[s];
        let seed = self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(run);
        let r = run_once(&self.p, b, j, seed);
        self.calls[s].add(r.calls as f64);
        self.times[s].add(r.completion_ms);
        self.events += r.events;
        self.next += 1;
        true
    }

    /// Steps until at least `events` simulation events have run (or everything is done).
    pub fn advance(&mut self, events: u64) -> u64 {
        let start = self.events;
        while self.events - start < events && self.step() {}
        self.events - start
    }

    pub fn events_handled(&self) -> u64 {
        self.events
    }

    pub fn snapshot(&self) -> JitterSnapshot {
        let mut results = [StrategyResult::default(); 5];
        for (i, r) in results.iter_mut().enumerate() {
            *r = StrategyResult {
                runs: self.calls[i].count,
                mean_calls: self.calls[i].mean(),
                mean_completion_ms: self.times[i].mean(),
                calls_per_client: self.calls[i].mean() / self.p.clients as f64,
            };
        }
        let argby = |f: &dyn Fn(&StrategyResult) -> f64, max: bool| {
            (0..5)
                .filter(|&i| results[i].runs > 0)
                .max_by(|&a, &b| {
                    let o = f(&results[a]).total_cmp(&f(&results[b]));
                    if max {
                        o
                    } else {
                        o.reverse()
                    }
                })
                .unwrap_or(0)
        };
        JitterSnapshot {
            clients: self.p.clients,
            runs_done: (self.next / STRATEGIES.len() as u64) as u32,
            runs_total: self.p.runs,
            fewest_calls: argby(&|r| r.mean_calls, false),
            slowest: argby(&|r| r.mean_completion_ms, true),
            results,
            done: self.is_done(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// What the contention experiment's numbers rest on, for its decision note.
const ASSUMPTIONS_NOTE: &[(&str, &str)] = &[
    (
        "Brooker's 2015 experiment: every client writes the same row once with optimistic concurrency (read the \
         version, write only if it is unchanged); a client whose write loses backs off and starts again with a read. \
         All clients start together; their number and the runs per strategy are set by the sliders.",
        "",
    ),
    (
        "Every network hop takes a normal 10 ms with a standard deviation of 2 ms; the server answers at once, with \
         no queue or capacity limit, so the figures measure contention, not overload.",
        "",
    ),
    (
        "Backoff base 5 ms, doubled for each failed attempt (10 ms, 20 ms, …) and capped at 2 s; \"No backoff\" \
         retries at once. No retry limit and no timeouts; run n of every strategy uses the same seed.",
        "",
    ),
];

/// Brooker's backoff-and-jitter experiment.
pub const BACKOFF_JITTER: WidgetSpec = WidgetSpec {
    name: "backoff-jitter",
    about: crate::note::About {
        question: "Which retry backoff and jitter should our clients use when many of them contend for the same \
                   resource, counting both the load they add and how long the last of them waits?",
        assumptions: ASSUMPTIONS_NOTE,
        sources: &[
            "Marc Brooker, Exponential Backoff And Jitter (2015)",
            "Marc Brooker, Timeouts, retries, and backoff with jitter (2019)",
        ],
    },
    reserve_rem: 45.5,
    hot: true,
    title: "Backoff and jitter under contention",
    params: &[
        range("clients", "Contending clients", 10.0, 200.0, 10.0, 50.0, ""),
        range("runs", "Runs per strategy", 10.0, 1_000.0, 10.0, 100.0, ""),
    ],
    presets: &[],
};

/// The hooks (`data-k`) of each strategy's figures in the widget's table, in [`STRATEGIES`] order:
/// mean calls, calls per client, mean completion time.
pub const STRATEGY_KEYS: [[&str; 3]; 5] = [
    ["none-calls", "none-per-client", "none-completion"],
    ["exponential-calls", "exponential-per-client", "exponential-completion"],
    ["equal-calls", "equal-per-client", "equal-completion"],
    ["full-calls", "full-per-client", "full-completion"],
    ["decorrelated-calls", "decorrelated-per-client", "decorrelated-completion"],
];

/// Where the experiment is: "Running… 3 of 100 runs per strategy." or, when done, "100 runs per
/// strategy, 50 clients each."
pub fn progress(s: &JitterSnapshot) -> String {
    if s.done {
        format!("{} runs per strategy, {} clients each.", s.runs_done, s.clients)
    } else {
        format!("Running… {} of {} runs per strategy.", s.runs_done, s.runs_total)
    }
}

/// What the backoff-jitter widget shows so far: which strategy needs the fewest calls and which
/// finishes last (the table marks them), the progress, and each strategy's row of the table.
pub fn jitter_facts(s: &JitterSnapshot) -> Facts {
    let mut verdict = String::new();
    if s.runs_done > 0 {
        let (best, slow) = (&s.results[s.fewest_calls], &s.results[s.slowest]);
        verdict = format!(
            "{} needs the fewest write calls: {} on average, {} per client. {} takes longest for the last client to \
             succeed: {}. ",
            STRATEGIES[s.fewest_calls].0,
            num(best.mean_calls, 0),
            num(best.calls_per_client, 1),
            STRATEGIES[s.slowest].0,
            ms(slow.mean_completion_ms)
        );
    }
    verdict += &progress(s);
    let mut readouts = Vec::with_capacity(3 * STRATEGIES.len());
    for ((name, _, _), (r, k)) in STRATEGIES.iter().zip(s.results.iter().zip(&STRATEGY_KEYS)) {
        readouts.push(Readout::new(k[0], format!("{name} calls"), num(r.mean_calls, 0)));
        readouts.push(Readout::new(k[1], format!("{name} calls per client"), num(r.calls_per_client, 1)));
        readouts.push(Readout::new(k[2], format!("{name} completion"), ms(r.mean_completion_ms)));
    }
    Facts { verdict, readouts, run: Vec::new() }
}

/// Jitter-experiment parameters for a state.
pub fn jitter_params(state: &State) -> JitterParams {
    JitterParams {
        clients: value!(BACKOFF_JITTER, state, "clients") as u32,
        runs: value!(BACKOFF_JITTER, state, "runs") as u32,
        ..JitterParams::BROOKER
    }
    .clamped()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::number;

    /// Each number the decision note states that a constant or a default parameter stands
    /// behind, built from that constant. Not backed by a constant: "2015" (the year of Brooker's
    /// experiment).
    #[test]
    fn the_notes_assumptions_state_the_models_constants() {
        let says = |phrase: &str| crate::note::assert_assumption(ASSUMPTIONS_NOTE, phrase);
        let p = JitterParams::BROOKER; // what `jitter_params` starts from
        says(&format!("a normal {} with a standard deviation of {}", ms(p.net_mean_ms), ms(p.net_sd_ms)));
        says(&format!("Backoff base {}", ms(p.base_ms)));
        let exponential =
            BackoffPolicy { backoff: Backoff::Exponential, jitter: Jitter::None, base: p.base_ms, cap: p.cap_ms };
        let mut rng = Rng::new(1);
        let (first, second) = (exponential.delay(1, p.base_ms, &mut rng), exponential.delay(2, p.base_ms, &mut rng));
        says(&format!("doubled for each failed attempt ({}, {}, …)", ms(first), ms(second)));
        says(&format!("capped at {} s", number(p.cap_ms / 1_000.0)));
    }
}
