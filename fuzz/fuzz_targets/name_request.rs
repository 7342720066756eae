//! Version names and requests: parsing never panics, `VersionRequest` round-trips through
//! its text, the name order is a total order on the lines of the input, and resolution
//! among them keeps its promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyv_core::resolve::resolve;
use pyv_core::{Arch, VersionName, VersionRequest};
use std::cmp::Ordering;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lenient = VersionRequest::lenient(text);
    assert_eq!(lenient.to_string(), text);
    if let Ok(r) = VersionRequest::parse(text) {
        assert_eq!(r.to_string(), text);
        assert_eq!(VersionRequest::parse(&r.to_string()), Ok(r));
    }

    let names: Vec<VersionName> = text.lines().take(8).map(VersionName::new).collect();
    for a in &names {
        assert_eq!(a.cmp(a), Ordering::Equal);
        for b in &names {
            let ab = a.cmp(b);
            assert_eq!(ab, b.cmp(a).reverse(), "{a} vs {b}");
            assert_eq!(ab == Ordering::Equal, a == b, "{a} vs {b}");
            for c in &names {
                if ab != Ordering::Greater && b.cmp(c) != Ordering::Greater {
                    assert_ne!(a.cmp(c), Ordering::Greater, "{a} <= {b} <= {c}");
                }
            }
        }
    }

    // The first line asks, the others are what is installed.
    if let Some((first, rest)) = names.split_first() {
        let request = VersionRequest::lenient(first.as_str());
        for arch in [Arch::Amd64, Arch::X86, Arch::Arm64] {
            let Some(found) = resolve(&request, rest, arch) else {
                continue;
            };
            assert!(rest.contains(found));
            match &request {
                VersionRequest::Name(n) if rest.iter().any(|c| c.as_str() == n.as_str()) => {
                    assert_eq!(found.as_str(), n.as_str(), "an exact name wins");
                }
                VersionRequest::Name(n) | VersionRequest::Latest(n) => {
                    if let (Some(p), Some(c)) = (n.cpython(), found.cpython()) {
                        if !p.same_build(c) || matches!(request, VersionRequest::Latest(_)) {
                            assert!(c.pre.is_none(), "{n} resolved to prerelease {found}");
                            assert!(c.release.starts_with(&p.release), "{n} -> {found}");
                        }
                    }
                }
                VersionRequest::System | VersionRequest::Other(_) => {}
            }
        }
    }
});
