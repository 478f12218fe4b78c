//! What splitting a system into services costs at run time and in coordination: closed forms only.
//!
//! * **Availability multiplies.** A request that needs every service on its synchronous path
//!   succeeds only if all of them answer: with independent failures, `A = Π aᵢ`, so `n` services
//!   at availability `a` each give `aⁿ`. Services that are called asynchronously or whose failure
//!   the caller survives (a fallback, a cached answer) leave the critical path: they *degrade* a
//!   share `1 − a^soft` of requests instead of failing them.
//! * **Downtime** per 30-day month is `(1 − A) × 43,200` minutes of failed requests.
//! * **Tails multiply too** (Dean & Barroso, "The Tail at Scale", 2013): a request that waits on
//!   `k` parallel calls, each slow with probability `p`, is slow with probability
//!   `1 − (1 − p)^k` (1 %, 100 calls: 63 %).
//! * **Network hops.** Each service after the first on a synchronous chain adds one round trip.
//! * **Coordination.** `n` people or teams have `n(n − 1)/2` possible communication paths
//!   (Brooks, "The Mythical Man-Month", 1975); a change that touches `c` services must be agreed by
//!   their `c` owners (`c(c − 1)/2` pairs) and deployed in order.
//!
//! No clock and no global randomness: [`simulate`] draws from a seeded [`crate::rng::Rng`] only to
//! check the closed forms in tests.

use crate::fmt::fixed;
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
}

/// A request's path through the system and the organisation around it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServicesParams {
    /// Services a request passes through in a synchronous chain (1 = a monolith).
    pub services: u32,
    /// Of those, services the request survives losing (asynchronous, or with a fallback). The
    /// first service, the one the request enters, is always on the critical path.
    pub soft: u32,
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
    /// The same split with half the chain asynchronous or behind fallbacks.
    pub const DEGRADABLE: ServicesParams = ServicesParams { soft: 5, ..ServicesParams::SPLIT };

    /// The presets in the order a widget offers them.
    pub const PRESETS: [(&'static str, ServicesParams); 4] = [
        ("monolith", ServicesParams::MONOLITH),
        ("split", ServicesParams::SPLIT),
        ("distributed-monolith", ServicesParams::DISTRIBUTED_MONOLITH),
        ("degradable", ServicesParams::DEGRADABLE),
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
        self
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
    /// End-to-end availability: the critical path's product.
    pub availability: f64,
    /// Minutes of failed requests a month at that availability.
    pub downtime_minutes: f64,
    /// One service at the same availability (the monolith's figures).
    pub single_availability: f64,
    pub single_downtime_minutes: f64,
    /// Share of requests served without some soft dependency (degraded, not failed).
    pub degraded: f64,
    /// Share of requests that wait on at least one slow call in the fan-out.
    pub slow_share: f64,
    /// Network time the chain adds, in ms: one round trip per service after the first.
    pub hop_latency_ms: f64,
    /// Communication paths among the teams.
    pub team_channels: u64,
    /// Owner pairs that must agree on a typical change (the services it touches).
    pub change_channels: u64,
}

/// The figures for `p` (clamped first).
pub fn report(p: &ServicesParams) -> ServicesReport {
    let p = p.clamped();
    let hard = p.hard();
    let availability = chain_availability(p.availability, hard);
    ServicesReport {
        params: p,
        hard,
        availability,
        downtime_minutes: downtime_minutes(availability),
        single_availability: p.availability,
        single_downtime_minutes: downtime_minutes(p.availability),
        degraded: 1.0 - chain_availability(p.availability, p.soft),
        slow_share: fan_out_slow_share(p.slow_chance, p.fan_out),
        hop_latency_ms: f64::from(p.services - 1) * p.hop_ms,
        team_channels: channels(p.teams),
        change_channels: channels(p.change_span),
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
    while missing > 0.0 && missing < 0.1 * (1.0 - 1e-9) && decimals < 5 {
        missing *= 10.0;
        decimals += 1;
    }
    let mut s = fixed(a * 100.0, decimals);
    if a < 1.0 && s.starts_with("100") {
        // Never round an imperfect availability up to 100%.
        s = fixed(a * 100.0, 5);
    }
    s.push('%');
    s
}

/// The availability verdict: "10 services at 99.9% each give 99.0% end to end: 7.2 hours of
/// failed requests a month, against 43 minutes for one."
pub fn verdict(r: &ServicesReport) -> String {
    let each = availability_text(r.single_availability);
    let whole = availability_text(r.availability);
    let down = crate::fmt::duration(r.downtime_minutes, crate::fmt::Unit::Min);
    if r.hard == 1 && r.params.soft == 0 {
        return format!("One service at {each} gives {whole} end to end: {down} of failed requests a month.");
    }
    let mut s = if r.hard == 1 {
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
        let who =
            if n == 1 { "The other service degrades".to_owned() } else { format!("The other {n} services degrade") };
        s.push_str(&format!(" {who} {}% of requests instead of failing them.", fixed(r.degraded * 100.0, 1)));
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
    } else {
        format!(
            "A typical change touches {c} services: {c} owners to agree ({} pairs) and {c} deploys in the right order. Services that change together are a distributed monolith.",
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
        let hard_up = (0..p.hard()).fold(true, |up, _| !rng.chance(1.0 - p.availability) && up);
        let soft_up = (0..p.soft).fold(true, |up, _| !rng.chance(1.0 - p.availability) && up);
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
const fn shape(p: &ServicesParams) -> [(&'static str, f64); 4] {
    [
        ("services", p.services as f64),
        ("soft", p.soft as f64),
        ("fanout", p.fan_out as f64),
        ("change", p.change_span as f64),
    ]
}

/// The cost of splitting a request's path into services.
pub const SERVICE_SPLIT: WidgetSpec = WidgetSpec {
    name: "service-split",
    reserve_rem: 51.5,
    hot: false,
    title: "What a split costs",
    params: &[
        range("services", "Services on a request's synchronous path", 1.0, 30.0, 1.0, 10.0, ""),
        range("soft", "Of those, can fail without failing the request", 0.0, 29.0, 1.0, 0.0, ""),
        range("avail", "Availability of each service", 99.0, 99.99, 0.01, 99.9, "%"),
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
    ],
};

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
    }
    .clamped()
}
