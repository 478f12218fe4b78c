//! The discrete-event core shared by every simulation.
//!
//! Simulated time is an integer count of microseconds ([`Micros`]) owned by the engine; the
//! caller decides how much of it passes. Events that fall on the same microsecond run in the order
//! they were scheduled (a sequence number breaks ties), so a run is a pure function of its
//! parameters and seed.
//!
//! A simulation is a [`Model`] (state plus an event handler) inside an [`Engine`] (the queue and
//! the clock). The engine owns no randomness: a model keeps its own seeded [`crate::rng::Rng`].

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Simulated time in microseconds.
pub type Micros = u64;

pub const MS: Micros = 1_000;
pub const SEC: Micros = 1_000_000;

/// Converts seconds (as a float) to whole microseconds, saturating and treating NaN as zero.
pub fn secs(s: f64) -> Micros {
    if s.is_nan() || s <= 0.0 {
        0
    } else {
        (s * SEC as f64).min(u64::MAX as f64 / 2.0) as Micros
    }
}

/// Converts milliseconds (as a float) to whole microseconds, saturating.
pub fn millis(ms: f64) -> Micros {
    secs(ms / 1_000.0)
}

#[derive(Clone)]
struct Entry<E> {
    time: Micros,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest `(time, seq)` first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A priority queue of future events, ordered by `(time, sequence number)`.
#[derive(Clone)]
pub struct Scheduler<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    now: Micros,
}

impl<E> Scheduler<E> {
    pub fn new() -> Self {
        Scheduler { heap: BinaryHeap::with_capacity(1024), seq: 0, now: 0 }
    }

    /// The current simulated time: the time of the event being handled, or the last one.
    pub fn now(&self) -> Micros {
        self.now
    }

    /// Schedules `event` at absolute time `at`. Times in the past are moved to now: time never
    /// goes backwards.
    pub fn at(&mut self, at: Micros, event: E) {
        let time = at.max(self.now);
        self.seq += 1;
        self.heap.push(Entry { time, seq: self.seq, event });
    }

    /// Schedules `event` after a delay.
    pub fn after(&mut self, delay: Micros, event: E) {
        self.at(self.now.saturating_add(delay), event)
    }

    /// Time of the next event, if any.
    pub fn peek_time(&self) -> Option<Micros> {
        self.heap.peek().map(|e| e.time)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    fn pop(&mut self) -> Option<(Micros, E)> {
        let e = self.heap.pop()?;
        self.now = e.time;
        Some((e.time, e.event))
    }
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Self::new()
    }
}

/// A simulation's state and its reaction to events.
pub trait Model {
    type Event;
    /// Handles one event at `sched.now()`, scheduling any follow-ups.
    fn handle(&mut self, event: Self::Event, sched: &mut Scheduler<Self::Event>);
    /// Called when the clock moves to `to` without an event (for window bookkeeping); optional.
    fn on_clock(&mut self, _to: Micros) {}
}

/// What [`Engine::advance_to`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Advanced {
    pub events: u64,
    /// True when the target time was reached; false when the event budget ran out first.
    pub reached: bool,
}

/// Drives a [`Model`]: owns the clock and the queue.
#[derive(Clone)]
pub struct Engine<M: Model> {
    pub model: M,
    pub sched: Scheduler<M::Event>,
    events: u64,
}

impl<M: Model> Engine<M> {
    pub fn new(model: M) -> Self {
        Engine { model, sched: Scheduler::new(), events: 0 }
    }

    pub fn now(&self) -> Micros {
        self.sched.now
    }

    /// Events handled since the start.
    pub fn events_handled(&self) -> u64 {
        self.events
    }

    /// Handles the next event. Returns false if there was none.
    pub fn step(&mut self) -> bool {
        match self.sched.pop() {
            Some((_, ev)) => {
                self.events += 1;
                self.model.handle(ev, &mut self.sched);
                true
            }
            None => false,
        }
    }

    /// Runs every event up to and including time `to`, then sets the clock to `to`, unless
    /// `max_events` are handled first (then the clock stays at the last event). Widgets call this
    /// in slices so a frame never blocks.
    pub fn advance_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        let mut n = 0;
        while n < max_events {
            match self.sched.peek_time() {
                Some(t) if t <= to => {
                    self.step();
                    n += 1;
                }
                _ => {
                    if to > self.sched.now {
                        self.sched.now = to;
                        self.model.on_clock(to);
                    }
                    return Advanced { events: n, reached: true };
                }
            }
        }
        Advanced { events: n, reached: self.sched.peek_time().is_none_or(|t| t > to) && self.sched.now >= to }
    }

    /// Runs for `dt` of simulated time with no event budget.
    pub fn advance(&mut self, dt: Micros) -> u64 {
        let to = self.now().saturating_add(dt);
        self.advance_to(to, u64::MAX).events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Recorder(Vec<(Micros, u32)>);
    impl Model for Recorder {
        type Event = u32;
        fn handle(&mut self, ev: u32, s: &mut Scheduler<u32>) {
            self.0.push((s.now(), ev));
            if ev == 1 {
                s.after(0, 10); // same-time follow-up runs after already-queued same-time events
            }
        }
    }

    #[test]
    fn ties_break_by_sequence() {
        let mut e = Engine::new(Recorder(vec![]));
        e.sched.at(5, 1);
        e.sched.at(5, 2);
        e.sched.at(3, 0);
        e.sched.at(5, 3);
        e.advance(100);
        assert_eq!(e.model.0, vec![(3, 0), (5, 1), (5, 2), (5, 3), (5, 10)]);
        assert_eq!(e.now(), 100);
    }

    #[test]
    fn budget_stops_early_and_resumes() {
        let mut e = Engine::new(Recorder(vec![]));
        for t in 0..10 {
            e.sched.at(t * 10, t as u32 + 100);
        }
        let a = e.advance_to(1_000, 4);
        assert_eq!(a, Advanced { events: 4, reached: false });
        assert_eq!(e.now(), 30);
        let a = e.advance_to(1_000, 100);
        assert_eq!(a, Advanced { events: 6, reached: true });
        assert_eq!(e.now(), 1_000);
    }

    #[test]
    fn past_is_clamped_to_now() {
        let mut e = Engine::new(Recorder(vec![]));
        e.advance(50);
        e.sched.at(10, 7);
        e.advance(1);
        assert_eq!(e.model.0, vec![(50, 7)]);
    }

    #[test]
    fn conversions_saturate() {
        assert_eq!(secs(f64::NAN), 0);
        assert_eq!(secs(-1.0), 0);
        assert_eq!(millis(1.5), 1_500);
        assert!(secs(f64::INFINITY) > 0);
    }
}
