//! Reading input files whole, within a stated limit.
//!
//! Boundary, survey and indicator files are parsed in memory (several times their size):
//! a file over [`MAX_INPUT_BYTES`] is refused up front with a clear message instead of
//! exhausting memory. Point files (`phare lookup --points`) are streamed and have no limit.
//!
//! Every file read here is remembered, so that [`crate::output`] refuses to write over an
//! input of the same process (`-o survey.csv` given the survey itself).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Canonical paths of the files read so far by this process.
static READ: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Whether `path` is a file this process has read as input.
pub fn was_read(path: &Path) -> bool {
    let Ok(path) = path.canonicalize() else {
        return false;
    };
    READ.lock().is_ok_and(|read| read.contains(&path))
}

use crate::{Error, Result};

/// The largest file read whole: 1 GiB, ~35x the full communes GeoJSON.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Reads `path` whole, refusing directories and files over [`MAX_INPUT_BYTES`]; `what` names
/// the kind of file in messages ("GeoJSON file", "survey file").
pub fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    read_limited(path, what, MAX_INPUT_BYTES)
}

/// [`read`] with another limit (tests use a small one).
pub fn read_limited(path: &Path, what: &str, limit: u64) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(Error::input(path, format!("is a directory, not a {what}"))
            .hint("give the path of a file inside it"));
    }
    if meta.len() > limit {
        return Err(Error::input(
            path,
            format!(
                "the {what} is {}, over phare's limit of {} for files read whole",
                size(meta.len()),
                size(limit)
            ),
        )
        .hint("split the file, keep only the columns or features you need, or simplify the geometry (e.g. mapshaper -simplify)"));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    if let (Ok(canonical), Ok(mut read)) = (path.canonicalize(), READ.lock())
        && !read.contains(&canonical)
    {
        read.push(canonical);
    }
    Ok(bytes)
}

/// A byte count for people: "2.0 GB", "1.1 GB", "512 MB".
fn size(bytes: u64) -> String {
    let gb = bytes as f64 / 1e9;
    if gb >= 1.0 {
        format!("{gb:.1} GB")
    } else {
        format!("{:.0} MB", bytes as f64 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(2 << 30), "2.1 GB");
        assert_eq!(size(MAX_INPUT_BYTES), "1.1 GB");
        assert_eq!(size(512_000_000), "512 MB");
    }
}
