//! Properties of the version-name order and of resolution, over generated names: the order
//! is a total order consistent with equality, and resolution keeps the promises of
//! `resolve.rs` (an exact name wins, a prefix never resolves to a pre-release or to a name
//! it does not prefix, and the pick is the highest match).

use proptest::prelude::*;
use pyv_core::resolve::resolve;
use pyv_core::{Arch, VersionName, VersionRequest};
use std::cmp::Ordering;

/// CPython names as pyenv-win spells them (`3.12.4`, `3.11.0a5-arm`, `3.13.0t`,
/// `2.6.2c1-win32`), partial ones as requests spell them (`3.12`, `3`), and a few
/// spellings of the architecture a user may type.
fn cpython() -> impl Strategy<Value = String> {
    let release = prop::collection::vec(0u32..14, 1..=3)
        .prop_map(|v| v.iter().map(u32::to_string).collect::<Vec<_>>().join("."));
    let pre = prop::option::weighted(
        0.3,
        (prop::sample::select(vec!["a", "b", "rc", "c"]), 0u32..4),
    )
    .prop_map(|p| p.map(|(k, n)| format!("{k}{n}")).unwrap_or_default());
    let t = prop::bool::weighted(0.2).prop_map(|t| if t { "t" } else { "" });
    let arch = prop::sample::select(vec![
        "", "", "", "-win32", "-arm", "-arm64", "-amd64", "-x86", "-AMD64",
    ]);
    (release, pre, t, arch).prop_map(|(r, p, t, a)| format!("{r}{p}{t}{a}"))
}

/// Every kind of name: CPython, PyPy, GraalPy, `system`, and any other folder name.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => cpython(),
        1 => (0u32..12, 0u32..20).prop_map(|(m, p)| format!("pypy3.{m}-v7.3.{p}-win64")),
        1 => (0u32..12).prop_map(|m| format!("pypy3.{m}")),
        1 => (23u32..26, 0u32..3).prop_map(|(y, p)| format!("graalpy-{y}.{p}.0-windows-amd64")),
        1 => Just("system".to_string()),
        1 => "[a-z0-9][a-z0-9._+-]{0,10}",
    ]
}

fn names(v: &[String]) -> Vec<VersionName> {
    v.iter().map(|s| VersionName::new(s.as_str())).collect()
}

fn any_arch() -> impl Strategy<Value = Arch> {
    prop::sample::select(vec![Arch::Amd64, Arch::X86, Arch::Arm64])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn order_is_total_and_consistent_with_equality(a in name(), b in name(), c in name()) {
        let (a, b, c) = (VersionName::new(a), VersionName::new(b), VersionName::new(c));
        prop_assert_eq!(a.cmp(&a), Ordering::Equal);
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse(), "antisymmetric: {} {}", a, b);
        prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b, "consistent with ==: {} {}", a, b);
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
        if a <= b && b <= c {
            prop_assert!(a <= c, "transitive: {} <= {} <= {}", a, b, c);
        }
    }

    #[test]
    fn sorting_gives_a_chain(v in prop::collection::vec(name(), 0..16)) {
        let mut sorted = names(&v);
        sorted.sort();
        for w in sorted.windows(2) {
            prop_assert!(w[0] <= w[1]);
        }
        // Sorting is the same whatever order the input came in.
        let mut reversed = names(&v);
        reversed.reverse();
        reversed.sort();
        prop_assert_eq!(sorted, reversed);
    }

    #[test]
    fn request_text_round_trips(s in name()) {
        let r = VersionRequest::lenient(&s);
        prop_assert_eq!(r.to_string(), s.clone());
        if let Ok(p) = VersionRequest::parse(&s) {
            prop_assert_eq!(p.to_string(), s.clone());
            prop_assert_eq!(VersionRequest::parse(&p.to_string()), Ok(p));
        }
        let latest = format!("{s}:latest");
        prop_assert_eq!(VersionRequest::lenient(&latest).to_string(), latest);
    }

    #[test]
    fn an_exact_name_always_wins(
        installed in prop::collection::vec(name(), 1..16),
        pick in any::<prop::sample::Index>(),
        arch in any_arch(),
    ) {
        let installed = names(&installed);
        let wanted = pick.get(&installed);
        let request = VersionRequest::lenient(wanted.as_str());
        prop_assume!(matches!(request, VersionRequest::Name(_) | VersionRequest::System));
        let found = resolve(&request, &installed, arch);
        if request.is_system() {
            prop_assert_eq!(found.map(VersionName::as_str), Some("system"));
        } else {
            prop_assert_eq!(found.map(VersionName::as_str), Some(wanted.as_str()));
        }
    }

    #[test]
    fn a_prefix_resolves_to_the_highest_final_release_it_prefixes(
        prefix in (prop::collection::vec(0u32..14, 1..=2), prop::bool::weighted(0.2), any::<bool>()),
        installed in prop::collection::vec(cpython(), 0..24),
        arch in any_arch(),
    ) {
        let (release, t, latest) = prefix;
        let text = release.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
            + if t { "t" } else { "" }
            + if latest { ":latest" } else { "" };
        let request = VersionRequest::lenient(&text);
        let bare = text.trim_end_matches(":latest");
        let installed = names(&installed);
        let exact = installed.iter().find(|n| n.as_str() == bare);
        let found = resolve(&request, &installed, arch);
        if let (Some(e), false) = (exact, latest) {
            prop_assert_eq!(found, Some(e));
            return Ok(());
        }
        // What may be picked: final releases of that prefix, free-threaded as asked, for
        // the machine's architecture; or the prefix itself with an architecture spelled
        // out (`3.12-amd64` for `3.12`), which resolve.rs takes as the same build as the
        // exact name, on any machine.
        let eligible = |n: &&VersionName| n.cpython().is_some_and(|c| {
            c.pre.is_none()
                && c.freethreaded == t
                && c.release.starts_with(&release)
                && (c.arch == arch
                    || (!latest && c.release.len() == release.len() && c.arch == Arch::Amd64))
        });
        match found {
            Some(f) => {
                let c = f.cpython().expect("a CPython prefix resolves to a CPython name");
                prop_assert!(c.pre.is_none(), "{} resolved to pre-release {}", text, f);
                prop_assert!(c.release.starts_with(&release), "{} resolved to {}", text, f);
                prop_assert!(eligible(&f), "{} resolved to {} ({:?})", text, f, arch);
                for other in installed.iter().filter(eligible) {
                    prop_assert!(other <= f, "{} resolved to {}, not {}", text, f, other);
                }
            }
            None => prop_assert!(!installed.iter().any(|n| eligible(&n))),
        }
    }
}

/// pyenv-win's documented order: numeric components (3.10 after 3.9), pre-releases a < b <
/// rc before the final release, and within one release -win32, -arm, then x64.
#[test]
fn pyenv_win_order_cases() {
    let cases: &[&[&str]] = &[
        &["3.9.13", "3.10.0"],
        &["3.10.0a1", "3.10.0a2", "3.10.0b1", "3.10.0rc1", "3.10.0"],
        &["2.6.2c1", "2.6.2"],
        &["3.9.4-win32", "3.9.4-arm", "3.9.4"],
        &["3.13.0", "3.13.0t"],
        &[
            "system",
            "2.7.18",
            "pypy3.9-v7.3.16-win64",
            "pypy3.10-v7.3.17-win64",
        ],
    ];
    for case in cases {
        for w in case.windows(2) {
            let (a, b) = (VersionName::new(w[0]), VersionName::new(w[1]));
            assert!(a < b, "{a} < {b}");
        }
    }
}
