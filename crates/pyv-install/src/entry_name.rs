//! Which archive entry names may be written inside a version folder. The rules are those of
//! the strictest file system involved (Windows): a name that would mean something else
//! there — a drive, a stream, a device, a component Windows silently renames — is refused
//! on every OS, so a package accepted on Linux is also safe on Windows.

use super::error::Refusal;

/// The components of an entry name, or why it is refused. `.` and empty components are
/// dropped; an empty result means the entry names the archive root.
pub fn components(name: &str) -> Result<Vec<&str>, Refusal> {
    if name.chars().any(char::is_control) {
        return Err(Refusal::ControlCharacter);
    }
    if name.contains('\\') {
        return Err(Refusal::Backslash);
    }
    if name.starts_with('/') {
        return Err(Refusal::AbsolutePath);
    }
    if name.contains(':') {
        return Err(Refusal::DriveOrStream);
    }
    if name.contains(['<', '>', '"', '|', '?', '*']) {
        return Err(Refusal::WindowsCharacter);
    }
    let mut out = Vec::new();
    for c in name.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err(Refusal::ParentComponent),
            _ if c.ends_with(['.', ' ']) => return Err(Refusal::TrailingDotOrSpace),
            _ if is_device_name(c) => return Err(Refusal::DeviceName),
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// What two entries' [`components`] must not share: Windows folds letter case, so
/// `Lib/os.py` and `lib/OS.py` are one file there. Folded on every OS, so a package
/// accepted here is safe on Windows too (one entry would silently replace the other).
pub fn same_file_key(components: &[&str]) -> String {
    components.join("/").to_lowercase()
}

/// `CON`, `nul.txt`, `COM1`…: names that open a device on Windows whatever the folder.
fn is_device_name(component: &str) -> bool {
    let stem = component
        .split('.')
        .next()
        .unwrap_or(component)
        .trim_end()
        .to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        s if s.len() == 4 && (s.starts_with("COM") || s.starts_with("LPT")) => {
            matches!(s.as_bytes()[3], b'1'..=b'9')
        }
        _ => false,
    }
}

/// Where a symbolic link entry at `link` (components, already safe) points, as components
/// from the archive root; refused when the target leaves the root.
pub fn link_target(link: &[String], target: &str) -> Result<Vec<String>, Refusal> {
    if target.is_empty() {
        return Err(Refusal::UnsupportedLink);
    }
    // Symbolic link targets use the platform's separator; both mean the same here.
    let target = target.replace('\\', "/");
    if target.starts_with('/') || target.contains(':') {
        return Err(Refusal::LinkOutside);
    }
    if target.chars().any(char::is_control) {
        return Err(Refusal::ControlCharacter);
    }
    let mut resolved: Vec<String> = link[..link.len().saturating_sub(1)].to_vec();
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if resolved.pop().is_none() {
                    return Err(Refusal::LinkOutside);
                }
            }
            _ if c.ends_with(['.', ' ']) || is_device_name(c) => {
                return Err(Refusal::LinkOutside);
            }
            _ => resolved.push(c.to_string()),
        }
    }
    if resolved.is_empty() {
        return Err(Refusal::UnsupportedLink);
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        assert_eq!(components("python.exe").unwrap(), ["python.exe"]);
        assert_eq!(
            components("Lib/site-packages/pip/").unwrap(),
            ["Lib", "site-packages", "pip"]
        );
        assert_eq!(components("./a//b").unwrap(), ["a", "b"]);
        assert!(components("./").unwrap().is_empty());
        assert_eq!(
            components("a/.hidden/...x").unwrap(),
            ["a", ".hidden", "...x"]
        );
        assert_eq!(
            components("COM10/console.py").unwrap(),
            ["COM10", "console.py"]
        );
    }

    #[test]
    fn refuses_each_kind_of_escape() {
        let cases = [
            ("/etc/passwd", Refusal::AbsolutePath),
            ("../evil.exe", Refusal::ParentComponent),
            ("a/../../evil.exe", Refusal::ParentComponent),
            ("C:/Windows/evil.exe", Refusal::DriveOrStream),
            ("C:evil.exe", Refusal::DriveOrStream),
            ("python.exe:stream", Refusal::DriveOrStream),
            ("..\\evil.exe", Refusal::Backslash),
            ("\\\\server\\share\\x", Refusal::Backslash),
            ("Lib\\os.py", Refusal::Backslash),
            ("a\0b", Refusal::ControlCharacter),
            ("a\nb", Refusal::ControlCharacter),
            ("Lib/what?.py", Refusal::WindowsCharacter),
            ("a|b", Refusal::WindowsCharacter),
            (".. /evil.exe", Refusal::TrailingDotOrSpace),
            ("a/x./b", Refusal::TrailingDotOrSpace),
            ("Lib/CON", Refusal::DeviceName),
            ("nul.txt", Refusal::DeviceName),
            ("lpt1", Refusal::DeviceName),
        ];
        for (name, want) in cases {
            assert_eq!(components(name), Err(want), "{name:?}");
        }
    }

    #[test]
    fn names_of_one_file_share_a_key() {
        let key = |n: &str| same_file_key(&components(n).unwrap());
        assert_eq!(key("Lib/os.py"), key("lib/OS.py"));
        assert_eq!(key("Lib/os.py"), key("./Lib//os.py"));
        assert_ne!(key("Lib/os.py"), key("Lib/os.pyc"));
    }

    #[test]
    fn resolves_link_targets_inside_the_root_only() {
        let link: Vec<String> = ["bin", "python3"].map(String::from).to_vec();
        assert_eq!(
            link_target(&link, "python3.12").unwrap(),
            ["bin", "python3.12"]
        );
        assert_eq!(link_target(&link, "../lib/x").unwrap(), ["lib", "x"]);
        assert_eq!(link_target(&link, "..\\lib\\x").unwrap(), ["lib", "x"]);
        assert_eq!(link_target(&link, "../../x"), Err(Refusal::LinkOutside));
        assert_eq!(
            link_target(&link, "/usr/bin/python3"),
            Err(Refusal::LinkOutside)
        );
        assert_eq!(link_target(&link, "C:\\Windows"), Err(Refusal::LinkOutside));
        assert_eq!(link_target(&link, ".."), Err(Refusal::UnsupportedLink));
        assert_eq!(link_target(&link, ""), Err(Refusal::UnsupportedLink));
    }
}
