//! (in progress) geojson reader.
use super::LoadOptions;
use crate::{Layer, Result};
use std::path::Path;

/// Reads a geojson boundary file.
pub fn read(path: &Path, _opts: &LoadOptions) -> Result<Layer> {
    Err(crate::Error::input(path, "geojson reader not built yet"))
}
