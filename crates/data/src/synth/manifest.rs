//! `manifest.json` of a generated dataset: the generator (name and version)
//! and every setting it ran with, as JSON, so that a program can tell whether
//! a folder holds what a config declares without reading the README.
//!
//! ```json
//! { "generator": "cochlea-synth-svd/1",
//!   "settings": { "seed": 1, "songs": 40, "min_seconds": 30.0, ... } }
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::SynthError;
use crate::atomic::write_string_atomically;

/// File name of the manifest inside a generated dataset folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// What a generated dataset folder was made with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Generator name and version, e.g. `cochlea-synth-svd/1`; it changes
    /// whenever the bytes a seed produces change.
    pub generator: String,
    /// The generator's settings, one JSON value per option.
    pub settings: serde_json::Value,
}

impl Manifest {
    /// The manifest path in `dir`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(MANIFEST_FILE)
    }

    /// Writes `dir/manifest.json` atomically.
    pub fn write(&self, dir: &Path) -> Result<(), SynthError> {
        let path = Self::path(dir);
        let text = serde_json::to_string_pretty(self).map_err(|e| SynthError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        write_string_atomically(&path, &(text + "\n")).map_err(SynthError::io(&path))
    }

    /// Reads `dir/manifest.json`; `Ok(None)` if there is none.
    pub fn read(dir: &Path) -> Result<Option<Self>, SynthError> {
        let path = Self::path(dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(SynthError::io(&path)(e)),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| SynthError::BadManifest {
                path,
                message: e.to_string(),
            })
    }
}
