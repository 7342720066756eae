//! Building the HTTPS client from the command line, the environment and the root's
//! persistent settings — the one place every networked command gets it from.

use crate::cli::NetArgs;
use crate::error::CliError;
use pyv_core::{Env, ProcessEnv, Root};
use pyv_net::settings::NetSettings;
use pyv_net::{Client, NetError, NetOptions};

/// `PYV_HTTP_TIMEOUT` and `PYV_HTTP_RETRIES` (range-checked by [`pyv_net::config::Knob`])
/// tune the client for slow links.
pub fn options(root: &Root, net: &NetArgs, env: &dyn Env) -> Result<NetOptions, CliError> {
    let settings = NetSettings::load(&root.settings_file())?;
    Ok(NetOptions {
        cacert: net.cacert.clone(),
        settings_ca_files: settings.ca_files,
        ..NetOptions::default()
    }
    .with_env_knobs(env)?)
}

/// The client; a plain-http mirror is warned about here, once per command.
pub fn client(root: &Root, net: &NetArgs) -> Result<Client, CliError> {
    let client = Client::from_options(&options(root, net, &ProcessEnv)?, &ProcessEnv)?;
    if let Some(w) = client.config().plain_http_warning() {
        crate::output::warn(w);
    }
    Ok(client)
}

/// A network error as one line; with `-v`, the library's detail follows.
pub fn report(e: &NetError, verbose: bool) -> String {
    if verbose {
        format!("{e}\n{}", e.verbose())
    } else {
        e.to_string()
    }
}
