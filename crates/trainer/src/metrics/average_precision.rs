//! Average precision (the area under the precision–recall curve reported as
//! "PR-AUC" for music auto-tagging), exactly as
//! `sklearn.metrics.average_precision_score`:
//!
//! `AP = sum_n (R_n - R_{n-1}) P_n`
//!
//! over the distinct score values in descending order, where `P_n` and `R_n`
//! are the precision and recall of predicting positive every clip whose
//! score is at least the `n`-th distinct value, and `R_0 = 0`. Clips with
//! equal scores enter together (one step of the curve), as in sklearn's
//! `precision_recall_curve`; this is the step-wise sum, not the trapezoidal
//! rule, which is optimistic (sklearn's user guide, "Precision, recall and
//! F-measures"; Davis & Goadrich, ICML 2006).
//!
//! Checked against `tests/fixtures/tagging_metrics_sklearn.json`
//! (`make_tagging_metrics.py`).

use super::score_groups::score_groups;

/// Average precision of `scores` for binary `labels` (`true` = positive),
/// equal to `sklearn.metrics.average_precision_score`, or `None` when there
/// is no positive (sklearn warns and returns a meaningless value there).
/// Without a negative every precision is 1 and the result is 1, as in
/// sklearn. Equal scores are grouped into one step (ties are not broken).
///
/// `O(n log n)`. Scores are ordered by [`f32::total_cmp`] (a positive NaN
/// ranks above `+inf`; sklearn rejects NaN).
///
/// # Panics
///
/// If `labels` and `scores` differ in length (a programming error).
pub fn average_precision(labels: &[bool], scores: &[f32]) -> Option<f64> {
    let groups = score_groups(labels, scores);
    let positives = labels.iter().filter(|&&l| l).count();
    if positives == 0 {
        return None;
    }
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut sum = 0.0f64;
    for g in &groups {
        tp += g.positives;
        fp += g.negatives;
        if g.positives > 0 {
            // recall step (g.positives / P) times precision at this threshold
            sum += g.positives as f64 * (tp as f64 / (tp + fp) as f64);
        }
    }
    Some(sum / positives as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Fixture {
        binary: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        labels: Vec<u8>,
        scores: Vec<f32>,
        pr_auc: Option<f64>,
    }

    /// Fails if ties were broken instead of grouped: with every clip its own
    /// group in `score_groups` (mutation run by hand), `ties_2_decimals` gave
    /// 0.7510158 against sklearn's 0.7467096.
    #[test]
    fn matches_sklearn_fixture() {
        let fixture: Fixture = crate::metrics::read_fixture("tagging_metrics_sklearn.json");
        assert!(fixture.binary.len() >= 8);
        for case in &fixture.binary {
            let labels: Vec<bool> = case.labels.iter().map(|&l| l == 1).collect();
            let got = average_precision(&labels, &case.scores);
            match (got, case.pr_auc) {
                (Some(g), Some(e)) => {
                    assert!((g - e).abs() <= 1e-9, "{}: got {g}, sklearn {e}", case.name)
                }
                (g, e) => assert_eq!(g, e, "{}", case.name),
            }
        }
    }

    #[test]
    fn small_cases_by_hand() {
        // descending: 0.9 (+), 0.5 (+, -), 0.1 (-): steps 1/2 * 1 + 1/2 * 2/3
        let ap = average_precision(&[true, true, false, false], &[0.9, 0.5, 0.5, 0.1]);
        assert!((ap.unwrap() - (0.5 + 1.0 / 3.0)).abs() <= 1e-15);
        // all tied: one step to recall 1 at precision P / n
        assert_eq!(
            average_precision(&[true, false, false, false], &[0.3; 4]),
            Some(0.25)
        );
        assert_eq!(average_precision(&[true, true], &[0.1, 0.2]), Some(1.0));
        assert_eq!(average_precision(&[false, false], &[0.1, 0.2]), None);
        assert_eq!(average_precision(&[], &[]), None);
    }
}
