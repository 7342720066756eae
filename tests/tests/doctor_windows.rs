//! `pyv doctor` on Windows (run under Wine by the Windows stage): the registry section is
//! read and reported. Read-only on purpose: `--fix-tls` writes HKLM, which a test must not
//! do on a developer's machine (its writing is tested on a scratch key in pyv-net).
#![cfg(windows)]

use pyv_tests::{Layout, TestEnv};

#[test]
fn windows_section_reports_both_views_and_the_schannel_switches() {
    let mut e = TestEnv::new(Layout::Windows);
    let shims = e.root.join("shims");
    std::fs::create_dir_all(&shims).unwrap();
    let mirror = e.tmp.join("mirror");
    std::fs::create_dir_all(&mirror).unwrap();
    e.set("PATH", shims.display().to_string())
        .set("PYTHON_BUILD_MIRROR_URL", mirror.display().to_string());

    let out = e.pyv(["doctor", "--json"]);
    let v: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|err| panic!("not JSON ({err}): {out:?}"));
    let expected_code = if v["problems"] == 0 { 0 } else { 1 };
    assert_eq!(out.code, expected_code, "{out:?}");
    let w = &v["windows"];
    assert!(w["os"]["major"].as_u64().is_some_and(|m| m >= 6), "{w}");
    let values = w["values"].as_array().expect("values");
    let keys: Vec<(&str, &str)> = values
        .iter()
        .map(|x| (x["key"].as_str().unwrap(), x["name"].as_str().unwrap()))
        .collect();
    let schannel = r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols";
    let t10 = format!(r"{schannel}\TLS 1.0\Client");
    let t11 = format!(r"{schannel}\TLS 1.1\Client");
    let t12 = format!(r"{schannel}\TLS 1.2\Client");
    assert_eq!(
        keys,
        [
            (
                r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp",
                "DefaultSecureProtocols"
            ),
            (
                r"HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp",
                "DefaultSecureProtocols"
            ),
            (t10.as_str(), "Enabled"),
            (t10.as_str(), "DisabledByDefault"),
            (t11.as_str(), "Enabled"),
            (t11.as_str(), "DisabledByDefault"),
            (t12.as_str(), "Enabled"),
            (t12.as_str(), "DisabledByDefault"),
        ]
    );
    assert!(values.iter().all(|x| x["meaning"].is_string()));
    let findings = w["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 3, "pyv, 64-bit and 32-bit WinHTTP: {w}");
    assert!(w["fix_plan"].is_array());
    assert_eq!(v["network"]["tls"]["tested"], false);

    // Not a snapshot: the registry values (and so the section's findings) are this machine's
    // or Wine prefix's, not fixed by the test; only the section's frame is pyv's.
    let out = e.pyv(["doctor"]);
    assert_eq!(out.code, expected_code, "{out:?}");
    assert!(out.stdout.contains("\nWindows TLS settings\n  "), "{out:?}");
    assert!(
        out.stdout.contains(r"  HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp"),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("  ok: pyv can use TLS 1.2")
            || out.stdout.contains("  problem: TLS 1.2 is switched off"),
        "{out:?}"
    );
}
