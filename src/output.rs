//! Atomic output: write to a temporary file beside the target, then rename into place.
//!
//! A failed or interrupted run never leaves a half-written map under the final name, and an
//! existing output is replaced only once the new one is complete. A run killed while writing
//! leaves its temporary file, named `.<output name>.<pid>.phare-tmp`; the next run writing into
//! that folder removes it once its process is gone ([`clean_stale`]).

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
    write_encoded(path, |w| fill(w).map_err(|e| cannot_write(path, &e)))
}

/// [`write_atomic`] for an encoder with errors of its own, such as a map drawn straight into
/// its file: they come back as they are, except that a failed write to the file is reported
/// as such, with the file's name, whatever the encoder made of it.
pub fn write_encoded(path: &Path, encode: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
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
    clean_stale(&dir);
    let tmp = dir.join(format!(".{name}.{}{TMP_SUFFIX}", std::process::id()));
    let file = File::create(&tmp).map_err(|e| cannot_write(path, &e))?;
    let mut w = Recording {
        inner: BufWriter::new(file),
        error: None,
    };
    let encoded = encode(&mut w);
    let result = match (encoded, w.error.take()) {
        (Err(_), Some(e)) => Err(cannot_write(path, &e)),
        (Err(e), None) => Err(e),
        // No fsync: the rename is what keeps a failed or killed run from leaving a partial
        // file; surviving a power cut is the filesystem's business (ext4 flushes a file
        // renamed over another), and fsync would cost 10-40 ms on a 16 MB map.
        (Ok(()), _) => w
            .inner
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|_| fs::rename(&tmp, path))
            .map_err(|e| cannot_write(path, &e)),
    };
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn cannot_write(path: &Path, e: &std::io::Error) -> Error {
    Error::output(path, format!("cannot write: {e}"))
        .hint("check that the folder exists and is writable")
}

/// A writer that keeps the first error of the file it writes to.
struct Recording<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Recording<W> {
    fn record<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        r.inspect_err(|e| {
            if self.error.is_none() {
                self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
            }
        })
    }
}

impl<W: Write> Write for Recording<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.record(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.record(r)
    }
}

/// Removes the temporary files that killed phare runs left in `dir`: only names phare makes
/// (`.<name>.<pid>.phare-tmp`), only when process `pid` is gone; returns how many went.
/// Best effort: a folder that cannot be listed is left alone.
pub fn clean_stale(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let pid = name.to_str().and_then(temp_pid);
            pid.is_some_and(|pid| pid != std::process::id() && !alive(pid))
                && e.file_type().is_ok_and(|t| t.is_file())
        })
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

/// The process id in a temporary file name of ours, `.<name>.<pid>.phare-tmp`.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(TMP_SUFFIX)?;
    let (_, pid) = rest.rsplit_once('.')?;
    pid.parse().ok()
}

/// Whether process `pid` still runs. Where `/proc` is missing (not Linux) every process is
/// taken as alive, so nothing is removed by mistake.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Writes bytes atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |w| w.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_names_carry_a_pid() {
        assert_eq!(temp_pid(".map.png.4242.phare-tmp"), Some(4242));
        assert_eq!(temp_pid(".a.b.c.7.phare-tmp"), Some(7));
        assert_eq!(temp_pid("map.png.4242.phare-tmp"), None);
        assert_eq!(temp_pid(".map.png.phare-tmp"), None);
        assert_eq!(temp_pid(".map.png.4242.tmp"), None);
    }

    #[test]
    fn stale_temporaries_go_live_ones_and_others_stay() {
        let dir = tempfile::tempdir().unwrap();
        // No process has pid u32::MAX - 1 (Linux caps pids at 2^22).
        let dead = dir
            .path()
            .join(format!(".map.png.{}{TMP_SUFFIX}", u32::MAX - 1));
        let live = dir.path().join(format!(".map.png.1{TMP_SUFFIX}"));
        let mine = dir
            .path()
            .join(format!(".legend.svg.{}{TMP_SUFFIX}", std::process::id()));
        let other = dir.path().join("notes.phare-tmp");
        for p in [&dead, &live, &mine, &other] {
            fs::write(p, b"x").unwrap();
        }
        write_bytes(&dir.path().join("map.png"), b"png").unwrap();
        assert!(!dead.exists());
        assert!(live.exists() && mine.exists() && other.exists());
        assert_eq!(fs::read(dir.path().join("map.png")).unwrap(), b"png");
    }

    #[test]
    fn a_failed_encoder_leaves_the_previous_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let map = dir.path().join("map.png");
        fs::write(&map, b"previous").unwrap();
        let err = write_encoded(&map, |w| {
            w.write_all(b"half a map").expect("buffered");
            Err(Error::usage("the scene has no territory"))
        });
        let err = err.expect_err("the encoder failed");
        assert_eq!(err.kind, crate::error::ErrorKind::Usage);
        assert_eq!(err.message, "the scene has no territory");
        assert_eq!(fs::read(&map).unwrap(), b"previous");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "only map.png is left");
    }

    #[test]
    fn a_write_that_fails_is_reported_with_the_file_name() {
        // A writer refusing every byte stands for a full disk.
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("No space left on device"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut w = Recording {
            inner: Full,
            error: None,
        };
        assert!(w.write_all(b"map").is_err());
        assert!(w.write_all(b"more").is_err());
        let e = w.error.expect("recorded");
        assert_eq!(e.to_string(), "No space left on device");
        let err = cannot_write(Path::new("out/map.png"), &e);
        assert_eq!(err.kind, crate::error::ErrorKind::Output);
        assert!(err.to_string().contains("out/map.png"), "{err}");
    }
}
