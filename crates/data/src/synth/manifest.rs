//! `manifest.json`: the machine-readable record of which generator wrote a
//! synthetic dataset and with which settings, so that a dataset can be
//! checked against (or regenerated from) the options that made it.
//!
//! ```json
//! { "generator": "cochlea synth tagging", "version": 1,
//!   "settings": { "seed": 1, "clips": 800, "clip_seconds": 29.1, ... } }
//! ```
//!
//! The type is generic over generators: `settings` is a JSON object whose
//! keys each generator documents itself (one key per option, with the
//! option's name and value). [`write`] replaces the file atomically, so a
//! reader sees the old or the new manifest, never half of one.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::SynthError;
use crate::atomic::write_string_atomically;

/// File name of the manifest inside a dataset directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Which generator wrote a dataset, and every setting it used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The generator's name, e.g. `cochlea synth tagging`.
    pub generator: String,
    /// The generator's version; bumped whenever a seed's bytes change.
    pub version: u32,
    /// The options, one key per option (names as in the options struct).
    pub settings: serde_json::Map<String, serde_json::Value>,
}

fn path_of(dir: &Path) -> PathBuf {
    dir.join(MANIFEST_FILE)
}

/// Writes `manifest` to `dir/manifest.json`, atomically
/// ([`crate::atomic`]). `dir` must exist.
pub fn write(dir: &Path, manifest: &Manifest) -> Result<(), SynthError> {
    let path = path_of(dir);
    let mut text =
        serde_json::to_string_pretty(manifest).map_err(|source| SynthError::Manifest {
            path: path.clone(),
            source,
        })?;
    text.push('\n');
    write_string_atomically(&path, &text).map_err(SynthError::io(&path))
}

/// Reads `dir/manifest.json`: `Ok(None)` when there is none, an error naming
/// the file (and, for bad JSON, line and column) when it cannot be read.
pub fn read(dir: &Path) -> Result<Option<Manifest>, SynthError> {
    let path = path_of(dir);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(SynthError::io(&path)(e)),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|source| SynthError::Manifest { path, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::TestDir;

    fn sample() -> Manifest {
        let mut settings = serde_json::Map::new();
        settings.insert("seed".into(), 1.into());
        settings.insert("clips".into(), 800.into());
        settings.insert("clip_seconds".into(), 29.1.into());
        settings.insert("name".into(), "x\"y".into());
        Manifest {
            generator: "cochlea synth tagging".into(),
            version: 1,
            settings,
        }
    }

    #[test]
    fn round_trips_and_replaces_atomically() {
        let dir = TestDir::new("manifest");
        assert_eq!(read(&dir).unwrap(), None);
        let m = sample();
        write(&dir, &m).unwrap();
        assert_eq!(read(&dir).unwrap(), Some(m.clone()));
        assert_eq!(
            fs::read_dir(&*dir).unwrap().count(),
            1,
            "a temporary file was left"
        );
        let mut m2 = m;
        m2.version = 2;
        write(&dir, &m2).unwrap();
        assert_eq!(read(&dir).unwrap().unwrap().version, 2);
        // The JSON is the documented shape.
        let v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap()).unwrap();
        assert_eq!(v["generator"], "cochlea synth tagging");
        assert_eq!(v["settings"]["clip_seconds"], 29.1);
    }

    #[test]
    fn bad_json_names_the_file_and_position() {
        let dir = TestDir::new("manifest-bad");
        fs::write(dir.join(MANIFEST_FILE), "{\n \"generator\": 3\n}").unwrap();
        let e = read(&dir).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, SynthError::Manifest { .. }), "{msg}");
        assert!(
            msg.contains("manifest.json") && msg.contains("line 2"),
            "{msg}"
        );
    }
}
