//! Which proxy a URL goes through: the one decision that the client (for every request),
//! the doctor's probe and the inspection handshake of a diagnosis all ask
//! ([`crate::NetConfig::proxy_for`]). Precedence:
//!
//! 1. the proxy variables (`https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY`,
//!    `all_proxy`/`ALL_PROXY`): when any is set, they decide alone;
//! 2. `NO_PROXY`, which also exempts hosts from the system proxy;
//! 3. the system proxy ([`crate::system_proxy`]: Windows' settings, PAC and WPAD);
//! 4. otherwise a direct connection.

use crate::config::NetConfig;
use crate::proxy::ProxyEndpoint;
use crate::system_proxy::SettingsOrigin;
use std::fmt;

/// Who decided. `Display`: what `pyv doctor` shows after "from".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decider {
    /// Nothing configures a proxy (or the URL is not http/https).
    Nothing,
    /// This proxy variable, as spelled in the environment (`HTTPS_PROXY`, `all_proxy`, ...).
    EnvVar(String),
    /// The host is in `NO_PROXY`.
    NoProxy,
    /// Windows' static settings (their proxy list, or their bypass list for `Direct`).
    System(SettingsOrigin),
    /// The PAC script at this address.
    Pac(String),
    /// The script WPAD found.
    Wpad,
}

impl fmt::Display for Decider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decider::Nothing => f.write_str("no proxy setting"),
            Decider::EnvVar(name) => f.write_str(name),
            Decider::NoProxy => f.write_str("NO_PROXY"),
            Decider::System(o) => o.fmt(f),
            Decider::Pac(url) => write!(f, "PAC {url}"),
            Decider::Wpad => f.write_str("WPAD"),
        }
    }
}

/// Where a request to one URL goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProxyDecision {
    Direct(Decider),
    Proxy(ProxyEndpoint, Decider),
}

impl ProxyDecision {
    pub fn endpoint(&self) -> Option<&ProxyEndpoint> {
        match self {
            ProxyDecision::Direct(_) => None,
            ProxyDecision::Proxy(p, _) => Some(p),
        }
    }

    pub fn decider(&self) -> &Decider {
        match self {
            ProxyDecision::Direct(d) | ProxyDecision::Proxy(_, d) => d,
        }
    }
}

/// The decision for `url`; see the module documentation for the order.
pub fn decide(config: &NetConfig, url: &url::Url) -> ProxyDecision {
    let scheme = url.scheme();
    if scheme != "http" && scheme != "https" {
        return ProxyDecision::Direct(Decider::Nothing);
    }
    let env = &config.proxy;
    let no_proxy = url.host_str().is_some_and(|h| env.no_proxy.matches(h));
    if !env.is_empty() {
        if no_proxy {
            return ProxyDecision::Direct(Decider::NoProxy);
        }
        let (endpoint, var) = match scheme {
            "https" => (&env.https, &env.https_var),
            _ => (&env.http, &env.http_var),
        };
        return match (endpoint, var) {
            (Some(p), Some(var)) => ProxyDecision::Proxy(p.clone(), Decider::EnvVar(var.clone())),
            (Some(p), None) => ProxyDecision::Proxy(p.clone(), Decider::Nothing),
            (None, _) => ProxyDecision::Direct(Decider::Nothing),
        };
    }
    match &config.system_proxy {
        Some(_) if no_proxy => ProxyDecision::Direct(Decider::NoProxy),
        Some(sys) => sys.decide(url),
        None => ProxyDecision::Direct(Decider::Nothing),
    }
}
