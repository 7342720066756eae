//! The system proxy as Windows resolves it, for when no proxy variable is set: the user's
//! Internet Options settings (what `WinHttpGetIEProxyConfigForCurrentUser` returns: the
//! static proxy list, the bypass list, a PAC address, "Automatically detect settings"), or
//! else the machine's `netsh winhttp` proxy. Automatic configuration is tried first, WPAD
//! and then the PAC address, through WinHTTP's own resolver (`WinHttpGetProxyForUrl`); if
//! neither answers, the static settings apply, as Microsoft's AutoProxy guidance says.
//! Answers are cached per scheme, host and port for the process, so a PAC script runs once
//! per host, not once per request.
//!
//! Everything here but the platform module is pure and tested on every OS: the settings
//! are a value ([`SystemSettings`]), the resolver a trait ([`AutoProxy`]). In debug builds
//! `PYV_TEST_SYSTEM_PROXY` stands in for the system ([`seam`]), so the whole path from the
//! settings to a request through a proxy is tested on Linux.

mod bypass;
mod list;
pub mod seam;

#[cfg(windows)]
#[path = "windows.rs"]
mod platform;
#[cfg(not(windows))]
#[path = "unix.rs"]
mod platform;

pub use bypass::BypassList;
pub use list::ProxyList;

use crate::route::{Decider, ProxyDecision};
use pyv_core::Env;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

/// Which of Windows' settings these are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SettingsOrigin {
    /// The user's Internet Options (Settings > Network > Proxy), read through WinHTTP.
    InternetOptions,
    /// The machine's WinHTTP proxy (`netsh winhttp set proxy`), used when the user has none.
    WinHttp,
}

impl SettingsOrigin {
    /// Where a user finds these settings.
    pub fn place(self) -> &'static str {
        match self {
            SettingsOrigin::InternetOptions => "Internet Options",
            SettingsOrigin::WinHttp => "netsh winhttp",
        }
    }
}

impl fmt::Display for SettingsOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "system settings ({})", self.place())
    }
}

/// The settings as Windows stores them (raw strings, parsed on use).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemSettings {
    pub origin: SettingsOrigin,
    /// "Automatically detect settings": WPAD (DHCP, then DNS `wpad.<domain>`).
    pub auto_detect: bool,
    /// "Use setup script": the PAC file's address (`AutoConfigURL`).
    pub pac_url: Option<String>,
    /// The static proxy list (`ProxyServer`), when "Use a proxy server" is on.
    pub server: Option<String>,
    /// The bypass list (`ProxyOverride`).
    pub bypass: Option<String>,
}

impl SystemSettings {
    /// Settings with nothing in them configure no proxy.
    pub fn is_empty(&self) -> bool {
        !self.auto_detect && self.pac_url.is_none() && self.server.is_none()
    }
}

/// How automatic configuration is asked.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AutoConfig {
    /// WPAD: let Windows find the script.
    Detect,
    /// The script at this address.
    Pac(String),
}

/// What a PAC script (or WPAD's) said for one URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PacAnswer {
    /// `DIRECT`.
    Direct,
    /// A proxy list in WinHTTP's form (`p1:8080;p2:8080`), see [`ProxyList`].
    Proxies(String),
    /// WPAD found no script: the network offers none, the usual case, which is no failure
    /// ("Automatically detect settings" is on by default in Windows).
    NoScript,
}

/// Runs automatic configuration for one URL: WinHTTP's resolver on Windows, a fixed answer
/// in tests. `Err` is why there is no answer (no script found, script failed), logged.
pub trait AutoProxy: Send + Sync {
    fn resolve(&self, url: &url::Url, how: &AutoConfig) -> Result<PacAnswer, String>;
}

/// The system proxy in effect: settings, their parsed form, the resolver and its cache.
#[derive(Clone)]
pub struct SystemProxy {
    pub settings: SystemSettings,
    pub list: ProxyList,
    pub bypass: BypassList,
    auto: Option<Arc<dyn AutoProxy>>,
    cache: Arc<Mutex<Cache>>,
}

#[derive(Default)]
struct Cache {
    decisions: HashMap<String, ProxyDecision>,
    /// Why automatic configuration gave no answer the last time it was asked.
    auto_failure: Option<String>,
}

impl fmt::Debug for SystemProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SystemProxy")
            .field("settings", &self.settings)
            .field("resolver", &self.auto.is_some())
            .finish()
    }
}

impl SystemProxy {
    /// `auto`: the resolver for PAC/WPAD; `None` where there is none (then only the static
    /// settings apply).
    pub fn new(settings: SystemSettings, auto: Option<Arc<dyn AutoProxy>>) -> SystemProxy {
        let list = ProxyList::parse(settings.server.as_deref().unwrap_or(""));
        let bypass = BypassList::parse(settings.bypass.as_deref().unwrap_or(""));
        SystemProxy {
            settings,
            list,
            bypass,
            auto,
            cache: Arc::default(),
        }
    }

    /// The decision for `url` (http or https), from the cache after the first time.
    pub fn decide(&self, url: &url::Url) -> ProxyDecision {
        let key = format!(
            "{}://{}:{}",
            url.scheme(),
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0)
        );
        if let Some(d) = self.lock().decisions.get(&key) {
            return d.clone();
        }
        // Not holding the lock while a script runs: two threads may both ask for one host,
        // and the second answer overwrites an equal first.
        let d = self.decide_uncached(url);
        self.lock().decisions.insert(key, d.clone());
        d
    }

    /// Why automatic configuration gave no answer, if it was asked and did not.
    pub fn auto_failure(&self) -> Option<String> {
        self.lock().auto_failure.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn decide_uncached(&self, url: &url::Url) -> ProxyDecision {
        let mut tries = Vec::new();
        if self.settings.auto_detect {
            tries.push(AutoConfig::Detect);
        }
        if let Some(pac) = &self.settings.pac_url {
            tries.push(AutoConfig::Pac(pac.clone()));
        }
        let mut failures = Vec::new();
        for how in tries {
            let decider = match &how {
                AutoConfig::Detect => Decider::Wpad,
                AutoConfig::Pac(u) => Decider::Pac(u.clone()),
            };
            let answer = match &self.auto {
                Some(r) => r.resolve(url, &how),
                None => Err("automatic configuration is not available here".to_string()),
            };
            match answer {
                Ok(PacAnswer::Direct) => return ProxyDecision::Direct(decider),
                Ok(PacAnswer::NoScript) => {
                    tracing::debug!(url = %url, how = %decider, "no proxy script on this network");
                }
                Ok(PacAnswer::Proxies(list)) => {
                    // A script's answer for an https URL may be a bare `PROXY p:8080`,
                    // which WinHTTP reports as `p:8080`: it serves every scheme.
                    return match ProxyList::parse(&list).for_scheme(url.scheme()) {
                        Some(p) => ProxyDecision::Proxy(p.clone(), decider),
                        None => ProxyDecision::Direct(decider),
                    };
                }
                Err(why) => {
                    tracing::debug!(url = %url, how = %decider, why = %why, "automatic proxy configuration gave no answer");
                    failures.push(format!("{decider}: {why}"));
                }
            }
        }
        if !failures.is_empty() {
            self.lock().auto_failure = Some(failures.join("; "));
        }
        self.decide_static(url)
    }

    fn decide_static(&self, url: &url::Url) -> ProxyDecision {
        let origin = Decider::System(self.settings.origin);
        if self.list.is_empty() || self.bypass.bypasses(url) {
            return ProxyDecision::Direct(origin);
        }
        match self.list.for_scheme(url.scheme()) {
            Some(p) => ProxyDecision::Proxy(p.clone(), origin),
            None => ProxyDecision::Direct(origin),
        }
    }
}

/// The system proxy settings of this user, or `None` when there are none (always, off
/// Windows, except for the test seam of debug builds).
pub fn read(env: &dyn Env) -> Option<SystemProxy> {
    if let Some(seamed) = seam::read(env) {
        return seamed;
    }
    let settings = platform::read_settings().filter(|s| !s.is_empty())?;
    Some(SystemProxy::new(settings, platform::resolver()))
}

#[cfg(test)]
mod tests;
