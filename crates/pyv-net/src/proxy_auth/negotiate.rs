//! Negotiate (SPNEGO, Kerberos): the platform's security library does the work.
//! Unix: MIT Kerberos' GSSAPI (`libgssapi_krb5.so.2`), loaded when first needed so pyv
//! builds without Kerberos headers and runs without the library until a proxy asks for
//! Negotiate. Windows: SSPI, with the URL's credentials or the logged-on user's.

use super::scheme::{Credentials, StartError};

/// One security context: the tokens of one connection's rounds.
pub trait Negotiator: Send {
    /// The next token to send, given the proxy's (none in the first round); `None` when
    /// the context has nothing more to say.
    fn step(&mut self, input: Option<&[u8]>) -> Result<Option<Vec<u8>>, String>;
    fn complete(&self) -> bool;
    /// The principal the ticket is for, when known.
    fn user(&self) -> Option<&str>;
}

/// A context for `HTTP@proxy_host`, with the password from the URL or the user's
/// existing Kerberos ticket. `Err`: why Negotiate cannot be used here.
#[cfg(unix)]
pub fn start(
    creds: Option<&Credentials>,
    proxy_host: &str,
) -> Result<Box<dyn Negotiator>, StartError> {
    super::gssapi::Gss::new(creds, proxy_host).map(|g| Box::new(g) as Box<dyn Negotiator>)
}

/// Whether the platform can authenticate as the logged-on user without a password
/// (Windows: SSPI, as WinHTTP does). Where it can, a proxy without credentials in its URL
/// still goes through the relay, which then answers NTLM/Negotiate as that user.
pub const LOGGED_ON_IDENTITY: bool = cfg!(windows);

#[cfg(windows)]
pub fn start(
    creds: Option<&Credentials>,
    proxy_host: &str,
) -> Result<Box<dyn Negotiator>, StartError> {
    sspi::Sspi::new("Negotiate", &format!("HTTP/{proxy_host}"), creds)
        .map(|s| Box::new(s) as Box<dyn Negotiator>)
}

/// NTLM as the logged-on user (SSPI); elsewhere NTLM needs the URL's credentials.
#[cfg(windows)]
pub fn start_logged_on_ntlm(proxy_host: &str) -> Result<Box<dyn Negotiator>, StartError> {
    sspi::Sspi::new("NTLM", &format!("HTTP/{proxy_host}"), None)
        .map(|s| Box::new(s) as Box<dyn Negotiator>)
}

#[cfg(not(windows))]
pub fn start_logged_on_ntlm(_proxy_host: &str) -> Result<Box<dyn Negotiator>, StartError> {
    Err(StartError::Unusable(
        "no credentials were given".to_string(),
    ))
}

#[cfg(windows)]
mod sspi {
    use super::{Credentials, Negotiator, StartError};
    use pyv_windows::sspi::{ClientContext, Identity};

    pub struct Sspi {
        ctx: ClientContext,
        user: Option<String>,
    }

    impl Sspi {
        pub fn new(
            package: &str,
            target: &str,
            creds: Option<&Credentials>,
        ) -> Result<Sspi, StartError> {
            let identity = creds.map(|c| {
                let (domain, user) = c.user.split_once('\\').unwrap_or(("", c.user.as_str()));
                Identity {
                    user,
                    domain,
                    password: c.password.as_str(),
                }
            });
            let ctx = ClientContext::new(package, target, identity)
                .map_err(|e| StartError::Unusable(format!("SSPI {package}: {e}")))?;
            Ok(Sspi {
                ctx,
                user: creds.map(|c| c.user.clone()),
            })
        }
    }

    impl Negotiator for Sspi {
        fn step(&mut self, input: Option<&[u8]>) -> Result<Option<Vec<u8>>, String> {
            let t = self.ctx.step(input).map_err(|e| e.to_string())?;
            Ok(Some(t).filter(|t| !t.is_empty()))
        }

        fn complete(&self) -> bool {
            self.ctx.complete()
        }

        fn user(&self) -> Option<&str> {
            self.user.as_deref()
        }
    }
}

#[cfg(not(any(unix, windows)))]
pub fn start(
    _creds: Option<&Credentials>,
    _proxy_host: &str,
) -> Result<Box<dyn Negotiator>, StartError> {
    Err(StartError::Unusable(
        "Negotiate through SSPI is not wired in this build".to_string(),
    ))
}
