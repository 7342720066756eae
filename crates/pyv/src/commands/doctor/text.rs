//! doctor's report as text: one block per section, each problem or warning under the facts
//! it is about, then a one-line summary.

use super::report::{Issue, Level, Probe, Report, Section};
use pyv_net::tls_registry::{self, Setting};
use pyv_net::{CaOrigin, Decider, MirrorOrigin, ProxyDecision};

/// How pyv avoids Windows 7's TLS trap, printed on every OS so the advice is the same
/// everywhere.
pub const TLS12_NOTE: &str = "pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely";

pub fn render(r: &Report) -> Vec<String> {
    let mut out = Vec::new();
    let p = pyv_core::prog::name();

    out.push("Root".to_string());
    out.push(format!(
        "  {} (from {}){}",
        r.root.dir.display(),
        r.root.source,
        if r.root.exists { "" } else { ", missing" }
    ));
    out.push(format!(
        "  settings: {} ({})",
        r.root.settings_file.display(),
        if r.root.settings_exists {
            "present"
        } else {
            "none"
        }
    ));
    issues(&mut out, r, Section::Root);

    out.push(String::new());
    out.push("PATH".to_string());
    match r.path.shims_position {
        Some(i) => out.push(format!(
            "  shims folder: {} (PATH entry {} of {})",
            r.path.shims_dir.display(),
            i + 1,
            r.path.entries
        )),
        None => out.push(format!(
            "  shims folder: {} (not on PATH)",
            r.path.shims_dir.display()
        )),
    }
    if r.path.shims_position.is_none() {
        for s in &r.path.shadowing {
            out.push(format!(
                "  '{}' runs {}{}",
                s.command,
                s.file.display(),
                if s.store_alias {
                    " (a Microsoft Store alias)"
                } else {
                    ""
                }
            ));
        }
    } else if r.path.shadowing.is_empty() {
        out.push("  nothing before it provides python, python3 or pip".to_string());
    }
    issues(&mut out, r, Section::Path);

    out.push(String::new());
    out.push("Network".to_string());
    if let Some(n) = &r.net {
        let origin = match n.mirror_origin {
            MirrorOrigin::Default => "python.org, the default".to_string(),
            o @ (MirrorOrigin::EnvVar | MirrorOrigin::Option) => format!("from {o}"),
        };
        out.push(format!("  mirror: {} ({origin})", n.mirror));
        out.push(format!(
            "  trusted CAs: {}{}",
            if cfg!(windows) {
                "the Windows certificate store"
            } else {
                "the system's CA store"
            },
            if n.ca_files.is_empty() { "" } else { ", plus:" }
        ));
        // A CA folder holds hundreds of files: summarised, with only unusable ones named.
        let (dir_files, files): (Vec<_>, Vec<_>) = n
            .ca_files
            .iter()
            .partition(|c| c.file.origin == CaOrigin::SslCertDir);
        for c in files
            .iter()
            .chain(dir_files.iter().filter(|c| c.loaded.is_err()))
        {
            let what = match &c.loaded {
                Ok(1) => "1 certificate".to_string(),
                Ok(k) => format!("{k} certificates"),
                Err(_) => "unusable".to_string(),
            };
            out.push(format!(
                "    {} (from {}): {what}",
                c.file.path.display(),
                c.file.origin
            ));
        }
        if !dir_files.is_empty() {
            let certs: usize = dir_files
                .iter()
                .filter_map(|c| c.loaded.as_ref().ok())
                .sum();
            out.push(format!(
                "    SSL_CERT_DIR={}: {} files, {certs} certificates",
                n.ssl_cert_dir.as_deref().unwrap_or(""),
                dir_files.len()
            ));
        }
        let px = &n.proxy;
        match &px.system {
            _ if px.https.is_some() || px.http.is_some() => {
                if let Some(u) = &px.https {
                    out.push(format!("  proxy for https: {u}"));
                }
                if let Some(u) = &px.http {
                    out.push(format!("  proxy for http: {u}"));
                }
            }
            Some(sys) => {
                out.push(format!(
                    "  Windows proxy settings ({}):",
                    sys.origin.place()
                ));
                if sys.auto_detect {
                    out.push("    automatically detect settings (WPAD): on".to_string());
                }
                if let Some(pac) = &sys.pac_url {
                    out.push(format!("    setup script (PAC): {pac}"));
                }
                if let Some(server) = &sys.server {
                    out.push(format!("    proxy server: {server}"));
                }
                if let Some(bypass) = &sys.bypass {
                    out.push(format!("    bypass: {bypass}"));
                }
            }
            None => out.push("  proxy: none (direct connection)".to_string()),
        }
        let configured = px.https.is_some() || px.http.is_some() || px.system.is_some();
        match px.mirror.as_ref().filter(|_| configured) {
            Some(ProxyDecision::Proxy(p, by)) => out.push(format!(
                "  proxy for the mirror: {} (from {by})",
                super::report::shown_proxy(p)
            )),
            Some(ProxyDecision::Direct(Decider::Nothing)) => {
                out.push("  proxy for the mirror: none".to_string())
            }
            Some(ProxyDecision::Direct(by)) => {
                out.push(format!("  proxy for the mirror: none (from {by})"))
            }
            None => {}
        }
        if let Some(np) = &px.no_proxy {
            out.push(format!("  no proxy for: {np}"));
        }
        let stack = if cfg!(windows) { "SChannel" } else { "OpenSSL" };
        match (&n.probe, &n.host) {
            (Probe::Done(results), Some((host, port))) => {
                out.push(format!(
                    "  TLS handshake with {host}:{port} ({stack}), per version:"
                ));
                let mut shown = String::new();
                for (v, res) in results {
                    out.push(match res {
                        Ok(()) => format!("    {v}  yes"),
                        Err(d) => format!("    {v}  no ({})", d.category.label()),
                    });
                    if let (true, Err(d)) = (r.verbose, res) {
                        // The first line is the message, said once below; a version that
                        // failed exactly like the one before says so instead of repeating.
                        let full = d.verbose();
                        let detail = full.lines().skip(1).collect::<Vec<_>>().join("\n");
                        // The clock line may tick between two handshakes; it is not a detail
                        // of the failure.
                        let key: Vec<&str> = detail
                            .lines()
                            .filter(|l| !l.trim_start().starts_with("local clock:"))
                            .collect();
                        let key = key.join("\n");
                        if key == shown {
                            out.push("      (the same details as above)".to_string());
                        } else {
                            for l in detail.lines() {
                                out.push(format!("      {}", l.trim_start()));
                            }
                            shown = key;
                        }
                    }
                }
            }
            (Probe::Done(_), None) => {}
            (Probe::Skipped(why), _) => out.push(format!("  TLS test: skipped, {why}")),
        }
    }
    out.push(format!("  note: {TLS12_NOTE}"));
    issues(&mut out, r, Section::Network);

    out.push(String::new());
    out.push("Clock".to_string());
    out.push(format!("  local: {}", r.clock.local));
    out.push(format!("  UTC:   {}", r.clock.utc));
    issues(&mut out, r, Section::Clock);

    out.push(String::new());
    out.push("Windows TLS settings".to_string());
    match &r.windows {
        None => out.push(format!("  not applicable: {}", tls_registry::NOT_WINDOWS)),
        Some(w) => {
            if let Some(os) = w.snapshot.os {
                out.push(format!(
                    "  {} (version {}.{}, build {})",
                    os.name(),
                    os.major,
                    os.minor,
                    os.build
                ));
            }
            let mut last_key = String::new();
            for s in Setting::ALL {
                let key = s.display_key();
                if key != last_key {
                    out.push(format!("  {key}"));
                    last_key = key;
                }
                out.push(format!(
                    "    {} = {}",
                    s.value_name(),
                    tls_registry::describe(s, w.snapshot.get(s), w.snapshot.os)
                ));
            }
            for f in &w.findings {
                if f.severity == tls_registry::Severity::Ok {
                    out.push(format!("  ok: {}", f.text));
                }
            }
            if !w.plan.is_empty() {
                out.push(format!(
                    "  '{p} doctor --fix-tls' would write (from an elevated prompt):"
                ));
                for c in &w.plan {
                    out.push(format!(
                        "    {} = 0x{:08X} (now {})",
                        c.setting, c.to, c.from
                    ));
                }
            }
        }
    }
    issues(&mut out, r, Section::Windows);

    out.push(String::new());
    out.push(summary(r));
    out
}

fn issues(out: &mut Vec<String>, r: &Report, section: Section) {
    for i in r.issues.iter().filter(|i| i.section == section) {
        push_issue(out, i);
    }
}

fn push_issue(out: &mut Vec<String>, i: &Issue) {
    let tag = match i.level {
        Level::Problem => "problem",
        Level::Warning => "warning",
    };
    out.push(format!("  {tag}: {}", i.message));
    out.push(format!("    fix: {}", i.fix));
}

pub fn summary(r: &Report) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (r.problems(), r.warnings()) {
        (0, 0) => "No problems found.".to_string(),
        (0, w) => format!("No problems found; {}.", plural(w, "warning")),
        (p, w) => format!("{}, {}.", plural(p, "problem"), plural(w, "warning")),
    }
}
