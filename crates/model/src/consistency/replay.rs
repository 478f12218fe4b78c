//! The partition toggles' run as a [`Replayable`]: the cluster, the tour if one plays, and the
//! reader's actions, replayed from a share link exactly as the widget writes it.
//!
//! A link's log holds [`Action`] codes (`w.0.1`, `r.1`, `part.0`, `healall`, `failover`,
//! `cut.0.1`, `heal.0.1`) and, first at 0, `tour`: the run then plays the mode's
//! [`tour_steps`], each when the clock reaches it (before a reader's action logged at the same
//! time), keeping the step's caption ([`ClusterRun::caption`]). A refused action — a tour step
//! or a reader's — leaves its reason in [`ClusterRun::message`]; a reader's action that goes
//! through clears it (the widget shows the last one). No setting applies mid-run: a changed
//! mode, cluster size or seed starts a new run.

use super::params::{cluster_params, tour_steps, Action, TourStep, PARTITION_TOGGLES};
use super::sim::{ClusterSim, ClusterSnapshot};
use crate::des::{Advanced, Micros};
use crate::replay::{Replay, Replayable};
use crate::scenario::Scenario;
use crate::spec::{State, WidgetSpec};

/// An entry of the partition toggles' run log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterAction {
    /// `tour`: play the mode's tour from here. Only as the run's first entry, at 0 (as the widget
    /// writes it when the reader presses "Play the tour"); anywhere else it changes nothing.
    Tour,
    /// A reader's action.
    Act(Action),
}

impl ClusterAction {
    /// The log entry: `tour`, or the action's [`Action::code`].
    pub fn encode(&self) -> String {
        match self {
            ClusterAction::Tour => "tour".into(),
            ClusterAction::Act(a) => a.code(),
        }
    }

    /// Reads [`Self::encode`] back; `None` for anything else.
    pub fn parse(code: &str) -> Option<ClusterAction> {
        if code == "tour" {
            Some(ClusterAction::Tour)
        } else {
            Action::parse(code).map(ClusterAction::Act)
        }
    }
}

/// The cluster, its tour and what the reader was last told.
#[derive(Clone)]
pub struct ClusterRun {
    sim: ClusterSim,
    /// The tour's steps and the next one to play.
    tour: Option<(Vec<TourStep>, usize)>,
    caption: Option<&'static str>,
    message: Option<String>,
    /// Whether any entry has been applied (a `tour` counts only as the first).
    acted: bool,
}

impl ClusterRun {
    /// The simulation, for drawing it.
    pub fn sim(&self) -> &ClusterSim {
        &self.sim
    }

    /// The caption of the last tour step played (`None` before the first, or without a tour).
    pub fn caption(&self) -> Option<&'static str> {
        self.caption
    }

    /// Why the last refused action was refused (a reader's action that went through clears it).
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Whether a tour is playing (or has played).
    pub fn touring(&self) -> bool {
        self.tour.is_some()
    }

    /// The tour's steps still to come, in time order.
    pub fn tour_ahead(&self) -> &[TourStep] {
        self.tour.as_ref().map_or(&[], |(steps, i)| &steps[(*i).min(steps.len())..])
    }

    /// Runs the simulation towards `to` within `budget` events, ending at a cut.
    fn sim_to(&mut self, to: Micros, budget: u64) -> Advanced {
        let r = self.sim.advance_to(to, budget);
        if !r.reached {
            // Finish every event due at the time it stopped at, so the run is at a cut.
            let at = self.sim.now();
            let rest = self.sim.advance_to(at, u64::MAX);
            return Advanced { events: r.events + rest.events, reached: false };
        }
        r
    }
}

impl Replayable for ClusterRun {
    type Action = ClusterAction;
    type Snapshot = ClusterSnapshot;
    const SPEC: &'static WidgetSpec = &PARTITION_TOGGLES;

    fn parse(code: &str) -> Option<ClusterAction> {
        ClusterAction::parse(code)
    }

    fn encode(action: &ClusterAction) -> String {
        action.encode()
    }

    /// Every setting restarts the run (the widget builds a new cluster).
    fn set(_index: usize, _value: f64) -> Option<ClusterAction> {
        None
    }

    fn start(settings: &State) -> Self {
        ClusterRun {
            sim: ClusterSim::new(cluster_params(settings), settings.seed),
            tour: None,
            caption: None,
            message: None,
            acted: false,
        }
    }

    fn now(&self) -> Micros {
        self.sim.now()
    }

    fn run_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        let mut events = 0;
        while let Some((steps, i)) = &self.tour {
            let Some(step) = steps.get(*i).filter(|s| s.at <= to) else { break };
            let (at, action, caption) = (step.at, step.action.clone(), step.caption);
            let r = self.sim_to(at, max_events.saturating_sub(events));
            events += r.events;
            if !r.reached {
                return Advanced { events, reached: false };
            }
            // A refused step (say, a busy client) is part of the story: its reason is shown.
            if let Err(e) = self.sim.apply(&action) {
                self.message = Some(e);
            }
            self.caption = Some(caption);
            if let Some((_, i)) = &mut self.tour {
                *i += 1;
            }
        }
        let r = self.sim_to(to, max_events.saturating_sub(events));
        Advanced { events: events + r.events, reached: r.reached }
    }

    fn apply(&mut self, _settings: &mut State, action: &ClusterAction) {
        let first = !self.acted;
        self.acted = true;
        match action {
            ClusterAction::Tour => {
                if first && self.sim.now() == 0 {
                    self.tour = Some((tour_steps(self.sim.params().mode), 0));
                }
            }
            ClusterAction::Act(a) => self.message = self.sim.apply(a).err(),
        }
    }

    fn snapshot(&self) -> ClusterSnapshot {
        self.sim.snapshot()
    }
}

/// A partition-toggles run with its tour and the reader's actions, replayable from a share link.
pub type ClusterReplay = Replay<ClusterRun>;

/// The partition toggles' named failure scenarios ([`crate::scenario`]), in the widget's own
/// link format: the reader's actions at their times, on the default three replicas.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "split-brain",
        title: "Split brain under async replication",
        watch_for: "The old primary R0 never heard of the failover: it acknowledged A's 2 while the new primary R1 holds B's 3, so two primaries disagree.",
        link: "mode=async&log=500000.w.0.1,1000000.part.0,1200000.failover,1400000.w.1.3,1600000.w.0.2&t=2000000",
    },
    Scenario {
        name: "stale-read",
        title: "A stale read from a lagging backup",
        watch_for: "A's write of 1 was acknowledged at 0.54 s, but R1 never received it: B's read there, 0.16 s later, returned 0.",
        link: "mode=async&log=200000.cut.0.1,500000.w.0.1,700000.r.1&t=900000",
    },
    Scenario {
        name: "minority-refuses",
        title: "The minority side refuses writes",
        watch_for: "Cut off with R0, A's write of 2 waited 1 s and was refused (no quorum); B's 3 committed on the majority side, and the history stays linearizable.",
        link: "log=500000.w.0.1,1000000.part.0,1200000.w.0.2,2000000.w.1.3&t=2400000",
    },
    Scenario {
        name: "heal-and-repair",
        title: "Read repair, then healing",
        watch_for: "R2 missed A's write behind a cut link; C's read there merged R1's copy and repaired R2, and on healing R0's hint was handed off: all three hold 1.",
        link: "mode=ap&clients=3&log=200000.cut.0.2,500000.w.0.1,800000.r.2,1200000.heal.0.2&t=1500000",
    },
];
