//! The singing voice evaluation report (`metrics.json`): the split, the
//! threshold and where it came from, error, precision, recall,
//! specificity, F1 and AUROC, as JSON and as a table.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Decision, Report};
use crate::error::{Error, Result};
use crate::metrics::BinaryMetrics;
use crate::unit_predictions::UnitPredictions;

/// The names of [`Report::metrics`] of a singing voice report: the test
/// split's figures as ratios in `0..=1` (not percent), AUROC (left out when
/// the split has one class only) and the decision threshold.
pub const METRICS: &[&str] = &[
    "error",
    "precision",
    "recall",
    "specificity",
    "f1",
    "auroc",
    "threshold",
];

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
    /// The median-filtered frame scores the metrics came from, by song
    /// (not part of the JSON report; see [`Report::unit_predictions`]).
    #[serde(skip)]
    pub units: Option<UnitPredictions>,
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

    fn metrics(&self) -> BTreeMap<String, f64> {
        let m = &self.metrics;
        let mut out: BTreeMap<String, f64> = [
            ("error", m.error),
            ("precision", m.precision),
            ("recall", m.recall),
            ("specificity", m.specificity),
            ("f1", m.f1),
            // The f32 threshold as it prints (0.69, not 0.6899999976158142).
            (
                "threshold",
                self.threshold
                    .to_string()
                    .parse()
                    .unwrap_or(f64::from(self.threshold)),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if let Some(auroc) = m.auroc {
            out.insert("auroc".into(), auroc);
        }
        out
    }

    fn decision(&self) -> Decision {
        Decision {
            thresholds: vec![Some(self.threshold)],
            median_filter: self.median_filter,
            source: match self.threshold_source {
                ThresholdSource::Validation => "best accuracy on the validation split",
                ThresholdSource::Run => "stored with the run (no validation split)",
            }
            .into(),
        }
    }

    fn unit_predictions(&self) -> Option<&UnitPredictions> {
        self.units.as_ref()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::binary_metrics;
    use crate::tasks::TaskConfig;

    #[test]
    fn metrics_are_the_reports_figures_under_the_declared_names() {
        // 3 of 4 frames right at threshold 0.5: tp 1, tn 2, fp 1, fn 0.
        let labels = [true, false, false, false];
        let scores = [0.9, 0.7, 0.2, 0.1];
        let m = binary_metrics(&labels, &scores, 0.5);
        let e = Evaluation {
            split: "test".into(),
            threshold: 0.5,
            threshold_source: ThresholdSource::Validation,
            median_filter: 1,
            metrics: m,
            validation: None,
            songs: 1,
            audio_seconds: 1.0,
            predict_seconds: 0.1,
            units: None,
        };
        let got = e.metrics();
        assert_eq!(got["error"], 0.25);
        assert_eq!(got["precision"], 0.5);
        assert_eq!(got["recall"], 1.0);
        assert_eq!(got["specificity"], 2.0 / 3.0);
        assert_eq!(got["f1"], 2.0 / 3.0);
        assert_eq!(got["auroc"], 1.0);
        assert_eq!(got["threshold"], 0.5);
        let e = Evaluation {
            threshold: 0.69,
            ..e
        };
        assert_eq!(e.metrics()["threshold"], 0.69, "as the f32 prints");
        let names = TaskConfig::default().report_metrics();
        assert_eq!(got.keys().collect::<Vec<_>>().len(), names.len());
        assert!(got.keys().all(|k| names.contains(&k.as_str())), "{got:?}");
        // One class only: AUROC is undefined and left out.
        let one_class = Evaluation {
            metrics: binary_metrics(&[false, false], &[0.1, 0.9], 0.5),
            ..e
        };
        assert!(!one_class.metrics().contains_key("auroc"));
    }
}
