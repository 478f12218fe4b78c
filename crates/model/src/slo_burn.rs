//! Burn-rate alerts on a real month: which alerting rules page on what costs error budget.
//!
//! A service serves a steady stream of requests for an SLO window of 30 (or 28) days at 1-minute
//! resolution: 43,200 (40,320) minutes. Every minute has an error ratio: the `baseline`, or the
//! highest ratio of the incidents `(start, duration, error ratio)` covering it. Errors per minute
//! are expected values (requests × ratio), so with a steady request rate every window's error
//! ratio is the mean of its minutes' ratios; nothing here is random except where the seeded
//! generator places incidents. Minutes before the window are taken to run at the baseline (the
//! service existed before the month began): a "clean state" is a baseline of 0.
//!
//! **Error budget**: (1 − SLO) of the window's requests, in minutes of total outage: 99.9 % over
//! 30 days is 0.001 × 43,200 = 43.2 minutes ([`budget_minutes`]). **Burn rate**: the error ratio
//! over (1 − SLO); burn 1 spends exactly the budget over the window, so a budget lasts
//! `window / burn` ([`days_to_exhaust`]).
//!
//! Two rule sets are evaluated on the same month, every minute:
//!
//! * **Naive**: page when the error ratio over the last 5 minutes is above `x` (the `naive`
//!   setting).
//! * **Multi-window, multi-burn-rate** (Thurgood et al., "Alerting on SLOs", ch. 5 of *The Site
//!   Reliability Workbook*, 2018), [`MULTI`]: page when both the 1-hour and the 5-minute ratio are
//!   above 14.4 × (1 − SLO), or both the 6-hour and the 30-minute ratio above 6 × (1 − SLO);
//!   open a ticket when both the 3-day and the 6-hour ratio are above 1 × (1 − SLO). The burn
//!   rates come from the budget share each long window may spend before it alerts: burn = share ×
//!   720 h / window ([`burn_threshold`]): 2 % in 1 h → 14.4, 5 % in 6 h → 6, 10 % in 3 days → 1.
//!   The thresholds are the workbook's fixed numbers whatever the SLO window (as deployed
//!   Prometheus rules are), and the comparison is strict (`>`), as in its rules.
//!
//! Comparisons are exact: ratios are integers in parts per million (ppm), a window's errors are a
//! sum of ppm-minutes (u64), and "ratio over W minutes > burn × (1 − SLO)" is decided as
//! `10 × errors > burn×10 × budget_ppm × W`, so a ratio exactly at its threshold never fires by
//! float noise. A rule is evaluated at each minute boundary `m` over the minutes `[m − W, m)`.
//! Besides the minute a rule fires, the model reports the exact (continuous) moment its condition
//! became true, by interpolating within the minute (a window's error count grows linearly
//! within a minute, errors being spread evenly over it): [`Fire::crossed`].
//!
//! Per incident it reports the budget it cost (errors above the baseline), when each rule set
//! detected it (the first minute a page — or, failing that, a ticket — rule is firing between
//! its start and the rule's short window after its end), and the budget it had spent by then.
//! A page is **noise** when no incident costing at least [`NOISE_SHARE`] (1 %) of the budget
//! explains it; an incident costing at least [`MISS_SHARE`] (2 %, the smallest share the workbook
//! pages on) that never paged is a **miss**.
//!
//! # Time
//!
//! The month is evaluated whole, from minute 0, whenever the reader changes it (43,200 minutes
//! × four windows with running sums: well under a millisecond); a playhead reveals it. The
//! playhead is the replay clock ([`crate::replay`]), in microseconds like every widget's, with
//! **one second of the replay clock standing for one simulated hour** ([`HOUR_US`]): a 30-day
//! month is 720 s of replay clock (7.2 × 10⁸ µs), inside the 90-minute cap of share links
//! ([`crate::spec::MAX_REPLAY_US`]), it plays in 72 s at 10× and 7.2 s at 100×, and the
//! transport's speeds keep their meaning (replay seconds a second). Minute `m` is revealed once
//! the clock reaches `m × 10⁶ / 60` µs ([`minute_at`]). The widget's clock readout shows the
//! hours first (so tools that read its leading number read the replay clock's seconds) and then
//! the day and time of day.

use crate::des::{Advanced, Micros, SEC};
use crate::fmt::{duration, fixed, percent_fine, Unit};
use crate::note::{Facts, Readout};
use crate::replay::{Replay, Replayable};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::value;

/// Minutes in a day.
pub const DAY: u32 = 1_440;
/// One simulated hour on the replay clock: one second.
pub const HOUR_US: Micros = SEC;
/// The most incidents a month holds.
pub const MAX_INCIDENTS: usize = 12;
/// A page for incidents that cost less than this share of the budget is noise.
pub const NOISE_SHARE: f64 = 0.01;
/// An incident that costs at least this share of the budget and never pages is a miss.
pub const MISS_SHARE: f64 = 0.02;
/// Parts per million in a ratio of 1.
pub const PPM: u32 = 1_000_000;

/// The minute the replay clock `t` has reached (1 s of replay clock = 60 minutes).
pub const fn minute_at(t: Micros) -> u64 {
    t * 60 / SEC
}

/// The replay clock at which minute `m` is reached (the first `t` with `minute_at(t) ≥ m`).
pub const fn us_at(m: u64) -> Micros {
    (m * SEC).div_ceil(60)
}

// ---------------------------------------------------------------------------------------------
// Budgets and burn rates
// ---------------------------------------------------------------------------------------------

/// The error budget in minutes of total outage for an SLO of `slo` (0.999) over `days`.
pub fn budget_minutes(slo: f64, days: u32) -> f64 {
    (1.0 - slo) * (days * DAY) as f64
}

/// The burn rate at which a long window of `window_h` hours spends `share` of a budget of
/// `period_h` hours: share × period / window (the workbook's 720 h for 30 days).
pub fn burn_threshold(share: f64, window_h: f64, period_h: f64) -> f64 {
    share * period_h / window_h
}

/// Days until a full budget of `days` runs out at a constant `burn`.
pub fn days_to_exhaust(burn: f64, days: f64) -> f64 {
    days / burn
}

/// From a clean state, at a constant burn `burn`, when a rule with threshold `threshold` and a
/// long window of `window_min` minutes first has its ratio exactly at the threshold (the
/// continuous crossing, in minutes: threshold × window / burn), or `None` if it never does; with
/// a strict `>` evaluated each minute it fires at the next whole minute. (The short window,
/// shorter by the same factor, crosses first.)
pub fn crossing_minutes(burn: f64, threshold: f64, window_min: u32) -> Option<f64> {
    (burn > threshold).then(|| threshold * window_min as f64 / burn)
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// One alerting rule: both windows' error ratios above a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Long and short windows, minutes.
    pub long: u32,
    pub short: u32,
    /// The burn-rate threshold × 10 (144 for 14.4).
    pub burn_x10: u64,
    /// Pages (or opens a ticket).
    pub page: bool,
    /// Its name, as the widget shows it.
    pub name: &'static str,
}

/// The workbook's multi-window, multi-burn-rate rules (page, page, ticket).
pub const MULTI: [Rule; 3] = [
    Rule { long: 60, short: 5, burn_x10: 144, page: true, name: "1 h / 5 m at 14.4" },
    Rule { long: 360, short: 30, burn_x10: 60, page: true, name: "6 h / 30 m at 6" },
    Rule { long: 4_320, short: 360, burn_x10: 10, page: false, name: "3 d / 6 h at 1" },
];

/// The naive rule's window, minutes.
pub const NAIVE_WINDOW: u32 = 5;

/// The budget shares the workbook's rules alert at (2 %, 5 %, 10 %), for the derivation.
pub const MULTI_SHARES: [f64; 3] = [0.02, 0.05, 0.10];

/// Rule indices in [`Month::first`]: the naive rule, then [`MULTI`].
pub const RULE_NAMES: [&str; 4] = ["naive", MULTI[0].name, MULTI[1].name, MULTI[2].name];

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// An incident: from minute `start` for `duration` minutes, `ppm` of requests fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Incident {
    pub start: u32,
    pub duration: u32,
    pub ppm: u32,
}

impl Incident {
    pub const fn new(day: u32, hour: u32, minute: u32, duration: u32, ppm: u32) -> Incident {
        Incident { start: day * DAY + hour * 60 + minute, duration, ppm }
    }
    /// The minute after its last.
    pub const fn end(&self) -> u32 {
        self.start.saturating_add(self.duration)
    }
}

/// The error ratios an incident can have (ppm): +/− steps through them.
pub const SEVERITIES: [u32; 10] = [2_000, 5_000, 10_000, 15_000, 20_000, 50_000, 100_000, 250_000, 500_000, PPM];
/// The durations an incident can have (minutes): its shorter/longer steps.
pub const DURATIONS: [u32; 12] = [2, 5, 10, 20, 30, 60, 120, 240, 480, 720, 1_440, 2_880];

/// SLO targets the widget offers, as budgets in ppm (1 − SLO): 99 %, 99.5 %, 99.9 %, 99.95 %,
/// 99.99 %.
pub const SLO_BUDGET_PPM: [u32; 5] = [10_000, 5_000, 1_000, 500, 100];
/// SLO windows the widget offers, in days.
pub const WINDOW_DAYS: [u32; 2] = [30, 28];

/// A month to evaluate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BurnRateParams {
    /// 1 − SLO, ppm (1,000 for 99.9 %).
    pub budget_ppm: u32,
    pub days: u32,
    /// The error ratio outside incidents, ppm.
    pub baseline_ppm: u32,
    /// The naive rule's threshold, ppm.
    pub naive_ppm: u32,
    pub incidents: &'static [Incident],
}

impl BurnRateParams {
    const BASE: BurnRateParams =
        BurnRateParams { budget_ppm: 1_000, days: 30, baseline_ppm: 100, naive_ppm: 20_000, incidents: &[] };

    /// A month with a bit of everything: two harmless blips, a day-long 1 % leak and a
    /// 20-minute outage.
    pub const MONTH: BurnRateParams = BurnRateParams {
        incidents: &[
            Incident::new(3, 8, 0, 3, 100_000),
            Incident::new(9, 14, 0, 2, 200_000),
            Incident::new(14, 2, 0, 1_440, 10_000),
            Incident::new(22, 10, 0, 20, PPM),
        ],
        ..BurnRateParams::BASE
    };
    /// A quiet month: two short blips, each under 1 % of the budget.
    pub const QUIET: BurnRateParams = BurnRateParams {
        incidents: &[Incident::new(4, 9, 30, 5, 50_000), Incident::new(19, 16, 0, 2, 200_000)],
        ..BurnRateParams::BASE
    };
    /// A slow burn: 1 % of requests fail for a day and a half, half the budget; never above the
    /// naive threshold.
    pub const SLOW_BURN: BurnRateParams =
        BurnRateParams { incidents: &[Incident::new(10, 6, 0, 2_160, 10_000)], ..BurnRateParams::BASE };
    /// A big outage: everything fails for 45 minutes, more than the whole budget.
    pub const BIG_OUTAGE: BurnRateParams =
        BurnRateParams { incidents: &[Incident::new(12, 3, 0, 45, PPM)], ..BurnRateParams::BASE };
    /// A noisy service: a higher baseline and six short spikes, each harmless.
    pub const NOISY: BurnRateParams = BurnRateParams {
        baseline_ppm: 500,
        incidents: &[
            Incident::new(2, 11, 0, 3, 100_000),
            Incident::new(6, 20, 0, 2, 100_000),
            Incident::new(11, 4, 0, 5, 50_000),
            Incident::new(16, 15, 0, 4, 50_000),
            Incident::new(21, 9, 0, 2, 200_000),
            Incident::new(27, 13, 0, 3, 100_000),
        ],
        ..BurnRateParams::BASE
    };

    /// The named months, in the order of the widget's `scenario` choice (random last, not here).
    pub const PRESETS: [(&'static str, BurnRateParams); 5] = [
        ("month", BurnRateParams::MONTH),
        ("quiet", BurnRateParams::QUIET),
        ("slow-burn", BurnRateParams::SLOW_BURN),
        ("big-outage", BurnRateParams::BIG_OUTAGE),
        ("noisy", BurnRateParams::NOISY),
    ];

    /// Minutes in the window.
    pub const fn minutes(&self) -> u32 {
        self.days * DAY
    }
}

/// `n` incidents drawn from `seed`: starts uniform over the month, mostly short, of any
/// severity.
pub fn random_incidents(n: usize, days: u32, seed: u64) -> Vec<Incident> {
    let mut rng = Rng::new(seed ^ 0x5_1b_u64);
    let minutes = days * DAY;
    (0..n.min(MAX_INCIDENTS))
        .map(|_| {
            // Durations skewed short: the lower of two draws.
            let a = rng.below(DURATIONS.len() as u64);
            let b = rng.below(DURATIONS.len() as u64);
            let duration = DURATIONS[a.min(b) as usize];
            let start = rng.below(u64::from(minutes - duration)) as u32;
            let ppm = SEVERITIES[rng.below(SEVERITIES.len() as u64) as usize];
            Incident { start: start / 10 * 10, duration, ppm }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The month's evaluation
// ---------------------------------------------------------------------------------------------

/// When a rule first fired.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fire {
    /// The minute boundary it fired at (evaluated over the minutes before it).
    pub minute: u32,
    /// The exact moment its condition became true, minutes (≤ `minute`).
    pub crossed: f64,
    /// The share of the budget spent by `minute` (the whole month's errors so far).
    pub spent: f64,
}

/// An alert: a run of minutes its rule (or rules) fired.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Episode {
    /// First minute boundary firing, and the first not firing (or the end of the month).
    pub start: u32,
    pub end: u32,
    /// The rule that fired first: 0 naive, 1–3 [`MULTI`].
    pub rule: u8,
}

/// How a rule set first noticed an incident.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detection {
    /// The minute boundary.
    pub at: u32,
    /// The rule (0 naive, 1–3 [`MULTI`]).
    pub rule: u8,
    /// Whether it paged (else a ticket).
    pub page: bool,
    /// The share of the budget the incident had cost by then.
    pub spent: f64,
}

/// An incident's outcome.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IncidentResult {
    pub incident: Incident,
    /// The budget it cost (its errors above the baseline), as a share.
    pub cost: f64,
    pub naive: Option<Detection>,
    pub multi: Option<Detection>,
}

/// A rule set's tally up to a moment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    pub pages: u32,
    pub tickets: u32,
    /// Pages no incident costing ≥ 1 % explains.
    pub noise: u32,
    /// Incidents costing ≥ 2 % that were over without a page.
    pub misses: u32,
    /// Incidents paged for, and their mean time to detect (minutes, from their start).
    pub detected: u32,
    pub mean_detect_min: Option<f64>,
}

/// Bits of [`Month`]'s per-minute firing flags.
const NAIVE_BIT: u8 = 1;
const fn multi_bit(i: usize) -> u8 {
    2 << i
}

/// One month evaluated: per-minute flags, the budget line, alerts and per-incident outcomes.
#[derive(Clone, Debug)]
pub struct Month {
    p: BurnRateParams,
    incidents: Vec<Incident>,
    /// Each minute's error ratio, ppm.
    ratio: Vec<u32>,
    /// `prefix[m]`: ppm-minutes of errors in minutes `[0, m)`.
    prefix: Vec<u64>,
    /// `firing[m − 1]`: which rules fire at boundary `m` (bits: naive, then [`MULTI`]).
    firing: Vec<u8>,
    /// Alerts, in start order: naive pages, multi-window pages (the two page rules as one), tickets.
    naive_pages: Vec<Episode>,
    multi_pages: Vec<Episode>,
    tickets: Vec<Episode>,
    /// When each rule (naive, then [`MULTI`]) first fired.
    first: [Option<Fire>; 4],
    results: Vec<IncidentResult>,
}

impl Month {
    /// Evaluates `incidents` under `p` (its own incident list is not looked at).
    pub fn new(p: BurnRateParams, incidents: &[Incident]) -> Month {
        let mut m = Month {
            p,
            incidents: Vec::new(),
            ratio: Vec::new(),
            prefix: Vec::new(),
            firing: Vec::new(),
            naive_pages: Vec::new(),
            multi_pages: Vec::new(),
            tickets: Vec::new(),
            first: [None; 4],
            results: Vec::new(),
        };
        m.incidents.extend(incidents.iter().take(MAX_INCIDENTS).copied());
        m.evaluate();
        m
    }

    pub fn params(&self) -> &BurnRateParams {
        &self.p
    }

    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
    }

    /// Minutes in the window.
    pub fn minutes(&self) -> u32 {
        self.p.minutes()
    }

    /// The whole budget, ppm-minutes.
    fn budget(&self) -> f64 {
        self.p.budget_ppm as f64 * self.minutes() as f64
    }

    /// Errors (ppm-minutes) in the `w` minutes before boundary `m`, minutes before the month at
    /// the baseline.
    fn window(&self, m: u32, w: u32) -> u64 {
        if m >= w {
            self.prefix[m as usize] - self.prefix[(m - w) as usize]
        } else {
            self.prefix[m as usize] + u64::from(w - m) * u64::from(self.p.baseline_ppm)
        }
    }

    /// The exact test: the ratio over `w` minutes before `m` is above `thr_x10 / 10` ppm.
    fn above(&self, m: u32, w: u32, thr_x10: u64) -> bool {
        10 * self.window(m, w) > thr_x10 * u64::from(w)
    }

    /// Where, in minute `(m − 1, m]`, the ratio over `w` first went above `thr_x10 / 10` ppm
    /// (`m − 1` if it already was).
    fn crossing(&self, m: u32, w: u32, thr_x10: u64) -> f64 {
        let target = thr_x10 as f64 * w as f64 / 10.0;
        let (a, b) = (self.window(m - 1, w) as f64, self.window(m, w) as f64);
        if a > target || b <= a {
            (m - 1) as f64
        } else {
            (m - 1) as f64 + (target - a) / (b - a)
        }
    }

    fn thresholds(&self) -> [(u32, u32, u64); 4] {
        let b = u64::from(self.p.budget_ppm);
        let r = |i: usize| (MULTI[i].long, MULTI[i].short, MULTI[i].burn_x10 * b);
        [(NAIVE_WINDOW, NAIVE_WINDOW, 10 * u64::from(self.p.naive_ppm)), r(0), r(1), r(2)]
    }

    /// Re-evaluates the month from minute 0 (after any change).
    fn evaluate(&mut self) {
        let n = self.minutes();
        self.ratio.clear();
        self.ratio.resize(n as usize, self.p.baseline_ppm);
        for inc in &self.incidents {
            let (a, b) = (inc.start.min(n), inc.end().min(n));
            for r in &mut self.ratio[a as usize..b as usize] {
                *r = (*r).max(inc.ppm.min(PPM));
            }
        }
        self.prefix.clear();
        self.prefix.push(0);
        let mut sum = 0u64;
        for &r in &self.ratio {
            sum += u64::from(r);
            self.prefix.push(sum);
        }
        let thr = self.thresholds();
        self.firing.clear();
        self.naive_pages.clear();
        self.multi_pages.clear();
        self.tickets.clear();
        self.first = [None; 4];
        let budget = self.budget();
        let mut prev = 0u8;
        for m in 1..=n {
            let mut bits = 0u8;
            for (i, &(long, short, t)) in thr.iter().enumerate() {
                if self.above(m, long, t) && self.above(m, short, t) {
                    bits |= 1 << i;
                    if self.first[i].is_none() {
                        let crossed = self.crossing(m, long, t).max(self.crossing(m, short, t));
                        let spent = self.prefix[m as usize] as f64 / budget;
                        self.first[i] = Some(Fire { minute: m, crossed, spent });
                    }
                }
            }
            self.firing.push(bits);
            let page = multi_bit(0) | multi_bit(1);
            let groups: [(u8, &mut Vec<Episode>); 3] =
                [(NAIVE_BIT, &mut self.naive_pages), (page, &mut self.multi_pages), (multi_bit(2), &mut self.tickets)];
            for (mask, list) in groups {
                let (now, before) = (bits & mask != 0, prev & mask != 0);
                if now && !before {
                    let rule = (bits & mask).trailing_zeros() as u8;
                    list.push(Episode { start: m, end: n, rule });
                } else if !now && before {
                    if let Some(e) = list.last_mut() {
                        e.end = m;
                    }
                }
            }
            prev = bits;
        }
        self.results.clear();
        for i in 0..self.incidents.len() {
            let inc = self.incidents[i];
            let cost = self.excess(inc, inc.end()) / budget;
            let naive = self.detect(inc, NAIVE_BIT, NAIVE_WINDOW);
            let multi = self
                .detect(inc, multi_bit(0) | multi_bit(1), MULTI[1].short)
                .or_else(|| self.detect(inc, multi_bit(2), MULTI[2].short));
            self.results.push(IncidentResult { incident: inc, cost, naive, multi });
        }
    }

    /// The incident's errors above the baseline in its minutes before `until`, ppm-minutes.
    fn excess(&self, inc: Incident, until: u32) -> f64 {
        let (a, b) = (inc.start.min(self.minutes()), inc.end().min(until).min(self.minutes()));
        if b <= a {
            return 0.0;
        }
        let errors = self.prefix[b as usize] - self.prefix[a as usize];
        errors.saturating_sub(u64::from(b - a) * u64::from(self.p.baseline_ppm)) as f64
    }

    /// The first boundary in `(start, end + grace]` at which a rule of `mask` fires.
    fn detect(&self, inc: Incident, mask: u8, grace: u32) -> Option<Detection> {
        let n = self.minutes();
        let (a, b) = (inc.start.saturating_add(1), inc.end().saturating_add(grace).min(n));
        (a..=b).find_map(|m| {
            let bits = *self.firing.get(m.checked_sub(1)? as usize)? & mask;
            (bits != 0).then(|| Detection {
                at: m,
                rule: bits.trailing_zeros() as u8,
                page: bits & (NAIVE_BIT | multi_bit(0) | multi_bit(1)) != 0,
                spent: self.excess(inc, m) / self.budget(),
            })
        })
    }

    /// When each rule first fired: naive, then [`MULTI`].
    pub fn first(&self) -> &[Option<Fire>; 4] {
        &self.first
    }

    /// Naive pages, multi-window pages and tickets.
    pub fn naive_pages(&self) -> &[Episode] {
        &self.naive_pages
    }
    pub fn multi_pages(&self) -> &[Episode] {
        &self.multi_pages
    }
    pub fn tickets(&self) -> &[Episode] {
        &self.tickets
    }

    pub fn results(&self) -> &[IncidentResult] {
        &self.results
    }

    /// The share of the budget left at boundary `m` (below 0 once overspent).
    pub fn remaining(&self, m: u32) -> f64 {
        1.0 - self.prefix[m.min(self.minutes()) as usize] as f64 / self.budget()
    }

    /// The burn rate over the hour before boundary `m`.
    pub fn burn_1h(&self, m: u32) -> f64 {
        self.window(m.min(self.minutes()), 60) as f64 / (60.0 * self.p.budget_ppm as f64)
    }

    /// Minutes until the budget runs out at the last hour's burn, from boundary `m`: `Some(0)`
    /// when already spent, `None` at burn 0.
    pub fn minutes_to_exhaust(&self, m: u32) -> Option<f64> {
        let (left, burn) = (self.remaining(m), self.burn_1h(m));
        if left <= 0.0 {
            Some(0.0)
        } else {
            (burn > 0.0).then(|| left * self.minutes() as f64 / burn)
        }
    }

    /// Whether minute boundary `m` has any rule of set `multi` firing (page rules only, or naive).
    pub fn firing(&self, m: u32) -> u8 {
        m.checked_sub(1).and_then(|i| self.firing.get(i as usize)).copied().unwrap_or(0)
    }

    /// The tally of a rule set (`multi` or naive) for what has happened by boundary `now`.
    pub fn tally(&self, multi: bool, now: u32) -> Tally {
        let (pages, grace) =
            if multi { (&self.multi_pages, MULTI[1].short) } else { (&self.naive_pages, NAIVE_WINDOW) };
        let mut t = Tally::default();
        for e in pages.iter().filter(|e| e.start <= now) {
            t.pages += 1;
            let explained = self.results.iter().any(|r| {
                r.cost >= NOISE_SHARE && e.start > r.incident.start && e.start <= r.incident.end().saturating_add(grace)
            });
            if !explained {
                t.noise += 1;
            }
        }
        if multi {
            t.tickets = self.tickets.iter().filter(|e| e.start <= now).count() as u32;
        }
        let mut total = 0.0;
        for r in &self.results {
            let d = if multi { r.multi } else { r.naive };
            match d.filter(|d| d.page && d.at <= now) {
                Some(d) => {
                    t.detected += 1;
                    total += (d.at - r.incident.start) as f64;
                }
                None => {
                    let over = r.incident.end().saturating_add(grace).min(self.minutes()) <= now;
                    if over && r.cost >= MISS_SHARE {
                        t.misses += 1;
                    }
                }
            }
        }
        t.mean_detect_min = (t.detected > 0).then(|| total / t.detected as f64);
        t
    }

    /// The budget left at each hour boundary, for drawing (`out` is cleared first).
    pub fn hourly_remaining(&self, out: &mut Vec<f64>) {
        out.clear();
        out.extend((0..=self.minutes() / 60).map(|h| self.remaining(h * 60)));
    }

    fn set_params(&mut self, p: BurnRateParams) {
        self.p = p;
        self.evaluate();
    }

    fn edit(&mut self, f: impl FnOnce(&mut Vec<Incident>)) {
        f(&mut self.incidents);
        self.incidents.truncate(MAX_INCIDENTS);
        let n = self.minutes();
        for inc in &mut self.incidents {
            inc.start = inc.start.min(n.saturating_sub(1));
            inc.duration = inc.duration.clamp(1, n);
            inc.ppm = inc.ppm.clamp(1, PPM);
        }
        self.evaluate();
    }
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/// "day 3, 14:05" for minute `m`.
pub fn day_time(m: u32) -> String {
    let (d, h, min) = (m / DAY, m % DAY / 60, m % 60);
    format!("day {d}, {h:02}:{min:02}")
}

/// A moment of the replay clock as the timeline writes it: "day 3, 03:05".
pub fn moment_text(t: Micros) -> String {
    day_time((t.saturating_mul(60) / HOUR_US).min(u64::from(u32::MAX)) as u32)
}

/// The clock readout: the replay clock's hours (its seconds) and the day and time:
/// "75.08 h · day 3, 03:05".
pub fn clock_text(m: u32) -> String {
    format!("{} h · {}", fixed(m as f64 / 60.0, 2), day_time(m))
}

/// A duration given in minutes ("3 h 37 min", "2.1 days").
pub fn minutes_text(m: f64) -> String {
    duration(m, Unit::Min)
}

/// An error ratio in ppm as a percentage ("0.5%", "100%").
pub fn ratio_text(ppm: u32) -> String {
    format!("{}%", crate::fmt::number(ppm as f64 / 10_000.0))
}

/// A budget share, signed: "64%", "−12%".
pub fn share_text(f: f64) -> String {
    if f < 0.0 {
        format!("−{}", percent_fine(-f))
    } else {
        percent_fine(f)
    }
}

impl Detection {
    /// "3 h 37 min by 6 h / 30 m at 6, 5.0% spent" (`start` is the incident's).
    pub fn text(&self, start: u32) -> String {
        let kind = if self.page { "" } else { " (ticket)" };
        format!(
            "{} by {}{kind}, {} spent",
            minutes_text((self.at - start) as f64),
            RULE_NAMES[self.rule as usize],
            percent_fine(self.spent)
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The widget
// ---------------------------------------------------------------------------------------------

const MONTHS: &[&str] = &["month", "quiet", "slow-burn", "big-outage", "noisy", "random"];
const SLOS: &[&str] = &["99", "99.5", "99.9", "99.95", "99.99"];
const WINDOWS: &[&str] = &["30", "28"];

/// The keys a preset sets, from its [`BurnRateParams`].
const fn preset_keys(i: usize) -> [(&'static str, f64); 3] {
    let p = BurnRateParams::PRESETS[i].1;
    [("scenario", i as f64), ("baseline", p.baseline_ppm as f64 / 10_000.0), ("naive", p.naive_ppm as f64 / 10_000.0)]
}

/// The burn-rate widget.
pub const BURN_RATE: WidgetSpec = WidgetSpec {
    name: "burn-rate",
    about: crate::note::About {
        question: "Which SLO alerting rules should page on-call: a single error-ratio threshold, or multi-window burn-rate alerts that page for the incidents that matter, fast enough, without paging for noise?",
        assumptions: &[(ASSUMPTIONS, "")],
        sources: &[
            "Steven Thurgood et al., Alerting on SLOs (chapter 5 of The Site Reliability Workbook) (2018)",
            "Betsy Beyer, Chris Jones, Jennifer Petoff and Niall Richard Murphy (eds.), Site Reliability Engineering: How Google Runs Production Systems (2016)",
        ],
    },
    title: "Burn-rate alerts on a real month",
    // Animated, but a frame only moves the playhead: the month is evaluated on each change.
    hot: false,
    reserve_rem: 81.5,
    params: &[
        labelled(
            choice("scenario", "Month", MONTHS, 0),
            &["A bit of everything", "Quiet (two blips)", "Slow burn", "Big outage", "Noisy", "Random incidents"],
        ),
        range("incidents", "Random incidents", 1.0, MAX_INCIDENTS as f64, 1.0, 5.0, "").shown_if("scenario", 5.0),
        labelled(choice("slo", "SLO target", SLOS, 2), &["99%", "99.5%", "99.9%", "99.95%", "99.99%"]),
        labelled(choice("window", "SLO window", WINDOWS, 0), &["30 days", "28 days"]),
        range("baseline", "Baseline error ratio", 0.0, 0.5, 0.01, 0.01, "%"),
        range("naive", "Naive rule: page above", 0.1, 20.0, 0.1, 2.0, "% over 5 min"),
    ],
    presets: &[
        ("month", &preset_keys(0)),
        ("quiet", &preset_keys(1)),
        ("slow-burn", &preset_keys(2)),
        ("big-outage", &preset_keys(3)),
        ("noisy", &preset_keys(4)),
    ],
};

/// The month's parameters (and its incidents: a named month's, or drawn from the seed) for a
/// state.
pub fn burn_params(state: &State) -> (BurnRateParams, Vec<Incident>) {
    let pick = |values: &[u32], i: f64| values[(i as usize).min(values.len() - 1)];
    let scenario = value!(BURN_RATE, state, "scenario") as usize;
    let days = pick(&WINDOW_DAYS, value!(BURN_RATE, state, "window"));
    let p = BurnRateParams {
        budget_ppm: pick(&SLO_BUDGET_PPM, value!(BURN_RATE, state, "slo")),
        days,
        baseline_ppm: (value!(BURN_RATE, state, "baseline") * 10_000.0).round() as u32,
        naive_ppm: (value!(BURN_RATE, state, "naive") * 10_000.0).round() as u32,
        incidents: &[],
    };
    let incidents = match BurnRateParams::PRESETS.get(scenario) {
        Some((_, named)) => named.incidents.to_vec(),
        None => random_incidents(value!(BURN_RATE, state, "incidents") as usize, days, state.seed),
    };
    (p, incidents)
}

/// What a reader does to the month, as a share link logs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BurnAction {
    /// `add.<start>.<duration>.<ppm>`
    Add(Incident),
    /// `mv.<i>.<start>`
    Move(u8, u32),
    /// `sev.<i>.<ppm>`
    Severity(u8, u32),
    /// `dur.<i>.<minutes>`
    Duration(u8, u32),
    /// `del.<i>`
    Remove(u8),
    /// `set.<key>.<value>`: the SLO, window, baseline or naive threshold (the incidents stay).
    Set { key: &'static str, value: f64 },
}

/// Settings that change while the month keeps its incidents (the others start it again).
const LIVE: [&str; 4] = ["slo", "window", "baseline", "naive"];

impl BurnAction {
    pub fn set(key: &str, value: f64) -> Option<BurnAction> {
        let key = LIVE.iter().find(|k| **k == key)?;
        Some(BurnAction::Set { key, value })
    }

    pub fn parse(code: &str) -> Option<BurnAction> {
        let (verb, rest) = code.split_once('.')?;
        if verb == "set" {
            let (key, value) = rest.split_once('.')?;
            return BurnAction::set(key, crate::num::parse_decimal(value)?);
        }
        let mut nums = rest.split('.').map(|s| s.parse::<u32>().ok());
        let mut next = || nums.next().flatten();
        let index = |x: u32| u8::try_from(x).ok().filter(|&i| usize::from(i) < MAX_INCIDENTS);
        Some(match verb {
            "add" => BurnAction::Add(Incident { start: next()?, duration: next()?, ppm: next()? }),
            "mv" => BurnAction::Move(index(next()?)?, next()?),
            "sev" => BurnAction::Severity(index(next()?)?, next()?),
            "dur" => BurnAction::Duration(index(next()?)?, next()?),
            "del" => BurnAction::Remove(index(next()?)?),
            _ => return None,
        })
    }

    pub fn encode(&self) -> String {
        match *self {
            BurnAction::Add(i) => format!("add.{}.{}.{}", i.start, i.duration, i.ppm),
            BurnAction::Move(i, s) => format!("mv.{i}.{s}"),
            BurnAction::Severity(i, p) => format!("sev.{i}.{p}"),
            BurnAction::Duration(i, d) => format!("dur.{i}.{d}"),
            BurnAction::Remove(i) => format!("del.{i}"),
            BurnAction::Set { key, value } => format!("set.{key}.{}", crate::fmt::number(value)),
        }
    }
}

/// The next step of `steps` above (`up`) or below `x`, or the last/first.
pub fn step_through(steps: &[u32], x: u32, up: bool) -> u32 {
    if up {
        steps.iter().copied().find(|&s| s > x).unwrap_or(steps[steps.len() - 1])
    } else {
        steps.iter().rev().copied().find(|&s| s < x).unwrap_or(steps[0])
    }
}

/// The widget's run: one month, both rule sets, and a playhead.
#[derive(Clone)]
pub struct BurnRun {
    month: Month,
    now: Micros,
}

/// What the widget shows at the playhead.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BurnSnapshot {
    /// The playhead, minutes.
    pub minute: u32,
    pub minutes: u32,
    pub remaining: f64,
    pub burn_1h: f64,
    pub to_exhaust_min: Option<f64>,
    pub naive: Tally,
    pub multi: Tally,
    /// Rules firing at the playhead (bits: naive, then [`MULTI`]).
    pub firing: u8,
    pub ended: bool,
}

impl BurnSnapshot {
    pub fn time_text(&self) -> String {
        clock_text(self.minute)
    }
    pub fn remaining_text(&self) -> String {
        share_text(self.remaining)
    }
    pub fn burn_text(&self) -> String {
        format!("{}×", fixed(self.burn_1h, 1))
    }
    pub fn exhaust_text(&self) -> String {
        match self.to_exhaust_min {
            Some(m) if m <= 0.0 => "spent".into(),
            Some(m) => minutes_text(m),
            None => "never (no errors)".into(),
        }
    }
    /// What is paging now, in words.
    pub fn firing_text(&self) -> String {
        let mut parts = Vec::new();
        if self.firing & NAIVE_BIT != 0 {
            parts.push("naive page");
        }
        if self.firing & (multi_bit(0) | multi_bit(1)) != 0 {
            parts.push("multi-window page");
        }
        if self.firing & multi_bit(2) != 0 {
            parts.push("ticket");
        }
        if parts.is_empty() {
            "nothing firing".into()
        } else {
            parts.join(", ")
        }
    }
}

impl Tally {
    pub fn detect_text(&self) -> String {
        self.mean_detect_min.map_or_else(|| "none paged".into(), minutes_text)
    }
}

impl BurnRun {
    pub fn month(&self) -> &Month {
        &self.month
    }
    /// The playhead, minutes.
    pub fn minute(&self) -> u32 {
        (minute_at(self.now) as u32).min(self.month.minutes())
    }
    /// The replay clock at the month's end.
    pub fn end_us(&self) -> Micros {
        us_at(u64::from(self.month.minutes()))
    }
    pub fn ended(&self) -> bool {
        self.now >= self.end_us()
    }
}

impl Replayable for BurnRun {
    type Action = BurnAction;
    type Snapshot = BurnSnapshot;
    const SPEC: &'static WidgetSpec = &BURN_RATE;
    /// A 30-day month is 720 s of replay clock.
    const MAX_REPLAY_US: Micros = 30 * 24 * HOUR_US;

    fn parse(code: &str) -> Option<BurnAction> {
        BurnAction::parse(code)
    }
    fn encode(action: &BurnAction) -> String {
        action.encode()
    }
    fn set(index: usize, value: f64) -> Option<BurnAction> {
        BurnAction::set(BURN_RATE.params.get(index)?.key, value)
    }
    fn start(settings: &State) -> Self {
        let (p, incidents) = burn_params(settings);
        BurnRun { month: Month::new(p, &incidents), now: 0 }
    }
    fn now(&self) -> Micros {
        self.now
    }
    fn run_to(&mut self, to: Micros, _max_events: u64) -> Advanced {
        let to = to.min(self.end_us()).max(self.now);
        let events = minute_at(to) - minute_at(self.now);
        self.now = to;
        Advanced { events, reached: true }
    }
    fn apply(&mut self, settings: &mut State, action: &BurnAction) {
        let m = &mut self.month;
        match *action {
            BurnAction::Add(inc) => m.edit(|v| {
                if v.len() < MAX_INCIDENTS {
                    v.push(inc)
                }
            }),
            BurnAction::Move(i, start) => m.edit(|v| {
                if let Some(x) = v.get_mut(usize::from(i)) {
                    x.start = start
                }
            }),
            BurnAction::Severity(i, ppm) => m.edit(|v| {
                if let Some(x) = v.get_mut(usize::from(i)) {
                    x.ppm = ppm
                }
            }),
            BurnAction::Duration(i, d) => m.edit(|v| {
                if let Some(x) = v.get_mut(usize::from(i)) {
                    x.duration = d
                }
            }),
            BurnAction::Remove(i) => m.edit(|v| {
                if usize::from(i) < v.len() {
                    v.remove(usize::from(i));
                }
            }),
            BurnAction::Set { key, value } => {
                settings.set(&BURN_RATE, key, value);
                let (p, _) = burn_params(settings);
                m.set_params(p);
                m.edit(|_| {}); // clip the incidents to a shorter window
                self.now = self.now.min(self.end_us());
            }
        }
    }
    fn snapshot(&self) -> BurnSnapshot {
        let m = &self.month;
        let now = self.minute();
        BurnSnapshot {
            minute: now,
            minutes: m.minutes(),
            remaining: m.remaining(now),
            burn_1h: m.burn_1h(now),
            to_exhaust_min: m.minutes_to_exhaust(now),
            naive: m.tally(false, now),
            multi: m.tally(true, now),
            firing: m.firing(now),
            ended: self.ended(),
        }
    }
}

/// A burn-rate month with the reader's edits, replayable from a share link.
pub type BurnReplay = Replay<BurnRun>;

/// The burn-rate alerts' named scenarios ([`crate::scenario`]): the named months, each paused
/// where the two rule sets part ways.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "noisy-pages",
        title: "Paged for noise",
        watch_for: "Six short spikes, none costing 1% of the budget: the naive 2% rule paged for every one of them, and the burn-rate rules never paged.",
        link: "preset=noisy&t=720000000",
    },
    Scenario {
        name: "slow-burn",
        title: "A slow burn the naive rule never sees",
        watch_for: "1% errors for a day and a half never cross the naive 2% rule; the 6-hour burn-rate rule paged 215 minutes in, with 4.9% of the budget spent.",
        link: "preset=slow-burn&t=249666667",
    },
    Scenario {
        name: "big-outage",
        title: "A big outage",
        watch_for: "Everything failed for 45 minutes: both rule sets paged within the first minute, with 2.3% of the budget spent, and the outage cost 104% of it.",
        link: "preset=big-outage&t=291833334",
    },
    Scenario {
        name: "a-month-of-everything",
        title: "A month of everything",
        watch_for: "At the month's end: the naive rule paged 3 times, 2 of them for noise, and missed the leak that cost 33% of the budget; the burn-rate rules caught both real incidents.",
        link: "t=720000000",
    },
];

/// The illustrative assumptions, stated once.
pub const ASSUMPTIONS: &str = "A steady request rate, so a window's error ratio is the mean of its \
minutes' ratios; errors are expected values (no sampling noise). Each minute fails at the baseline \
or at the highest ratio of the incidents covering it, and the minutes before the month at the \
baseline. Rules are evaluated every minute with a strict \">\", without a \"for\" duration. The \
multi-window thresholds are the SRE Workbook's fixed 14.4, 6 and 1 whatever the window. A page is \
noise when no incident costing at least 1% of the budget explains it; an incident costing at least \
2% that never pages is a miss (a ticket does not count as a page). The replay clock runs one \
simulated hour a second.";

// ---------------------------------------------------------------------------------------------
// What the widget shows, and its decision note
// ---------------------------------------------------------------------------------------------

/// A row of the comparison table: the measure, its `data-k` keys (naive, multi-window) and its
/// value from a rule set's tally.
pub type CompareRow = (&'static str, &'static str, &'static str, fn(&Tally) -> String);

/// The comparison table's rows.
pub const COMPARE: [CompareRow; 5] = [
    ("Pages", "naive-pages", "multi-pages", |t| t.pages.to_string()),
    ("Tickets", "naive-tickets", "multi-tickets", |t| t.tickets.to_string()),
    ("Noise (pages for incidents under 1% of the budget)", "naive-noise", "multi-noise", |t| t.noise.to_string()),
    ("Misses (incidents of 2% or more, never paged)", "naive-misses", "multi-misses", |t| t.misses.to_string()),
    ("Mean time to page", "naive-detect", "multi-detect", Tally::detect_text),
];

impl BurnSnapshot {
    /// The key numbers under the chart (the same list at every moment).
    pub fn readouts(&self) -> Vec<Readout> {
        vec![
            Readout::new("remaining", "Budget left", self.remaining_text()),
            Readout::new("burn", "Burn rate (last hour)", self.burn_text()),
            Readout::new("exhaust", "Budget gone at this burn in", self.exhaust_text()),
            Readout::new("firing", "Alerting now", self.firing_text()),
            Readout::new("time", "Simulated time", self.time_text()),
        ]
    }

    /// The comparison table as readouts: each measure for the naive rule, then for the
    /// multi-window rules.
    pub fn compare_readouts(&self) -> Vec<Readout> {
        let mut v = Vec::with_capacity(2 * COMPARE.len());
        for (label, naive, multi, f) in COMPARE {
            v.push(Readout::new(naive, format!("Naive (5 min): {label}"), f(&self.naive)));
            v.push(Readout::new(multi, format!("Multi-window: {label}"), f(&self.multi)));
        }
        v
    }
}

impl IncidentResult {
    /// What the incident table says of how rule set `multi` (else naive) noticed it, as of
    /// minute `now` of a month of `minutes`: "3 h 37 min by 6 h / 30 m at 6, 5.0% spent",
    /// "missed", "not yet" or "not started".
    pub fn detection_text(&self, multi: bool, now: u32, minutes: u32) -> String {
        let inc = self.incident;
        let over = inc.end().saturating_add(360).min(minutes) <= now;
        match (if multi { self.multi } else { self.naive }).filter(|d| d.at <= now) {
            Some(d) => d.text(inc.start),
            None if inc.start >= now => "not started".into(),
            None if over => "missed".into(),
            None => "not yet".into(),
        }
    }
}

/// "paged 3 times (1 noise)".
fn paged(t: &Tally) -> String {
    format!("paged {} ({} noise)", crate::fmt::plural(t.pages as f64, "time", "times"), t.noise)
}

/// The decision note's facts for a burn-rate month at its playhead: how each rule set has done
/// so far, the key numbers and the comparison table, and the run: the month's start, the
/// reader's edits, each incident's start and when each rule set noticed it.
pub fn burn_rate_facts(r: &BurnReplay) -> Facts {
    let run = r.run();
    let m = run.month();
    let s = r.snapshot();
    let verdict = if s.minute == 0 {
        format!(
            "Start of the month: {} ahead; {} of the error budget left.",
            crate::fmt::plural(m.incidents().len() as f64, "incident", "incidents"),
            share_text(s.remaining)
        )
    } else {
        format!(
            "By {}: the naive rule {} and missed {}; the multi-window rules {}, opened {} and missed {}; {} of the error budget left.",
            day_time(s.minute),
            paged(&s.naive),
            crate::fmt::plural(s.naive.misses as f64, "incident", "incidents"),
            paged(&s.multi),
            crate::fmt::plural(s.multi.tickets as f64, "ticket", "tickets"),
            crate::fmt::plural(s.multi.misses as f64, "incident", "incidents"),
            share_text(s.remaining)
        )
    };
    let mut readouts = s.readouts();
    readouts.extend(s.compare_readouts());
    let mut events = Vec::new();
    for (i, res) in m.results().iter().enumerate() {
        let inc = res.incident;
        if inc.start > s.minute {
            continue;
        }
        let what = format!(
            "incident {} starts: {} errors for {} ({} of the budget)",
            i + 1,
            ratio_text(inc.ppm),
            minutes_text(inc.duration as f64),
            percent_fine(res.cost)
        );
        events.push((us_at(inc.start.into()), what));
        let rule_sets = [
            ("naive rule", "pages", "opens a ticket", res.naive),
            ("multi-window rules", "page", "open a ticket", res.multi),
        ];
        for (name, page, ticket, d) in rule_sets {
            if let Some(d) = d.filter(|d| d.at <= s.minute) {
                let how = if d.page { page } else { ticket };
                events.push((
                    us_at(d.at.into()),
                    format!("the {name} {how} for incident {}: {}", i + 1, d.text(inc.start)),
                ));
            }
        }
    }
    let incident = |i: &str| i.parse::<usize>().map_or("an incident".to_string(), |i| format!("incident {}", i + 1));
    let describe = |code: &str| {
        let parts: Vec<&str> = code.split('.').collect();
        let n = |k: usize| parts.get(k).and_then(|x| x.parse::<u32>().ok()).unwrap_or(0);
        match parts[0] {
            "add" => format!(
                "incident added at {}: {} errors for {}",
                day_time(n(1)),
                ratio_text(n(3)),
                minutes_text(n(2) as f64)
            ),
            "mv" => format!("{} moved to {}", incident(parts[1]), day_time(n(2))),
            "sev" => format!("{}'s error ratio set to {}", incident(parts[1]), ratio_text(n(2))),
            "dur" => format!("{}'s length set to {}", incident(parts[1]), minutes_text(n(2) as f64)),
            "del" => format!("{} removed", incident(parts[1])),
            _ => code.to_string(),
        }
    };
    let when = |us: Micros| day_time(minute_at(us).min(u64::from(u32::MAX)) as u32);
    let scenario = value!(BURN_RATE, r.started(), "scenario") as usize;
    let month = BURN_RATE.param("scenario").map_or("", |(_, p)| p.option_label(scenario));
    let started = format!("started the month: {month}, seed {}", r.started().seed);
    let now_text = format!("{} of the budget left, {}", share_text(s.remaining), s.firing_text());
    let lines =
        crate::note::run_so_far(&BURN_RATE, &r.applied(), &when, &describe, &started, events, (r.now(), &now_text));
    Facts { verdict, readouts, run: lines }
}
