//! Loopback servers that prove pyv's network code: a generated PKI, HTTPS servers with good
//! and broken certificates or old protocol versions, a plain-HTTP server (also serving the
//! CRLs), per-path misbehaviours, and a CONNECT proxy. Everything binds 127.0.0.1 on a free
//! port and stops when dropped.
//!
//! Host-only (not Windows): see Cargo.toml.
#![cfg(not(windows))]

pub mod http;
pub mod pki;
pub mod proxy;
pub mod server;

pub use http::{Logged, Misbehave, Rule};
pub use pki::{CertKey, Pki, RootCa};
pub use proxy::{ConnectProxy, Interception, Refusal};
pub use server::{Server, TlsSetup, TlsVersions};

/// The kinds of HTTPS server a test can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// Good leaf + intermediate, TLS 1.2/1.3.
    Good,
    Expired,
    NotYetValid,
    WrongHost,
    Revoked,
    SelfSigned,
    /// Good leaf sent without its intermediate.
    MissingIntermediate,
    /// Good chain, but only TLS 1.0/1.1.
    LegacyTls,
    /// Good leaf without its intermediate, whose AIA caIssuers address serves it.
    MissingIntermediateAia,
    /// Good leaf without its intermediate, whose AIA caIssuers address answers 404.
    MissingIntermediateDeadAia,
    /// A leaf issued directly by the inspection product's root, sent alone (what a
    /// transparent intercepting firewall presents, with no proxy configured).
    Inspected,
}

/// A PKI plus the plain-HTTP server that serves its CRLs (and can serve files too).
pub struct Fixture {
    pub pki: Pki,
    /// Plain HTTP; serves `/crl/*.crl`. Also usable as the "not TLS" server.
    pub http: Server,
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        let http = Server::http();
        let pki = Pki::generate(&http.ip_origin());
        http.add_file(pki::ROOT_CRL_PATH, pki.root_crl_der.clone());
        http.add_file(pki::INTERMEDIATE_CRL_PATH, pki.intermediate_crl_der.clone());
        http.add_file(pki::AIA_PATH, pki.intermediate_der.clone());
        Fixture { pki, http }
    }

    /// The TLS material a server of `profile` uses.
    pub fn tls_setup(&self, profile: Profile) -> TlsSetup {
        let p = &self.pki;
        let (leaf, with_intermediate, versions) = match profile {
            Profile::Good => (&p.good, true, TlsVersions::Modern),
            Profile::Expired => (&p.expired, true, TlsVersions::Modern),
            Profile::NotYetValid => (&p.not_yet_valid, true, TlsVersions::Modern),
            Profile::WrongHost => (&p.wrong_host, true, TlsVersions::Modern),
            Profile::Revoked => (&p.revoked, true, TlsVersions::Modern),
            Profile::SelfSigned => (&p.self_signed, false, TlsVersions::Modern),
            Profile::MissingIntermediate => (&p.good, false, TlsVersions::Modern),
            Profile::LegacyTls => (&p.good, true, TlsVersions::LegacyOnly),
            Profile::MissingIntermediateAia => (&p.good_aia, false, TlsVersions::Modern),
            Profile::MissingIntermediateDeadAia => (&p.good_aia_dead, false, TlsVersions::Modern),
            Profile::Inspected => (&p.inspected, false, TlsVersions::Modern),
        };
        let mut chain_pem = vec![leaf.cert_pem.clone()];
        if with_intermediate {
            chain_pem.push(p.intermediate_pem.clone());
        }
        TlsSetup {
            chain_pem,
            key_pem: leaf.key_pem.clone(),
            versions,
        }
    }

    /// Starts an HTTPS server of `profile` on a free port.
    pub fn https(&self, profile: Profile) -> Server {
        Server::https(&self.tls_setup(profile)).expect("HTTPS test server")
    }
}

/// Whether this machine's OpenSSL can still speak TLS 1.0/1.1 at all (some builds drop
/// them). Checked with a real handshake against a `LegacyTls` server: `Err(reason)` means a
/// test of that case must print a visible SKIP with the reason instead of passing silently.
pub fn legacy_tls_supported(fixture: &Fixture) -> Result<(), String> {
    use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode, SslVersion};
    let server = Server::https(&fixture.tls_setup(Profile::LegacyTls))?;
    let mut b = SslConnector::builder(SslMethod::tls_client()).map_err(|e| e.to_string())?;
    b.set_verify(SslVerifyMode::NONE);
    b.set_min_proto_version(Some(SslVersion::TLS1))
        .map_err(|e| e.to_string())?;
    b.set_max_proto_version(Some(SslVersion::TLS1_1))
        .map_err(|e| e.to_string())?;
    b.set_security_level(0);
    b.set_cipher_list("DEFAULT:@SECLEVEL=0")
        .map_err(|e| e.to_string())?;
    let tcp =
        std::net::TcpStream::connect(("127.0.0.1", server.port())).map_err(|e| e.to_string())?;
    let _ = tcp.set_read_timeout(Some(std::time::Duration::from_secs(10)));
    let conn = b.build();
    let stream = conn
        .connect("localhost", tcp)
        .map_err(|e| format!("this OpenSSL refuses TLS 1.0/1.1 even at SECLEVEL=0: {e}"))?;
    let v = stream.ssl().version_str();
    if v == "TLSv1" || v == "TLSv1.1" {
        Ok(())
    } else {
        Err(format!("legacy server negotiated {v}"))
    }
}
