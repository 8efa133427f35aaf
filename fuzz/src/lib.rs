//! What the fuzz targets share: the boundary readers take paths, so each input is written to
//! a file (in memory under /dev/shm when it exists) and read back through the public API.

use std::path::{Path, PathBuf};

/// A per-process scratch folder: libFuzzer's `-jobs` runs several processes at once.
fn scratch() -> PathBuf {
    let base = Path::new("/dev/shm");
    let base = if base.is_dir() {
        base.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("phare-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Writes `files` (name, bytes) into the scratch folder and returns the path of the first.
pub fn write_files(files: &[(&str, &[u8])]) -> PathBuf {
    let dir = scratch();
    for (name, bytes) in files {
        if let Err(e) = std::fs::write(dir.join(name), bytes) {
            panic!("fuzz harness cannot write {name}: {e}");
        }
    }
    dir.join(files[0].0)
}

/// Splits `data` into `N` parts, each prefixed by its length as a little-endian u32 (the last
/// part takes the rest), so one fuzz input can carry the several files of a shapefile.
pub fn split<const N: usize>(mut data: &[u8]) -> [&[u8]; N] {
    let mut parts = [&[][..]; N];
    for (i, part) in parts.iter_mut().enumerate() {
        if i + 1 == N {
            *part = data;
            break;
        }
        let Some((len, rest)) = data.split_first_chunk::<4>() else {
            break;
        };
        let n = (u32::from_le_bytes(*len) as usize).min(rest.len());
        *part = &rest[..n];
        data = &rest[n..];
    }
    parts
}

/// Joins parts as [`split`] reads them (for building seeds).
pub fn join(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if i + 1 < parts.len() {
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        }
        out.extend_from_slice(p);
    }
    out
}
