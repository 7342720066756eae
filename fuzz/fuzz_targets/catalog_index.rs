//! python.org's Windows index JSON (`index-windows.json` and its `next` pages): parsing
//! never panics whatever a server or mirror returns.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyv_catalog::index::parse_index;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(page) = parse_index(text, "https://www.python.org/ftp/python/index-windows.json") {
        for e in &page.entries {
            assert!(!e.name.is_empty());
        }
    }
});
