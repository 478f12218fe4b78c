//! Conway's calculator: independence comes from boundaries that match ownership.
//!
//! A discrete-event simulation of feature delivery. `teams` teams of `people_per_team` people own
//! `services` services (an ownership map, service → team, that the reader can change). The
//! product has one *domain* per team: service `s` belongs to domain `s · teams / services`, the
//! services that change together. A feature arrives (Poisson, `features_per_week`), picks a home
//! domain, and touches `touches` distinct services: with probability `cohesion` all of them inside
//! its domain (as many as it has), otherwise anywhere. With ownership *aligned* to the domains, a
//! cohesive feature's services share one owner; with ownership *scattered* across them, they do
//! not.
//!
//! The owner of the first service touched starts at once; every other team involved is a
//! cross-team request that waits for that team's next sprint, U(0, `sprint_days`) days, then all
//! work in parallel for `work_days` each. The feature is code complete when the last team is done;
//! its handoffs are the teams involved minus one. Then it ships, by mode:
//!
//! * **Monolith**: one merge queue (`merge_queue_min` minutes a merge, one at a time), then the
//!   shared deploy train, every `train_days` days: one deploy of the one artifact.
//! * **Microservices**: each touched service deploys on its own, as soon as the feature is code
//!   complete.
//! * **Distributed monolith**: lockstep deploys: the touched services (or all of them) deploy
//!   together, one attempt succeeding only if every service does; an "all services" lockstep goes
//!   through one shared pipeline, one deploy at a time.
//!
//! A deploy attempt takes [`DEPLOY`] and each service in it succeeds with `deploy_success` (q); a
//! failed attempt is rolled back and retried after [`RETRY_DELAY`].
//!
//! Time is integer simulated **minutes** (one [`Micros`] of the event core is one minute here; the
//! widget shows days). Teams have no capacity limit (people only count communication paths), so
//! lead times are the waits the structure imposes, not queueing for people.

use crate::des::{Advanced, Engine, Micros, Model, Scheduler};
use crate::fmt::{grouped, num, percent};
use crate::note::{Facts, Readout};
use crate::replay::{Replay, Replayable};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::value;

/// One minute: the simulation's clock unit.
pub const MINUTE: Micros = 1;
pub const HOUR: Micros = 60;
pub const DAY: Micros = 24 * HOUR;
pub const WEEK: Micros = 7 * DAY;
/// The most teams and services the widget offers.
pub const MAX_TEAMS: usize = 8;
/// What a lead-time readout says before the batch's first feature ships.
pub const NONE_SHIPPED: &str = "none shipped yet";
pub const MAX_SERVICES: usize = 16;
/// Features per "ship" press.
pub const BATCH: usize = 100;
/// Features in flight at most; a press that would go past it is ignored.
pub const MAX_IN_FLIGHT: usize = 1_000;
/// One deploy attempt.
pub const DEPLOY: Micros = 30 * MINUTE;
/// After a failed deploy: roll back, find the cause, try again the next day.
pub const RETRY_DELAY: Micros = DAY;

// ---------------------------------------------------------------------------------------------
// Closed forms (the golden values)
// ---------------------------------------------------------------------------------------------

/// Communication paths among `n` people who all talk to each other: n(n−1)/2.
pub const fn all_to_all_paths(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Paths in a team topology: everyone within a team, plus one liaison link per pair of teams:
/// teams · C(people, 2) + C(teams, 2).
pub const fn team_paths(teams: u64, people: u64) -> u64 {
    teams * all_to_all_paths(people) + all_to_all_paths(teams)
}

/// E[max of t independent U(0, sprint)] = sprint · t / (t + 1): a feature that needs t teams each
/// waiting for its sprint.
pub fn expected_max_wait(t: u32, sprint_days: f64) -> f64 {
    sprint_days * t as f64 / (t as f64 + 1.0)
}

/// The chance a lockstep deploy of `s` services succeeds, each with probability `q`: q^s (by
/// multiplication, not `powf`).
pub fn lockstep_success(s: u32, q: f64) -> f64 {
    (0..s).fold(1.0, |p, _| p * q)
}

/// The wait of one cross-team request: U(0, sprint) in whole minutes (the model's sampler).
pub fn sample_wait(rng: &mut Rng, sprint: Micros) -> Micros {
    (rng.uniform() * sprint as f64) as Micros
}

/// Cross-team handoffs of a feature touching `services` (a bit mask) under `ownership`: the
/// distinct owning teams minus one.
pub fn handoffs(services: u16, ownership: &[u8]) -> u32 {
    teams_of(services, ownership).count_ones().saturating_sub(1)
}

/// The teams (a bit mask) owning any of `services`.
pub fn teams_of(services: u16, ownership: &[u8]) -> u8 {
    ownership.iter().enumerate().filter(|(s, _)| services >> s & 1 == 1).fold(0u8, |m, (_, &t)| m | 1 << (t & 7))
}

/// The histogram's groups by teams involved: 1, 2, 3, 4 or more.
pub const TEAM_GROUPS: usize = 4;

/// The group of a feature that needed `teams` teams.
pub fn team_group(teams: u8) -> usize {
    (teams.max(1) as usize - 1).min(TEAM_GROUPS - 1)
}

/// Finished features per group of teams involved.
pub fn by_teams(finished: &[Finished]) -> [u32; TEAM_GROUPS] {
    let mut n = [0; TEAM_GROUPS];
    for f in finished {
        n[team_group(f.teams)] += 1;
    }
    n
}

/// The group's label: "1 team", "2 teams", "3 teams", "4+ teams".
pub const GROUP_LABELS: [&str; TEAM_GROUPS] = ["1 team", "2 teams", "3 teams", "4+ teams"];

/// Lead-time histogram of `finished`: counts per `bin_days`-day bin and group, `bins` of them
/// (the last takes everything beyond). Returns the bin width in whole days (1 while the span fits
/// the bins, wider after) and how many bins the span (at least 10 days) uses.
pub fn histogram(finished: &[Finished], bins: &mut [[u32; TEAM_GROUPS]]) -> (u32, usize) {
    let longest = finished.iter().map(|f| f.lead).max().unwrap_or(0);
    let span_days = (longest / DAY + 1).max(10);
    let width = span_days.div_ceil(bins.len().max(1) as u64).max(1);
    bins.iter_mut().for_each(|b| *b = [0; TEAM_GROUPS]);
    if let Some(last) = bins.len().checked_sub(1) {
        for f in finished {
            let i = ((f.lead / DAY / width) as usize).min(last);
            bins[i][team_group(f.teams)] += 1;
        }
    }
    (width as u32, (span_days.div_ceil(width) as usize).min(bins.len()))
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// How features ship.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    Monolith { merge_queue_min: u32, train_days: u32 },
    Microservices,
    DistributedMonolith { lockstep_all: bool },
}

impl Mode {
    /// The index in the widget's `mode` choice.
    pub const fn index(self) -> usize {
        match self {
            Mode::Monolith { .. } => 0,
            Mode::Microservices => 1,
            Mode::DistributedMonolith { .. } => 2,
        }
    }
}

/// Who owns what at the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Team `d` owns domain `d`'s services.
    Aligned,
    /// Service `s` is owned by team `s mod teams`: every domain is split across teams.
    Scattered,
}

/// The domain service `s` belongs to.
pub const fn domain_of(s: usize, teams: usize, services: usize) -> usize {
    match (s * teams).checked_div(services) {
        Some(d) => d,
        None => 0,
    }
}

/// A service's name: its domain's letter and its number in the domain ("A1", "A2", "B1", …), so
/// a lane shows at a glance whether its services belong together.
pub fn service_name(s: usize, teams: usize, services: usize) -> String {
    let d = domain_of(s, teams, services);
    let first = (0..s).find(|&x| domain_of(x, teams, services) == d).unwrap_or(s);
    let letter = char::from(b'A' + (d as u8).min(25));
    format!("{letter}{}", s - first + 1)
}

impl Layout {
    pub const fn owner(self, s: usize, teams: usize, services: usize) -> u8 {
        match self {
            Layout::Aligned => domain_of(s, teams, services) as u8,
            Layout::Scattered => (s % if teams == 0 { 1 } else { teams }) as u8,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConwayParams {
    pub teams: u32,
    pub people_per_team: u32,
    pub services: u32,
    pub layout: Layout,
    pub features_per_week: f64,
    /// Services a feature touches (k).
    pub touches: u32,
    /// The chance a feature stays inside its domain (c).
    pub cohesion: f64,
    pub sprint_days: f64,
    /// Work per team involved, in days (in parallel).
    pub work_days: f64,
    /// Each service's chance a deploy of it succeeds (q).
    pub deploy_success: f64,
    pub mode: Mode,
}

impl ConwayParams {
    pub const BASE: ConwayParams = ConwayParams {
        teams: 6,
        people_per_team: 8,
        services: 12,
        layout: Layout::Aligned,
        features_per_week: 20.0,
        touches: 3,
        cohesion: 0.9,
        sprint_days: 10.0,
        work_days: 3.0,
        deploy_success: 0.99,
        mode: Mode::Microservices,
    };
    /// Each team owns its domain's two services; most features stay inside one.
    pub const ALIGNED: ConwayParams = ConwayParams::BASE;
    /// Ownership crosses the domains and features cross services.
    pub const SCATTERED: ConwayParams = ConwayParams { layout: Layout::Scattered, cohesion: 0.3, ..Self::BASE };
    /// Scattered, and every deploy is a lockstep of all services.
    pub const DISTRIBUTED_MONOLITH: ConwayParams =
        ConwayParams { mode: Mode::DistributedMonolith { lockstep_all: true }, ..Self::SCATTERED };
    /// One codebase with aligned modules: a merge queue and a weekly train.
    pub const MONOLITH: ConwayParams =
        ConwayParams { mode: Mode::Monolith { merge_queue_min: 10, train_days: 7 }, ..Self::BASE };
    pub const PRESETS: [(&'static str, ConwayParams); 4] = [
        ("aligned", Self::ALIGNED),
        ("scattered", Self::SCATTERED),
        ("distributed-monolith", Self::DISTRIBUTED_MONOLITH),
        ("monolith", Self::MONOLITH),
    ];

    /// Within the widget's ranges (NaN as the lowest).
    pub fn clamped(mut self) -> ConwayParams {
        use crate::num::clamp_or_low as c;
        self.teams = self.teams.clamp(1, MAX_TEAMS as u32);
        self.services = self.services.clamp(1, MAX_SERVICES as u32);
        self.people_per_team = self.people_per_team.clamp(1, 1_000);
        self.touches = self.touches.clamp(1, self.services);
        self.features_per_week = c(self.features_per_week, 0.1, 1_000.0);
        self.cohesion = c(self.cohesion, 0.0, 1.0);
        self.sprint_days = c(self.sprint_days, 0.0, 100.0);
        self.work_days = c(self.work_days, 0.0, 100.0);
        self.deploy_success = c(self.deploy_success, 0.5, 1.0);
        if let Mode::Monolith { merge_queue_min, train_days } = &mut self.mode {
            *merge_queue_min = (*merge_queue_min).clamp(1, 1_440);
            *train_days = (*train_days).clamp(1, 100);
        }
        self
    }

    /// The starting ownership map (entries past `services` are 0).
    pub fn ownership(&self) -> [u8; MAX_SERVICES] {
        let mut o = [0u8; MAX_SERVICES];
        for (s, t) in o.iter_mut().enumerate().take(self.services as usize) {
            *t = self.layout.owner(s, self.teams as usize, self.services as usize);
        }
        o
    }

    /// Services in one lockstep deploy of a feature touching `touched` services.
    pub fn lockstep_size(&self, touched: u32) -> u32 {
        match self.mode {
            Mode::DistributedMonolith { lockstep_all: true } => self.services,
            _ => touched,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The simulation
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Teams waiting for their sprint or working.
    Coding,
    /// In the monolith's merge queue.
    Merging,
    /// Merged, waiting for the train.
    Train,
    /// Being deployed (retries included).
    Deploying,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Feature {
    live: bool,
    batch: u32,
    arrived: Micros,
    services: u16,
    teams: u8,
    /// When each team starts work (arrival plus its wait).
    start: [Micros; MAX_TEAMS],
    stage: Stage,
}

const IDLE: Feature =
    Feature { live: false, batch: 0, arrived: 0, services: 0, teams: 0, start: [0; MAX_TEAMS], stage: Stage::Coding };

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConwayEvent {
    Arrive,
    CodeDone(u32),
    Merged(u32),
    Train,
    Done(u32),
}

/// Deploys so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deploys {
    pub attempted: u64,
    pub failed: u64,
}

/// One finished feature of the current batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Finished {
    pub lead: Micros,
    pub teams: u8,
}

#[derive(Clone)]
struct Conway {
    p: ConwayParams,
    ownership: [u8; MAX_SERVICES],
    rng: Rng,
    arrivals: Rng,
    features: Vec<Feature>,
    free: Vec<u32>,
    in_flight: usize,
    batch: u32,
    to_arrive: usize,
    arrived: usize,
    finished: [Finished; BATCH],
    done: usize,
    previous: Option<(f64, f64)>,
    merge_free: Micros,
    pipeline_free: Micros,
    train_due: bool,
    deploys: Deploys,
}

impl Conway {
    fn work(&self) -> Micros {
        (self.p.work_days * DAY as f64) as Micros
    }

    /// The services a new feature touches, as a bit mask, and the first one.
    fn touch(&mut self) -> (u16, usize) {
        let (teams, services) = (self.p.teams as usize, self.p.services as usize);
        let home = self.arrivals.below(teams as u64) as usize;
        let mut pool = [0u8; MAX_SERVICES];
        let mut n = 0;
        let cohesive = self.arrivals.chance(self.p.cohesion);
        for s in 0..services {
            if !cohesive || domain_of(s, teams, services) == home {
                pool[n] = s as u8;
                n += 1;
            }
        }
        if n == 0 {
            // More teams than services: this domain has none; the feature goes anywhere.
            for (s, x) in pool.iter_mut().enumerate().take(services) {
                *x = s as u8;
            }
            n = services;
        }
        let mut mask = 0u16;
        let mut first = pool[0] as usize;
        for i in 0..(self.p.touches as usize).min(n) {
            let j = i + self.arrivals.below((n - i) as u64) as usize;
            pool.swap(i, j);
            mask |= 1 << pool[i];
            if i == 0 {
                first = pool[0] as usize;
            }
        }
        (mask, first)
    }

    fn arrive(&mut self, s: &mut Scheduler<ConwayEvent>) {
        if self.to_arrive == 0 {
            return;
        }
        self.to_arrive -= 1;
        self.arrived += 1;
        let now = s.now();
        let (services, first) = self.touch();
        let teams = teams_of(services, &self.ownership);
        let home = self.ownership[first];
        let sprint = (self.p.sprint_days * DAY as f64) as Micros;
        let mut start = [now; MAX_TEAMS];
        let mut ready = now;
        for (t, at) in start.iter_mut().enumerate() {
            if teams >> t & 1 == 1 && t as u8 != home {
                *at = now + sample_wait(&mut self.rng, sprint);
                ready = ready.max(*at);
            }
        }
        let f = Feature { live: true, batch: self.batch, arrived: now, services, teams, start, stage: Stage::Coding };
        let id = match self.free.pop() {
            Some(i) => {
                self.features[i as usize] = f;
                i
            }
            None => {
                self.features.push(f);
                self.features.len() as u32 - 1
            }
        };
        self.in_flight += 1;
        s.at(ready + self.work(), ConwayEvent::CodeDone(id));
        if self.to_arrive > 0 {
            let gap = self.arrivals.exp(WEEK as f64 / self.p.features_per_week);
            s.after((gap as Micros).max(1), ConwayEvent::Arrive);
        }
    }

    /// Attempts until a deploy of `n` services succeeds; returns how long it took.
    fn deploy(&mut self, n: u32) -> Micros {
        let mut took = 0;
        loop {
            self.deploys.attempted += 1;
            took += DEPLOY;
            let mut ok = true;
            for _ in 0..n {
                ok &= self.rng.chance(self.p.deploy_success);
            }
            if ok {
                return took;
            }
            self.deploys.failed += 1;
            took += RETRY_DELAY;
        }
    }

    fn code_done(&mut self, id: u32, s: &mut Scheduler<ConwayEvent>) {
        let now = s.now();
        let f = self.features[id as usize];
        match self.p.mode {
            Mode::Monolith { merge_queue_min, .. } => {
                self.merge_free = self.merge_free.max(now) + merge_queue_min as Micros * MINUTE;
                self.features[id as usize].stage = Stage::Merging;
                s.at(self.merge_free, ConwayEvent::Merged(id));
            }
            Mode::Microservices => {
                let mut longest = 0;
                for svc in 0..MAX_SERVICES {
                    if f.services >> svc & 1 == 1 {
                        longest = longest.max(self.deploy(1));
                    }
                }
                self.features[id as usize].stage = Stage::Deploying;
                s.at(now + longest, ConwayEvent::Done(id));
            }
            Mode::DistributedMonolith { lockstep_all } => {
                let took = self.deploy(self.p.lockstep_size(f.services.count_ones()));
                let start = if lockstep_all { self.pipeline_free.max(now) } else { now };
                if lockstep_all {
                    self.pipeline_free = start + took;
                }
                self.features[id as usize].stage = Stage::Deploying;
                s.at(start + took, ConwayEvent::Done(id));
            }
        }
    }

    fn merged(&mut self, id: u32, s: &mut Scheduler<ConwayEvent>) {
        self.features[id as usize].stage = Stage::Train;
        if !self.train_due {
            let every = match self.p.mode {
                Mode::Monolith { train_days, .. } => train_days as Micros * DAY,
                _ => DAY,
            };
            self.train_due = true;
            s.at((s.now() / every + 1) * every, ConwayEvent::Train);
        }
    }

    fn train(&mut self, s: &mut Scheduler<ConwayEvent>) {
        self.train_due = false;
        let took = self.deploy(1);
        for (id, f) in self.features.iter_mut().enumerate() {
            if f.live && f.stage == Stage::Train {
                f.stage = Stage::Deploying;
                s.after(took, ConwayEvent::Done(id as u32));
            }
        }
    }

    fn finish(&mut self, id: u32, now: Micros) {
        let f = self.features[id as usize];
        self.features[id as usize] = IDLE;
        self.free.push(id);
        self.in_flight -= 1;
        if f.batch == self.batch && self.done < BATCH {
            self.finished[self.done] = Finished { lead: now - f.arrived, teams: f.teams.count_ones() as u8 };
            self.done += 1;
        }
    }

    /// The current batch's median and 85th percentile lead time, in days.
    fn quantiles(&self) -> Option<(f64, f64)> {
        if self.done == 0 {
            return None;
        }
        let mut leads = [0.0f64; BATCH];
        for (x, f) in leads.iter_mut().zip(&self.finished[..self.done]) {
            *x = f.lead as f64 / DAY as f64;
        }
        let leads = &mut leads[..self.done];
        crate::num::sort::floats(leads);
        let at = |q: f64| leads[((q * leads.len() as f64).ceil() as usize).clamp(1, leads.len()) - 1];
        Some((at(0.5), at(0.85)))
    }
}

impl Model for Conway {
    type Event = ConwayEvent;
    fn handle(&mut self, ev: ConwayEvent, s: &mut Scheduler<ConwayEvent>) {
        match ev {
            ConwayEvent::Arrive => self.arrive(s),
            ConwayEvent::CodeDone(id) => self.code_done(id, s),
            ConwayEvent::Merged(id) => self.merged(id, s),
            ConwayEvent::Train => self.train(s),
            ConwayEvent::Done(id) => self.finish(id, s.now()),
        }
    }
}

/// A delivery run: `ConwaySim::new(params, seed)`, `ship()`, `step()`, `advance(dt)`, `snapshot()`.
#[derive(Clone)]
pub struct ConwaySim {
    engine: Engine<Conway>,
}

/// What a team lane shows: features waiting for its sprint and features it works on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lane {
    pub waiting: u16,
    pub working: u16,
}

/// Everything the widget shows of a run, as of `now`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConwaySnapshot {
    pub now: Micros,
    pub teams: u32,
    pub people_per_team: u32,
    pub services: u32,
    pub ownership: [u8; MAX_SERVICES],
    pub lanes: [Lane; MAX_TEAMS],
    /// Features merging, waiting for the train, deploying.
    pub merging: u16,
    pub on_train: u16,
    pub deploying: u16,
    /// Batches shipped (presses, counting the first).
    pub batch: u32,
    pub arrived: usize,
    pub done: usize,
    /// Median and 85th percentile lead time of the current batch (days).
    pub median_p85: Option<(f64, f64)>,
    /// The previous batch's.
    pub previous: Option<(f64, f64)>,
    /// Share of the batch's finished features that needed more than one team.
    pub multi_team: f64,
    pub mean_handoffs: f64,
    pub deploys: Deploys,
    pub deploy_success: f64,
    pub mode: usize,
    /// Services in one lockstep deploy when every service goes together.
    pub lockstep_services: u32,
}

impl ConwaySim {
    pub fn new(params: ConwayParams, seed: u64) -> Self {
        let p = params.clamped();
        let model = Conway {
            p,
            ownership: p.ownership(),
            rng: Rng::new(seed),
            arrivals: Rng::new(seed ^ 0x9e37_79b9_7f4a_7c15),
            features: Vec::with_capacity(BATCH * 2),
            free: Vec::with_capacity(BATCH * 2),
            in_flight: 0,
            batch: 0,
            to_arrive: 0,
            arrived: 0,
            finished: [Finished::default(); BATCH],
            done: 0,
            previous: None,
            merge_free: 0,
            pipeline_free: 0,
            train_due: false,
            deploys: Deploys::default(),
        };
        ConwaySim { engine: Engine::new(model) }
    }

    pub fn params(&self) -> &ConwayParams {
        &self.engine.model.p
    }

    /// New settings mid-run (the teams, services and ownership stay): they apply to what happens
    /// from now on.
    pub fn set_params(&mut self, params: ConwayParams) {
        let m = &mut self.engine.model;
        let p = ConwayParams { teams: m.p.teams, services: m.p.services, layout: m.p.layout, ..params }.clamped();
        m.p = p;
    }

    /// The ownership map (first `services` entries).
    pub fn ownership(&self) -> &[u8] {
        let m = &self.engine.model;
        &m.ownership[..m.p.services as usize]
    }

    /// Service `service` moves to team `team` (ignored when either is out of range); features
    /// arriving from now on see the new owner.
    pub fn set_owner(&mut self, service: usize, team: usize) {
        let m = &mut self.engine.model;
        if service < m.p.services as usize && team < m.p.teams as usize {
            m.ownership[service] = team as u8;
        }
    }

    /// "Ship 100 features": a new batch arrives from now at the feature rate (replacing what had
    /// not yet arrived of the last one); the numbers follow it (the last batch's median and p85
    /// are kept for comparison). Ignored when more than
    /// [`MAX_IN_FLIGHT`] features would be in flight.
    pub fn ship(&mut self) {
        let (m, s) = (&mut self.engine.model, &mut self.engine.sched);
        if m.in_flight + BATCH > MAX_IN_FLIGHT {
            return;
        }
        if m.batch > 0 {
            m.previous = m.quantiles();
        }
        // What had not arrived of the previous batch never will: the new batch replaces it.
        let pending = m.to_arrive > 0;
        m.batch += 1;
        m.to_arrive = BATCH;
        m.arrived = 0;
        m.done = 0;
        if !pending {
            let gap = m.arrivals.exp(WEEK as f64 / m.p.features_per_week);
            s.after(gap as Micros, ConwayEvent::Arrive);
        }
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

    pub fn advance_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        self.engine.advance_to(to, max_events)
    }

    pub fn events_handled(&self) -> u64 {
        self.engine.events_handled()
    }

    pub fn next_event(&self) -> Option<Micros> {
        self.engine.sched.peek_time()
    }

    /// The current batch's finished features, in the order they finished.
    pub fn finished(&self) -> &[Finished] {
        let m = &self.engine.model;
        &m.finished[..m.done]
    }

    pub fn snapshot(&self) -> ConwaySnapshot {
        let m = &self.engine.model;
        let now = self.engine.now();
        let work = m.work();
        let mut lanes = [Lane::default(); MAX_TEAMS];
        let (mut merging, mut on_train, mut deploying) = (0, 0, 0);
        for f in m.features.iter().filter(|f| f.live) {
            match f.stage {
                Stage::Coding => {
                    for (t, lane) in lanes.iter_mut().enumerate() {
                        if f.teams >> t & 1 == 1 {
                            if now < f.start[t] {
                                lane.waiting += 1;
                            } else if now < f.start[t] + work {
                                lane.working += 1;
                            }
                        }
                    }
                }
                Stage::Merging => merging += 1,
                Stage::Train => on_train += 1,
                Stage::Deploying => deploying += 1,
            }
        }
        let done = &m.finished[..m.done];
        let n = done.len().max(1) as f64;
        ConwaySnapshot {
            now,
            teams: m.p.teams,
            people_per_team: m.p.people_per_team,
            services: m.p.services,
            ownership: m.ownership,
            lanes,
            merging,
            on_train,
            deploying,
            batch: m.batch,
            arrived: m.arrived,
            done: m.done,
            median_p85: m.quantiles(),
            previous: m.previous,
            multi_team: done.iter().filter(|f| f.teams > 1).count() as f64 / n,
            mean_handoffs: done.iter().map(|f| f.teams.saturating_sub(1) as f64).sum::<f64>() / n,
            deploys: m.deploys,
            deploy_success: m.p.deploy_success,
            mode: m.p.mode.index(),
            lockstep_services: m.p.services,
        }
    }
}

/// A moment of the run as the timeline writes it: "12.5 days".
pub fn moment_text(t: Micros) -> String {
    format!("{} days", num(t as f64 / DAY as f64, 1))
}

impl ConwaySnapshot {
    /// The clock in days ("12.5 days"), as the tests read it.
    pub fn time_text(&self) -> String {
        format!("{} days", num(self.now as f64 / DAY as f64, 1))
    }

    fn days(d: f64) -> String {
        format!("{} days", num(d, 1))
    }

    pub fn median_text(&self) -> String {
        self.median_p85.map_or(NONE_SHIPPED.into(), |(m, _)| Self::days(m))
    }

    pub fn p85_text(&self) -> String {
        self.median_p85.map_or(NONE_SHIPPED.into(), |(_, p)| Self::days(p))
    }

    pub fn previous_text(&self) -> String {
        self.previous
            .map_or(String::new(), |(m, p)| format!("Previous batch: median {}, p85 {}.", Self::days(m), Self::days(p)))
    }

    pub fn progress_text(&self) -> String {
        format!("{} of {} arrived, {} shipped", self.arrived, BATCH, self.done)
    }

    pub fn multi_team_text(&self) -> String {
        if self.done == 0 {
            NONE_SHIPPED.into()
        } else {
            percent(self.multi_team)
        }
    }

    pub fn handoffs_text(&self) -> String {
        if self.done == 0 {
            NONE_SHIPPED.into()
        } else {
            num(self.mean_handoffs, 2)
        }
    }

    /// "1,128 all-to-all vs 183 in teams".
    pub fn paths_text(&self) -> String {
        let n = self.teams as u64 * self.people_per_team as u64;
        format!(
            "{} all-to-all vs {} in teams",
            grouped(all_to_all_paths(n) as f64),
            grouped(team_paths(self.teams as u64, self.people_per_team as u64) as f64)
        )
    }

    /// P(a lockstep deploy of every service succeeds).
    pub fn lockstep_text(&self) -> String {
        format!(
            "{} for {} services",
            num(lockstep_success(self.lockstep_services, self.deploy_success) * 100.0, 1) + "%",
            self.lockstep_services
        )
    }

    pub fn deploys_text(&self) -> String {
        format!("{} attempted, {} failed", grouped(self.deploys.attempted as f64), grouped(self.deploys.failed as f64))
    }

    /// What lane `t` says: "2 waiting for the sprint, 1 working".
    pub fn lane_text(&self, t: usize) -> String {
        let l = self.lanes.get(t).copied().unwrap_or_default();
        format!("{} waiting, {} working", l.waiting, l.working)
    }

    /// What the ship stage says, by mode.
    pub fn shipping_text(&self) -> String {
        match self.mode {
            0 => format!(
                "{} in the merge queue, {} waiting for the train, {} deploying",
                self.merging, self.on_train, self.deploying
            ),
            _ => format!("{} deploying", self.deploying),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The widget
// ---------------------------------------------------------------------------------------------

/// The illustrative numbers behind the widget, stated once.
pub const ASSUMPTIONS: &str = "Illustrative assumptions: each team owns one domain's services when \
ownership is aligned; a feature touches k services, all in one domain with the cohesion you set, \
otherwise anywhere. The team owning the first service starts at once; every other team involved \
picks the request up at its next sprint, a uniform wait of 0 to one sprint, then all teams work in \
parallel for the work time. Teams have no capacity limit: people only count communication paths. \
A deploy attempt takes 30 minutes and each service in it succeeds with the chance you set; a failed \
attempt is retried the next day. The monolith merges one feature at a time, then ships on the \
shared train (one artifact); microservices deploy each touched service on its own; a distributed \
monolith deploys in lockstep, all services through one pipeline or just the touched ones.";

const MODES: &[&str] = &["monolith", "microservices", "distributed"];
const LAYOUTS: &[&str] = &["aligned", "scattered"];
const LOCKSTEPS: &[&str] = &["touched", "all"];
/// Settings that restart the run (the lanes and the starting ownership); the rest apply mid-run.
const RESTARTS: [&str; 3] = ["teams", "services", "layout"];

const fn preset_keys(p: &ConwayParams) -> [(&'static str, f64); 4] {
    let lockstep = match p.mode {
        Mode::DistributedMonolith { lockstep_all } => lockstep_all as u8 as f64,
        _ => 1.0,
    };
    let layout = match p.layout {
        Layout::Aligned => 0.0,
        Layout::Scattered => 1.0,
    };
    [("mode", p.mode.index() as f64), ("layout", layout), ("cohesion", p.cohesion), ("lockstep", lockstep)]
}

/// The Conway's-law widget.
pub const CONWAY: WidgetSpec = WidgetSpec {
    name: "conway",
    about: crate::note::About {
        question: "Does this team structure, service ownership map and deploy model let a feature ship without waiting on other teams?",
        assumptions: &[(ASSUMPTIONS, "")],
        sources: &[
            "Melvin E. Conway, How Do Committees Invent? (1968)",
            "Frederick P. Brooks Jr., The Mythical Man-Month: Essays on Software Engineering (1975): communication paths",
            "Matthew Skelton and Manuel Pais, Team Topologies: Organizing Business and Technology Teams for Fast Flow (2019)",
            "Sam Newman, Building Microservices, 2nd edition (2021)",
        ],
    },
    title: "Conway's calculator: who has to talk to ship a feature?",
    // A hundred features and a few thousand events a batch: light.
    hot: false,
    reserve_rem: 90.5,
    params: &[
        labelled(
            choice("mode", "Architecture", MODES, 1),
            &[
                "Monolith (merge queue, deploy train)",
                "Microservices (independent deploys)",
                "Distributed monolith (lockstep deploys)",
            ],
        ),
        labelled(
            choice("layout", "Starting ownership", LAYOUTS, 0),
            &["Aligned with domains", "Scattered across domains"],
        ),
        range("cohesion", "Cohesion: features inside one domain", 0.0, 1.0, 0.05, 0.9, ""),
        range("touches", "Services a feature touches (k)", 1.0, 6.0, 1.0, 3.0, ""),
        range("rate", "Features arriving", 5.0, 100.0, 5.0, 20.0, "a week"),
        range("work", "Work per team", 0.5, 10.0, 0.5, 3.0, "days"),
        range("sprint", "Sprint length", 1.0, 20.0, 1.0, 10.0, "days"),
        range("q", "Each service's deploy succeeds", 90.0, 100.0, 0.1, 99.0, "%"),
        range("train", "Deploy train every", 1.0, 14.0, 1.0, 7.0, "days").shown_if("mode", 0.0),
        range("merge", "Merge queue per feature", 1.0, 60.0, 1.0, 10.0, "min").shown_if("mode", 0.0),
        labelled(choice("lockstep", "Lockstep deploys", LOCKSTEPS, 1), &["The touched services", "All services"])
            .shown_if("mode", 2.0),
        range("teams", "Teams", 2.0, 8.0, 1.0, 6.0, "").in_group("org"),
        range("people", "People per team", 2.0, 12.0, 1.0, 8.0, "").in_group("org"),
        range("services", "Services", 4.0, 16.0, 1.0, 12.0, "").in_group("org"),
    ],
    presets: &[
        ("aligned", &preset_keys(&ConwayParams::ALIGNED)),
        ("scattered", &preset_keys(&ConwayParams::SCATTERED)),
        ("distributed-monolith", &preset_keys(&ConwayParams::DISTRIBUTED_MONOLITH)),
        ("monolith", &preset_keys(&ConwayParams::MONOLITH)),
    ],
};

/// The model's parameters for a state.
pub fn conway_params(st: &State) -> ConwayParams {
    let mode = match value!(CONWAY, st, "mode") as usize {
        0 => Mode::Monolith {
            merge_queue_min: value!(CONWAY, st, "merge") as u32,
            train_days: value!(CONWAY, st, "train") as u32,
        },
        1 => Mode::Microservices,
        _ => Mode::DistributedMonolith { lockstep_all: value!(CONWAY, st, "lockstep") != 0.0 },
    };
    ConwayParams {
        teams: value!(CONWAY, st, "teams") as u32,
        people_per_team: value!(CONWAY, st, "people") as u32,
        services: value!(CONWAY, st, "services") as u32,
        layout: if value!(CONWAY, st, "layout") == 0.0 { Layout::Aligned } else { Layout::Scattered },
        features_per_week: value!(CONWAY, st, "rate"),
        touches: value!(CONWAY, st, "touches") as u32,
        cohesion: value!(CONWAY, st, "cohesion"),
        sprint_days: value!(CONWAY, st, "sprint"),
        work_days: value!(CONWAY, st, "work"),
        deploy_success: value!(CONWAY, st, "q") / 100.0,
        mode,
    }
    .clamped()
}

/// What a reader does to a running delivery, as a share link logs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConwayAction {
    /// `ship`: "Ship 100 features".
    Ship,
    /// `own.<service>.<team>`: a service moves to another team's lane.
    Own { service: u8, team: u8 },
    /// `set.<key>.<value>`: a setting changes mid-run (never one of the restarting ones).
    Set { key: &'static str, value: f64 },
}

impl ConwayAction {
    pub fn set(key: &str, value: f64) -> Option<ConwayAction> {
        let (_, p) = CONWAY.param(key)?;
        (!RESTARTS.contains(&p.key)).then_some(ConwayAction::Set { key: p.key, value })
    }

    pub fn parse(code: &str) -> Option<ConwayAction> {
        if code == "ship" {
            return Some(ConwayAction::Ship);
        }
        if let Some(rest) = code.strip_prefix("own.") {
            let (s, t) = rest.split_once('.')?;
            let small = |x: &str| x.parse::<u8>().ok().filter(|&v| (v as usize) < MAX_SERVICES && x.len() <= 2);
            return Some(ConwayAction::Own {
                service: small(s)?,
                team: small(t).filter(|&t| (t as usize) < MAX_TEAMS)?,
            });
        }
        let (key, value) = code.strip_prefix("set.")?.split_once('.')?;
        ConwayAction::set(key, crate::num::parse_decimal(value)?)
    }

    pub fn encode(&self) -> String {
        match self {
            ConwayAction::Ship => "ship".into(),
            ConwayAction::Own { service, team } => format!("own.{service}.{team}"),
            ConwayAction::Set { key, value } => format!("set.{key}.{}", crate::fmt::number(*value)),
        }
    }
}

/// The widget's run: a delivery simulation that ships its first batch at once.
#[derive(Clone)]
pub struct ConwayRun {
    sim: ConwaySim,
}

impl ConwayRun {
    pub fn sim(&self) -> &ConwaySim {
        &self.sim
    }
}

impl Replayable for ConwayRun {
    type Action = ConwayAction;
    type Snapshot = ConwaySnapshot;
    const SPEC: &'static WidgetSpec = &CONWAY;
    /// As far as any link goes (in minutes here, over 10,000 years): events come only with
    /// features, a few each, so a link replays cheaply however far its playhead.
    const MAX_REPLAY_US: Micros = crate::spec::MAX_REPLAY_US;

    fn parse(code: &str) -> Option<ConwayAction> {
        ConwayAction::parse(code)
    }

    fn encode(action: &ConwayAction) -> String {
        action.encode()
    }

    fn set(index: usize, value: f64) -> Option<ConwayAction> {
        ConwayAction::set(CONWAY.params.get(index)?.key, value)
    }

    fn start(settings: &State) -> Self {
        let mut sim = ConwaySim::new(conway_params(settings), settings.seed);
        sim.ship();
        ConwayRun { sim }
    }

    fn now(&self) -> Micros {
        self.sim.now()
    }

    fn run_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        let r = self.sim.advance_to(to, max_events);
        if !r.reached {
            // Finish every event due at the time it stopped at, so the run is at a cut.
            let at = self.sim.now();
            self.sim.advance_to(at, u64::MAX);
        }
        r
    }

    fn apply(&mut self, settings: &mut State, action: &ConwayAction) {
        match *action {
            ConwayAction::Ship => self.sim.ship(),
            ConwayAction::Own { service, team } => self.sim.set_owner(service as usize, team as usize),
            ConwayAction::Set { key, value } => {
                settings.set(&CONWAY, key, value);
                self.sim.set_params(conway_params(settings));
            }
        }
    }

    fn snapshot(&self) -> ConwaySnapshot {
        self.sim.snapshot()
    }
}

/// A delivery run with the reader's moves and presses, replayable from a share link.
pub type ConwayReplay = Replay<ConwayRun>;

/// Conway's calculator's named scenarios ([`crate::scenario`]): the first batch of 100 features
/// through each structure.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "aligned-teams",
        title: "Ownership that follows the domains",
        watch_for: "The 100 features are done: the median took 3 days, the work itself, and only 12 in 100 needed a second team.",
        link: "t=100800",
    },
    Scenario {
        name: "scattered-ownership",
        title: "Ownership scattered across domains",
        watch_for: "Every feature needed at least two teams, 1.45 handoffs each on average, and the median rose to 8.6 days although nobody worked slower.",
        link: "preset=scattered&t=100800",
    },
    Scenario {
        name: "monolith-train",
        title: "A monolith on a weekly train",
        watch_for: "Aligned modules in one codebase: few handoffs, but 7 deploy trains set the pace and the median feature took 6.1 days.",
        link: "preset=monolith&t=100800",
    },
    Scenario {
        name: "distributed-monolith",
        title: "A distributed monolith",
        watch_for: "All 12 services deploy in lockstep, succeeding together only 88.6% of the time: 7 of 107 deploys failed and waited a day, and the median took 9.4 days.",
        link: "preset=distributed-monolith&t=100800",
    },
];

// ---------------------------------------------------------------------------------------------
// What the widget shows, and its decision note
// ---------------------------------------------------------------------------------------------

impl ConwaySnapshot {
    /// The key numbers under the chart (the same list at every moment).
    pub fn readouts(&self) -> Vec<Readout> {
        vec![
            Readout::new("median", "Median lead time", self.median_text()),
            Readout::new("p85", "85th percentile", self.p85_text()),
            Readout::new("multi", "Features needing more than one team", self.multi_team_text()),
            Readout::new("handoffs", "Cross-team handoffs per feature", self.handoffs_text()),
            Readout::new("paths", "Communication paths", self.paths_text()),
            Readout::new("lockstep", "A lockstep deploy of every service succeeds", self.lockstep_text()),
            Readout::new("deploys", "Deploys", self.deploys_text()),
            Readout::new("progress", "This batch", self.progress_text()),
            Readout::new("time", "Simulated time", self.time_text()),
        ]
    }

    /// What the run shows so far, in a sentence.
    fn verdict(&self) -> String {
        if self.done == 0 {
            return format!(
                "Batch {}: nothing shipped yet ({} of {BATCH} features arrived).",
                self.batch.max(1),
                self.arrived
            );
        }
        format!(
            "Batch {}: {} of {BATCH} features shipped so far, median lead time {}, 85th percentile {}; {} needed more than one team ({} cross-team handoffs per feature).",
            self.batch.max(1),
            self.done,
            self.median_text(),
            self.p85_text(),
            self.multi_team_text(),
            self.handoffs_text()
        )
    }
}

/// A simulated time as a run summary writes it: "day 12.5".
fn day_text(t: Micros) -> String {
    format!("day {}", num(t as f64 / DAY as f64, 1))
}

/// The decision note's facts for a delivery run: the current batch's lead times so far, the key
/// numbers, and the run: its start, each batch shipped, each service moved and each setting
/// changed, at their simulated days.
pub fn conway_facts(r: &ConwayReplay) -> Facts {
    let s = r.snapshot();
    let (teams, services) = (s.teams as usize, s.services as usize);
    let describe = |code: &str| match ConwayAction::parse(code) {
        Some(ConwayAction::Ship) => format!("“Ship {BATCH} features”: a new batch starts"),
        Some(ConwayAction::Own { service, team }) => {
            format!("{} moved to team {}", service_name(service as usize, teams, services), team + 1)
        }
        _ => code.to_string(),
    };
    let started = format!("started: the first batch of {BATCH} features, seed {}", r.started().seed);
    let now = format!("{}; {}", s.progress_text(), s.shipping_text());
    let run =
        crate::note::run_so_far(&CONWAY, &r.applied(), &day_text, &describe, &started, Vec::new(), (r.now(), &now));
    Facts { verdict: s.verdict(), readouts: s.readouts(), run }
}
