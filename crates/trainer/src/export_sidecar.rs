//! The sidecar of an export: `<stem>.json` beside `<stem>.safetensors`,
//! everything but the weights that a reimplementation of the model needs
//! (`python/cochlea_torch.py` builds its modules from it alone).
//!
//! ```text
//! format, version          "cochlea-export", 1
//! weights                  file name of the weights beside it
//! cochlea_version          the version that wrote it
//! sample_rate              Hz; the model takes mono float waveforms at this rate
//! frame_length, hop        samples per frame and between frames
//! input_frames             frames of one network input (an excerpt or chunk) ...
//! input_samples            ... and the samples they span
//! outputs                  logits per input
//! frontend                 the run's [frontend] table, every key resolved (kind, bands, ...)
//! model                    the run's [model] table, every key resolved (kind, ...)
//! constants                fixed numbers of the computation by name (frontend and backbone)
//! task                     kind, labels (one per output), thresholds (one per output or
//!                          null), median_filter (frames; 1 = none), threshold_source
//! standardization          mean and std per band (also in the weights)
//! training                 seed, epochs and training batches behind the weights
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cochlea_frontend::FrontendConfig;
use cochlea_model::BackboneConfig;
use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};

/// The sidecar's `format`.
pub const FORMAT: &str = "cochlea-export";
/// The sidecar's `version`: raised whenever a key changes meaning.
pub const VERSION: u32 = 1;

/// An export's sidecar (see the module doc).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// Always [`FORMAT`].
    pub format: String,
    /// The schema version, [`VERSION`].
    pub version: u32,
    /// File name of the weights beside the sidecar.
    pub weights: String,
    /// The cochlea version that wrote the export.
    pub cochlea_version: String,
    /// Sample rate of the mono waveforms the model takes, in Hz.
    pub sample_rate: u32,
    /// Samples consumed by one frame.
    pub frame_length: usize,
    /// Samples between frames.
    pub hop: usize,
    /// Frames of one network input.
    pub input_frames: usize,
    /// Samples of one network input.
    pub input_samples: usize,
    /// Logits per input.
    pub outputs: usize,
    /// The frontend's settings (the run's `[frontend]`).
    pub frontend: FrontendConfig,
    /// The backbone's settings (the run's `[model]`).
    pub model: BackboneConfig,
    /// Fixed numbers of the computation, by name.
    pub constants: BTreeMap<String, f64>,
    /// What the outputs mean and how they become decisions.
    pub task: TaskSummary,
    /// The frontend's per-band standardisation.
    pub standardization: Standardization,
    /// What produced the weights.
    pub training: TrainingSummary,
}

/// What the outputs mean and how they become decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSummary {
    /// The task (`singing-voice`, `tagging`).
    pub kind: String,
    /// One label per output, in output order.
    pub labels: Vec<String>,
    /// One threshold per output on its sigmoid (positive when above); `null`
    /// where the run chose none.
    pub thresholds: Vec<Option<f32>>,
    /// Frames of the median filter applied to per-frame scores before the
    /// threshold (1 = none).
    pub median_filter: usize,
    /// Where the thresholds came from.
    pub threshold_source: String,
}

/// Per-band standardisation statistics: `(x - mean) / std`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standardization {
    /// Mean per band.
    pub mean: Vec<f32>,
    /// Standard deviation per band.
    pub std: Vec<f32>,
}

/// What produced the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSummary {
    /// The run's seed.
    pub seed: u64,
    /// Epochs behind the kept weights.
    pub epochs: usize,
    /// Training batches behind the kept weights (each batch norm's
    /// `num_batches_tracked`).
    pub batches: usize,
}

/// The sidecar path of a weights file: the same path with `.json`.
pub fn sidecar_path(weights: &Path) -> PathBuf {
    weights.with_extension("json")
}

impl Sidecar {
    /// The sidecar as pretty-printed JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::Other(format!("cannot write the export sidecar as JSON: {e}")))
    }

    /// Reads the sidecar at `path`, checking its format and version.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).at(path)?;
        let sidecar: Self = serde_json::from_str(&text).map_err(|e| {
            Error::Other(format!(
                "{}: not a cochlea export sidecar ({e}); export the run again with `cochlea export`",
                path.display()
            ))
        })?;
        if sidecar.format != FORMAT || sidecar.version != VERSION {
            return Err(Error::Other(format!(
                "{}: format {:?} version {}, but this cochlea reads {FORMAT:?} version {VERSION}; \
                 export the run again with this version",
                path.display(),
                sidecar.format,
                sidecar.version
            )));
        }
        Ok(sidecar)
    }
}
