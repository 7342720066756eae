//! OpenSSL (native-tls on Linux/macOS): TLS failures from the X.509 verify result and the
//! SSL library's reason codes. The code → category tables are pure functions.
//!
//! native-tls hides its `openssl::ssl::Error` from `source()` but prints the verify result as
//! ` (<text>)` after the SSL error; the text comes from this same OpenSSL
//! (`X509_verify_cert_error_string`), so comparing against the text of each known code gives
//! the exact code back. The SSL reason codes come from the `ErrorStack` that follows in the
//! chain.

use super::{Category, TlsCode};
use openssl::error::ErrorStack;
use openssl::x509::X509VerifyResult;
use std::error::Error as StdError;

/// `ERR_LIB_SSL`.
const LIB_SSL: i32 = 20;

/// X.509 verify error (`X509_V_ERR_*`) → category.
pub fn verify_category(code: i32) -> Option<Category> {
    Some(match code {
        // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, DEPTH_ZERO_SELF_SIGNED_CERT,
        // SELF_SIGNED_CERT_IN_CHAIN, CERT_UNTRUSTED, CERT_REJECTED
        20 | 18 | 19 | 27 | 28 => Category::UntrustedRoot,
        // UNABLE_TO_GET_ISSUER_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE
        2 | 21 => Category::IncompleteChain,
        10 => Category::Expired,           // CERT_HAS_EXPIRED
        9 => Category::NotYetValid,        // CERT_NOT_YET_VALID
        62 | 64 => Category::HostMismatch, // HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH
        23 => Category::Revoked,           // CERT_REVOKED
        // UNABLE_TO_GET_CRL, CRL_NOT_YET_VALID, CRL_HAS_EXPIRED, UNABLE_TO_GET_CRL_ISSUER,
        // OCSP_VERIFY_NEEDED, OCSP_VERIFY_FAILED, OCSP_CERT_UNKNOWN
        3 | 11 | 12 | 33 | 73 | 74 | 75 => Category::RevocationUnavailable,
        // Signature failures, bad fields, wrong purpose, weak keys/digests, invalid CA, ...
        4..=8 | 13 | 14 | 22 | 24..=26 | 29..=32 | 34..=60 | 63 | 65..=72 | 76..=92 | 94 => {
            Category::BadCertificate
        }
        _ => return None,
    })
}

/// SSL reason code (`SSL_R_*`) → category.
pub fn reason_category(reason: i32) -> Option<Category> {
    Some(match reason {
        267 | 198 | 156 => Category::NotTls, // WRONG_VERSION_NUMBER, PACKET_LENGTH_TOO_LONG, HTTP_REQUEST
        1070 | 258 | 191 => Category::Protocol, // ALERT_PROTOCOL_VERSION, UNSUPPORTED_PROTOCOL, NO_PROTOCOLS_AVAILABLE
        1040 | 193 | 181 | 333 | 118 | 1071 | 338 => Category::Protocol, // handshake failure, no shared cipher, ...
        394 | 398 | 399 => Category::BadCertificate, // DH_KEY_TOO_SMALL, CA_MD_TOO_WEAK, EE_KEY_TOO_SMALL
        1044 => Category::Revoked,                   // SSLV3_ALERT_CERTIFICATE_REVOKED
        _ => return None,
    })
}

/// The verify code whose text native-tls appended (`... (certificate has expired)`).
fn verify_code_in(text: &str) -> Option<(i32, String)> {
    (1..=94)
        .filter(|c| verify_category(*c).is_some())
        .find_map(|code| {
            // SAFETY: `from_raw` is unsafe only because OpenSSL < 1.1 formatted unknown codes in
            // a shared static buffer; every code passed here is a defined X509_V_ERR_* value
            // (those of the table above), whose text is a static string.
            let s = unsafe { X509VerifyResult::from_raw(code) }.error_string();
            text.ends_with(&format!("({s})"))
                .then(|| (code, s.to_string()))
        })
}

pub(super) fn tls_category(links: &[&(dyn StdError + 'static)]) -> Option<(Category, TlsCode)> {
    let mut saw_tls = false;
    for e in links {
        if let Some(nt) = e.downcast_ref::<native_tls::Error>() {
            saw_tls = true;
            if let Some((code, s)) = verify_code_in(&nt.to_string()) {
                if let Some(cat) = verify_category(code) {
                    return Some((cat, TlsCode::OpenSslVerify(code, s)));
                }
            }
        }
        let stack = e.downcast_ref::<ErrorStack>().or_else(|| {
            e.downcast_ref::<openssl::ssl::Error>()
                .and_then(|s| s.ssl_error())
        });
        if let Some(stack) = stack {
            saw_tls = true;
            for item in stack.errors() {
                if item.library_code() != LIB_SSL {
                    continue;
                }
                if let Some(cat) = reason_category(item.reason_code()) {
                    let text = item.reason().unwrap_or("").to_string();
                    return Some((cat, TlsCode::OpenSslReason(item.reason_code(), text)));
                }
            }
        }
    }
    saw_tls.then(|| (Category::TlsOther, TlsCode::OpenSslReason(0, String::new())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_codes_from_the_brief() {
        assert_eq!(verify_category(10), Some(Category::Expired));
        assert_eq!(verify_category(9), Some(Category::NotYetValid));
        assert_eq!(verify_category(18), Some(Category::UntrustedRoot));
        assert_eq!(verify_category(19), Some(Category::UntrustedRoot));
        assert_eq!(verify_category(20), Some(Category::UntrustedRoot));
        assert_eq!(verify_category(2), Some(Category::IncompleteChain));
        assert_eq!(verify_category(62), Some(Category::HostMismatch));
        assert_eq!(verify_category(23), Some(Category::Revoked));
        assert_eq!(verify_category(0), None);
    }

    #[test]
    fn reason_codes() {
        assert_eq!(reason_category(267), Some(Category::NotTls));
        assert_eq!(reason_category(1070), Some(Category::Protocol));
        assert_eq!(
            reason_category(134),
            None,
            "CERTIFICATE_VERIFY_FAILED: the verify code decides"
        );
    }

    #[test]
    fn verify_text_round_trips_through_this_openssl() {
        // SAFETY: 10 is X509_V_ERR_CERT_HAS_EXPIRED, a defined code.
        let s = unsafe { X509VerifyResult::from_raw(10) }.error_string();
        let text = format!("error:0A000086:SSL routines:...:certificate verify failed ({s})");
        assert_eq!(verify_code_in(&text).map(|(c, _)| c), Some(10));
        assert_eq!(verify_code_in("no code"), None);
    }
}
