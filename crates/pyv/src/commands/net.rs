//! Building the HTTPS client from the command line, the environment and the root's
//! persistent settings — the one place every networked command gets it from.

use crate::cli::NetArgs;
use crate::error::CliError;
use pyv_core::{Env, ProcessEnv, Root};
use pyv_net::settings::NetSettings;
use pyv_net::{Client, NetError, NetOptions};
use std::time::Duration;

/// `PYV_HTTP_TIMEOUT` (seconds without data before giving up) and `PYV_HTTP_RETRIES`
/// (extra attempts after a transient failure, capped by [`pyv_net::RetryPolicy`]) tune the
/// client for slow links.
pub fn options(root: &Root, net: &NetArgs, env: &dyn Env) -> Result<NetOptions, CliError> {
    let settings = NetSettings::load(&root.settings_file())?;
    let number = |var: &str| -> Result<Option<u64>, CliError> {
        env.non_empty(var)
            .map(|v| {
                v.trim()
                    .parse::<u64>()
                    .map_err(|_| CliError::BadNumber(var.to_string(), v.clone()))
            })
            .transpose()
    };
    let timeout = number("PYV_HTTP_TIMEOUT")?.map(Duration::from_secs);
    Ok(NetOptions {
        cacert: net.cacert.clone(),
        settings_ca_files: settings.ca_files,
        connect_timeout: timeout,
        read_timeout: timeout,
        retries: number("PYV_HTTP_RETRIES")?.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        ..NetOptions::default()
    })
}

pub fn client(root: &Root, net: &NetArgs) -> Result<Client, CliError> {
    Ok(Client::from_options(
        &options(root, net, &ProcessEnv)?,
        &ProcessEnv,
    )?)
}

/// A network error as one line; with `-v`, the library's detail follows.
pub fn report(e: &NetError, verbose: bool) -> String {
    if verbose {
        format!("{e}\n{}", e.verbose())
    } else {
        e.to_string()
    }
}
