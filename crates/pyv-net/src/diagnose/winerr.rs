//! Windows (SChannel / CryptoAPI) failure codes → categories. Pure and platform-independent,
//! so the table is unit-tested on Linux; only the tiny glue that pulls the number out of an
//! error chain is `cfg(windows)`. Numbers, never message text: Wine cannot format these codes
//! ("OS Error -2146762487 (FormatMessageW() returned error 317)").

use super::Category;

/// (code, symbolic name, category). HRESULTs from winerror.h.
const TABLE: &[(u32, &str, Category)] = &[
    (0x800B_0101, "CERT_E_EXPIRED", Category::Expired),
    (
        0x800B_0102,
        "CERT_E_VALIDITYPERIODNESTING",
        Category::BadCertificate,
    ),
    (0x800B_0103, "CERT_E_ROLE", Category::BadCertificate),
    (0x800B_0104, "CERT_E_PATHLENCONST", Category::BadCertificate),
    (0x800B_0105, "CERT_E_CRITICAL", Category::BadCertificate),
    (0x800B_0106, "CERT_E_PURPOSE", Category::BadCertificate),
    (
        0x800B_0107,
        "CERT_E_ISSUERCHAINING",
        Category::IncompleteChain,
    ),
    (0x800B_0108, "CERT_E_MALFORMED", Category::BadCertificate),
    (0x800B_0109, "CERT_E_UNTRUSTEDROOT", Category::UntrustedRoot),
    (0x800B_010A, "CERT_E_CHAINING", Category::IncompleteChain),
    (0x800B_010B, "TRUST_E_FAIL", Category::BadCertificate),
    (0x800B_010C, "CERT_E_REVOKED", Category::Revoked),
    (
        0x800B_010D,
        "CERT_E_UNTRUSTEDTESTROOT",
        Category::UntrustedRoot,
    ),
    (
        0x800B_010E,
        "CERT_E_REVOCATION_FAILURE",
        Category::RevocationUnavailable,
    ),
    (0x800B_010F, "CERT_E_CN_NO_MATCH", Category::HostMismatch),
    (0x800B_0110, "CERT_E_WRONG_USAGE", Category::BadCertificate),
    (
        0x800B_0111,
        "TRUST_E_EXPLICIT_DISTRUST",
        Category::UntrustedRoot,
    ),
    (0x800B_0112, "CERT_E_UNTRUSTEDCA", Category::UntrustedRoot),
    (
        0x800B_0113,
        "CERT_E_INVALID_POLICY",
        Category::BadCertificate,
    ),
    (0x800B_0114, "CERT_E_INVALID_NAME", Category::BadCertificate),
    (
        0x8009_6004,
        "TRUST_E_CERT_SIGNATURE",
        Category::BadCertificate,
    ),
    (0x8009_2010, "CRYPT_E_REVOKED", Category::Revoked),
    (
        0x8009_2012,
        "CRYPT_E_NO_REVOCATION_CHECK",
        Category::RevocationUnavailable,
    ),
    (
        0x8009_2013,
        "CRYPT_E_REVOCATION_OFFLINE",
        Category::RevocationUnavailable,
    ),
    // Windows 7 without TLS 1.2 enabled, or client and server share no protocol version.
    (
        0x8009_0302,
        "SEC_E_UNSUPPORTED_FUNCTION",
        Category::Protocol,
    ),
    // Wine reports a handshake the server aborted (e.g. its protocol_version alert when it
    // speaks only TLS 1.0/1.1) as an internal error.
    (0x8009_0304, "SEC_E_INTERNAL_ERROR", Category::Protocol),
    (0x8009_0308, "SEC_E_INVALID_TOKEN", Category::Protocol),
    (0x8009_0322, "SEC_E_WRONG_PRINCIPAL", Category::HostMismatch),
    (0x8009_0324, "SEC_E_TIME_SKEW", Category::NotYetValid),
    (0x8009_0325, "SEC_E_UNTRUSTED_ROOT", Category::UntrustedRoot),
    // The peer's bytes are not a TLS message the client accepts: a fatal alert (no shared
    // version/cipher) or a plain-HTTP answer; the caller sniffs for the latter.
    (0x8009_0326, "SEC_E_ILLEGAL_MESSAGE", Category::Protocol),
    (0x8009_0327, "SEC_E_CERT_UNKNOWN", Category::BadCertificate),
    (0x8009_0328, "SEC_E_CERT_EXPIRED", Category::Expired),
    (0x8009_0331, "SEC_E_ALGORITHM_MISMATCH", Category::Protocol),
];

/// The category of a Windows HRESULT, if it is one of the TLS/certificate codes.
pub fn category(code: u32) -> Option<Category> {
    TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, cat)| *cat)
}

/// The symbolic name (`CERT_E_UNTRUSTEDROOT`) for verbose output.
pub fn name(code: u32) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, n, _)| *n)
}

/// A security/certificate HRESULT (facility 9 = SSPI/crypto, 11 = certificates) in the
/// error's text, known to the table or not (for TLS failures the table does not name).
pub fn security_code_in_text(text: &str) -> Option<u32> {
    for marker in ["os error ", "OS Error "] {
        let mut rest = text;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i + marker.len()..];
            let digits: String = rest
                .chars()
                .take_while(|c| *c == '-' || c.is_ascii_digit())
                .collect();
            if let Ok(n) = digits.parse::<i64>() {
                let code = n as i32 as u32;
                if matches!(code & 0xFFFF_0000, 0x8009_0000 | 0x800B_0000) {
                    return Some(code);
                }
            }
        }
    }
    None
}

/// Finds the OS error number in an error's text: std renders `... (os error -2146762487)` and,
/// when FormatMessageW fails (Wine), `OS Error -2146762487 (FormatMessageW() ...)`.
pub fn code_in_text(text: &str) -> Option<u32> {
    for marker in ["os error ", "OS Error "] {
        let mut rest = text;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i + marker.len()..];
            let digits: String = rest
                .chars()
                .take_while(|c| *c == '-' || c.is_ascii_digit())
                .collect();
            if let Ok(n) = digits.parse::<i64>() {
                // HRESULTs appear as negative i32 or as u32; both name the same code.
                let code = n as i32 as u32;
                if category(code).is_some() {
                    return Some(code);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_the_brief_map_to_their_categories() {
        let cases = [
            (0x800B0109, Category::UntrustedRoot),
            (0x800B0101, Category::Expired),
            (0x800B010F, Category::HostMismatch),
            (0x800B010E, Category::RevocationUnavailable),
            (0x80092010, Category::Revoked),
            (0x80092012, Category::RevocationUnavailable),
            (0x80092013, Category::RevocationUnavailable),
            (0x80090325, Category::UntrustedRoot),
            (0x80090328, Category::Expired),
            (0x80090322, Category::HostMismatch),
            (0x80090331, Category::Protocol),
            (0x80090302, Category::Protocol),
            (0x80090326, Category::Protocol),
            (0x800B010A, Category::IncompleteChain),
            (0x80096004, Category::BadCertificate),
            (0x800B0110, Category::BadCertificate),
        ];
        for (code, cat) in cases {
            assert_eq!(category(code), Some(cat), "{code:#x}");
        }
        assert_eq!(
            category(0x8007_0005),
            None,
            "E_ACCESSDENIED is not a TLS code"
        );
        assert_eq!(name(0x800B0109), Some("CERT_E_UNTRUSTEDROOT"));
    }

    #[test]
    fn code_is_found_in_wine_and_windows_texts() {
        // Wine: FormatMessageW cannot format CryptoAPI codes.
        let wine = "error sending request: client error (Connect): OS Error -2146762487 (FormatMessageW() returned error 317) (os error -2146762487)";
        assert_eq!(code_in_text(wine), Some(0x800B0109));
        // Real Windows: a message, then std's "(os error N)".
        let win = "A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider. (os error -2146762487)";
        assert_eq!(code_in_text(win), Some(0x800B0109));
        assert_eq!(
            code_in_text("The certificate is expired (os error -2146762495)"),
            Some(0x800B0101)
        );
        // Wine, server that only speaks TLS 1.0/1.1 (seen under Wine 8).
        assert_eq!(
            code_in_text(
                "OS Error -2146893052 (FormatMessageW() returned error 317) (os error -2146893052)"
            ),
            Some(0x8009_0304)
        );
        assert_eq!(category(0x8009_0304), Some(Category::Protocol));
        assert_eq!(
            security_code_in_text("(os error -2146893048)"),
            Some(0x8009_0308)
        );
        assert_eq!(
            security_code_in_text("x (os error -2147024891)"),
            None,
            "E_ACCESSDENIED"
        );
        // Socket errors are not TLS codes.
        assert_eq!(code_in_text("Connection refused (os error 10061)"), None);
        assert_eq!(code_in_text("no number here"), None);
    }
}
