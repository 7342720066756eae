//! Everything the client needs to know, resolved once from CLI options plus the environment.
//! The environment comes in as a [`pyv_core::Env`], so tests hand in a `MemoryEnv` instead of
//! mutating the process environment.

use crate::error::NetError;
use crate::proxy::ProxyConfig;
use crate::retry::RetryPolicy;
use pyv_core::Env;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// python.org's download tree, the default mirror.
pub const DEFAULT_MIRROR: &str = pyv_catalog::DEFAULT_BASE;

/// What the command line (and the persistent settings) say; `None` = default.
#[derive(Clone, Debug, Default)]
pub struct NetOptions {
    /// `--cacert FILE`, repeatable: extra trusted roots (PEM, several per file allowed; DER).
    pub cacert: Vec<PathBuf>,
    /// CA files from the persistent settings (see [`crate::settings::NetSettings`]).
    pub settings_ca_files: Vec<PathBuf>,
    /// A mirror given on the command line; wins over PYTHON_BUILD_MIRROR_URL.
    pub mirror: Option<String>,
    pub connect_timeout: Option<Duration>,
    /// Longest wait for the next bytes (response headers or body) before giving up.
    pub read_timeout: Option<Duration>,
    /// Extra attempts after a transient failure (see [`RetryPolicy`]).
    pub retries: Option<u32>,
    /// First pause between attempts; doubles each time, with jitter (see [`RetryPolicy`]).
    pub retry_backoff: Option<Duration>,
    /// Fetch the peer certificate in a separate, verification-free, data-free handshake to
    /// show names and dates in TLS diagnoses (default on).
    pub inspect_on_failure: Option<bool>,
}

/// A numeric setting read from the environment and the range it must be in. Checked when
/// read, so no value reaches a timer or a counter that it could overflow (a timeout near
/// `u64::MAX` seconds once made the HTTP client panic adding it to the current instant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Knob {
    /// The variable's name, as messages and the README spell it.
    pub var: &'static str,
    pub min: u64,
    pub max: u64,
    /// What the number counts, plural (`seconds`).
    pub unit: &'static str,
}

/// `PYV_HTTP_TIMEOUT`: seconds without data before a connection or a transfer gives up.
/// Zero would fail every request at once; an hour of silence is a dead link.
pub const HTTP_TIMEOUT: Knob = Knob {
    var: "PYV_HTTP_TIMEOUT",
    min: 1,
    max: 3600,
    unit: "seconds",
};

/// `PYV_HTTP_RETRIES`: extra attempts after a transient failure, up to
/// [`RetryPolicy::MAX_RETRIES`].
pub const HTTP_RETRIES: Knob = Knob {
    var: "PYV_HTTP_RETRIES",
    min: 0,
    max: RetryPolicy::MAX_RETRIES as u64,
    unit: "attempts",
};

/// The longest timeout the client is given, whatever the caller asks for.
const MAX_TIMEOUT: Duration = Duration::from_secs(HTTP_TIMEOUT.max);

impl Knob {
    /// The value in `env`; unset or blank is `None` (pyenv-win treats `set X=` as unset).
    pub fn read(&self, env: &dyn Env) -> Result<Option<u64>, NetError> {
        env.non_empty(self.var).map(|v| self.parse(&v)).transpose()
    }

    /// `text` as a number in range, or the error naming the variable and the range.
    pub fn parse(&self, text: &str) -> Result<u64, NetError> {
        let problem = match text.trim().parse::<u64>() {
            Ok(n) if (self.min..=self.max).contains(&n) => return Ok(n),
            Ok(_) => "out of range",
            // Too many digits for u64 is out of range too, not "not a number".
            Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => "out of range",
            Err(_) => "not a whole number",
        };
        Err(NetError::Setting {
            var: self.var,
            value: text.to_string(),
            problem,
            range: self.range(),
        })
    }

    /// `a whole number of seconds from 1 to 3600`.
    pub fn range(&self) -> String {
        format!(
            "a whole number of {} from {} to {}",
            self.unit, self.min, self.max
        )
    }
}

impl NetOptions {
    /// These options with the timeout and retries from [`HTTP_TIMEOUT`] and [`HTTP_RETRIES`]
    /// in `env`, range-checked; what the variables do not give is left as it was.
    pub fn with_env_knobs(mut self, env: &dyn Env) -> Result<NetOptions, NetError> {
        if let Some(secs) = HTTP_TIMEOUT.read(env)? {
            let t = Duration::from_secs(secs);
            self.connect_timeout = Some(t);
            self.read_timeout = Some(t);
        }
        if let Some(n) = HTTP_RETRIES.read(env)? {
            // In range, so at most MAX_RETRIES: the conversion cannot fail.
            self.retries = Some(u32::try_from(n).unwrap_or(RetryPolicy::MAX_RETRIES));
        }
        Ok(self)
    }
}

/// An extra CA file and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaFile {
    pub path: PathBuf,
    pub origin: CaOrigin,
}

/// Where an extra CA file came from. `Display` is how messages and doctor name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaOrigin {
    /// `--cacert FILE`.
    CommandLine,
    /// The SSL_CERT_FILE variable.
    SslCertFile,
    /// A certificate file in a folder of the SSL_CERT_DIR variable.
    SslCertDir,
    /// A `ca-file` line of the persistent settings ([`crate::settings::NetSettings`]).
    Settings,
    /// A file `pyv cacert add` checks before saving it to the settings.
    CacertAdd,
}

impl fmt::Display for CaOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CaOrigin::CommandLine => "--cacert",
            CaOrigin::SslCertFile => "SSL_CERT_FILE",
            CaOrigin::SslCertDir => "SSL_CERT_DIR",
            CaOrigin::Settings => "pyv settings (ca-file)",
            CaOrigin::CacertAdd => "cacert add",
        })
    }
}

/// Where the mirror setting came from. `Display`: `default`, or the setting's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MirrorOrigin {
    /// python.org: nothing else was set, or the setting names python.org itself.
    Default,
    /// The PYTHON_BUILD_MIRROR_URL variable.
    EnvVar,
    /// [`NetOptions::mirror`], given by the caller.
    Option,
}

impl fmt::Display for MirrorOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MirrorOrigin::Default => "default",
            MirrorOrigin::EnvVar => "PYTHON_BUILD_MIRROR_URL",
            MirrorOrigin::Option => "the command line",
        })
    }
}

/// The resolved configuration.
#[derive(Clone, Debug)]
pub struct NetConfig {
    /// Extra trusted roots, added to (never replacing) the platform's roots.
    pub extra_ca_files: Vec<CaFile>,
    /// Mirror base URL (or `file://` URL, or folder path), without a trailing slash.
    pub mirror: String,
    pub mirror_origin: MirrorOrigin,
    /// The proxy variables.
    pub proxy: ProxyConfig,
    /// Windows' proxy settings, when no proxy variable is set ([`crate::route`] decides).
    pub system_proxy: Option<crate::system_proxy::SystemProxy>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub retry: RetryPolicy,
    pub inspect_on_failure: bool,
    pub user_agent: String,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            extra_ca_files: Vec::new(),
            mirror: DEFAULT_MIRROR.to_string(),
            mirror_origin: MirrorOrigin::Default,
            proxy: ProxyConfig::default(),
            system_proxy: None,
            connect_timeout: Duration::from_secs(20),
            read_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            inspect_on_failure: true,
            user_agent: format!("pyv/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl NetConfig {
    /// Combines CLI options with PYTHON_BUILD_MIRROR_URL, SSL_CERT_FILE, SSL_CERT_DIR and the
    /// proxy variables from `env`. Fails on a bad proxy URL or an unreadable SSL_CERT_DIR;
    /// CA file contents are checked when the client is built.
    pub fn resolve(opts: &NetOptions, env: &dyn Env) -> Result<NetConfig, NetError> {
        let d = NetConfig::default();
        let mut cas: Vec<CaFile> = Vec::new();
        let mut add = |path: PathBuf, origin: CaOrigin| {
            if !cas.iter().any(|c| c.path == path) {
                cas.push(CaFile { path, origin });
            }
        };
        for p in &opts.cacert {
            add(p.clone(), CaOrigin::CommandLine);
        }
        if let Some(f) = env.non_empty("SSL_CERT_FILE") {
            add(PathBuf::from(f), CaOrigin::SslCertFile);
        }
        if let Some(dir) = env.non_empty("SSL_CERT_DIR") {
            // OpenSSL allows a list; ';' on Windows, ':' elsewhere.
            let sep = if cfg!(windows) { ';' } else { ':' };
            for dir in dir.split(sep).filter(|s| !s.is_empty()) {
                for f in cert_files_in(Path::new(dir))? {
                    add(f, CaOrigin::SslCertDir);
                }
            }
        }
        for p in &opts.settings_ca_files {
            add(p.clone(), CaOrigin::Settings);
        }
        // Set but empty means unset, as in pyenv-win.
        let (mirror, origin) = match (&opts.mirror, env.non_empty("PYTHON_BUILD_MIRROR_URL")) {
            (Some(m), _) => (m.clone(), MirrorOrigin::Option),
            (None, Some(m)) => (m, MirrorOrigin::EnvVar),
            (None, None) => (d.mirror, MirrorOrigin::Default),
        };
        let mirror = mirror.trim().trim_end_matches(['/', '\\']).to_string();
        // A setting that names python.org itself is still the default mirror.
        let mirror_origin = if mirror == DEFAULT_MIRROR {
            MirrorOrigin::Default
        } else {
            origin
        };
        // A typo is reported here, naming the variable, not at the first download.
        if let Err(NetError::BadUrl { reason, .. }) = crate::source::Source::parse(&mirror) {
            return Err(NetError::MirrorUrl {
                value: mirror,
                reason,
            });
        }
        let proxy = ProxyConfig::from_env(env)?;
        // Read only when it can matter: the variables win over the system settings.
        let system_proxy = if proxy.is_empty() {
            crate::system_proxy::read(env)
        } else {
            None
        };
        tracing::debug!(mirror = %mirror, origin = %mirror_origin, "mirror");
        for c in &cas {
            tracing::debug!(path = %c.path.display(), origin = %c.origin, "extra trusted CA file");
        }
        log_proxies(&proxy, system_proxy.as_ref());
        Ok(NetConfig {
            extra_ca_files: cas,
            mirror,
            mirror_origin,
            proxy,
            system_proxy,
            // A library caller's Duration is capped like the variable, for the same reason.
            connect_timeout: opts
                .connect_timeout
                .unwrap_or(d.connect_timeout)
                .min(MAX_TIMEOUT),
            read_timeout: opts.read_timeout.unwrap_or(d.read_timeout).min(MAX_TIMEOUT),
            retry: RetryPolicy::new(opts.retries, opts.retry_backoff),
            inspect_on_failure: opts.inspect_on_failure.unwrap_or(true),
            user_agent: d.user_agent,
        })
    }

    /// Where a request to `url` goes: through which proxy, and who decided
    /// ([`crate::route`]). Every connection pyv opens asks this.
    pub fn proxy_for(&self, url: &url::Url) -> crate::route::ProxyDecision {
        crate::route::decide(self, url)
    }

    /// The warning for a mirror set on purpose to a plain-http address (pyv-win's list has
    /// such mirrors): it works, but nothing it sends, checksums included, is authenticated.
    /// `None` for https, folder and `file://` mirrors.
    pub fn plain_http_warning(&self) -> Option<String> {
        let plain = self
            .mirror
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"));
        plain.then(|| {
            format!(
                "the mirror {} (from {}) is plain http: its index, its checksums and its files cannot be authenticated, so an altered download would go unnoticed; use an https:// mirror if there is one",
                pyv_core::quote::user_text(&self.mirror),
                self.mirror_origin
            )
        })
    }

    /// `<mirror>/<rel>`: the URL (or path) of a file on the mirror.
    pub fn mirror_url(&self, rel: &str) -> String {
        format!("{}/{}", self.mirror, rel.trim_start_matches('/'))
    }
}

/// The proxy decision, at debug level (endpoints only: credentials are never logged).
fn log_proxies(p: &ProxyConfig, system: Option<&crate::system_proxy::SystemProxy>) {
    if p.is_empty() {
        match system {
            Some(s) => {
                tracing::debug!(settings = ?s.settings, "no proxy variable set: the system proxy settings apply")
            }
            None => {
                tracing::debug!("no proxy variable set and no system proxy: direct connections")
            }
        }
        return;
    }
    let shown = |e: &Option<crate::proxy::ProxyEndpoint>| {
        e.as_ref().map_or_else(|| "none".to_string(), |e| e.url())
    };
    tracing::debug!(
        https = %shown(&p.https),
        http = %shown(&p.http),
        no_proxy = ?p.no_proxy,
        "proxies from the environment"
    );
}

/// Certificate files in an SSL_CERT_DIR: `*.pem`, `*.crt`, `*.cer` and OpenSSL's hashed
/// names (`1a2b3c4d.0`).
fn cert_files_in(dir: &Path) -> Result<Vec<PathBuf>, NetError> {
    let rd = std::fs::read_dir(dir).map_err(|e| NetError::CaFile {
        path: dir.to_path_buf(),
        origin: CaOrigin::SslCertDir,
        reason: format!("cannot read the folder: {e}"),
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let ext_ok = [".pem", ".crt", ".cer"].iter().any(|e| name.ends_with(e));
            let hashed = name.len() > 9
                && name.as_bytes()[8] == b'.'
                && name[..8].bytes().all(|b| b.is_ascii_hexdigit())
                && name[9..].bytes().all(|b| b.is_ascii_digit());
            ext_ok || hashed
        })
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyv_core::MemoryEnv;

    #[test]
    fn env_sources_are_collected_in_order_without_duplicates() {
        let dir = std::env::temp_dir().join(format!("pyv-net-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("b.pem"), "x").unwrap();
        std::fs::write(dir.join("a1b2c3d4.0"), "x").unwrap();
        std::fs::write(dir.join("README"), "x").unwrap();
        let env = MemoryEnv::from_pairs([
            ("SSL_CERT_FILE", "/etc/corp.pem"),
            ("SSL_CERT_DIR", dir.to_str().unwrap()),
            ("PYTHON_BUILD_MIRROR_URL", "https://mirror.example/python/"),
        ]);
        let opts = NetOptions {
            cacert: vec!["/x/cli.pem".into(), "/etc/corp.pem".into()],
            settings_ca_files: vec!["/x/saved.pem".into()],
            ..Default::default()
        };
        let c = NetConfig::resolve(&opts, &env).unwrap();
        let got: Vec<(String, CaOrigin)> = c
            .extra_ca_files
            .iter()
            .map(|f| {
                (
                    f.path.file_name().unwrap().to_string_lossy().into_owned(),
                    f.origin,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("cli.pem".into(), CaOrigin::CommandLine),
                ("corp.pem".into(), CaOrigin::CommandLine),
                ("a1b2c3d4.0".into(), CaOrigin::SslCertDir),
                ("b.pem".into(), CaOrigin::SslCertDir),
                ("saved.pem".into(), CaOrigin::Settings),
            ]
        );
        assert_eq!(c.mirror, "https://mirror.example/python");
        assert_eq!(c.mirror_origin, MirrorOrigin::EnvVar);
        assert_eq!(
            c.mirror_url("3.12.0/python-3.12.0-amd64.exe"),
            "https://mirror.example/python/3.12.0/python-3.12.0-amd64.exe"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn defaults_and_cli_mirror_override() {
        let c = NetConfig::resolve(&NetOptions::default(), &MemoryEnv::new()).unwrap();
        assert_eq!(c.mirror, DEFAULT_MIRROR);
        assert_eq!(c.mirror_origin, MirrorOrigin::Default);
        let blank = MemoryEnv::from_pairs([("PYTHON_BUILD_MIRROR_URL", "  ")]);
        let c = NetConfig::resolve(&NetOptions::default(), &blank).unwrap();
        assert_eq!(c.mirror, DEFAULT_MIRROR);
        assert!(c.extra_ca_files.is_empty());
        let opts = NetOptions {
            mirror: Some("C:\\mirror\\".into()),
            ..Default::default()
        };
        let env = MemoryEnv::from_pairs([("PYTHON_BUILD_MIRROR_URL", "https://env.example")]);
        let c = NetConfig::resolve(&opts, &env).unwrap();
        assert_eq!(c.mirror, "C:\\mirror");
        assert_eq!(c.mirror_origin, MirrorOrigin::Option);
        let python_org =
            MemoryEnv::from_pairs([("PYTHON_BUILD_MIRROR_URL", format!("{DEFAULT_MIRROR}/"))]);
        let c = NetConfig::resolve(&NetOptions::default(), &python_org).unwrap();
        assert_eq!(c.mirror_origin, MirrorOrigin::Default);
    }

    #[test]
    fn missing_cert_dir_is_a_clear_error() {
        let env = MemoryEnv::from_pairs([("SSL_CERT_DIR", "/nonexistent/pyv-certs")]);
        let e = NetConfig::resolve(&NetOptions::default(), &env)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/nonexistent/pyv-certs") && e.contains("SSL_CERT_DIR"),
            "{e}"
        );
    }

    #[test]
    fn numeric_settings_are_range_checked_when_read() {
        let read = |var: &str, value: &str| {
            let env = MemoryEnv::from_pairs([(var, value)]);
            NetOptions::default()
                .with_env_knobs(&env)
                .map_err(|e| e.to_string())
        };
        let o = read("PYV_HTTP_TIMEOUT", " 3600 ").unwrap();
        assert_eq!(o.read_timeout, Some(Duration::from_secs(3600)));
        assert_eq!(o.connect_timeout, Some(Duration::from_secs(3600)));
        assert_eq!(read("PYV_HTTP_RETRIES", "0").unwrap().retries, Some(0));
        assert_eq!(read("PYV_HTTP_RETRIES", "10").unwrap().retries, Some(10));
        assert_eq!(read("PYV_HTTP_TIMEOUT", "  ").unwrap().read_timeout, None);
        let timeout_range = "set it to a whole number of seconds from 1 to 3600, or unset it";
        for big in [
            "18446744073709551615",
            "99999999999999999999999",
            "3601",
            "0",
        ] {
            assert_eq!(
                read("PYV_HTTP_TIMEOUT", big).unwrap_err(),
                format!("PYV_HTTP_TIMEOUT=\"{big}\" is out of range; {timeout_range}")
            );
        }
        assert_eq!(
            read("PYV_HTTP_TIMEOUT", "5s").unwrap_err(),
            format!("PYV_HTTP_TIMEOUT=\"5s\" is not a whole number; {timeout_range}")
        );
        assert_eq!(
            read("PYV_HTTP_RETRIES", "11").unwrap_err(),
            "PYV_HTTP_RETRIES=\"11\" is out of range; set it to a whole number of attempts from 0 to 10, or unset it"
        );
        assert_eq!(
            read("PYV_HTTP_RETRIES", "-1").unwrap_err(),
            "PYV_HTTP_RETRIES=\"-1\" is not a whole number; set it to a whole number of attempts from 0 to 10, or unset it"
        );
    }

    #[test]
    fn a_callers_huge_timeout_is_capped() {
        let opts = NetOptions {
            read_timeout: Some(Duration::MAX),
            connect_timeout: Some(Duration::from_secs(u64::MAX)),
            ..Default::default()
        };
        let c = NetConfig::resolve(&opts, &MemoryEnv::new()).unwrap();
        assert_eq!(c.read_timeout, MAX_TIMEOUT);
        assert_eq!(c.connect_timeout, MAX_TIMEOUT);
    }
}
