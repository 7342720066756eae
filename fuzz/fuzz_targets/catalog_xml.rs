//! `.versions_cache.xml` as found on disk: reading never panics, and what pyv writes from
//! what it read reads back to the same versions (a file pyv wrote is never a dead end).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyv_catalog::xml;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(entries) = xml::read(text) else {
        return;
    };
    let written = xml::write(&entries);
    let again = match xml::read(&written) {
        Ok(a) => a,
        Err(e) => panic!("pyv cannot read what it wrote: {e}\n{written}"),
    };
    let names = |v: &[pyv_catalog::Entry]| v.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
    let kept: Vec<_> = entries
        .iter()
        .filter(|e| e.pyenv_win_artifact().is_some())
        .cloned()
        .collect();
    assert_eq!(names(&again), names(&kept));
});
