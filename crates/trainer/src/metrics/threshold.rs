//! Choice of the decision threshold on the validation set, as in the singing
//! voice detection protocol of Schlüter & Grill (ISMIR 2015; f0k/ismir2015
//! `experiments/eval.py`): of the candidates 1e-5, 1e-4, 1e-3, 0.01, 0.02,
//! …, 0.99, 1-1e-3, 1-1e-4, 1-1e-5, take the one whose predictions
//! (`score > threshold`) are most accurate on the pooled, median-filtered
//! validation frames.
//!
//! Ties: among equally accurate candidates this picks the one closest to 0.5
//! (distance computed in `f64` from the `f32` candidates), and of two equally
//! close the lower. `eval.py` (`np.argmax`) takes the lowest instead; the
//! two agree whenever the best accuracy is reached by a single candidate.
//!
//! Checked against `best_threshold` in `tests/fixtures/auroc_sklearn.json`
//! (`make_auroc.py`, computed with numpy).

use super::binary::{Confusion, predicted_positive};

/// The 105 candidate thresholds of the SVD protocol, ascending:
/// 1e-5, 1e-4, 1e-3, k/100 for k = 1..=99, 1-1e-3, 1-1e-4, 1-1e-5.
/// Each is the `f64` value rounded to `f32` (as numpy's
/// `np.float32(np.arange(1, 100) / 100.0)`).
pub fn candidate_thresholds() -> Vec<f32> {
    let low = [1e-5, 1e-4, 1e-3];
    let mid = (1..100).map(|k| f64::from(k) / 100.0);
    let high = [1.0 - 1e-3, 1.0 - 1e-4, 1.0 - 1e-5];
    low.into_iter()
        .chain(mid)
        .chain(high)
        .map(|t: f64| t as f32)
        .collect()
}

/// The candidate threshold (see [`candidate_thresholds`]) that maximises
/// accuracy of `score > threshold` against `labels`; ties go to the one
/// closest to 0.5. Empty input gives 0.5. `O(n log n)`.
///
/// # Panics
///
/// If `labels` and `scores` differ in length (a programming error).
pub fn best_threshold(labels: &[bool], scores: &[f32]) -> f32 {
    assert_eq!(
        labels.len(),
        scores.len(),
        "best_threshold: {} labels but {} scores",
        labels.len(),
        scores.len()
    );
    // NaN scores are never predicted positive: count them aside.
    let (mut nan_positives, mut nan_negatives) = (0usize, 0usize);
    let mut pairs: Vec<(f32, bool)> = Vec::with_capacity(scores.len());
    for (&score, &label) in scores.iter().zip(labels) {
        match (score.is_nan(), label) {
            (true, true) => nan_positives += 1,
            (true, false) => nan_negatives += 1,
            (false, _) => pairs.push((score, label)),
        }
    }
    // Sort once; for each candidate, the scores at or below it are a prefix.
    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    // positives_below[k]: positives among the k lowest scores
    let mut positives_below = Vec::with_capacity(pairs.len() + 1);
    positives_below.push(0usize);
    for (k, &(_, label)) in pairs.iter().enumerate() {
        positives_below.push(positives_below[k] + usize::from(label));
    }
    let positives = positives_below[pairs.len()];

    let mut best: Option<(usize, f64, f32)> = None; // (correct, distance to 0.5, threshold)
    for t in candidate_thresholds() {
        let k = pairs.partition_point(|&(s, _)| !predicted_positive(s, t));
        let c = Confusion {
            tp: positives - positives_below[k],
            fp: (pairs.len() - k) - (positives - positives_below[k]),
            tn: k - positives_below[k] + nan_negatives,
            fn_: positives_below[k] + nan_positives,
        };
        let correct = c.correct();
        let distance = (f64::from(t) - 0.5).abs();
        let better = match best {
            None => true,
            Some((bc, bd, _)) => correct > bc || (correct == bc && distance < bd),
        };
        if better {
            best = Some((correct, distance, t));
        }
    }
    best.map_or(0.5, |(_, _, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Fixture {
        cases: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        labels: Vec<u8>,
        scores: Vec<f32>,
        best_threshold: f32,
    }

    #[test]
    fn candidates_as_in_the_protocol() {
        let c = candidate_thresholds();
        assert_eq!(c.len(), 105);
        assert_eq!(&c[..4], &[1e-5, 1e-4, 1e-3, 0.01]);
        assert_eq!(c[3 + 49], 0.5);
        assert_eq!(c[101], 0.99);
        assert_eq!(&c[102..], &[0.999, 0.9999, 0.99999]);
        assert!(c.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn matches_numpy_fixture() {
        let fixture: Fixture = crate::metrics::read_fixture("auroc_sklearn.json");
        for case in &fixture.cases {
            let labels: Vec<bool> = case.labels.iter().map(|&l| l == 1).collect();
            let got = best_threshold(&labels, &case.scores);
            assert_eq!(got, case.best_threshold, "{}", case.name);
        }
    }

    /// Direct definition: count every candidate from scratch.
    fn naive(labels: &[bool], scores: &[f32]) -> f32 {
        let mut best = (0usize, f64::INFINITY, 0.5f32);
        for t in candidate_thresholds() {
            let c = Confusion::count(labels, scores, t).correct();
            let d = (f64::from(t) - 0.5).abs();
            if c > best.0 || (c == best.0 && d < best.1) {
                best = (c, d, t);
            }
        }
        best.2
    }

    #[test]
    fn matches_naive_and_breaks_ties_towards_half() {
        // perfectly separable at any threshold in [0.3, 0.7): picks 0.5
        let labels = [false, false, true, true];
        assert_eq!(best_threshold(&labels, &[0.1, 0.3, 0.7, 0.9]), 0.5);
        // separable only for t in [0.65, 0.7): picks 0.65 (closest to 0.5)
        assert_eq!(best_threshold(&labels, &[0.1, 0.65, 0.7, 0.9]), 0.65);
        // a score equal to a candidate is negative at that candidate
        assert_eq!(best_threshold(&[false, true], &[0.8, 0.81]), 0.8);
        assert_eq!(best_threshold(&[], &[]), 0.5);

        let mut state = 99u32;
        let mut next = || {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            state >> 8
        };
        for _ in 0..20 {
            let n = (next() % 300) as usize;
            let labels: Vec<bool> = (0..n).map(|_| next() % 3 == 0).collect();
            let scores: Vec<f32> = labels
                .iter()
                .map(|&l| match next() % 50 {
                    0 => f32::NAN,
                    1 => -f32::NAN,
                    r => ((r % 100) as f32 / 100.0 + if l { 0.2 } else { 0.0 }).min(1.0),
                })
                .collect();
            assert_eq!(best_threshold(&labels, &scores), naive(&labels, &scores));
        }
    }
}
