//! Windows: the settings through WinHTTP (`pyv_windows::winhttp_proxy`), and WinHTTP's
//! resolver for PAC and WPAD. Same functions as `unix.rs`.

use super::{AutoConfig, AutoProxy, PacAnswer, SettingsOrigin, SystemSettings};
use pyv_windows::winhttp_proxy::{self as raw, AutoProxyAnswer};
use std::sync::Arc;
use std::time::Duration;

/// A script that does not answer within this is given up on (then the static settings
/// apply), so a slow WPAD search costs seconds, not the connect timeout.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(10);

/// The user's Internet Options settings (through WinHTTP, completed from the registry
/// values); when they configure nothing, the machine's `netsh winhttp` proxy.
pub fn read_settings() -> Option<SystemSettings> {
    let ie = raw::ie_proxy_config()
        .map_err(|e| tracing::debug!(error = %e, "no Internet Options proxy settings"))
        .unwrap_or_default();
    // What WinHTTP does not report, the registry values may hold (under Wine, WinHTTP
    // reports "automatically detect" alone whatever they say; on Windows both agree).
    let reg = raw::registry_settings().unwrap_or_default();
    let (server, bypass) = match ie.proxy {
        Some(p) => (Some(p), ie.proxy_bypass),
        None => (reg.proxy, reg.proxy_bypass),
    };
    let user = SystemSettings {
        origin: SettingsOrigin::InternetOptions,
        auto_detect: ie.auto_detect,
        pac_url: ie.auto_config_url.or(reg.auto_config_url),
        server,
        bypass,
    };
    if !user.is_empty() {
        return Some(user);
    }
    match raw::default_proxy() {
        Ok(Some((server, bypass))) => Some(SystemSettings {
            origin: SettingsOrigin::WinHttp,
            auto_detect: false,
            pac_url: None,
            server: Some(server),
            bypass,
        }),
        Ok(None) => None,
        Err(e) => {
            tracing::debug!(error = %e, "no netsh winhttp proxy settings");
            None
        }
    }
}

struct WinHttp;

impl AutoProxy for WinHttp {
    fn resolve(&self, url: &url::Url, how: &AutoConfig) -> Result<PacAnswer, String> {
        let how = match how {
            AutoConfig::Detect => raw::AutoProxy::Detect,
            AutoConfig::Pac(u) => raw::AutoProxy::ConfigUrl(u),
        };
        match raw::proxy_for_url(url.as_str(), how, SCRIPT_TIMEOUT) {
            Ok(AutoProxyAnswer::Direct) => Ok(PacAnswer::Direct),
            Ok(AutoProxyAnswer::Proxies(list)) => Ok(PacAnswer::Proxies(list)),
            Err(e) if e.is_no_script_found() => Ok(PacAnswer::NoScript),
            Err(e) => Err(e.to_string()),
        }
    }
}

pub fn resolver() -> Option<Arc<dyn AutoProxy>> {
    Some(Arc::new(WinHttp))
}
