//! Download progress: one indicatif bar per version on a terminal, plain lines otherwise
//! (logs, CI, pipes), nothing with `--quiet`. Whatever else is printed while bars draw
//! (info lines through [`Progress::println`], warnings and errors through `output`, which
//! this display registers with) never tears them.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub struct Progress {
    multi: Option<MultiProgress>,
    /// While bars draw, `output`'s warnings and errors (from any thread) hide them first.
    _registration: Option<crate::output::ProgressRegistration>,
    quiet: bool,
}

pub struct Bar {
    bar: Option<ProgressBar>,
    name: String,
    quiet: bool,
    /// Plain-text mode: this version's lines, printed together once it is done, so
    /// parallel downloads do not interleave their lines.
    lines: std::cell::RefCell<Vec<String>>,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let multi = (!quiet && std::io::stdout().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stdout()));
        let _registration = multi.as_ref().map(crate::output::attach_progress);
        Progress {
            multi,
            _registration,
            quiet,
        }
    }

    pub fn bar(&self, name: &str) -> Bar {
        let bar = self.multi.as_ref().map(|m| {
            let b = m.add(ProgressBar::new(0));
            let style = ProgressStyle::with_template(
                "{prefix:>14} [{bar:30}] {bytes:>10}/{total_bytes:<10} {bytes_per_sec:>12} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            b.set_style(style);
            b.set_prefix(name.to_string());
            b
        });
        Bar {
            bar,
            name: name.to_string(),
            quiet: self.quiet,
            lines: Default::default(),
        }
    }

    /// A line that must not tear the bars.
    pub fn println(&self, s: &str) {
        match &self.multi {
            Some(m) => {
                let _ = m.println(s);
            }
            None if !self.quiet => {
                crate::output::line(s);
                crate::output::flush();
            }
            None => {}
        }
    }
}

impl Bar {
    pub fn update(&self, done: u64, total: Option<u64>) {
        if let Some(b) = &self.bar {
            if let Some(t) = total {
                b.set_length(t);
            }
            b.set_position(done);
        }
    }

    pub fn message(&self, msg: &str) {
        match &self.bar {
            Some(b) => b.set_message(msg.to_string()),
            None if !self.quiet => self
                .lines
                .borrow_mut()
                .push(format!(":: [{msg}] ::  {} ...", self.name)),
            None => {}
        }
    }

    /// The buffered plain-text lines (see [`Bar::lines`]).
    pub fn take_lines(&self) -> Vec<String> {
        std::mem::take(&mut self.lines.borrow_mut())
    }

    pub fn finish(&self, msg: &str) {
        if let Some(b) = &self.bar {
            b.finish_with_message(msg.to_string());
        }
    }
}
