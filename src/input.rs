//! Reading input files whole, within a stated limit.
//!
//! Boundary, survey and indicator files are parsed in memory (several times their size):
//! a file over [`MAX_INPUT_BYTES`] is refused up front with a clear message instead of
//! exhausting memory. Point files (`phare lookup --points`) are streamed and have no limit.
//!
//! [`Inputs`] lists the files a run reads, so that none of its outputs overwrites one
//! (`-o survey.csv` given the survey itself).

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// The input files of a run, filled by the caller next to each path it loads and checked
/// before each output is written: a value rather than a process-wide list, so that two runs
/// in one process (tests, a server) do not see each other's files.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Canonical paths; a path that does not exist cannot be overwritten and is left out.
    read: Vec<PathBuf>,
}

impl Inputs {
    /// The files at `paths`, absent ones (`None`) skipped.
    pub fn of<'a>(paths: impl IntoIterator<Item = Option<&'a Path>>) -> Self {
        let mut inputs = Inputs::default();
        for path in paths.into_iter().flatten() {
            inputs.add(path);
        }
        inputs
    }

    /// Adds `path`; a shapefile brings the files read beside it (.shx, .dbf, .cpg, .prj).
    pub fn add(&mut self, path: &Path) {
        let is_shapefile = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
        let beside = ["shx", "dbf", "cpg", "prj"].map(|e| path.with_extension(e));
        let files =
            std::iter::once(path.to_path_buf()).chain(beside.into_iter().filter(|_| is_shapefile));
        for canonical in files.filter_map(|p| p.canonicalize().ok()) {
            if !self.read.contains(&canonical) {
                self.read.push(canonical);
            }
        }
    }

    /// Refuses `output` when it is one of the inputs.
    pub fn check_output(&self, output: &Path) -> Result<()> {
        match output.canonicalize() {
            Ok(path) if self.read.contains(&path) => Err(Error::output(
                output,
                "is one of this run's input files: refusing to overwrite it",
            )
            .hint("write the result under another name")),
            _ => Ok(()),
        }
    }
}

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
    std::fs::read(path).map_err(|e| Error::read(path, e))
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

    #[test]
    fn outputs_over_inputs_are_refused_shapefile_companions_included() {
        let dir = tempfile::tempdir().unwrap();
        let [shp, dbf, survey, other] =
            ["c.shp", "c.dbf", "answers.csv", "map.png"].map(|f| dir.path().join(f));
        for file in [&shp, &dbf, &survey] {
            std::fs::write(file, "x").unwrap();
        }
        let inputs = Inputs::of([Some(shp.as_path()), None, Some(survey.as_path())]);
        for input in [&shp, &dbf, &survey] {
            let err = inputs.check_output(input).unwrap_err().to_string();
            assert!(err.contains("refusing to overwrite"), "{err}");
        }
        // Another name, or the same file reached by another path, is told apart rightly.
        assert!(inputs.check_output(&other).is_ok());
        assert!(
            inputs
                .check_output(&dir.path().join(".").join("answers.csv"))
                .is_err()
        );
    }
}
