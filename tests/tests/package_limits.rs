//! Packages that would expand without bound, beyond what they declare, or over one another
//! are refused before they fill the disk, in one line naming the package, the entry and
//! the limit. Served from a plain folder used as an offline mirror: nothing leaves the
//! machine.

use pyv_tests::{Layout, Output, TestEnv};
use sha2::{Digest, Sha256};
use std::io::Write;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A root whose catalog lists 3.12.99 as `zip`, served from a folder.
fn env_serving(zip: &[u8]) -> TestEnv {
    let mut e = TestEnv::new(Layout::Windows);
    let dir = e.tmp.join("offline mirror");
    std::fs::create_dir_all(dir.join("3.12.99")).unwrap();
    std::fs::write(dir.join("3.12.99/python-3.12.99-amd64.zip"), zip).unwrap();
    let sha: String = Sha256::digest(zip)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect();
    let index = format!(
        r#"{{"versions": [{{"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
            "tag": "3.12-64", "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip",
            "hash": {{"sha256": "{sha}"}}}}]}}"#
    );
    std::fs::write(dir.join("index-windows.json"), index).unwrap();
    e.set("PYTHON_BUILD_MIRROR_URL", dir.display().to_string());
    assert_eq!(e.pyv(["update"]).code, 0);
    e
}

/// The error line of a failed install, the temporary folder as `[TMP]` (slashes kept).
fn install_error(e: &TestEnv) -> String {
    let out: Output = e.pyv(["install", "3.12.99"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        !e.root.join("versions/3.12.99").exists(),
        "nothing installed"
    );
    let tmp = e.tmp.display().to_string();
    let text = out.stderr.replace(&tmp, "[TMP]");
    // Windows prints its own separators; the expected lines are written with `/`.
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text
    }
}

const PACKAGE: &str =
    "[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/install_cache/python-3.12.99-amd64.zip";
const MALICIOUS: &str = "nothing was installed; the file may be malicious, delete it and download it from the official source";

#[test]
fn a_zip_bomb_entry_is_refused_before_it_is_written() {
    let zeros = vec![0u8; 8 << 20];
    // Deflate packs 8 MiB of zeros into 8 KiB (the lock file pins the compressor).
    let zip = zip_of(&[("python.exe", b"python"), ("Lib/bomb.bin", &zeros)]);
    let e = env_serving(&zip);
    assert_eq!(
        install_error(&e),
        format!("pyv: couldn't install 3.12.99: package '{PACKAGE}' has an entry pyv will not extract: 'Lib/bomb.bin' (it expands from 8 KiB to 8 MiB, over the 100:1 allowed for entries above 1 MiB); {MALICIOUS}\n")
    );
}

#[test]
fn entries_that_are_one_file_on_windows_are_refused() {
    let zip = zip_of(&[
        ("python.exe", b"python"),
        ("Lib/os.py", b"import abc"),
        ("lib/OS.py", b"import evil"),
    ]);
    let e = env_serving(&zip);
    assert_eq!(
        install_error(&e),
        format!("pyv: couldn't install 3.12.99: package '{PACKAGE}' has an entry pyv will not extract: 'lib/OS.py' (another entry names the same file, letter case aside); {MALICIOUS}\n")
    );
}

#[test]
fn an_entry_longer_than_its_header_declares_is_refused() {
    let mut zip = zip_of(&[("python.exe", b"python"), ("Lib/os.py", &[b'#'; 5000])]);
    // Local and central header both declare 10 bytes; the data is 5000.
    for (sig, name_at, size_at) in [(b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)] {
        let starts: Vec<usize> = (0..zip.len() - 4)
            .filter(|&i| &zip[i..i + 4] == sig && zip[i + name_at..].starts_with(b"Lib/os.py"))
            .collect();
        assert_eq!(starts.len(), 1);
        zip[starts[0] + size_at..starts[0] + size_at + 4].copy_from_slice(&10u32.to_le_bytes());
    }
    let e = env_serving(&zip);
    assert_eq!(
        install_error(&e),
        format!("pyv: couldn't install 3.12.99: package '{PACKAGE}' has an entry pyv will not extract: 'Lib/os.py' (its data runs past the 10 bytes its header declares); {MALICIOUS}\n")
    );
}
