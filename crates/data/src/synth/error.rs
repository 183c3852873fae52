//! Errors of the synthetic dataset generators.

use std::path::PathBuf;

/// Why a synthetic dataset could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// An option is out of range; the message says what is accepted.
    #[error("invalid synthetic-dataset option `{field}`: {reason}")]
    InvalidOption { field: &'static str, reason: String },
    /// The target directory exists and is not empty.
    #[error(
        "{}: directory exists and is not empty; choose a new directory or empty it first",
        dir.display()
    )]
    NotEmpty { dir: PathBuf },
    /// Creating or writing a file or directory failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Writing a WAV file failed.
    #[error("{}: writing WAV failed: {source}", path.display())]
    Wav {
        path: PathBuf,
        #[source]
        source: hound::Error,
    },
    /// A dataset's `manifest.json` is not valid JSON or lacks a field.
    #[error(
        "{}: invalid manifest: {source}; regenerate the dataset or repair the file",
        path.display()
    )]
    Manifest {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

impl SynthError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| SynthError::Io { path, source }
    }
}
