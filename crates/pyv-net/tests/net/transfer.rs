//! Transfers: resume, checksum, status codes, timeouts, retries, folder mirrors, locking.

use crate::common::*;
use pyv_net::download::part_path;
use pyv_net::{Category, NetError};
use pyv_testserver::{Fixture, Misbehave, Profile, Rule, Server};
use std::time::{Duration, Instant};

const FILE: &str = "/3.11.9/python-3.11.9-amd64.exe";

fn gets(s: &Server) -> Vec<pyv_testserver::Logged> {
    s.requests()
        .into_iter()
        .filter(|r| r.method == "GET")
        .collect()
}

#[test]
fn cut_connection_leaves_a_part_and_a_rerun_resumes_with_range() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    let body = payload(200_000);
    s.add_file(FILE, body.clone());
    s.set_rule(FILE, Rule::first(1, Misbehave::CutAfter(70_000)));
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |_| {});
    let dest = dir.path().join("python-3.11.9-amd64.exe");
    let sha = sha256_hex(&body);

    let err = c
        .download(&s.url(FILE), &dest, Some(&sha), &mut no_progress())
        .unwrap_err();
    assert_filtered!(filters(dir.path()), failure(&err, Category::ConnectionLost), @"connection lost: the connection to localhost broke during the transfer (https://localhost:[PORT]/3.11.9/python-3.11.9-amd64.exe); 68.4 KiB already downloaded is kept in [DIR]: run the same command again to resume");
    assert!(!dest.exists(), "no final file after a cut");
    let part = part_path(&dest);
    assert_eq!(
        std::fs::metadata(&part).unwrap().len(),
        70_000,
        "the part keeps what arrived"
    );

    let mut first_progress = None;
    let got = c
        .download(&s.url(FILE), &dest, Some(&sha), &mut |d, t| {
            first_progress.get_or_insert((d, t));
        })
        .unwrap();
    assert_eq!(got.resumed_from, 70_000);
    assert_eq!(got.sha256, sha);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert!(!part.exists());
    assert_eq!(
        first_progress,
        Some((70_000, Some(200_000))),
        "progress starts at the resume point"
    );
    let reqs = gets(&s);
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].range, None);
    assert_eq!(reqs[1].range.as_deref(), Some("bytes=70000-"));
    assert_eq!(reqs[1].status, 206);
}

#[test]
fn a_cut_is_retried_within_one_call_by_resuming() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    let body = payload(150_000);
    s.add_file(FILE, body.clone());
    s.set_rule(FILE, Rule::first(2, Misbehave::CutAfter(40_000)));
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |o| o.retries = Some(3));
    let dest = dir.path().join("x.exe");
    let got = c
        .download(
            &s.url(FILE),
            &dest,
            Some(&sha256_hex(&body)),
            &mut no_progress(),
        )
        .unwrap();
    assert_eq!(
        got.resumed_from, 80_000,
        "two cuts of 40 000 bytes, then the rest"
    );
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    let ranges: Vec<_> = gets(&s).into_iter().map(|r| r.range).collect();
    assert_eq!(
        ranges,
        vec![
            None,
            Some("bytes=40000-".to_string()),
            Some("bytes=80000-".to_string())
        ]
    );
}

#[test]
fn server_ignoring_range_restarts_the_file() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    let body = payload(50_000);
    s.add_file(FILE, body.clone());
    s.set_rule(FILE, Rule::always(Misbehave::IgnoreRange));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("x.exe");
    // A stale part from some earlier run, with wrong bytes.
    std::fs::write(part_path(&dest), vec![0xAA; 10_000]).unwrap();
    let c = trusting_client(&f, dir.path(), |_| {});
    let got = c
        .download(
            &s.url(FILE),
            &dest,
            Some(&sha256_hex(&body)),
            &mut no_progress(),
        )
        .unwrap();
    assert_eq!(got.resumed_from, 0);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    let reqs = gets(&s);
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        (reqs[0].range.as_deref(), reqs[0].status),
        (Some("bytes=10000-"), 200)
    );
}

#[test]
fn wrong_sha256_fetches_once_more_then_fails_with_nothing_installed() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file(FILE, payload(20_000));
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |o| o.retries = Some(3));
    let dest = dir.path().join("x.exe");
    let wrong = "0".repeat(64);
    let err = c
        .download(&s.url(FILE), &dest, Some(&wrong), &mut no_progress())
        .unwrap_err();
    assert!(matches!(err, NetError::HashMismatch { .. }), "{err:?}");
    // Both checksums in full: the one expected and that of the (deterministic) payload.
    assert_filtered!(filters(dir.path()), err.to_string(), @"checksum mismatch for https://localhost:[PORT]/3.11.9/python-3.11.9-amd64.exe: expected sha256 0000000000000000000000000000000000000000000000000000000000000000, got b8577186653912e31ea2da817a0093d4a12819517773a9e5a11402d53db61219 twice; the file on the mirror is damaged or was altered, nothing was installed; try later or use another mirror (PYTHON_BUILD_MIRROR_URL)");
    assert_eq!(gets(&s).len(), 2, "exactly one re-fetch");
    assert_nothing_left(&dest);
}

#[test]
fn existing_final_file_is_reused_only_when_its_checksum_matches() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    let body = payload(5_000);
    s.add_file(FILE, body.clone());
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |_| {});
    let dest = dir.path().join("x.exe");
    std::fs::write(&dest, b"corrupt").unwrap();
    let got = c
        .download(
            &s.url(FILE),
            &dest,
            Some(&sha256_hex(&body)),
            &mut no_progress(),
        )
        .unwrap();
    assert!(!got.reused);
    let again = c
        .download(
            &s.url(FILE),
            &dest,
            Some(&sha256_hex(&body)),
            &mut no_progress(),
        )
        .unwrap();
    assert!(again.reused);
    assert_eq!(gets(&s).len(), 1);
}

#[test]
fn not_found_is_reported_as_missing_from_the_mirror_and_not_retried() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |o| o.retries = Some(3));
    let dest = dir.path().join("x.exe");
    let url = s.url("/9.9.9/python-9.9.9-amd64.exe");
    let err = c
        .download(&url, &dest, None, &mut no_progress())
        .unwrap_err();
    assert_filtered!(filters(dir.path()), failure(&err, Category::NotFound), @"not found on the mirror: HTTP 404, the version or file is not on the mirror (https://localhost:[PORT]/9.9.9/python-9.9.9-amd64.exe); check the version with 'pyv install --list' and the mirror URL (PYTHON_BUILD_MIRROR_URL)");
    assert_nothing_left(&dest);
    assert_eq!(gets(&s).len(), 1, "404 is not retried");
    let err = c.get_text(&url).unwrap_err();
    assert_eq!(err.category(), Some(Category::NotFound));
}

#[test]
fn stalled_server_times_out_within_the_configured_limit() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file(FILE, payload(10_000));
    s.set_rule(FILE, Rule::always(Misbehave::Stall));
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |o| {
        o.read_timeout = Some(Duration::from_secs(1))
    });
    let dest = dir.path().join("x.exe");
    let t = Instant::now();
    let err = c
        .download(&s.url(FILE), &dest, None, &mut no_progress())
        .unwrap_err();
    let took = t.elapsed();
    assert_filtered!(filters(dir.path()), failure(&err, Category::Timeout), @"timed out: no answer from localhost within 1 s (https://localhost:[PORT]/3.11.9/python-3.11.9-amd64.exe); check the network and proxy settings (HTTPS_PROXY), then retry; a slow link may need a longer timeout");
    // Not a speed test: only proves that the stall does not hang the client (the server
    // would stall for 120 s).
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert_nothing_left(&dest);
}

#[test]
fn retry_after_a_500_succeeds() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file("/index.json", "[1]");
    s.set_rule("/index.json", Rule::first(1, Misbehave::Status(500)));
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |o| o.retries = Some(2));
    assert_eq!(c.get_text(&s.url("/index.json")).unwrap(), "[1]");
    let statuses: Vec<u16> = gets(&s).iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![500, 200]);

    // Without retries the 500 is the answer.
    s.set_rule("/index.json", Rule::first(1, Misbehave::Status(500)));
    let c0 = trusting_client(&f, dir.path(), |_| {});
    let err = c0.get_text(&s.url("/index.json")).unwrap_err();
    assert_filtered!(filters(dir.path()), failure(&err, Category::HttpStatus), @"HTTP error: the server answered HTTP 500 (https://localhost:[PORT]/index.json); the server has a problem; retry later or use another mirror (PYTHON_BUILD_MIRROR_URL)");
}

#[test]
fn refused_connection_is_diagnosed() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&opts(), &[]);
    let url = format!("https://127.0.0.1:{port}/x");
    let err = c.get_bytes(&url).unwrap_err();
    assert_filtered!(pyv_tests::Filters::common(), failure(&err, Category::Refused), @"connection refused: nothing is listening at 127.0.0.1:[PORT] (https://127.0.0.1:[PORT]/x); check the host and port in the URL (or the proxy address in HTTPS_PROXY)");
}

#[test]
fn folder_and_file_url_mirrors_use_the_same_verification() {
    let dir = tempfile::tempdir().unwrap();
    let mirror = dir.path().join("mirror");
    std::fs::create_dir_all(mirror.join("3.11.9")).unwrap();
    let body = payload(30_000);
    std::fs::write(mirror.join("3.11.9/python-3.11.9-amd64.exe"), &body).unwrap();
    let mut o = opts();
    o.mirror = Some(mirror.to_string_lossy().into_owned());
    let c = client(&o, &[]);
    let sha = sha256_hex(&body);

    let plain = c.mirror_url("3.11.9/python-3.11.9-amd64.exe");
    let dest = dir.path().join("cache/a.exe");
    let got = c
        .download(&plain, &dest, Some(&sha), &mut no_progress())
        .unwrap();
    assert_eq!((got.bytes, got.sha256.as_str()), (30_000, sha.as_str()));
    assert_eq!(std::fs::read(&dest).unwrap(), body);

    let file_url = url::Url::from_file_path(mirror.join("3.11.9/python-3.11.9-amd64.exe")).unwrap();
    let dest2 = dir.path().join("cache/b.exe");
    c.download(file_url.as_str(), &dest2, Some(&sha), &mut no_progress())
        .unwrap();
    assert_eq!(std::fs::read(&dest2).unwrap(), body);

    let dest3 = dir.path().join("cache/c.exe");
    let err = c
        .download(
            file_url.as_str(),
            &dest3,
            Some(&"1".repeat(64)),
            &mut no_progress(),
        )
        .unwrap_err();
    assert!(matches!(err, NetError::HashMismatch { .. }), "{err}");
    assert_filtered!(filters(dir.path()), err.to_string(), @"checksum mismatch for file://[TMP]/mirror/3.11.9/python-3.11.9-amd64.exe: expected sha256 1111111111111111111111111111111111111111111111111111111111111111, got 7859d5ad3a3d2fb1c3fb7caf92a39ad7f9a837aacd44788dce51758f5f023ad8 twice; the file on the mirror is damaged or was altered, nothing was installed; try later or use another mirror (PYTHON_BUILD_MIRROR_URL)");
    assert_nothing_left(&dest3);

    let missing = c.mirror_url("9.9.9/python-9.9.9-amd64.exe");
    let err = c
        .download(&missing, &dest3, None, &mut no_progress())
        .unwrap_err();
    assert_filtered!(filters(dir.path()), failure(&err, Category::NotFound), @"not found on the mirror: the version or file is not on the mirror ([TMP]/mirror/9.9.9/python-9.9.9-amd64.exe); check the version with 'pyv install --list' and the mirror URL (PYTHON_BUILD_MIRROR_URL)");
    assert_nothing_left(&dest3);

    std::fs::write(mirror.join("index.json"), "{}").unwrap();
    assert_eq!(c.get_text(&c.mirror_url("index.json")).unwrap(), "{}");
}

#[test]
fn concurrent_downloads_of_one_file_do_not_corrupt_it() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    let body = payload(2_000_000);
    s.add_file(FILE, body.clone());
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |_| {});
    let dest = dir.path().join("x.exe");
    let sha = sha256_hex(&body);
    let url = s.url(FILE);
    let results: Vec<_> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..3)
            .map(|_| sc.spawn(|| c.download(&url, &dest, Some(&sha), &mut no_progress())))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in &results {
        assert_eq!(r.as_ref().unwrap().sha256, sha);
    }
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(
        gets(&s).len(),
        1,
        "the others waited and reused the finished file"
    );
    assert_eq!(
        results
            .iter()
            .filter(|r| r.as_ref().unwrap().reused)
            .count(),
        2
    );
}
