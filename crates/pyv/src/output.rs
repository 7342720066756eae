//! The one place the CLI writes to the terminal.
//!
//! - [`line`]: one line on standard output, buffered (one process-wide buffer, so lines
//!   from any thread keep their order) and tolerant of a closed pipe (`pyv versions | head`);
//!   [`flush`] writes it out (`main` does before it exits).
//! - [`warn`]: `<prog>: warning: <message>` on standard error.
//! - [`error`]: `<prog>: <message>` on standard error: `main`'s final error, and a failure a
//!   command reports before it goes on with the next item.
//! - [`prompt`]: a question on standard error, without a newline, before reading an answer.
//! - [`stderr_bytes`]: raw bytes on standard error, for the log writer (`logging.rs`).
//!
//! Everything on standard error first flushes standard output, so that a terminal shows
//! both in the order they were written.
//!
//! # Progress bars
//!
//! While indicatif draws bars, any other write to the terminal tears them. A progress
//! display registers its `MultiProgress` for as long as it draws:
//!
//! ```ignore
//! let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stdout());
//! let registration = output::attach_progress(&multi); // keep it beside `multi`
//! // ... bars draw; output::warn/error/line from any thread hide them, print, redraw ...
//! drop(registration); // after the last bar is finished
//! ```
//!
//! Until the returned [`ProgressRegistration`] drops, every function here writes inside
//! `MultiProgress::suspend` (bars cleared, text written and flushed, bars redrawn), from
//! whichever thread calls it; [`line`] then goes to standard output at once instead of
//! into the buffer. The bytes written are the same with or without a registration.

use indicatif::MultiProgress;
use std::fmt::Display;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::{Mutex, MutexGuard};

static OUT: Mutex<Option<BufWriter<io::Stdout>>> = Mutex::new(None);

/// The progress display drawing now, if any (see the module documentation).
static PROGRESS: Mutex<Option<MultiProgress>> = Mutex::new(None);

/// A lock that survives a panic elsewhere: what it guards is only ever appended to.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `write` with the registered progress bars hidden, or directly without any.
fn around_progress(write: impl FnOnce()) {
    // Cloned out of the lock: a bar may log from inside indicatif while another thread waits here.
    let multi = lock(&PROGRESS).clone();
    match multi {
        Some(m) => m.suspend(write),
        None => write(),
    }
}

/// Registers `multi` as the display every write here must not tear, until the returned
/// value drops (then the previous registration, normally none, is back).
#[must_use = "the registration ends when this value is dropped"]
pub fn attach_progress(multi: &MultiProgress) -> ProgressRegistration {
    let previous = lock(&PROGRESS).replace(multi.clone());
    ProgressRegistration { previous }
}

/// See [`attach_progress`].
pub struct ProgressRegistration {
    previous: Option<MultiProgress>,
}

impl Drop for ProgressRegistration {
    fn drop(&mut self) {
        *lock(&PROGRESS) = self.previous.take();
    }
}

/// Writes one line to standard output.
pub fn line(s: impl AsRef<str>) {
    let s = s.as_ref();
    if lock(&PROGRESS).is_some() {
        around_progress(|| {
            flush();
            let mut out = io::stdout().lock();
            let _ = out.write_all(s.as_bytes());
            let _ = out.write_all(b"\n");
            let _ = out.flush();
        });
        return;
    }
    let mut out = lock(&OUT);
    let out = out.get_or_insert_with(|| BufWriter::new(io::stdout()));
    let _ = out.write_all(s.as_bytes());
    let _ = out.write_all(b"\n");
}

/// Writes out what [`line`] buffered.
pub fn flush() {
    if let Some(out) = lock(&OUT).as_mut() {
        let _ = out.flush();
    }
}

/// `<prog>: warning: <msg>` on standard error.
pub fn warn(msg: impl Display) {
    stderr_text(&format!("{}: warning: {msg}\n", pyv_core::prog::name()));
}

/// `<prog>: <msg>` on standard error.
pub fn error(msg: impl Display) {
    stderr_text(&format!("{}: {msg}\n", pyv_core::prog::name()));
}

/// [`error`] for `e`, then pyv's next step on its own line when standard error is a
/// terminal: pyenv mode words its messages as pyenv does, and a script reading them must not
/// see a line pyenv would not print.
pub fn report(e: &crate::error::CliError) {
    error(e);
    if let Some(hint) = e.hint().filter(|_| io::stderr().is_terminal()) {
        stderr_text(&format!("{}: hint: {hint}\n", pyv_core::prog::name()));
    }
}

/// `question` on standard error, left open for the answer typed after it.
pub fn prompt(question: &str) {
    stderr_text(question);
}

fn stderr_text(s: &str) {
    stderr_bytes(s.as_bytes());
}

/// `bytes` on standard error in one write, after what standard output holds, around the
/// progress bars; a closed standard error is not an error worth failing a command for.
pub fn stderr_bytes(bytes: &[u8]) {
    around_progress(|| {
        flush();
        let mut err = io::stderr().lock();
        let _ = err.write_all(bytes);
        let _ = err.flush();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::ProgressDrawTarget;

    #[test]
    fn a_registration_lasts_as_long_as_its_value() {
        let outer = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        let inner = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        assert!(lock(&PROGRESS).is_none());
        let a = attach_progress(&outer);
        {
            let _b = attach_progress(&inner);
            assert!(lock(&PROGRESS).is_some());
            // A write while registered goes through the display without blocking on it.
            let mut ran = false;
            around_progress(|| ran = true);
            assert!(ran);
        }
        assert!(lock(&PROGRESS).is_some(), "the outer one is back");
        drop(a);
        assert!(lock(&PROGRESS).is_none());
    }
}
