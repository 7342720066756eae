//! Retries, all in one place: the policy (how many attempts, how long to pause), which
//! failures are worth another attempt, and the loop that runs the attempts.
//!
//! Three kinds of "again":
//! - a transient failure ([`is_transient`]: timeout, dropped connection, HTTP 408/429/5xx):
//!   up to [`RetryPolicy::retries`] more attempts, after exponential backoff with jitter; a
//!   download resumes from its `.part`;
//! - a checksum mismatch: the damaged file is already deleted, it is fetched once more at
//!   once, with a fresh allowance of transient retries (it is a new download);
//! - the server answered a byte range that was not asked for (or 416 for an incomplete
//!   part): the part is already discarded, and the file starts over at once, at most once
//!   per network attempt (a fresh start sends no Range, so it cannot loop).
//!
//! Certificate and other TLS failures, 404, proxy and DNS errors are never retried: the next
//! attempt would fail the same way, only later. The exception is a proxy's 502/503/504 (the
//! upstream server is down), unless its body reports a TLS verdict on the mirror's
//! certificate.
//!
//! Every retry is an `info` event on the `tracing` target `pyv_net::retry`. Without a
//! subscriber (the CLI installs one only for -v / PYV_LOG) nothing is printed, so retries
//! stay silent on stderr.

use crate::diagnose::{Category, Diagnosis};
use crate::error::NetError;
use std::time::Duration;

/// How often and how patiently to retry transient failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Extra attempts after a transient failure (0: fail at the first one).
    pub retries: u32,
    /// Pause before the first retry; doubles with each retry up to [`RetryPolicy::MAX_DELAY`].
    pub base_delay: Duration,
}

impl RetryPolicy {
    pub const DEFAULT_RETRIES: u32 = 3;
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_secs(1);
    /// More would only keep a user waiting on a server that is down.
    pub const MAX_RETRIES: u32 = 10;
    /// The longest pause between two attempts.
    pub const MAX_DELAY: Duration = Duration::from_secs(8);
    /// Fetches after a checksum mismatch: one, in case the first copy was damaged on the way.
    const CHECKSUM_REFETCHES: u32 = 1;

    /// The defaults for what is not given; more than [`RetryPolicy::MAX_RETRIES`] is capped.
    pub fn new(retries: Option<u32>, base_delay: Option<Duration>) -> RetryPolicy {
        RetryPolicy {
            retries: retries
                .unwrap_or(Self::DEFAULT_RETRIES)
                .min(Self::MAX_RETRIES),
            base_delay: base_delay.unwrap_or(Self::DEFAULT_BASE_DELAY),
        }
    }

    /// The pause before retry number `retry` (0 = the first): `base_delay × 2^retry`, capped
    /// at [`RetryPolicy::MAX_DELAY`], then spread over its upper half by `jitter` (0 → half,
    /// 1 → all of it) so that clients failing together do not come back together, while
    /// every pause still grows.
    pub fn delay(&self, retry: u32, jitter: f64) -> Duration {
        let full = self
            .base_delay
            .saturating_mul(1u32 << retry.min(8))
            .min(Self::MAX_DELAY);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            1.0
        };
        full.mul_f64(0.5 + 0.5 * jitter)
    }

    /// Whether `failure` gets another attempt, and after which pause. Pure: `tries` says
    /// what was retried so far, `jitter` (0..=1) is the random part of the pause.
    pub(crate) fn decide(&self, failure: &Failure, tries: &Tries, jitter: f64) -> Decision {
        match failure {
            Failure::Net(e) if is_transient(e) && tries.transient < self.retries => {
                Decision::Retry(self.delay(tries.transient, jitter))
            }
            Failure::Net(_) => Decision::Stop,
            Failure::Checksum { .. } if tries.refetches < Self::CHECKSUM_REFETCHES => {
                Decision::Retry(Duration::ZERO)
            }
            Failure::Checksum { .. } => Decision::Stop,
            Failure::RangeMismatch if tries.restarts <= tries.transient => {
                Decision::Retry(Duration::ZERO)
            }
            Failure::RangeMismatch => Decision::Stop,
        }
    }

    /// Runs `op` until it succeeds or [`RetryPolicy::decide`] says stop; the error is then
    /// the last failure, as the [`NetError`] for `url`.
    pub(crate) fn run<T>(
        &self,
        url: &str,
        mut op: impl FnMut() -> Result<T, Failure>,
    ) -> Result<T, NetError> {
        let mut tries = Tries::default();
        loop {
            let failure = match op() {
                Ok(v) => return Ok(v),
                Err(f) => f,
            };
            let pause = match self.decide(&failure, &tries, fastrand::f64()) {
                Decision::Retry(pause) => pause,
                Decision::Stop => return Err(failure.into_error(url)),
            };
            match &failure {
                Failure::Net(e) => {
                    tries.transient += 1;
                    tracing::info!(
                        url,
                        retry = tries.transient,
                        of = self.retries,
                        pause_ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX),
                        error = %e,
                        "transient failure, retrying"
                    );
                }
                Failure::Checksum { expected, actual } => {
                    tries = Tries {
                        refetches: tries.refetches + 1,
                        ..Tries::default()
                    };
                    tracing::info!(
                        url,
                        expected,
                        actual,
                        "checksum mismatch, fetching the file once more"
                    );
                }
                Failure::RangeMismatch => {
                    tries.restarts += 1;
                    tracing::info!(
                        url,
                        "the server answered a byte range that was not asked for, starting the file over"
                    );
                }
            }
            std::thread::sleep(pause);
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new(None, None)
    }
}

/// HTTP answers that say "try again": request timeout, too many requests, and the server
/// errors a restart or a load balancer produce.
const RETRYABLE_STATUS: [u16; 6] = [408, 429, 500, 502, 503, 504];

/// Worth another attempt: timeouts, dropped connections and [`RETRYABLE_STATUS`] answers,
/// decided by the failure's category (never by message text). Local I/O errors, bad
/// settings and every other category are final.
pub fn is_transient(err: &NetError) -> bool {
    let Some(d) = err.diagnosis() else {
        return false;
    };
    match d.category {
        Category::Timeout | Category::ConnectionLost => true,
        Category::HttpStatus => d
            .facts
            .status
            .is_some_and(|s| RETRYABLE_STATUS.contains(&s)),
        // A proxy's 502/503/504 is the upstream's trouble and may pass, unless the proxy
        // says it rejected the mirror's certificate: that verdict stands on every attempt.
        Category::Proxy => d
            .facts
            .proxy_answer
            .as_ref()
            .is_some_and(|a| a.is_upstream_failure() && !a.reports_tls_verdict()),
        _ => false,
    }
}

/// Why one attempt produced nothing, as the retry loop sees it.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The transfer (or a local step) failed: retried when [`is_transient`].
    Net(NetError),
    /// The file arrived but its SHA-256 is not the expected one; it has been deleted.
    Checksum { expected: String, actual: String },
    /// The server answered a byte range that was not asked for; the part has been deleted.
    RangeMismatch,
}

impl From<NetError> for Failure {
    fn from(e: NetError) -> Self {
        Failure::Net(e)
    }
}

impl Failure {
    fn into_error(self, url: &str) -> NetError {
        match self {
            Failure::Net(e) => e,
            Failure::Checksum { expected, actual } => NetError::HashMismatch {
                url: url.to_string(),
                expected,
                actual,
            },
            Failure::RangeMismatch => {
                let mut d = Diagnosis::new(Category::Other, url);
                d.chain =
                    vec!["the server kept answering byte ranges that were not asked for".into()];
                d.into()
            }
        }
    }
}

/// What was retried so far in one [`RetryPolicy::run`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tries {
    /// Retries after transient failures (since the last checksum re-fetch).
    pub transient: u32,
    /// Fetches after a checksum mismatch.
    pub refetches: u32,
    /// Fresh starts after an unexpected range (since the last checksum re-fetch).
    pub restarts: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Try again after this pause.
    Retry(Duration),
    Stop,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn status(s: u16) -> NetError {
        Diagnosis::from_status(s, "https://m.example/x").into()
    }

    fn category(c: Category) -> NetError {
        Diagnosis::new(c, "https://m.example/x").into()
    }

    fn policy(retries: u32) -> RetryPolicy {
        RetryPolicy {
            retries,
            base_delay: Duration::from_millis(1),
        }
    }

    #[test]
    fn transient_failures_by_category_and_status() {
        for s in RETRYABLE_STATUS {
            assert!(is_transient(&status(s)), "{s}");
        }
        for s in [400, 401, 403, 404, 410, 407, 501] {
            assert!(!is_transient(&status(s)), "{s}");
        }
        assert!(is_transient(&category(Category::Timeout)));
        assert!(is_transient(&category(Category::ConnectionLost)));
        for c in [
            Category::UntrustedRoot,
            Category::Expired,
            Category::Protocol,
            Category::NotTls,
            Category::TlsOther,
            Category::Dns,
            Category::Refused,
            Category::Proxy,
            Category::ProxyAuth,
            Category::NotFound,
            Category::Other,
        ] {
            assert!(!is_transient(&category(c)), "{c:?}");
        }
        let io = NetError::io("x", std::io::Error::other("disk full"));
        assert!(!is_transient(&io));
        assert!(!is_transient(&NetError::BadChecksum("x".into())));
    }

    #[test]
    fn a_proxys_upstream_failure_is_retried_unless_it_reports_a_tls_verdict() {
        use crate::diagnose::proxy_answer::ProxyAnswer;
        let answered = |status, body: &str| -> NetError {
            let mut d = Diagnosis::new(Category::Proxy, "https://m.example/x");
            d.facts.proxy_answer = Some(ProxyAnswer {
                status,
                body_line: Some(body.to_string()),
                ..ProxyAnswer::default()
            });
            d.into()
        };
        for s in [502, 503, 504] {
            assert!(is_transient(&answered(s, "upstream did not answer")), "{s}");
            assert!(
                !is_transient(&answered(
                    s,
                    "Certificate verify failed: certificate has expired"
                )),
                "{s}"
            );
        }
        assert!(!is_transient(&answered(403, "Access Denied.")));
        assert!(!is_transient(&answered(407, "")));
    }

    #[test]
    fn delay_doubles_caps_and_jitters_in_the_upper_half() {
        let p = RetryPolicy::new(None, None);
        let s = Duration::from_secs(1);
        assert_eq!(p.delay(0, 1.0), s);
        assert_eq!(p.delay(0, 0.0), s / 2);
        assert_eq!(p.delay(2, 1.0), s * 4);
        assert_eq!(p.delay(30, 1.0), RetryPolicy::MAX_DELAY);
        assert_eq!(p.delay(30, 0.0), RetryPolicy::MAX_DELAY / 2);
        let j = p.delay(1, 0.5);
        assert!(j > s && j < s * 2, "{j:?}");
        // Out-of-range jitter never panics or exceeds the full pause.
        assert_eq!(p.delay(0, f64::NAN), s);
        assert_eq!(p.delay(0, 7.0), s);
        assert_eq!(p.delay(0, -1.0), s / 2);
        let huge = RetryPolicy::new(Some(1), Some(Duration::MAX));
        assert_eq!(huge.delay(8, 1.0), RetryPolicy::MAX_DELAY);
    }

    #[test]
    fn defaults_and_cap() {
        let d = RetryPolicy::default();
        assert_eq!(d.retries, RetryPolicy::DEFAULT_RETRIES);
        assert_eq!(d.base_delay, RetryPolicy::DEFAULT_BASE_DELAY);
        assert_eq!(RetryPolicy::new(Some(1000), None).retries, 10);
        assert_eq!(RetryPolicy::new(Some(0), None).retries, 0);
    }

    #[test]
    fn decisions() {
        let p = policy(2);
        let t = |transient, refetches, restarts| Tries {
            transient,
            refetches,
            restarts,
        };
        let lost = Failure::Net(category(Category::ConnectionLost));
        assert_eq!(
            p.decide(&lost, &t(0, 0, 0), 1.0),
            Decision::Retry(Duration::from_millis(1))
        );
        assert_eq!(
            p.decide(&lost, &t(1, 0, 0), 1.0),
            Decision::Retry(Duration::from_millis(2))
        );
        assert_eq!(p.decide(&lost, &t(2, 0, 0), 1.0), Decision::Stop);
        assert_eq!(policy(0).decide(&lost, &t(0, 0, 0), 1.0), Decision::Stop);
        let expired = Failure::Net(category(Category::Expired));
        assert_eq!(p.decide(&expired, &t(0, 0, 0), 1.0), Decision::Stop);
        let sum = Failure::Checksum {
            expected: "a".into(),
            actual: "b".into(),
        };
        // Even with no transient retries allowed, a damaged file is fetched once more.
        assert_eq!(
            policy(0).decide(&sum, &t(0, 0, 0), 1.0),
            Decision::Retry(Duration::ZERO)
        );
        assert_eq!(p.decide(&sum, &t(0, 1, 0), 1.0), Decision::Stop);
        // One fresh start per network attempt.
        let range = Failure::RangeMismatch;
        assert_eq!(
            policy(0).decide(&range, &t(0, 0, 0), 1.0),
            Decision::Retry(Duration::ZERO)
        );
        assert_eq!(p.decide(&range, &t(0, 0, 1), 1.0), Decision::Stop);
        assert_eq!(
            p.decide(&range, &t(1, 0, 1), 1.0),
            Decision::Retry(Duration::ZERO)
        );
    }

    #[test]
    fn run_retries_transient_failures_then_returns_the_last_error() {
        let calls = Cell::new(0);
        let r: Result<(), NetError> = policy(2).run("https://m.example/x", || {
            calls.set(calls.get() + 1);
            Err(status(503).into())
        });
        assert_eq!(calls.get(), 3, "one attempt and two retries");
        assert_eq!(r.unwrap_err().diagnosis().unwrap().facts.status, Some(503));

        let calls = Cell::new(0);
        let r = policy(3).run("https://m.example/x", || {
            calls.set(calls.get() + 1);
            if calls.get() < 3 {
                Err(Failure::Net(category(Category::Timeout)))
            } else {
                Ok("done")
            }
        });
        assert_eq!((r.unwrap(), calls.get()), ("done", 3));

        let calls = Cell::new(0);
        let r: Result<(), NetError> = policy(3).run("https://m.example/x", || {
            calls.set(calls.get() + 1);
            Err(status(404).into())
        });
        assert_eq!(calls.get(), 1, "404 is final");
        assert_eq!(r.unwrap_err().category(), Some(Category::NotFound));
    }

    #[test]
    fn a_checksum_refetch_starts_a_fresh_allowance_and_then_names_both_sums() {
        let calls = Cell::new(0);
        let r: Result<(), NetError> = policy(1).run("https://m.example/x", || {
            calls.set(calls.get() + 1);
            match calls.get() {
                // A drop, then a damaged file, then a drop again: still retried.
                1 | 3 => Err(status(502).into()),
                _ => Err(Failure::Checksum {
                    expected: "e".into(),
                    actual: "a".into(),
                }),
            }
        });
        assert_eq!(calls.get(), 4);
        match r.unwrap_err() {
            NetError::HashMismatch {
                url,
                expected,
                actual,
            } => assert_eq!(
                (url.as_str(), expected.as_str(), actual.as_str()),
                ("https://m.example/x", "e", "a")
            ),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn a_server_that_keeps_sending_wrong_ranges_stops() {
        let calls = Cell::new(0);
        let r: Result<(), NetError> = policy(0).run("https://m.example/x", || {
            calls.set(calls.get() + 1);
            Err(Failure::RangeMismatch)
        });
        assert_eq!(calls.get(), 2, "one fresh start");
        assert_eq!(r.unwrap_err().category(), Some(Category::Other));
    }
}
