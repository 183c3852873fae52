//! The tagging evaluation report (`metrics.json`): per-tag and macro ROC-AUC
//! and PR-AUC, per-tag F1 at thresholds chosen on validation, the clip
//! count and the clips skipped as unreadable, as JSON and as tables.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Decision, Report};
use crate::error::{Error, Result};
use crate::metrics::{TaggingMetrics, render_tagging_table};
use crate::unit_predictions::UnitPredictions;

/// The names of [`Report::metrics`] of a tagging report: the macro ROC-AUC,
/// PR-AUC and F1 over the tags with both classes (each left out when no tag
/// qualifies; F1 also without validation thresholds) and the mean binary
/// cross-entropy of the clip predictions.
pub const METRICS: &[&str] = &["roc_auc", "pr_auc", "f1", "loss"];

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
    /// The clip scores the metrics came from, by track (not part of the
    /// JSON report; see [`Report::unit_predictions`]).
    #[serde(skip)]
    pub units: Option<UnitPredictions>,
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

    fn metrics(&self) -> BTreeMap<String, f64> {
        let m = &self.metrics;
        let mut out = BTreeMap::from([("loss".to_string(), self.loss)]);
        for (name, value) in [
            ("roc_auc", m.macro_roc_auc),
            ("pr_auc", m.macro_pr_auc),
            ("f1", m.macro_f1),
        ] {
            if let Some(v) = value {
                out.insert(name.into(), v);
            }
        }
        out
    }

    fn decision(&self) -> Decision {
        // Without validation thresholds the report's own were picked on
        // the evaluated split itself (and its F1 left out): not decisions.
        let from_validation = self.thresholds_from_validation;
        Decision {
            thresholds: self
                .metrics
                .tags
                .iter()
                .map(|t| t.threshold.filter(|_| from_validation))
                .collect(),
            median_filter: 1,
            source: if from_validation {
                "best F1 per tag on the validation split"
            } else {
                "none chosen (no validation split)"
            }
            .into(),
        }
    }

    fn unit_predictions(&self) -> Option<&UnitPredictions> {
        self.units.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::{TaggingConfig, TaskConfig};

    fn report(macro_f1: Option<f64>) -> TaggingReport {
        TaggingReport {
            split: "test".into(),
            chunks_per_clip: 4,
            thresholds_from_validation: macro_f1.is_some(),
            loss: 0.31,
            metrics: TaggingMetrics {
                tags: Vec::new(),
                macro_roc_auc: Some(0.8),
                macro_pr_auc: Some(0.4),
                macro_f1,
                clips: 10,
                undefined: Vec::new(),
            },
            audio_seconds: 40.0,
            predict_seconds: 1.0,
            skipped: Vec::new(),
            units: None,
        }
    }

    #[test]
    fn metrics_are_the_macro_figures_and_the_loss_under_the_declared_names() {
        let got = report(Some(0.25)).metrics();
        let want: BTreeMap<String, f64> = [
            ("roc_auc", 0.8),
            ("pr_auc", 0.4),
            ("f1", 0.25),
            ("loss", 0.31),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        assert_eq!(got, want);
        let names = TaskConfig::Tagging(TaggingConfig::default()).report_metrics();
        assert!(got.keys().all(|k| names.contains(&k.as_str())), "{got:?}");
        // Without validation thresholds there is no F1.
        assert!(!report(None).metrics().contains_key("f1"));
    }
}
