//! The user environment in `HKCU\Environment` (through `pyv_windows::user_env`), and the
//! broadcast that tells Explorer (and so every shell started afterwards) to read it again.

use super::{EnvValue, UserEnvironment};
use pyv_windows::user_env::{self, EnvironmentKey, Variable};
use std::io;

pub struct RegistryEnvironment {
    key: EnvironmentKey,
}

impl RegistryEnvironment {
    pub fn open() -> io::Result<RegistryEnvironment> {
        Ok(RegistryEnvironment {
            key: EnvironmentKey::open()?,
        })
    }
}

impl UserEnvironment for RegistryEnvironment {
    fn get(&self, name: &str) -> io::Result<Option<EnvValue>> {
        Ok(self.key.get(name)?.map(|v| EnvValue {
            value: v.value,
            expand: v.expand,
        }))
    }

    fn set(&mut self, name: &str, value: &EnvValue) -> io::Result<()> {
        let variable = Variable {
            value: value.value.clone(),
            expand: value.expand,
        };
        self.key.set(name, &variable)
    }

    fn remove(&mut self, name: &str) -> io::Result<()> {
        self.key.remove(name)
    }

    fn notify_changed(&mut self) {
        // Best effort by design: the variables are already written, and a shell started
        // after a sign-out (or by Explorer once it rereads them) sees them anyway; a
        // failed broadcast (no window station, e.g. over SSH) changes nothing to report.
        let _ = user_env::broadcast_environment_change();
    }

    fn location(&self) -> &str {
        "HKCU\\Environment"
    }
}
