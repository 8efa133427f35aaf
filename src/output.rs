//! Atomic output: write to a temporary file beside the target, then rename into place.
//!
//! A failed or interrupted run never leaves a half-written map under the final name, and an
//! existing output is replaced only once the new one is complete.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Suffix of temporary files, recognisable so a later run can clean leftovers.
pub const TMP_SUFFIX: &str = ".phare-tmp";

/// Writes `path` atomically: `fill` writes the content into a buffered temporary file.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(
            Error::output(path, "is a directory").hint("give a file name, e.g. output/map.png")
        );
    }
    if !dir.is_dir() {
        fs::create_dir_all(&dir).map_err(|e| {
            Error::output(path, format!("cannot create folder {}: {e}", dir.display()))
                .hint("choose an output folder you can write to")
        })?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}{TMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let file = File::create(&tmp)?;
        let mut w = BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::output(path, format!("cannot write: {e}"))
            .hint("check that the folder exists and is writable")
    })
}

/// Writes bytes atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |w| w.write_all(bytes))
}
