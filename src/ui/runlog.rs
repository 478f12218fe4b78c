//! A run's interventions, for share links that replay it exactly: the settings the run started
//! from, what the reader did and when (in simulated µs), and how far it had got. The format and
//! its bounds are the model's (`model::spec::State::log`). The partition toggles keep theirs here
//! (`model::consistency::Action` codes, replayed with its tour); the retry storm and the thread
//! pool have a model session instead (`model::replay::Replay`), which records, replays and shares
//! their runs natively tested.

use model::spec::{State, MAX_LOG};

#[derive(Clone, Debug, Default)]
pub struct RunLog {
    /// The settings the current run started from.
    pub start: Option<State>,
    pub events: Vec<(u64, String)>,
}

impl RunLog {
    /// A new run from `st` (after a reset, a new seed, a structural change).
    pub fn restart(&mut self, st: &State) {
        let mut s = st.clone();
        s.log.clear();
        s.at_us = 0;
        self.start = Some(s);
        self.events.clear();
    }

    pub fn record(&mut self, at_us: u64, action: String) {
        if self.events.len() < MAX_LOG {
            self.events.push((at_us, action));
        }
    }

    /// What a share link carries: the starting settings, the log and the playhead — or just
    /// `current` while nothing has run yet.
    pub fn shareable(&self, current: &State, at_us: u64) -> State {
        match &self.start {
            Some(start) if at_us > 0 || !self.events.is_empty() => {
                State { log: self.events.clone(), at_us, ..start.clone() }
            }
            _ => current.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::consistency::PARTITION_TOGGLES;

    #[test]
    fn records_and_shares_the_start() {
        let spec = &PARTITION_TOGGLES;
        let a = spec.defaults();
        let mut log = RunLog::default();
        log.restart(&a);
        assert_eq!(log.shareable(&a, 0), a, "nothing has run yet");
        let mut b = a.clone();
        b.seed = 9;
        log.restart(&b);
        log.record(1_000, "cut.0.1".into());
        log.record(2_500, "w.0.1".into());
        let shared = log.shareable(&b, 4_000);
        assert_eq!((shared.seed, shared.at_us), (9, 4_000));
        assert_eq!(shared.log, vec![(1_000, "cut.0.1".to_string()), (2_500, "w.0.1".to_string())]);
        let (back, notes) = spec.parse_query(&spec.to_query(&shared));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(back, shared);
        for i in 0..MAX_LOG {
            log.record(5_000 + i as u64, "healall".into());
        }
        assert_eq!(log.events.len(), MAX_LOG, "bounded");
    }
}
