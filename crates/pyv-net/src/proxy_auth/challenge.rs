//! `Proxy-Authenticate` values (RFC 9110 §11.6.1) as a list of challenges: the scheme and
//! what follows it. A proxy may send one header per scheme (squid does) or several
//! challenges in one header separated by commas; Digest's own parameters contain commas
//! too, so a new challenge starts only where a comma is followed by a bare token that is
//! not a `name=value` parameter.

/// One challenge: `NTLM TlRMTVNT...`, `Digest realm="x", nonce="y"`, `Basic realm="x"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// The scheme as the proxy spelled it (compare with [`Challenge::is`]).
    pub scheme: String,
    /// Everything after the scheme: a token68 (NTLM, Negotiate) or auth-params, trimmed.
    pub rest: String,
}

impl Challenge {
    /// Scheme names are case-insensitive.
    pub fn is(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }

    /// The token68 of a connection-oriented round (NTLM's type 2 message, a Negotiate
    /// continuation), or `None` for a bare `NTLM` / `Negotiate` offer.
    pub fn token(&self) -> Option<&str> {
        let body = self.rest.trim_end_matches('=');
        let token68 = !body.is_empty()
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b));
        token68.then_some(self.rest.as_str())
    }
}

/// Every challenge in the given header values, in order.
pub fn parse(values: &[&str]) -> Vec<Challenge> {
    let mut out = Vec::new();
    for value in values {
        for piece in split_challenges(value) {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let (scheme, rest) = piece.split_once([' ', '\t']).unwrap_or((piece, ""));
            if is_token(scheme) {
                out.push(Challenge {
                    scheme: scheme.to_string(),
                    rest: rest.trim().to_string(),
                });
            }
        }
    }
    out
}

/// The schemes offered, in order, each once (for messages).
pub fn schemes(challenges: &[Challenge]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for c in challenges {
        if !seen.iter().any(|s| s.eq_ignore_ascii_case(&c.scheme)) {
            seen.push(c.scheme.clone());
        }
    }
    seen
}

/// Splits one header value at the commas that start a new challenge, honouring quotes.
fn split_challenges(value: &str) -> Vec<&str> {
    let bytes = value.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut i) = (0, false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'\\' if quoted => i += 1,
            b',' if !quoted && starts_challenge(&value[i + 1..]) => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&value[start..]);
    parts
}

/// After a comma: a token followed by whitespace or the end (a scheme), not by `=` (a
/// parameter of the current challenge) and not by nothing at all.
fn starts_challenge(after: &str) -> bool {
    let after = after.trim_start_matches([' ', '\t', ',']);
    let end = after.find([' ', '\t', '=', ',']).unwrap_or(after.len());
    let (word, tail) = after.split_at(end);
    if word.is_empty() || !is_token(word) {
        return false;
    }
    let tail = tail.trim_start_matches([' ', '\t']);
    // `Basic realm=x`: the word is a scheme when what follows is not `=` right after it;
    // `NTLM` alone, or `Negotiate, Basic ...`, are schemes too.
    !tail.starts_with('=') || tail.starts_with("==")
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(scheme: &str, rest: &str) -> Challenge {
        Challenge {
            scheme: scheme.into(),
            rest: rest.into(),
        }
    }

    #[test]
    fn one_header_per_scheme_as_squid_sends_them() {
        let got = parse(&[
            "Negotiate",
            "NTLM",
            "Digest realm=\"pyv, test\", nonce=\"abc=\", qop=\"auth\", stale=false",
            "Basic realm=\"pyv-test\"",
        ]);
        assert_eq!(
            got,
            vec![
                c("Negotiate", ""),
                c("NTLM", ""),
                c(
                    "Digest",
                    "realm=\"pyv, test\", nonce=\"abc=\", qop=\"auth\", stale=false"
                ),
                c("Basic", "realm=\"pyv-test\""),
            ]
        );
        assert_eq!(schemes(&got), ["Negotiate", "NTLM", "Digest", "Basic"]);
    }

    #[test]
    fn several_challenges_in_one_header() {
        let got =
            parse(&["Negotiate, NTLM, Digest realm=\"r\", nonce=\"n\", Basic realm=\"b\", Bearer"]);
        assert_eq!(
            got,
            vec![
                c("Negotiate", ""),
                c("NTLM", ""),
                c("Digest", "realm=\"r\", nonce=\"n\""),
                c("Basic", "realm=\"b\""),
                c("Bearer", ""),
            ]
        );
    }

    #[test]
    fn tokens_of_connection_rounds() {
        let got = parse(&[
            "NTLM TlRMTVNTUAACAAAA==",
            "negotiate YIIBhgYGKwYBBQUCoA==",
            "NTLM",
        ]);
        assert_eq!(got[0].token(), Some("TlRMTVNTUAACAAAA=="));
        assert!(got[1].is("Negotiate"));
        assert_eq!(got[1].token(), Some("YIIBhgYGKwYBBQUCoA=="));
        assert_eq!(got[2].token(), None);
        assert_eq!(parse(&["Basic realm=\"x\""])[0].token(), None);
    }

    #[test]
    fn garbage_is_not_a_challenge() {
        assert!(parse(&["", "   ", "\"quoted\" x", ",,,"]).is_empty());
        assert_eq!(
            schemes(&parse(&["basic realm=a", "Basic realm=b"])),
            ["basic"]
        );
        // An unterminated quote swallows the rest instead of inventing challenges.
        assert_eq!(parse(&["Digest realm=\"a, Basic x"]).len(), 1);
    }
}
