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
//! egress      = data_tb × 1000 GB × egress_per_gb
//! switching(q) = learning(q) + rework + egress
//! ```
//!
//! linear in engineers and in terabytes. The saving that pays it back within `H` months (24) is
//! `switching / H` a month, i.e. `switching / (H × monthly_spend)` of the bill, and a given monthly
//! saving `s` pays it back in `switching / s` months ([`payback`]). Running Kubernetes and open
//! source yourself makes switching cheaper but costs a share of the team's time every month
//! ([`CloudAssumptions::self_run_share`]): portability you pay for whether or not you ever move.

use crate::fmt::fixed;
use crate::fmt::{grouped, money};
use crate::note::{Facts, Readout};
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::value;

/// The dated assumptions behind [`CloudAssumptions::ILLUSTRATIVE`].
pub const ASSUMPTIONS: &str = "Illustrative numbers, November 2026, not quotes: an engineer costs \
$15,000 a month fully loaded; learning a provider the team has never used takes 3 months of \
productive time per engineer, one it knows somewhat 1 month, one it knows deeply none (halved when \
the stack is Kubernetes and open source you run yourself, whose skills carry over); re-platforming \
the code takes 2 engineer-months per engineer on managed services, 0.5 on a portable stack; \
running that portable stack yourself takes 10% of the team's time; moving data out costs $0.09 \
per GB of internet egress (list prices vary by provider, tier and destination, and providers \
have offered waivers to customers leaving; see their pricing pages); payback is judged over 24 \
months. The points are weights, not measurements: expertise none 0, some 20, deep 40; customers' \
own accounts on a provider +100; Microsoft 365 and Entra ID customers +30 for Azure; analytics \
at scale +20 for Google Cloud. Change them to your own.";

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
    pub const EGRESS_PER_GB: (f64, f64) = (0.0, 1.0);
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
    /// Data stored, terabytes (10¹² bytes), that a move would carry out.
    pub data_tb: f64,
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
    /// Internet egress, dollars per GB (10⁹ bytes).
    pub egress_per_gb: f64,
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
        egress_per_gb: 0.09,
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
        self.egress_per_gb = clamp_f(self.egress_per_gb, ranges::EGRESS_PER_GB);
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

/// The one-off egress bill for carrying `data_tb` out: TB × 1000 GB × $/GB.
pub fn egress_cost(params: &CloudParams, a: &CloudAssumptions) -> f64 {
    let (s, a) = (params.clamped(), a.clamped());
    s.data_tb * 1_000.0 * a.egress_per_gb
}

/// Learning `q` + re-platforming + egress.
pub fn switching_cost(params: &CloudParams, a: &CloudAssumptions, q: Provider) -> f64 {
    learning_cost(params, a, q) + rework_cost(params, a) + egress_cost(params, a)
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
    /// The provider a requirement forces, if any.
    pub forced: Option<Provider>,
    pub winner: Provider,
    pub runner_up: Provider,
    /// Dollars, one-off, for moving to the runner-up.
    pub learning: f64,
    pub rework: f64,
    pub egress: f64,
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
    let forced = s.requirement.forces();

    let learning = learning_cost(&s, &a, runner_up);
    let rework = rework_cost(&s, &a);
    let egress = egress_cost(&s, &a);
    let switching = learning + rework + egress;
    let saving_needed_monthly = switching / a.payback_months;
    let saving_needed_share = saving_needed_monthly / s.monthly_spend;
    let payback_at_ten_percent = payback(switching, 0.10 * s.monthly_spend);
    let self_run = self_run_yearly(&s, &a);
    let other =
        CloudParams { operate: if s.operate == Operate::Managed { Operate::Portable } else { Operate::Managed }, ..s };
    let (managed_switch, portable_switch) = match s.operate {
        Operate::Managed => (switching, switching_cost(&other, &a, runner_up)),
        Operate::Portable => (switching_cost(&other, &a, runner_up), switching),
    };
    let portability_saves = managed_switch - portable_switch;

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
    let egress_text = format!("{} ({} TB × ${}/GB)", money(egress), grouped(s.data_tb), fixed(a.egress_per_gb, 2));
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
    let portable_yearly = self_run_yearly(&CloudParams { operate: Operate::Portable, ..s }, &a);
    let portability_text = format!(
        "Running it yourself costs about {} a year; it saves {} once, if you ever move",
        money(portable_yearly),
        money(portability_saves.max(0.0))
    );

    CloudReport {
        ranking: ranked,
        tied,
        forced,
        winner,
        runner_up,
        learning,
        rework,
        egress,
        switching,
        saving_needed_monthly,
        saving_needed_share,
        payback_at_ten_percent,
        self_run_yearly: self_run,
        portability_saves,
        verdict,
        reasons,
        learning_text,
        egress_text,
        switching_text,
        payback_text,
        portability_text,
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

const EXPERTISE: &[&str] = &["none", "some", "deep"];
const EXPERTISE_LABELS: &[&str] = &["None", "Some", "Deep"];
const NEEDS: &[&str] = &["none", "m365", "acct-aws", "acct-azure", "acct-gcp", "analytics", "gov"];
const OPERATE: &[&str] = &["managed", "portable"];
/// Which cloud provider fits a team, and what switching later would cost.
pub const CLOUD_FIT: WidgetSpec = WidgetSpec {
    name: "cloud-fit",
    about: crate::note::About {
        question: "Which cloud provider should we build on, given our team's skills, our customers' requirements and \
                   what we will operate, and what would moving to the runner-up later cost?",
        assumptions: &[(ASSUMPTIONS, "November 2026")],
        sources: &[
            "Gregor Hohpe, Cloud Strategy: A Decision-Based Approach to Successful Cloud Migration (2020)",
            "Michael Armbrust et al., A View of Cloud Computing (2010)",
            "Amazon Web Services, Amazon EC2 On-Demand Pricing: Data Transfer (2026)",
        ],
    },
    reserve_rem: 43.0,
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
    }
    .clamped()
}
