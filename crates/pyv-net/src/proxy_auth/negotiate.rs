//! Negotiate (SPNEGO, Kerberos): the platform's security library does the work.
//! Unix: MIT Kerberos' GSSAPI (`libgssapi_krb5.so.2`), loaded when first needed so pyv
//! builds without Kerberos headers and runs without the library until a proxy asks for
//! Negotiate. Windows: SSPI (not wired yet: a proxy offering only Negotiate is reported as such).

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

#[cfg(not(unix))]
pub fn start(
    _creds: Option<&Credentials>,
    _proxy_host: &str,
) -> Result<Box<dyn Negotiator>, StartError> {
    Err(StartError::Unusable(
        "Negotiate through SSPI is not wired in this build".to_string(),
    ))
}
