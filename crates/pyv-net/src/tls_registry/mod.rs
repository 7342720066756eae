//! The Windows registry values that decide which TLS versions *other* programs get: WinHTTP's
//! `DefaultSecureProtocols` (64- and 32-bit views) and SChannel's per-protocol client switches
//! (`Enabled`, `DisabledByDefault`); what they mean on this Windows version, and the values
//! `pyv doctor --fix-tls` writes (Microsoft's KB3140245 values).
//!
//! Why this matters only sometimes for pyv: pyv's client asks SChannel for TLS 1.2 explicitly
//! (see [`crate::client`]), so Windows 7's "TLS 1.2 disabled by default" does not stop it;
//! only `Enabled=0` under `TLS 1.2\Client` does. Programs that take Windows' defaults
//! (WinHTTP, e.g. pyenv-win's downloads, PowerShell 5's `Invoke-WebRequest`) depend on all
//! of them.
//!
//! This module is pure (readings in, findings and changes out) and tested on every OS; the
//! registry access itself is in the small Windows-only `windows` module (`unix.rs`: the same
//! functions where these switches do not exist).

#[cfg(windows)]
#[path = "windows.rs"]
mod platform;
#[cfg(not(windows))]
#[path = "unix.rs"]
mod platform;

/// `read_system()`: this computer's values (`None` off Windows). `is_elevated()`: whether
/// this process runs elevated (always `false` off Windows). `apply_system(changes)`: writes
/// `changes` to this computer's registry, after checking for elevation. (The system proxy
/// is `crate::system_proxy`.)
pub use platform::{apply_system, is_elevated, read_system};

use crate::probe::TlsVersion;
use std::fmt;

/// WinHTTP's settings key under HKLM (64-bit view).
pub const WINHTTP_KEY: &str =
    r"SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp";
/// The same key as 32-bit programs see it (`KEY_WOW64_32KEY`), as regedit shows it.
pub const WINHTTP_KEY_WOW64_32: &str =
    r"SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp";
/// The WinHTTP value: a bit set of SChannel `SP_PROT_*_CLIENT` flags.
pub const DEFAULT_SECURE_PROTOCOLS: &str = "DefaultSecureProtocols";
/// SChannel's per-protocol keys under HKLM: `<this>\TLS 1.2\Client`.
pub const SCHANNEL_PROTOCOLS_KEY: &str =
    r"SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols";

/// `DefaultSecureProtocols` bits, as Microsoft documents them (WINHTTP_FLAG_SECURE_PROTOCOL_*).
pub const PROTOCOL_FLAGS: [(u32, &str); 6] = [
    (0x0000_0008, "SSL 2.0"),
    (0x0000_0020, "SSL 3.0"),
    (0x0000_0080, "TLS 1.0"),
    (0x0000_0200, "TLS 1.1"),
    (0x0000_0800, "TLS 1.2"),
    (0x0000_2000, "TLS 1.3"),
];
pub const FLAG_TLS12: u32 = 0x0000_0800;
/// KB3140245's value: TLS 1.1 + TLS 1.2.
pub const KB3140245_PROTOCOLS: u32 = 0x0000_0A00;

/// Which registry view of a key (WOW64 redirection).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum View {
    /// `KEY_WOW64_64KEY`: what 64-bit programs read.
    Bits64,
    /// `KEY_WOW64_32KEY`: what 32-bit programs read (`Wow6432Node`).
    Bits32,
}

impl View {
    pub fn label(self) -> &'static str {
        match self {
            View::Bits64 => "64-bit",
            View::Bits32 => "32-bit",
        }
    }
}

/// Which SChannel value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchannelValue {
    /// `0` switches the protocol off for every program.
    Enabled,
    /// `1`: used only by programs that ask for the protocol by name.
    DisabledByDefault,
}

/// One registry value this module reads (and may write).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Setting {
    DefaultSecureProtocols(View),
    Schannel(TlsVersion, SchannelValue),
}

impl Setting {
    /// Every value doctor reports, in display order.
    pub const ALL: [Setting; 8] = [
        Setting::DefaultSecureProtocols(View::Bits64),
        Setting::DefaultSecureProtocols(View::Bits32),
        Setting::Schannel(TlsVersion::Tls10, SchannelValue::Enabled),
        Setting::Schannel(TlsVersion::Tls10, SchannelValue::DisabledByDefault),
        Setting::Schannel(TlsVersion::Tls11, SchannelValue::Enabled),
        Setting::Schannel(TlsVersion::Tls11, SchannelValue::DisabledByDefault),
        Setting::Schannel(TlsVersion::Tls12, SchannelValue::Enabled),
        Setting::Schannel(TlsVersion::Tls12, SchannelValue::DisabledByDefault),
    ];

    /// The key under HKLM as opened (the view selects `Wow6432Node`).
    pub fn subkey(self) -> String {
        match self {
            Setting::DefaultSecureProtocols(_) => WINHTTP_KEY.to_string(),
            Setting::Schannel(v, _) => format!("{SCHANNEL_PROTOCOLS_KEY}\\{v}\\Client"),
        }
    }

    pub fn view(self) -> View {
        match self {
            Setting::DefaultSecureProtocols(view) => view,
            // SYSTEM is not redirected: one key for every program.
            Setting::Schannel(..) => View::Bits64,
        }
    }

    /// The full key as regedit shows it: `HKLM\SOFTWARE\Wow6432Node\...` for the 32-bit view.
    pub fn display_key(self) -> String {
        match self {
            Setting::DefaultSecureProtocols(View::Bits32) => {
                format!("HKLM\\{WINHTTP_KEY_WOW64_32}")
            }
            _ => format!("HKLM\\{}", self.subkey()),
        }
    }

    pub fn value_name(self) -> &'static str {
        match self {
            Setting::DefaultSecureProtocols(_) => DEFAULT_SECURE_PROTOCOLS,
            Setting::Schannel(_, SchannelValue::Enabled) => "Enabled",
            Setting::Schannel(_, SchannelValue::DisabledByDefault) => "DisabledByDefault",
        }
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\\{}", self.display_key(), self.value_name())
    }
}

/// What the registry holds for one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reading {
    Absent,
    Dword(u32),
    /// Not a DWORD, or the key could not be read; the text says which.
    Unreadable(String),
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reading::Absent => f.write_str("not set"),
            Reading::Dword(v) => write!(f, "0x{v:08X}"),
            Reading::Unreadable(why) => write!(f, "unreadable ({why})"),
        }
    }
}

/// The Windows version, from `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WindowsVersion {
    pub major: u32,
    pub minor: u32,
    pub build: u32,
}

impl WindowsVersion {
    /// From `CurrentMajorVersionNumber`/`CurrentMinorVersionNumber` (Windows 10 and later),
    /// else `CurrentVersion` ("6.1"), and `CurrentBuildNumber`.
    pub fn from_registry(
        major: Option<u32>,
        minor: Option<u32>,
        current_version: Option<&str>,
        build: Option<&str>,
    ) -> Option<WindowsVersion> {
        let (major, minor) = match (major, minor) {
            (Some(ma), mi) => (ma, mi.unwrap_or(0)),
            (None, _) => {
                let (a, b) = current_version?.trim().split_once('.')?;
                (a.parse().ok()?, b.parse().ok()?)
            }
        };
        let build = build.and_then(|b| b.trim().parse().ok()).unwrap_or(0);
        Some(WindowsVersion {
            major,
            minor,
            build,
        })
    }

    /// Windows 7 / Server 2008 R2 and Windows 8 / Server 2012: the systems KB3140245 is
    /// for, where WinHTTP's default protocols stop at TLS 1.0.
    pub fn is_pre_8_1(self) -> bool {
        (self.major, self.minor) < (6, 3)
    }

    pub fn name(self) -> &'static str {
        match (self.major, self.minor) {
            (6, 0) => "Windows Vista / Server 2008",
            (6, 1) => "Windows 7 / Server 2008 R2",
            (6, 2) => "Windows 8 / Server 2012",
            (6, 3) => "Windows 8.1 / Server 2012 R2",
            (10, _) if self.build >= 22000 => "Windows 11 / Server 2022 or later",
            (10, _) => "Windows 10 / Server 2016-2019",
            _ => "Windows",
        }
    }
}

/// Unknown versions are judged as the oldest supported one: a warning that is not needed
/// is better than a missed one.
fn pre_8_1(os: Option<WindowsVersion>) -> bool {
    os.is_none_or(WindowsVersion::is_pre_8_1)
}

/// The protocol names in a `DefaultSecureProtocols` value, plus any unknown bits.
pub fn decode_protocols(value: u32) -> Vec<String> {
    let mut out: Vec<String> = PROTOCOL_FLAGS
        .iter()
        .filter(|(bit, _)| value & bit != 0)
        .map(|(_, name)| name.to_string())
        .collect();
    let known = PROTOCOL_FLAGS.iter().fold(0, |acc, (bit, _)| acc | bit);
    if value & !known != 0 {
        out.push(format!("unknown bits 0x{:X}", value & !known));
    }
    out
}

/// What a reading means, in words (`0x00000A00 (TLS 1.1, TLS 1.2)`, `not set (Windows
/// default: ...)`).
pub fn describe(setting: Setting, reading: &Reading, os: Option<WindowsVersion>) -> String {
    match (setting, reading) {
        (Setting::DefaultSecureProtocols(_), Reading::Dword(v)) => {
            let names = decode_protocols(*v);
            if names.is_empty() {
                format!("{reading} (no protocol)")
            } else {
                format!("{reading} ({})", names.join(", "))
            }
        }
        (Setting::DefaultSecureProtocols(_), Reading::Absent) if pre_8_1(os) => {
            "not set (Windows default: SSL 3.0, TLS 1.0)".to_string()
        }
        (Setting::DefaultSecureProtocols(_), Reading::Absent) => {
            "not set (Windows default, includes TLS 1.2)".to_string()
        }
        (Setting::Schannel(_, SchannelValue::Enabled), Reading::Dword(0)) => {
            format!("{reading} (switched off for every program)")
        }
        (Setting::Schannel(_, SchannelValue::Enabled), Reading::Dword(_)) => {
            format!("{reading} (enabled)")
        }
        (Setting::Schannel(_, SchannelValue::DisabledByDefault), Reading::Dword(0)) => {
            format!("{reading} (on by default)")
        }
        (Setting::Schannel(_, SchannelValue::DisabledByDefault), Reading::Dword(_)) => {
            format!("{reading} (only for programs that ask for it)")
        }
        (Setting::Schannel(v, SchannelValue::DisabledByDefault), Reading::Absent) => {
            if default_on(os, v) {
                "not set (Windows default: on by default)".to_string()
            } else {
                "not set (Windows default: off by default)".to_string()
            }
        }
        (Setting::Schannel(_, SchannelValue::Enabled), Reading::Absent) => {
            "not set (Windows default: enabled)".to_string()
        }
        (_, r) => r.to_string(),
    }
}

/// SChannel's own default: TLS 1.1 and 1.2 are off by default for clients before Windows 8.
fn default_on(os: Option<WindowsVersion>, v: TlsVersion) -> bool {
    match v {
        TlsVersion::Tls10 => true,
        _ => os.is_some_and(|o| (o.major, o.minor) >= (6, 2)),
    }
}

/// The values read from this computer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub os: Option<WindowsVersion>,
    pub values: Vec<(Setting, Reading)>,
}

impl Snapshot {
    pub fn get(&self, s: Setting) -> &Reading {
        self.values
            .iter()
            .find(|(k, _)| *k == s)
            .map(|(_, r)| r)
            .unwrap_or(&Reading::Absent)
    }

    /// Switched off for every program (`Enabled=0`).
    pub fn switched_off(&self, v: TlsVersion) -> bool {
        *self.get(Setting::Schannel(v, SchannelValue::Enabled)) == Reading::Dword(0)
    }

    /// Offered to programs that take Windows' defaults.
    pub fn on_by_default(&self, v: TlsVersion) -> bool {
        !self.switched_off(v)
            && match self.get(Setting::Schannel(v, SchannelValue::DisabledByDefault)) {
                Reading::Dword(d) => *d == 0,
                _ => default_on(self.os, v),
            }
    }
}

/// Who a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Pyv,
    /// Programs that use WinHTTP's default protocols, of one bitness.
    WinHttp(View),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Ok,
    /// Other programs are affected, pyv is not.
    Warning,
    /// pyv itself cannot use TLS 1.2.
    Problem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub audience: Audience,
    pub severity: Severity,
    pub text: String,
}

/// Whether pyv and WinHTTP programs (64- and 32-bit) can use TLS 1.2 with these values.
pub fn assess(s: &Snapshot) -> Vec<Finding> {
    let tls12_key = format!("HKLM\\{SCHANNEL_PROTOCOLS_KEY}\\TLS 1.2\\Client");
    let mut out = vec![if s.switched_off(TlsVersion::Tls12) {
        Finding {
            audience: Audience::Pyv,
            severity: Severity::Problem,
            text: format!(
                "TLS 1.2 is switched off for every program (Enabled=0 under {tls12_key}), pyv included"
            ),
        }
    } else {
        Finding {
            audience: Audience::Pyv,
            severity: Severity::Ok,
            text: "pyv can use TLS 1.2: it asks SChannel for TLS 1.2 explicitly, so only Enabled=0 under TLS 1.2\\Client could stop it".to_string(),
        }
    }];
    for view in [View::Bits64, View::Bits32] {
        let who = format!("{} WinHTTP programs (e.g. pyenv-win)", view.label());
        let mut why: Vec<String> = Vec::new();
        if s.switched_off(TlsVersion::Tls12) {
            why.push("TLS 1.2 is switched off in SChannel".to_string());
        } else if !s.on_by_default(TlsVersion::Tls12) {
            why.push(match s.get(Setting::Schannel(
                TlsVersion::Tls12,
                SchannelValue::DisabledByDefault,
            )) {
                Reading::Absent => format!(
                    "SChannel keeps TLS 1.2 off by default on {} (DisabledByDefault not set under {tls12_key})",
                    s.os.map_or("this Windows", WindowsVersion::name)
                ),
                r => format!("DisabledByDefault={r} under {tls12_key}"),
            });
        }
        let dsp = Setting::DefaultSecureProtocols(view);
        match s.get(dsp) {
            Reading::Dword(v) if v & FLAG_TLS12 == 0 => why.push(format!(
                "{} = {} leaves TLS 1.2 out",
                dsp,
                describe(dsp, s.get(dsp), s.os)
            )),
            Reading::Absent if pre_8_1(s.os) => why.push(format!(
                "{dsp} is not set, and WinHTTP's default here is SSL 3.0 + TLS 1.0"
            )),
            Reading::Unreadable(e) => why.push(format!("{dsp} is unreadable ({e})")),
            _ => {}
        }
        out.push(if why.is_empty() {
            Finding {
                audience: Audience::WinHttp(view),
                severity: Severity::Ok,
                text: format!("{who} can use TLS 1.2"),
            }
        } else {
            Finding {
                audience: Audience::WinHttp(view),
                severity: Severity::Warning,
                text: format!("{who} do not get TLS 1.2: {}", why.join("; ")),
            }
        });
    }
    out
}

/// One value `--fix-tls` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub setting: Setting,
    pub from: Reading,
    pub to: u32,
}

/// The values `--fix-tls` writes: Microsoft's KB3140245 values (DefaultSecureProtocols
/// 0xA00 in both views; TLS 1.1 and 1.2 Client Enabled=1, DisabledByDefault=0), limited to
/// what is missing or wrong, so that nothing that works is changed:
/// - DefaultSecureProtocols keeps the bits it has (e.g. TLS 1.3) and gains TLS 1.1 + 1.2;
///   it is not created on Windows 8.1 and later, whose defaults already include TLS 1.2
///   (creating it would drop TLS 1.3 there).
/// - TLS 1.2's switches are set where they block it, and written out on Windows 7/8 where
///   their absence means "off by default".
/// - TLS 1.1's are only filled in on Windows 7/8 where absent: a TLS 1.1 that someone
///   switched off stays off (pyv needs TLS 1.2 only). TLS 1.0 is never touched.
pub fn fix_plan(s: &Snapshot) -> Vec<Change> {
    let old = pre_8_1(s.os);
    let mut out = Vec::new();
    let mut set = |setting: Setting, to: u32| {
        let from = s.get(setting).clone();
        if from != Reading::Dword(to) {
            out.push(Change { setting, from, to });
        }
    };
    for view in [View::Bits64, View::Bits32] {
        let dsp = Setting::DefaultSecureProtocols(view);
        match s.get(dsp) {
            Reading::Dword(v) if v & FLAG_TLS12 == 0 => set(dsp, v | KB3140245_PROTOCOLS),
            Reading::Dword(_) => {}
            Reading::Absent if !old => {}
            Reading::Absent | Reading::Unreadable(_) => set(dsp, KB3140245_PROTOCOLS),
        }
    }
    for (value, want) in [
        (SchannelValue::Enabled, 1),
        (SchannelValue::DisabledByDefault, 0),
    ] {
        let tls12 = Setting::Schannel(TlsVersion::Tls12, value);
        let blocks = match s.get(tls12) {
            Reading::Dword(v) => (*v == 0) != (want == 0),
            Reading::Absent => old,
            Reading::Unreadable(_) => true,
        };
        if blocks {
            set(tls12, want);
        }
        let tls11 = Setting::Schannel(TlsVersion::Tls11, value);
        if old && *s.get(tls11) == Reading::Absent {
            set(tls11, want);
        }
    }
    out
}

/// Failures of `--fix-tls`. Each message names the problem and the next step.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error(
        "--fix-tls changes Windows registry settings; there is nothing to fix on this system: {0}"
    )]
    NotWindows(&'static str),

    #[error("--fix-tls writes to HKEY_LOCAL_MACHINE and needs administrator rights; run this from an elevated prompt (right-click the terminal > Run as administrator)")]
    NotElevated,

    #[error("cannot write {setting}: {reason}; run this from an elevated prompt, or set the value with regedit")]
    Write { setting: String, reason: String },
}

/// Why there is nothing to fix on other systems.
pub const NOT_WINDOWS: &str = "these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv";

#[cfg(test)]
mod tests;
