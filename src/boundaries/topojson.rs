//! (in progress) topojson reader.
use super::LoadOptions;
use crate::{Layer, Result};
use std::path::Path;

/// Reads a topojson boundary file.
pub fn read(path: &Path, _opts: &LoadOptions) -> Result<Layer> {
    Err(crate::Error::input(path, "topojson reader not built yet"))
}
