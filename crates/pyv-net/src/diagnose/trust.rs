//! Who issued a certificate that does not lead to a trusted root: the one decision install,
//! update and doctor share, pure so it is tested on every OS (SChannel's verdicts arrive as
//! HRESULTs, OpenSSL's as verify codes; both land here with the chain the inspection
//! handshake read).
//!
//! OpenSSL says "unable to get local issuer certificate" for an interception product's
//! made-up leaf, for a server that omits its intermediate and for a private CA alike; what
//! tells them apart is the chain and the setting:
//!
//! 1. The AIA issuer of a lone leaf chains to a trusted root: the server omitted its
//!    intermediate (a proxy in between did not re-sign, or the leaf would not chain).
//! 2. A proxy is in effect for the URL: the proxy (or a security product behind it)
//!    re-signs HTTPS. Its fix is the same as for a private mirror CA behind a plain proxy
//!    (trust that root), so the message names both.
//! 3. No proxy, but an issuer an inspection product uses (mitmproxy, Zscaler, Fortinet, ...
//!    or a CA named "inspection"), or a public host (python.org, NuGet, GitHub) whose
//!    genuine certificates only come from public CAs: something transparent re-signs.
//! 4. A self-signed leaf: the server's own certificate.
//! 5. A chain that reaches an issuer the computer does not trust (several certificates, or
//!    the lone leaf's AIA issuer does not chain either): a private CA.
//! 6. A lone leaf with nothing to fetch: missing intermediate or private CA; the message
//!    names both, the issuer, and why the AIA step gave nothing.

use super::aia::AiaOutcome;
use super::certinfo::CertInfo;
use crate::proxy::ProxyEndpoint;

/// Why pyv believes HTTPS is re-signed on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// A proxy is in effect for the URL (its address, without credentials).
    Proxy(String),
    /// The issuer's name is an HTTPS-inspection product's.
    Product,
    /// The host is a public site whose genuine certificates come from public CAs.
    PublicHost,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trust {
    /// HTTPS re-signed on the way; `issuer` is the top issuer in the chain presented.
    Interception {
        evidence: Evidence,
        issuer: String,
    },
    /// The server did not send its intermediate (confirmed when the AIA outcome is
    /// `Trusted`).
    MissingIntermediate,
    /// Issued, through the chain presented, by a CA this computer does not trust.
    PrivateCa {
        issuer: String,
    },
    SelfSigned,
    /// Nothing presented to judge by (no inspection handshake, or only the leaf on
    /// Windows and nothing else decides): the TLS library's category stands.
    Unknown,
}

/// What the decision looks at.
pub struct Inputs<'a> {
    pub host: &'a str,
    /// Leaf first.
    pub chain: &'a [CertInfo],
    /// `chain` is everything the server sent (false: the leaf only is known).
    pub chain_complete: bool,
    /// The proxy in effect for the URL (`ProxyConfig::for_url`).
    pub proxy: Option<&'a ProxyEndpoint>,
    pub aia: Option<&'a AiaOutcome>,
}

/// Words in issuer names of HTTPS-inspection products and the CAs companies set up for
/// them (lower case). Generic words first; then products whose CA names say so.
const INSPECTION_WORDS: &[&str] = &[
    "inspection",
    "interception",
    "decrypt",
    "mitm",
    "mitmproxy",
    "zscaler",
    "fortinet",
    "fortigate",
    "palo alto",
    "paloalto",
    "blue coat",
    "bluecoat",
    "netskope",
    "forcepoint",
    "websense",
    "sophos",
    "kaspersky",
    "avast",
    "eset ssl filter",
    "bitdefender",
    "check point",
    "checkpoint",
    "cisco umbrella",
    "mcafee web gateway",
    "skyhigh",
    "trend micro",
    "barracuda",
    "watchguard",
    "sonicwall",
    "untangle",
    "iboss",
    "menlo security",
    "lightspeed",
    "securly",
    "contentkeeper",
    "smoothwall",
    "fiddler",
    "charles proxy",
    "portswigger",
    "proxyman",
];

/// Hosts pyv downloads from whose certificates come from public CAs only.
const PUBLIC_DOMAINS: &[&str] = &[
    "python.org",
    "nuget.org",
    "pypy.org",
    "github.com",
    "githubusercontent.com",
];

/// Whether a distinguished name is an inspection product's.
pub fn is_inspection_name(dn: &str) -> bool {
    let lower = dn.to_ascii_lowercase();
    INSPECTION_WORDS.iter().any(|w| lower.contains(w))
}

fn is_public_host(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    PUBLIC_DOMAINS
        .iter()
        .any(|d| h == *d || h.ends_with(&format!(".{d}")))
}

pub fn judge(i: &Inputs<'_>) -> Trust {
    let (Some(leaf), Some(top)) = (i.chain.first(), i.chain.last()) else {
        return Trust::Unknown;
    };
    if matches!(i.aia, Some(AiaOutcome::Trusted { .. })) {
        return Trust::MissingIntermediate;
    }
    let issuer = top.issuer.clone();
    if let Some(p) = i.proxy {
        return Trust::Interception {
            evidence: Evidence::Proxy(p.url()),
            issuer,
        };
    }
    // Issuer names, and the subjects of the CA certificates sent: never the leaf's own
    // subject, which is the mirror's name (`inspection.example.com` is a host, not a CA).
    let product = i.chain.iter().any(|c| is_inspection_name(&c.issuer))
        || i.chain
            .iter()
            .skip(1)
            .any(|c| is_inspection_name(&c.subject));
    if product {
        return Trust::Interception {
            evidence: Evidence::Product,
            issuer,
        };
    }
    if is_public_host(i.host) {
        return Trust::Interception {
            evidence: Evidence::PublicHost,
            issuer,
        };
    }
    if leaf.self_issued {
        return Trust::SelfSigned;
    }
    if !i.chain_complete {
        return Trust::Unknown;
    }
    if i.chain.len() > 1 {
        return Trust::PrivateCa { issuer };
    }
    match i.aia {
        Some(AiaOutcome::Untrusted { issuer, .. }) => Trust::PrivateCa {
            issuer: issuer.clone(),
        },
        _ => Trust::MissingIntermediate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(subject: &str, issuer: &str) -> CertInfo {
        CertInfo {
            subject: subject.into(),
            issuer: issuer.into(),
            names: vec![],
            not_before: 0,
            not_after: 0,
            self_issued: subject == issuer,
            ca_issuers: vec![],
        }
    }

    fn judge_on(
        host: &str,
        chain: &[CertInfo],
        proxy: Option<&str>,
        aia: Option<AiaOutcome>,
    ) -> Trust {
        let p = proxy.map(|u| ProxyEndpoint::parse(u).unwrap());
        judge(&Inputs {
            host,
            chain,
            chain_complete: true,
            proxy: p.as_ref(),
            aia: aia.as_ref(),
        })
    }

    #[test]
    fn a_lone_leaf_signed_by_a_product_root_is_interception_with_or_without_a_proxy() {
        let mitm = [cert("CN=mirror.example", "CN=mitmproxy, O=mitmproxy")];
        assert_eq!(
            judge_on(
                "mirror.example",
                &mitm,
                Some("http://user:pw@proxy:3128"),
                None
            ),
            Trust::Interception {
                evidence: Evidence::Proxy("http://proxy:3128".into()),
                issuer: "CN=mitmproxy, O=mitmproxy".into()
            }
        );
        assert_eq!(
            judge_on("mirror.example", &mitm, None, Some(AiaOutcome::NoAddress)),
            Trust::Interception {
                evidence: Evidence::Product,
                issuer: "CN=mitmproxy, O=mitmproxy".into()
            }
        );
        // python.org's certificates come from public CAs: anything else is re-signed.
        let corp = [cert("CN=www.python.org", "CN=Contoso Root")];
        assert_eq!(
            judge_on("www.python.org", &corp, None, Some(AiaOutcome::NoAddress)),
            Trust::Interception {
                evidence: Evidence::PublicHost,
                issuer: "CN=Contoso Root".into()
            }
        );
    }

    #[test]
    fn an_aia_issuer_that_chains_to_a_trusted_root_is_a_missing_intermediate_even_via_a_proxy() {
        let leaf = [cert("CN=mirror.example", "CN=Some CA R3")];
        let trusted = AiaOutcome::Trusted {
            url: "http://ca.example/r3.der".into(),
            intermediate: "CN=Some CA R3".into(),
            root: "CN=Some Root".into(),
        };
        assert_eq!(
            judge_on(
                "mirror.example",
                &leaf,
                Some("http://proxy:3128"),
                Some(trusted)
            ),
            Trust::MissingIntermediate
        );
        assert_eq!(
            judge_on("mirror.example", &leaf, None, Some(AiaOutcome::NoAddress)),
            Trust::MissingIntermediate
        );
        let untrusted = AiaOutcome::Untrusted {
            url: "http://ca.example/r3.der".into(),
            issuer: "CN=Private Root".into(),
        };
        assert_eq!(
            judge_on("mirror.example", &leaf, None, Some(untrusted)),
            Trust::PrivateCa {
                issuer: "CN=Private Root".into()
            }
        );
    }

    #[test]
    fn self_signed_and_private_chains() {
        let own = [cert("CN=mirror.example", "CN=mirror.example")];
        assert_eq!(
            judge_on("mirror.example", &own, None, None),
            Trust::SelfSigned
        );
        let private = [
            cert("CN=mirror.example", "CN=Corp Issuing CA"),
            cert("CN=Corp Issuing CA", "CN=Corp Root"),
        ];
        assert_eq!(
            judge_on("mirror.example", &private, None, None),
            Trust::PrivateCa {
                issuer: "CN=Corp Root".into()
            }
        );
        // Windows knows the leaf only: nothing more to say than SChannel did.
        let leaf_only = [cert("CN=mirror.example", "CN=Corp Issuing CA")];
        assert_eq!(
            judge(&Inputs {
                host: "mirror.example",
                chain: &leaf_only,
                chain_complete: false,
                proxy: None,
                aia: None
            }),
            Trust::Unknown
        );
        assert_eq!(judge_on("h", &[], None, None), Trust::Unknown);
        // ... but a proxy in effect decides even then (SChannel's CERT_E_UNTRUSTEDROOT
        // through a proxy).
        let p = ProxyEndpoint::parse("http://proxy:3128").unwrap();
        assert!(matches!(
            judge(&Inputs {
                host: "mirror.example",
                chain: &leaf_only,
                chain_complete: false,
                proxy: Some(&p),
                aia: None
            }),
            Trust::Interception {
                evidence: Evidence::Proxy(_),
                ..
            }
        ));
        // A mirror named like a product is still the mirror.
        let named = [
            cert("CN=inspection.example.com", "CN=Corp Issuing CA"),
            cert("CN=Corp Issuing CA", "CN=Corp Root"),
        ];
        assert_eq!(
            judge_on("inspection.example.com", &named, None, None),
            Trust::PrivateCa {
                issuer: "CN=Corp Root".into()
            }
        );
    }

    #[test]
    fn names_and_hosts() {
        for dn in [
            "CN=pyv-test-inspection, O=pyv-test-inspection",
            "CN=Zscaler Intermediate Root CA, O=Zscaler Inc.",
            "CN=FortiGate CA, O=Fortinet",
            "CN=Contoso SSL Inspection CA",
        ] {
            assert!(is_inspection_name(dn), "{dn}");
        }
        for dn in [
            "CN=R11, O=Let's Encrypt",
            "CN=GlobalSign Atlas R3 DV TLS CA 2024 Q4",
            "CN=reset.example",
        ] {
            assert!(!is_inspection_name(dn), "{dn}");
        }
        assert!(is_public_host("www.python.org") && is_public_host("python.org."));
        assert!(!is_public_host("notpython.org") && !is_public_host("localhost"));
    }
}
