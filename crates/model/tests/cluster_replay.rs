//! The partition toggles' run as a `Replayable` (`ClusterReplay`): a share link the widget writes
//! today (its tour and the reader's actions) replays to the very run the widget's own replay
//! reached; opening, playing, budgeted frames and seeking all land on the same moment.

use model::consistency::{
    cluster_params, tour_steps, Action, ClusterAction, ClusterReplay, ClusterRun, ClusterSim, ClusterSnapshot,
    TourStep, PARTITION_TOGGLES,
};
use model::des::{Micros, MS, SEC};
use model::replay::Replayable;
use model::spec::State;

fn link(query: &str) -> State {
    let (st, notes) = PARTITION_TOGGLES.parse_query(query);
    assert!(notes.is_empty(), "{query}: {notes:?}");
    st
}

// ---- the reference: the widget's replay before `ClusterReplay` (its `Session`) ----------------

/// The widget's `Session`, as `src/widgets/partition_toggles.rs` replays a link today.
struct Session {
    sim: ClusterSim,
    tour: Option<(Vec<TourStep>, usize)>,
    caption: Option<String>,
    message: Option<String>,
}

impl Session {
    fn new(st: &State) -> Self {
        Session { sim: ClusterSim::new(cluster_params(st), st.seed), tour: None, caption: None, message: None }
    }

    fn touring(st: &State) -> Self {
        let mut s = Session::new(st);
        s.tour = Some((tour_steps(s.sim.params().mode), 0));
        s
    }

    fn advance_to(&mut self, to: Micros, max_events: u64) {
        while let Some((steps, i)) = &mut self.tour {
            let Some(step) = steps.get(*i).filter(|s| s.at <= to) else { break };
            self.sim.advance_to(step.at, u64::MAX);
            if let Err(e) = self.sim.apply(&step.action) {
                self.message = Some(e);
            }
            self.caption = Some(step.caption.to_string());
            *i += 1;
        }
        self.sim.advance_to(to, max_events);
    }

    fn replay(initial: &State) -> Session {
        let st = State { at_us: 0, log: Vec::new(), ..initial.clone() };
        let mut s = Session::new(&st);
        for (i, (t, code)) in initial.log.iter().enumerate() {
            if code == "tour" && i == 0 && *t == 0 {
                s = Session::touring(&st);
                continue;
            }
            let Some(action) = Action::parse(code) else { continue };
            s.advance_to(*t, u64::MAX);
            s.message = s.sim.apply(&action).err();
        }
        s.advance_to(initial.at_us, u64::MAX);
        s
    }
}

/// The links this file replays: the tour in each mode (to its end and stopped midway), the
/// reader's own actions, a tour the reader intervenes in, and entries the widget skips.
const LINKS: &[&str] = &[
    "log=0.tour&t=5000000",
    "mode=ap&log=0.tour&t=4000000",
    "mode=ap&conflict=siblings&log=0.tour&t=4000000",
    "mode=async&log=0.tour&t=5000000",
    "mode=async&log=0.tour&t=1300000",
    "log=0.tour&t=1250000",
    "log=0.tour,1100000.r.1,1210000.w.0.9,3000000.cut.1.2&t=6000000",
    "mode=async&replicas=5&clients=3&seed=7&log=0.tour,1000000.w.2.5&t=4000000",
    "log=300000.w.0.1,800000.part.0,900000.w.0.2,950000.w.1.3,2500000.healall,2600000.r.0&t=4000000",
    "mode=ap&replicas=4&log=200000.cut.0.1,200000.cut.0.2,400000.w.0.4,500000.w.1.5,1500000.heal.0.1,1500000.heal.0.2,1800000.r.1&t=3000000",
    "mode=async&log=100000.w.0.1,200000.part.0,1800000.w.0.2,2500000.w.1.3,3000000.healall&t=4000000",
    "mode=async&log=100000.failover,100000.failover,150000.cut.0.9,150000.w.7.1,160000.r.0,161000.r.0&t=500000",
    // `tour` not first, or not at 0: the widget skips it.
    "log=0.w.0.1,0.tour&t=3000000",
    "log=500000.tour&t=3000000",
    "log=0.tour,0.tour&t=3000000",
    // Unknown entries are skipped.
    "log=0.tour,100000.zap,200000.w.0&t=2000000",
];

fn same(replay: &ClusterReplay, old: &Session, what: &str) {
    assert_eq!(replay.now(), old.sim.now(), "{what}: clock");
    assert_eq!(replay.snapshot(), old.sim.snapshot(), "{what}: snapshot");
    assert_eq!(replay.run().caption(), old.caption.as_deref(), "{what}: caption");
    assert_eq!(replay.run().message(), old.message.as_deref(), "{what}: message");
}

#[test]
fn a_link_the_widget_writes_replays_as_the_widget_replayed_it() {
    let mut eventful = 0;
    for q in LINKS {
        let st = link(q);
        let old = Session::replay(&st);
        let replay = ClusterReplay::open(&st);
        same(&replay, &old, q);
        eventful += usize::from(!replay.snapshot().history.is_empty());
    }
    // Only the link whose `tour` comes late does nothing: the comparisons are not of empty runs.
    assert_eq!(eventful, LINKS.len() - 1);
}

#[test]
fn the_tour_sets_its_captions_and_a_refusal_its_message() {
    let st = link("log=0.tour&t=1250000");
    let r = ClusterReplay::open(&st);
    let steps = tour_steps(model::consistency::Mode::Cp);
    assert_eq!(r.run().caption(), Some(steps[2].caption), "the third step (at 1.2 s) is the last shown");
    assert_eq!(r.run().tour_ahead().len(), steps.len() - 3);
    assert!(r.run().touring());
    // A busy client refuses: its reason is the message; a later action that goes through clears it.
    let r = ClusterReplay::open(&link("log=100000.w.0.1,100000.w.0.2&t=150000"));
    assert!(r.run().message().is_some_and(|m| !m.is_empty()), "{:?}", r.run().message());
    let r = ClusterReplay::open(&link("log=100000.w.0.1,100000.w.0.2,900000.r.1&t=1000000"));
    assert_eq!(r.run().message(), None);
    // Without a tour there is no caption.
    assert_eq!(r.run().caption(), None);
    assert!(!r.run().touring());
}

#[test]
fn entries_round_trip_and_no_setting_applies_mid_run() {
    for code in ["tour", "w.1.42", "r.0", "part.0.3", "healall", "failover", "cut.0.4", "heal.2.1"] {
        let a = ClusterRun::parse(code).unwrap_or_else(|| panic!("{code}"));
        assert_eq!(ClusterRun::encode(&a), code);
    }
    assert_eq!(ClusterRun::parse("tour"), Some(ClusterAction::Tour));
    for bad in ["", "tour.1", "Tour", "outage", "w.1"] {
        assert_eq!(ClusterRun::parse(bad), None, "{bad}");
    }
    for i in 0..PARTITION_TOGGLES.params.len() {
        assert_eq!(ClusterRun::set(i, 1.0), None, "{}", PARTITION_TOGGLES.params[i].key);
    }
    // A change of mode restarts the run (the widget builds a new cluster).
    let mut r = ClusterReplay::open(&link("log=0.tour&t=2000000"));
    let mut next = r.settings().clone();
    next.set(&PARTITION_TOGGLES, "mode", 2.0);
    assert!(r.change(&next));
    assert_eq!(r.now(), 0);
    assert!(r.log().is_empty());
}

#[test]
fn opening_a_link_is_playing_it_frame_by_frame() {
    for q in LINKS {
        let st = link(q);
        let opened = ClusterReplay::open(&st);
        let mut played = ClusterReplay::new(&st);
        // 16 ms frames at 4× with a budget that often runs out (heartbeats, messages).
        let mut frames = 0;
        while played.now() < st.at_us {
            let to = (played.now() + 64 * MS).min(st.at_us);
            played.advance_to(to, 5);
            frames += 1;
            assert!(frames < 1_000_000, "{q}: stuck at {}", played.now());
        }
        assert_eq!(played.now(), opened.now(), "{q}");
        assert_eq!(played.snapshot(), opened.snapshot(), "{q}");
        assert_eq!(played.run().caption(), opened.run().caption(), "{q}");
        assert_eq!(played.run().message(), opened.run().message(), "{q}");
        assert_eq!(played.to_state(), opened.to_state(), "{q}: the same link");
    }
}

#[test]
fn sharing_again_gives_the_same_link_and_the_same_run() {
    for q in LINKS.iter().take(12) {
        let st = link(q);
        let opened = ClusterReplay::open(&st);
        let shared = opened.to_state();
        let (back, notes) = PARTITION_TOGGLES.parse_query(&PARTITION_TOGGLES.to_query(&shared));
        assert!(notes.is_empty(), "{q}: {notes:?}");
        let again = ClusterReplay::open(&back);
        assert_eq!(again.snapshot(), opened.snapshot(), "{q}");
        assert_eq!(again.to_state(), shared, "{q}");
    }
}

#[test]
fn a_live_run_shares_a_link_that_opens_where_it_was() {
    let start = link("mode=async");
    let mut live = ClusterReplay::new(&State { log: vec![(0, "tour".into())], ..start.clone() });
    live.advance_to(1_300 * MS, 50);
    while live.now() < 1_300 * MS {
        live.advance_to(1_300 * MS, 50);
    }
    live.record(live.now(), ClusterAction::Act(Action::Read { client: 1 }));
    live.step(700 * MS);
    live.record(live.now(), ClusterAction::Act(Action::Cut(1, 2)));
    live.step(300 * MS);
    let shared = live.to_state();
    assert_eq!(shared.log[0], (0, "tour".to_string()), "the tour first, at 0");
    let opened = ClusterReplay::open(&shared);
    assert_eq!(opened.snapshot(), live.snapshot());
    assert_eq!(opened.run().caption(), live.run().caption());
    // And the widget's own replay of that link agrees.
    same(&opened, &Session::replay(&shared), "live");
}

/// Seeking back lands where a link opened there lands; forward again where playing straight did.
#[test]
fn seeking_back_and_forth_lands_on_the_moment_it_passed() {
    for (q, mid, end) in [
        ("log=0.tour", 1_100 * MS, 5 * SEC),
        ("mode=async&log=0.tour,1300000.r.1", 1_500 * MS + 7, 4 * SEC),
        ("mode=ap&conflict=siblings&log=0.tour", 2_000 * MS, 3 * SEC),
        ("log=300000.w.0.1,800000.part.0,900000.w.0.2,2500000.healall", 850 * MS, 4 * SEC),
    ] {
        let st = link(q);
        let straight = ClusterReplay::open(&State { at_us: end, ..st.clone() });
        let mut r = ClusterReplay::open(&State { at_us: end, ..st.clone() });
        r.seek(mid);
        let at_mid = ClusterReplay::open(&State { at_us: mid, ..st.clone() });
        assert_eq!(r.now(), mid, "{q}");
        assert_eq!(r.snapshot(), at_mid.snapshot(), "{q}: seek back = opened there");
        assert_eq!(r.run().caption(), at_mid.run().caption(), "{q}");
        assert_eq!(r.run().message(), at_mid.run().message(), "{q}");
        assert_eq!(r.to_state().log, straight.to_state().log, "{q}: the run's future is kept");
        r.seek(end);
        assert_eq!(r.snapshot(), straight.snapshot(), "{q}: seek forward = played straight");
        assert_eq!(r.run().caption(), straight.run().caption(), "{q}");
        assert_eq!(r.to_state(), straight.to_state(), "{q}");
        r.seek(0);
        assert_eq!(r.now(), 0);
        assert_eq!(r.run().caption(), None, "{q}: back before the tour's first step");
        r.seek(end);
        assert_eq!(r.snapshot(), straight.snapshot(), "{q}: after a scrub to 0");
        // The snapshots compared are not all alike.
        assert_ne!(at_mid.snapshot().history, ClusterSnapshot { ..straight.snapshot() }.history, "{q}");
    }
}
