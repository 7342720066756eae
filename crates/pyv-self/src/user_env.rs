//! The user's persistent environment (`HKCU\Environment` on Windows) behind a small trait,
//! so the plan is tested with an in-memory one and Windows uses the registry.

use std::collections::BTreeMap;
use std::io;

/// A user variable: its text and whether it is `REG_EXPAND_SZ` (`%VARS%` expanded when a
/// process starts) rather than `REG_SZ`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvValue {
    pub value: String,
    pub expand: bool,
}

impl EnvValue {
    pub fn plain(value: impl Into<String>) -> EnvValue {
        EnvValue {
            value: value.into(),
            expand: false,
        }
    }
    pub fn expandable(value: impl Into<String>) -> EnvValue {
        EnvValue {
            value: value.into(),
            expand: true,
        }
    }
}

/// Read and write the user's variables. Names are case-insensitive, as in the registry.
pub trait UserEnvironment {
    fn get(&self, name: &str) -> io::Result<Option<EnvValue>>;
    fn set(&mut self, name: &str, value: &EnvValue) -> io::Result<()>;
    fn remove(&mut self, name: &str) -> io::Result<()>;
    /// Tells running programs (Explorer, new shells) that the variables changed.
    fn notify_changed(&mut self) {}
    /// Where the variables live, for messages (`HKCU\Environment`).
    fn location(&self) -> &str {
        "the user environment"
    }
}

/// An in-memory user environment: for tests, and a dry run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MemoryEnvironment {
    /// Keyed by upper-cased name; holds the name as first written.
    vars: BTreeMap<String, (String, EnvValue)>,
    pub notified: usize,
}

impl MemoryEnvironment {
    pub fn new() -> MemoryEnvironment {
        MemoryEnvironment::default()
    }
    pub fn with(mut self, name: &str, value: EnvValue) -> MemoryEnvironment {
        let _ = self.set(name, &value);
        self
    }
    /// `(name, value)` pairs in name order.
    pub fn entries(&self) -> Vec<(String, EnvValue)> {
        self.vars.values().cloned().collect()
    }
}

impl UserEnvironment for MemoryEnvironment {
    fn get(&self, name: &str) -> io::Result<Option<EnvValue>> {
        Ok(self.vars.get(&name.to_uppercase()).map(|(_, v)| v.clone()))
    }
    fn set(&mut self, name: &str, value: &EnvValue) -> io::Result<()> {
        let key = name.to_uppercase();
        let shown = self
            .vars
            .get(&key)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| name.to_string());
        self.vars.insert(key, (shown, value.clone()));
        Ok(())
    }
    fn remove(&mut self, name: &str) -> io::Result<()> {
        self.vars.remove(&name.to_uppercase());
        Ok(())
    }
    fn notify_changed(&mut self) {
        self.notified += 1;
    }
}
