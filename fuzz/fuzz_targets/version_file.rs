//! `.python-version` bytes as any editor or shell may leave them (BOMs, UTF-16, CRLF,
//! comments, stray bytes): decoding never panics, and every request it yields writes back
//! as the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyv_core::{version_file, VersionRequest};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = version_file::decode(data);
    if let Ok(requests) = version_file::parse(&text, Path::new(".python-version")) {
        for r in requests {
            let written = r.to_string();
            assert_eq!(
                VersionRequest::parse(&written).as_ref(),
                Ok(&r),
                "{written:?}"
            );
        }
    }
});
