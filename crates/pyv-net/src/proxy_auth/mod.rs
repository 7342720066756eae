//! Proxy authentication beyond what reqwest does (preemptive Basic only): Digest, NTLM and
//! Negotiate, for CONNECT tunnels and plain-http requests alike, and the three ways a 407
//! ends (no credentials, credentials refused, no scheme pyv can answer) told apart.
//!
//! Design: NTLM and Negotiate authenticate the *connection* (a 407 with a challenge, then
//! the final token on the same connection), which no reqwest hook allows. So when the proxy
//! URL carries credentials the [`Client`](crate::Client) starts a [`relay::Relay`] on
//! 127.0.0.1:0 and gives reqwest that as an unauthenticated HTTP proxy; the relay does the
//! rounds ([`scheme`]) on its own connection to the real proxy and then only pipes bytes.
//! Without credentials reqwest talks to the proxy itself as before, and a 407 is followed
//! by one unauthenticated probe ([`offered`]) to name the schemes the proxy offers.

pub mod challenge;
mod gssapi;
mod http1;
pub mod negotiate;
pub mod relay;
pub mod scheme;

use crate::proxy::{ProxyConfig, ProxyEndpoint};
use scheme::{Credentials, Scheme};
use std::time::Duration;

/// Why a proxy's 407 stood, for the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthFailure {
    /// The proxy wants credentials and the URL has none. `offered`: its schemes, when known.
    NoCredentials { offered: Vec<String> },
    /// The proxy turned down the credentials pyv sent.
    /// `detail`: the security library's words when it, not the proxy, refused (Kerberos).
    Refused {
        scheme: String,
        user: Option<String>,
        detail: Option<String>,
    },
    /// None of the proxy's schemes is one pyv can answer (`why`: for those pyv knows but
    /// could not use here, the reason).
    Unsupported {
        offered: Vec<String>,
        why: Vec<String>,
    },
    /// The exchange broke off: the proxy's challenge could not be used.
    Broken { scheme: String, reason: String },
}

impl AuthFailure {
    /// No mechanism could start: without credentials that is "none given" as long as a
    /// scheme that takes a password is offered; otherwise the schemes are unsupported.
    pub fn unusable(
        offered: Vec<String>,
        have_creds: bool,
        tried: Vec<(Scheme, scheme::StartError)>,
        user: Option<&str>,
    ) -> AuthFailure {
        if let Some((s, scheme::StartError::Refused(detail))) = tried
            .iter()
            .find(|(_, e)| matches!(e, scheme::StartError::Refused(_)))
        {
            return AuthFailure::Refused {
                scheme: s.name().to_string(),
                user: user.map(str::to_string),
                detail: Some(detail.clone()),
            };
        }
        let tried: Vec<(Scheme, String)> = tried
            .into_iter()
            .map(|(s, e)| match e {
                scheme::StartError::Unusable(w) | scheme::StartError::Refused(w) => (s, w),
            })
            .collect();
        let password_scheme = tried.iter().any(|(s, _)| *s != Scheme::Negotiate);
        if !have_creds && password_scheme {
            return AuthFailure::NoCredentials { offered };
        }
        AuthFailure::Unsupported {
            offered,
            why: tried
                .into_iter()
                .map(|(s, why)| format!("{}: {why}", s.name()))
                .collect(),
        }
    }
}

/// The relays of one client, one per proxy that has credentials.
#[derive(Default)]
pub struct Relays(Vec<(ProxyEndpoint, relay::Relay)>);

impl Relays {
    /// Starts a relay for each configured http:// proxy that [`wants_relay`]. (An https://
    /// proxy keeps reqwest's own path: Basic only.)
    pub fn start(proxies: &ProxyConfig, timeout: Duration) -> std::io::Result<Relays> {
        let mut out: Vec<(ProxyEndpoint, relay::Relay)> = Vec::new();
        for ep in [&proxies.https, &proxies.http].into_iter().flatten() {
            if !wants_relay(ep, negotiate::LOGGED_ON_IDENTITY) || out.iter().any(|(e, _)| e == ep) {
                continue;
            }
            let creds = ep.username.as_ref().map(|user| Credentials {
                user: user.clone(),
                password: ep.password.clone().unwrap_or_default(),
            });
            out.push((
                ep.clone(),
                relay::Relay::start(&ep.host, ep.port, creds, timeout)?,
            ));
        }
        Ok(Relays(out))
    }

    /// The (user, password) reqwest gives `ep`'s relay.
    pub fn secret_for(&self, ep: &ProxyEndpoint) -> Option<(String, String)> {
        self.0
            .iter()
            .find(|(e, _)| e == ep)
            .map(|(_, r)| (r.secret().0.to_string(), r.secret().1.to_string()))
    }

    /// The URL reqwest uses for `ep`: its relay's, or `None` for the proxy itself.
    pub fn url_for(&self, ep: &ProxyEndpoint) -> Option<String> {
        self.0.iter().find(|(e, _)| e == ep).map(|(_, r)| r.url())
    }

    /// `proxies` with each relayed proxy replaced by its relay (no credentials): what the
    /// diagnosis' inspection handshake tunnels through, so it passes an NTLM or Negotiate
    /// proxy just as the download did.
    pub fn via_relays(&self, proxies: &ProxyConfig) -> ProxyConfig {
        let swap = |ep: &Option<ProxyEndpoint>| {
            ep.as_ref()
                .map(|e| match self.0.iter().find(|(r, _)| r == e) {
                    Some((_, relay)) => ProxyEndpoint {
                        scheme: "http".into(),
                        host: "127.0.0.1".into(),
                        port: relay.port(),
                        username: Some(relay.secret().0.to_string()),
                        password: Some(relay.secret().1.to_string()),
                    },
                    None => e.clone(),
                })
        };
        ProxyConfig {
            http: swap(&proxies.http),
            https: swap(&proxies.https),
            http_var: proxies.http_var.clone(),
            https_var: proxies.https_var.clone(),
            no_proxy: proxies.no_proxy.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What the last failed connection through `ep`'s relay ran into.
    pub fn take_outcome(&self, ep: &ProxyEndpoint) -> Option<relay::Outcome> {
        self.0
            .iter()
            .find(|(e, _)| e == ep)
            .and_then(|(_, r)| r.take_outcome())
    }
}

/// Whether the relay answers `ep`'s 407s: an http:// proxy whose URL has credentials, or
/// any http:// proxy where the platform can authenticate as the logged-on user.
pub fn wants_relay(ep: &ProxyEndpoint, logged_on_identity: bool) -> bool {
    ep.scheme == "http" && (ep.username.is_some() || logged_on_identity)
}

/// The failure a 407 without credentials becomes, given what the proxy offers.
pub fn without_credentials(offered: Vec<String>) -> AuthFailure {
    let answerable = offered.iter().any(|o| {
        Scheme::PREFERENCE
            .iter()
            .any(|s| s.name().eq_ignore_ascii_case(o))
    });
    if offered.is_empty() || answerable {
        AuthFailure::NoCredentials { offered }
    } else {
        AuthFailure::Unsupported {
            offered,
            why: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_proxies_go_through_the_relay() {
        let ep = |u: &str| ProxyEndpoint::parse(u).unwrap();
        assert!(wants_relay(&ep("http://jane:pw@proxy:3128"), false));
        assert!(
            wants_relay(&ep("http://jane@proxy:3128"), false),
            "a user alone: Kerberos ticket"
        );
        assert!(
            !wants_relay(&ep("http://proxy:3128"), false),
            "Linux: reqwest's own path"
        );
        assert!(
            wants_relay(&ep("http://proxy:3128"), true),
            "Windows: the logged-on user"
        );
        assert!(
            !wants_relay(&ep("https://jane:pw@proxy:443"), true),
            "https proxies: Basic only"
        );
    }

    #[test]
    fn a_407_without_credentials_is_told_by_what_is_offered() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            without_credentials(v(&["NTLM", "Basic"])),
            AuthFailure::NoCredentials {
                offered: v(&["NTLM", "Basic"])
            }
        );
        assert_eq!(
            without_credentials(vec![]),
            AuthFailure::NoCredentials { offered: vec![] }
        );
        assert_eq!(
            without_credentials(v(&["Bearer"])),
            AuthFailure::Unsupported {
                offered: v(&["Bearer"]),
                why: vec![]
            }
        );
    }
}
