//! Every OS but Windows: there are no system proxy settings pyv reads (the environment's
//! proxy variables are the convention there). Same functions as `windows.rs`.

use super::{AutoProxy, SystemSettings};
use std::sync::Arc;

pub fn read_settings() -> Option<SystemSettings> {
    None
}

pub fn resolver() -> Option<Arc<dyn AutoProxy>> {
    None
}
