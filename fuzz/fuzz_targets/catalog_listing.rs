//! python.org's (or a mirror's) HTML directory listings: parsing never panics whatever
//! the page holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyv_catalog::listing::{entry_from_file, parse_directory_listing, parse_version_page};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for dir in parse_directory_listing(&text) {
        let _ = entry_from_file(&dir, format!("https://www.python.org/ftp/python/{dir}"));
    }
    let _ = parse_version_page(&text, "https://www.python.org/ftp/python/3.12.4/");
});
