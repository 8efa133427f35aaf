//! One error type for the whole library.
//!
//! Every error a user can meet says *where* (file, line or feature), *what* is wrong and,
//! when we know it, *what to do*. The CLI maps [`ErrorKind`] to a stable exit code.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, coarsely: decides the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An input file is missing, unreadable, malformed or inconsistent (exit 1).
    Input,
    /// A command-line value is wrong (exit 2).
    Usage,
    /// An output could not be written (exit 3).
    Output,
}

impl ErrorKind {
    /// The process exit code documented in `phare --help` and the README.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Input => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Output => 3,
        }
    }
}

/// A setting of the library that an error is about. The library's messages speak of what the
/// setting does; a front end names it its own way (the CLI adds its flag, `--id-field`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Setting {
    /// The property that holds territory codes (`FieldNames::id`).
    IdField,
    /// The text encoding of a shapefile's attribute table (`LoadOptions::dbf_encoding`).
    DbfEncoding,
    /// A point given as text, longitude first unless latitude first is asked
    /// (`lookup::parse_point`).
    Point,
    /// The coordinate columns of a point file (`lookup::points`).
    PointColumns,
    /// A `key=value` style override (`Style::set_pair`).
    StyleOverride,
    /// The level of an atlas's pages and the level it maps.
    AtlasLevels,
    /// The size of the page in pixels (`MapSpec::width`, `MapSpec::height`).
    PageSize,
    /// The extent drawn: a région or a département (`compose::map::Within`).
    Extent,
    /// The level of the territories coloured (`MapSpec::level`).
    Level,
    /// Warnings refused as errors (`ReadOptions::strict`, `JoinReport::check_strict`).
    Strict,
    /// Invalid survey rows left out rather than refusing the file (`ReadOptions::skip_invalid`).
    SkipInvalid,
    /// The actor whose answers are kept, or all pooled (`survey::sample::ActorChoice`).
    Actor,
}

/// A located, actionable error.
#[derive(Debug)]
pub struct Error {
    /// Coarse class of the error.
    pub kind: ErrorKind,
    /// The file concerned, if any.
    pub path: Option<PathBuf>,
    /// Where in the file: "line 12", "feature 3 (code 69123)", "column q4"...
    pub location: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
    /// The setting that would fix it, for a front end to name (see [`Setting`]).
    pub setting: Option<Setting>,
}

/// Library result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A bad-input error about `path`.
    pub fn input(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Input,
            path: Some(path.as_ref().to_path_buf()),
            location: None,
            message: message.into(),
            hint: None,
            setting: None,
        }
    }

    /// A wrong command-line value.
    pub fn usage(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Usage,
            path: None,
            location: None,
            message: message.into(),
            hint: None,
            setting: None,
        }
    }

    /// An output that could not be written.
    pub fn output(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Output,
            path: Some(path.as_ref().to_path_buf()),
            location: None,
            message: message.into(),
            hint: None,
            setting: None,
        }
    }

    /// An I/O failure while reading `path`, with a hint for the usual causes.
    pub fn read(path: impl AsRef<Path>, err: std::io::Error) -> Self {
        let path = path.as_ref();
        let hint = match err.kind() {
            std::io::ErrorKind::NotFound => {
                Some("check the path; relative paths start from the current directory")
            }
            std::io::ErrorKind::PermissionDenied => Some("check the file's permissions"),
            _ if path.is_dir() => Some("give a file, not a directory"),
            _ => None,
        };
        let mut e = Error::input(path, format!("cannot read: {err}"));
        e.hint = hint.map(str::to_string);
        e
    }

    /// Adds where in the file the problem is.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Adds what the user can do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds the setting that would fix it.
    pub fn about(mut self, setting: Setting) -> Self {
        self.setting = Some(setting);
        self
    }

    /// Sets the file concerned when the error was raised without one.
    pub fn in_file(mut self, path: impl AsRef<Path>) -> Self {
        if self.path.is_none() {
            self.path = Some(path.as_ref().to_path_buf());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "{}: ", p.display())?;
        }
        if let Some(l) = &self.location {
            write!(f, "{l}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
