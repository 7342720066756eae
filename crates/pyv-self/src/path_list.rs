//! Editing a Windows `PATH` value (`a;b;c`) as the user wrote it: other entries keep their
//! exact text (including unexpanded `%VARS%` and empty entries), only ours move or go.

/// Whether two `PATH` entries name the same folder: case-insensitive, `/` and `\` alike,
/// trailing separators, surrounding blanks and quotes ignored, `%VAR%` expanded with
/// `lookup` (for the comparison only; nothing is written expanded).
pub fn same_entry(a: &str, b: &str, lookup: &dyn Fn(&str) -> Option<String>) -> bool {
    let (a, b) = (normalize(a, lookup), normalize(b, lookup));
    !a.is_empty() && a == b
}

fn normalize(entry: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let expanded = expand_vars(entry.trim().trim_matches('"'), lookup);
    let unified = expanded.trim().replace('/', "\\");
    let trimmed = unified.trim_end_matches('\\');
    // `C:\` stays a drive, not `C:`.
    let kept = if trimmed.ends_with(':') {
        unified.as_str()
    } else {
        trimmed
    };
    kept.to_lowercase()
}

/// `%NAME%` replaced by `lookup(NAME)`; unknown names and lone `%` stay as written, as
/// Windows' ExpandEnvironmentStrings leaves them.
pub fn expand_vars(s: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('%') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('%') {
            Some(end) if end > 0 => {
                let name = &after[..end];
                match lookup(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('%');
                        out.push_str(name);
                        out.push('%');
                    }
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('%');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn split(value: &str) -> Vec<&str> {
    if value.is_empty() {
        Vec::new()
    } else {
        value.split(';').collect()
    }
}

fn is_ours(entry: &str, ours: &[String], lookup: &dyn Fn(&str) -> Option<String>) -> bool {
    ours.iter().any(|o| same_entry(entry, o, lookup))
}

/// `value` with `ours` first, in order, and nowhere else; `None` when it already is so.
pub fn prepend(
    value: &str,
    ours: &[String],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let entries = split(value);
    let at_front = entries.len() >= ours.len()
        && entries
            .iter()
            .zip(ours)
            .all(|(e, o)| same_entry(e, o, lookup));
    let rest: Vec<&str> = entries
        .iter()
        .copied()
        .filter(|e| !is_ours(e, ours, lookup))
        .collect();
    if at_front && rest.len() + ours.len() == entries.len() {
        return None;
    }
    let mut new: Vec<&str> = ours.iter().map(String::as_str).collect();
    new.extend(rest);
    Some(new.join(";"))
}

/// `value` without any entry naming one of `ours`; `None` when there was none.
pub fn remove(
    value: &str,
    ours: &[String],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let entries = split(value);
    let rest: Vec<&str> = entries
        .iter()
        .copied()
        .filter(|e| !is_ours(e, ours, lookup))
        .collect();
    (rest.len() != entries.len()).then(|| rest.join(";"))
}

/// Whether `value` has an entry naming `dir`.
pub fn contains(value: &str, dir: &str, lookup: &dyn Fn(&str) -> Option<String>) -> bool {
    split(value).iter().any(|e| same_entry(e, dir, lookup))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_vars(_: &str) -> Option<String> {
        None
    }
    fn vars(name: &str) -> Option<String> {
        match name.to_ascii_uppercase().as_str() {
            "USERPROFILE" => Some("C:\\Users\\Jürgen".into()),
            _ => None,
        }
    }
    fn ours() -> Vec<String> {
        vec![
            "C:\\Users\\Jürgen\\.pyenv\\pyenv-win\\bin".into(),
            "C:\\Users\\Jürgen\\.pyenv\\pyenv-win\\shims".into(),
        ]
    }

    #[test]
    fn entries_compare_without_case_trailing_separators_or_quotes() {
        assert!(same_entry("C:\\A\\b\\", "c:\\a\\B", &no_vars));
        assert!(same_entry("\"C:/A/b\"", "C:\\a\\b\\\\", &no_vars));
        assert!(same_entry(" C:\\ÄÖ ", "c:\\äö", &no_vars));
        assert!(!same_entry("C:\\a\\bin", "C:\\a\\bin2", &no_vars));
        assert!(same_entry("C:\\", "c:/", &no_vars));
        assert!(
            !same_entry("C:\\", "C:", &no_vars),
            "C: is the drive's current folder"
        );
        assert!(!same_entry("", "", &no_vars), "empty entries name nothing");
        assert!(same_entry(
            "%USERPROFILE%\\.pyenv\\pyenv-win\\bin",
            &ours()[0],
            &vars
        ));
        assert!(!same_entry(
            "%USERPROFILE%\\.pyenv\\pyenv-win\\bin",
            &ours()[0],
            &no_vars
        ));
    }

    #[test]
    fn expansion_leaves_unknown_and_lone_percent_signs() {
        assert_eq!(
            expand_vars("%USERPROFILE%\\x;%NOPE%;50%;%%", &vars),
            "C:\\Users\\Jürgen\\x;%NOPE%;50%;%%"
        );
    }

    #[test]
    fn prepend_to_empty_and_to_others_keeps_their_text() {
        let o = ours();
        assert_eq!(prepend("", &o, &vars).unwrap(), o.join(";"));
        let value = "%SystemRoot%\\system32;;C:\\Tools\\";
        assert_eq!(
            prepend(value, &o, &vars).unwrap(),
            format!("{};{value}", o.join(";"))
        );
    }

    #[test]
    fn prepend_moves_ours_to_the_front_once() {
        let o = ours();
        let value = "C:\\Tools;c:\\users\\jürgen\\.pyenv\\pyenv-win\\SHIMS\\;C:\\Go;%USERPROFILE%\\.pyenv\\pyenv-win\\bin";
        assert_eq!(
            prepend(value, &o, &vars).unwrap(),
            format!("{};C:\\Tools;C:\\Go", o.join(";"))
        );
        // Present but in the wrong order.
        let swapped = format!("{};{};C:\\Tools", o[1], o[0]);
        assert_eq!(
            prepend(&swapped, &o, &vars).unwrap(),
            format!("{};C:\\Tools", o.join(";"))
        );
    }

    #[test]
    fn prepend_is_idempotent() {
        let o = ours();
        let once = prepend("C:\\Tools;C:\\Go", &o, &vars).unwrap();
        assert_eq!(prepend(&once, &o, &vars), None);
        // Spelled differently but already first: left as the user wrote it.
        let spelled = "%USERPROFILE%\\.pyenv\\pyenv-win\\bin\\;C:\\USERS\\JÜRGEN\\.pyenv\\pyenv-win\\shims;C:\\Go";
        assert_eq!(prepend(spelled, &o, &vars), None);
        // At the front but again further on: the later copy goes.
        let twice = format!("{once};{}", o[1]);
        assert_eq!(prepend(&twice, &o, &vars).unwrap(), once);
    }

    #[test]
    fn remove_takes_exactly_ours() {
        let o = ours();
        let value = format!(
            "{};%USERPROFILE%\\.pyenv\\pyenv-win\\shims\\;C:\\Users\\Jürgen\\.pyenv\\pyenv-win\\binaries;;C:\\Tools",
            o[0]
        );
        assert_eq!(
            remove(&value, &o, &vars).unwrap(),
            "C:\\Users\\Jürgen\\.pyenv\\pyenv-win\\binaries;;C:\\Tools"
        );
        assert_eq!(remove("C:\\Tools;C:\\Go", &o, &vars), None);
        assert_eq!(remove(&o.join(";"), &o, &vars).unwrap(), "");
        assert!(contains(&value, &o[1], &vars));
        assert!(!contains("C:\\Tools", &o[1], &vars));
    }
}
