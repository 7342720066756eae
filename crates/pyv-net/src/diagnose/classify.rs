//! Failures outside TLS (connection, DNS, proxy, timeouts) from the error chain, by type:
//! `reqwest::Error`'s predicates, `hyper::Error`'s, the `io::ErrorKind` of every
//! `io::Error` in the chain, and this crate's own tunnel and resolver errors.
//!
//! Message text is matched only where the library keeps its type private; each such text
//! is a constant below naming the library that writes it, compared as tightly as its
//! wording allows (never "contains" on the whole chain, whose first text holds the URL).

use super::inspect::{ResolveError, TunnelError};
use super::Category;
use std::error::Error as StdError;
use std::io::ErrorKind;

type Links<'a> = [&'a (dyn StdError + 'static)];

/// hyper-util's `TunnelError::ProxyAuthRequired` (reqwest 0.12 tunnels through hyper-util),
/// displayed as `tunnel error: proxy authorization required`; the type is private.
const HYPER_UTIL_PROXY_AUTH: &str = "proxy authorization required";
/// hyper-util's `ConnectError` for a failed name resolution (the type is private; its text
/// is exactly this, the resolver's error follows as its source).
const HYPER_UTIL_DNS: &str = "dns error";
/// hyper's parse error for a response head (status line and headers) over its buffer
/// limit, or more than 100 headers. The predicate that tells it (`is_parse_too_large`)
/// exists only in hyper's server build; this text is the error's whole Display.
const HYPER_HEAD_TOO_LARGE: &str = "message head is too large";
/// The schannel crate's `io::Error` (kind UnexpectedEof, a private string payload) when the
/// peer closes during the handshake, e.g. a plain-HTTP server that answered the ClientHello
/// with a 400 and hung up. A TLS failure, which the inspection step then tells apart (plain
/// HTTP → NotTls); its kind alone would read as a connection lost mid-transfer.
const SCHANNEL_EOF_IN_HANDSHAKE: &str = "unexpected eof during handshake";

/// The category of a failure that the TLS classification did not claim. `via_proxy`: the
/// request went through a proxy, so a failure to set up the connection is the proxy's.
pub(super) fn category(links: &Links<'_>, via_proxy: bool) -> Category {
    let texts = || links.iter().map(|e| e.to_string());
    let tunnel = links.iter().find_map(|e| e.downcast_ref::<TunnelError>());
    if matches!(tunnel, Some(TunnelError::ProxyAuth))
        || texts().any(|t| t.ends_with(HYPER_UTIL_PROXY_AUTH))
    {
        return Category::ProxyAuth;
    }
    if texts().any(|t| t.eq_ignore_ascii_case(SCHANNEL_EOF_IN_HANDSHAKE)) {
        return Category::TlsOther;
    }
    if links.iter().any(|e| e.is::<crate::redirect::Downgrade>()) {
        return Category::Downgrade;
    }
    // Before the io kinds: a failed lookup carries the resolver's own error kind (a refused
    // or timed-out query to the DNS server), which would read as the mirror refusing.
    if links.iter().any(|e| e.is::<ResolveError>()) || texts().any(|t| t == HYPER_UTIL_DNS) {
        return Category::Dns;
    }
    for e in links {
        if let Some(r) = e.downcast_ref::<reqwest::Error>() {
            if r.is_timeout() {
                return Category::Timeout;
            }
            // reqwest's default policy stops at a loop or after 10 redirects.
            if r.is_redirect() {
                return Category::RedirectLoop;
            }
        }
        if e.downcast_ref::<hyper::Error>()
            .is_some_and(|h| h.is_parse() && h.to_string() == HYPER_HEAD_TOO_LARGE)
        {
            return Category::HeadersTooLarge;
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_timeout() {
                return Category::Timeout;
            }
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                // WouldBlock: how Unix reports the read timeout of a blocking socket
                // (std's `set_read_timeout` documents it), e.g. in the doctor probe.
                ErrorKind::TimedOut | ErrorKind::WouldBlock => return Category::Timeout,
                ErrorKind::ConnectionRefused => return Category::Refused,
                ErrorKind::HostUnreachable
                | ErrorKind::NetworkUnreachable
                | ErrorKind::NetworkDown => return Category::Unreachable,
                ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::UnexpectedEof
                | ErrorKind::BrokenPipe => return Category::ConnectionLost,
                _ => {}
            }
        }
    }
    let connect_failed = links.iter().any(|e| {
        e.downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_connect)
    });
    if matches!(
        tunnel,
        Some(TunnelError::Refused(_) | TunnelError::UnsupportedScheme)
    ) || (via_proxy && connect_failed)
    {
        return Category::Proxy;
    }
    for e in links {
        if e.downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_incomplete_message)
        {
            return Category::ConnectionLost;
        }
        if let Some(r) = e.downcast_ref::<reqwest::Error>() {
            // Reading or decoding the response body failed after the headers arrived (a
            // body timeout was caught above).
            if r.is_body() || r.is_decode() {
                return Category::ConnectionLost;
            }
        }
    }
    Category::Other
}

#[cfg(test)]
mod tests {
    use super::super::{diagnose, error_chain};
    use super::*;
    use crate::config::NetConfig;
    use std::fmt;
    use std::io;

    #[derive(Debug)]
    struct E(&'static str, Option<Box<dyn StdError + Send + Sync>>);
    impl fmt::Display for E {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }
    impl StdError for E {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    fn classify(e: &(dyn StdError + 'static), via_proxy: bool) -> Category {
        category(&error_chain(e), via_proxy)
    }

    fn wrap(outer: &'static str, inner: impl StdError + Send + Sync + 'static) -> E {
        E(outer, Some(Box::new(inner)))
    }

    #[test]
    fn io_kinds_anywhere_in_the_chain() {
        let kind = |k| io::Error::new(k, "x");
        assert_eq!(
            classify(&kind(io::ErrorKind::ConnectionRefused), false),
            Category::Refused
        );
        assert_eq!(
            classify(&kind(io::ErrorKind::TimedOut), false),
            Category::Timeout
        );
        // No route: the network, not the mirror, and not "unexpected".
        for k in [
            io::ErrorKind::HostUnreachable,
            io::ErrorKind::NetworkUnreachable,
            io::ErrorKind::NetworkDown,
        ] {
            assert_eq!(classify(&kind(k), false), Category::Unreachable, "{k:?}");
        }
        assert_eq!(
            classify(&kind(io::ErrorKind::WouldBlock), false),
            Category::Timeout
        );
        for k in [
            io::ErrorKind::ConnectionReset,
            io::ErrorKind::ConnectionAborted,
            io::ErrorKind::UnexpectedEof,
            io::ErrorKind::BrokenPipe,
        ] {
            assert_eq!(classify(&kind(k), false), Category::ConnectionLost, "{k:?}");
        }
        // An io::Error wrapping another one (what reqwest's blocking body reader returns).
        let wrapped = io::Error::other(kind(io::ErrorKind::ConnectionReset));
        assert_eq!(classify(&wrapped, false), Category::ConnectionLost);
        let deep = wrap(
            "error sending request",
            wrap(
                "client error (Connect)",
                kind(io::ErrorKind::ConnectionRefused),
            ),
        );
        assert_eq!(classify(&deep, true), Category::Refused);
    }

    #[test]
    fn own_tunnel_and_resolver_errors_by_type() {
        let t = |e: TunnelError| io::Error::other(e);
        assert_eq!(
            classify(&t(TunnelError::ProxyAuth), false),
            Category::ProxyAuth
        );
        assert_eq!(
            classify(&t(TunnelError::Refused("502".into())), false),
            Category::Proxy
        );
        assert_eq!(
            classify(&t(TunnelError::UnsupportedScheme), false),
            Category::Proxy
        );
        let closed = io::Error::new(io::ErrorKind::ConnectionAborted, TunnelError::Closed);
        assert_eq!(classify(&closed, false), Category::ConnectionLost);
        let unresolved = io::Error::other(ResolveError {
            source: io::Error::other("failed to lookup address information: x"),
        });
        assert_eq!(classify(&unresolved, false), Category::Dns);
        // The resolver's query to the DNS server was refused or timed out: still DNS.
        for kind in [io::ErrorKind::ConnectionRefused, io::ErrorKind::TimedOut] {
            let e = io::Error::new(
                kind,
                ResolveError {
                    source: io::Error::new(kind, "failed to lookup address information"),
                },
            );
            assert_eq!(classify(&e, false), Category::Dns, "{kind:?}");
        }
    }

    #[test]
    fn library_texts_only_where_the_type_is_private() {
        let dns = wrap(
            "error sending request for url (https://h.example/)",
            wrap(
                "client error (Connect)",
                wrap("dns error", io::Error::other("no such host")),
            ),
        );
        assert_eq!(classify(&dns, false), Category::Dns);
        let auth = wrap(
            "client error (Connect)",
            E("tunnel error: proxy authorization required", None),
        );
        assert_eq!(classify(&auth, true), Category::ProxyAuth);
        let eof = io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "unexpected EOF during handshake",
        );
        assert_eq!(classify(&eof, false), Category::TlsOther);
        // Words in a URL or an unrelated message decide nothing.
        for text in [
            "error sending request for url (https://proxy.example/dns error/timed out)",
            "connection refused by policy",
            "something odd",
        ] {
            assert_eq!(classify(&E(text, None), false), Category::Other, "{text}");
        }
    }

    #[test]
    fn diagnose_names_the_timeout_and_the_proxy() {
        let cfg = NetConfig::default();
        let d = diagnose(
            &io::Error::new(io::ErrorKind::TimedOut, "t"),
            "https://h.example/x",
            &cfg,
        );
        assert_eq!(d.category, Category::Timeout);
        assert_eq!(d.facts.timeout_secs, Some(cfg.read_timeout.as_secs()));
        // SChannel: the peer hung up mid-handshake (the sniff then runs; nothing listens on
        // port 9, so it stays a TLS failure).
        let eof = io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "unexpected EOF during handshake",
        );
        assert_eq!(
            diagnose(&eof, "https://127.0.0.1:9/", &cfg).category,
            Category::TlsOther
        );
    }
}
