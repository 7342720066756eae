//! Which redirects a request follows: reqwest's default limit, and never from https to plain
//! http. A downgrade would hand the rest of the transfer (an index with checksums, a
//! package) to anyone on the path, so it is refused, naming both addresses.

/// Redirects followed before giving up, as reqwest's default policy.
pub const REDIRECT_LIMIT: usize = 10;

/// An https URL redirected to a plain-http one. Carried as the source of reqwest's redirect
/// error, so that the diagnosis reads it by type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("refused redirect from {from} to plain http {to}")]
pub struct Downgrade {
    pub from: String,
    pub to: String,
}

/// The policy the client is built with.
pub fn policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let downgrade = attempt
            .previous()
            .last()
            .filter(|from| from.scheme() == "https" && attempt.url().scheme() == "http")
            .map(|from| Downgrade {
                from: from.to_string(),
                to: attempt.url().to_string(),
            });
        match downgrade {
            Some(d) => attempt.error(d),
            // `previous` starts with the first URL, which is not a redirect.
            None if attempt.previous().len() > REDIRECT_LIMIT => {
                reqwest::redirect::Policy::limited(REDIRECT_LIMIT).redirect(attempt)
            }
            None => attempt.follow(),
        }
    })
}
