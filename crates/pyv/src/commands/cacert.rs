//! `pyv cacert [add|remove FILE]`: CA certificates trusted on every download, in addition
//! to the system's (a corporate root, for example). Verification itself is never off.

use crate::cli::CacertAction;
use crate::error::CliError;
use crate::output::line;
use pyv_core::{prog, Context};
use pyv_net::config::{CaFile, CaOrigin};
use pyv_net::settings::NetSettings;

pub fn cacert(ctx: &Context, action: Option<CacertAction>) -> Result<(), CliError> {
    let path = ctx.root.settings_file();
    let mut settings = NetSettings::load(&path)?;
    match action {
        None => {
            if settings.ca_files.is_empty() {
                line(format!(
                    "no extra CA certificates; add one with '{} cacert add <file>'",
                    prog::name()
                ));
            }
            settings
                .ca_files
                .iter()
                .for_each(|f| line(f.display().to_string()));
            return Ok(());
        }
        Some(CacertAction::Add { file }) => {
            let file = std::path::absolute(&file).map_err(|e| pyv_core::Error::io(&file, e))?;
            // Refuse a file that would break every later download.
            pyv_net::ca::load(&CaFile {
                path: file.clone(),
                origin: CaOrigin::CacertAdd,
            })?;
            if !settings.ca_files.contains(&file) {
                settings.ca_files.push(file.clone());
            }
            line(format!("trusting the certificates in {}", file.display()));
        }
        Some(CacertAction::Remove { file }) => {
            let abs = std::path::absolute(&file).unwrap_or(file.clone());
            let before = settings.ca_files.len();
            settings.ca_files.retain(|f| f != &abs && f != &file);
            if settings.ca_files.len() == before {
                return Err(CliError::Message(format!(
                    "'{}' is not in the list; see '{} cacert'",
                    file.display(),
                    prog::name()
                )));
            }
            line(format!("no longer trusting {}", abs.display()));
        }
    }
    std::fs::create_dir_all(ctx.root.dir()).map_err(|e| pyv_core::Error::io(ctx.root.dir(), e))?;
    Ok(settings.save(&path)?)
}
