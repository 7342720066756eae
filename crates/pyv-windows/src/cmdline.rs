//! This process's command line as Windows gave it, before any parsing.

use std::ffi::OsString;
use std::os::windows::ffi::OsStringExt;
use windows_sys::Win32::System::Environment::GetCommandLineW;

/// The arguments part of this process's command line, exactly as it was given: what a
/// shim passes on untouched, since re-quoting parsed arguments would change quotes, `^`
/// and `%` in ways the target's parser may not undo.
pub fn command_line_tail() -> OsString {
    let line = command_line();
    OsString::from_wide(&line[skip_program_name(&line)..])
}

fn command_line() -> Vec<u16> {
    // SAFETY: GetCommandLineW returns a pointer to the process's NUL-terminated command
    // line, valid (and unchanged by this code) for the life of the process; it is read up
    // to and excluding its NUL only.
    unsafe {
        let p = GetCommandLineW();
        if p.is_null() {
            return Vec::new();
        }
        let mut n = 0;
        while *p.add(n) != 0 {
            n += 1;
        }
        std::slice::from_raw_parts(p, n).to_vec()
    }
}

/// Where the arguments start: after the program name (quoted or not, per the rules of
/// CommandLineToArgvW for argv[0]) and the blanks after it.
pub fn skip_program_name(line: &[u16]) -> usize {
    let (quote, space, tab) = (u16::from(b'"'), u16::from(b' '), u16::from(b'\t'));
    let mut i = 0;
    if line.first() == Some(&quote) {
        i = 1;
        while i < line.len() && line[i] != quote {
            i += 1;
        }
        i += 1;
    } else {
        while i < line.len() && line[i] != space && line[i] != tab {
            i += 1;
        }
    }
    while i < line.len() && (line[i] == space || line[i] == tab) {
        i += 1;
    }
    i.min(line.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail(line: &str) -> String {
        let w: Vec<u16> = line.encode_utf16().collect();
        String::from_utf16(&w[skip_program_name(&w)..]).unwrap()
    }

    #[test]
    fn the_program_name_is_skipped_as_argv0_is_parsed() {
        assert_eq!(tail(r#""C:\a b\python.exe"  -c "x""#), r#"-c "x""#);
        assert_eq!(tail(r#"python.exe	-V"#), "-V");
        assert_eq!(tail("python"), "");
        assert_eq!(tail(r#""unterminated"#), "");
        // argv[0] ends at its closing quote, backslashes included.
        assert_eq!(tail(r#""C:\x\"a b"#), "a b");
        assert_eq!(tail(""), "");
    }

    #[test]
    fn this_process_has_a_command_line() {
        assert!(!command_line().is_empty());
    }
}
