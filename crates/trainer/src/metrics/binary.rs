//! Confusion counts and the figures reported for singing voice detection at
//! one threshold (Schlüter & Grill, ISMIR 2015; f0k/ismir2015 `eval.py`):
//! error, precision, recall, specificity, F1, plus accuracy and AUROC.
//!
//! A frame is predicted positive when `score > threshold` (strictly, as in
//! `eval.py`; the comparison is in `f32`). A ratio whose denominator is zero
//! is defined as 0, as `eval.py`'s `savediv` and sklearn's
//! `zero_division=0` do: precision when nothing is predicted positive,
//! recall when there are no positives, specificity when there are no
//! negatives, F1 when there is no true positive, and accuracy for an empty
//! input (whose error is then 1). F1 is `2 tp / (2 tp + fp + fn)`, which
//! equals `2 P R / (P + R)` whenever that is defined.
//!
//! Checked against `tests/fixtures/auroc_sklearn.json` (`make_auroc.py`).

use serde::{Deserialize, Serialize};

use super::auroc::auroc;

/// The prediction rule: a frame is positive when its score is strictly above
/// the threshold (a NaN score is never positive).
pub(crate) fn predicted_positive(score: f32, threshold: f32) -> bool {
    score > threshold
}

/// Counts of frames by true label and prediction (`score > threshold`).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Confusion {
    /// positive frames predicted positive
    pub tp: usize,
    /// negative frames predicted positive
    pub fp: usize,
    /// negative frames predicted negative
    pub tn: usize,
    /// positive frames predicted negative
    pub fn_: usize,
}

impl Confusion {
    /// Counts frames with `score > threshold` as predicted positive.
    ///
    /// # Panics
    ///
    /// If `labels` and `scores` differ in length (a programming error).
    pub fn count(labels: &[bool], scores: &[f32], threshold: f32) -> Self {
        assert_eq!(
            labels.len(),
            scores.len(),
            "metrics: {} labels but {} scores",
            labels.len(),
            scores.len()
        );
        let mut c = Self::default();
        for (&label, &score) in labels.iter().zip(scores) {
            match (label, predicted_positive(score, threshold)) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                (false, false) => c.tn += 1,
                (true, false) => c.fn_ += 1,
            }
        }
        c
    }

    /// Number of frames counted.
    pub fn frames(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// Number of positive frames (true label).
    pub fn positives(&self) -> usize {
        self.tp + self.fn_
    }

    /// Frames classified correctly.
    pub fn correct(&self) -> usize {
        self.tp + self.tn
    }
}

/// `a / b`, or 0 when `b` is 0.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Figures of a binary frame-wise detector at one threshold. Ratios are in
/// `0..=1` (not percent); see the module docs for undefined ratios.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub struct BinaryMetrics {
    /// frames with `score > threshold` are predicted positive
    pub threshold: f32,
    /// `1 - accuracy`
    pub error: f64,
    /// `(tp + tn) / frames`
    pub accuracy: f64,
    /// `tp / (tp + fp)`, 0 when nothing is predicted positive
    pub precision: f64,
    /// `tp / (tp + fn)` (sensitivity), 0 when there are no positives
    pub recall: f64,
    /// `tn / (tn + fp)`, 0 when there are no negatives
    pub specificity: f64,
    /// `2 tp / (2 tp + fp + fn)`, 0 when `tp` is 0
    pub f1: f64,
    /// threshold-free; `None` when only one class is present
    pub auroc: Option<f64>,
    /// number of frames evaluated
    pub frames: usize,
    /// number of positive frames among them
    pub positives: usize,
}

/// Evaluates `scores` against `labels` at `threshold` (`score > threshold`
/// is positive). Pool the frames of all files into one slice first, as the
/// SVD protocol does.
///
/// # Panics
///
/// If `labels` and `scores` differ in length (a programming error).
pub fn binary_metrics(labels: &[bool], scores: &[f32], threshold: f32) -> BinaryMetrics {
    let c = Confusion::count(labels, scores, threshold);
    let accuracy = ratio(c.correct(), c.frames());
    BinaryMetrics {
        threshold,
        error: 1.0 - accuracy,
        accuracy,
        precision: ratio(c.tp, c.tp + c.fp),
        recall: ratio(c.tp, c.tp + c.fn_),
        specificity: ratio(c.tn, c.tn + c.fp),
        f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn_),
        auroc: auroc(labels, scores),
        frames: c.frames(),
        positives: c.positives(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Fixture {
        cases: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        labels: Vec<u8>,
        scores: Vec<f32>,
        threshold: f32,
        auroc: f64,
        tp: usize,
        fp: usize,
        tn: usize,
        #[serde(rename = "fn")]
        fn_: usize,
        accuracy: f64,
        precision: f64,
        recall: f64,
        f1: f64,
        specificity: f64,
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12
    }

    #[test]
    fn matches_sklearn_fixture() {
        let fixture: Fixture = crate::metrics::read_fixture("auroc_sklearn.json");
        assert!(fixture.cases.len() >= 5);
        for case in &fixture.cases {
            let labels: Vec<bool> = case.labels.iter().map(|&l| l == 1).collect();
            let c = Confusion::count(&labels, &case.scores, case.threshold);
            let expected = Confusion {
                tp: case.tp,
                fp: case.fp,
                tn: case.tn,
                fn_: case.fn_,
            };
            assert_eq!(c, expected, "{}", case.name);

            let m = binary_metrics(&labels, &case.scores, case.threshold);
            let name = &case.name;
            assert_eq!(m.threshold, case.threshold);
            assert_eq!(m.frames, labels.len(), "{name}");
            assert_eq!(m.positives, case.tp + case.fn_, "{name}");
            assert!(close(m.accuracy, case.accuracy), "{name}: {m:?}");
            assert!(close(m.error, 1.0 - case.accuracy), "{name}: {m:?}");
            assert!(close(m.precision, case.precision), "{name}: {m:?}");
            assert!(close(m.recall, case.recall), "{name}: {m:?}");
            assert!(close(m.specificity, case.specificity), "{name}: {m:?}");
            assert!(close(m.f1, case.f1), "{name}: {m:?}");
            let a = m.auroc.expect("both classes present");
            assert!((a - case.auroc).abs() <= 1e-9, "{name}: {m:?}");
        }
    }

    #[test]
    fn strict_threshold_and_undefined_ratios() {
        // a score equal to the threshold is negative
        let m = binary_metrics(&[true, false], &[0.5, 0.5], 0.5);
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
        assert_eq!((m.accuracy, m.specificity), (0.5, 1.0));
        assert_eq!(m.auroc, Some(0.5));

        // only negatives: recall 0 by definition, auroc undefined
        let m = binary_metrics(&[false, false], &[0.9, 0.1], 0.5);
        assert_eq!((m.recall, m.precision, m.specificity), (0.0, 0.0, 0.5));
        assert_eq!((m.positives, m.auroc), (0, None));

        // empty input
        let m = binary_metrics(&[], &[], 0.5);
        assert_eq!((m.frames, m.accuracy, m.error), (0, 0.0, 1.0));
    }

    #[test]
    fn serialises_to_json() {
        let m = binary_metrics(&[true, false, true], &[0.9, 0.2, 0.4], 0.5);
        let text = serde_json::to_string(&m).unwrap();
        let back: BinaryMetrics = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m);
        let only_one_class = binary_metrics(&[true], &[0.9], 0.5);
        assert!(
            serde_json::to_string(&only_one_class)
                .unwrap()
                .contains("\"auroc\":null")
        );
    }
}
