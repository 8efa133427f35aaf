//! (in progress) shapefile reader.
use std::path::Path;
use crate::{Layer, Result};
use super::LoadOptions;

/// Reads a shapefile boundary file.
pub fn read(path: &Path, _opts: &LoadOptions) -> Result<Layer> {
    Err(crate::Error::input(path, "shapefile reader not built yet"))
}
