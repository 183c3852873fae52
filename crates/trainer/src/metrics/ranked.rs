//! AUROC and average precision of one set of scores under many weightings
//! of its independent units (songs, tracks), for the paired bootstrap of
//! `cochlea compare`, which draws units with replacement and evaluates each
//! run's metric with every item weighted by its unit's multiplicity.
//!
//! The items are sorted by score once ([`RankedScores::new`], grouping equal
//! scores as [`super::score_groups`] does); each evaluation is then one
//! `O(n)` pass that sums the weights of the positive and negative items of
//! every group of tied scores:
//!
//! - AUROC = `Σ_g P_g (N_below_g + N_g / 2) / (P N)`, the weighted
//!   Mann–Whitney statistic with ties counting one half ([`super::auroc`]),
//!   which is the trapezoidal area under the weighted ROC curve of
//!   `sklearn.metrics.roc_auc_score(..., sample_weight=w)`;
//! - AP = `Σ_g (P_g / P) · TP_g / (TP_g + FP_g)`, with `TP_g`, `FP_g` the
//!   weights at or above group `g`: the step-wise sum of
//!   [`super::average_precision`] and of
//!   `sklearn.metrics.average_precision_score(..., sample_weight=w)`.
//!
//! Here `P_g`, `N_g` are the weights of group `g`'s positive and negative
//! items and `P`, `N` the totals. Items of zero weight drop out, as sklearn
//! drops zero-weight samples. With every weight 1 both equal the unweighted
//! functions exactly (the same integer sums in the same order). Checked
//! against scikit-learn on `tests/fixtures/ranked_metrics_sklearn.json`
//! (`tests/fixtures/make_stats.py`).

use super::score_groups::sorted_descending_groups;

/// Scores sorted once, evaluated many times under different unit weights
/// (bootstrap resamples).
#[derive(Debug, Clone)]
pub struct RankedScores {
    /// the unit of each item, in descending order of score
    unit: Vec<u32>,
    /// whether each item, in the same order, is positive
    positive: Vec<bool>,
    /// one past the last item of each group of equal scores
    group_ends: Vec<usize>,
    units: usize,
}

impl RankedScores {
    /// `unit[i]` is the independent unit (song, track) item `i` belongs to,
    /// `< units`. Scores are ordered by [`f32::total_cmp`] and grouped when
    /// equal, as in [`super::average_precision`].
    ///
    /// # Panics
    ///
    /// If `labels`, `scores` and `unit` differ in length or a unit is not
    /// below `units` (a programming error).
    pub fn new(labels: &[bool], scores: &[f32], unit: &[u32], units: usize) -> Self {
        assert!(
            labels.len() == scores.len() && labels.len() == unit.len(),
            "RankedScores: {} labels, {} scores, {} units",
            labels.len(),
            scores.len(),
            unit.len()
        );
        if let Some(&u) = unit.iter().find(|&&u| u as usize >= units) {
            panic!("RankedScores: unit {u} of {units} units");
        }
        let (order, group_ends) = sorted_descending_groups(scores);
        RankedScores {
            unit: order.iter().map(|&i| unit[i]).collect(),
            positive: order.iter().map(|&i| labels[i]).collect(),
            group_ends,
            units,
        }
    }

    /// Number of units.
    pub fn units(&self) -> usize {
        self.units
    }

    /// Each group's weighted positives and negatives, highest score first.
    fn weighted_groups<'a>(&'a self, weights: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
        assert_eq!(
            weights.len(),
            self.units,
            "RankedScores: {} weights for {} units",
            weights.len(),
            self.units
        );
        let starts = std::iter::once(0).chain(self.group_ends.iter().copied());
        starts.zip(&self.group_ends).map(move |(start, &end)| {
            let (mut pos, mut neg) = (0.0, 0.0);
            for (&u, &p) in self.unit[start..end].iter().zip(&self.positive[start..end]) {
                let w = weights[u as usize];
                if p {
                    pos += w;
                } else {
                    neg += w;
                }
            }
            (pos, neg)
        })
    }

    /// AUROC with item weight = `weights[unit of item]`; ties count one
    /// half; `None` if a class has zero weight.
    ///
    /// # Panics
    ///
    /// If `weights` does not have one entry per unit.
    pub fn auroc(&self, weights: &[f64]) -> Option<f64> {
        // twice the U statistic, from the lowest score up
        let groups: Vec<(f64, f64)> = self.weighted_groups(weights).collect();
        let (mut twice_u, mut negatives_below, mut positives) = (0.0, 0.0, 0.0);
        for &(pos, neg) in groups.iter().rev() {
            twice_u += pos * (2.0 * negatives_below + neg);
            negatives_below += neg;
            positives += pos;
        }
        let negatives = negatives_below;
        (positives > 0.0 && negatives > 0.0).then(|| twice_u / (2.0 * positives * negatives))
    }

    /// Average precision (sklearn's step definition, as
    /// [`super::average_precision`]) with the same weighting; `None` without
    /// positive weight.
    ///
    /// # Panics
    ///
    /// If `weights` does not have one entry per unit.
    pub fn average_precision(&self, weights: &[f64]) -> Option<f64> {
        let (mut tp, mut fp, mut sum) = (0.0, 0.0, 0.0);
        for (pos, neg) in self.weighted_groups(weights) {
            tp += pos;
            fp += neg;
            if pos > 0.0 {
                sum += pos * (tp / (tp + fp));
            }
        }
        (tp > 0.0).then(|| sum / tp)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{auroc, average_precision};
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
        unit: Vec<u32>,
        units: usize,
        weights: Vec<Vec<f64>>,
        auroc: Vec<Option<f64>>,
        average_precision: Vec<Option<f64>>,
    }

    fn assert_close(got: Option<f64>, expected: Option<f64>, what: &str) {
        match (got, expected) {
            (Some(g), Some(e)) => assert!((g - e).abs() <= 1e-12, "{what}: got {g}, sklearn {e}"),
            (g, e) => assert_eq!(g, e, "{what}"),
        }
    }

    #[test]
    fn matches_sklearn_sample_weights() {
        let fixture: Fixture = crate::metrics::read_fixture("ranked_metrics_sklearn.json");
        assert!(fixture.cases.len() >= 3);
        let mut undefined = 0;
        for case in &fixture.cases {
            let labels: Vec<bool> = case.labels.iter().map(|&l| l == 1).collect();
            let ranked = RankedScores::new(&labels, &case.scores, &case.unit, case.units);
            for (k, w) in case.weights.iter().enumerate() {
                let what = format!("{} weights {k}", case.name);
                assert_close(ranked.auroc(w), case.auroc[k], &format!("{what} auroc"));
                assert_close(
                    ranked.average_precision(w),
                    case.average_precision[k],
                    &format!("{what} ap"),
                );
                undefined += usize::from(case.auroc[k].is_none());
            }
        }
        // the fixture exercises the undefined cases too
        assert!(undefined >= 3);
    }

    #[test]
    fn unit_weights_equal_the_unweighted_metrics_exactly() {
        for fixture in ["auroc_sklearn.json", "ranked_metrics_sklearn.json"] {
            let cases: serde_json::Value = crate::metrics::read_fixture(fixture);
            for case in cases["cases"].as_array().unwrap() {
                let labels: Vec<bool> = case["labels"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l.as_u64() == Some(1))
                    .collect();
                let scores: Vec<f32> = case["scores"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_f64().unwrap() as f32)
                    .collect();
                // units of 7 consecutive items
                let unit: Vec<u32> = (0..labels.len() as u32).map(|i| i / 7).collect();
                let units = labels.len().div_ceil(7);
                let ranked = RankedScores::new(&labels, &scores, &unit, units);
                let ones = vec![1.0; units];
                assert_eq!(ranked.auroc(&ones), auroc(&labels, &scores), "{fixture}");
                assert_eq!(
                    ranked.average_precision(&ones),
                    average_precision(&labels, &scores)
                );
            }
        }
    }

    #[test]
    fn multiplicities_equal_repeated_items() {
        // weighting a unit by 2 is the same as listing its items twice
        let labels = [true, false, true, false, false, true];
        let scores = [0.9, 0.8, 0.5, 0.5, 0.1, 0.1];
        let unit = [0, 0, 1, 1, 2, 2];
        let ranked = RankedScores::new(&labels, &scores, &unit, 3);
        let w = [2.0, 0.0, 1.0];
        let repeated_labels = [true, false, true, false, false, true];
        let repeated_scores = [0.9, 0.8, 0.9, 0.8, 0.1, 0.1];
        assert_eq!(ranked.auroc(&w), auroc(&repeated_labels, &repeated_scores));
        assert_eq!(
            ranked.average_precision(&w),
            average_precision(&repeated_labels, &repeated_scores)
        );
        // by hand: positives 0.9 x2, 0.1; negatives 0.8 x2, 0.1:
        // U = 2 * 3 + 0 + 1/2 = 6.5 of 3 * 3
        assert_eq!(ranked.auroc(&w), Some(6.5 / 9.0));
        assert_eq!(ranked.auroc(&[0.0, 0.0, 0.0]), None);
        assert_eq!(ranked.auroc(&[1.0, 0.0, 0.0]), Some(1.0));
        assert_eq!(ranked.average_precision(&[0.0, 1.0, 0.0]), Some(0.5));
        assert_eq!(ranked.average_precision(&[0.0, 0.0, 0.0]), None);
    }
}
