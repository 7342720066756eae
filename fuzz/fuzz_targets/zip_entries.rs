//! Zip packages and their entry names: arbitrary bytes as a package are refused or
//! extracted, never a panic, never a file outside the destination; arbitrary text as an
//! entry name or link target is refused or split into safe components.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyv_install::fuzzing;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        fuzzing::extract_bytes(data);
    } else if let Ok(text) = std::str::from_utf8(data) {
        let (name, target) = text.split_once('\n').unwrap_or((text, ""));
        fuzzing::check_names(name, target);
    }
});
