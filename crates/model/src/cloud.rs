//! The cloud-provider model: an explicit, illustrative decision rule for AWS, Azure and Google
//! Cloud, and the cost of changing your mind later.
//!
//! The premise (the article's): for most workloads the three providers' core compute, storage and
//! managed databases are broadly equivalent, so the choice is decided by people, by requirements
//! and by what switching would cost. The model makes that rule transparent rather than clever.
//! No clock, no randomness, no simulation; every number is illustrative (see [`ASSUMPTIONS`]).
//!
//! # The score
//!
//! Each provider earns points, and the ranking sorts by points (ties keep the order of
//! [`Provider::ALL`], which is alphabetical, and are reported as ties):
//!
//! ```text
//! score(p) = expertise_points(team's experience with p) + requirement_points(p)
//! expertise_points: none 0, some 20, deep 40
//! requirement_points: customers' own accounts on p: +100 (it decides);
//!                     Microsoft 365 / Entra ID customers: Azure +30;
//!                     analytics at scale is the product: Google Cloud +20 (BigQuery);
//!                     a regulated government workload: no provider points (all three sell
//!                     government offerings; it narrows services, not providers)
//! ```
//!
//! # Switching
//!
//! Moving to provider `q` costs, with `E` engineers and `L` the loaded cost of an engineer-month,
//!
//! ```text
//! learning(q) = E × ramp_months(expertise with q) × portable_factor × L
//! rework      = E × rework_months(what you operate) × L
//! egress      = 0 under the provider's 2024 exit waiver, else its dated list tiers applied to
//!               data_tb × 1,024 GB ([`egress_list_cost`])
//! switching(q) = learning(q) + rework + egress
//! ```
//!
//! linear in engineers. The saving that pays it back within `H` months (24) is
//! `switching / H` a month, i.e. `switching / (H × monthly_spend)` of the bill, and a given monthly
//! saving `s` pays it back in `switching / s` months ([`payback`]). Running Kubernetes and open
//! source yourself makes switching cheaper but costs a share of the team's time every month
//! ([`CloudAssumptions::self_run_share`]): portability you pay for whether or not you ever move.
//!
//! # Egress: dated tiers, and the exit waivers
//!
//! Internet egress is priced by the provider being left, from its published tiers ([`EgressTable`],
//! each with its as-of date and source): the free allowance is deducted first, then each tier's
//! rate applies to the gigabytes that fall in it (AWS's and Azure's rates fall from about $0.09 to
//! $0.05 a GB above 150 TB, so a flat $0.09 overstates 2,000 TB by about 1.7×). A terabyte is 1,024
//! GB, as the providers' tier tables count it. The whole move is priced as one month's transfer.
//! Since 2024 all three providers waive that egress for a customer leaving entirely, under
//! conditions ([`ExitWaiver`]); the reader chooses whether the move qualifies.
//!
//! # Buying portability: the break-even switch probability
//!
//! Following Hohpe (2019), portability is an option bought up front: paying `I` lowers the cost of
//! a later switch from `S₀` to `S₁`. With probability `p` of switching within the horizon, the
//! expected costs are `p·S₀` without it and `I + p·S₁` with it, equal at
//!
//! ```text
//! p* = I / (S₀ − S₁)
//! ```
//!
//! ([`LockIn`]); above `p*` the investment pays, below it it does not, and `p* > 1` means it never
//! does within the horizon. For a portable stack, `I` is running it yourself for the horizon.

use crate::fmt::fixed;
use crate::fmt::{grouped, money, percent};
use crate::note::{Facts, Readout};
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::value;

/// The dated assumptions behind [`CloudAssumptions::ILLUSTRATIVE`].
pub const ASSUMPTIONS: &str = "Illustrative numbers, December 2026, not quotes: an engineer costs \
$15,000 a month fully loaded; learning a provider the team has never used takes 3 months of \
productive time per engineer, one it knows somewhat 1 month, one it knows deeply none (halved when \
the stack is Kubernetes and open source you run yourself, whose skills carry over); re-platforming \
the code takes 2 engineer-months per engineer on managed services, 0.5 on a portable stack; \
running that portable stack yourself takes 10% of the team's time; a move is judged over 24 \
months, and paying for portability over the same 24 months. The points are weights, not \
measurements: expertise none 0, some 20, deep 40; customers' own accounts on a provider +100; \
Microsoft 365 and Entra ID customers +30 for Azure; analytics at scale +20 for Google Cloud. \
Change them to your own.";

/// The dated facts behind the egress figures: list prices and the exit waivers.
pub const EGRESS_FACTS: &str = "Internet egress list prices, per GB with 1 TB = 1,024 GB, the free \
allowance deducted first: AWS (us-east-1) 100 GB free a month, then $0.09 for the first 10 TB, \
$0.085 for the next 40 TB, $0.07 for the next 100 TB, $0.05 beyond; Azure (Zone 1, Microsoft \
network routing) 100 GB free, then $0.087, $0.083, $0.07, $0.05 on the same tiers; Google Cloud \
(Premium Tier from North America) $0.12 for the first TB, $0.11 to 10 TB, $0.08 beyond. Exit \
waivers for customers leaving entirely: Google Cloud from 11 January 2024 (exit notice, Premium \
Tier, data in its storage and database products, agreement terminated), AWS from 5 March 2024 \
(support approval, move completed within 60 days, credits afterwards), Azure from 13 March 2024 \
(notify Azure Support, 60 days, all subscriptions cancelled, Azure Storage data over the internet \
only).";

/// The three providers, in the (alphabetical) order ties keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    Aws,
    Azure,
    Gcp,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Aws, Provider::Azure, Provider::Gcp];

    pub fn label(self) -> &'static str {
        match self {
            Provider::Aws => "AWS",
            Provider::Azure => "Azure",
            Provider::Gcp => "Google Cloud",
        }
    }

    /// The provider's name for a customer's own billing and isolation boundary.
    pub fn account_word(self) -> &'static str {
        match self {
            Provider::Aws => "AWS accounts",
            Provider::Azure => "Azure subscriptions",
            Provider::Gcp => "Google Cloud projects",
        }
    }

    fn index(self) -> usize {
        match self {
            Provider::Aws => 0,
            Provider::Azure => 1,
            Provider::Gcp => 2,
        }
    }

    /// The provider's internet-egress rate card.
    pub fn egress(self) -> &'static EgressTable {
        match self {
            Provider::Aws => &AWS_EGRESS,
            Provider::Azure => &AZURE_EGRESS,
            Provider::Gcp => &GCP_EGRESS,
        }
    }

    /// The provider's 2024 exit-transfer waiver.
    pub fn exit_waiver(self) -> &'static ExitWaiver {
        match self {
            Provider::Aws => &EXIT_WAIVERS[0],
            Provider::Azure => &EXIT_WAIVERS[1],
            Provider::Gcp => &EXIT_WAIVERS[2],
        }
    }
}

/// A provider's published internet-egress rate card, with its date and source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EgressTable {
    pub provider: Provider,
    /// Which price: region or zone, network tier.
    pub applies_to: &'static str,
    pub as_of: &'static str,
    pub source: &'static str,
    /// Free gigabytes a month, deducted before the tiers.
    pub free_gb: f64,
    /// `(gigabytes in the tier, dollars per GB)`, in order; the last tier is unbounded.
    pub tiers: &'static [(f64, f64)],
}

/// Gigabytes in a terabyte, as the providers' tier tables count them.
pub const GB_PER_TB: f64 = 1_024.0;

/// The flat rate the model used before it priced tiers (AWS's first tier), for comparison.
pub const FLAT_EGRESS_PER_GB: f64 = 0.09;

pub const AWS_EGRESS: EgressTable = EgressTable {
    provider: Provider::Aws,
    applies_to: "us-east-1 to the internet",
    as_of: "December 2026",
    source: "Amazon Web Services, Amazon EC2 On-Demand Pricing: Data Transfer (2026); AWS Global Network FAQs \
             (100 GB free a month, aggregated across services since December 2021)",
    free_gb: 100.0,
    tiers: &[(10_240.0, 0.09), (40_960.0, 0.085), (102_400.0, 0.07), (f64::INFINITY, 0.05)],
};

pub const AZURE_EGRESS: EgressTable = EgressTable {
    provider: Provider::Azure,
    applies_to: "Zone 1 to the internet, Microsoft premium network routing",
    as_of: "December 2026",
    source: "Microsoft Azure, Bandwidth pricing (2026)",
    free_gb: 100.0,
    tiers: &[(10_240.0, 0.087), (40_960.0, 0.083), (102_400.0, 0.07), (f64::INFINITY, 0.05)],
};

pub const GCP_EGRESS: EgressTable = EgressTable {
    provider: Provider::Gcp,
    applies_to: "Premium Tier from North America to the internet",
    as_of: "December 2026",
    source: "Google Cloud, Network pricing: Premium Tier internet egress (2026)",
    free_gb: 0.0,
    tiers: &[(1_024.0, 0.12), (9_216.0, 0.11), (f64::INFINITY, 0.08)],
};

/// A provider's programme waiving egress for customers who leave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExitWaiver {
    pub provider: Provider,
    /// When it was announced ("5 March 2024").
    pub announced: &'static str,
    pub source: &'static str,
    /// The conditions, briefly.
    pub conditions: &'static str,
}

/// The 2024 exit waivers, in [`Provider::ALL`] order.
pub const EXIT_WAIVERS: [ExitWaiver; 3] = [
    ExitWaiver {
        provider: Provider::Aws,
        announced: "5 March 2024",
        source: "Amazon Web Services, Free data transfer out to internet when moving out of AWS, AWS News Blog (2024)",
        conditions: "approval by AWS support, the move completed within 60 days, credited afterwards",
    },
    ExitWaiver {
        provider: Provider::Azure,
        announced: "13 March 2024",
        source: "Microsoft Azure, Azure now offers free egress for customers leaving Azure, Azure Updates (2024)",
        conditions: "Azure Support notified, 60 days, every subscription cancelled, Azure Storage data over the internet only",
    },
    ExitWaiver {
        provider: Provider::Gcp,
        announced: "11 January 2024",
        source: "Google Cloud, Applying for free data transfer when exiting Google Cloud, cloud.google.com/exit-cloud (2024)",
        conditions: "an exit notice, Premium Tier, data in its storage and database products, the agreement terminated",
    },
];

/// The list price of sending `gb` gigabytes to the internet in one month under `t`: the free
/// allowance first, then each tier's rate on the gigabytes that fall in it. NaN and negative
/// volumes cost nothing.
pub fn egress_list_cost(t: &EgressTable, gb: f64) -> f64 {
    let mut left = if gb.is_nan() { 0.0 } else { (gb - t.free_gb).max(0.0) };
    let mut cost = 0.0;
    for &(width, rate) in t.tiers {
        if left <= 0.0 {
            break;
        }
        let here = left.min(width);
        cost += here * rate;
        left -= here;
    }
    cost
}

/// Whether a move out claims the provider's exit waiver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// A full exit that meets the waiver's conditions: no egress bill.
    Waiver,
    /// List prices: a partial move, or one that does not qualify.
    List,
}

impl Exit {
    pub const ALL: [Exit; 2] = [Exit::Waiver, Exit::List];
}

/// Points `(x, y)` of a curve.
pub type Curve = Vec<(f64, f64)>;

/// Hohpe's lock-in trade: invest `invest` now to cut a later switch from `switch_without` to
/// `switch_with`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LockIn {
    pub invest: f64,
    pub switch_without: f64,
    pub switch_with: f64,
}

impl LockIn {
    /// Expected cost without the investment at switch probability `p`: `p · S₀`.
    pub fn expected_without(&self, p: f64) -> f64 {
        p * self.switch_without
    }

    /// Expected cost with it: `I + p · S₁`.
    pub fn expected_with(&self, p: f64) -> f64 {
        self.invest + p * self.switch_with
    }

    /// The switch probability above which the investment pays, `I / (S₀ − S₁)`; `None` when it
    /// saves nothing on a switch (so it never pays). May exceed 1: it never pays within the
    /// horizon.
    pub fn break_even(&self) -> Option<f64> {
        let saved = self.switch_without - self.switch_with;
        (saved > 0.0 && saved.is_finite()).then(|| (self.invest / saved).max(0.0)).filter(|p| p.is_finite())
    }

    /// Both expected costs at `n + 1` probabilities from 0 to 1: `(p, without)`, `(p, with)`.
    pub fn curves(&self, n: usize) -> (Curve, Curve) {
        let n = n.max(1);
        let ps = (0..=n).map(|k| k as f64 / n as f64);
        (ps.clone().map(|p| (p, self.expected_without(p))).collect(), ps.map(|p| (p, self.expected_with(p))).collect())
    }
}

/// How well the team knows a provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Expertise {
    None,
    Some,
    Deep,
}

impl Expertise {
    pub const ALL: [Expertise; 3] = [Expertise::None, Expertise::Some, Expertise::Deep];

    pub fn label(self) -> &'static str {
        match self {
            Expertise::None => "no",
            Expertise::Some => "some",
            Expertise::Deep => "deep",
        }
    }

    /// The score's points for this much experience.
    pub fn points(self) -> f64 {
        match self {
            Expertise::None => 0.0,
            Expertise::Some => 20.0,
            Expertise::Deep => 40.0,
        }
    }
}

/// A customer requirement that may favour or force a provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    None,
    /// Customers run on Microsoft 365 and Entra ID (Azure AD) identity.
    MicrosoftIdentity,
    /// Customers want the product deployed in their own account on this provider.
    CustomerAccount(Provider),
    /// Data analytics at scale is the core of the product.
    AnalyticsCore,
    /// A regulated government workload (FedRAMP and the like).
    Government,
}

impl Requirement {
    /// In the order of the widget's choice.
    pub const ALL: [Requirement; 7] = [
        Requirement::None,
        Requirement::MicrosoftIdentity,
        Requirement::CustomerAccount(Provider::Aws),
        Requirement::CustomerAccount(Provider::Azure),
        Requirement::CustomerAccount(Provider::Gcp),
        Requirement::AnalyticsCore,
        Requirement::Government,
    ];

    /// Points this requirement gives provider `p`.
    pub fn points(self, p: Provider) -> f64 {
        match (self, p) {
            (Requirement::CustomerAccount(q), p) if q == p => FORCED_POINTS,
            (Requirement::MicrosoftIdentity, Provider::Azure) => 30.0,
            (Requirement::AnalyticsCore, Provider::Gcp) => 20.0,
            _ => 0.0,
        }
    }

    /// The provider this requirement forces, if any.
    pub fn forces(self) -> Option<Provider> {
        match self {
            Requirement::CustomerAccount(p) => Some(p),
            _ => None,
        }
    }
}

/// Points a forcing requirement gives its provider: more than any expertise gap (40).
pub const FORCED_POINTS: f64 = 100.0;

/// What the team will operate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operate {
    /// Mostly the provider's managed services (databases, queues, serverless).
    Managed,
    /// Kubernetes and open-source components the team runs itself.
    Portable,
}

impl Operate {
    pub const ALL: [Operate; 2] = [Operate::Managed, Operate::Portable];
}

/// Declared ranges `(min, max)`; [`CloudParams::clamped`] and [`CloudAssumptions::clamped`] force
/// values into them (NaN becomes the low end).
pub mod ranges {
    pub const ENGINEERS: (u32, u32) = (1, 500);
    pub const MONTHLY_SPEND: (f64, f64) = (1_000.0, 2_000_000.0);
    pub const DATA_TB: (f64, f64) = (0.0, 5_000.0);
    pub const LOADED_MONTHLY: (f64, f64) = (0.0, 100_000.0);
    pub const MONTHS: (f64, f64) = (0.0, 24.0);
    pub const SHARE: (f64, f64) = (0.0, 1.0);
    pub const PAYBACK_MONTHS: (f64, f64) = (1.0, 120.0);
}

fn clamp_f(x: f64, (lo, hi): (f64, f64)) -> f64 {
    crate::num::clamp_or_low(x, lo, hi)
}

/// The reader's situation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CloudParams {
    /// The team's experience with each provider, indexed like [`Provider::ALL`].
    pub expertise: [Expertise; 3],
    pub requirement: Requirement,
    pub operate: Operate,
    /// Engineers who would have to learn a new provider and move the system.
    pub engineers: u32,
    /// The cloud bill, dollars a month.
    pub monthly_spend: f64,
    /// Data stored, terabytes (1,024 GB), that a move would carry out.
    pub data_tb: f64,
    /// Whether the move claims the provider's exit waiver.
    pub exit: Exit,
    /// The chance of moving within the horizon (0–1), for the portability break-even.
    pub p_switch: f64,
}

impl CloudParams {
    /// A team of twelve that knows AWS well and Google Cloud a little, no forcing requirement,
    /// on managed services.
    pub const EXAMPLE: CloudParams = CloudParams {
        expertise: [Expertise::Deep, Expertise::None, Expertise::Some],
        requirement: Requirement::None,
        operate: Operate::Managed,
        engineers: 12,
        monthly_spend: 60_000.0,
        data_tb: 100.0,
        exit: Exit::Waiver,
        p_switch: 0.2,
    };

    /// The expertise with provider `p`.
    pub fn expertise_with(&self, p: Provider) -> Expertise {
        self.expertise[p.index()]
    }

    /// Returns the parameters with every number forced into its [`ranges`].
    pub fn clamped(mut self) -> CloudParams {
        self.engineers = self.engineers.clamp(ranges::ENGINEERS.0, ranges::ENGINEERS.1);
        self.monthly_spend = clamp_f(self.monthly_spend, ranges::MONTHLY_SPEND);
        self.data_tb = clamp_f(self.data_tb, ranges::DATA_TB);
        self.p_switch = clamp_f(self.p_switch, ranges::SHARE);
        self
    }
}

impl Default for CloudParams {
    fn default() -> Self {
        CloudParams::EXAMPLE
    }
}

/// The illustrative constants of the cost model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CloudAssumptions {
    /// Fully loaded cost of one engineer-month, dollars.
    pub loaded_monthly: f64,
    /// Months of lost productive time per engineer to learn a provider, by expertise.
    pub ramp_months_none: f64,
    pub ramp_months_some: f64,
    pub ramp_months_deep: f64,
    /// Multiplies the ramp-up on a portable stack (the Kubernetes and database skills carry over).
    pub portable_ramp_factor: f64,
    /// Engineer-months per engineer to re-platform the code, by what you operate.
    pub rework_months_managed: f64,
    pub rework_months_portable: f64,
    /// Share of the team's time spent running a portable stack yourself.
    pub self_run_share: f64,
    /// The horizon over which a switch must pay for itself.
    pub payback_months: f64,
}

impl CloudAssumptions {
    pub const ILLUSTRATIVE: CloudAssumptions = CloudAssumptions {
        loaded_monthly: 15_000.0,
        ramp_months_none: 3.0,
        ramp_months_some: 1.0,
        ramp_months_deep: 0.0,
        portable_ramp_factor: 0.5,
        rework_months_managed: 2.0,
        rework_months_portable: 0.5,
        self_run_share: 0.10,
        payback_months: 24.0,
    };

    /// Returns the assumptions with every number forced into its [`ranges`].
    pub fn clamped(mut self) -> CloudAssumptions {
        self.loaded_monthly = clamp_f(self.loaded_monthly, ranges::LOADED_MONTHLY);
        self.ramp_months_none = clamp_f(self.ramp_months_none, ranges::MONTHS);
        self.ramp_months_some = clamp_f(self.ramp_months_some, ranges::MONTHS);
        self.ramp_months_deep = clamp_f(self.ramp_months_deep, ranges::MONTHS);
        self.portable_ramp_factor = clamp_f(self.portable_ramp_factor, ranges::SHARE);
        self.rework_months_managed = clamp_f(self.rework_months_managed, ranges::MONTHS);
        self.rework_months_portable = clamp_f(self.rework_months_portable, ranges::MONTHS);
        self.self_run_share = clamp_f(self.self_run_share, ranges::SHARE);
        self.payback_months = clamp_f(self.payback_months, ranges::PAYBACK_MONTHS);
        self
    }

    /// Ramp-up months per engineer for this much experience, before the portable factor.
    pub fn ramp_months(&self, e: Expertise) -> f64 {
        match e {
            Expertise::None => self.ramp_months_none,
            Expertise::Some => self.ramp_months_some,
            Expertise::Deep => self.ramp_months_deep,
        }
    }

    /// Re-platforming months per engineer.
    pub fn rework_months(&self, o: Operate) -> f64 {
        match o {
            Operate::Managed => self.rework_months_managed,
            Operate::Portable => self.rework_months_portable,
        }
    }
}

/// `score(p)`: expertise points plus requirement points.
pub fn score(params: &CloudParams, p: Provider) -> f64 {
    params.expertise_with(p).points() + params.requirement.points(p)
}

/// The three providers with their scores, best first; ties keep [`Provider::ALL`]'s order.
pub fn ranking(params: &CloudParams) -> [(Provider, f64); 3] {
    let mut r = Provider::ALL.map(|p| (p, score(params, p)));
    // A stable insertion sort on three elements: descending score, ties in ALL's order.
    for i in 1..r.len() {
        let mut j = i;
        while j > 0 && r[j].1 > r[j - 1].1 {
            r.swap(j, j - 1);
            j -= 1;
        }
    }
    r
}

/// The one-off cost for the team to learn provider `q`: engineers × ramp-up months (halved on a
/// portable stack) × loaded monthly cost.
pub fn learning_cost(params: &CloudParams, a: &CloudAssumptions, q: Provider) -> f64 {
    let (s, a) = (params.clamped(), a.clamped());
    let factor = if s.operate == Operate::Portable { a.portable_ramp_factor } else { 1.0 };
    s.engineers as f64 * a.ramp_months(s.expertise_with(q)) * factor * a.loaded_monthly
}

/// The one-off cost of re-platforming the code: engineers × rework months × loaded monthly cost.
pub fn rework_cost(params: &CloudParams, a: &CloudAssumptions) -> f64 {
    let (s, a) = (params.clamped(), a.clamped());
    s.engineers as f64 * a.rework_months(s.operate) * a.loaded_monthly
}

/// The list price of carrying `data_tb` out of provider `from` in one month (its dated tiers).
pub fn egress_list(params: &CloudParams, from: Provider) -> f64 {
    egress_list_cost(from.egress(), params.clamped().data_tb * GB_PER_TB)
}

/// The one-off egress bill for leaving `from`: nothing under its exit waiver, else the list price.
pub fn egress_cost(params: &CloudParams, from: Provider) -> f64 {
    match params.exit {
        Exit::Waiver => 0.0,
        Exit::List => egress_list(params, from),
    }
}

/// Leaving `from` for `q`: learning `q` + re-platforming + egress out of `from`.
pub fn switching_cost(params: &CloudParams, a: &CloudAssumptions, from: Provider, q: Provider) -> f64 {
    learning_cost(params, a, q) + rework_cost(params, a) + egress_cost(params, from)
}

/// The yearly cost of running a portable stack yourself (zero on managed services).
pub fn self_run_yearly(params: &CloudParams, a: &CloudAssumptions) -> f64 {
    let (s, a) = (params.clamped(), a.clamped());
    match s.operate {
        Operate::Managed => 0.0,
        Operate::Portable => s.engineers as f64 * a.self_run_share * a.loaded_monthly * 12.0,
    }
}

/// How long a saving takes to pay back a one-off cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Payback {
    /// `cost / monthly_saving` months (0 when there is nothing to pay back or the saving is
    /// unbounded); always finite.
    Months(f64),
    /// The saving is zero, negative or undefined: it never pays back.
    Never,
}

impl Payback {
    /// A plain phrase: "in 7.5 months", "at once", "never".
    pub fn describe(self) -> String {
        match self {
            Payback::Never => "never".to_string(),
            Payback::Months(m) if m <= 0.0 => "at once".to_string(),
            Payback::Months(m) if m < 10.0 => format!("in {} months", fixed(m, 1)),
            Payback::Months(m) => format!("in {} months", grouped(m)),
        }
    }
}

/// Payback months = one-off cost / monthly saving. A cost that is not positive pays back at
/// once; a saving that is not positive (or NaN) never; an infinite saving at once; a result too
/// large to represent is reported as never.
pub fn payback(one_off_cost: f64, monthly_saving: f64) -> Payback {
    if monthly_saving.is_nan() || monthly_saving <= 0.0 {
        return Payback::Never;
    }
    if one_off_cost.is_nan() || one_off_cost <= 0.0 {
        return Payback::Months(0.0);
    }
    let m = one_off_cost / monthly_saving;
    if m.is_finite() {
        Payback::Months(m)
    } else {
        Payback::Never
    }
}

/// One ranked provider.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub provider: Provider,
    pub score: f64,
    /// Shares the top score.
    pub top: bool,
}

/// Everything the widget shows.
#[derive(Clone, Debug, PartialEq)]
pub struct CloudReport {
    /// Best first.
    pub ranking: Vec<Ranked>,
    /// The first two share the top score.
    pub tied: bool,
    /// How many providers share the top score (1, 2 or 3).
    pub top_count: usize,
    /// The provider a requirement forces, if any.
    pub forced: Option<Provider>,
    pub winner: Provider,
    pub runner_up: Provider,
    /// Dollars, one-off, for moving to the runner-up.
    pub learning: f64,
    pub rework: f64,
    pub egress: f64,
    /// What that egress would cost at list prices (whether or not the waiver applies).
    pub egress_list: f64,
    /// The same data priced at the old flat $0.09/GB.
    pub egress_flat: f64,
    pub switching: f64,
    /// The monthly saving that pays `switching` back within the horizon, dollars.
    pub saving_needed_monthly: f64,
    /// The same as a share of the monthly bill (may exceed 1: no discount is enough).
    pub saving_needed_share: f64,
    /// Payback if the runner-up were 10% cheaper.
    pub payback_at_ten_percent: Payback,
    /// Yearly cost of running a portable stack yourself (0 on managed services).
    pub self_run_yearly: f64,
    /// How much cheaper switching to the runner-up would be on a portable stack than on managed
    /// services (positive: portability saves this much, once, if you ever move).
    pub portability_saves: f64,
    /// Buying portability as Hohpe's option: running the portable stack for the horizon against
    /// the cheaper switch it buys.
    pub lockin: LockIn,
    /// The switch probability above which portability pays (`None`: it saves nothing).
    pub break_even: Option<f64>,
    /// The chance of moving the reader gave.
    pub p_switch: f64,
    /// The sentence under the ranking.
    pub verdict: String,
    /// Plain sentences: what drove the ranking and the costs.
    pub reasons: Vec<String>,
    /// Readout strings.
    pub learning_text: String,
    pub egress_text: String,
    pub switching_text: String,
    pub payback_text: String,
    pub portability_text: String,
    pub break_even_text: String,
}

fn months_text(m: f64) -> String {
    let t = if (m - m.round()).abs() < 1e-9 { grouped(m) } else { fixed(m, 1) };
    if t == "1" {
        "1 month".to_string()
    } else {
        format!("{t} months")
    }
}

fn engineers_text(n: u32) -> String {
    if n == 1 {
        "1 engineer".to_string()
    } else {
        format!("{n} engineers")
    }
}

/// Ranks the providers and prices a later move to the runner-up.
pub fn analyse(params: &CloudParams, a: &CloudAssumptions) -> CloudReport {
    let s = params.clamped();
    let a = a.clamped();
    let r = ranking(&s);
    let top_score = r[0].1;
    let ranked: Vec<Ranked> =
        r.iter().map(|&(p, sc)| Ranked { provider: p, score: sc, top: sc == top_score }).collect();
    let (winner, runner_up) = (r[0].0, r[1].0);
    let tied = r[1].1 == top_score;
    let top_count = r.iter().filter(|x| x.1 == top_score).count();
    let forced = s.requirement.forces();

    let learning = learning_cost(&s, &a, runner_up);
    let rework = rework_cost(&s, &a);
    // The move leaves the provider you chose.
    let egress = egress_cost(&s, winner);
    let egress_list = egress_list(&s, winner);
    let egress_flat = s.data_tb * GB_PER_TB * FLAT_EGRESS_PER_GB;
    let switching = learning + rework + egress;
    let saving_needed_monthly = switching / a.payback_months;
    let saving_needed_share = saving_needed_monthly / s.monthly_spend;
    let payback_at_ten_percent = payback(switching, 0.10 * s.monthly_spend);
    let self_run = self_run_yearly(&s, &a);
    let other =
        CloudParams { operate: if s.operate == Operate::Managed { Operate::Portable } else { Operate::Managed }, ..s };
    let (managed_switch, portable_switch) = match s.operate {
        Operate::Managed => (switching, switching_cost(&other, &a, winner, runner_up)),
        Operate::Portable => (switching_cost(&other, &a, winner, runner_up), switching),
    };
    let portability_saves = managed_switch - portable_switch;
    let portable_yearly = self_run_yearly(&CloudParams { operate: Operate::Portable, ..s }, &a);
    let lockin = LockIn {
        invest: portable_yearly * a.payback_months / 12.0,
        switch_without: managed_switch,
        switch_with: portable_switch,
    };
    let break_even = lockin.break_even();

    // Reasons.
    let mut reasons = Vec::new();
    let exp: Vec<String> = Provider::ALL
        .iter()
        .map(|&p| {
            let e = s.expertise_with(p);
            format!("{} with {} (+{})", e.label(), p.label(), grouped(e.points()))
        })
        .collect();
    reasons.push(format!("Team experience: {}.", exp.join(", ")));
    match s.requirement {
        Requirement::None => reasons.push(
            "No customer requirement points at a provider, so for core compute, storage and managed \
             databases the three are close to interchangeable."
                .to_string(),
        ),
        Requirement::MicrosoftIdentity => reasons.push(
            "Customers on Microsoft 365 and Entra ID: Azure integrates with that identity natively \
             (+30). AWS and Google Cloud can federate with Entra ID too, so it tilts rather than \
             decides."
                .to_string(),
        ),
        Requirement::CustomerAccount(p) => reasons.push(format!(
            "Customers want it deployed in their own {}: that decides it (+{}). Expertise elsewhere \
             becomes a cost to close, not a reason to choose differently.",
            p.account_word(),
            grouped(FORCED_POINTS)
        )),
        Requirement::AnalyticsCore => reasons.push(
            "Analytics at scale is the product: Google Cloud's BigQuery is a common reason to choose \
             it (+20), though each provider has a data warehouse, and data gravity makes the first \
             choice sticky."
                .to_string(),
        ),
        Requirement::Government => reasons.push(
            "A regulated government workload: each of the three sells government offerings, so it \
             narrows the services you may use (check each one's authorisation, e.g. FedRAMP) rather \
             than the provider."
                .to_string(),
        ),
    }
    match s.operate {
        Operate::Managed => reasons.push(format!(
            "Mostly managed services: less to run, but a move means rewriting against another \
             provider's services ({} per engineer).",
            months_text(a.rework_months_managed)
        )),
        Operate::Portable => reasons.push(format!(
            "Kubernetes and open source you run: a move is cheaper ({} of rework per engineer, \
             ramp-up halved), but running it costs about {} a year whether or not you ever move.",
            months_text(a.rework_months_portable),
            money(self_run)
        )),
    }

    let verdict = if let Some(p) = forced {
        format!(
            "{}: your customers decide. Moving away would mean leaving those customers, so the \
             switching bill below is moot.",
            p.label()
        )
    } else if top_count == Provider::ALL.len() {
        format!(
            "All three tie: for you they are broadly equivalent, so pick one and avoid needing to \
             switch. Moving later would cost about {} (illustrative).",
            money(switching)
        )
    } else if tied {
        format!(
            "{} and {} tie: for you they are broadly equivalent, so pick one and avoid needing to \
             switch. Moving later would cost about {} (illustrative).",
            winner.label(),
            runner_up.label(),
            money(switching)
        )
    } else {
        let needs = s.requirement.points(winner) > 0.0;
        let knows = s.expertise_with(winner) > s.expertise_with(runner_up);
        let why = match (needs, knows) {
            (true, true) => "because your team knows it best and your customers' needs point there too",
            (true, false) => "because of what your customers need",
            _ => "because your team knows it best",
        };
        let need = if saving_needed_share > 1.0 {
            "no discount could pay that back within two years".to_string()
        } else {
            format!(
                "it would have to be {} cheaper to pay that back within two years",
                crate::fmt::percent_fine(saving_needed_share)
            )
        };
        format!(
            "{}, {why}. Moving to {} later would cost about {} (illustrative); {need}.",
            winner.label(),
            runner_up.label(),
            money(switching)
        )
    };

    let factor = if s.operate == Operate::Portable { a.portable_ramp_factor } else { 1.0 };
    let ramp = a.ramp_months(s.expertise_with(runner_up)) * factor;
    let learning_text = format!(
        "{} ({} × {} × {})",
        money(learning),
        engineers_text(s.engineers),
        months_text(ramp),
        money(a.loaded_monthly)
    );
    let left = winner.egress();
    let egress_text = match s.exit {
        Exit::Waiver => format!(
            "$0 under {}'s exit waiver (since {}; {}); at list prices {} TB would cost {}",
            winner.label(),
            winner.exit_waiver().announced,
            winner.exit_waiver().conditions,
            grouped(s.data_tb),
            money(egress_list)
        ),
        Exit::List => format!(
            "{} for {} TB at {}'s list tiers (as of {}); a flat ${}/GB would say {}",
            money(egress_list),
            grouped(s.data_tb),
            winner.label(),
            left.as_of,
            fixed(FLAT_EGRESS_PER_GB, 2),
            money(egress_flat)
        ),
    };
    let switching_text =
        format!("{} to {}, with {} of re-platforming", money(switching), runner_up.label(), money(rework));
    let payback_text = if saving_needed_share > 1.0 {
        format!(
            "More than the whole bill: {} a month against {} spent",
            money(saving_needed_monthly),
            money(s.monthly_spend)
        )
    } else {
        format!(
            "{} cheaper ({} a month); at 10% cheaper it pays back {}",
            crate::fmt::percent_fine(saving_needed_share),
            money(saving_needed_monthly),
            payback_at_ten_percent.describe()
        )
    };
    let portability_text = format!(
        "Running it yourself costs about {} a year; it saves {} once, if you ever move",
        money(portable_yearly),
        money(portability_saves.max(0.0))
    );
    let horizon = months_text(a.payback_months);
    let at_yours = format!(
        "at your {}: {} expected without it, {} with it",
        percent(s.p_switch),
        money(lockin.expected_without(s.p_switch)),
        money(lockin.expected_with(s.p_switch))
    );
    let break_even_text = match break_even {
        Some(p) if p <= 1.0 => {
            format!("Pays if the chance of moving within {horizon} is above {}; {at_yours}", percent(p))
        }
        Some(_) => format!(
            "Never pays within {horizon}: running it costs {}, more than the {} it saves on a move; {at_yours}",
            money(lockin.invest),
            money(portability_saves.max(0.0))
        ),
        None => format!("Never pays: it would not make a move cheaper; {at_yours}"),
    };

    CloudReport {
        ranking: ranked,
        tied,
        top_count,
        forced,
        winner,
        runner_up,
        learning,
        rework,
        egress,
        egress_list,
        egress_flat,
        switching,
        saving_needed_monthly,
        saving_needed_share,
        payback_at_ten_percent,
        self_run_yearly: self_run,
        portability_saves,
        lockin,
        break_even,
        p_switch: s.p_switch,
        verdict,
        reasons,
        learning_text,
        egress_text,
        switching_text,
        payback_text,
        portability_text,
        break_even_text,
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

const EXPERTISE: &[&str] = &["none", "some", "deep"];
const EXPERTISE_LABELS: &[&str] = &["None", "Some", "Deep"];
const NEEDS: &[&str] = &["none", "m365", "acct-aws", "acct-azure", "acct-gcp", "analytics", "gov"];
const OPERATE: &[&str] = &["managed", "portable"];
const EXIT: &[&str] = &["waiver", "list"];
/// Which cloud provider fits a team, and what switching later would cost.
pub const CLOUD_FIT: WidgetSpec = WidgetSpec {
    name: "cloud-fit",
    about: crate::note::About {
        question: "Which cloud provider should we build on, given our team's skills, our customers' requirements and \
                   what we will operate, and what would moving to the runner-up later cost?",
        assumptions: &[(ASSUMPTIONS, "November 2026"), (EGRESS_FACTS, "December 2026")],
        sources: &[
            "Gregor Hohpe, Cloud Strategy: A Decision-Based Approach to Successful Cloud Migration (2020)",
            "Gregor Hohpe, Don't get locked up into avoiding lock-in, martinfowler.com (2019)",
            "Michael Armbrust et al., A View of Cloud Computing (2010)",
            "Amazon Web Services, Amazon EC2 On-Demand Pricing: Data Transfer (2026)",
            "Microsoft Azure, Bandwidth pricing (2026)",
            "Google Cloud, Network pricing (2026)",
            "Amazon Web Services, Free data transfer out to internet when moving out of AWS, AWS News Blog (2024)",
            "Microsoft Azure, Azure now offers free egress for customers leaving Azure, Azure Updates (2024)",
            "Google Cloud, Applying for free data transfer when exiting Google Cloud (2024)",
        ],
    },
    reserve_rem: 66.5,
    hot: false,
    title: "Which cloud fits?",
    params: &[
        labelled(choice("aws", "Experience with AWS", EXPERTISE, 2), EXPERTISE_LABELS),
        labelled(choice("azure", "Experience with Azure", EXPERTISE, 0), EXPERTISE_LABELS),
        labelled(choice("gcp", "Experience with Google Cloud", EXPERTISE, 1), EXPERTISE_LABELS),
        labelled(
            choice("needs", "What customers require", NEEDS, 0),
            &[
                "Nothing in particular",
                "They run on Microsoft 365 and Entra ID",
                "Deploy into their own AWS accounts",
                "Deploy into their own Azure subscriptions",
                "Deploy into their own Google Cloud projects",
                "Analytics at scale is the product",
                "A regulated government workload",
            ],
        ),
        labelled(
            choice("operate", "What you will operate", OPERATE, 0),
            &["Mostly managed services", "Kubernetes and open source, run ourselves"],
        ),
        range("engineers", "Engineers", 1.0, 500.0, 1.0, 12.0, ""),
        range("spend", "Cloud bill a month", 1_000.0, 2_000_000.0, 1_000.0, 60_000.0, "$"),
        range("data", "Data stored", 0.0, 5_000.0, 5.0, 100.0, "TB"),
        labelled(
            choice("exit", "Moving the data out", EXIT, 0),
            &["A full exit: claim the 2024 waiver", "Pay list egress (partial move, or not eligible)"],
        ),
        range("pswitch", "Chance you move within two years", 0.0, 100.0, 5.0, 20.0, "%"),
    ],
    presets: &[],
};

/// What the cloud-fit widget shows: the verdict with its reasons and the ranking with its points
/// (the page shows those beside the verdict), and the cost of switching to the runner-up.
pub fn cloud_facts(r: &CloudReport) -> Facts {
    let mut verdict = r.verdict.clone();
    for reason in &r.reasons {
        verdict.push(' ');
        verdict.push_str(reason);
    }
    let points: Vec<String> =
        r.ranking.iter().map(|x| format!("{} {} points", x.provider.label(), grouped(x.score))).collect();
    verdict += &format!(" Ranking: {}.", points.join(", "));
    Facts {
        verdict,
        readouts: vec![
            Readout::new("learning", "Team learning the runner-up", r.learning_text.clone()).wide(),
            Readout::new("egress", "Egress to move the data", r.egress_text.clone()).wide(),
            Readout::new("switching", "Switching, all in", r.switching_text.clone()).wide(),
            Readout::new("payback", "Runner-up's discount to pay back in two years", r.payback_text.clone()).wide(),
            Readout::new("portability", "A portable stack", r.portability_text.clone()).wide(),
            Readout::new("break-even", "Buying portability (Hohpe's break-even)", r.break_even_text.clone()).wide(),
        ],
        run: Vec::new(),
    }
}

/// The situation the cloud-fit widget describes.
pub fn cloud_params(state: &State) -> CloudParams {
    let e = |v: f64| Expertise::ALL[(v as usize).min(Expertise::ALL.len() - 1)];
    CloudParams {
        expertise: [
            e(value!(CLOUD_FIT, state, "aws")),
            e(value!(CLOUD_FIT, state, "azure")),
            e(value!(CLOUD_FIT, state, "gcp")),
        ],
        requirement: Requirement::ALL[(value!(CLOUD_FIT, state, "needs") as usize).min(Requirement::ALL.len() - 1)],
        operate: Operate::ALL[(value!(CLOUD_FIT, state, "operate") as usize).min(Operate::ALL.len() - 1)],
        engineers: value!(CLOUD_FIT, state, "engineers") as u32,
        monthly_spend: value!(CLOUD_FIT, state, "spend"),
        data_tb: value!(CLOUD_FIT, state, "data"),
        exit: Exit::ALL[(value!(CLOUD_FIT, state, "exit") as usize).min(Exit::ALL.len() - 1)],
        p_switch: value!(CLOUD_FIT, state, "pswitch") / 100.0,
    }
    .clamped()
}
