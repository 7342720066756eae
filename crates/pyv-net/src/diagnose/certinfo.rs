//! The facts a diagnosis shows about a certificate (names, dates), read from DER with a
//! pure-Rust parser so the same code runs on Windows, where there is no OpenSSL.

use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::oid_registry::OID_PKIX_ACCESS_DESCRIPTOR_CA_ISSUERS;
use x509_parser::prelude::{FromDer, X509Certificate};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertInfo {
    /// Subject distinguished name, e.g. `CN=localhost`.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// DNS and IP names from the Subject Alternative Name extension (or the CN if none).
    pub names: Vec<String>,
    /// Validity, seconds since the Unix epoch (UTC).
    pub not_before: i64,
    pub not_after: i64,
    /// Subject == issuer (a root or a self-signed leaf).
    pub self_issued: bool,
    /// The Authority Information Access `caIssuers` URIs: where the issuer's certificate
    /// can be fetched when a server leaves it out.
    pub ca_issuers: Vec<String>,
}

impl CertInfo {
    /// `None` when the bytes are not one parseable X.509 certificate.
    pub fn from_der(der: &[u8]) -> Option<CertInfo> {
        let (_, cert) = X509Certificate::from_der(der).ok()?;
        let subject = cert.subject().to_string();
        let issuer = cert.issuer().to_string();
        let mut names = Vec::new();
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for n in &san.value.general_names {
                match n {
                    GeneralName::DNSName(d) => names.push(d.to_string()),
                    GeneralName::IPAddress(ip) => {
                        if let Some(s) = ip_to_string(ip) {
                            names.push(s)
                        }
                    }
                    _ => {}
                }
            }
        }
        if names.is_empty() {
            for cn in cert.subject().iter_common_name() {
                if let Ok(s) = cn.as_str() {
                    names.push(s.to_string());
                }
            }
        }
        let mut ca_issuers = Vec::new();
        for ext in cert.extensions() {
            if let ParsedExtension::AuthorityInfoAccess(aia) = ext.parsed_extension() {
                for d in &aia.accessdescs {
                    if d.access_method == OID_PKIX_ACCESS_DESCRIPTOR_CA_ISSUERS {
                        if let GeneralName::URI(u) = &d.access_location {
                            ca_issuers.push(u.to_string());
                        }
                    }
                }
            }
        }
        let v = cert.validity();
        Some(CertInfo {
            ca_issuers,
            self_issued: subject == issuer,
            subject,
            issuer,
            names,
            not_before: v.not_before.timestamp(),
            not_after: v.not_after.timestamp(),
        })
    }
}

fn ip_to_string(b: &[u8]) -> Option<String> {
    match b.len() {
        4 => Some(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string()),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            Some(std::net::Ipv6Addr::from(a).to_string())
        }
        _ => None,
    }
}

/// Seconds since the epoch → `2026-01-31 23:59:59 UTC` (proleptic Gregorian calendar).
pub fn fmt_utc(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The local clock, seconds since the epoch.
pub fn now_unix() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::fmt_utc;

    #[test]
    fn formats_dates() {
        assert_eq!(fmt_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(fmt_utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(fmt_utc(1_767_225_599), "2025-12-31 23:59:59 UTC");
        assert_eq!(fmt_utc(-1), "1969-12-31 23:59:59 UTC");
    }
}
