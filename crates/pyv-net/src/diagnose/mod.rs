//! Failure diagnosis: every transfer failure becomes a [`Diagnosis`] with a typed
//! [`Category`], the facts that explain it (certificate names and dates, the local clock,
//! protocol versions, HTTP status), a one-line message naming the URL, and the fix.
//! The raw library error chain is kept for verbose output only.
//!
//! How TLS failures are recognised:
//! - Linux/macOS (native-tls = OpenSSL): the X.509 verify code and the SSL reason codes
//!   ([`ossl`]).
//! - Windows (native-tls = SChannel): the HRESULT number ([`winerr`]); Wine cannot format
//!   those messages, so text is never matched.
//!
//! Every other failure (DNS, refused, timeout, proxy, dropped connection) is classified by
//! error type in `classify`; what each category says, and its fix, is one table in
//! `message`.
//!
//! A chain that does not reach a trusted root is judged once, in [`trust`], for every
//! command: interception (a proxy in effect, or an inspection product's issuer), a server
//! that omits its intermediate (confirmed by fetching the leaf's AIA issuer, [`aia`]), or a
//! self-signed / private-CA server.
//!
//! The certificate facts come from a second, *inspection-only* handshake ([`inspect`]) made
//! after the real request has already failed: it reads the peer's certificates without
//! verifying them and never sends or receives application data, so nothing is downloaded
//! over it. OpenSSL's error carries only a code, and SChannel's only an HRESULT; neither
//! names the dates or host names, and the chain the server sent is what tells a missing
//! intermediate from an untrusted root.

pub mod aia;
pub mod certinfo;
mod classify;
pub mod inspect;
mod message;
#[cfg(not(windows))]
pub mod ossl;
pub mod proxy_answer;
pub mod trust;
pub mod winerr;

use crate::config::NetConfig;
use crate::redirect::Downgrade;
use certinfo::CertInfo;
pub use message::Place;
use proxy_answer::ProxyAnswer;
use std::error::Error as StdError;
use std::fmt;

/// What went wrong, in the terms a fix is given in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// The chain ends at a root this computer does not trust (self-signed, private CA,
    /// corporate HTTPS inspection).
    UntrustedRoot,
    /// The server did not send the intermediate certificate(s) linking it to a root.
    IncompleteChain,
    /// A proxy or security product re-signs HTTPS with a root this computer does not trust.
    Interception,
    Expired,
    NotYetValid,
    HostMismatch,
    Revoked,
    /// Revocation status could not be determined (CRL/OCSP unreachable).
    RevocationUnavailable,
    /// Bad signature, wrong key usage, weak key and other certificate defects.
    BadCertificate,
    /// No common protocol version or cipher.
    Protocol,
    /// The port answered with something that is not TLS (typically plain HTTP).
    NotTls,
    /// Any other TLS failure.
    TlsOther,
    Dns,
    Refused,
    /// No route to the host (network down or unreachable), before any answer.
    Unreachable,
    Timeout,
    /// The connection dropped mid-transfer.
    ConnectionLost,
    ProxyAuth,
    Proxy,
    /// The server kept redirecting: a loop, or more redirects than the client follows.
    RedirectLoop,
    /// An https URL redirected to plain http (refused, see [`crate::redirect`]).
    Downgrade,
    /// The response headers exceed what the HTTP library accepts.
    HeadersTooLarge,
    /// HTTP 404 (or a missing file on a folder mirror).
    NotFound,
    HttpStatus,
    Other,
}

impl Category {
    /// Failures of the TLS layer (the ones worth an inspection handshake).
    pub fn is_tls(self) -> bool {
        matches!(
            self,
            Category::UntrustedRoot
                | Category::IncompleteChain
                | Category::Interception
                | Category::Expired
                | Category::NotYetValid
                | Category::HostMismatch
                | Category::Revoked
                | Category::RevocationUnavailable
                | Category::BadCertificate
                | Category::Protocol
                | Category::NotTls
                | Category::TlsOther
        )
    }
}

/// The library code behind a TLS classification (verbose output).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsCode {
    /// OpenSSL X.509 verify result (`X509_V_ERR_*`) and its text.
    OpenSslVerify(i32, String),
    /// OpenSSL SSL-library reason code (`SSL_R_*`) and its text.
    OpenSslReason(i32, String),
    /// Windows HRESULT.
    Hresult(u32),
}

impl fmt::Display for TlsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsCode::OpenSslVerify(c, s) => write!(f, "OpenSSL verify error {c} ({s})"),
            TlsCode::OpenSslReason(c, s) => write!(f, "OpenSSL SSL reason {c} ({s})"),
            TlsCode::Hresult(c) => match winerr::name(*c) {
                Some(n) => write!(f, "{n} (0x{c:08X})"),
                None => write!(f, "HRESULT 0x{c:08X}"),
            },
        }
    }
}

/// Everything known that helps explain a failure.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub status: Option<u16>,
    pub code: Option<TlsCode>,
    /// The certificates the server sent, leaf first (Windows inspection: leaf only).
    pub peer_chain: Vec<CertInfo>,
    /// Whether `peer_chain` is the whole chain the server sent (false: leaf only known).
    pub peer_chain_complete: bool,
    /// The protocol version the server chose in the inspection handshake (`TLSv1.1`).
    pub server_version: Option<String>,
    /// Every version the server accepted when it chose one pyv refuses, oldest first.
    pub server_versions: Vec<String>,
    /// Who issued a certificate that does not lead to a trusted root ([`trust`]).
    pub trust: Option<trust::Trust>,
    /// What the leaf's AIA issuer address gave ([`aia`]), when it was tried.
    pub aia: Option<aia::AiaOutcome>,
    /// This computer's clock when the failure was diagnosed (Unix seconds).
    pub now: i64,
    /// The proxy the request went through (no credentials).
    pub proxy: Option<String>,
    /// The timeout that expired, seconds.
    pub timeout_secs: Option<u64>,
    /// What the proxy itself answered (status, `Proxy-Authenticate` schemes, the body's
    /// explaining line), when the failure is the proxy's.
    pub proxy_answer: Option<ProxyAnswer>,
    /// The refused https → http redirect.
    pub downgrade: Option<Downgrade>,
    /// What a failed download left for the next run to resume.
    pub kept: Option<Kept>,
    /// Why a proxy's 407 stood (which of its cases), when known.
    pub proxy_auth: Option<crate::proxy_auth::AuthFailure>,
}

/// The part of a download kept after a failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    pub bytes: u64,
    /// The folder holding the `.part` file, by its name (`install_cache`).
    pub folder: String,
}

/// A classified failure. `Display` is the user message: one line, URL named, fix included.
#[derive(Clone, Debug)]
pub struct Diagnosis {
    pub category: Category,
    pub url: String,
    pub facts: Facts,
    /// The library error chain, outermost first. Verbose only.
    pub chain: Vec<String>,
}

impl Diagnosis {
    pub fn new(category: Category, url: &str) -> Diagnosis {
        let parsed = url::Url::parse(url).ok();
        Diagnosis {
            category,
            url: url.to_string(),
            facts: Facts {
                host: parsed
                    .as_ref()
                    .and_then(|u| u.host_str().map(str::to_string)),
                port: parsed.as_ref().and_then(|u| u.port_or_known_default()),
                now: certinfo::now_unix(),
                ..Facts::default()
            },
            chain: Vec::new(),
        }
    }

    /// A diagnosis for an HTTP status the server answered with.
    pub fn from_status(status: u16, url: &str) -> Diagnosis {
        let cat = match status {
            404 | 410 => Category::NotFound,
            407 => Category::ProxyAuth,
            _ => Category::HttpStatus,
        };
        let mut d = Diagnosis::new(cat, url);
        d.facts.status = Some(status);
        d
    }
}

/// Walks an error and its causes, outermost first. `io::Error` hides a wrapped error from
/// `source()` (it returns the inner error's source), so its inner error is visited explicitly.
pub fn error_chain<'a>(err: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        out.push(e);
        if out.len() > 32 {
            break;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref() {
                cur = Some(inner);
                continue;
            }
        }
        cur = e.source();
    }
    out
}

/// Diagnoses a failed request to `url`. With `config.inspect_on_failure`, TLS failures get
/// an inspection handshake for certificate facts.
pub fn diagnose(err: &(dyn StdError + 'static), url: &str, config: &NetConfig) -> Diagnosis {
    let links = error_chain(err);
    let parsed = url::Url::parse(url).ok();
    let decision = parsed.as_ref().map(|u| config.proxy_for(u));
    let proxy = decision.as_ref().and_then(|d| d.endpoint());
    let (category, code) = match tls_category(&links) {
        Some((c, code)) => (c, Some(code)),
        None => (classify::category(&links, proxy.is_some()), None),
    };
    let mut d = Diagnosis::new(category, url);
    d.chain = links.iter().map(|e| e.to_string()).collect();
    // An io::Error shows its inner error's text: the same line twice says nothing more.
    d.chain.dedup();
    d.facts.code = code;
    d.facts.proxy = proxy.map(|p| p.url());
    d.facts.downgrade = links
        .iter()
        .find_map(|e| e.downcast_ref::<Downgrade>())
        .cloned();
    if category == Category::Timeout {
        let connecting = links.iter().any(|e| {
            e.downcast_ref::<reqwest::Error>()
                .is_some_and(|r| r.is_connect())
        });
        let t = if connecting {
            config.connect_timeout
        } else {
            config.read_timeout
        };
        d.facts.timeout_secs = Some(t.as_secs().max(1));
    }
    // The tunnel's status, schemes and body are not in reqwest's error: ask the proxy.
    if let (Category::Proxy | Category::ProxyAuth, Some(p), Some(host), Some(port)) =
        (category, proxy, d.facts.host.clone(), d.facts.port)
    {
        let timeout = config
            .connect_timeout
            .min(std::time::Duration::from_secs(10));
        d.facts.proxy_answer = proxy_answer::ask(p, &host, port, timeout);
    }
    if category.is_tls() && config.inspect_on_failure {
        if let (Some(host), Some(port)) = (d.facts.host.clone(), d.facts.port) {
            refine_with_inspection(&mut d, &host, port, proxy, config);
        }
    }
    d
}

/// Refines a TLS diagnosis with an inspection handshake: certificate facts, who issued a
/// certificate that does not verify, the versions an old server speaks. For the doctor's
/// probe, which diagnoses without inspecting (its handshakes are the test itself).
pub fn refine(d: &mut Diagnosis, config: &NetConfig) {
    if !d.category.is_tls() {
        return;
    }
    let parsed = url::Url::parse(&d.url).ok();
    let decision = parsed.as_ref().map(|u| config.proxy_for(u));
    let proxy = decision.as_ref().and_then(|d| d.endpoint());
    if let (Some(host), Some(port)) = (d.facts.host.clone(), d.facts.port) {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        refine_with_inspection(d, &host, port, proxy, config);
    }
}

fn refine_with_inspection(
    d: &mut Diagnosis,
    host: &str,
    port: u16,
    proxy: Option<&crate::proxy::ProxyEndpoint>,
    config: &NetConfig,
) {
    let timeout = config
        .connect_timeout
        .min(std::time::Duration::from_secs(10));
    let mut ders = Vec::new();
    if let Some(peer) = inspect::peer(host, port, proxy, timeout) {
        d.facts.peer_chain = peer.chain;
        d.facts.peer_chain_complete = peer.chain_complete;
        d.facts.server_version = peer.version;
        d.facts.server_versions = peer.versions;
        ders = peer.ders;
    }
    let now = d.facts.now;
    let leaf = d.facts.peer_chain.first().cloned();
    match (d.category, &leaf) {
        // SChannel reports "outside its validity period" for both directions.
        (Category::Expired, Some(l)) if l.not_before > now => d.category = Category::NotYetValid,
        (Category::UntrustedRoot | Category::IncompleteChain, Some(l)) => {
            let lone = d.facts.peer_chain_complete && d.facts.peer_chain.len() == 1;
            if lone && !l.self_issued {
                d.facts.aia = aia_outcome(ders.first(), &l.ca_issuers, config);
            }
            let t = trust::judge(&trust::Inputs {
                host,
                chain: &d.facts.peer_chain,
                chain_complete: d.facts.peer_chain_complete,
                proxy,
                aia: d.facts.aia.as_ref(),
            });
            d.category = match t {
                trust::Trust::Interception { .. } => Category::Interception,
                trust::Trust::MissingIntermediate => Category::IncompleteChain,
                trust::Trust::PrivateCa { .. } | trust::Trust::SelfSigned => {
                    Category::UntrustedRoot
                }
                trust::Trust::Unknown => d.category,
            };
            d.facts.trust = Some(t);
        }
        (Category::Protocol | Category::TlsOther, None)
            if proxy.is_none() && inspect::answers_plain_http(host, port, timeout) =>
        {
            d.category = Category::NotTls
        }
        _ => {}
    }
}

#[cfg(not(windows))]
fn aia_outcome(
    leaf_der: Option<&Vec<u8>>,
    ca_issuers: &[String],
    config: &NetConfig,
) -> Option<aia::AiaOutcome> {
    Some(aia::complete(leaf_der?, ca_issuers, config))
}

/// CryptoAPI fetches AIA issuers itself (see [`aia`]).
#[cfg(windows)]
fn aia_outcome(_: Option<&Vec<u8>>, _: &[String], _: &NetConfig) -> Option<aia::AiaOutcome> {
    None
}

#[cfg(not(windows))]
fn tls_category(links: &[&(dyn StdError + 'static)]) -> Option<(Category, TlsCode)> {
    ossl::tls_category(links)
}

/// Windows: find the HRESULT in the chain (an io::Error's number, or the "(os error N)" that
/// std prints) and look it up in the pure table.
#[cfg(windows)]
fn tls_category(links: &[&(dyn StdError + 'static)]) -> Option<(Category, TlsCode)> {
    for e in links {
        let code = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.raw_os_error())
            .map(|n| n as u32)
            .filter(|c| winerr::category(*c).is_some())
            .or_else(|| winerr::code_in_text(&e.to_string()));
        if let Some(c) = code {
            return winerr::category(c).map(|cat| (cat, TlsCode::Hresult(c)));
        }
    }
    links
        .iter()
        .find_map(|e| winerr::security_code_in_text(&e.to_string()))
        .map(|c| (Category::TlsOther, TlsCode::Hresult(c)))
}
