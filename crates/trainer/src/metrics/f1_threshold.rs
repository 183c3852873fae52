//! Per-tag decision threshold that maximises F1 on the validation split, and
//! precision, recall and F1 at a given threshold on another split (the usual
//! protocol for reporting F1 of a music auto-tagger, e.g. Won et al.,
//! "Evaluation of CNN-based automatic music tagging models", SMC 2020).
//!
//! A clip is predicted positive when `score > threshold`, strictly, as in
//! [`super::binary_metrics`] (a NaN score is never positive). The
//! candidates are those of `sklearn.metrics.precision_recall_curve`: for
//! each distinct score `s`, predict positive every clip scoring `>= s`.
//! F1 = `2 tp / (2 tp + fp + fn)` is compared exactly (in integers); among
//! equal F1 the lowest `s` wins (the most clips predicted positive), which
//! is `np.argmax` over the curve's ascending thresholds. The chosen `s` is
//! then turned into a threshold for `>`: the midpoint, computed in `f64` and
//! rounded to `f32`, between `s` and the next lower distinct score (that
//! lower score itself when the midpoint rounds up to `s`), or the `f32` just
//! below `s` (`f32::next_down`) when `s` is the lowest score. Every such
//! threshold predicts exactly the clips scoring `>= s`.
//!
//! Undefined ratios are 0 as in sklearn's `zero_division=0`: precision when
//! nothing is predicted positive, recall and F1 when there is no positive.
//!
//! Checked against `tests/fixtures/tagging_metrics_sklearn.json`
//! (`make_tagging_metrics.py`: `precision_recall_curve`, `f1_score`,
//! `precision_score`, `recall_score`).

use serde::{Deserialize, Serialize};

use super::binary::Confusion;
use super::score_groups::score_groups;

/// The threshold (for `score > threshold`) that maximises F1 of `scores`
/// against `labels`, chosen as described in the module docs; `None` when the
/// labels hold only one class (or nothing), where a threshold says nothing,
/// or when every score is NaN. `O(n log n)`.
///
/// A candidate whose lowest score is `-inf` cannot be expressed with `>` and
/// is skipped.
///
/// # Panics
///
/// If `labels` and `scores` differ in length (a programming error).
pub fn best_f1_threshold(labels: &[bool], scores: &[f32]) -> Option<f32> {
    let positives = labels.iter().filter(|&&l| l).count();
    if positives == 0 || positives == labels.len() {
        return None;
    }
    // NaN scores are never predicted positive: they only count as false
    // negatives (through `positives`) or true negatives.
    let groups: Vec<_> = score_groups(labels, scores)
        .into_iter()
        .filter(|g| !g.score.is_nan())
        .collect();
    let p = positives as u128;

    // (index of the group, tp, fp) of the best candidate so far
    let mut best: Option<(usize, u128, u128)> = None;
    let (mut tp, mut fp) = (0u128, 0u128);
    for (k, g) in groups.iter().enumerate() {
        tp += g.positives as u128;
        fp += g.negatives as u128;
        if g.score == f32::NEG_INFINITY {
            continue;
        }
        // F1 = 2 tp / (tp + fp + P); a >= b  <=>  tp_a (tp_b + fp_b + P) >=
        // tp_b (tp_a + fp_a + P), and ">=" keeps the lower threshold on ties
        let better = match best {
            None => true,
            Some((_, btp, bfp)) => tp * (btp + bfp + p) >= btp * (tp + fp + p),
        };
        if better {
            best = Some((k, tp, fp));
        }
    }
    let (k, _, _) = best?;
    let s = groups[k].score;
    Some(match groups.get(k + 1) {
        None => s.next_down(),
        Some(lower) => {
            let mid = ((f64::from(lower.score) + f64::from(s)) / 2.0) as f32;
            if mid < s { mid } else { lower.score }
        }
    })
}

/// Precision, recall and F1 of `score > threshold`; ratios in `0..=1`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub struct PrecisionRecallF1 {
    /// `tp / (tp + fp)`, 0 when nothing is predicted positive
    pub precision: f64,
    /// `tp / (tp + fn)`, 0 when there is no positive
    pub recall: f64,
    /// `2 tp / (2 tp + fp + fn)`, 0 when `tp` is 0
    pub f1: f64,
}

/// `a / b`, or 0 when `b` is 0 (sklearn's `zero_division=0`).
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Precision, recall and F1 of predicting `score > threshold` against
/// `labels`, equal to sklearn's `precision_score`, `recall_score` and
/// `f1_score` with `zero_division=0`. `O(n)`.
///
/// # Panics
///
/// If `labels` and `scores` differ in length (a programming error).
pub fn precision_recall_f1(labels: &[bool], scores: &[f32], threshold: f32) -> PrecisionRecallF1 {
    let c = Confusion::count(labels, scores, threshold);
    PrecisionRecallF1 {
        precision: ratio(c.tp, c.tp + c.fp),
        recall: ratio(c.tp, c.tp + c.fn_),
        f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn_),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Fixture {
        binary: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        labels: Vec<u8>,
        scores: Vec<f32>,
        threshold: Option<f32>,
        sklearn_threshold: Option<f32>,
        precision: Option<f64>,
        recall: Option<f64>,
        f1: Option<f64>,
    }

    /// The threshold compares exactly. Fails if ties were broken instead of
    /// grouped: with every clip its own group in `score_groups` (mutation run
    /// by hand) `ties_2_decimals` gave 0.45 instead of 0.475, a threshold
    /// inside a group of equal scores. Fails too if equal F1 went to the
    /// higher threshold (`f1_tie`: 0.85 instead of 0.35).
    #[test]
    fn matches_sklearn_fixture() {
        let fixture: Fixture = crate::metrics::read_fixture("tagging_metrics_sklearn.json");
        assert!(fixture.binary.len() >= 8);
        for case in &fixture.binary {
            let name = &case.name;
            let labels: Vec<bool> = case.labels.iter().map(|&l| l == 1).collect();
            let got = best_f1_threshold(&labels, &case.scores);
            assert_eq!(got, case.threshold, "{name}");
            let Some(t) = got else {
                assert_eq!(case.f1, None, "{name}");
                continue;
            };
            // the same decision as sklearn's `score >= s`
            let s = case.sklearn_threshold.expect("threshold without sklearn's");
            for &x in &case.scores {
                assert_eq!(
                    x > t,
                    x >= s,
                    "{name}: score {x}, threshold {t}, sklearn {s}"
                );
            }
            let m = precision_recall_f1(&labels, &case.scores, t);
            let close = |a: f64, b: Option<f64>| (a - b.unwrap()).abs() <= 1e-12;
            assert!(close(m.precision, case.precision), "{name}: {m:?}");
            assert!(close(m.recall, case.recall), "{name}: {m:?}");
            assert!(close(m.f1, case.f1), "{name}: {m:?}");
        }
    }

    /// Direct definition: every distinct score `s` as a `>=` candidate,
    /// counted from scratch; returns the best `s`.
    fn naive_best(labels: &[bool], scores: &[f32]) -> Option<f32> {
        let mut distinct: Vec<f32> = scores.iter().copied().filter(|s| !s.is_nan()).collect();
        distinct.sort_unstable_by(f32::total_cmp);
        distinct.dedup_by(|a, b| a == b);
        let positives = labels.iter().filter(|&&l| l).count();
        let mut best: Option<(f64, f32)> = None;
        for &s in &distinct {
            let tp = (0..labels.len())
                .filter(|&i| labels[i] && scores[i] >= s)
                .count();
            let pred = scores.iter().filter(|&&x| x >= s).count();
            let f1 = 2.0 * tp as f64 / (pred + positives) as f64;
            // ascending candidates: only a strictly better one replaces
            if best.is_none_or(|(b, _)| f1 > b) {
                best = Some((f1, s));
            }
        }
        best.map(|(_, s)| s)
    }

    #[test]
    fn matches_naive_sweep_and_predicts_the_same_clips() {
        let mut state = 7u32;
        let mut next = || {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            state >> 8
        };
        for round in 0..40 {
            let n = 2 + (next() % 200) as usize;
            let labels: Vec<bool> = (0..n).map(|_| next() % 4 == 0).collect();
            let scores: Vec<f32> = labels
                .iter()
                .map(|&l| match next() % 40 {
                    0 => f32::NAN,
                    1 => -0.0,
                    r => ((r % 20) as f32 / 20.0 + if l { 0.15 } else { 0.0 }).min(1.0),
                })
                .collect();
            let got = best_f1_threshold(&labels, &scores);
            let positives = labels.iter().filter(|&&l| l).count();
            if positives == 0 || positives == n {
                assert_eq!(got, None, "round {round}");
                continue;
            }
            let s = naive_best(&labels, &scores).expect("a finite score");
            let t = got.expect("both classes");
            for &x in &scores {
                assert_eq!(x > t, x >= s, "round {round}: {x} vs t {t}, s {s}");
            }
        }
    }

    #[test]
    fn thresholds_by_hand() {
        // separable: midpoint between the highest negative and lowest positive
        let labels = [false, false, true, true];
        assert_eq!(best_f1_threshold(&labels, &[0.1, 0.3, 0.7, 0.9]), Some(0.5));
        // all tied: everything positive, just below the common score
        assert_eq!(
            best_f1_threshold(&[true, false], &[0.25, 0.25]),
            Some(0.25f32.next_down())
        );
        // adjacent floats: the midpoint rounds to one of them, use the lower
        let b = 0.5f32;
        let a = b.next_down();
        assert_eq!(best_f1_threshold(&[false, true], &[a, b]), Some(a));
        // one class only, or only NaN scores: no threshold
        assert_eq!(best_f1_threshold(&[true, true], &[0.1, 0.2]), None);
        assert_eq!(best_f1_threshold(&[false], &[0.1]), None);
        assert_eq!(best_f1_threshold(&[], &[]), None);
        assert_eq!(best_f1_threshold(&[true, false], &[f32::NAN; 2]), None);
        // a -inf lowest score cannot be predicted positive with `>`
        let t = best_f1_threshold(&[true, false, true], &[f32::NEG_INFINITY, 0.1, 0.2]);
        assert_eq!(t, Some(0.15));
    }

    #[test]
    fn ratios_at_a_threshold() {
        let labels = [true, true, false, false, true];
        let scores = [0.9, 0.5, 0.6, 0.1, 0.5];
        let m = precision_recall_f1(&labels, &scores, 0.5);
        // tp 1, fp 1, fn 2: a score equal to the threshold is negative
        assert_eq!(m.precision, 0.5);
        assert_eq!(m.recall, 1.0 / 3.0);
        assert_eq!(m.f1, 0.4);
        let none = precision_recall_f1(&labels, &scores, 1.0);
        assert_eq!((none.precision, none.recall, none.f1), (0.0, 0.0, 0.0));
    }
}
