//! `PYV_TEST_SYSTEM_PROXY`: what the end-to-end tests use instead of Windows' settings, so
//! the path from system settings to a request is exercised on every OS. Debug builds only:
//! a release build never reads it. `|`-separated `key=value` pairs (the proxy and bypass
//! lists use `;` themselves):
//!
//! - `server=<ProxyServer>`, `bypass=<ProxyOverride>`, `pac=<AutoConfigURL>`, `detect=1`;
//! - `origin=winhttp` for `netsh winhttp` settings (default: Internet Options);
//! - `answer=<what the PAC script returns>`: `DIRECT`, a proxy list, or absent for a script
//!   that gives no answer (for WPAD: no script on the network).
//!
//! `none` (or an empty value) stands for "no system proxy", which also keeps a Windows test
//! run away from the machine's real settings.

use super::{AutoConfig, AutoProxy, PacAnswer, SettingsOrigin, SystemProxy, SystemSettings};
use pyv_core::Env;
use std::sync::Arc;

pub const VAR: &str = "PYV_TEST_SYSTEM_PROXY";

/// `Some(None)`: the seam says "no system proxy"; `None`: the seam is not in use.
pub fn read(env: &dyn Env) -> Option<Option<SystemProxy>> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let value = env.var(VAR)?;
    Some(parse(&value))
}

/// The settings and resolver `value` describes.
pub fn parse(value: &str) -> Option<SystemProxy> {
    let mut s = SystemSettings {
        origin: SettingsOrigin::InternetOptions,
        auto_detect: false,
        pac_url: None,
        server: None,
        bypass: None,
    };
    let mut answer = None;
    for (key, v) in value
        .split('|')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim().to_string()))
    {
        match key {
            "server" => s.server = Some(v),
            "bypass" => s.bypass = Some(v),
            "pac" => s.pac_url = Some(v),
            "detect" => s.auto_detect = v == "1",
            "origin" if v == "winhttp" => s.origin = SettingsOrigin::WinHttp,
            "answer" => answer = Some(v),
            _ => {}
        }
    }
    if s.is_empty() {
        return None;
    }
    Some(SystemProxy::new(s, Some(Arc::new(Fixed(answer)))))
}

/// A "script" that gives the same answer for every URL.
struct Fixed(Option<String>);

impl AutoProxy for Fixed {
    fn resolve(&self, _url: &url::Url, how: &AutoConfig) -> Result<PacAnswer, String> {
        match self.0.as_deref() {
            Some(a) if a.eq_ignore_ascii_case("DIRECT") => Ok(PacAnswer::Direct),
            Some(a) => Ok(PacAnswer::Proxies(a.to_string())),
            None => match how {
                AutoConfig::Detect => Ok(PacAnswer::NoScript),
                AutoConfig::Pac(_) => Err("the script could not be downloaded".to_string()),
            },
        }
    }
}
