//! Buffered standard output that tolerates a closed pipe (`pyv versions | head`).

use std::cell::RefCell;
use std::io::{self, BufWriter, Write};

thread_local! {
    static OUT: RefCell<BufWriter<io::Stdout>> = RefCell::new(BufWriter::new(io::stdout()));
}

/// Writes one line to standard output.
pub fn line(s: impl AsRef<str>) {
    OUT.with(|o| {
        let mut o = o.borrow_mut();
        let _ = o.write_all(s.as_ref().as_bytes());
        let _ = o.write_all(b"\n");
    });
}

pub fn flush() {
    OUT.with(|o| {
        let _ = o.borrow_mut().flush();
    });
}
