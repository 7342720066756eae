//! Gathers doctor's report from the libraries. Every check adds its facts to its section and
//! its problems (exit code 1) or warnings to `issues`; rendering is in `text.rs`/`json.rs`.

use crate::cli::NetArgs;
use crate::commands::net;
use pyv_core::path_check::{self, PathCheck};
use pyv_core::{exe, Env, ProcessEnv, Root};
use pyv_net::ca;
use pyv_net::config::CaFile;
use pyv_net::diagnose::{Diagnosis, Place};
use pyv_net::source::Source;
use pyv_net::system_proxy::SystemSettings;
use pyv_net::tls_registry::{self, Change, Finding, Severity, Snapshot};
use pyv_net::{
    probe_tls, Category, MirrorOrigin, NetConfig, NetOptions, ProxyDecision, TlsVersion,
};
use std::path::PathBuf;

/// Which part of the report an issue belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Root,
    Path,
    Network,
    Clock,
    Windows,
}

impl Section {
    pub fn key(self) -> &'static str {
        match self {
            Section::Root => "root",
            Section::Path => "path",
            Section::Network => "network",
            Section::Clock => "clock",
            Section::Windows => "windows",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Something pyv needs is broken: doctor exits with 1.
    Problem,
    /// Worth knowing, but pyv works.
    Warning,
}

#[derive(Clone, Debug)]
pub struct Issue {
    pub section: Section,
    pub level: Level,
    /// What is wrong, naming the folder, file, value or host.
    pub message: String,
    /// The next step.
    pub fix: String,
}

pub struct RootInfo {
    pub dir: PathBuf,
    pub source: String,
    pub exists: bool,
    pub settings_file: PathBuf,
    pub settings_exists: bool,
}

pub struct CaInfo {
    pub file: CaFile,
    /// Number of certificates, or why the file is unusable.
    pub loaded: Result<usize, String>,
}

pub struct ProxyInfo {
    pub https: Option<String>,
    pub http: Option<String>,
    pub no_proxy: Option<String>,
    /// Windows' proxy settings, when no proxy variable is set and there are some.
    pub system: Option<SystemSettings>,
    /// Where a request to the mirror goes and who decided (http/https mirrors only).
    pub mirror: Option<ProxyDecision>,
}

pub enum Probe {
    /// The versions tried against `host:port`.
    Done(Vec<(TlsVersion, Result<(), Diagnosis>)>),
    /// Not tested, and why.
    Skipped(String),
}

pub struct NetInfo {
    /// The mirror the catalog and installers come from.
    pub mirror: String,
    /// Where the mirror setting came from.
    pub mirror_origin: MirrorOrigin,
    pub host: Option<(String, u16)>,
    pub ca_files: Vec<CaInfo>,
    /// The SSL_CERT_DIR value the `SSL_CERT_DIR` files came from.
    pub ssl_cert_dir: Option<String>,
    pub proxy: ProxyInfo,
    pub probe: Probe,
}

pub struct ClockInfo {
    pub unix: i64,
    pub local: String,
    pub utc: String,
}

pub struct WindowsInfo {
    pub snapshot: Snapshot,
    pub findings: Vec<Finding>,
    pub plan: Vec<Change>,
}

pub struct Report {
    pub root: RootInfo,
    pub path: PathCheck,
    /// `None` when the network settings themselves are invalid (an issue says why).
    pub net: Option<NetInfo>,
    pub clock: ClockInfo,
    pub windows: Option<WindowsInfo>,
    pub issues: Vec<Issue>,
    /// `-v`: the TLS library's words under each failed handshake.
    pub verbose: bool,
}

impl Report {
    pub fn problems(&self) -> usize {
        self.issues
            .iter()
            .filter(|i| i.level == Level::Problem)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.issues.len() - self.problems()
    }
}

/// What the command line passes in.
pub struct Inputs {
    pub root: Root,
    pub env: Box<dyn Env>,
    pub path_var: Option<std::ffi::OsString>,
    pub exts: Vec<String>,
    pub cacert: Vec<PathBuf>,
}

impl Inputs {
    pub fn from_process(cacert: Vec<PathBuf>) -> Inputs {
        Inputs {
            root: Root::discover(),
            env: Box::new(ProcessEnv),
            path_var: ProcessEnv.var_os("PATH"),
            exts: exe::extensions(),
            cacert,
        }
    }
}

/// This pyv cannot have been built before this date (2025-01-01 UTC): a clock before it is
/// certainly wrong.
const EARLIEST_PLAUSIBLE_UNIX: i64 = 1_735_689_600;

pub fn gather(input: &Inputs) -> Report {
    let mut issues = Vec::new();
    let root = root_info(&input.root, &mut issues);
    let path = path_check::check(
        input.path_var.as_deref(),
        &input.root.shims_dir(),
        &input.exts,
    );
    path_issues(&path, &input.root, &mut issues);
    // The same options every networked command uses (settings file, PYV_HTTP_TIMEOUT, ...).
    let args = NetArgs {
        cacert: input.cacert.clone(),
        ..NetArgs::default()
    };
    let opts = match net::options(&input.root, &args, input.env.as_ref()) {
        Ok(o) => o,
        Err(e) => {
            issues.push(Issue {
                section: Section::Network,
                level: Level::Problem,
                message: e.to_string(),
                fix: "every download fails until this is corrected; the checks below ignore that setting".to_string(),
            });
            NetOptions {
                cacert: input.cacert.clone(),
                ..NetOptions::default()
            }
        }
    };
    let net = net_info(input, &opts, &mut issues);
    let clock = clock_info(net.as_ref(), &mut issues);
    let windows = windows_info(&mut issues);
    Report {
        root,
        path,
        net,
        clock,
        windows,
        issues,
        verbose: false,
    }
}

fn root_info(root: &Root, issues: &mut Vec<Issue>) -> RootInfo {
    let exists = root.dir().is_dir();
    if !exists {
        issues.push(Issue {
            section: Section::Root,
            level: Level::Warning,
            message: format!("the root folder {} does not exist yet", root.dir().display()),
            fix: format!(
                "'{} install <version>' creates it; if your versions are elsewhere, set PYENV_ROOT to that folder",
                pyv_core::prog::name()
            ),
        });
    }
    let settings_file = root.settings_file();
    RootInfo {
        dir: root.dir().to_path_buf(),
        source: root.source().to_string(),
        exists,
        settings_exists: settings_file.is_file(),
        settings_file,
    }
}

fn path_issues(c: &PathCheck, root: &Root, issues: &mut Vec<Issue>) {
    let shims = c.shims_dir.display();
    if c.shims_position.is_none() {
        issues.push(Issue {
            section: Section::Path,
            level: Level::Problem,
            message: format!(
                "the shims folder {shims} is not on PATH, so 'python' and 'pip' do not run the version pyv selects"
            ),
            fix: format!(
                "add {shims} and {} to the front of your user PATH, then open a new terminal",
                root.bin_dir().display()
            ),
        });
        return;
    }
    for first in c.shadowing_dirs() {
        let in_dir: Vec<String> = c
            .shadowing
            .iter()
            .filter(|s| s.position == first.position)
            .map(|s| s.file.display().to_string())
            .collect();
        let (message, fix) = if first.store_alias {
            (
                format!(
                    "{} comes before the shims folder on PATH and holds Microsoft Store app execution aliases ({}), which run instead of pyv's shims",
                    first.dir.display(),
                    in_dir.join(", ")
                ),
                "turn off the python.exe and python3.exe entries under Settings > Apps > Advanced app settings > App execution aliases, or move this folder after the shims folder in PATH".to_string(),
            )
        } else {
            (
                format!(
                    "{} comes before the shims folder on PATH and provides {}, which run instead of pyv's shims",
                    first.dir.display(),
                    in_dir.join(", ")
                ),
                format!(
                    "move {shims} before it in PATH, or remove it from PATH (a Python installed for all users is in the system PATH, which Windows puts before the user PATH)"
                ),
            )
        };
        issues.push(Issue {
            section: Section::Path,
            level: Level::Problem,
            message,
            fix,
        });
    }
}

fn net_info(input: &Inputs, opts: &NetOptions, issues: &mut Vec<Issue>) -> Option<NetInfo> {
    let config = match NetConfig::resolve(opts, input.env.as_ref()) {
        Ok(c) => c,
        Err(e) => {
            // The message already names the setting and the fix.
            issues.push(Issue {
                section: Section::Network,
                level: Level::Problem,
                message: e.to_string(),
                fix: "correct the setting named above; the TLS test was skipped".to_string(),
            });
            return None;
        }
    };
    let mut ca_files = Vec::new();
    for file in &config.extra_ca_files {
        let loaded = ca::load(file).map(|d| d.len()).map_err(|e| e.to_string());
        if let Err(e) = &loaded {
            issues.push(Issue {
                section: Section::Network,
                level: Level::Problem,
                message: e.clone(),
                fix: format!(
                    "every download fails until this is fixed; remove the file from {} or replace it",
                    file.origin
                ),
            });
        }
        ca_files.push(CaInfo {
            file: file.clone(),
            loaded,
        });
    }
    // Asked before the probe, which then reuses the answer (a PAC script runs once).
    let mirror_url = match Source::parse(&config.mirror) {
        Ok(Source::Http(u)) => Some(u),
        _ => None,
    };
    let proxy = ProxyInfo {
        https: config.proxy.https.as_ref().map(shown_proxy),
        http: config.proxy.http.as_ref().map(shown_proxy),
        no_proxy: input
            .env
            .non_empty("no_proxy")
            .or_else(|| input.env.non_empty("NO_PROXY")),
        system: config.system_proxy.as_ref().map(|s| s.settings.clone()),
        mirror: mirror_url.as_ref().map(|u| config.proxy_for(u)),
    };
    if let Some(sys) = &config.system_proxy {
        for entry in &sys.list.ignored {
            issues.push(Issue {
                section: Section::Network,
                level: Level::Warning,
                message: format!("the system proxy setting {entry} is not used"),
                fix: "if downloads fail, set HTTPS_PROXY=http://proxy:port (ask IT for the proxy address)".to_string(),
            });
        }
        if let Some(why) = sys.auto_failure() {
            issues.push(Issue {
                section: Section::Network,
                level: Level::Warning,
                message: format!("automatic proxy configuration gave no answer ({why}); pyv used the static proxy settings"),
                fix: "if downloads fail, check the proxy script address in Windows' proxy settings, or set HTTPS_PROXY=http://proxy:port (ask IT for the proxy address)".to_string(),
            });
        }
    }
    let (host, probe) = probe_mirror(&config, ca_files.iter().all(|c| c.loaded.is_ok()));
    if let Probe::Done(results) = &probe {
        probe_issues(results, host.as_ref(), issues);
    }
    Some(NetInfo {
        mirror: config.mirror.clone(),
        mirror_origin: config.mirror_origin,
        host,
        ca_files,
        ssl_cert_dir: input.env.non_empty("SSL_CERT_DIR"),
        proxy,
        probe,
    })
}

/// A proxy for display: credentials replaced by `user:***`.
pub(super) fn shown_proxy(p: &pyv_net::proxy::ProxyEndpoint) -> String {
    match &p.username {
        Some(user) => {
            let url = p.url();
            let (scheme, rest) = url.split_once("://").unwrap_or(("http", &url));
            format!("{scheme}://{user}:***@{rest}")
        }
        None => p.url(),
    }
}

fn probe_mirror(config: &NetConfig, cas_ok: bool) -> (Option<(String, u16)>, Probe) {
    let url = match Source::parse(&config.mirror) {
        Ok(Source::Http(u)) => u,
        Ok(Source::File(p)) => {
            return (
                None,
                Probe::Skipped(format!("the mirror is the folder {}", p.display())),
            )
        }
        Err(e) => return (None, Probe::Skipped(e.to_string())),
    };
    let host = url
        .host_str()
        .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_string());
    let (Some(host), Some(port)) = (host, url.port_or_known_default()) else {
        return (
            None,
            Probe::Skipped("the mirror URL has no host".to_string()),
        );
    };
    let target = Some((host.clone(), port));
    if url.scheme() != "https" {
        return (
            target,
            Probe::Skipped("the mirror uses plain http://, without TLS".to_string()),
        );
    }
    if !cas_ok {
        return (
            target,
            Probe::Skipped("a CA certificate file is unusable (see above)".to_string()),
        );
    }
    (target, Probe::Done(probe_tls(config, &host, port)))
}

fn probe_issues(
    results: &[(TlsVersion, Result<(), Diagnosis>)],
    host: Option<&(String, u16)>,
    issues: &mut Vec<Issue>,
) {
    let usable = results
        .iter()
        .any(|(v, r)| *v >= TlsVersion::Tls12 && r.is_ok());
    if usable {
        return;
    }
    // TLS 1.2 is pyv's minimum, so its failure is the one that explains.
    let deciding = results
        .iter()
        .find(|(v, _)| *v == TlsVersion::Tls12)
        .and_then(|(_, r)| r.as_ref().err());
    let (host, port) = host.cloned().unwrap_or_default();
    let (message, fix) = match deciding {
        Some(d) => (d.summary(), d.fix_for(Place::Doctor)),
        None => (
            format!("no TLS 1.2 or 1.3 connection to {host}:{port}"),
            "see the lines above".to_string(),
        ),
    };
    issues.push(Issue {
        section: Section::Network,
        level: Level::Problem,
        message: format!("downloads from {host}:{port} cannot work: {message}"),
        fix,
    });
}

fn clock_info(net: Option<&NetInfo>, issues: &mut Vec<Issue>) -> ClockInfo {
    let now = chrono::Utc::now();
    let local = now.with_timezone(&chrono::Local);
    let info = ClockInfo {
        unix: now.timestamp(),
        local: local.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
        utc: now.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    };
    let cert_dates = net.is_some_and(|n| match &n.probe {
        Probe::Done(r) => r.iter().any(|(_, r)| {
            r.as_ref()
                .is_err_and(|d| matches!(d.category, Category::Expired | Category::NotYetValid))
        }),
        Probe::Skipped(_) => false,
    });
    issues.extend(clock_issue(info.unix, &info.utc, cert_dates));
    info
}

/// A clock before this pyv was built is certainly wrong; a certificate outside its dates
/// may be the clock's fault.
fn clock_issue(unix: i64, utc: &str, cert_dates: bool) -> Option<Issue> {
    if unix < EARLIEST_PLAUSIBLE_UNIX {
        Some(Issue {
            section: Section::Clock,
            level: Level::Problem,
            message: format!(
                "this computer's clock says {utc}, before this pyv was even built: every certificate looks 'not yet valid'"
            ),
            fix: "set the date, time and time zone correctly (Windows: Settings > Time & language > Set time automatically)".to_string(),
        })
    } else if cert_dates {
        Some(Issue {
            section: Section::Clock,
            level: Level::Warning,
            message: format!(
                "the server's certificate is outside its validity dates by this computer's clock ({utc})"
            ),
            fix: "if the date or time above is wrong, correct it; otherwise the server's certificate is at fault".to_string(),
        })
    } else {
        None
    }
}

fn windows_info(issues: &mut Vec<Issue>) -> Option<WindowsInfo> {
    let snapshot = tls_registry::read_system()?;
    let findings = tls_registry::assess(&snapshot);
    let plan = tls_registry::fix_plan(&snapshot);
    let p = pyv_core::prog::name();
    for f in &findings {
        let level = match f.severity {
            Severity::Ok => continue,
            Severity::Warning => Level::Warning,
            Severity::Problem => Level::Problem,
        };
        issues.push(Issue {
            section: Section::Windows,
            level,
            message: f.text.clone(),
            fix: format!(
                "run '{p} doctor --fix-tls' from an elevated prompt to write Microsoft's KB3140245 values (Windows 7 also needs update KB3140245 installed)"
            ),
        });
    }
    Some(WindowsInfo {
        snapshot,
        findings,
        plan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_before_the_build_is_a_problem_and_certificate_dates_a_warning() {
        let i = clock_issue(1_000_000_000, "2001-09-09 01:46:40 UTC", false).unwrap();
        assert_eq!(i.level, Level::Problem);
        assert!(i.message.contains("2001-09-09"), "{}", i.message);
        // The clock problem explains the certificate failure; no second issue.
        assert_eq!(
            clock_issue(1_000_000_000, "x", true).map(|i| i.level),
            Some(Level::Problem)
        );
        let now = EARLIEST_PLAUSIBLE_UNIX + 86_400;
        assert!(clock_issue(now, "x", false).is_none());
        assert_eq!(
            clock_issue(now, "x", true).map(|i| i.level),
            Some(Level::Warning)
        );
    }

    #[test]
    fn proxy_credentials_are_never_shown() {
        let p =
            pyv_net::proxy::ProxyEndpoint::parse("http://DOM%5Cjane:s3cr%40t@proxy:3128").unwrap();
        assert_eq!(shown_proxy(&p), "http://DOM\\jane:***@proxy:3128");
        let p = pyv_net::proxy::ProxyEndpoint::parse("proxy:8080").unwrap();
        assert_eq!(shown_proxy(&p), "http://proxy:8080");
    }
}
