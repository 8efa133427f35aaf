//! (in progress) The default boundaries shipped in `geodata/`.
use super::Boundaries;
use crate::Result;

/// The embedded communes, départements and régions.
pub fn boundaries() -> Result<Boundaries> {
    Err(crate::Error::usage("embedded data not built yet"))
}

/// The embedded layers without geometry.
pub fn boundaries_without_geometry() -> Result<Boundaries> {
    boundaries()
}
