//! Completing a chain the server left short, as browsers and Windows' CryptoAPI do: the
//! leaf's Authority Information Access `caIssuers` address names where its issuer's
//! certificate is published; fetch it and check whether it links the leaf to a root this
//! computer trusts. This tells "the server omits its intermediate" (the fetched certificate
//! chains to a trusted root) from "a private CA or an inspection product issued this"
//! (it does not, or there is nothing to fetch).
//!
//! **pyv says so; it does not succeed with the fetched certificate.** The download stays
//! failed and the message names the missing intermediate, where it came from and the
//! trusted root it leads to, so the user knows the mirror (not the network) is at fault.
//! Succeeding would need the fetched certificate as an *untrusted intermediate* of the real
//! handshake, and native-tls can only add trust anchors: adding it there would trust it as a
//! root, which it must never be. So it is only ever used here, as the middle of a chain
//! verified by OpenSSL against the system store and the extra CA files, signatures, dates
//! and CA constraints included. Plain `http://` is fine for that: the certificate proves
//! itself by its signature, which is why CAs publish these over http.
//!
//! Bounded: one address (the first), one request, no redirects, 64 KiB, the connect timeout
//! capped at 5 s for the whole exchange; garbage is a reason, never a panic. Through the
//! proxy in effect for the address, if any. Windows: SChannel's CryptoAPI already fetches
//! AIA issuers itself, so a chain it reports incomplete has none to fetch; not run there.

use crate::config::NetConfig;
use std::fmt;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// Largest certificate (or PKCS#7 bundle) fetched.
pub const MAX_BYTES: usize = 64 * 1024;
/// Longest the whole fetch may take.
pub const MAX_TIME: Duration = Duration::from_secs(5);

/// What the AIA step found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AiaOutcome {
    /// The leaf names no caIssuers address.
    NoAddress,
    /// The address gave nothing usable.
    Failed { url: String, why: AiaFailure },
    /// The fetched certificate issued the leaf but does not lead to a trusted root;
    /// `issuer` is the fetched certificate's issuer (the CA it leads to).
    Untrusted { url: String, issuer: String },
    /// The fetched certificate links the leaf to a trusted root.
    Trusted {
        url: String,
        intermediate: String,
        root: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AiaFailure {
    /// Only http:// is fetched (an https address would need the chain being diagnosed).
    Scheme,
    Unreachable,
    Status(u16),
    TooLarge,
    NotACertificate,
    /// A certificate, but not the one that signed the leaf.
    NotTheIssuer,
}

impl fmt::Display for AiaFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AiaFailure::Scheme => f.write_str("only http:// addresses are fetched"),
            AiaFailure::Unreachable => f.write_str("no answer"),
            AiaFailure::Status(s) => write!(f, "HTTP {s}"),
            AiaFailure::TooLarge => write!(f, "more than {} KiB", MAX_BYTES / 1024),
            AiaFailure::NotACertificate => f.write_str("not a certificate"),
            AiaFailure::NotTheIssuer => f.write_str("not the certificate's issuer"),
        }
    }
}

/// Runs the AIA step for a leaf (`leaf_der`) whose chain did not verify.
#[cfg(not(windows))]
pub fn complete(leaf_der: &[u8], ca_issuers: &[String], config: &NetConfig) -> AiaOutcome {
    let Some(url) = ca_issuers.first() else {
        return AiaOutcome::NoAddress;
    };
    let failed = |why| AiaOutcome::Failed {
        url: url.clone(),
        why,
    };
    let bytes = match fetch(url, config) {
        Ok(b) => b,
        Err(why) => return failed(why),
    };
    match verify::chain(leaf_der, &bytes, config) {
        Ok(v) => v.into_outcome(url),
        Err(why) => failed(why),
    }
}

/// GET `url` (http only), bounded in size and time.
pub fn fetch(url: &str, config: &NetConfig) -> Result<Vec<u8>, AiaFailure> {
    let parsed = url::Url::parse(url).map_err(|_| AiaFailure::NotACertificate)?;
    if parsed.scheme() != "http" {
        return Err(AiaFailure::Scheme);
    }
    let host = parsed
        .host_str()
        .ok_or(AiaFailure::Unreachable)?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = parsed.port_or_known_default().unwrap_or(80);
    let timeout = config.connect_timeout.min(MAX_TIME);
    let deadline = Instant::now() + MAX_TIME;
    let decision = config.proxy_for(&parsed);
    let proxy = decision.endpoint().filter(|p| p.scheme == "http");
    let (mut tcp, target) = match proxy {
        // An HTTP proxy takes the absolute URL (no CONNECT: proxies often allow that to
        // port 443 only).
        Some(p) => (
            super::inspect::connect_direct(&p.host, p.port, timeout),
            parsed.as_str().to_string(),
        ),
        None => (
            super::inspect::connect_direct(&host, port, timeout),
            parsed[url::Position::BeforePath..url::Position::AfterQuery].to_string(),
        ),
    };
    let tcp = tcp.as_mut().map_err(|_| AiaFailure::Unreachable)?;
    let host_header = match parsed.port() {
        Some(p) => format!("{}:{p}", parsed.host_str().unwrap_or(&host)),
        None => parsed.host_str().unwrap_or(&host).to_string(),
    };
    let mut req = format!("GET {target} HTTP/1.0\r\nHost: {host_header}\r\nAccept: */*\r\n");
    if let Some(p) = proxy {
        if let Some(auth) = super::inspect::basic_authorization(p) {
            req.push_str(&format!("Proxy-Authorization: {auth}\r\n"));
        }
    }
    req.push_str("\r\n");
    tcp.write_all(req.as_bytes())
        .map_err(|_| AiaFailure::Unreachable)?;
    let limit = MAX_BYTES + 16 * 1024;
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if Instant::now() > deadline {
            return Err(AiaFailure::Unreachable);
        }
        match tcp.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                if got.len() > limit {
                    return Err(AiaFailure::TooLarge);
                }
            }
            Err(_) => return Err(AiaFailure::Unreachable),
        }
    }
    let split = got
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or(AiaFailure::Unreachable)?;
    let head = String::from_utf8_lossy(&got[..split]);
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(AiaFailure::Unreachable)?;
    if status != 200 {
        return Err(AiaFailure::Status(status));
    }
    let body = got[split + 4..].to_vec();
    if body.len() > MAX_BYTES {
        return Err(AiaFailure::TooLarge);
    }
    Ok(body)
}

#[cfg(not(windows))]
mod verify {
    use super::{AiaFailure, AiaOutcome};
    use crate::config::NetConfig;
    use crate::diagnose::certinfo::CertInfo;
    use openssl::pkcs7::Pkcs7;
    use openssl::stack::Stack;
    use openssl::x509::store::X509StoreBuilder;
    use openssl::x509::{X509StoreContext, X509};

    pub(super) enum Verdict {
        Trusted { intermediate: String, root: String },
        Untrusted { issuer: String },
    }

    impl Verdict {
        pub(super) fn into_outcome(self, url: &str) -> AiaOutcome {
            let url = url.to_string();
            match self {
                Verdict::Trusted { intermediate, root } => AiaOutcome::Trusted {
                    url,
                    intermediate,
                    root,
                },
                Verdict::Untrusted { issuer } => AiaOutcome::Untrusted { url, issuer },
            }
        }
    }

    fn info(c: &X509) -> Option<CertInfo> {
        c.to_der().ok().and_then(|d| CertInfo::from_der(&d))
    }

    fn name(c: &X509) -> String {
        info(c).map(|i| i.subject).unwrap_or_default()
    }

    /// The certificates in what an AIA address served: DER (the common form), PEM, or a
    /// PKCS#7 certs-only bundle (`.p7c`).
    fn certificates(bytes: &[u8]) -> Vec<X509> {
        if let Ok(c) = X509::from_der(bytes) {
            return vec![c];
        }
        if let Ok(v) = X509::stack_from_pem(bytes) {
            if !v.is_empty() {
                return v;
            }
        }
        Pkcs7::from_der(bytes)
            .ok()
            .and_then(|p| {
                p.signed()
                    .and_then(|s| s.certificates())
                    .map(|st| st.iter().map(|c| c.to_owned()).collect())
            })
            .unwrap_or_default()
    }

    /// Whether the fetched certificate issued the leaf and, used as its (untrusted)
    /// intermediate, leads to a trusted root.
    pub(super) fn chain(
        leaf_der: &[u8],
        fetched: &[u8],
        config: &NetConfig,
    ) -> Result<Verdict, AiaFailure> {
        let leaf = X509::from_der(leaf_der).map_err(|_| AiaFailure::NotACertificate)?;
        let candidates = certificates(fetched);
        if candidates.is_empty() {
            return Err(AiaFailure::NotACertificate);
        }
        let issuer = candidates
            .into_iter()
            .find(|c| {
                c.public_key()
                    .ok()
                    .is_some_and(|k| leaf.verify(&k).unwrap_or(false))
            })
            .ok_or(AiaFailure::NotTheIssuer)?;
        // The CA the fetched certificate leads to (its issuer), which is not trusted.
        let untrusted = || Verdict::Untrusted {
            issuer: info(&issuer).map(|i| i.issuer).unwrap_or_default(),
        };
        // The trust the real request had: the system store plus the extra CA files.
        let Ok(mut store) = X509StoreBuilder::new() else {
            return Ok(untrusted());
        };
        let _ = store.set_default_paths();
        for file in &config.extra_ca_files {
            for der in crate::ca::load(file).unwrap_or_default() {
                if let Ok(c) = X509::from_der(&der) {
                    let _ = store.add_cert(c);
                }
            }
        }
        let store = store.build();
        let Ok(mut middle) = Stack::new() else {
            return Ok(untrusted());
        };
        if middle.push(issuer.clone()).is_err() {
            return Ok(untrusted());
        }
        let Ok(mut ctx) = X509StoreContext::new() else {
            return Ok(untrusted());
        };
        let root = ctx
            .init(&store, &leaf, &middle, |c| {
                Ok(match c.verify_cert()? {
                    true => c
                        .chain()
                        .and_then(|ch| ch.iter().last().map(|r| name(&r.to_owned()))),
                    false => None,
                })
            })
            .ok()
            .flatten();
        Ok(match root {
            Some(root) => Verdict::Trusted {
                intermediate: name(&issuer),
                root,
            },
            None => untrusted(),
        })
    }
}
