//! The proxy settings as WinHTTP reads them and its own PAC/WPAD resolver: the user's
//! Internet Options (`WinHttpGetIEProxyConfigForCurrentUser`), the machine's `netsh
//! winhttp` proxy (`WinHttpGetDefaultProxyConfiguration`) and `WinHttpGetProxyForUrl`.
//! What the strings mean (the proxy list, the bypass list, which setting wins) is decided
//! in pyv-net's `system_proxy`, tested on every OS; this module only asks Windows.
//!
//! Every string WinHTTP returns was allocated with `GlobalAlloc` for the caller, and is
//! copied and freed here at once (`take`), on success and failure alike.

use crate::registry::{self, View, CURRENT_USER};
use std::time::Duration;
use windows_sys::Win32::Foundation::{GetLastError, GlobalFree};
use windows_sys::Win32::Networking::WinHttp::{
    WinHttpCloseHandle, WinHttpGetDefaultProxyConfiguration, WinHttpGetIEProxyConfigForCurrentUser,
    WinHttpGetProxyForUrl, WinHttpOpen, WinHttpSetTimeouts, ERROR_WINHTTP_AUTODETECTION_FAILED,
    ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT, ERROR_WINHTTP_LOGIN_FAILURE,
    ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT, WINHTTP_ACCESS_TYPE_NAMED_PROXY,
    WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_AUTOPROXY_AUTO_DETECT, WINHTTP_AUTOPROXY_CONFIG_URL,
    WINHTTP_AUTOPROXY_OPTIONS, WINHTTP_AUTO_DETECT_TYPE_DHCP, WINHTTP_AUTO_DETECT_TYPE_DNS_A,
    WINHTTP_CURRENT_USER_IE_PROXY_CONFIG, WINHTTP_PROXY_INFO,
};

/// A WinHTTP call that failed, with Windows' error code.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WinHttpError {
    #[error("{call} failed: {}", describe(*.code))]
    Call { call: &'static str, code: u32 },
}

impl WinHttpError {
    /// WPAD found no script on this network (the usual case, not a fault).
    pub fn is_no_script_found(&self) -> bool {
        matches!(self, WinHttpError::Call { code, .. } if *code == ERROR_WINHTTP_AUTODETECTION_FAILED)
    }
}

/// The error codes automatic configuration reports, in words (Windows' own text for the
/// WinHTTP range is not in the system message table).
fn describe(code: u32) -> String {
    match code {
        ERROR_WINHTTP_AUTODETECTION_FAILED => "no proxy script was found (WPAD)".to_string(),
        ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT => {
            "the proxy script could not be downloaded".to_string()
        }
        ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT => "the proxy script failed to run".to_string(),
        ERROR_WINHTTP_LOGIN_FAILURE => "the proxy script's server refused the logon".to_string(),
        c => format!("{}", std::io::Error::from_raw_os_error(c as i32)),
    }
}

fn last_error(call: &'static str) -> WinHttpError {
    // SAFETY: reads this thread's last-error value; no memory is involved.
    let code = unsafe { GetLastError() };
    WinHttpError::Call { call, code }
}

/// `WinHttpGetIEProxyConfigForCurrentUser`'s answer, strings copied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IeProxyConfig {
    pub auto_detect: bool,
    pub auto_config_url: Option<String>,
    pub proxy: Option<String>,
    pub proxy_bypass: Option<String>,
}

/// The current user's Internet Options proxy settings.
pub fn ie_proxy_config() -> Result<IeProxyConfig, WinHttpError> {
    let mut raw = WINHTTP_CURRENT_USER_IE_PROXY_CONFIG::default();
    // SAFETY: `raw` is a zeroed structure of the type the call fills in.
    let ok = unsafe { WinHttpGetIEProxyConfigForCurrentUser(&mut raw) } != 0;
    let err = (!ok).then(|| last_error("WinHttpGetIEProxyConfigForCurrentUser"));
    // SAFETY: each pointer is null or a string WinHTTP allocated for the caller with
    // GlobalAlloc; each is taken exactly once.
    let config = unsafe {
        IeProxyConfig {
            auto_detect: raw.fAutoDetect != 0,
            auto_config_url: take(raw.lpszAutoConfigUrl),
            proxy: take(raw.lpszProxy),
            proxy_bypass: take(raw.lpszProxyBypass),
        }
    };
    match err {
        Some(e) => Err(e),
        None => Ok(config),
    }
}

/// The machine's WinHTTP proxy (`netsh winhttp show proxy`): `None` for a direct connection.
pub fn default_proxy() -> Result<Option<(String, Option<String>)>, WinHttpError> {
    let mut raw = WINHTTP_PROXY_INFO::default();
    // SAFETY: `raw` is a zeroed structure of the type the call fills in.
    let ok = unsafe { WinHttpGetDefaultProxyConfiguration(&mut raw) } != 0;
    let err = (!ok).then(|| last_error("WinHttpGetDefaultProxyConfiguration"));
    // SAFETY: as in `ie_proxy_config`.
    let (proxy, bypass) = unsafe { (take(raw.lpszProxy), take(raw.lpszProxyBypass)) };
    if let Some(e) = err {
        return Err(e);
    }
    Ok((raw.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY)
        .then_some(proxy)
        .flatten()
        .map(|p| (p, bypass)))
}

/// The `Internet Settings` values under HKCU (`ProxyEnable`, `ProxyServer`, `ProxyOverride`,
/// `AutoConfigURL`), for when WinHTTP reports no settings at all: WinHTTP reads the binary
/// `Connections` value, while scripts, group policies and installers often write only these
/// (which Python's urllib and reqwest read). `None` when the key is absent.
pub fn registry_settings() -> Option<IeProxyConfig> {
    let k = registry::open(
        CURRENT_USER,
        r"Software\Microsoft\Windows\CurrentVersion\Internet Settings",
        View::Native,
    )
    .ok()?;
    let text = |name: &str| {
        registry::string(&k, name)
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let enabled = registry::dword(&k, "ProxyEnable").ok() == Some(1);
    Some(IeProxyConfig {
        auto_detect: false,
        auto_config_url: text("AutoConfigURL"),
        proxy: text("ProxyServer").filter(|_| enabled),
        proxy_bypass: text("ProxyOverride").filter(|_| enabled),
    })
}

/// How to find the script.
pub enum AutoProxy<'a> {
    /// WPAD (DHCP, then DNS).
    Detect,
    /// The script at this URL.
    ConfigUrl(&'a str),
}

/// What the script said for one URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AutoProxyAnswer {
    Direct,
    /// WinHTTP's proxy list (`p1:8080;p2:8080`).
    Proxies(String),
}

/// Runs the proxy script for `url` through WinHTTP (which downloads, caches and runs it),
/// each step bounded by `timeout`.
pub fn proxy_for_url(
    url: &str,
    how: AutoProxy<'_>,
    timeout: Duration,
) -> Result<AutoProxyAnswer, WinHttpError> {
    let agent = wide("pyv");
    // SAFETY: the agent string is NUL-terminated and outlives the call; null proxy and
    // bypass strings are what WINHTTP_ACCESS_TYPE_NO_PROXY asks for (the session's own
    // requests, the script download, go direct, as WinHTTP's AutoProxy does).
    let session = unsafe {
        WinHttpOpen(
            agent.as_ptr(),
            WINHTTP_ACCESS_TYPE_NO_PROXY,
            std::ptr::null(),
            std::ptr::null(),
            0,
        )
    };
    if session.is_null() {
        return Err(last_error("WinHttpOpen"));
    }
    let session = Session(session);
    let ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    // SAFETY: `session` is a live session handle. A failure only leaves WinHTTP's
    // defaults, so its result is not needed.
    unsafe { WinHttpSetTimeouts(session.0, ms, ms, ms, ms) };
    let config_url;
    let mut options = WINHTTP_AUTOPROXY_OPTIONS {
        // Integrated logon for a script server that asks, as Internet Explorer does.
        fAutoLogonIfChallenged: 1,
        ..Default::default()
    };
    match how {
        AutoProxy::Detect => {
            options.dwFlags = WINHTTP_AUTOPROXY_AUTO_DETECT;
            options.dwAutoDetectFlags =
                WINHTTP_AUTO_DETECT_TYPE_DHCP | WINHTTP_AUTO_DETECT_TYPE_DNS_A;
        }
        AutoProxy::ConfigUrl(u) => {
            config_url = wide(u);
            options.dwFlags = WINHTTP_AUTOPROXY_CONFIG_URL;
            options.lpszAutoConfigUrl = config_url.as_ptr();
        }
    }
    let url = wide(url);
    let mut info = WINHTTP_PROXY_INFO::default();
    // SAFETY: the session is live; the URL and the options' script URL are NUL-terminated
    // and outlive the call; `info` is a zeroed structure of the type the call fills in.
    let ok =
        unsafe { WinHttpGetProxyForUrl(session.0, url.as_ptr(), &mut options, &mut info) } != 0;
    let err = (!ok).then(|| last_error("WinHttpGetProxyForUrl"));
    // SAFETY: as in `ie_proxy_config`.
    let (proxy, _bypass) = unsafe { (take(info.lpszProxy), take(info.lpszProxyBypass)) };
    if let Some(e) = err {
        return Err(e);
    }
    Ok(match (info.dwAccessType, proxy) {
        (WINHTTP_ACCESS_TYPE_NAMED_PROXY, Some(p)) if !p.trim().is_empty() => {
            AutoProxyAnswer::Proxies(p)
        }
        _ => AutoProxyAnswer::Direct,
    })
}

/// A WinHTTP handle, closed once.
struct Session(*mut core::ffi::c_void);

impl Drop for Session {
    fn drop(&mut self) {
        // SAFETY: the handle came from WinHttpOpen and is closed only here.
        unsafe { WinHttpCloseHandle(self.0) };
    }
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Copies a WinHTTP-allocated, NUL-terminated string and frees it; null is `None`, and so
/// is an empty string (WinHTTP's "not set").
///
/// # Safety
/// `p` is null or a NUL-terminated UTF-16 string allocated with `GlobalAlloc` that nothing
/// else frees.
unsafe fn take(p: windows_sys::core::PWSTR) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let mut len = 0usize;
    // SAFETY: the string is NUL-terminated (caller's contract), so every read up to and
    // including the NUL is inside it.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` characters were just read from `p`.
    let s = String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(p, len) });
    // SAFETY: allocated with GlobalAlloc for the caller and not freed elsewhere (contract);
    // not used after this.
    unsafe { GlobalFree(p.cast()) };
    Some(s).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The calls work on this machine (whatever its settings are).
    #[test]
    fn the_settings_are_readable() {
        ie_proxy_config().unwrap();
        default_proxy().unwrap();
    }

    #[test]
    fn a_script_that_cannot_be_downloaded_is_an_error_not_direct() {
        let r = proxy_for_url(
            "https://www.python.org/",
            AutoProxy::ConfigUrl("http://127.0.0.1:9/none.pac"),
            Duration::from_secs(5),
        );
        assert!(r.is_err(), "{r:?}");
    }
}
