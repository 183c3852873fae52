//! Errors of the study library. Each names the key, point, file or folder at
//! fault and says what to do; the binary prints them and exits non-zero.

use std::path::PathBuf;

/// Anything that can go wrong in expanding, running or analysing a sweep.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bad `[sweep]` section or point (the message names the key).
    #[error("config error: {0}")]
    Config(String),
    /// Training, evaluation or reading a run failed.
    #[error(transparent)]
    Trainer(#[from] cochlea_trainer::Error),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A sweep folder (or a run inside it) that does not fit this sweep.
    #[error("sweep folder {}: {message}", path.display())]
    SweepDir {
        /// The sweep folder.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// One point's training failed.
    #[error("sweep point {index} `{name}`: {message}")]
    Point {
        /// 1-based point number.
        index: usize,
        /// The point's name (its run directory's).
        name: String,
        /// The training error, as text.
        message: String,
    },
    /// Anything else, described.
    #[error("{0}")]
    Other(String),
}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Adds the path to an I/O error.
pub trait IoContext<T> {
    /// Wraps an I/O error with the path it concerns.
    fn at(self, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|source| Error::Io {
            path: path.into(),
            source,
        })
    }
}
