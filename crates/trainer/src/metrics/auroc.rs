//! Area under the ROC curve of frame-wise scores, reported for singing voice
//! detection by Schlüter & Grill (ISMIR 2015, f0k/ismir2015 `eval.py`).
//!
//! Computed exactly, as the Mann–Whitney U statistic divided by
//! `positives * negatives`: the probability that a random positive frame
//! scores higher than a random negative one, with ties counting one half.
//! This is the same number as `sklearn.metrics.roc_auc_score` (trapezoids
//! over every distinct score) and as the mid-rank formula
//! `(R_pos - P (P + 1) / 2) / (P N)`. (f0k/ismir2015 approximates it by
//! trapezoids over the 105 candidate thresholds only; the exact value is
//! independent of any threshold grid.)
//!
//! Checked against `tests/fixtures/auroc_sklearn.json` (`make_auroc.py`).

/// AUROC of `scores` for binary `labels` (`true` = positive), or `None` when
/// the labels hold only one class (or nothing), where it is undefined.
///
/// Ties between a positive and a negative count one half, so all-equal
/// scores give 0.5. `O(n log n)`; the counting is exact in integers, the
/// only rounding is the final division. Scores are ordered by
/// [`f32::total_cmp`] (a positive NaN ranks above `+inf`).
///
/// # Panics
///
/// If `labels` and `scores` differ in length (a programming error).
pub fn auroc(labels: &[bool], scores: &[f32]) -> Option<f64> {
    assert_eq!(
        labels.len(),
        scores.len(),
        "auroc: {} labels but {} scores",
        labels.len(),
        scores.len()
    );
    let positives = labels.iter().filter(|&&l| l).count() as u128;
    let negatives = labels.len() as u128 - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }

    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[a].total_cmp(&scores[b]));

    // twice the U statistic: each (positive, negative) pair contributes 2 if
    // the positive scores higher, 1 if tied
    let mut twice_u: u128 = 0;
    let mut negatives_below: u128 = 0;
    let mut start = 0;
    while start < order.len() {
        let value = scores[order[start]];
        let mut end = start;
        let (mut pos, mut neg) = (0u128, 0u128);
        while end < order.len() && scores[order[end]].total_cmp(&value).is_eq() {
            if labels[order[end]] {
                pos += 1;
            } else {
                neg += 1;
            }
            end += 1;
        }
        twice_u += pos * (2 * negatives_below + neg);
        negatives_below += neg;
        start = end;
    }
    Some(twice_u as f64 / (2 * positives * negatives) as f64)
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
        auroc: f64,
    }

    #[test]
    fn matches_sklearn_fixture() {
        let fixture: Fixture = crate::metrics::read_fixture("auroc_sklearn.json");
        assert!(fixture.cases.len() >= 5);
        for case in &fixture.cases {
            let labels: Vec<bool> = case.labels.iter().map(|&l| l == 1).collect();
            let got = auroc(&labels, &case.scores).expect("both classes present");
            assert!(
                (got - case.auroc).abs() <= 1e-9,
                "{}: got {got}, sklearn {}",
                case.name,
                case.auroc
            );
        }
    }

    #[test]
    fn small_cases_by_hand() {
        // positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4) (0.8>0.1)
        // (0.4=0.4 -> 1/2) (0.4>0.1) -> 3.5 / 4
        let got = auroc(&[true, true, false, false], &[0.8, 0.4, 0.4, 0.1]);
        assert_eq!(got, Some(0.875));
        assert_eq!(auroc(&[true, false], &[0.2, 0.2]), Some(0.5));
        assert_eq!(auroc(&[true, false], &[0.1, 0.2]), Some(0.0));
        assert_eq!(auroc(&[true, true], &[0.1, 0.2]), None);
        assert_eq!(auroc(&[false], &[0.1]), None);
        assert_eq!(auroc(&[], &[]), None);
    }
}
