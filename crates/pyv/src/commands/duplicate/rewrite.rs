//! Moving the source's path to the copy's in the files that name the interpreter: scripts'
//! shebangs (both forms pip writes), pip's Windows exe launchers, and the build settings
//! that embed the prefix. Pure functions of bytes, so each form is tested without a Python.

/// Whether `rest` (what follows a match of the source path) starts a new path component or
/// ends the path: `/versions/3.1` must not match inside `/versions/3.12`.
fn at_boundary(rest: &[u8]) -> bool {
    !matches!(rest.first(), Some(c) if c.is_ascii_alphanumeric() || b"._-+".contains(c))
}

/// `token` (the interpreter, optionally in double quotes) moved from `from` to `to`, or
/// `None` when it is not under `from`.
fn moved(token: &[u8], from: &[u8], to: &[u8]) -> Option<Vec<u8>> {
    let (quote, path) = match token.strip_prefix(b"\"") {
        Some(p) => (true, p),
        None => (false, token),
    };
    let rest = path.strip_prefix(from)?;
    if !at_boundary(rest) || rest.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(token.len() + to.len());
    if quote {
        out.push(b'"');
    }
    out.extend_from_slice(to);
    out.extend_from_slice(rest);
    Some(out)
}

/// The interpreter a script runs: `(start, end)` of its path (quotes included) in `bytes`.
/// Both of pip's forms: `#!<python>` and, for paths a kernel cannot take (spaces, length),
/// `#!/bin/sh` followed by `'''exec' <python> "$0" "$@"`.
pub fn interpreter_span(bytes: &[u8]) -> Option<(usize, usize)> {
    let first_end = bytes.iter().position(|&b| b == b'\n')?;
    let first = bytes.get(..first_end)?;
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    if !first.starts_with(b"#!") {
        return None;
    }
    if first == b"#!/bin/sh" {
        const EXEC: &[u8] = b"'''exec' ";
        let second = bytes.get(first_end + 1..)?;
        if second.starts_with(EXEC) {
            let start = first_end + 1 + EXEC.len();
            return Some((start, token_end(bytes, start)));
        }
        return None;
    }
    let start = 2 + first[2..].iter().take_while(|b| **b == b' ').count();
    Some((start, token_end(bytes, start)))
}

/// Where the token at `start` ends: its closing quote, or the first blank or line end.
fn token_end(bytes: &[u8], start: usize) -> usize {
    let rest = &bytes[start..];
    let len = if rest.first() == Some(&b'"') {
        rest[1..]
            .iter()
            .position(|&b| b == b'"' || b == b'\n')
            .map_or(rest.len(), |i| i + 2)
    } else {
        rest.iter()
            .position(|&b| b == b' ' || b == b'\t' || b == b'\r' || b == b'\n')
            .unwrap_or(rest.len())
    };
    start + len.min(rest.len())
}

/// A script whose interpreter is under `from`, moved to `to`; `None` for any other file.
pub fn script(bytes: &[u8], from: &str, to: &str) -> Option<Vec<u8>> {
    let (start, end) = interpreter_span(bytes)?;
    let new = moved(&bytes[start..end], from.as_bytes(), to.as_bytes())?;
    Some([&bytes[..start], &new[..], &bytes[end..]].concat())
}

/// Every occurrence of `from` as a path prefix replaced by `to` (build settings:
/// `_sysconfigdata_*.py`, `python3.x-config`, `*.pc`, `Makefile`); `None` when there is none.
pub fn text(bytes: &[u8], from: &str, to: &str) -> Option<Vec<u8>> {
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let mut changed = false;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) && at_boundary(&bytes[i + from.len()..]) {
            out.extend_from_slice(to);
            i += from.len();
            changed = true;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    changed.then_some(out)
}

const EOCD: &[u8] = b"PK\x05\x06";
/// The end-of-central-directory record's fixed part; a comment of up to 65535 bytes follows.
const EOCD_LEN: usize = 22;

/// Where the zip appended to `bytes` starts, as distlib's launcher finds it: from the
/// end-of-central-directory record, the central directory's size and its offset (relative
/// to the zip's own start, since distlib builds the zip apart and appends it).
fn zip_start(bytes: &[u8]) -> Option<usize> {
    let lowest = bytes.len().saturating_sub(EOCD_LEN + 65535);
    let at = (lowest..=bytes.len().checked_sub(EOCD_LEN)?)
        .rev()
        .find(|&i| bytes[i..].starts_with(EOCD))?;
    let u32_at = |o: usize| -> Option<usize> {
        let b = bytes.get(at + o..at + o + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let (cd_size, cd_offset) = (u32_at(12)?, u32_at(16)?);
    at.checked_sub(cd_size)?.checked_sub(cd_offset)
}

/// A launcher (stub + `#!<python>\r\n` + zip) is not a launcher of this form.
pub struct NotALauncher;

/// pip's Windows launcher with its shebang moved from `from` to `to`: the stub and the zip
/// are kept byte for byte (the zip's offsets are relative to its own start, so it stays
/// valid when the line before it changes length). `Ok(None)` when the shebang does not
/// name an interpreter under `from`.
pub fn launcher(bytes: &[u8], from: &str, to: &str) -> Result<Option<Vec<u8>>, NotALauncher> {
    let zip = zip_start(bytes).ok_or(NotALauncher)?;
    let head = &bytes[..zip];
    let line_end = head.strip_suffix(b"\n").ok_or(NotALauncher)?;
    // The shebang is the last line before the zip.
    let start = line_end
        .windows(2)
        .rposition(|w| w == b"#!")
        .ok_or(NotALauncher)?;
    if line_end[start..].contains(&b'\n') {
        return Err(NotALauncher);
    }
    let Some(line) = script(&bytes[start..zip], from, to) else {
        return Ok(None);
    };
    Ok(Some([&bytes[..start], &line[..], &bytes[zip..]].concat()))
}

/// The interpreter a launcher runs, unquoted, for the check that nothing still names the
/// source.
pub fn launcher_interpreter(bytes: &[u8]) -> Option<String> {
    let zip = zip_start(bytes)?;
    let head = &bytes[..zip];
    let start = head.windows(2).rposition(|w| w == b"#!")?;
    let line = &bytes[start..zip];
    let (s, e) = interpreter_span(line)?;
    Some(unquote(&line[s..e]))
}

/// A script's interpreter, unquoted.
pub fn script_interpreter(bytes: &[u8]) -> Option<String> {
    let (s, e) = interpreter_span(bytes)?;
    Some(unquote(&bytes[s..e]))
}

fn unquote(token: &[u8]) -> String {
    let t = token.strip_prefix(b"\"").unwrap_or(token);
    let t = t.strip_suffix(b"\"").unwrap_or(t);
    String::from_utf8_lossy(t).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FROM: &str = "/r/versions/3.12.4";
    const TO: &str = "/r/versions/env";

    #[test]
    fn a_plain_shebang_moves_and_the_body_stays() {
        let s = b"#!/r/versions/3.12.4/bin/python3.12\nimport sys\n";
        assert_eq!(
            script(s, FROM, TO).unwrap(),
            b"#!/r/versions/env/bin/python3.12\nimport sys\n"
        );
        assert_eq!(
            script_interpreter(s).unwrap(),
            "/r/versions/3.12.4/bin/python3.12"
        );
    }

    #[test]
    fn pips_sh_form_moves_with_its_quotes() {
        let s = b"#!/bin/sh\n'''exec' \"/r/versions/3.12.4/bin/python3.12\" \"$0\" \"$@\"\n' '''\nimport re\n";
        assert_eq!(
            script(s, FROM, TO).unwrap(),
            b"#!/bin/sh\n'''exec' \"/r/versions/env/bin/python3.12\" \"$0\" \"$@\"\n' '''\nimport re\n"
        );
    }

    #[test]
    fn other_interpreters_and_longer_names_are_left() {
        assert!(script(b"#!/usr/bin/env python3\n", FROM, TO).is_none());
        assert!(script(b"#!/r/versions/3.12.45/bin/python\n", FROM, TO).is_none());
        assert!(script(b"#!/bin/sh\necho hi\n", FROM, TO).is_none());
        assert!(script(b"\x7fELF\x02\x01", FROM, TO).is_none());
    }

    #[test]
    fn text_replaces_every_prefix_on_a_boundary() {
        let t =
            b"prefix='/r/versions/3.12.4'\nlib='/r/versions/3.12.4/lib' x=/r/versions/3.12.45\n";
        assert_eq!(
            text(t, FROM, TO).unwrap(),
            b"prefix='/r/versions/env'\nlib='/r/versions/env/lib' x=/r/versions/3.12.45\n"
        );
        assert!(text(b"nothing here", FROM, TO).is_none());
    }

    fn eocd(cd_size: u32, cd_offset: u32) -> Vec<u8> {
        let mut v = EOCD.to_vec();
        v.extend_from_slice(&[0; 8]);
        v.extend_from_slice(&cd_size.to_le_bytes());
        v.extend_from_slice(&cd_offset.to_le_bytes());
        v.extend_from_slice(&[0, 0]);
        v
    }

    #[test]
    fn a_launcher_keeps_stub_and_zip_and_gets_the_new_line() {
        // A zip of 10 bytes of entries and a 4-byte central directory, then its EOCD.
        let zip: Vec<u8> = [&[1u8; 10][..], &[2u8; 4], &eocd(4, 10)].concat();
        let stub = b"MZ\x90\x00stub";
        let bytes = [
            &stub[..],
            b"#!C:\\r\\versions\\3.12.4\\python.exe\r\n",
            &zip,
        ]
        .concat();
        let new = launcher(&bytes, "C:\\r\\versions\\3.12.4", "C:\\r\\versions\\env")
            .ok()
            .flatten()
            .unwrap();
        assert_eq!(
            new,
            [&stub[..], b"#!C:\\r\\versions\\env\\python.exe\r\n", &zip].concat()
        );
        assert_eq!(
            launcher_interpreter(&new).unwrap(),
            "C:\\r\\versions\\env\\python.exe"
        );
        assert!(matches!(
            launcher(&bytes, "C:\\elsewhere", "C:\\x"),
            Ok(None)
        ));
        assert!(launcher(b"MZ no zip here", FROM, TO).is_err());
    }
}
