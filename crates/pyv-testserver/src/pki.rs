//! A throw-away PKI generated at test time: root CA → intermediate CA → leaves, plus CRLs.
//!
//! Every leaf carries a CRL Distribution Point on the plain-HTTP server, because Wine's
//! SChannel refuses a chain whose revocation status it cannot find (see the Windows notes).
//! Dates are relative to "now", so nothing here expires in the repository.

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CertifiedIssuer,
    CrlDistributionPoint, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair,
    KeyUsagePurpose, RevocationReason, RevokedCertParams, SerialNumber,
};
use std::path::{Path, PathBuf};
use time::{Duration, OffsetDateTime};

/// A certificate and its private key, both PEM.
#[derive(Clone, Debug)]
pub struct CertKey {
    pub cert_pem: String,
    pub key_pem: String,
}

/// The generated PKI. `root_pem` is the only thing a client has to trust.
#[derive(Clone, Debug)]
pub struct Pki {
    pub root_pem: String,
    /// The root's private key, to reuse the same root later (see [`RootCa`]).
    pub root_key_pem: String,
    pub intermediate_pem: String,
    /// DER CRL issued by the root (covers the intermediate; revokes nothing).
    pub root_crl_der: Vec<u8>,
    /// DER CRL issued by the intermediate (revokes `revoked`).
    pub intermediate_crl_der: Vec<u8>,
    /// Valid now, SAN localhost + 127.0.0.1, issued by the intermediate.
    pub good: CertKey,
    /// Expired yesterday.
    pub expired: CertKey,
    /// Valid only from next year on.
    pub not_yet_valid: CertKey,
    /// Valid, but for `wrong.example` only.
    pub wrong_host: CertKey,
    /// Valid, listed in the intermediate's CRL.
    pub revoked: CertKey,
    /// Self-signed leaf for localhost (no CA at all).
    pub self_signed: CertKey,
    /// DER of the intermediate, served at [`AIA_PATH`] for the leaves that point there.
    pub intermediate_der: Vec<u8>,
    /// Like `good`, with an AIA caIssuers address ([`AIA_PATH`]) that serves the
    /// intermediate: what a browser or Windows uses to complete a chain a server left short.
    pub good_aia: CertKey,
    /// Like `good`, with an AIA caIssuers address that answers 404 ([`AIA_DEAD_PATH`]).
    pub good_aia_dead: CertKey,
    /// The root of an HTTPS-inspection product (`CN=pyv-test-inspection`), which re-signs
    /// every site with leaves it issues directly, as mitmproxy does.
    pub inspection: RootCa,
    /// A localhost leaf issued directly by `inspection` (sent alone, as mitmproxy does).
    pub inspected: CertKey,
}

/// Where the plain-HTTP server serves the intermediate for AIA, and an address there that
/// serves nothing.
pub const AIA_PATH: &str = "/aia/intermediate.der";
pub const AIA_DEAD_PATH: &str = "/aia/gone.der";

/// The subject CN of the inspection product's root.
pub const INSPECTION_ROOT_CN: &str = "pyv-test-inspection";

/// Paths of the CRLs under the plain-HTTP server's root, as named in the certificates.
pub const ROOT_CRL_PATH: &str = "/crl/root.crl";
pub const INTERMEDIATE_CRL_PATH: &str = "/crl/intermediate.crl";

const REVOKED_SERIAL: u64 = 0x5eed_0bad;

/// An existing root to issue from. Wine's trust store is per prefix and persistent, so the
/// Windows test stage installs one root once and reuses it on every run.
#[derive(Clone, Debug)]
pub struct RootCa {
    pub cert_pem: String,
    pub key_pem: String,
}

impl Pki {
    /// Generates everything. `crl_base` is the plain-HTTP origin that will serve the CRLs,
    /// e.g. `http://127.0.0.1:41234`.
    pub fn generate(crl_base: &str) -> Pki {
        Pki::generate_with_root(crl_base, None).expect("test PKI")
    }

    /// Like [`Pki::generate`], issuing from `root` when given (a fresh root otherwise).
    pub fn generate_with_root(crl_base: &str, root: Option<&RootCa>) -> Result<Pki, String> {
        let now = OffsetDateTime::now_utc();
        let root_crl_url = format!("{crl_base}{ROOT_CRL_PATH}");
        let int_crl_url = format!("{crl_base}{INTERMEDIATE_CRL_PATH}");

        let (root, root_pem, root_key_pem) = match root {
            Some(r) => {
                let k = KeyPair::from_pem(&r.key_pem).map_err(|e| format!("root key: {e}"))?;
                let issuer = Issuer::from_ca_cert_pem(&r.cert_pem, k)
                    .map_err(|e| format!("root certificate: {e}"))?;
                (issuer, r.cert_pem.clone(), r.key_pem.clone())
            }
            None => {
                let mut p = ca_params("pyv test root CA", now);
                p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
                p.not_after = now + Duration::days(3650);
                let k = key();
                let cert = p.self_signed(&k).map_err(|e| e.to_string())?;
                let key_pem = k.serialize_pem();
                (Issuer::new(p, k), cert.pem(), key_pem)
            }
        };

        // A name of its own per generation: Wine finds CRLs by issuer name in its caches, and
        // a same-named intermediate from an earlier run would shadow this one's CRL.
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let int_name = format!("pyv test intermediate CA {stamp:x}");
        let mut int_params = ca_params(&int_name, now);
        int_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        int_params.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec![root_crl_url],
        }];
        let intermediate =
            CertifiedIssuer::signed_by(int_params, key(), &root).expect("intermediate CA");

        let leaf = |names: &[&str], not_before: OffsetDateTime, not_after: OffsetDateTime| {
            let mut p = leaf_params(names, &int_crl_url);
            p.not_before = not_before;
            p.not_after = not_after;
            let k = key();
            let cert = p.signed_by(&k, &intermediate).expect("leaf");
            CertKey {
                cert_pem: cert.pem(),
                key_pem: k.serialize_pem(),
            }
        };
        let local = ["localhost", "127.0.0.1"];
        let good = leaf(&local, now - Duration::days(1), now + Duration::days(30));
        let expired = leaf(&local, now - Duration::days(30), now - Duration::days(1));
        let not_yet_valid = leaf(&local, now + Duration::days(365), now + Duration::days(400));
        let wrong_host = leaf(
            &["wrong.example"],
            now - Duration::days(1),
            now + Duration::days(30),
        );
        let revoked = {
            let mut p = leaf_params(&local, &int_crl_url);
            p.not_before = now - Duration::days(1);
            p.not_after = now + Duration::days(30);
            p.serial_number = Some(SerialNumber::from(REVOKED_SERIAL));
            let k = key();
            let cert = p.signed_by(&k, &intermediate).expect("revoked leaf");
            CertKey {
                cert_pem: cert.pem(),
                key_pem: k.serialize_pem(),
            }
        };
        let self_signed = {
            let mut p = CertificateParams::new(local.map(String::from).to_vec()).expect("names");
            p.distinguished_name.push(DnType::CommonName, "localhost");
            p.not_before = now - Duration::days(1);
            p.not_after = now + Duration::days(30);
            let k = key();
            let cert = p.self_signed(&k).expect("self-signed leaf");
            CertKey {
                cert_pem: cert.pem(),
                key_pem: k.serialize_pem(),
            }
        };

        let aia_leaf = |url: String| {
            let mut p = leaf_params(&local, &int_crl_url);
            p.not_before = now - Duration::days(1);
            p.not_after = now + Duration::days(30);
            p.custom_extensions = vec![aia_extension(&url)];
            let k = key();
            let cert = p.signed_by(&k, &intermediate).expect("AIA leaf");
            CertKey {
                cert_pem: cert.pem(),
                key_pem: k.serialize_pem(),
            }
        };
        let good_aia = aia_leaf(format!("{crl_base}{AIA_PATH}"));
        let good_aia_dead = aia_leaf(format!("{crl_base}{AIA_DEAD_PATH}"));
        let inspection = {
            let mut p = CertificateParams::default();
            p.distinguished_name = rcgen::DistinguishedName::new();
            p.distinguished_name
                .push(DnType::CommonName, INSPECTION_ROOT_CN);
            p.distinguished_name
                .push(DnType::OrganizationName, INSPECTION_ROOT_CN);
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p.not_before = now - Duration::days(2);
            p.not_after = now + Duration::days(365);
            p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            let k = key();
            let cert = p.self_signed(&k).map_err(|e| e.to_string())?;
            RootCa {
                cert_pem: cert.pem(),
                key_pem: k.serialize_pem(),
            }
        };
        let inspected = inspection.issue_leaf("localhost")?;

        let crl = |revoked: Vec<RevokedCertParams>| CertificateRevocationListParams {
            this_update: now - Duration::days(1),
            next_update: now + Duration::days(30),
            crl_number: SerialNumber::from(1u64),
            issuing_distribution_point: None,
            revoked_certs: revoked,
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let root_crl_der = crl(vec![])
            .signed_by(&root)
            .expect("root CRL")
            .der()
            .to_vec();
        let intermediate_crl_der = crl(vec![RevokedCertParams {
            serial_number: SerialNumber::from(REVOKED_SERIAL),
            revocation_time: now - Duration::hours(1),
            reason_code: Some(RevocationReason::KeyCompromise),
            invalidity_date: None,
        }])
        .signed_by(&intermediate)
        .expect("intermediate CRL")
        .der()
        .to_vec();

        Ok(Pki {
            root_pem,
            root_key_pem,
            intermediate_der: intermediate.der().to_vec(),
            intermediate_pem: intermediate.pem(),
            good_aia,
            good_aia_dead,
            inspection,
            inspected,
            root_crl_der,
            intermediate_crl_der,
            good,
            expired,
            not_yet_valid,
            wrong_host,
            revoked,
            self_signed,
        })
    }

    /// Writes `root-ca.pem` (what a client trusts) into `dir` and returns its path.
    pub fn write_root(&self, dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join("root-ca.pem");
        std::fs::write(&path, &self.root_pem)?;
        Ok(path)
    }
}

impl RootCa {
    /// A leaf for `host` (and 127.0.0.1) issued directly by this root, valid now, with no
    /// AIA or CRL address: what an inspection product makes up for every site it re-signs.
    pub fn issue_leaf(&self, host: &str) -> Result<CertKey, String> {
        let k = KeyPair::from_pem(&self.key_pem).map_err(|e| format!("root key: {e}"))?;
        let issuer = Issuer::from_ca_cert_pem(&self.cert_pem, k)
            .map_err(|e| format!("root certificate: {e}"))?;
        let now = OffsetDateTime::now_utc();
        let mut names = vec![host.to_string()];
        if host != "127.0.0.1" {
            names.push("127.0.0.1".to_string());
        }
        let mut p = CertificateParams::new(names).map_err(|e| e.to_string())?;
        p.distinguished_name = rcgen::DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, host);
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        p.not_before = now - Duration::days(1);
        p.not_after = now + Duration::days(30);
        let leaf_key = key();
        let cert = p.signed_by(&leaf_key, &issuer).map_err(|e| e.to_string())?;
        Ok(CertKey {
            cert_pem: cert.pem(),
            key_pem: leaf_key.serialize_pem(),
        })
    }
}

/// The Authority Information Access extension with one caIssuers URI (RFC 5280 4.2.2.1),
/// DER-encoded by hand: rcgen has no builder for it.
fn aia_extension(uri: &str) -> rcgen::CustomExtension {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let n = body.len();
        if n < 0x80 {
            out.push(n as u8);
        } else if n < 0x100 {
            out.extend([0x81, n as u8]);
        } else {
            out.extend([0x82, (n >> 8) as u8, n as u8]);
        }
        out.extend_from_slice(body);
        out
    }
    // id-ad-caIssuers, 1.3.6.1.5.5.7.48.2
    let mut access = vec![0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02];
    // GeneralName uniformResourceIdentifier: [6] IMPLICIT IA5String
    access.extend(tlv(0x86, uri.as_bytes()));
    let content = tlv(0x30, &tlv(0x30, &access));
    rcgen::CustomExtension::from_oid_content(&[1, 3, 6, 1, 5, 5, 7, 1, 1], content)
}

fn key() -> KeyPair {
    // ECDSA P-256: fast to generate, and accepted by OpenSSL at every TLS version and by
    // SChannel (Windows 7 and Wine).
    KeyPair::generate().expect("key generation")
}

fn ca_params(name: &str, now: OffsetDateTime) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CommonName, name);
    p.distinguished_name
        .push(DnType::OrganizationName, "pyv tests");
    p.not_before = now - Duration::days(2);
    p.not_after = now + Duration::days(365);
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.use_authority_key_identifier_extension = true;
    p
}

fn leaf_params(names: &[&str], crl_url: &str) -> CertificateParams {
    let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .expect("names");
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CommonName, names[0]);
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    p.use_authority_key_identifier_extension = true;
    p.crl_distribution_points = vec![CrlDistributionPoint {
        uris: vec![crl_url.to_string()],
    }];
    p
}
