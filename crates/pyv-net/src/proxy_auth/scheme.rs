//! The schemes pyv answers a proxy's 407 with, strongest first, and one state machine per
//! scheme that turns the proxy's challenge into the next `Proxy-Authorization` value.
//! Sans-IO: the relay does the sending, so every round is tested here without a socket.

use super::challenge::Challenge;
use super::negotiate::{self, Negotiator};
use base64::Engine;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A scheme pyv can answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Negotiate,
    Ntlm,
    Digest,
    Basic,
}

impl Scheme {
    /// Strongest first: a password never goes out in clear text when the proxy offers
    /// anything better than Basic.
    pub const PREFERENCE: [Scheme; 4] = [
        Scheme::Negotiate,
        Scheme::Ntlm,
        Scheme::Digest,
        Scheme::Basic,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scheme::Negotiate => "Negotiate",
            Scheme::Ntlm => "NTLM",
            Scheme::Digest => "Digest",
            Scheme::Basic => "Basic",
        }
    }

    /// The challenge of this scheme among those of one response.
    pub fn find(self, challenges: &[Challenge]) -> Option<&Challenge> {
        challenges.iter().find(|c| c.is(self.name()))
    }
}

/// `user:password` from the proxy URL (percent-decoded). Debug never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials {{ user: {:?} }}", self.user)
    }
}

/// The request being authenticated: Digest hashes the method and the request target.
pub struct Target<'a> {
    pub method: &'a str,
    pub uri: &'a str,
    /// The proxy's host name, for Kerberos' `HTTP@host` service name.
    pub proxy_host: &'a str,
}

/// One scheme's state across the rounds on one connection.
pub enum Mechanism {
    Basic {
        sent: bool,
        creds: Credentials,
    },
    Digest {
        rounds: u8,
        creds: Credentials,
    },
    Ntlm {
        rounds: u8,
        creds: Credentials,
    },
    /// A context of the platform's security library: Negotiate (GSSAPI or SSPI), or NTLM
    /// through SSPI with the logged-on user.
    Negotiate {
        scheme: Scheme,
        rounds: u8,
        ctx: Box<dyn Negotiator>,
        /// The first token, made when the mechanism starts so that a missing ticket or
        /// library is found while another offered scheme can still be chosen.
        first: Option<Vec<u8>>,
    },
}

impl std::fmt::Debug for Mechanism {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.scheme().name())
    }
}

/// Why a scheme could not start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartError {
    /// Not possible here (no credentials, no Kerberos library or ticket...).
    Unusable(String),
    /// The credentials were turned down before the proxy saw them (Kerberos' KDC refused
    /// the password): the library's words.
    Refused(String),
}

impl From<String> for StartError {
    fn from(s: String) -> StartError {
        StartError::Unusable(s)
    }
}

/// Why a round could not produce a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoundError {
    /// The proxy's challenge could not be used (named in the message).
    BadChallenge(String),
    /// The local security library failed (Kerberos: no ticket, unknown realm...).
    Local(String),
}

impl Mechanism {
    /// A mechanism for `scheme` with what pyv has, or why it cannot be used (shown when no
    /// offered scheme is usable). Without credentials only Negotiate/NTLM through the
    /// platform's logged-on identity are possible.
    pub fn start(
        scheme: Scheme,
        creds: Option<&Credentials>,
        proxy_host: &str,
    ) -> Result<Mechanism, StartError> {
        let need = |c: Option<&Credentials>| {
            c.cloned()
                .ok_or_else(|| "no credentials were given".to_string())
        };
        Ok(match scheme {
            Scheme::Basic => Mechanism::Basic {
                sent: false,
                creds: need(creds)?,
            },
            Scheme::Digest => Mechanism::Digest {
                rounds: 0,
                creds: need(creds)?,
            },
            Scheme::Ntlm if creds.is_none() && negotiate::LOGGED_ON_IDENTITY => {
                let mut ctx = negotiate::start_logged_on_ntlm(proxy_host)?;
                let first = ctx.step(None).map_err(StartError::Unusable)?;
                Mechanism::Negotiate {
                    scheme: Scheme::Ntlm,
                    rounds: 0,
                    ctx,
                    first,
                }
            }
            Scheme::Ntlm => Mechanism::Ntlm {
                rounds: 0,
                creds: need(creds)?,
            },
            Scheme::Negotiate => {
                let mut ctx = negotiate::start(creds, proxy_host)?;
                let first = ctx.step(None).map_err(StartError::Unusable)?;
                Mechanism::Negotiate {
                    scheme: Scheme::Negotiate,
                    rounds: 0,
                    ctx,
                    first,
                }
            }
        })
    }

    pub fn scheme(&self) -> Scheme {
        match self {
            Mechanism::Basic { .. } => Scheme::Basic,
            Mechanism::Digest { .. } => Scheme::Digest,
            Mechanism::Ntlm { .. } => Scheme::Ntlm,
            Mechanism::Negotiate { scheme, .. } => *scheme,
        }
    }

    /// The user named in messages (`None`: the logged-on user / the Kerberos ticket).
    pub fn user(&self) -> Option<&str> {
        match self {
            Mechanism::Basic { creds, .. }
            | Mechanism::Digest { creds, .. }
            | Mechanism::Ntlm { creds, .. } => Some(&creds.user),
            Mechanism::Negotiate { ctx, .. } => ctx.user(),
        }
    }

    /// Whether the scheme authenticates the connection (NTLM, Negotiate) rather than each
    /// request: its rounds must stay on one connection.
    pub fn connection_bound(&self) -> bool {
        matches!(self, Mechanism::Ntlm { .. } | Mechanism::Negotiate { .. })
    }

    /// The next `Proxy-Authorization` value given the proxy's latest challenge of this
    /// scheme, or `Ok(None)` when there is nothing more to try: the proxy refused.
    pub fn next(
        &mut self,
        challenge: Option<&Challenge>,
        target: &Target<'_>,
    ) -> Result<Option<String>, RoundError> {
        match self {
            Mechanism::Basic { sent, creds } => {
                if std::mem::replace(sent, true) {
                    return Ok(None);
                }
                Ok(Some(format!(
                    "Basic {}",
                    B64.encode(format!("{}:{}", creds.user, creds.password))
                )))
            }
            Mechanism::Digest { rounds, creds } => {
                let Some(ch) = challenge else { return Ok(None) };
                let mut prompt =
                    digest_auth::parse(&format!("Digest {}", ch.rest)).map_err(|e| {
                        RoundError::BadChallenge(format!("its Digest challenge is malformed ({e})"))
                    })?;
                // A second round only for a nonce that went stale; otherwise the password
                // was wrong.
                if *rounds > 0 && !prompt.stale || *rounds > 1 {
                    return Ok(None);
                }
                *rounds += 1;
                let ctx = digest_auth::AuthContext::new_with_method(
                    creds.user.as_str(),
                    creds.password.as_str(),
                    target.uri,
                    Option::<&[u8]>::None,
                    digest_auth::HttpMethod(target.method.into()),
                );
                let answer = prompt.respond(&ctx).map_err(|e| {
                    RoundError::BadChallenge(format!(
                        "its Digest challenge cannot be answered ({e})"
                    ))
                })?;
                Ok(Some(answer.to_header_string()))
            }
            Mechanism::Ntlm { rounds, creds } => {
                *rounds += 1;
                match *rounds {
                    1 => Ok(Some(format!("NTLM {}", B64.encode(ntlm_negotiate()?)))),
                    2 => match challenge.and_then(Challenge::token) {
                        Some(token) => Ok(Some(format!(
                            "NTLM {}",
                            B64.encode(ntlm_authenticate(token, creds)?)
                        ))),
                        None => Ok(None),
                    },
                    _ => Ok(None),
                }
            }
            Mechanism::Negotiate {
                scheme,
                rounds,
                ctx,
                first,
            } => {
                let name = scheme.name();
                *rounds += 1;
                if *rounds == 1 {
                    return Ok(first.take().map(|t| format!("{name} {}", B64.encode(t))));
                }
                let input = match challenge.and_then(Challenge::token) {
                    Some(t) => Some(B64.decode(t).map_err(|_| {
                        RoundError::BadChallenge("its Negotiate token is not base64".into())
                    })?),
                    // After the first round, a bare `Negotiate` again means: refused.
                    None if *rounds > 1 => return Ok(None),
                    None => None,
                };
                if *rounds > 4 || ctx.complete() {
                    return Ok(None);
                }
                match ctx.step(input.as_deref()).map_err(RoundError::Local)? {
                    Some(out) => Ok(Some(format!("{name} {}", B64.encode(out)))),
                    None => Ok(None),
                }
            }
        }
    }
}

/// `DOMAIN\user` → (domain, user); a UPN (`user@realm`) or a bare name has no domain.
fn split_domain(user: &str) -> (&str, &str) {
    user.split_once('\\').unwrap_or(("", user))
}

fn ntlm_flags() -> ntlmclient::Flags {
    use ntlmclient::Flags as F;
    F::NEGOTIATE_UNICODE
        | F::REQUEST_TARGET
        | F::NEGOTIATE_NTLM
        | F::NEGOTIATE_ALWAYS_SIGN
        | F::NEGOTIATE_TARGET_INFO
}

fn ntlm_negotiate() -> Result<Vec<u8>, RoundError> {
    ntlmclient::Message::Negotiate(ntlmclient::NegotiateMessage {
        flags: ntlm_flags(),
        supplied_domain: String::new(),
        supplied_workstation: String::new(),
        os_version: Default::default(),
    })
    .to_bytes()
    .map_err(|e| RoundError::Local(format!("NTLM negotiate message: {e:?}")))
}

/// NTLMv2 (LM and NTLMv1 are never sent).
fn ntlm_authenticate(token: &str, creds: &Credentials) -> Result<Vec<u8>, RoundError> {
    let bad = || RoundError::BadChallenge("its NTLM challenge could not be read".into());
    let bytes = B64.decode(token).map_err(|_| bad())?;
    let (challenge, target_info) = ntlm_challenge(&bytes).ok_or_else(bad)?;
    let (domain, user) = split_domain(&creds.user);
    let nt = ntlmclient::Credentials {
        username: user.to_string(),
        password: creds.password.clone(),
        domain: domain.to_string(),
    };
    let resp = ntlmclient::respond_challenge_ntlm_v2(
        challenge,
        target_info,
        ntlmclient::get_ntlm_time(),
        &nt,
    );
    resp.to_message(
        &nt,
        "",
        ntlmclient::Flags::NEGOTIATE_UNICODE | ntlmclient::Flags::NEGOTIATE_NTLM,
    )
    .to_bytes()
    .map_err(|e| RoundError::Local(format!("NTLM authenticate message: {e:?}")))
}

/// The server challenge and raw target information of a type 2 message. Read here rather
/// than by ntlmclient's parser, which wants the full 56-byte form: older servers (and
/// squid's helpers) send the short 32/48-byte forms of NTLMv1 days, which NTLMv2 answers
/// just as well. Every offset is bounds-checked: the token is the proxy's.
fn ntlm_challenge(b: &[u8]) -> Option<([u8; 8], &[u8])> {
    if b.len() < 32 || &b[..12] != b"NTLMSSP\0\x02\0\0\0" {
        return None;
    }
    let u16_at = |i: usize| Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?));
    let u32_at = |i: usize| Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?));
    let flags = u32_at(20)?;
    let challenge: [u8; 8] = b[24..32].try_into().ok()?;
    const TARGET_INFO: u32 = 0x0080_0000;
    let info = if flags & TARGET_INFO != 0 && b.len() >= 48 {
        let (len, off) = (usize::from(u16_at(40)?), u32_at(44)? as usize);
        b.get(off..off.checked_add(len)?).unwrap_or(&[])
    } else {
        &[]
    };
    Some((challenge, info))
}

#[cfg(test)]
mod tests {
    use super::super::challenge::parse;
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            user: "CORP\\jane".into(),
            password: "p@ss".into(),
        }
    }

    const T: Target<'static> = Target {
        method: "CONNECT",
        uri: "localhost:8443",
        proxy_host: "proxy.corp",
    };

    #[test]
    fn basic_is_one_round() {
        let mut m = Mechanism::start(Scheme::Basic, Some(&creds()), "p").unwrap();
        let ch = parse(&["Basic realm=\"x\""]);
        assert_eq!(
            m.next(ch.first(), &T).unwrap().as_deref(),
            Some("Basic Q09SUFxqYW5lOnBAc3M=")
        );
        assert_eq!(
            m.next(ch.first(), &T).unwrap(),
            None,
            "a second 407 means refused"
        );
        assert_eq!(m.user(), Some("CORP\\jane"));
    }

    #[test]
    fn digest_answers_the_nonce_and_retries_only_a_stale_one() {
        let mut m = Mechanism::start(Scheme::Digest, Some(&creds()), "p").unwrap();
        let ch = parse(&["Digest realm=\"pyv\", nonce=\"n1\", qop=\"auth\""]);
        let h = m.next(ch.first(), &T).unwrap().unwrap();
        assert!(h.starts_with("Digest "), "{h}");
        for part in [
            "username=\"CORP\\\\jane\"",
            "realm=\"pyv\"",
            "nonce=\"n1\"",
            "uri=\"localhost:8443\"",
            "qop=auth",
        ] {
            assert!(h.contains(part), "{part} in {h}");
        }
        let stale = parse(&["Digest realm=\"pyv\", nonce=\"n2\", qop=\"auth\", stale=true"]);
        assert!(m
            .next(stale.first(), &T)
            .unwrap()
            .unwrap()
            .contains("nonce=\"n2\""));
        assert_eq!(m.next(ch.first(), &T).unwrap(), None);
        let mut m = Mechanism::start(Scheme::Digest, Some(&creds()), "p").unwrap();
        assert!(matches!(
            m.next(parse(&["Digest nonce=x"]).first(), &T),
            Err(RoundError::BadChallenge(_))
        ));
    }

    #[test]
    fn ntlm_negotiates_then_answers_the_challenge_on_the_same_connection() {
        let mut m = Mechanism::start(Scheme::Ntlm, Some(&creds()), "p").unwrap();
        assert!(m.connection_bound());
        let t1 = m.next(parse(&["NTLM"]).first(), &T).unwrap().unwrap();
        let raw = B64.decode(t1.trim_start_matches("NTLM ")).unwrap();
        assert_eq!(&raw[..12], b"NTLMSSP\0\x01\0\0\0", "type 1");
        // A type 2 message as a server sends it (no target info).
        let mut t2 = b"NTLMSSP\0\x02\0\0\0".to_vec();
        t2.extend_from_slice(&[0, 0, 0, 0, 56, 0, 0, 0]); // target name: empty, offset 56
        t2.extend_from_slice(&0x0000_0201u32.to_le_bytes()); // flags
        t2.extend_from_slice(b"\x01\x02\x03\x04\x05\x06\x07\x08"); // server challenge
        t2.extend_from_slice(&[0; 8]); // context
        t2.extend_from_slice(&[0, 0, 0, 0, 56, 0, 0, 0]); // target info: empty
        t2.extend_from_slice(&[0; 8]); // version
        let ch = parse(&[&format!("NTLM {}", B64.encode(&t2))]);
        let t3 = m.next(ch.first(), &T).unwrap().unwrap();
        let raw = B64.decode(t3.trim_start_matches("NTLM ")).unwrap();
        assert_eq!(&raw[..12], b"NTLMSSP\0\x03\0\0\0", "type 3");
        let user: Vec<u8> = "jane".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(
            raw.windows(user.len()).any(|w| w == user),
            "user name in the type 3 message"
        );
        assert_eq!(
            m.next(parse(&["NTLM"]).first(), &T).unwrap(),
            None,
            "refused after type 3"
        );
        let mut m = Mechanism::start(Scheme::Ntlm, Some(&creds()), "p").unwrap();
        m.next(None, &T).unwrap();
        assert!(matches!(
            m.next(parse(&["NTLM AAAA"]).first(), &T),
            Err(RoundError::BadChallenge(_))
        ));
    }

    #[test]
    fn short_and_hostile_ntlm_challenges() {
        // squid's ntlm_fake_auth: the 49-byte form, with a garbage target-name offset.
        let fake = B64
            .decode("TlRMTVNTUAACAAAACQAJAK6qqqoGgggAu4kWNyGLOmEAAAAAAAA6AFdPUktHUk9VUA==")
            .unwrap();
        let (ch, info) = ntlm_challenge(&fake).unwrap();
        assert_eq!(ch, [0xbb, 0x89, 0x16, 0x37, 0x21, 0x8b, 0x3a, 0x61]);
        assert!(info.is_empty());
        // Target info pointing past the end, or a length that overflows: no panic.
        let mut t = fake[..48].to_vec();
        t[20..24].copy_from_slice(&0x0080_0000u32.to_le_bytes());
        t[40..42].copy_from_slice(&u16::MAX.to_le_bytes());
        t[44..48].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(ntlm_challenge(&t).map(|(_, i)| i.len()), Some(0));
        for n in 0..fake.len() {
            let _ = ntlm_challenge(&fake[..n]);
        }
        assert!(ntlm_challenge(&fake[..31]).is_none());
    }

    #[test]
    fn without_credentials_only_the_platform_identity_is_possible() {
        // NTLM without credentials is the logged-on user where the platform has one
        // (Windows: SSPI); a password scheme never is.
        let mut password_schemes = vec![Scheme::Basic, Scheme::Digest];
        if !negotiate::LOGGED_ON_IDENTITY {
            password_schemes.push(Scheme::Ntlm);
        }
        for s in password_schemes {
            assert_eq!(
                Mechanism::start(s, None, "p").unwrap_err(),
                StartError::Unusable("no credentials were given".into())
            );
        }
    }
}
