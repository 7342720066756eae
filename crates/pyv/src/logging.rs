//! Debug logging: `tracing` events on standard error, asked for with `PYV_LOG` or `-v`.
//!
//! Without either no subscriber is installed at all, so an event costs one check of a
//! global level and `pyv version-name` starts as fast as before. `PYV_LOG` takes levels
//! (`off`, `error`, `warn`, `info`, `debug`, `trace`) for every target or for targets
//! starting with a prefix: `PYV_LOG=debug`, `PYV_LOG=pyv_net=trace,info`. `-v` (where a
//! command has it) means `pyv=debug`: pyv's own decisions, not its libraries' detail.
//! `PYV_LOG` wins over `-v`.
//!
//! Events go through [`crate::output`], so they never tear progress bars.

use crate::error::CliError;
use std::ffi::OsString;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

pub const VAR: &str = "PYV_LOG";

/// The filter `PYV_LOG` asks for; `None` when it is unset or empty.
pub fn from_env(env: &dyn pyv_core::Env) -> Result<Option<Targets>, CliError> {
    from_value(env.var_os(VAR))
}

fn from_value(value: Option<OsString>) -> Result<Option<Targets>, CliError> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    parse(&text)
        .map(Some)
        .ok_or_else(|| CliError::BadLogFilter(VAR, text.into_owned()))
}

/// What `-v` turns on: debug events of pyv's crates (`pyv`, `pyv_net`, `pyv_install`, …).
pub fn verbose() -> Targets {
    Targets::new().with_target("pyv", LevelFilter::DEBUG)
}

/// `level` or `target=level`, separated by commas; anything else is refused rather than
/// read as a target name, so a misspelt level is an error, not silence.
fn parse(text: &str) -> Option<Targets> {
    let mut targets = Targets::new();
    let mut any = false;
    for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        match item.split_once('=') {
            Some((target, level)) => {
                let target = target.trim();
                let valid = !target.is_empty()
                    && target
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
                if !valid {
                    return None;
                }
                targets = targets.with_target(target, level_of(level.trim())?);
            }
            None => targets = targets.with_default(level_of(item)?),
        }
        any = true;
    }
    any.then_some(targets)
}

fn level_of(name: &str) -> Option<LevelFilter> {
    const LEVELS: [(&str, LevelFilter); 6] = [
        ("off", LevelFilter::OFF),
        ("error", LevelFilter::ERROR),
        ("warn", LevelFilter::WARN),
        ("info", LevelFilter::INFO),
        ("debug", LevelFilter::DEBUG),
        ("trace", LevelFilter::TRACE),
    ];
    LEVELS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, l)| *l)
}

/// Installs the stderr subscriber with `filter`; a second call changes nothing.
pub fn install(filter: Targets) {
    let layer = tracing_subscriber::fmt::layer()
        .without_time()
        .with_writer(Stderr);
    let subscriber = tracing_subscriber::registry().with(filter).with(layer);
    // Fails only when one is installed already: the first one stays.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// The subscriber's writer: [`crate::output::stderr_bytes`], one event per write.
struct Stderr;

impl std::io::Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        crate::output::stderr_bytes(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Stderr {
    type Writer = Stderr;

    fn make_writer(&'a self) -> Stderr {
        Stderr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(s: &str) -> Option<String> {
        parse(s).map(|t| t.to_string())
    }

    #[test]
    fn levels_and_targets_are_read() {
        assert_eq!(parsed("debug").as_deref(), Some("debug"));
        assert_eq!(parsed("TRACE").as_deref(), Some("trace"));
        assert_eq!(
            parsed(" pyv_net=trace , info").as_deref(),
            Some("pyv_net=trace,info")
        );
        assert_eq!(
            parsed("pyv::commands=debug").as_deref(),
            Some("pyv::commands=debug")
        );
        assert!(parsed("off").is_some());
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "verbose",
            "debug,loud",
            "pyv=",
            "=debug",
            "pyv net=debug",
            ",",
            "3",
        ] {
            assert_eq!(parsed(bad), None, "{bad}");
        }
    }

    #[test]
    fn unset_or_empty_means_no_logging() {
        assert!(matches!(from_value(None), Ok(None)));
        assert!(matches!(from_value(Some(OsString::new())), Ok(None)));
        let e = from_value(Some("loud".into())).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("PYV_LOG=\"loud\" is not a log level; set it to off, error, warn, info, debug or trace, optionally per target (e.g. 'pyv_net=trace,info'), or unset it")
        );
    }
}
