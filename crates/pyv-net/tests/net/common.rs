use pyv_core::MemoryEnv;
use pyv_net::{Category, Client, NetConfig, NetError, NetOptions};
pub use pyv_tests::assert_filtered;
use pyv_tests::Filters;
use pyv_testserver::Fixture;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A deterministic, incompressible-looking payload (an "installer").
pub fn payload(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

pub fn sha256_hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Test defaults: short pauses between retries, and timeouts that never fire on a healthy
/// loopback transfer.
pub fn opts() -> NetOptions {
    NetOptions {
        retries: Some(0),
        retry_backoff: Some(Duration::from_millis(10)),
        connect_timeout: Some(Duration::from_secs(10)),
        read_timeout: Some(Duration::from_secs(20)),
        ..Default::default()
    }
}

pub fn client(opts: &NetOptions, env: &[(&str, &str)]) -> Client {
    let env = MemoryEnv::from_pairs(env.iter().copied());
    let cfg = NetConfig::resolve(opts, &env).expect("config");
    Client::new(cfg).expect("client")
}

/// The fixture's root CA written to `dir`.
pub fn root_file(f: &Fixture, dir: &Path) -> PathBuf {
    f.pki.write_root(dir).expect("write root")
}

/// A client that trusts the fixture's root through `--cacert`.
pub fn trusting_client(f: &Fixture, dir: &Path, tweak: impl FnOnce(&mut NetOptions)) -> Client {
    let mut o = opts();
    o.cacert = vec![root_file(f, dir)];
    tweak(&mut o);
    client(&o, &[])
}

/// The message of a transfer failure of `cat`, checked to be one line (snapshot it with
/// [`filters`]).
pub fn failure(err: &NetError, cat: Category) -> String {
    let msg = err.to_string();
    assert_eq!(
        err.category(),
        Some(cat),
        "message: {msg}\nverbose: {}",
        err.verbose()
    );
    assert!(!msg.contains('\n'), "one line: {msg}");
    msg
}

/// The end-to-end tests' shared redactions (ports, times) with the scratch folder `dir` as
/// `[TMP]`.
pub fn filters(dir: &Path) -> Filters {
    let mut f = Filters::default();
    f.path(dir, "[TMP]");
    // A failed download names the folder that keeps its part, by its (random) name alone.
    if let Some(name) = dir.file_name().and_then(|n| n.to_str()) {
        let escaped: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_string()
                } else {
                    format!("\\{c}")
                }
            })
            .collect();
        f.add(&escaped, "[DIR]");
    }
    f.then(&Filters::common())
}

/// Neither the final file nor its .part exists.
pub fn assert_nothing_left(dest: &Path) {
    assert!(!dest.exists(), "final file left: {}", dest.display());
    let part = pyv_net::download::part_path(dest);
    assert!(!part.exists(), "stray part left: {}", part.display());
}

pub fn no_progress() -> impl FnMut(u64, Option<u64>) {
    |_, _| {}
}

/// Reports a skipped case on the real stderr (the test harness captures `eprintln!` of
/// passing tests, which would hide it).
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIP {test}: {why}");
}
