//! `pyv-testserver`: serves a folder over loopback HTTPS (and HTTP) with a freshly generated
//! PKI, for tests of Windows builds run under Wine. Prints `NAME=VALUE` lines, then runs until
//! standard input closes (or the process is killed).
//!
//! Usage: pyv-testserver --dir DIR --out DIR [--https-port N] [--http-port N]
//!
//! `--out` receives `root-ca.pem` (trust this), `root-ca.key`, `root.crl`, `intermediate.crl`;
//! a root already there is reused, so a trust store that holds it stays valid across runs.
//! Wine's SChannel checks revocation along the whole chain: cache both CRL URLs.
//! Printed: PYV_TS_HTTPS_URL (good chain), PYV_TS_EXPIRED_URL, PYV_TS_SELF_SIGNED_URL,
//! PYV_TS_WRONG_HOST_URL, PYV_TS_NO_INTERMEDIATE_URL, PYV_TS_LEGACY_URL, PYV_TS_REVOKED_URL,
//! PYV_TS_HTTP_URL, PYV_TS_CA (PEM path), PYV_TS_CRL_URLS (space-separated), then `READY`.

use pyv_testserver::{pki, Fixture, Pki, Profile, RootCa, Server};
use std::io::Read;
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("pyv-testserver: {e}");
        std::process::exit(2);
    }
}

#[cfg(not(windows))]
fn run() -> Result<(), String> {
    let mut dir: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut https_port = 0u16;
    let mut http_port = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--dir" => dir = Some(val()?.into()),
            "--out" => out = Some(val()?.into()),
            "--https-port" => {
                https_port = val()?.parse().map_err(|e| format!("--https-port: {e}"))?
            }
            "--http-port" => http_port = val()?.parse().map_err(|e| format!("--http-port: {e}"))?,
            "-h" | "--help" => {
                println!(
                    "usage: pyv-testserver --dir DIR --out DIR [--https-port N] [--http-port N]"
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let dir = dir.ok_or("--dir is required")?;
    let out = out.ok_or("--out is required")?;

    let http = Server::bind_port(http_port, None)?;
    http.serve_dir(&dir);
    // Reuse the root kept in --out (Wine's ROOT store keeps what was installed once).
    let key_path = out.join("root-ca.key");
    let saved = match (
        std::fs::read_to_string(out.join("root-ca.pem")),
        std::fs::read_to_string(&key_path),
    ) {
        (Ok(cert_pem), Ok(key_pem)) => Some(RootCa { cert_pem, key_pem }),
        _ => None,
    };
    let fixture = Fixture {
        pki: Pki::generate_with_root(&http.ip_origin(), saved.as_ref())?,
        http,
    };
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    std::fs::write(&key_path, &fixture.pki.root_key_pem).map_err(|e| e.to_string())?;
    let p = &fixture.pki;
    fixture
        .http
        .add_file(pki::ROOT_CRL_PATH, p.root_crl_der.clone());
    fixture
        .http
        .add_file(pki::INTERMEDIATE_CRL_PATH, p.intermediate_crl_der.clone());
    let ca = p
        .write_root(&out)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    std::fs::write(out.join("root.crl"), &p.root_crl_der).map_err(|e| e.to_string())?;
    std::fs::write(out.join("intermediate.crl"), &p.intermediate_crl_der)
        .map_err(|e| e.to_string())?;

    let good = Server::bind_port(https_port, Some(&fixture.tls_setup(Profile::Good)))?;
    let mut servers = vec![("PYV_TS_HTTPS_URL", good)];
    for (name, profile) in [
        ("PYV_TS_EXPIRED_URL", Profile::Expired),
        ("PYV_TS_SELF_SIGNED_URL", Profile::SelfSigned),
        ("PYV_TS_WRONG_HOST_URL", Profile::WrongHost),
        ("PYV_TS_NO_INTERMEDIATE_URL", Profile::MissingIntermediate),
        ("PYV_TS_LEGACY_URL", Profile::LegacyTls),
        ("PYV_TS_REVOKED_URL", Profile::Revoked),
    ] {
        servers.push((name, Server::https(&fixture.tls_setup(profile))?));
    }
    for (name, s) in &servers {
        s.serve_dir(&dir);
        println!("{name}={}", s.origin());
    }
    println!("PYV_TS_HTTP_URL={}", fixture.http.origin());
    println!("PYV_TS_CA={}", ca.display());
    println!(
        "PYV_TS_CRL_URLS={}{} {}{}",
        fixture.http.ip_origin(),
        pki::ROOT_CRL_PATH,
        fixture.http.ip_origin(),
        pki::INTERMEDIATE_CRL_PATH
    );
    println!("READY");
    // Run until the parent closes our stdin: no pid files, no orphan after a crashed script.
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    Ok(())
}
