//! Frame-wise evaluation of a binary detector, following the singing voice
//! detection protocol of Schlüter & Grill, "Exploring data augmentation for
//! improved singing voice detection with neural networks", ISMIR 2015
//! (reference code f0k/ismir2015, `experiments/eval.py`):
//!
//! 1. smooth each file's frame-wise outputs with a running median over 56
//!    frames (0.8 s at 70 frames/s) — [`median_filter`];
//! 2. pool the frames of all files;
//! 3. choose the threshold from [`candidate_thresholds`] that maximises
//!    accuracy on the validation set — [`best_threshold`];
//! 4. report error, precision, recall, specificity, F1 and AUROC on the test
//!    set at that threshold — [`binary_metrics`], [`auroc`].
//!
//! A frame is predicted positive when `score > threshold` (strictly greater,
//! as in `eval.py`). Every function here takes plain slices and uses only
//! `std`, so it can run on predictions read back from disk.

mod auroc;
mod binary;
mod median;
mod threshold;
mod weighted_confusion;

pub use auroc::auroc;
pub use binary::{BinaryMetrics, Confusion, binary_metrics};
pub use median::{SVD_MEDIAN_FRAMES, median_filter};
pub use threshold::{best_threshold, candidate_thresholds};
pub use weighted_confusion::WeightedConfusion;

// Multi-label tagging (clip-level): per-tag ROC-AUC, PR-AUC (average
// precision) and F1 at a threshold chosen on validation, their macro means,
// and a markdown table of them.
mod average_precision;
mod f1_threshold;
mod score_groups;
mod tag_table;
mod tagging;

pub use average_precision::average_precision;
pub use f1_threshold::{PrecisionRecallF1, best_f1_threshold, precision_recall_f1};
pub use tag_table::render_tagging_table;
pub use tagging::{TagMetrics, TaggingMetrics, bce_term, tagging_metrics, validation_thresholds};

// The same AUROC and average precision under unit weights, for the paired
// bootstrap of a comparison (songs or tracks drawn with replacement).
mod ranked;

pub use ranked::RankedScores;

/// Reads a JSON fixture from `tests/fixtures/` at the workspace root.
#[cfg(test)]
pub(crate) fn read_fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read fixture {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse fixture {path}: {e}"))
}
