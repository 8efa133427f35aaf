//! (in progress) topojson reader.
use std::path::Path;
use crate::{Layer, Result};
use super::LoadOptions;

/// Reads a topojson boundary file.
pub fn read(path: &Path, _opts: &LoadOptions) -> Result<Layer> {
    Err(crate::Error::input(path, "topojson reader not built yet"))
}
