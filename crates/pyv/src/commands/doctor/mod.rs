//! `pyv doctor`: the root, PATH, the network settings and a TLS test of the mirror, the
//! clock, and on Windows the registry's TLS switches; `--fix-tls` writes Microsoft's values.
//! Exits with 1 when something pyv needs is broken.

mod json;
mod report;
mod text;

use crate::error::CliError;
use crate::output::line;
use pyv_net::tls_registry::{self, Severity};
use std::path::PathBuf;

pub fn doctor(
    fix_tls: bool,
    as_json: bool,
    cacert: Vec<PathBuf>,
    verbose: bool,
) -> Result<(), CliError> {
    if fix_tls {
        return fix(as_json);
    }
    let mut r = report::gather(&report::Inputs::from_process(cacert));
    r.verbose = verbose;
    if as_json {
        line(pretty(&json::render(&r)));
    } else {
        text::render(&r).into_iter().for_each(line);
    }
    if r.problems() > 0 {
        // Already reported above.
        return Err(CliError::Exit(1));
    }
    Ok(())
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

fn fix(as_json: bool) -> Result<(), CliError> {
    let Some(before) = tls_registry::read_system() else {
        if as_json {
            line(pretty(&serde_json::json!({
                "applied": false,
                "reason": tls_registry::NOT_WINDOWS,
                "changes": [],
            })));
        } else {
            line(format!("Nothing to fix: {}.", tls_registry::NOT_WINDOWS));
        }
        return Ok(());
    };
    let plan = tls_registry::fix_plan(&before);
    if plan.is_empty() {
        if as_json {
            line(pretty(
                &serde_json::json!({ "applied": false, "changes": [] }),
            ));
        } else {
            line("Nothing to fix: pyv and WinHTTP programs (64- and 32-bit) can use TLS 1.2 with the current settings.");
        }
        return Ok(());
    }
    if !as_json {
        line("Writing Microsoft's KB3140245 values:");
        for c in &plan {
            line(format!("  {} = 0x{:08X} (was {})", c.setting, c.to, c.from));
        }
    }
    if let Err(e) = tls_registry::apply_system(&plan) {
        if as_json {
            line(pretty(&serde_json::json!({
                "applied": false,
                "changes": json::changes(&plan),
                "error": e.to_string(),
            })));
        }
        return Err(e.into());
    }
    let after = tls_registry::read_system().unwrap_or_default();
    let left: Vec<String> = tls_registry::assess(&after)
        .into_iter()
        .filter(|f| f.severity != Severity::Ok)
        .map(|f| f.text)
        .collect();
    if as_json {
        line(pretty(&serde_json::json!({
            "applied": true,
            "changes": json::changes(&plan),
            "remaining": left,
        })));
    } else {
        line("Done. Restart Windows for SChannel to pick up the new values.");
        for l in &left {
            line(format!("  still: {l}"));
        }
    }
    Ok(())
}
