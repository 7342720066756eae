//! doctor's report as JSON for scripts: the same facts and issues as the text.

use super::report::{Level, Probe, Report};
use pyv_net::tls_registry::{self, Reading, Setting, Severity};
use serde_json::{json, Value};

pub fn render(r: &Report) -> Value {
    json!({
        "ok": r.problems() == 0,
        "problems": r.problems(),
        "warnings": r.warnings(),
        "root": {
            "path": r.root.dir.display().to_string(),
            "source": r.root.source,
            "exists": r.root.exists,
            "settings_file": r.root.settings_file.display().to_string(),
            "settings_exists": r.root.settings_exists,
        },
        "path": {
            "shims_dir": r.path.shims_dir.display().to_string(),
            "shims_position": r.path.shims_position,
            "entries": r.path.entries,
            "shadowing": r.path.shadowing.iter().map(|s| json!({
                "command": s.command,
                "dir": s.dir.display().to_string(),
                "file": s.file.display().to_string(),
                "position": s.position,
                "store_alias": s.store_alias,
            })).collect::<Vec<_>>(),
        },
        "network": r.net.as_ref().map(|n| json!({
            "mirror": n.mirror,
            "mirror_origin": n.mirror_origin.to_string(),
            "host": n.host.as_ref().map(|(h, _)| h),
            "port": n.host.as_ref().map(|(_, p)| p),
            "ca_files": n.ca_files.iter().map(|c| json!({
                "path": c.file.path.display().to_string(),
                "origin": c.file.origin.to_string(),
                "certificates": c.loaded.as_ref().ok(),
                "error": c.loaded.as_ref().err(),
            })).collect::<Vec<_>>(),
            "ssl_cert_dir": n.ssl_cert_dir,
            "proxy": {
                "https": n.proxy.https,
                "http": n.proxy.http,
                "no_proxy": n.proxy.no_proxy,
                "system": n.proxy.system.as_ref().map(|s| json!({
                    "origin": s.origin.place(),
                    "auto_detect": s.auto_detect,
                    "pac": s.pac_url,
                    "server": s.server,
                    "bypass": s.bypass,
                })),
                "mirror": n.proxy.mirror.as_ref().map(|d| json!({
                    "proxy": d.endpoint().map(super::report::shown_proxy),
                    "from": d.decider().to_string(),
                })),
            },
            "tls": match &n.probe {
                Probe::Done(results) => json!({
                    "tested": true,
                    "versions": results.iter().map(|(v, res)| json!({
                        "version": v.to_string(),
                        "ok": res.is_ok(),
                        "category": res.as_ref().err().map(|d| d.category.label()),
                        "error": res.as_ref().err().map(|d| d.summary()),
                    })).collect::<Vec<_>>(),
                }),
                Probe::Skipped(why) => json!({ "tested": false, "skipped": why }),
            },
        })),
        "clock": {
            "local": r.clock.local,
            "utc": r.clock.utc,
            "unix": r.clock.unix,
        },
        "windows": r.windows.as_ref().map(|w| json!({
            "os": w.snapshot.os.map(|o| json!({
                "name": o.name(),
                "major": o.major,
                "minor": o.minor,
                "build": o.build,
            })),
            "values": Setting::ALL.iter().map(|s| {
                let reading = w.snapshot.get(*s);
                json!({
                    "key": s.display_key(),
                    "name": s.value_name(),
                    "value": match reading { Reading::Dword(v) => Some(*v), _ => None },
                    "meaning": tls_registry::describe(*s, reading, w.snapshot.os),
                })
            }).collect::<Vec<_>>(),
            "findings": w.findings.iter().map(|f| json!({
                "severity": match f.severity {
                    Severity::Ok => "ok",
                    Severity::Warning => "warning",
                    Severity::Problem => "problem",
                },
                "text": f.text,
            })).collect::<Vec<_>>(),
            "fix_plan": changes(&w.plan),
        })),
        "issues": r.issues.iter().map(|i| json!({
            "section": i.section.key(),
            "level": match i.level { Level::Problem => "problem", Level::Warning => "warning" },
            "message": i.message,
            "fix": i.fix,
        })).collect::<Vec<_>>(),
    })
}

pub fn changes(plan: &[tls_registry::Change]) -> Value {
    Value::Array(
        plan.iter()
            .map(|c| {
                json!({
                    "key": c.setting.display_key(),
                    "name": c.setting.value_name(),
                    "from": match &c.from { Reading::Dword(v) => Some(*v), _ => None },
                    "to": c.to,
                })
            })
            .collect(),
    )
}
