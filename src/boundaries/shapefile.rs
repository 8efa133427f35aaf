//! (in progress) shapefile reader.
use super::LoadOptions;
use crate::{Layer, Result};
use std::path::Path;

/// Reads a shapefile boundary file.
pub fn read(path: &Path, _opts: &LoadOptions) -> Result<Layer> {
    Err(crate::Error::input(path, "shapefile reader not built yet"))
}
