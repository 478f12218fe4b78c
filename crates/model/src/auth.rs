//! Sessions against self-contained tokens: what a lookup per request buys (revocation that works
//! on the next request) and what skipping it costs (a revoked or stolen access token that keeps
//! working until it expires).
//!
//! Closed forms, no simulation in the widget's path. With `users` active users each making `r`
//! requests a second (`r = requests_per_user_per_min / 60`) and an access-token lifetime `L`
//! seconds:
//!
//! ```text
//! requests/s          = users × r
//! refreshes/s         = users × min(1 / L, r)        (JWT: one refresh per lifetime while active,
//!                                                      never more than one per request)
//! store lookups/s     = requests/s                   (server sessions: every request)
//!                     = refreshes/s                  (plain JWT: only the refresh-token check)
//!                     = requests/s + refreshes/s     (JWT + denylist: every request, and refreshes)
//! revocation window   = 0                            (sessions, denylist: the next request fails)
//!                     = L − U,  U ~ Uniform(0, L)    (plain JWT: the access token's remaining life)
//!   mean = L / 2, worst = L
//! ```
//!
//! The window is measured from the moment the server revokes (logout, password reset, a stolen
//! token reported): it is how long the credential still works after you have acted, not how long
//! a thief goes unnoticed. A session or denylist entry that services cache for a while, and any
//! clock-skew leeway on `exp`, add to these figures; the model leaves both out (see
//! [`ASSUMPTIONS`]).
//!
//! [`simulate_exposure`] draws revocation moments with a seeded [`Rng`] so the tests can check the
//! closed form against a simulation.

use crate::fmt::fixed;
use crate::note::{Facts, Readout};
use crate::rng::Rng;
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::value;

/// Where the state lives and what a request checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mechanism {
    /// An opaque session id in a cookie; every request looks the session up in a shared store.
    Sessions,
    /// A signed, self-contained access token (JWT) verified locally, renewed with a refresh token
    /// the server checks (and can revoke) at each refresh.
    Jwt,
    /// The same tokens, plus a denylist of revoked token ids checked in a shared store on every
    /// request.
    JwtDenylist,
}

impl Mechanism {
    /// In the order a widget offers them.
    pub const ALL: [Mechanism; 3] = [Mechanism::Sessions, Mechanism::Jwt, Mechanism::JwtDenylist];

    /// A short name for prose.
    pub fn label(self) -> &'static str {
        match self {
            Mechanism::Sessions => "server sessions",
            Mechanism::Jwt => "JWT access + refresh tokens",
            Mechanism::JwtDenylist => "JWT + revocation denylist",
        }
    }

    /// Whether the access token is checked against a shared store on every request.
    pub fn looks_up_every_request(self) -> bool {
        !matches!(self, Mechanism::Jwt)
    }
}

/// The dated assumptions behind the figures.
pub const ASSUMPTIONS: &str = "Illustrative: every active user keeps making requests at the \
given rate; a JWT client refreshes its access token once per lifetime while active (never more \
than once per request), and each refresh checks the refresh token in the same store; revocation \
happens at a uniformly random moment of the access token's life. Not modelled: a session or \
denylist cached by the services for a few seconds (which adds that long to the window), clock-skew \
leeway on the token's expiry (RFC 7519 allows a few minutes), the CPU cost of verifying a \
signature on every request, logins, and stores that replicate with lag.";

/// Declared ranges `(min, max)` of every parameter; [`AuthParams::clamped`] forces values into
/// them (NaN becomes the low end).
pub mod ranges {
    /// One second to a week.
    pub const ACCESS_LIFETIME_S: (f64, f64) = (1.0, 604_800.0);
    pub const USERS: (f64, f64) = (1.0, 100_000_000.0);
    /// One request an hour to ten a second.
    pub const REQUESTS_PER_USER_PER_MIN: (f64, f64) = (1.0 / 60.0, 600.0);
    pub const LOOKUP_MS: (f64, f64) = (0.0, 1_000.0);
}

/// The parameters of the comparison.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AuthParams {
    pub mechanism: Mechanism,
    /// How long an access token (or, for sessions, nothing: the session is checked each time)
    /// is accepted after it is issued, in seconds.
    pub access_lifetime_s: f64,
    /// Users active at once.
    pub users: f64,
    /// API requests each active user makes per minute.
    pub requests_per_user_per_min: f64,
    /// One round trip to the session (or denylist, or refresh-token) store, in milliseconds.
    pub lookup_ms: f64,
    /// Each access token's lifetime drawn uniformly between `access_lifetime_s` and 1.5× it
    /// (Microsoft Entra ID's default: 60–90 minutes) rather than fixed.
    pub random_lifetime: bool,
    /// What the authorization server does with a refresh token when it is used.
    pub refresh: RefreshPolicy,
}

/// What the authorization server does with a refresh token when it is redeemed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshPolicy {
    /// The same refresh token works again and again until it expires.
    NoRotation,
    /// Each use returns a new refresh token and retires the old one (a retired one is refused).
    Rotation,
    /// Rotation, and a retired token presented again revokes the whole family (RFC 9700).
    ReuseDetection,
}

impl RefreshPolicy {
    pub const ALL: [RefreshPolicy; 3] =
        [RefreshPolicy::NoRotation, RefreshPolicy::Rotation, RefreshPolicy::ReuseDetection];
}

/// How long a refresh token lives (30 days).
pub const REFRESH_LIFETIME_S: f64 = 2_592_000.0;
/// When the attacker redeems the stolen refresh token, seconds after the theft (the client got
/// both tokens at 0).
pub const ATTACKER_REDEEMS_S: f64 = 120.0;
/// A random lifetime is drawn up to this multiple of the set one (Entra: 60 to 90 minutes).
pub const RANDOM_SPREAD: f64 = 1.5;

impl AuthParams {
    /// Server-side sessions: a store lookup per request.
    pub const SESSIONS: AuthParams = AuthParams {
        mechanism: Mechanism::Sessions,
        access_lifetime_s: 900.0,
        users: 10_000.0,
        requests_per_user_per_min: 6.0,
        lookup_ms: 1.0,
        random_lifetime: false,
        refresh: RefreshPolicy::NoRotation,
    };
    /// The common hybrid: 15-minute JWT access tokens and a revocable refresh token.
    pub const JWT: AuthParams = AuthParams { mechanism: Mechanism::Jwt, ..AuthParams::SESSIONS };
    /// The same tokens checked against a denylist on every request.
    pub const JWT_DENYLIST: AuthParams = AuthParams { mechanism: Mechanism::JwtDenylist, ..AuthParams::SESSIONS };
    /// Day-long access tokens: few refreshes, a day-long revocation window.
    pub const LONG_JWT: AuthParams = AuthParams { access_lifetime_s: 86_400.0, ..AuthParams::JWT };
    /// Entra ID's default: access tokens of 60 to 90 minutes, drawn at random.
    pub const ENTRA: AuthParams = AuthParams { access_lifetime_s: 3_600.0, random_lifetime: true, ..AuthParams::JWT };
    /// The hybrid done as RFC 9700 asks for public clients: refresh tokens rotated on every use,
    /// a reused one revoking the family.
    pub const ROTATED: AuthParams = AuthParams { refresh: RefreshPolicy::ReuseDetection, ..AuthParams::JWT };

    /// The mean access-token lifetime, seconds: the set one, or the middle of the random range.
    pub fn mean_lifetime_s(&self) -> f64 {
        let l = self.clamped().access_lifetime_s;
        if self.random_lifetime {
            l * (1.0 + RANDOM_SPREAD) / 2.0
        } else {
            l
        }
    }
    /// The longest an access token can live, seconds.
    pub fn max_lifetime_s(&self) -> f64 {
        let l = self.clamped().access_lifetime_s;
        if self.random_lifetime {
            l * RANDOM_SPREAD
        } else {
            l
        }
    }

    /// The presets in the order a widget offers them.
    pub const PRESETS: [(&'static str, AuthParams); 6] = [
        ("sessions", AuthParams::SESSIONS),
        ("jwt", AuthParams::JWT),
        ("denylist", AuthParams::JWT_DENYLIST),
        ("long-jwt", AuthParams::LONG_JWT),
        ("entra", AuthParams::ENTRA),
        ("rotated", AuthParams::ROTATED),
    ];

    /// The parameters with every field forced into its [`ranges`] (NaN becomes the low end).
    pub fn clamped(mut self) -> AuthParams {
        let c = crate::num::clamp_or_low;
        self.access_lifetime_s = c(self.access_lifetime_s, ranges::ACCESS_LIFETIME_S.0, ranges::ACCESS_LIFETIME_S.1);
        self.users = c(self.users, ranges::USERS.0, ranges::USERS.1);
        self.requests_per_user_per_min =
            c(self.requests_per_user_per_min, ranges::REQUESTS_PER_USER_PER_MIN.0, ranges::REQUESTS_PER_USER_PER_MIN.1);
        self.lookup_ms = c(self.lookup_ms, ranges::LOOKUP_MS.0, ranges::LOOKUP_MS.1);
        self
    }
}

/// API requests per second from all active users.
pub fn requests_per_s(p: &AuthParams) -> f64 {
    let p = p.clamped();
    p.users * p.requests_per_user_per_min / 60.0
}

/// Access-token refreshes per second for a lifetime of `lifetime_s` (the mechanism aside): one
/// per user per lifetime, never more than one per request.
pub fn refreshes_per_s_at(p: &AuthParams, lifetime_s: f64) -> f64 {
    let p = p.clamped();
    let l = crate::num::clamp_or_low(lifetime_s, ranges::ACCESS_LIFETIME_S.0, f64::MAX);
    let per_user = (1.0 / l).min(p.requests_per_user_per_min / 60.0);
    p.users * per_user
}

/// Store lookups per second for a mechanism at a lifetime.
pub fn lookups_per_s_at(p: &AuthParams, mechanism: Mechanism, lifetime_s: f64) -> f64 {
    match mechanism {
        Mechanism::Sessions => requests_per_s(p),
        Mechanism::Jwt => refreshes_per_s_at(p, lifetime_s),
        Mechanism::JwtDenylist => requests_per_s(p) + refreshes_per_s_at(p, lifetime_s),
    }
}

/// How long a credential keeps working after the server revokes it at a uniformly random moment
/// of its life: `(mean, worst)` in seconds.
pub fn revocation_window_s(p: &AuthParams) -> (f64, f64) {
    let p = p.clamped();
    match p.mechanism {
        Mechanism::Sessions | Mechanism::JwtDenylist => (0.0, 0.0),
        Mechanism::Jwt if p.random_lifetime => (
            crate::secrets::mean_remaining_uniform_lifetime(p.access_lifetime_s, p.max_lifetime_s()),
            p.max_lifetime_s(),
        ),
        Mechanism::Jwt => (p.access_lifetime_s / 2.0, p.access_lifetime_s),
    }
}

/// What a stolen refresh token buys under a [`RefreshPolicy`]: the theft at 0 (the client got
/// its tokens then), the attacker's first redemption at [`ATTACKER_REDEEMS_S`], the client's
/// next at its access token's expiry. Seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theft {
    pub policy: RefreshPolicy,
    /// When the attacker redeems the stolen refresh token.
    pub attacker_redeems_s: f64,
    /// When the legitimate client redeems its own copy.
    pub client_redeems_s: f64,
    /// Whether the attacker's first redemption succeeded.
    pub attacker_got_tokens: bool,
    /// When the server revoked the token family (reuse detected), if it did.
    pub family_revoked_s: Option<f64>,
    /// Whether the legitimate client was refused (and must log in again).
    pub client_refused: bool,
    /// Until when the attacker keeps refreshing (the refresh token's expiry, or the revocation).
    pub refreshing_until_s: f64,
    /// The attacker's last valid moment: when its last access token expires (0 if it never got one).
    pub last_valid_s: f64,
}

/// The refresh-token theft under `p`'s policy, with access tokens of `p`'s mean lifetime.
pub fn refresh_theft(p: &AuthParams) -> Theft {
    let l = p.mean_lifetime_s();
    let (a, c) = (ATTACKER_REDEEMS_S, l);
    // Refreshing every lifetime from `from` while the refresh token lives: the last access token
    // is minted at the last redemption before it expires.
    let keeps_refreshing = |from: f64| {
        let k = ((REFRESH_LIFETIME_S - from) / l).ceil().max(1.0) - 1.0;
        from + k * l + l
    };
    let base = Theft {
        policy: p.refresh,
        attacker_redeems_s: a,
        client_redeems_s: c,
        attacker_got_tokens: true,
        family_revoked_s: None,
        client_refused: false,
        refreshing_until_s: REFRESH_LIFETIME_S,
        last_valid_s: keeps_refreshing(a),
    };
    let attacker_first = a < c;
    match p.refresh {
        RefreshPolicy::NoRotation => base,
        // The first to redeem holds the chain; the other's copy is retired.
        RefreshPolicy::Rotation if attacker_first => Theft { client_refused: true, ..base },
        RefreshPolicy::Rotation => {
            Theft { attacker_got_tokens: false, refreshing_until_s: a, last_valid_s: 0.0, ..base }
        }
        // The second redemption presents a retired token: the family is revoked then, and the
        // access token already minted lives on to its expiry.
        RefreshPolicy::ReuseDetection if attacker_first => Theft {
            family_revoked_s: Some(c),
            client_refused: true,
            refreshing_until_s: c,
            last_valid_s: a + l,
            ..base
        },
        RefreshPolicy::ReuseDetection => Theft {
            attacker_got_tokens: false,
            family_revoked_s: Some(a),
            client_refused: true,
            refreshing_until_s: a,
            last_valid_s: 0.0,
            ..base
        },
    }
}

impl Theft {
    /// The attacker's window from the theft, seconds.
    pub fn window_s(&self) -> f64 {
        self.last_valid_s
    }
    /// What happened, in order, as `(seconds, what)`.
    pub fn events(&self) -> Vec<(f64, String)> {
        let d = |s: f64| crate::fmt::duration(s, crate::fmt::Unit::S);
        let mut v = vec![(0.0, "refresh token stolen".to_string())];
        if self.attacker_got_tokens {
            v.push((self.attacker_redeems_s, "attacker redeems it and gets a fresh access token".into()));
        } else {
            v.push((
                self.attacker_redeems_s,
                "attacker presents the stolen token: refused, it was already rotated".into(),
            ));
        }
        let client = match (self.policy, self.attacker_got_tokens) {
            (RefreshPolicy::NoRotation, _) => "client refreshes as usual: both keep working",
            (RefreshPolicy::Rotation, true) => {
                "client's token was retired: the client is logged out, the attacker keeps the session"
            }
            (RefreshPolicy::ReuseDetection, true) => {
                "client presents its retired token: reuse detected, the whole family revoked"
            }
            (_, false) => "client refreshed first",
        };
        v.push((self.client_redeems_s, client.into()));
        if self.attacker_got_tokens {
            let what = if self.family_revoked_s.is_some() {
                "attacker's last access token expires: its last valid moment".to_string()
            } else {
                format!("refresh token expires ({}): the attacker's last access token runs out", d(REFRESH_LIFETIME_S))
            };
            v.push((self.last_valid_s, what));
        }
        crate::num::sort::short_stable_by_key(&mut v, |e| e.0 as u64);
        v
    }
    /// The events as the widget lists them: "at 2 min: attacker redeems it …".
    pub fn event_lines(&self) -> Vec<String> {
        self.events()
            .into_iter()
            .map(|(t, what)| format!("at {}: {what}", crate::fmt::duration(t, crate::fmt::Unit::S)))
            .collect()
    }
    /// Where `t` falls on the widget's timeline, 0 to 1: a logarithmic axis in minutes from the
    /// theft to a little past the attacker's last valid moment (or the client's redemption), so
    /// minutes and a 30-day refresh token fit on one line.
    pub fn position(&self, t: f64) -> f64 {
        let end = self.last_valid_s.max(self.client_redeems_s).max(self.attacker_redeems_s) * 1.2;
        let f = |x: f64| libm::log1p(x.max(0.0) / 60.0);
        crate::num::clamp(f(t) / f(end), 0.0, 1.0)
    }
    /// The outcome in one line.
    pub fn text(&self) -> String {
        let d = |s: f64| crate::fmt::duration(s, crate::fmt::Unit::S);
        match (self.attacker_got_tokens, self.family_revoked_s) {
            (false, _) => "the attacker gets nothing: the client had already rotated the token".into(),
            (true, Some(r)) => format!("valid until {} (family revoked at {})", d(self.last_valid_s), d(r)),
            (true, None) => {
                format!("valid until {}: refreshing for the refresh token's whole life", d(self.last_valid_s))
            }
        }
    }
}

/// What a Monte Carlo run of revocations found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exposure {
    pub samples: u32,
    /// Mean seconds a revoked token kept working.
    pub mean_s: f64,
    /// The longest seen.
    pub max_s: f64,
}

/// Revokes `samples` plain-JWT access tokens of `lifetime_s` at uniformly random moments of
/// their lives and measures how long each keeps working. Seeded; at most a million samples.
pub fn simulate_exposure(lifetime_s: f64, samples: u32, seed: u64) -> Exposure {
    let l = crate::num::clamp_or_low(lifetime_s, ranges::ACCESS_LIFETIME_S.0, ranges::ACCESS_LIFETIME_S.1);
    let n = samples.clamp(1, 1_000_000);
    let mut rng = Rng::new(seed);
    let (mut sum, mut max) = (0.0, 0.0f64);
    for _ in 0..n {
        // Issued at 0, revoked at u: it is accepted until it expires at l.
        let revoked_at = rng.uniform_range(0.0, l);
        let left = l - revoked_at;
        sum += left;
        max = max.max(left);
    }
    Exposure { samples: n, mean_s: sum / f64::from(n), max_s: max }
}

/// Everything the widget shows.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthReport {
    pub params: AuthParams,
    pub requests_per_s: f64,
    /// Access-token refreshes per second (0 for server sessions, which have none).
    pub refreshes_per_s: f64,
    /// Round trips to the shared store per second.
    pub lookups_per_s: f64,
    /// What server sessions would cost at the same load (every request).
    pub session_lookups_per_s: f64,
    /// Store lookups per API request.
    pub lookups_per_request: f64,
    /// Store latency added to each API request (a refresh is a separate call, not on the path).
    pub added_latency_ms: f64,
    /// Mean seconds a credential keeps working after revocation.
    pub window_mean_s: f64,
    /// The longest it can keep working.
    pub window_worst_s: f64,
    /// For JWT, how long revoked-token ids must stay on a denylist (the access token's lifetime);
    /// 0 when there is no denylist.
    pub denylist_retention_s: f64,
    /// What a stolen refresh token buys under the refresh policy (JWT mechanisms).
    pub theft: Theft,
    /// The plain-language verdict.
    pub verdict: String,
}

/// Computes the report for `p` (clamped first).
pub fn analyse(p: &AuthParams) -> AuthReport {
    let p = p.clamped();
    let requests = requests_per_s(&p);
    let refreshes = match p.mechanism {
        Mechanism::Sessions => 0.0,
        _ => refreshes_per_s_at(&p, p.mean_lifetime_s()),
    };
    let lookups = lookups_per_s_at(&p, p.mechanism, p.mean_lifetime_s());
    let per_request = if requests > 0.0 { lookups / requests } else { 0.0 };
    let added = if p.mechanism.looks_up_every_request() { p.lookup_ms } else { 0.0 };
    let (mean, worst) = revocation_window_s(&p);
    let retention = if p.mechanism == Mechanism::JwtDenylist { p.max_lifetime_s() } else { 0.0 };
    let verdict = match p.mechanism {
        Mechanism::Sessions => format!(
            "Every request looks up its session: {} store lookups a second, {} ms added to each. \
             In return, logout and revocation take effect on the very next request, because the \
             record is gone.",
            rate(requests),
            fixed(p.lookup_ms, 1)
        ),
        Mechanism::Jwt => {
            let halved = refreshes_per_s_at(&p, p.mean_lifetime_s() / 2.0);
            let next = if halved > lookups * (1.0 + 1e-9) {
                format!(
                    "Halving the lifetime to {} would mean {} refreshes a second.",
                    crate::fmt::duration(p.access_lifetime_s / 2.0, crate::fmt::Unit::S),
                    rate(halved)
                )
            } else {
                "At this lifetime every request needs a refresh: the load of sessions without \
                 their instant logout."
                    .to_string()
            };
            format!(
                "The store sees only refreshes: {} lookups a second instead of {}. The price: a \
                 revoked or stolen access token keeps working for up to {} after you revoke it \
                 ({} on average). {next}",
                rate(lookups),
                rate(requests),
                crate::fmt::duration(worst, crate::fmt::Unit::S),
                crate::fmt::duration(mean, crate::fmt::Unit::S),
            )
        }
        Mechanism::JwtDenylist => format!(
            "Checking a denylist on every request brings back a lookup per request ({} a second \
             with the refreshes, {} ms each): you have rebuilt sessions, with tokens on top. \
             Revocation now works on the next request, and a revoked token's id must stay listed \
             for {}, until it would have expired.",
            rate(lookups),
            fixed(p.lookup_ms, 1),
            crate::fmt::duration(retention, crate::fmt::Unit::S)
        ),
    };
    AuthReport {
        params: p,
        requests_per_s: requests,
        refreshes_per_s: refreshes,
        lookups_per_s: lookups,
        session_lookups_per_s: requests,
        lookups_per_request: per_request,
        added_latency_ms: added,
        window_mean_s: mean,
        window_worst_s: worst,
        denylist_retention_s: retention,
        theft: refresh_theft(&p),
        verdict,
    }
}

/// Points `(lifetime in minutes, refreshes/s)` of the refresh curve.
pub type Curve = Vec<(f64, f64)>;

/// The lifetimes the trade-off chart spans, in seconds: from a tenth of the current lifetime (at
/// least a minute) to twice it (at least ten minutes, at most a day), so the curve keeps its
/// shape whatever the setting.
pub fn chart_range_s(p: &AuthParams) -> (f64, f64) {
    let l = p.clamped().access_lifetime_s;
    let hi = crate::num::clamp(l * 2.0, 600.0, 86_400.0);
    let lo = (l / 10.0).max(60.0).min(hi / 2.0);
    (lo, hi)
}

/// The trade-off curve: JWT refreshes a second (the store load of plain JWT) against the access
/// token's lifetime, which is also its worst-case revocation window. `points` lifetimes spaced
/// geometrically over `(lo_s, hi_s)`, as `(minutes, refreshes/s)`.
pub fn refresh_curve(p: &AuthParams, (lo_s, hi_s): (f64, f64), points: usize) -> Curve {
    let (min, max) = ranges::ACCESS_LIFETIME_S;
    let hi = crate::num::clamp_or_low(hi_s, min, max);
    let lo = crate::num::clamp_or_low(lo_s, min, max).min(hi);
    let n = points.clamp(2, 1_000);
    (0..n)
        .map(|i| {
            let f = i as f64 / (n - 1) as f64;
            let l = if hi > lo { lo * libm::pow(hi / lo, f) } else { lo };
            (l / 60.0, refreshes_per_s_at(p, l))
        })
        .collect()
}

/// A rate for prose: whole numbers with thousands separators from 100 up, more decimals below.
pub fn rate(x: f64) -> String {
    let x = if x.is_finite() && x > 0.0 { x } else { 0.0 };
    if x >= 100.0 {
        crate::fmt::grouped(x)
    } else if x >= 10.0 {
        fixed(x, 1)
    } else if x >= 0.01 || x == 0.0 {
        fixed(x, 2)
    } else {
        "under 0.01".into()
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// What a token-lifetime preset sets: the mechanism and access-token lifetime of one of
/// [`AuthParams::PRESETS`] (the load stays as the reader set it).
const fn mechanism(p: &AuthParams) -> [(&'static str, f64); 4] {
    [
        ("mech", p.mechanism as u8 as f64),
        ("lifetime", p.access_lifetime_s / 60.0),
        ("expiry", p.random_lifetime as u8 as f64),
        ("refresh", p.refresh as u8 as f64),
    ]
}

const MECHANISMS: &[&str] = &["sessions", "jwt", "denylist"];
/// Sessions against JWTs: store lookups against how long a revoked token keeps working.
pub const TOKEN_LIFETIME: WidgetSpec = WidgetSpec {
    name: "token-lifetime",
    about: crate::note::About {
        question: "Should our services check server sessions, self-contained JWTs or JWTs with a denylist, and how long \
                   may a revoked token keep working for the store lookups we save?",
        assumptions: &[(ASSUMPTIONS, "")],
        sources: &[
            "M. Jones, J. Bradley, N. Sakimura, JSON Web Token (JWT), RFC 7519 (2015)",
            "D. Hardt (ed.), The OAuth 2.0 Authorization Framework, RFC 6749 (2012)",
            "T. Lodderstedt, J. Bradley, A. Labunets, D. Fett, Best Current Practice for OAuth 2.0 Security, RFC 9700 (2025)",
            "OWASP, Session Management Cheat Sheet (2024)",
        ],
    },
    reserve_rem: 63.5,
    hot: false,
    title: "Token lifetime and revocation",
    params: &[
        labelled(
            choice("mech", "Mechanism", MECHANISMS, 1),
            &[
                "Server sessions (cookie, store lookup)",
                "JWT access token + refresh token",
                "JWT + revocation denylist",
            ],
        ),
        range("lifetime", "Access-token lifetime", 1.0, 1_440.0, 1.0, 15.0, "min"),
        range("users", "Active users", 100.0, 1_000_000.0, 100.0, 10_000.0, ""),
        range("rpm", "Requests per user per minute", 1.0, 120.0, 1.0, 6.0, ""),
        range("lookup", "Store lookup latency", 0.1, 20.0, 0.1, 1.0, "ms"),
        labelled(
            choice("expiry", "Access-token expiry", &["fixed", "random"], 0),
            &["fixed", "random, up to 1.5× (Entra-style 60–90 min)"],
        ),
        labelled(
            choice("refresh", "Refresh tokens", &["reused", "rotated", "detect"], 0),
            &["reused until they expire", "rotated on every use", "rotated, reuse revokes the family"],
        ),
    ],
    presets: &[
        ("sessions", &mechanism(&AuthParams::SESSIONS)),
        ("jwt", &mechanism(&AuthParams::JWT)),
        ("denylist", &mechanism(&AuthParams::JWT_DENYLIST)),
        ("long-jwt", &mechanism(&AuthParams::LONG_JWT)),
        ("entra", &mechanism(&AuthParams::ENTRA)),
        ("rotated", &mechanism(&AuthParams::ROTATED)),
    ],
};

/// How long a revoked token keeps working, as the widget says it: "up to 15 min (7.5 min on
/// average)", or "until its next request" when every request checks the store.
pub fn revocation_window(r: &AuthReport) -> String {
    if r.window_worst_s > 0.0 {
        format!(
            "up to {} ({} on average)",
            crate::fmt::duration(r.window_worst_s, crate::fmt::Unit::S),
            crate::fmt::duration(r.window_mean_s, crate::fmt::Unit::S)
        )
    } else {
        "until its next request".into()
    }
}

/// The refresh-token theft as the widget says it ("no refresh tokens" for sessions).
pub fn theft_text(r: &AuthReport) -> String {
    if r.params.mechanism == Mechanism::Sessions {
        "no refresh tokens: a stolen session id works until the session is deleted".into()
    } else {
        r.theft.text()
    }
}

/// What the token-lifetime widget shows: the verdict and its key numbers.
pub fn auth_facts(r: &AuthReport) -> Facts {
    let refreshes = if r.params.mechanism == Mechanism::Sessions {
        "none".into()
    } else {
        format!("{}/s", rate(r.refreshes_per_s))
    };
    Facts {
        verdict: r.verdict.clone(),
        readouts: vec![
            Readout::new("requests", "API requests", format!("{}/s", rate(r.requests_per_s))),
            Readout::new("lookups", "Store lookups", format!("{}/s", rate(r.lookups_per_s))),
            Readout::new(
                "per-request",
                "Lookups per request",
                fixed(r.lookups_per_request, if r.lookups_per_request < 0.1 { 3 } else { 2 }),
            ),
            Readout::new("refreshes", "Token refreshes", refreshes),
            Readout::new("latency", "Store latency per request", format!("+{} ms", fixed(r.added_latency_ms, 1))),
            Readout::new("window", "A revoked token keeps working", revocation_window(r)).wide(),
            Readout::new("theft", "A stolen refresh token", theft_text(r)).wide(),
        ],
        run: Vec::new(),
    }
}

/// Auth parameters for a token-lifetime state.
pub fn auth_params(state: &State) -> AuthParams {
    AuthParams {
        mechanism: Mechanism::ALL[(value!(TOKEN_LIFETIME, state, "mech") as usize).min(Mechanism::ALL.len() - 1)],
        access_lifetime_s: value!(TOKEN_LIFETIME, state, "lifetime") * 60.0,
        users: value!(TOKEN_LIFETIME, state, "users"),
        requests_per_user_per_min: value!(TOKEN_LIFETIME, state, "rpm"),
        lookup_ms: value!(TOKEN_LIFETIME, state, "lookup"),
        random_lifetime: value!(TOKEN_LIFETIME, state, "expiry") != 0.0,
        refresh: RefreshPolicy::ALL
            [(value!(TOKEN_LIFETIME, state, "refresh") as usize).min(RefreshPolicy::ALL.len() - 1)],
    }
    .clamped()
}
