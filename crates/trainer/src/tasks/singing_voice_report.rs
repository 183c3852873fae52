//! The singing voice evaluation report (`metrics.json`): the split, the
//! threshold and where it came from, error, precision, recall,
//! specificity, F1 and AUROC, as JSON and as a table.

use serde::{Deserialize, Serialize};

use super::Report;
use crate::error::{Error, Result};
use crate::metrics::BinaryMetrics;

/// Where the decision threshold came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThresholdSource {
    /// Maximum accuracy on the dataset's validation split.
    Validation,
    /// The threshold stored with the run (dataset without a validation split).
    Run,
}

/// The result of evaluating one split.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evaluation {
    /// The evaluated split.
    pub split: String,
    /// Decision threshold on median-filtered probabilities.
    pub threshold: f32,
    /// Where the threshold came from.
    pub threshold_source: ThresholdSource,
    /// Median filter length in frames.
    pub median_filter: usize,
    /// Metrics on the evaluated split.
    pub metrics: BinaryMetrics,
    /// Metrics on the validation split at the chosen threshold, if it exists.
    pub validation: Option<BinaryMetrics>,
    /// Songs in the evaluated split.
    pub songs: usize,
    /// Audio seconds in the evaluated split.
    pub audio_seconds: f64,
    /// Wall seconds spent predicting the evaluated split.
    pub predict_seconds: f64,
}

impl Evaluation {
    /// Reads a report written by [`Report::json`].
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map_err(|e| Error::Other(format!("not a singing-voice report: {e}")))
    }
}

impl Report for Evaluation {
    fn table(&self) -> String {
        render_table(self)
    }

    fn json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::Other(format!("cannot write the report as JSON: {e}")))
    }

    fn timing(&self) -> (f64, f64) {
        (self.audio_seconds, self.predict_seconds)
    }
}

/// The metrics as a small aligned table.
pub fn render_table(e: &Evaluation) -> String {
    let m = &e.metrics;
    let pct = |v: f64| format!("{:6.2} %", 100.0 * v);
    let auroc = m
        .auroc
        .map(|a| format!("{a:8.4}"))
        .unwrap_or_else(|| "     n/a".into());
    let mut s = String::new();
    s.push_str(&format!(
        "split {} — {} songs, {} frames ({:.1} % voice), threshold {} ({}), median filter {} frames\n",
        e.split,
        e.songs,
        m.frames,
        100.0 * m.positives as f64 / m.frames.max(1) as f64,
        e.threshold,
        match e.threshold_source {
            ThresholdSource::Validation => "best on validation",
            ThresholdSource::Run => "stored with the run",
        },
        e.median_filter
    ));
    s.push_str("| metric      |    value |\n|-------------|----------|\n");
    for (name, value) in [
        ("error", pct(m.error)),
        ("precision", pct(m.precision)),
        ("recall", pct(m.recall)),
        ("specificity", pct(m.specificity)),
        ("F1", pct(m.f1)),
    ] {
        s.push_str(&format!("| {name:<11} | {value} |\n"));
    }
    s.push_str(&format!("| AUROC       | {auroc} |\n"));
    s
}
