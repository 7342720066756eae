use super::*;

const WIN7: WindowsVersion = WindowsVersion {
    major: 6,
    minor: 1,
    build: 7601,
};
const WIN10: WindowsVersion = WindowsVersion {
    major: 10,
    minor: 0,
    build: 19045,
};
const WIN11: WindowsVersion = WindowsVersion {
    major: 10,
    minor: 0,
    build: 26100,
};

fn snap(os: WindowsVersion, values: &[(Setting, u32)]) -> Snapshot {
    Snapshot {
        os: Some(os),
        values: values
            .iter()
            .map(|(s, v)| (*s, Reading::Dword(*v)))
            .collect(),
    }
}

const DSP64: Setting = Setting::DefaultSecureProtocols(View::Bits64);
const DSP32: Setting = Setting::DefaultSecureProtocols(View::Bits32);
const T12_ON: Setting = Setting::Schannel(TlsVersion::Tls12, SchannelValue::Enabled);
const T12_DBD: Setting = Setting::Schannel(TlsVersion::Tls12, SchannelValue::DisabledByDefault);
const T11_ON: Setting = Setting::Schannel(TlsVersion::Tls11, SchannelValue::Enabled);
const T11_DBD: Setting = Setting::Schannel(TlsVersion::Tls11, SchannelValue::DisabledByDefault);

/// The snapshot after `changes` were written.
fn applied(s: &Snapshot, changes: &[Change]) -> Snapshot {
    let mut out = s.clone();
    for c in changes {
        out.values.retain(|(k, _)| *k != c.setting);
        out.values.push((c.setting, Reading::Dword(c.to)));
    }
    out
}

fn severities(s: &Snapshot) -> Vec<(Audience, Severity)> {
    assess(s).iter().map(|f| (f.audience, f.severity)).collect()
}

#[test]
fn keys_and_views_are_microsofts() {
    assert_eq!(
        DSP64.to_string(),
        r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp\DefaultSecureProtocols"
    );
    assert_eq!(
        DSP32.to_string(),
        r"HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp\DefaultSecureProtocols"
    );
    // Both views open the same path; KEY_WOW64_32KEY does the redirection.
    assert_eq!(DSP32.subkey(), DSP64.subkey());
    assert_eq!(DSP32.view(), View::Bits32);
    assert_eq!(
        T12_DBD.to_string(),
        r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client\DisabledByDefault"
    );
    assert_eq!(
        T11_ON.subkey(),
        r"SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Client"
    );
    assert_eq!(Setting::ALL.len(), 8);
}

#[test]
fn decodes_protocol_flags() {
    assert_eq!(decode_protocols(0xA00), ["TLS 1.1", "TLS 1.2"]);
    assert_eq!(decode_protocols(0xA80), ["TLS 1.0", "TLS 1.1", "TLS 1.2"]);
    assert_eq!(decode_protocols(0x28), ["SSL 2.0", "SSL 3.0"]);
    assert_eq!(decode_protocols(0x2800), ["TLS 1.2", "TLS 1.3"]);
    assert_eq!(decode_protocols(0x801), ["TLS 1.2", "unknown bits 0x1"]);
    assert!(decode_protocols(0).is_empty());
    assert_eq!(
        describe(DSP64, &Reading::Dword(0xA00), Some(WIN7)),
        "0x00000A00 (TLS 1.1, TLS 1.2)"
    );
    assert_eq!(
        describe(DSP64, &Reading::Absent, Some(WIN7)),
        "not set (Windows default: SSL 3.0, TLS 1.0)"
    );
    assert_eq!(
        describe(T12_DBD, &Reading::Absent, Some(WIN7)),
        "not set (Windows default: off by default)"
    );
    assert_eq!(
        describe(T12_DBD, &Reading::Absent, Some(WIN10)),
        "not set (Windows default: on by default)"
    );
    assert_eq!(
        describe(T12_ON, &Reading::Dword(0), Some(WIN10)),
        "0x00000000 (switched off for every program)"
    );
}

#[test]
fn windows_version_from_registry_values() {
    let v = WindowsVersion::from_registry(None, None, Some("6.1"), Some("7601")).unwrap();
    assert_eq!(v, WIN7);
    assert!(v.is_pre_8_1());
    assert_eq!(v.name(), "Windows 7 / Server 2008 R2");
    // Windows 10+ keep "6.3" in CurrentVersion for old programs; the numbers win.
    let v = WindowsVersion::from_registry(Some(10), Some(0), Some("6.3"), Some("26100")).unwrap();
    assert_eq!(v, WIN11);
    assert!(!v.is_pre_8_1());
    assert_eq!(v.name(), "Windows 11 / Server 2022 or later");
    assert_eq!(
        WindowsVersion::from_registry(None, None, Some("x"), None),
        None
    );
    assert_eq!(WindowsVersion::from_registry(None, None, None, None), None);
}

#[test]
fn fresh_windows_7_blocks_winhttp_but_not_pyv() {
    let s = snap(WIN7, &[]);
    assert_eq!(
        severities(&s),
        [
            (Audience::Pyv, Severity::Ok),
            (Audience::WinHttp(View::Bits64), Severity::Warning),
            (Audience::WinHttp(View::Bits32), Severity::Warning),
        ]
    );
    let f = assess(&s);
    assert!(
        f[1].text.contains("off by default on Windows 7"),
        "{}",
        f[1].text
    );
    assert!(f[1].text.contains("SSL 3.0 + TLS 1.0"), "{}", f[1].text);
    assert!(f[0].text.contains("asks SChannel for TLS 1.2 explicitly"));
}

#[test]
fn fresh_windows_10_and_11_are_fine_and_need_no_change() {
    for os in [WIN10, WIN11] {
        let s = snap(os, &[]);
        assert!(assess(&s).iter().all(|f| f.severity == Severity::Ok));
        assert_eq!(fix_plan(&s), []);
    }
}

#[test]
fn tls12_switched_off_is_a_problem_for_pyv() {
    let s = snap(WIN10, &[(T12_ON, 0)]);
    let f = assess(&s);
    assert_eq!(f[0].severity, Severity::Problem);
    assert!(f[0].text.contains("Enabled=0"), "{}", f[0].text);
    assert_eq!(f[1].severity, Severity::Warning);
    let plan = fix_plan(&s);
    assert_eq!(
        plan,
        [Change {
            setting: T12_ON,
            from: Reading::Dword(0),
            to: 1
        }]
    );
    assert!(assess(&applied(&s, &plan))
        .iter()
        .all(|f| f.severity == Severity::Ok));
}

#[test]
fn windows_7_plan_is_kb3140245_and_fixes_everything() {
    let s = snap(WIN7, &[]);
    let plan = fix_plan(&s);
    let got: Vec<(Setting, u32)> = plan.iter().map(|c| (c.setting, c.to)).collect();
    assert_eq!(
        got,
        [
            (DSP64, 0xA00),
            (DSP32, 0xA00),
            (T12_ON, 1),
            (T11_ON, 1),
            (T12_DBD, 0),
            (T11_DBD, 0),
        ]
    );
    assert!(plan.iter().all(|c| c.from == Reading::Absent));
    let after = applied(&s, &plan);
    assert!(assess(&after).iter().all(|f| f.severity == Severity::Ok));
    assert_eq!(fix_plan(&after), [], "a second run changes nothing");
}

#[test]
fn plan_keeps_existing_bits_and_deliberate_tls11_switches() {
    // A 32-bit value from an old installer (TLS 1.0 only), TLS 1.1 switched off on purpose,
    // TLS 1.2 explicitly on by default.
    let s = snap(
        WIN7,
        &[
            (DSP64, 0x2A00),
            (DSP32, 0x80),
            (T11_ON, 0),
            (T11_DBD, 1),
            (T12_ON, 1),
            (T12_DBD, 0),
        ],
    );
    let f = assess(&s);
    assert_eq!(f[1].severity, Severity::Ok, "{}", f[1].text);
    assert_eq!(f[2].severity, Severity::Warning);
    assert!(f[2].text.contains("Wow6432Node"), "{}", f[2].text);
    assert!(
        f[2].text.contains("TLS 1.0) leaves TLS 1.2 out"),
        "{}",
        f[2].text
    );
    assert_eq!(
        fix_plan(&s),
        [Change {
            setting: DSP32,
            from: Reading::Dword(0x80),
            to: 0xA80
        }]
    );
}

#[test]
fn disabled_by_default_one_warns_even_on_windows_10() {
    let s = snap(WIN10, &[(T12_DBD, 1)]);
    let f = assess(&s);
    assert_eq!(f[0].severity, Severity::Ok);
    assert_eq!(f[1].severity, Severity::Warning);
    assert!(
        f[1].text.contains("DisabledByDefault=0x00000001"),
        "{}",
        f[1].text
    );
    let plan = fix_plan(&s);
    assert_eq!(plan.len(), 1);
    assert_eq!((plan[0].setting, plan[0].to), (T12_DBD, 0));
}

#[test]
fn unreadable_values_and_unknown_windows_are_judged_conservatively() {
    let s = Snapshot {
        os: None,
        values: vec![(DSP64, Reading::Unreadable("REG_SZ, not a DWORD".into()))],
    };
    let f = assess(&s);
    assert_eq!(f[1].severity, Severity::Warning);
    assert!(f[1].text.contains("unreadable (REG_SZ"), "{}", f[1].text);
    let plan = fix_plan(&s);
    assert_eq!(plan[0].setting, DSP64);
    assert_eq!(plan[0].to, KB3140245_PROTOCOLS);
}

#[cfg(not(windows))]
#[test]
fn off_windows_there_is_nothing_to_read_or_fix() {
    assert_eq!(read_system(), None);
    assert!(!is_elevated());
    let e = apply_system(&[]).unwrap_err().to_string();
    assert!(
        e.contains("nothing to fix") && e.contains("only on Windows"),
        "{e}"
    );
}
