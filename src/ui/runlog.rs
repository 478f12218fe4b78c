//! A run's interventions, for share links that replay it exactly: the settings the run started
//! from, what the reader did and when (in simulated µs), and how far it had got. The format and
//! its bounds are the model's (`model::spec::State::log`); each animated widget applies the
//! actions it knows (`outage`, `spike`, `set.<key>.<value>` …) at the recorded times.

use model::fmt::number;
use model::spec::{State, WidgetSpec, MAX_LOG};

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

    /// Records each setting that differs between `prev` and `next` as `set.<key>.<value>`. Before
    /// anything has happened the change simply becomes part of the starting settings.
    pub fn record_changes(&mut self, spec: &WidgetSpec, at_us: u64, prev: &State, next: &State) {
        if at_us == 0 && self.events.is_empty() {
            self.restart(next);
            return;
        }
        for (i, p) in spec.params.iter().enumerate() {
            if prev.values.get(i) != next.values.get(i) {
                self.record(at_us, format!("set.{}.{}", p.key, number(next.values[i])));
            }
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

/// `set.<key>.<value>` → `(key, value)`.
pub fn parse_set(action: &str) -> Option<(&str, f64)> {
    let (k, v) = action.strip_prefix("set.")?.split_once('.')?;
    Some((k, model::num::parse_decimal(v)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::retry::RETRY_STORM;

    #[test]
    fn records_changes_and_shares_the_start() {
        let spec = &RETRY_STORM;
        let a = spec.defaults();
        let mut b = a.clone();
        b.set(spec, "budget", 10.0);
        let mut log = RunLog::default();
        log.restart(&a);
        log.record_changes(spec, 0, &a, &b);
        assert!(log.events.is_empty(), "a change before the run starts is a starting setting");
        assert_eq!(log.shareable(&b, 0), b);
        let mut c = b.clone();
        c.set(spec, "load", 90.0);
        log.record(1_000, "outage".into());
        log.record_changes(spec, 2_500, &b, &c);
        let shared = log.shareable(&c, 4_000);
        assert_eq!(shared.values, b.values);
        assert_eq!(shared.at_us, 4_000);
        assert_eq!(shared.log, vec![(1_000, "outage".to_string()), (2_500, "set.load.90".to_string())]);
        let (back, notes) = spec.parse_query(&spec.to_query(&shared));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(back, shared);
        assert_eq!(parse_set("set.load.0.5"), Some(("load", 0.5)));
        assert_eq!(parse_set("set.load.x"), None);
        assert_eq!(parse_set("outage"), None);
    }
}
