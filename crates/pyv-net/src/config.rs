//! Everything the client needs to know, resolved once from CLI options plus the environment.
//! The environment comes in as an [`EnvMap`], so tests inject their own instead of mutating
//! the process environment.

use crate::error::NetError;
use crate::proxy::ProxyConfig;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// python.org's download tree, the default mirror.
pub const DEFAULT_MIRROR: &str = pyv_catalog::DEFAULT_BASE;

/// Environment variables by name.
#[derive(Clone, Debug, Default)]
pub struct EnvMap(HashMap<String, String>);

impl EnvMap {
    /// The current process environment (values that are not valid Unicode are skipped).
    pub fn from_process() -> EnvMap {
        EnvMap(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        )
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> EnvMap {
        EnvMap(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// A non-empty value. Exact name first; on Windows, where names are case-insensitive,
    /// any spelling.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.get_entry(name).map(|(_, v)| v)
    }

    /// Like [`EnvMap::get`], with the name as actually spelled (for messages).
    pub fn get_entry(&self, name: &str) -> Option<(&str, &str)> {
        let exact = self.0.get_key_value(name);
        let found = if cfg!(windows) {
            exact.or_else(|| self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
        } else {
            exact
        };
        found
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .filter(|(_, v)| !v.trim().is_empty())
    }
}

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
    /// Extra attempts after a transient failure.
    pub retries: Option<u32>,
    /// First pause between attempts; doubles each time (capped at 8 s).
    pub retry_backoff: Option<Duration>,
    /// Fetch the peer certificate in a separate, verification-free, data-free handshake to
    /// show names and dates in TLS diagnoses (default on).
    pub inspect_on_failure: Option<bool>,
}

/// Where an extra CA file came from, for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaFile {
    pub path: PathBuf,
    pub origin: String,
}

/// The resolved configuration.
#[derive(Clone, Debug)]
pub struct NetConfig {
    /// Extra trusted roots, added to (never replacing) the platform's roots.
    pub extra_ca_files: Vec<CaFile>,
    /// Mirror base URL (or `file://` URL, or folder path), without a trailing slash.
    pub mirror: String,
    pub proxy: ProxyConfig,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub retries: u32,
    pub retry_backoff: Duration,
    pub inspect_on_failure: bool,
    pub user_agent: String,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            extra_ca_files: Vec::new(),
            mirror: DEFAULT_MIRROR.to_string(),
            proxy: ProxyConfig::default(),
            connect_timeout: Duration::from_secs(20),
            read_timeout: Duration::from_secs(60),
            retries: 3,
            retry_backoff: Duration::from_secs(1),
            inspect_on_failure: true,
            user_agent: format!("pyv/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl NetConfig {
    /// Combines CLI options with PYTHON_BUILD_MIRROR_URL, SSL_CERT_FILE, SSL_CERT_DIR and the
    /// proxy variables from `env`. Fails on a bad proxy URL or an unreadable SSL_CERT_DIR;
    /// CA file contents are checked when the client is built.
    pub fn resolve(opts: &NetOptions, env: &EnvMap) -> Result<NetConfig, NetError> {
        let d = NetConfig::default();
        let mut cas: Vec<CaFile> = Vec::new();
        let mut add = |path: PathBuf, origin: &str| {
            if !cas.iter().any(|c| c.path == path) {
                cas.push(CaFile {
                    path,
                    origin: origin.to_string(),
                });
            }
        };
        for p in &opts.cacert {
            add(p.clone(), "--cacert");
        }
        if let Some(f) = env.get("SSL_CERT_FILE") {
            add(PathBuf::from(f), "SSL_CERT_FILE");
        }
        if let Some(dir) = env.get("SSL_CERT_DIR") {
            // OpenSSL allows a list; ';' on Windows, ':' elsewhere.
            let sep = if cfg!(windows) { ';' } else { ':' };
            for dir in dir.split(sep).filter(|s| !s.is_empty()) {
                for f in cert_files_in(Path::new(dir))? {
                    add(f, "SSL_CERT_DIR");
                }
            }
        }
        for p in &opts.settings_ca_files {
            add(p.clone(), "pyv settings (ca-file)");
        }
        let mirror = opts
            .mirror
            .clone()
            // Set but empty means unset, as in pyenv-win.
            .or_else(|| {
                env.get("PYTHON_BUILD_MIRROR_URL")
                    .filter(|v| !v.trim().is_empty())
                    .map(str::to_string)
            })
            .unwrap_or(d.mirror);
        let mirror = mirror.trim().trim_end_matches(['/', '\\']).to_string();
        // A typo is reported here, naming the variable, not at the first download.
        if let Err(NetError::BadUrl { reason, .. }) = crate::source::Source::parse(&mirror) {
            return Err(NetError::MirrorUrl {
                value: mirror,
                reason,
            });
        }
        Ok(NetConfig {
            extra_ca_files: cas,
            mirror,
            proxy: ProxyConfig::from_env(env)?,
            connect_timeout: opts.connect_timeout.unwrap_or(d.connect_timeout),
            read_timeout: opts.read_timeout.unwrap_or(d.read_timeout),
            retries: opts.retries.unwrap_or(d.retries),
            retry_backoff: opts.retry_backoff.unwrap_or(d.retry_backoff),
            inspect_on_failure: opts.inspect_on_failure.unwrap_or(true),
            user_agent: d.user_agent,
        })
    }

    /// `<mirror>/<rel>`: the URL (or path) of a file on the mirror.
    pub fn mirror_url(&self, rel: &str) -> String {
        format!("{}/{}", self.mirror, rel.trim_start_matches('/'))
    }
}

/// Certificate files in an SSL_CERT_DIR: `*.pem`, `*.crt`, `*.cer` and OpenSSL's hashed
/// names (`1a2b3c4d.0`).
fn cert_files_in(dir: &Path) -> Result<Vec<PathBuf>, NetError> {
    let rd = std::fs::read_dir(dir).map_err(|e| NetError::CaFile {
        path: dir.to_path_buf(),
        origin: "SSL_CERT_DIR".into(),
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

    #[test]
    fn env_sources_are_collected_in_order_without_duplicates() {
        let dir = std::env::temp_dir().join(format!("pyv-net-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("b.pem"), "x").unwrap();
        std::fs::write(dir.join("a1b2c3d4.0"), "x").unwrap();
        std::fs::write(dir.join("README"), "x").unwrap();
        let env = EnvMap::from_pairs([
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
        let got: Vec<(String, &str)> = c
            .extra_ca_files
            .iter()
            .map(|f| {
                (
                    f.path.file_name().unwrap().to_string_lossy().into_owned(),
                    f.origin.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("cli.pem".into(), "--cacert"),
                ("corp.pem".into(), "--cacert"),
                ("a1b2c3d4.0".into(), "SSL_CERT_DIR"),
                ("b.pem".into(), "SSL_CERT_DIR"),
                ("saved.pem".into(), "pyv settings (ca-file)"),
            ]
        );
        assert_eq!(c.mirror, "https://mirror.example/python");
        assert_eq!(
            c.mirror_url("3.12.0/python-3.12.0-amd64.exe"),
            "https://mirror.example/python/3.12.0/python-3.12.0-amd64.exe"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn defaults_and_cli_mirror_override() {
        let c = NetConfig::resolve(&NetOptions::default(), &EnvMap::default()).unwrap();
        assert_eq!(c.mirror, DEFAULT_MIRROR);
        let blank = EnvMap::from_pairs([("PYTHON_BUILD_MIRROR_URL", "  ")]);
        let c = NetConfig::resolve(&NetOptions::default(), &blank).unwrap();
        assert_eq!(c.mirror, DEFAULT_MIRROR);
        assert!(c.extra_ca_files.is_empty());
        let opts = NetOptions {
            mirror: Some("C:\\mirror\\".into()),
            ..Default::default()
        };
        let env = EnvMap::from_pairs([("PYTHON_BUILD_MIRROR_URL", "https://env.example")]);
        assert_eq!(
            NetConfig::resolve(&opts, &env).unwrap().mirror,
            "C:\\mirror"
        );
    }

    #[test]
    fn missing_cert_dir_is_a_clear_error() {
        let env = EnvMap::from_pairs([("SSL_CERT_DIR", "/nonexistent/pyv-certs")]);
        let e = NetConfig::resolve(&NetOptions::default(), &env)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/nonexistent/pyv-certs") && e.contains("SSL_CERT_DIR"),
            "{e}"
        );
    }
}
