//! Replaying a run from a share link, and recording one live.
//!
//! A share link carries the settings a run started from, its seed, the reader's interventions
//! (`log=<µs>.<action>,…`, see [`crate::spec::parse_log`]) and how far it had got (`t=<µs>`). A
//! [`Replay`] owns the run and plays that log as a script: [`Replay::advance_to`] applies each
//! logged action when the simulated clock reaches its time, exactly as [`Replay::record`] applied
//! it when the reader pressed the button. Both go through the same path, so a link replayed to its
//! playhead is the run that was shared, event for event.
//!
//! What a run is, and what its actions do, is the simulation's: [`Replayable`]. The retry storm
//! ([`crate::retry::RetryReplay`]), the thread pool ([`crate::pool::PoolReplay`]) and the queue
//! semantics ([`crate::queue_semantics::QueueSemanticsReplay`]) implement it.
//!
//! Each action is applied at the run's clock after every event due by then has been handled and
//! before any later one, and the events it schedules for that very moment are handled at once.
//! A run with an event budget ([`Replayable::run_to`]) always stops at such a cut too, so
//! whatever [`Replay::to_state`] reports can be replayed exactly.

use crate::des::{Advanced, Micros};
use crate::spec::{State, WidgetSpec, MAX_LOG, MAX_REPLAY_US};

/// A moment of a run whose clock is simulated seconds, as its timeline writes it: "12.5 s".
pub fn seconds_text(t: Micros) -> String {
    format!("{} s", crate::fmt::fixed(t as f64 / crate::des::SEC as f64, 1))
}

/// A simulation a share link can replay: a widget's run and the reader's interventions on it.
pub trait Replayable: Sized + Clone {
    /// An intervention, as a share link logs it.
    type Action: Clone + PartialEq + core::fmt::Debug;
    /// What the widget shows.
    type Snapshot;
    /// The widget whose settings start the run.
    const SPEC: &'static WidgetSpec;
    /// Where every run of this widget ends, and so the furthest a share link replays it (µs): 10
    /// simulated minutes unless a widget's runs are both longer and cheap to simulate; never above
    /// [`MAX_REPLAY_US`].
    const MAX_REPLAY_US: Micros = 600_000_000;

    /// A logged action; `None` for anything this widget does not know (such entries are skipped).
    fn parse(code: &str) -> Option<Self::Action>;
    /// The action as a log entry; [`Self::parse`] reads it back.
    fn encode(action: &Self::Action) -> String;
    /// The action that changes parameter `index` of [`Self::SPEC`] to `value` while the run goes
    /// on; `None` when such a change restarts the run instead.
    fn set(index: usize, value: f64) -> Option<Self::Action>;

    /// A fresh run from `settings` (values and seed; its log and playhead are not looked at).
    fn start(settings: &State) -> Self;
    /// The run's clock.
    fn now(&self) -> Micros;
    /// Runs towards `to`, handling about `max_events` at most. When the budget runs out first, it
    /// still handles every event due at the time it stopped at, so the run is at a cut a replay
    /// can reach: every event up to `now()` handled, none after.
    fn run_to(&mut self, to: Micros, max_events: u64) -> Advanced;
    /// Applies `action` now; `settings` are the settings in force, which an action may change.
    fn apply(&mut self, settings: &mut State, action: &Self::Action);
    fn snapshot(&self) -> Self::Snapshot;
}

/// One run of a widget with its interventions: replayed from a share link or recorded live.
pub struct Replay<S: Replayable> {
    /// The settings and seed the run started from (no log, no playhead).
    start: State,
    /// The settings in force now.
    settings: State,
    run: S,
    /// Interventions applied so far, in time order (at most [`MAX_LOG`]).
    log: Vec<(Micros, S::Action)>,
    /// A shared link's interventions, in time order; `script[next..]` are still to come.
    script: Vec<(Micros, S::Action)>,
    next: usize,
    /// The furthest the run has been whose future is still this one: a timeline's end.
    reach: Micros,
    /// Copies of the run along its timeline, so a seek replays from the nearest one before its
    /// target instead of from the start (see [`Checkpoints`]).
    checkpoints: Checkpoints<S>,
}

/// A copy of a run at a moment every event up to which has been handled, and how many of the
/// run's interventions it had applied.
struct Checkpoint<S> {
    run: S,
    settings: State,
    applied: usize,
}

/// Copies of a run, taken every `spacing` events (about 4 ms of simulation natively), at most
/// [`Checkpoints::MAX`] of them: when full, every other one goes and the spacing doubles. A seek
/// to any moment then replays at most `spacing` events, whatever the run's length; the heaviest
/// retry storm (5,000 clients at 120% load, two policies) keeps about a tenth of its ten minutes
/// apart (`cargo bench -p model --bench seek`).
struct Checkpoints<S> {
    list: Vec<Checkpoint<S>>,
    spacing: u64,
    /// Events handled since the last copy.
    since: u64,
    /// Copies taken, ever.
    taken: u64,
}

impl<S> Checkpoints<S> {
    const MAX: usize = 128;
    const SPACING: u64 = 10_000;

    fn new() -> Self {
        Checkpoints { list: Vec::new(), spacing: Self::SPACING, since: 0, taken: 0 }
    }
}

impl<S: Replayable> Replay<S> {
    /// A run from `state`'s settings and seed, with its log as the script to play as time passes
    /// (entries this widget does not know are skipped; at most [`MAX_LOG`]). Not advanced: see
    /// [`Self::open`].
    pub fn new(state: &State) -> Self {
        let start = State { log: Vec::new(), at_us: 0, ..state.clone() };
        let mut script: Vec<(Micros, S::Action)> =
            state.log.iter().filter_map(|(t, code)| Some((*t, S::parse(code)?))).take(MAX_LOG).collect();
        crate::num::sort::short_stable_by_key(&mut script, |(t, _)| *t);
        // Room for the script in the log, so playing it allocates nothing in a frame.
        let log = Vec::with_capacity(script.len());
        Replay {
            run: S::start(&start),
            settings: start.clone(),
            start,
            log,
            script,
            next: 0,
            reach: 0,
            checkpoints: Checkpoints::new(),
        }
    }

    /// A shared run, replayed to its playhead (`state.at_us`, at most [`Replayable::MAX_REPLAY_US`]).
    pub fn open(state: &State) -> Self {
        let mut r = Self::new(state);
        r.advance_to(state.at_us.min(S::MAX_REPLAY_US).min(MAX_REPLAY_US), u64::MAX);
        r
    }

    /// Runs towards `to`, applying each scripted action at its time, handling about `max_events`
    /// at most (a frame's share; `reached` says whether it got there).
    /// A run ends at its link cap ([`Self::limit`]): every moment of it can then be scrubbed to
    /// and shared, and its copies stop there.
    pub fn advance_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        let to = to.min(self.limit());
        let mut events = 0;
        while let Some((t, action)) = self.script.get(self.next).filter(|(t, _)| *t <= to).cloned() {
            let r = self.run_to(t, max_events.saturating_sub(events));
            events += r.events;
            if !r.reached {
                return Advanced { events, reached: false };
            }
            self.next += 1;
            self.play(action);
        }
        let r = self.run_to(to, max_events.saturating_sub(events));
        self.reach = self.reach.max(self.now());
        Advanced { events: events + r.events, reached: r.reached }
    }

    /// Runs towards `to` in pieces of the checkpoint spacing, copying the run after each full
    /// piece. Every stop is a cut (all events up to the clock handled, none after) with no
    /// intervention due, so a copy restarts exactly there.
    fn run_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        let mut events = 0;
        loop {
            let cp = &mut self.checkpoints;
            let piece = cp.spacing.saturating_sub(cp.since).max(1).min(max_events.saturating_sub(events));
            let r = self.run.run_to(to, piece);
            events += r.events;
            self.checkpoints.since += r.events;
            if self.checkpoints.since >= self.checkpoints.spacing && self.now() >= self.reach {
                self.keep_checkpoint();
            }
            if r.reached || events >= max_events || r.events == 0 {
                return Advanced { events, reached: r.reached };
            }
        }
    }

    /// Copies the run now (only on its furthest path: a copy of a moment already passed is there).
    fn keep_checkpoint(&mut self) {
        let cp = &mut self.checkpoints;
        cp.since = 0;
        if cp.list.last().is_some_and(|c| c.run.now() >= self.run.now()) {
            return;
        }
        if cp.list.len() >= Checkpoints::<S>::MAX {
            let mut i = 0;
            cp.list.retain(|_| {
                i += 1;
                i % 2 == 0
            });
            cp.spacing = cp.spacing.saturating_mul(2);
        }
        cp.taken += 1;
        cp.list.push(Checkpoint { run: self.run.clone(), settings: self.settings.clone(), applied: self.log.len() });
    }

    /// Moves the run to simulated time `to` (at most the link cap): forwards by playing on,
    /// backwards by replaying from the start — the run is deterministic, so the moment it lands
    /// on is exactly the one it passed. The interventions after `to` stay in the script, so
    /// scrubbing back and forth keeps the run's future, until the reader intervenes
    /// ([`Self::record`] then ends the script: the later part is replaced).
    pub fn seek(&mut self, to: Micros) {
        let to = to.min(S::MAX_REPLAY_US).min(MAX_REPLAY_US);
        // The latest copy at or before `to`, if going there from it is shorter than from here.
        let from = self.checkpoints.list.iter().rposition(|c| c.run.now() <= to);
        let ahead = from.is_some_and(|i| self.checkpoints.list[i].run.now() > self.now());
        if to < self.now() || ahead {
            let mut whole = std::mem::take(&mut self.log);
            whole.extend(self.script.drain(..).skip(self.next));
            let (run, settings, applied) = match from {
                Some(i) => {
                    let c = &self.checkpoints.list[i];
                    (c.run.clone(), c.settings.clone(), c.applied.min(whole.len()))
                }
                None => (S::start(&self.start), self.start.clone(), 0),
            };
            self.log = Vec::with_capacity(whole.len());
            self.log.extend(whole[..applied].iter().cloned());
            self.run = run;
            self.settings = settings;
            self.script = whole;
            self.next = applied;
            self.checkpoints.since = 0;
        }
        self.advance_to(to, u64::MAX);
    }

    /// Runs for `dt` of simulated time (a Step), scripted actions included.
    pub fn step(&mut self, dt: Micros) {
        self.advance_to(self.now().saturating_add(dt), u64::MAX);
    }

    /// The reader's intervention at `t` (the run's clock, or later: the run first goes there). It
    /// is logged for the share link as the link will carry it (while the log holds fewer than
    /// [`MAX_LOG`]; past that it still applies), and it ends the script: what the link did next
    /// is not what happens now.
    pub fn record(&mut self, t: Micros, action: S::Action) {
        let t = t.min(self.limit());
        self.advance_to(t, u64::MAX);
        self.script.truncate(self.next);
        if let Some(action) = S::parse(&S::encode(&action)) {
            self.play(action);
        }
        // What lay beyond this moment was another run's.
        self.reach = self.now();
        let now = self.now();
        self.checkpoints.list.retain(|c| c.run.now() < now);
    }

    /// The reader changed the settings to `next`. A change that applies while the run goes on is
    /// recorded as an intervention now; any other (or a new seed) restarts the run from `next`,
    /// and so does any change before anything has happened (the change is then simply where the
    /// run starts). Returns whether the run restarted.
    pub fn change(&mut self, next: &State) -> bool {
        let spec = S::SPEC;
        let changed = |i: &usize| self.settings.values.get(*i) != next.values.get(*i);
        let indices: Vec<usize> = (0..spec.params.len()).filter(changed).collect();
        let live: Option<Vec<S::Action>> = indices.iter().map(|&i| S::set(i, next.at(i))).collect();
        let fresh = self.now() == 0 && self.log.is_empty() && self.next == self.script.len();
        match live {
            Some(actions) if next.seed == self.settings.seed && !fresh => {
                let now = self.now();
                for a in actions {
                    self.record(now, a);
                }
                false
            }
            _ if indices.is_empty() && next.seed == self.settings.seed => false,
            _ => {
                *self = Self::new(&State { log: Vec::new(), at_us: 0, ..next.clone() });
                true
            }
        }
    }

    /// Applies `action` at the run's clock, handles what it set off for this very moment, logs it.
    fn play(&mut self, action: S::Action) {
        let now = self.run.now();
        self.run.apply(&mut self.settings, &action);
        self.run.run_to(now, u64::MAX);
        if self.log.len() < MAX_LOG {
            self.log.push((now, action));
        }
    }

    pub fn now(&self) -> Micros {
        self.run.now()
    }

    /// The furthest this run has been (µs) since it started or since an intervention replaced
    /// what came after: where a timeline ends. Seeking back keeps it, so the reader can scrub
    /// forward again to where they were.
    pub fn reach(&self) -> Micros {
        self.reach
    }

    /// How many copies of the run its timeline has taken so far (each allocates; between them a
    /// frame allocates nothing).
    pub fn copies(&self) -> u64 {
        self.checkpoints.taken
    }

    /// The end of every run of this widget: the link cap, so a link can replay any moment of it.
    pub fn limit(&self) -> Micros {
        S::MAX_REPLAY_US.min(MAX_REPLAY_US)
    }

    /// Whether the run has reached its end ([`Self::limit`]); it goes no further.
    pub fn at_end(&self) -> bool {
        self.now() >= self.limit()
    }

    /// The run, for drawing it.
    pub fn run(&self) -> &S {
        &self.run
    }

    pub fn snapshot(&self) -> S::Snapshot {
        self.run.snapshot()
    }

    /// The settings in force now (the starting ones changed by any logged `set`).
    pub fn settings(&self) -> &State {
        &self.settings
    }

    /// The interventions applied so far, in time order.
    pub fn log(&self) -> &[(Micros, S::Action)] {
        &self.log
    }

    /// The interventions applied so far as a share link logs them (not those a script still has
    /// to play): what a decision note's run so far lists.
    pub fn applied(&self) -> Vec<(Micros, String)> {
        self.log.iter().map(|(t, a)| (*t, S::encode(a))).collect()
    }

    /// The settings and seed the run started from.
    pub fn started(&self) -> &State {
        &self.start
    }

    /// What a share link carries: the starting settings and seed, every intervention (those
    /// still to come from a script too) and the playhead. [`Self::open`] replays it to this run.
    pub fn to_state(&self) -> State {
        let entries = self.log.iter().chain(self.script.iter().skip(self.next)).take(MAX_LOG);
        State { log: entries.map(|(t, a)| (*t, S::encode(a))).collect(), at_us: self.now(), ..self.start.clone() }
    }
}
