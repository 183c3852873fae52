//! Errors of the training library. Each names the file, key or run folder at
//! fault and says what to do; the binary prints them and exits non-zero.

use std::path::PathBuf;

/// Anything that can go wrong in training, evaluation or feature extraction.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bad experiment config (the message names file and key).
    #[error("config error: {0}")]
    Config(String),
    /// A problem with the dataset or audio files.
    #[error(transparent)]
    Data(#[from] cochlea_data::DataError),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A run directory that is missing pieces or does not fit the request.
    #[error("run directory {}: {message}", path.display())]
    Run {
        /// The run directory.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A tensor could not be read back from the device.
    #[error(transparent)]
    HostRead(#[from] cochlea_frontend::HostReadError),
    /// Training produced non-finite values.
    #[error("training diverged: {0}")]
    Diverged(String),
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
