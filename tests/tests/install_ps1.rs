//! install.ps1 cannot run here (no PowerShell on Linux), so it is parsed with a PowerShell
//! grammar: no syntax errors, nothing PowerShell 7 only (Windows PowerShell 5.1 must run
//! it), and the steps the release layout and `pyv self install` depend on.
#![cfg(unix)]

use std::path::Path;

fn script() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../install.ps1");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every ERROR/MISSING node, and every PowerShell 7 `&&`/`||` chain, as `line:col text`.
fn problems(src: &str) -> Vec<String> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .unwrap();
    let tree = parser.parse(src, None).unwrap();
    let mut found = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        let what = if n.is_error() {
            Some("syntax error")
        } else if n.is_missing() {
            Some("missing")
        } else if n.kind() == "pipeline_chain_tail" {
            Some("&& or || needs PowerShell 7")
        } else {
            None
        };
        if let Some(what) = what {
            let p = n.start_position();
            let text: String = src[n.byte_range()].chars().take(50).collect();
            found.push(format!("{}:{} {what}: {text:?}", p.row + 1, p.column + 1));
        }
        let mut c = n.walk();
        stack.extend(n.children(&mut c));
    }
    found.sort();
    found
}

#[test]
fn install_ps1_parses_for_windows_powershell_5() {
    let src = script();
    assert_eq!(problems(&src), Vec::<String>::new());
}

/// `bin\pyenv.ps1`, which `self install` writes: it must parse for Windows PowerShell 5.1
/// too, and read `$args` (a script's arguments) where it passes them on.
#[test]
fn pyenv_ps1_parses_for_windows_powershell_5() {
    let src = pyv_self::PYENV_PS1;
    assert_eq!(problems(src), Vec::<String>::new());
    assert_eq!(
        problems(&src.replacen("exit 0\r\n}", "exit 0\r\n", 1)).len(),
        1
    );
}

#[test]
fn the_checker_catches_what_it_looks_for() {
    let src = script();
    let broken = src.replacen("function Get-PyvTarget {", "function Get-PyvTarget", 1);
    assert!(!problems(&broken).is_empty());
    let unterminated = src.replacen("\"pyv: downloading $url\"", "\"pyv: downloading $url", 1);
    assert!(!problems(&unterminated).is_empty());
    for ps7 in ["Get-A && Get-B\n", "$x = $a ?? $b\n", "$y = $a ? 1 : 2\n"] {
        assert!(!problems(ps7).is_empty(), "{ps7}");
    }
}

#[test]
fn install_ps1_does_what_the_release_layout_needs() {
    let src = script();
    let at = |needle: &str| {
        src.find(needle)
            .unwrap_or_else(|| panic!("install.ps1 lacks {needle:?}"))
    };
    // TLS 1.2 is switched on before the first download (`function Get-PyvFile(` is the
    // definition, `Get-PyvFile ` a call).
    assert!(at("-bor 3072") < at("Get-PyvFile "));
    for needle in [
        "$env:PROCESSOR_ARCHITEW6432",
        "$env:PYV_VERSION",
        "$env:PYV_ROOT",
        "$env:PYV_BASE_URL",
        "$env:PYV_UNINSTALL",
        "Get-FileHash",
        "/latest/download/latest-version.txt",
        "/download/v$Version/$name",
        "\"pyv-$Version-$target.zip\"",
        "self install --root $Root",
        "self uninstall",
        "'.pyenv\\pyenv-win'",
    ] {
        at(needle);
    }
    // The names package-windows.sh writes.
    let pkg = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/package-windows.sh"),
    )
    .unwrap();
    for needle in [
        "pyv-${VERSION}-${TARGET}.zip",
        "latest-version.txt",
        ".sha256",
    ] {
        assert!(pkg.contains(needle), "package-windows.sh lacks {needle:?}");
    }
}
