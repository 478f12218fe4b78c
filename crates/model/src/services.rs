//! What splitting a system into services costs at run time and in coordination: closed forms only.
//!
//! * **Availability multiplies.** A request that needs every service on its synchronous path
//!   succeeds only if all of them answer: with independent failures, `A = Π aᵢ`, so `n` services
//!   at availability `a` each give `aⁿ`. A dependency moved behind a queue (called
//!   asynchronously) leaves the critical path and its latency: its work is *delayed* for a share
//!   `1 − a^soft` of requests instead of failing them.
//! * **Redundancy and retries** raise each service's availability, *if failures are
//!   independent*: `k` replicas behind a load balancer fail together with probability
//!   `(1 − a)^k`, and `r` retries give a call `r + 1` independent tries, so a service is
//!   `1 − (1 − a)^(k(r + 1))`. Real failures are often correlated (a bad deploy, an overloaded
//!   dependency, a shared database), which makes these upper bounds; and retries at every layer
//!   multiply load: the last service on a chain of `n` can see `(r + 1)^(n − 1)` calls per request.
//! * **Downtime** per 30-day month is `(1 − A) × 43,200` minutes of failed requests.
//! * **Tails multiply too** (Dean & Barroso, "The Tail at Scale", 2013): a request that waits on
//!   `k` parallel calls, each slow with probability `p`, is slow with probability
//!   `1 − (1 − p)^k` (1 %, 100 calls: 63 %).
//! * **Network hops.** Each service after the first on the synchronous chain adds one round trip;
//!   asynchronous dependencies add none.
//! * **Coordination.** `n` people or teams have `n(n − 1)/2` possible communication paths
//!   (Brooks, "The Mythical Man-Month", 1975); a change that touches `c` services must be agreed by
//!   their owners, at most one per team (`o = min(c, teams)`, `o(o − 1)/2` pairs), and its `c`
//!   deploys go out in order.
//!
//! No clock and no global randomness: [`simulate`] draws from a seeded [`crate::rng::Rng`] only to
//! check the closed forms in tests.

use crate::fmt::{fixed, num};
use crate::note::{Facts, Readout};
use crate::num::clamp_or_low;
use crate::rng::Rng;
use crate::spec::{range, State, WidgetSpec};
use crate::value;

/// Minutes in a 30-day month.
pub const MINUTES_PER_MONTH: f64 = 43_200.0;

/// Declared ranges `(min, max)` of every parameter; [`ServicesParams::clamped`] forces values
/// into them (NaN becomes the low end).
pub mod ranges {
    pub const SERVICES: (u32, u32) = (1, 30);
    pub const AVAILABILITY: (f64, f64) = (0.9, 0.99999);
    pub const FAN_OUT: (u32, u32) = (1, 100);
    pub const SLOW_CHANCE: (f64, f64) = (0.0, 0.5);
    pub const HOP_MS: (f64, f64) = (0.0, 200.0);
    pub const TEAMS: (u32, u32) = (1, 30);
    pub const CHANGE_SPAN: (u32, u32) = (1, 30);
    pub const RETRIES: (u32, u32) = (0, 5);
    pub const REPLICAS: (u32, u32) = (1, 5);
}

/// A request's path through the system and the organisation around it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServicesParams {
    /// Services a request passes through in a synchronous chain (1 = a monolith).
    pub services: u32,
    /// Of those, dependencies moved behind a queue (called asynchronously): off the critical path
    /// and its latency. The first service, the one the request enters, is always on it.
    pub soft: u32,
    /// Retries per call after a failed try (independent failures assumed).
    pub retries: u32,
    /// Redundant replicas of each service, any of which can answer (independent failures assumed).
    pub replicas: u32,
    /// Availability of each service, a fraction (0.999 = "three nines").
    pub availability: f64,
    /// Parallel calls one step of the request waits for (a fan-out to shards or backends).
    pub fan_out: u32,
    /// Each call's chance of being slow (past its own p99: 0.01).
    pub slow_chance: f64,
    /// Network round trip added by each call between services, in ms.
    pub hop_ms: f64,
    /// Teams working on the system.
    pub teams: u32,
    /// Services a typical change touches (1 = each team ships alone).
    pub change_span: u32,
}

impl ServicesParams {
    /// One deployable: one service on the path, no fan-out between services.
    pub const MONOLITH: ServicesParams = ServicesParams {
        services: 1,
        soft: 0,
        retries: 0,
        replicas: 1,
        availability: 0.999,
        fan_out: 1,
        slow_chance: 0.01,
        hop_ms: 1.0,
        teams: 5,
        change_span: 1,
    };
    /// Ten services in a chain at three nines each, one step fanning out to ten backends.
    pub const SPLIT: ServicesParams = ServicesParams { services: 10, fan_out: 10, ..ServicesParams::MONOLITH };
    /// The same split, but a typical change touches four services: they deploy together.
    pub const DISTRIBUTED_MONOLITH: ServicesParams = ServicesParams { change_span: 4, ..ServicesParams::SPLIT };
    /// The same split with half the chain moved behind queues.
    pub const DEGRADABLE: ServicesParams = ServicesParams { soft: 5, ..ServicesParams::SPLIT };
    /// The same split, each service on two redundant replicas.
    pub const REDUNDANT: ServicesParams = ServicesParams { replicas: 2, ..ServicesParams::SPLIT };

    /// The presets in the order a widget offers them.
    pub const PRESETS: [(&'static str, ServicesParams); 5] = [
        ("monolith", ServicesParams::MONOLITH),
        ("split", ServicesParams::SPLIT),
        ("distributed-monolith", ServicesParams::DISTRIBUTED_MONOLITH),
        ("degradable", ServicesParams::DEGRADABLE),
        ("redundant", ServicesParams::REDUNDANT),
    ];

    /// Every field forced into its [`ranges`] (NaN becomes the low end); `soft` at most
    /// `services − 1`, `change_span` at most `services`.
    pub fn clamped(mut self) -> ServicesParams {
        let u = |x: u32, (lo, hi): (u32, u32)| x.clamp(lo, hi);
        self.services = u(self.services, ranges::SERVICES);
        self.soft = self.soft.min(self.services - 1);
        self.availability = clamp_or_low(self.availability, ranges::AVAILABILITY.0, ranges::AVAILABILITY.1);
        self.fan_out = u(self.fan_out, ranges::FAN_OUT);
        self.slow_chance = clamp_or_low(self.slow_chance, ranges::SLOW_CHANCE.0, ranges::SLOW_CHANCE.1);
        self.hop_ms = clamp_or_low(self.hop_ms, ranges::HOP_MS.0, ranges::HOP_MS.1);
        self.teams = u(self.teams, ranges::TEAMS);
        self.change_span = u(self.change_span, ranges::CHANGE_SPAN).min(self.services);
        self.retries = u(self.retries, ranges::RETRIES);
        self.replicas = u(self.replicas, ranges::REPLICAS);
        self
    }

    /// One service's availability with its replicas and retries: `1 − (1 − a)^(k(r + 1))`.
    pub fn effective_availability(&self) -> f64 {
        let tries = self.replicas.max(1).saturating_mul(self.retries.saturating_add(1));
        hardened_availability(self.availability, tries)
    }

    /// Owners who must agree on a typical change: one per service it touches, but never more than
    /// there are teams.
    pub fn change_owners(&self) -> u32 {
        self.change_span.min(self.teams).max(1)
    }

    /// Services every request needs (the critical path).
    pub fn hard(&self) -> u32 {
        self.services - self.soft.min(self.services.saturating_sub(1))
    }
}

/// Availability of a chain of independent services that must all answer: the product.
pub fn serial_availability(each: &[f64]) -> f64 {
    each.iter().fold(1.0, |a, &x| a * clamp_or_low(x, 0.0, 1.0))
}

/// `n` services at availability `a` each: `aⁿ` (1 for n = 0).
pub fn chain_availability(a: f64, n: u32) -> f64 {
    clamp_or_low(a, 0.0, 1.0).powi(n.min(i32::MAX as u32) as i32)
}

/// A service reached by `tries` independent attempts (replicas × tries per call), each answering
/// with probability `a`: `1 − (1 − a)^tries`. Two replicas at 0.99 give 0.9999; so does one retry.
pub fn hardened_availability(a: f64, tries: u32) -> f64 {
    1.0 - (1.0 - clamp_or_low(a, 0.0, 1.0)).powi(tries.clamp(1, 1_000) as i32)
}

/// Calls the last service on a synchronous chain of `n` can receive for one request when every
/// caller retries `r` times: `(r + 1)^(n − 1)` (saturating).
pub fn retry_amplification(r: u32, n: u32) -> u64 {
    (1..n).fold(1u64, |x, _| x.saturating_mul(u64::from(r) + 1))
}

/// Minimum network time of `hops` sequential calls of `hop_ms` each (10 same-datacenter hops of
/// 0.5 ms: 5 ms; 10 in-process calls of 2 µs: 0.02 ms).
pub fn network_floor_ms(hops: u32, hop_ms: f64) -> f64 {
    f64::from(hops) * hop_ms.max(0.0)
}

/// Minutes of failed requests in a 30-day month at availability `a`.
pub fn downtime_minutes(a: f64) -> f64 {
    (1.0 - clamp_or_low(a, 0.0, 1.0)) * MINUTES_PER_MONTH
}

/// Share of requests that wait on at least one slow call among `k` parallel calls, each slow with
/// probability `p`: `1 − (1 − p)^k`.
pub fn fan_out_slow_share(p: f64, k: u32) -> f64 {
    let p = clamp_or_low(p, 0.0, 1.0);
    1.0 - (1.0 - p).powi(k.min(i32::MAX as u32) as i32)
}

/// Possible communication paths among `n` people or teams: `n(n − 1)/2` (Brooks).
pub fn channels(n: u32) -> u64 {
    let n = u64::from(n);
    n * n.saturating_sub(1) / 2
}

/// The next "nine": 0.99 → 0.999, 0.999 → 0.9999 (one tenth of the unavailability).
pub fn next_nine(a: f64) -> f64 {
    1.0 - (1.0 - clamp_or_low(a, 0.0, 1.0)) / 10.0
}

/// What a setting costs.
#[derive(Clone, Debug, PartialEq)]
pub struct ServicesReport {
    /// The clamped parameters the figures are for.
    pub params: ServicesParams,
    /// Services every request needs.
    pub hard: u32,
    /// End-to-end availability: the critical path's product, with replicas and retries.
    pub availability: f64,
    /// One service's availability with its replicas and retries (independence assumed).
    pub service_availability: f64,
    /// The same path without replicas or retries.
    pub bare_availability: f64,
    /// Calls the last service on the critical path can see per request with every caller retrying.
    pub retry_amplification: u64,
    /// Minutes of failed requests a month at that availability.
    pub downtime_minutes: f64,
    /// One service at the same availability, replicas and retries (the monolith's figures).
    pub single_availability: f64,
    pub single_downtime_minutes: f64,
    /// Share of requests served without some soft dependency (degraded, not failed).
    pub degraded: f64,
    /// Share of requests that wait on at least one slow call in the fan-out.
    pub slow_share: f64,
    /// Network time the critical path adds, in ms: one round trip per service on it after the
    /// first (asynchronous dependencies add none).
    pub hop_latency_ms: f64,
    /// Communication paths among the teams.
    pub team_channels: u64,
    /// Owners who must agree on a typical change (at most one per team).
    pub change_owners: u32,
    /// Owner pairs that must agree on a typical change.
    pub change_channels: u64,
}

/// The figures for `p` (clamped first).
pub fn report(p: &ServicesParams) -> ServicesReport {
    let p = p.clamped();
    let hard = p.hard();
    let each = p.effective_availability();
    let availability = chain_availability(each, hard);
    ServicesReport {
        params: p,
        hard,
        availability,
        service_availability: each,
        bare_availability: chain_availability(p.availability, hard),
        retry_amplification: retry_amplification(p.retries, hard),
        downtime_minutes: downtime_minutes(availability),
        single_availability: each,
        single_downtime_minutes: downtime_minutes(each),
        degraded: 1.0 - chain_availability(each, p.soft),
        slow_share: fan_out_slow_share(p.slow_chance, p.fan_out),
        hop_latency_ms: network_floor_ms(hard - 1, p.hop_ms),
        team_channels: channels(p.teams),
        change_owners: p.change_owners(),
        change_channels: channels(p.change_owners()),
    }
}

/// Hours of failed requests a month against services on the critical path, `1..=max_services`,
/// at availability `a` each: the points of a chart.
pub fn downtime_curve(a: f64, max_services: u32) -> Vec<(f64, f64)> {
    (1..=max_services.clamp(1, 1_000))
        .map(|n| (f64::from(n), downtime_minutes(chain_availability(a, n)) / 60.0))
        .collect()
}

/// An availability as a percentage with enough decimals to show its first digit short of 100:
/// 0.99 → "99.0%", 0.999 → "99.9%", 0.9999 → "99.99%", 0.74 → "74.0%".
pub fn availability_text(a: f64) -> String {
    let a = clamp_or_low(a, 0.0, 1.0);
    // The fewest decimals (1 to 5) that show the percentage missing from 100: a loop rather than
    // a logarithm, which would link libm's log10 into the bundle.
    let mut missing = (1.0 - a) * 100.0;
    let mut decimals = 1;
    while missing > 0.0 && missing < 0.1 * (1.0 - 1e-4) && decimals < 5 {
        missing *= 10.0;
        decimals += 1;
    }
    let mut s = fixed(a * 100.0, decimals);
    if a < 1.0 && s.starts_with("100") {
        // Never round an imperfect availability up to 100%.
        return "over 99.999%".to_owned();
    }
    s.push('%');
    s
}

/// What hardens each service: "2 replicas and 1 retry per call"; empty when nothing does.
fn hardening(p: &ServicesParams) -> String {
    let replicas = (p.replicas > 1).then(|| format!("{} replicas", p.replicas));
    let retries = match p.retries {
        0 => None,
        1 => Some("1 retry per call".to_owned()),
        n => Some(format!("{n} retries per call")),
    };
    match (replicas, retries) {
        (Some(a), Some(b)) => format!("{a} and {b}"),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => String::new(),
    }
}

/// The availability verdict: "10 services at 99.9% each give 99.0% end to end: 7.2 hours of
/// failed requests a month, against 43 minutes for one."
pub fn verdict(r: &ServicesReport) -> String {
    let how = hardening(&r.params);
    let each = if how.is_empty() {
        availability_text(r.params.availability)
    } else {
        format!(
            "{}, {} with {how}",
            availability_text(r.params.availability),
            availability_text(r.service_availability)
        )
    };
    let whole = availability_text(r.availability);
    let down = crate::fmt::duration(r.downtime_minutes, crate::fmt::Unit::Min);
    let mut s = if r.hard == 1 && r.params.soft == 0 {
        format!("One service at {each} gives {whole} end to end: {down} of failed requests a month.")
    } else if r.hard == 1 {
        format!("Only the entry service must answer, which gives {whole} end to end: {down} of failed requests a month, as for a single service.")
    } else {
        let head = if r.params.soft == 0 {
            format!("{} services at {each} each give {whole} end to end", r.hard)
        } else {
            format!("{} services that must all answer, at {each} each, give {whole} end to end", r.hard)
        };
        format!(
            "{head}: {down} of failed requests a month, against {} for one service.",
            crate::fmt::duration(r.single_downtime_minutes, crate::fmt::Unit::Min)
        )
    };
    if r.params.soft > 0 {
        let n = r.params.soft;
        let (who, add) = if n == 1 {
            ("The dependency behind a queue is late".to_owned(), "adds")
        } else {
            (format!("The {n} dependencies behind queues are late"), "add")
        };
        s.push_str(&format!(
            " {who} for {}% of requests instead of failing them, and {add} no network time to the response.",
            fixed(r.degraded * 100.0, 1)
        ));
    }
    if !how.is_empty() {
        s.push_str(" That counts replicas and retries as independent tries; a bad deploy, an overload or a shared database fails them together, so it is an upper bound.");
        if r.params.retries > 0 && r.hard > 1 {
            s.push_str(&format!(
                " Retrying at every layer can send the last service {} calls for one request.",
                crate::fmt::grouped(r.retry_amplification as f64)
            ));
        }
    }
    s
}

/// The coordination sentence: who must agree for a typical change.
pub fn coordination_text(r: &ServicesReport) -> String {
    let c = r.params.change_span;
    if c <= 1 {
        if r.params.services == 1 {
            "One deployable: every change ships in the same release, whichever team made it.".to_owned()
        } else {
            "A typical change touches one service: its team tests and ships it alone.".to_owned()
        }
    } else if r.change_owners == 1 {
        format!(
            "A typical change touches {c} services, all owned by the one team: nobody else to agree with, but {c} deploys in the right order."
        )
    } else {
        let o = r.change_owners;
        let owners = if o < c { format!("{o} owners to agree, one per team") } else { format!("{o} owners to agree") };
        format!(
            "A typical change touches {c} services: {owners} ({} pairs) and {c} deploys in the right order. Services that change together are a distributed monolith.",
            r.change_channels
        )
    }
}

/// A seeded Monte Carlo of `requests` requests under `p` (clamped): every service fails
/// independently with probability `1 − a`, every fanned-out call is slow with probability
/// `slow_chance`. Returns (share that succeeded, share degraded, share slowed). Tests compare it
/// with the closed forms.
pub fn simulate(p: &ServicesParams, requests: u32, seed: u64) -> (f64, f64, f64) {
    let p = p.clamped();
    let mut rng = Rng::new(seed);
    let (mut ok, mut degraded, mut slow) = (0u32, 0u32, 0u32);
    for _ in 0..requests {
        // Every service and call is drawn, whatever happened before it.
        // A service is up if any of its replicas × tries answers.
        let tries = p.replicas.max(1) * (p.retries + 1);
        let service_up = |rng: &mut Rng| (0..tries).fold(false, |up, _| !rng.chance(1.0 - p.availability) || up);
        let hard_up = (0..p.hard()).fold(true, |up, _| service_up(&mut rng) && up);
        let soft_up = (0..p.soft).fold(true, |up, _| service_up(&mut rng) && up);
        let any_slow = (0..p.fan_out).fold(false, |s, _| rng.chance(p.slow_chance) || s);
        ok += u32::from(hard_up);
        degraded += u32::from(!soft_up);
        slow += u32::from(any_slow);
    }
    let n = f64::from(requests.max(1));
    (f64::from(ok) / n, f64::from(degraded) / n, f64::from(slow) / n)
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// What a service-split preset sets: the shape of the system in one of
/// [`ServicesParams::PRESETS`] (availability, latency and teams stay as the reader set them).
const fn shape(p: &ServicesParams) -> [(&'static str, f64); 6] {
    [
        ("services", p.services as f64),
        ("soft", p.soft as f64),
        ("fanout", p.fan_out as f64),
        ("change", p.change_span as f64),
        ("replicas", p.replicas as f64),
        ("retries", p.retries as f64),
    ]
}

/// What the split's figures rest on, for its decision note.
const ASSUMPTIONS_NOTE: &[(&str, &str)] = &[
    (
        "Services fail independently, all at the availability set by the sliders, and every service on the \
         synchronous path must answer. Replicas and retries count as independent tries, so with correlated failures \
         (a bad deploy, an overload, a shared database) the figures are upper bounds.",
        "",
    ),
    (
        "Failed requests are counted over a 30-day month (43,200 minutes). A dependency behind a queue never fails \
         a request or adds to its latency, it is only late; the queue itself is always up.",
        "",
    ),
    (
        "Each service after the first adds one network round trip (set by the sliders) and no other cost; each call \
         of the fan-out is slow independently, with the chance set by the sliders.",
        "",
    ),
    (
        "A change needs one owner per service it touches, at most one per team, and every pair of owners must agree \
         (n people have n(n − 1)/2 paths, after Brooks).",
        "",
    ),
];

/// The cost of splitting a request's path into services.
pub const SERVICE_SPLIT: WidgetSpec = WidgetSpec {
    name: "service-split",
    about: crate::note::About {
        question: "Should we split this system into more services, and what will every request pay for it in \
                   availability, latency and slow calls, and every change in coordination between teams?",
        assumptions: ASSUMPTIONS_NOTE,
        sources: &[
            "Jeffrey Dean and Luiz André Barroso, The Tail at Scale (2013)",
            "Frederick P. Brooks Jr., The Mythical Man-Month: Essays on Software Engineering (1975)",
            "Melvin E. Conway, How Do Committees Invent? (1968)",
            "Sam Newman, Building Microservices, 2nd edition (2021)",
        ],
    },
    reserve_rem: 59.0,
    hot: false,
    title: "What a split costs",
    params: &[
        range("services", "Services on a request's synchronous path", 1.0, 30.0, 1.0, 10.0, ""),
        range("soft", "Of those, moved behind a queue (asynchronous)", 0.0, 29.0, 1.0, 0.0, ""),
        range("avail", "Availability of each service", 99.0, 99.99, 0.01, 99.9, "%"),
        range("replicas", "Redundant replicas of each service", 1.0, 3.0, 1.0, 1.0, ""),
        range("retries", "Retries per call (failures assumed independent)", 0.0, 3.0, 1.0, 0.0, ""),
        range("fanout", "Parallel calls one step waits for (fan-out)", 1.0, 100.0, 1.0, 10.0, ""),
        range("slow", "Each call's chance of being slow", 0.1, 10.0, 0.1, 1.0, "% of calls"),
        range("hop", "Network round trip per call", 0.0, 50.0, 0.5, 1.0, "ms"),
        range("teams", "Teams", 1.0, 30.0, 1.0, 5.0, ""),
        range("change", "Services a typical change touches", 1.0, 10.0, 1.0, 1.0, ""),
    ],
    presets: &[
        ("monolith", &shape(&ServicesParams::MONOLITH)),
        ("split", &shape(&ServicesParams::SPLIT)),
        ("distributed-monolith", &shape(&ServicesParams::DISTRIBUTED_MONOLITH)),
        ("degradable", &shape(&ServicesParams::DEGRADABLE)),
        ("redundant", &shape(&ServicesParams::REDUNDANT)),
    ],
};

/// What the service-split widget shows: the verdict and the coordination sentence under the
/// numbers, and the key numbers.
pub fn services_facts(r: &ServicesReport) -> Facts {
    let share = |x: f64| format!("{}%", num(x * 100.0, 1));
    let minutes = |m: f64| crate::fmt::duration(m, crate::fmt::Unit::Min);
    Facts {
        verdict: format!("{} {}", verdict(r), coordination_text(r)),
        readouts: vec![
            Readout::new("availability", "End-to-end availability", availability_text(r.availability)),
            Readout::new("downtime", "Failed requests a month", minutes(r.downtime_minutes)),
            Readout::new("single", "One service instead", minutes(r.single_downtime_minutes)),
            Readout::new("each", "Each service, with replicas and retries", availability_text(r.service_availability)),
            Readout::new(
                "amplification",
                "Calls the last service can get per request",
                crate::fmt::grouped(r.retry_amplification as f64),
            ),
            Readout::new("degraded", "Requests whose queued work is late", share(r.degraded)),
            Readout::new("slow", "Requests waiting on a slow call", share(r.slow_share)),
            Readout::new("hops", "Network time on the path", format!("{} ms", num(r.hop_latency_ms, 1))),
            Readout::new("team-channels", "Paths between teams", r.team_channels.to_string()),
            Readout::new("change-channels", "Owner pairs per change", r.change_channels.to_string()),
        ],
        run: Vec::new(),
    }
}

/// Service-split parameters for a state (`soft` below `services`, `change` at most `services`).
pub fn services_params(state: &State) -> ServicesParams {
    ServicesParams {
        services: value!(SERVICE_SPLIT, state, "services") as u32,
        soft: value!(SERVICE_SPLIT, state, "soft") as u32,
        availability: value!(SERVICE_SPLIT, state, "avail") / 100.0,
        fan_out: value!(SERVICE_SPLIT, state, "fanout") as u32,
        slow_chance: value!(SERVICE_SPLIT, state, "slow") / 100.0,
        hop_ms: value!(SERVICE_SPLIT, state, "hop"),
        teams: value!(SERVICE_SPLIT, state, "teams") as u32,
        change_span: value!(SERVICE_SPLIT, state, "change") as u32,
        replicas: value!(SERVICE_SPLIT, state, "replicas") as u32,
        retries: value!(SERVICE_SPLIT, state, "retries") as u32,
    }
    .clamped()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each number the decision note states that a constant stands behind, built from that
    /// constant. Not a number with a constant behind it: "n(n − 1)/2", the formula of [`channels`].
    #[test]
    fn the_notes_assumptions_state_the_models_constants() {
        let says = |phrase: &str| crate::note::assert_assumption(ASSUMPTIONS_NOTE, phrase);
        says(&format!(
            "a {}-day month ({} minutes)",
            crate::fmt::number(MINUTES_PER_MONTH / (24.0 * 60.0)),
            crate::fmt::grouped(MINUTES_PER_MONTH)
        ));
    }
}
