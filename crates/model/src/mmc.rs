//! An M/M/c queue on the event core: Poisson arrivals, `c` servers, exponential service, FIFO.
//! It exists to check the core against queueing theory, and as the smallest example of a model.

use crate::des::{Engine, Micros, Model, Scheduler, SEC};
use crate::rng::Rng;
use crate::stats::Summary;
use std::collections::VecDeque;

/// Parameters of an M/M/c queue (rates per second).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MmcParams {
    pub arrival_rate: f64,
    pub service_rate: f64,
    pub servers: u32,
}

#[derive(Clone, Copy, Debug)]
pub enum MmcEvent {
    Arrival,
    Departure,
}

struct Mmc {
    p: MmcParams,
    rng: Rng,
    queue: VecDeque<Micros>,
    busy: u32,
    warmup: Micros,
    time_in_system: Summary,
    waited: u64,
    served: u64,
    // time-weighted number in system, for Little's law
    area: f64,
    last_change: Micros,
    in_system: u64,
    // arrival times of the requests in service, by server slot (FIFO order is not needed)
    in_service: Vec<Micros>,
}

impl Mmc {
    fn mark(&mut self, now: Micros) {
        if now > self.warmup {
            let from = self.last_change.max(self.warmup);
            self.area += self.in_system as f64 * (now - from) as f64;
        }
        self.last_change = now;
    }
    fn start_service(&mut self, arrived: Micros, s: &mut Scheduler<MmcEvent>) {
        self.busy += 1;
        self.in_service.push(arrived);
        let dt = self.rng.exp(SEC as f64 / self.p.service_rate) as Micros;
        s.after(dt, MmcEvent::Departure);
    }
}

impl Model for Mmc {
    type Event = MmcEvent;
    fn handle(&mut self, ev: MmcEvent, s: &mut Scheduler<MmcEvent>) {
        let now = s.now();
        self.mark(now);
        match ev {
            MmcEvent::Arrival => {
                self.in_system += 1;
                if self.busy < self.p.servers {
                    self.start_service(now, s);
                } else {
                    self.queue.push_back(now);
                }
                let dt = self.rng.exp(SEC as f64 / self.p.arrival_rate) as Micros;
                s.after(dt, MmcEvent::Arrival);
            }
            MmcEvent::Departure => {
                self.in_system -= 1;
                self.busy -= 1;
                // Service times are memoryless, so which in-service request leaves is immaterial
                // to the statistics; take a random one so the time-in-system sample is fair.
                let i = self.rng.below(self.in_service.len() as u64) as usize;
                let arrived = self.in_service.swap_remove(i);
                if arrived >= self.warmup {
                    self.time_in_system.add((now - arrived) as f64 / SEC as f64);
                }
                if let Some(a) = self.queue.pop_front() {
                    if a >= self.warmup {
                        self.waited += 1;
                    }
                    self.start_service(a, s);
                }
                if arrived >= self.warmup {
                    self.served += 1;
                }
            }
        }
    }
}

/// Results of a run (times in seconds).
#[derive(Clone, Copy, Debug)]
pub struct MmcSnapshot {
    pub now: Micros,
    pub mean_time_in_system: f64,
    pub served: u64,
    /// Fraction of (post-warm-up) arrivals that had to queue.
    pub wait_probability: f64,
    /// Time-averaged number in system, L.
    pub mean_in_system: f64,
    /// Observed arrival rate after warm-up.
    pub throughput: f64,
}

/// A stepped M/M/c simulation.
pub struct MmcSim {
    engine: Engine<Mmc>,
}

impl MmcSim {
    /// Statistics ignore everything before `warmup`.
    pub fn new(p: MmcParams, seed: u64, warmup: Micros) -> Self {
        let m = Mmc {
            p,
            rng: Rng::new(seed),
            queue: VecDeque::new(),
            busy: 0,
            warmup,
            time_in_system: Summary::default(),
            waited: 0,
            served: 0,
            area: 0.0,
            last_change: 0,
            in_system: 0,
            in_service: Vec::with_capacity(p.servers as usize),
        };
        let mut engine = Engine::new(m);
        engine.sched.at(0, MmcEvent::Arrival);
        MmcSim { engine }
    }

    pub fn step(&mut self) -> bool {
        self.engine.step()
    }

    pub fn advance(&mut self, dt: Micros) -> u64 {
        self.engine.advance(dt)
    }

    pub fn snapshot(&self) -> MmcSnapshot {
        let m = &self.engine.model;
        let now = self.engine.now();
        let span = now.saturating_sub(m.warmup).max(1) as f64;
        let served = m.time_in_system.count;
        MmcSnapshot {
            now,
            mean_time_in_system: m.time_in_system.mean(),
            served,
            wait_probability: if m.served == 0 { 0.0 } else { m.waited as f64 / m.served as f64 },
            mean_in_system: m.area / span,
            throughput: served as f64 / (span / SEC as f64),
        }
    }
}
