//! The tagging evaluation report (`metrics.json`): per-tag and macro ROC-AUC
//! and PR-AUC, per-tag F1 at thresholds chosen on validation, the clip
//! count and the clips skipped as unreadable, as JSON and as tables.

use serde::{Deserialize, Serialize};

use super::Report;
use crate::error::{Error, Result};
use crate::metrics::{TaggingMetrics, render_tagging_table};

/// The result of evaluating one split.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaggingReport {
    /// The evaluated split.
    pub split: String,
    /// Chunks averaged per clip.
    pub chunks_per_clip: usize,
    /// Whether the F1 thresholds came from the validation split.
    pub thresholds_from_validation: bool,
    /// Mean binary cross-entropy of the clip predictions.
    pub loss: f64,
    /// Per-tag and macro metrics.
    pub metrics: TaggingMetrics,
    /// Audio seconds in the evaluated split.
    pub audio_seconds: f64,
    /// Wall seconds spent predicting the evaluated split.
    pub predict_seconds: f64,
    /// Clips of the split skipped as unreadable (`data.skip_unreadable`).
    #[serde(default)]
    pub skipped: Vec<String>,
}

impl TaggingReport {
    /// Reads a report written by [`Report::json`].
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|e| Error::Other(format!("not a tagging report: {e}")))
    }
}

impl Report for TaggingReport {
    fn table(&self) -> String {
        let m = &self.metrics;
        let mut s = format!(
            "split {} — {} clips, {} tags, {} chunks per clip averaged, F1 thresholds {}{}\n",
            self.split,
            m.clips,
            m.tags.len(),
            self.chunks_per_clip,
            if self.thresholds_from_validation {
                "best on validation"
            } else {
                "not chosen (no validation split): F1 left out"
            },
            if self.skipped.is_empty() {
                String::new()
            } else {
                format!(", {} unreadable clips skipped", self.skipped.len())
            }
        );
        s.push_str(&render_tagging_table(m));
        s
    }

    fn json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::Other(format!("cannot write the report as JSON: {e}")))
    }

    fn timing(&self) -> (f64, f64) {
        (self.audio_seconds, self.predict_seconds)
    }
}
