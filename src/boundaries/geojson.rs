//! (in progress) geojson reader.
use std::path::Path;
use crate::{Layer, Result};
use super::LoadOptions;

/// Reads a geojson boundary file.
pub fn read(path: &Path, _opts: &LoadOptions) -> Result<Layer> {
    Err(crate::Error::input(path, "geojson reader not built yet"))
}
