//! The HTTP client: platform TLS (SChannel on Windows, OpenSSL elsewhere) with TLS 1.2 as
//! the explicit minimum, the platform's roots plus any extra CA files, proxies, timeouts and
//! retries ([`crate::retry`]). Folder and `file://` mirrors are read from disk through the
//! same calls.
//!
//! ```no_run
//! use pyv_core::ProcessEnv;
//! use pyv_net::{Client, NetOptions};
//! use std::path::Path;
//!
//! let opts = NetOptions { cacert: vec!["corp-root.pem".into()], ..Default::default() };
//! let client = Client::from_options(&opts, &ProcessEnv)?;
//! let index = client.get_text(&client.mirror_url("index-windows.json"))?;
//! let url = client.mirror_url("3.12.0/python-3.12.0-amd64.exe");
//! let done = client.download(&url, Path::new("install_cache/python-3.12.0-amd64.exe"), None,
//!     &mut |done, total| eprint!("\r{done}/{}", total.unwrap_or(0)))?;
//! # let _ = (index, done);
//! # Ok::<(), pyv_net::NetError>(())
//! ```
//! On failure, `err.to_string()` is the one-line message with the fix, and `err.verbose()`
//! adds the certificate facts and the library's error chain.

use crate::ca;
use crate::config::{NetConfig, NetOptions};
use crate::diagnose::proxy_answer::ProxyAnswer;
use crate::diagnose::{self, Category, Diagnosis};
use crate::error::NetError;
use crate::proxy_auth::{self, relay::Outcome, Relays};
use crate::retry::Failure;
use crate::source::Source;
use pyv_core::Env;

/// How much of an error answer's body is read to tell whose answer it is.
const PROXY_BODY_LIMIT: u64 = 16 * 1024;

/// A configured client. Cheap to share by reference; build one per command.
pub struct Client {
    pub(crate) http: reqwest::blocking::Client,
    pub(crate) config: NetConfig,
    /// Loopback relays doing Digest/NTLM/Negotiate for proxies with credentials
    /// ([`crate::proxy_auth`]); dropped (and stopped) with the client.
    relays: Relays,
}

impl Client {
    /// Builds the client. Fails with [`NetError::CaFile`] naming the file when an extra CA
    /// file is unreadable or holds no certificate.
    pub fn new(config: NetConfig) -> Result<Client, NetError> {
        let mut b = reqwest::ClientBuilder::new()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            // Asked for explicitly: Windows 7 SP1's SChannel then negotiates TLS 1.2 without
            // the registry switches that WinHTTP needs.
            .min_tls_version(reqwest::tls::Version::TLS_1_2)
            .tls_built_in_root_certs(true)
            .redirect(crate::redirect::policy());
        for file in &config.extra_ca_files {
            for der in ca::load(file)? {
                let cert = reqwest::Certificate::from_der(&der).map_err(|e| NetError::CaFile {
                    path: file.path.clone(),
                    origin: file.origin,
                    reason: format!("the TLS library rejected a certificate: {e}"),
                })?;
                b = b.add_root_certificate(cert);
            }
        }
        let relays = Relays::start(
            &config.proxy,
            config.connect_timeout.max(config.read_timeout),
        )
        .map_err(|e| {
            NetError::ClientInit(format!("cannot start the proxy relay on 127.0.0.1: {e}"))
        })?;
        b = with_proxies(b, &config, &relays);
        // The blocking client applies its timeout to the wait for the response headers and
        // then to *each* body read, i.e. it is an idle timeout: a stalled server fails after
        // `read_timeout`, while a long download that keeps receiving is never cut. (The async
        // builder's read_timeout is not usable here: its body timer needs a Tokio reactor on
        // the reading thread, which the blocking client does not provide.)
        let http = reqwest::blocking::ClientBuilder::from(b)
            .timeout(config.read_timeout)
            .build()
            .map_err(|e| NetError::ClientInit(e.to_string()))?;
        Ok(Client {
            http,
            config,
            relays,
        })
    }

    /// The usual way in: CLI options + environment (e.g. `pyv_core::ProcessEnv`).
    pub fn from_options(opts: &NetOptions, env: &dyn Env) -> Result<Client, NetError> {
        Client::new(NetConfig::resolve(opts, env)?)
    }

    pub fn config(&self) -> &NetConfig {
        &self.config
    }

    /// `<mirror>/<rel>`.
    pub fn mirror_url(&self, rel: &str) -> String {
        self.config.mirror_url(rel)
    }

    /// The whole body of `url` (an index file, a listing). Retries transient failures.
    pub fn get_bytes(&self, url: &str) -> Result<Vec<u8>, NetError> {
        match Source::parse(url)? {
            Source::File(path) if path.is_dir() => Ok(folder_listing(&path)
                .map_err(|e| file_error(url, &path, e))?
                .into_bytes()),
            Source::File(path) => std::fs::read(&path).map_err(|e| file_error(url, &path, e)),
            Source::Http(u) => self.config.retry.run(u.as_str(), || {
                let resp = self.send(&u, None)?;
                if !resp.status().is_success() {
                    return Err(Failure::Net(self.status_error(resp, &u)));
                }
                resp.bytes()
                    .map(|b| b.to_vec())
                    .map_err(|e| Failure::Net(self.diagnose(&e, u.as_str())))
            }),
        }
    }

    /// `get_bytes` as UTF-8 text (invalid sequences replaced).
    pub fn get_text(&self, url: &str) -> Result<String, NetError> {
        self.get_bytes(url)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// Sends a GET, optionally with a Range header. Any answer (even 404) is `Ok`.
    pub(crate) fn send(
        &self,
        url: &url::Url,
        range_from: Option<u64>,
    ) -> Result<reqwest::blocking::Response, NetError> {
        let mut req = self.http.get(url.clone());
        if let Some(from) = range_from {
            req = req.header(reqwest::header::RANGE, format!("bytes={from}-"));
        }
        req.send().map_err(|e| self.diagnose(&e, url.as_str()))
    }

    /// An answer that is not success, as an error. Through a proxy (and for any 502/503/504,
    /// which an intercepting proxy may have produced), the head and the body's start are read
    /// to tell the proxy's own answer ([`ProxyAnswer::is_the_proxys`]) from the server's; a
    /// 407 keeps the proxy's schemes and words.
    pub(crate) fn status_error(
        &self,
        resp: reqwest::blocking::Response,
        url: &url::Url,
    ) -> NetError {
        let status = resp.status();
        let mut d = Diagnosis::from_status(status.as_u16(), url.as_str());
        d.facts.proxy = self.config.proxy_for(url).endpoint().map(|p| p.url());
        if d.facts.proxy.is_some() || (502..=504).contains(&status.as_u16()) {
            let headers = resp.headers().clone();
            let mut body = Vec::new();
            let _ = std::io::Read::read_to_end(
                &mut std::io::Read::take(resp, PROXY_BODY_LIMIT),
                &mut body,
            );
            let reason = status.canonical_reason().unwrap_or("");
            let a = ProxyAnswer::from_response(status.as_u16(), reason, &headers, &body);
            if d.category == Category::ProxyAuth {
                d.facts.proxy_answer = Some(a);
            } else if a.is_the_proxys() {
                d.category = Category::Proxy;
                d.facts.proxy_answer = Some(a);
            }
        }
        if let Some(Outcome::Unreachable(e)) = self.explain_proxy_auth(&mut d) {
            return self.diagnose(&e, url.as_str());
        }
        d.into()
    }

    /// Classifies a library error for `url`.
    pub(crate) fn diagnose(&self, err: &(dyn std::error::Error + 'static), url: &str) -> NetError {
        let mut d = if self.relays.is_empty() {
            diagnose::diagnose(err, url, &self.config)
        } else {
            // The inspection handshake goes through the relay too; the message still
            // names the real proxy.
            let mut via = self.config.clone();
            via.proxy = self.relays.via_relays(&self.config.proxy);
            let mut d = diagnose::diagnose(err, url, &via);
            d.facts.proxy = url::Url::parse(url)
                .ok()
                .and_then(|u| self.config.proxy_for(&u).endpoint().map(|p| p.url()));
            d
        };
        if let Some(Outcome::Unreachable(e)) = self.explain_proxy_auth(&mut d) {
            return diagnose::diagnose(&e, url, &self.config).into();
        }
        d.into()
    }

    /// Says which 407 case `d` is (from the relay, or by asking the proxy which schemes it
    /// offers). Returns the relay's failure to reach the proxy, which is the real cause of
    /// whatever reqwest reported.
    fn explain_proxy_auth(&self, d: &mut Diagnosis) -> Option<Outcome> {
        let url = url::Url::parse(&d.url).ok()?;
        let ep = self.config.proxy.for_url(&url)?;
        match self.relays.take_outcome(ep) {
            Some(Outcome::Auth(f)) => {
                d.category = diagnose::Category::ProxyAuth;
                d.facts.proxy_auth = Some(f);
                None
            }
            Some(o @ Outcome::Unreachable(_)) => Some(o),
            None if d.category == diagnose::Category::ProxyAuth
                && self.relays.url_for(ep).is_none() =>
            {
                // The diagnostic CONNECT (or the 407 response itself) has usually read the
                // schemes already; ask the proxy once more, the same way, only when nothing did.
                let offered = match &d.facts.proxy_answer {
                    Some(a) if !a.authenticate.is_empty() => a.authenticate.clone(),
                    _ => diagnose::proxy_answer::ask(
                        ep,
                        url.host_str().unwrap_or(""),
                        url.port_or_known_default().unwrap_or(443),
                        self.config.connect_timeout,
                    )
                    .map(|a| a.authenticate)
                    .unwrap_or_default(),
                };
                d.facts.proxy_auth = Some(proxy_auth::without_credentials(offered));
                None
            }
            None => None,
        }
    }
}

/// A folder of a folder mirror, as the HTML index a web server would show for it, so
/// `update` reads a copy of python.org's `/ftp/python/` tree the same way as the site.
fn folder_listing(dir: &std::path::Path) -> std::io::Result<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    names.sort();
    let mut html = String::from("<html><body><pre>\n");
    for n in names {
        html.push_str(&format!("<a href=\"{n}\">{n}</a>\n"));
    }
    html.push_str("</pre></body></html>\n");
    Ok(html)
}

/// A missing file on a folder mirror reads like a 404; other I/O errors stay I/O errors.
pub(crate) fn file_error(url: &str, path: &std::path::Path, e: std::io::Error) -> NetError {
    if e.kind() == std::io::ErrorKind::NotFound {
        let mut d = Diagnosis::new(Category::NotFound, url);
        d.chain = vec![format!("{}: {e}", path.display())];
        d.into()
    } else {
        NetError::io(path, e)
    }
}

/// Proxies decided by pyv for every request ([`crate::route`]: the variables, else Windows'
/// settings with PAC/WPAD); reqwest itself reads neither the environment nor the system.
fn with_proxies(
    b: reqwest::ClientBuilder,
    config: &NetConfig,
    relays: &Relays,
) -> reqwest::ClientBuilder {
    let mut b = b.no_proxy();
    if config.proxy.is_empty() {
        if config.system_proxy.is_some() {
            // System settings carry no credentials; a proxy that asks gets a 407.
            let cfg = config.clone();
            b = b.proxy(reqwest::Proxy::custom(move |u: &url::Url| {
                cfg.proxy_for(u).endpoint().map(|e| e.url())
            }));
        }
        return b;
    }
    for scheme in ["https", "http"] {
        let endpoint = match scheme {
            "https" => config.proxy.https.clone(),
            _ => config.proxy.http.clone(),
        };
        let Some(endpoint) = endpoint else { continue };
        // A proxy with a relay is reached through it (with the relay's own secret); the
        // proxy's credentials stay with the relay.
        let relay = relays.url_for(&endpoint);
        let secret = relays.secret_for(&endpoint);
        let cfg = config.clone();
        let mut p = reqwest::Proxy::custom(move |u: &url::Url| {
            (u.scheme() == scheme)
                .then(|| {
                    cfg.proxy_for(u)
                        .endpoint()
                        .map(|e| relay.clone().unwrap_or_else(|| e.url()))
                })
                .flatten()
        });
        if let Some((user, token)) = &secret {
            p = p.basic_auth(user, token);
        } else if let Some(user) = &endpoint.username {
            p = p.basic_auth(user, endpoint.password.as_deref().unwrap_or(""));
        }
        b = b.proxy(p);
    }
    b
}
