//! The tagging report's metrics on a resample of test tracks: per tag, the
//! ROC-AUC and PR-AUC of the clip scores with each clip weighted by its
//! track's weight ([`RankedScores`]) and the F1 at the tag's validation
//! threshold from weighted counts ([`WeightedConfusion`]); their macro
//! means over the tags with both classes in the resample (as the report
//! averages over the tags with both classes in the split), and the mean
//! binary cross-entropy over every clip and tag, weighted.

use super::ResampledMetrics;
use crate::metrics::{Confusion, RankedScores, WeightedConfusion, bce_term};
use crate::unit_predictions::UnitPredictions;

/// One tag's clips, ranked once, and its per-track counts.
struct TagColumn {
    ranked: RankedScores,
    /// Per track: counts at the validation threshold (`None` without one).
    counts: Option<Vec<Confusion>>,
    /// Per track: (positives, negatives).
    classes: Vec<(f64, f64)>,
}

/// Every tag's columns and the per-track cross-entropy sums.
pub struct TrackMetrics {
    tags: Vec<TagColumn>,
    /// Per track: (sum of BCE terms, number of terms).
    bce: Vec<(f64, f64)>,
}

impl TrackMetrics {
    /// From a run's test predictions.
    pub fn new(p: &UnitPredictions) -> Self {
        let n = p.outputs.len();
        let pooled = p.pooled();
        let tags = (0..n)
            .map(|j| {
                let labels: Vec<bool> = pooled.labels.iter().skip(j).step_by(n).copied().collect();
                let scores: Vec<f32> = pooled.scores.iter().skip(j).step_by(n).copied().collect();
                let per_track = |u: &crate::unit_predictions::UnitItems| {
                    let l: Vec<bool> = u
                        .labels
                        .iter()
                        .skip(j)
                        .step_by(n)
                        .map(|&x| x != 0)
                        .collect();
                    let s: Vec<f32> = u.scores.iter().skip(j).step_by(n).copied().collect();
                    (l, s)
                };
                TagColumn {
                    ranked: RankedScores::new(&labels, &scores, &pooled.unit_of, p.unit_count()),
                    counts: p.thresholds[j].map(|t| {
                        p.units
                            .iter()
                            .map(|u| {
                                let (l, s) = per_track(u);
                                Confusion::count(&l, &s, t)
                            })
                            .collect()
                    }),
                    classes: p
                        .units
                        .iter()
                        .map(|u| {
                            let pos = u
                                .labels
                                .iter()
                                .skip(j)
                                .step_by(n)
                                .filter(|&&x| x != 0)
                                .count();
                            let all = u.labels.len() / n;
                            (pos as f64, (all - pos) as f64)
                        })
                        .collect(),
                }
            })
            .collect();
        let bce = p
            .units
            .iter()
            .map(|u| {
                let sum: f64 = u
                    .labels
                    .iter()
                    .zip(&u.scores)
                    .map(|(&y, &s)| bce_term(y != 0, s))
                    .sum();
                (sum, u.labels.len() as f64)
            })
            .collect();
        TrackMetrics { tags, bce }
    }

    /// The mean of `f` over the tags with both classes under `weights`.
    fn macro_mean(&self, weights: &[f64], f: impl Fn(&TagColumn) -> Option<f64>) -> Option<f64> {
        let mut sum = 0.0;
        let mut count = 0usize;
        for tag in &self.tags {
            let (pos, neg) = tag
                .classes
                .iter()
                .zip(weights)
                .fold((0.0, 0.0), |(p, n), (&(tp, tn), &w)| {
                    (p + w * tp, n + w * tn)
                });
            if pos > 0.0
                && neg > 0.0
                && let Some(v) = f(tag)
            {
                sum += v;
                count += 1;
            }
        }
        (count > 0).then(|| sum / count as f64)
    }
}

impl ResampledMetrics for TrackMetrics {
    fn units(&self) -> usize {
        self.bce.len()
    }

    fn value(&self, name: &str, weights: &[f64]) -> Option<f64> {
        match name {
            "roc_auc" => self.macro_mean(weights, |t| t.ranked.auroc(weights)),
            "pr_auc" => self.macro_mean(weights, |t| t.ranked.average_precision(weights)),
            "f1" => self.macro_mean(weights, |t| {
                t.counts
                    .as_ref()
                    .map(|c| WeightedConfusion::sum(c, weights).f1())
            }),
            "loss" => {
                let (sum, count) = self
                    .bce
                    .iter()
                    .zip(weights)
                    .fold((0.0, 0.0), |(s, n), (&(bs, bn), &w)| {
                        (s + w * bs, n + w * bn)
                    });
                (count > 0.0).then(|| sum / count)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::tagging_metrics;
    use crate::unit_predictions::UnitItems;

    const TAGS: usize = 3;

    /// A track of clips, each `[labels; TAGS]` and `[scores; TAGS]`.
    fn track(name: &str, clips: &[([u8; TAGS], [f32; TAGS])]) -> UnitItems {
        UnitItems {
            name: name.into(),
            items: (0..clips.len()).map(|i| format!("{name}-{i}")).collect(),
            labels: clips.iter().flat_map(|c| c.0).collect(),
            scores: clips.iter().flat_map(|c| c.1).collect(),
        }
    }

    fn predictions(units: Vec<UnitItems>) -> UnitPredictions {
        UnitPredictions {
            split: "test".into(),
            unit_kind: "track".into(),
            outputs: vec!["rock".into(), "piano".into(), "voice".into()],
            thresholds: vec![Some(0.5), Some(0.3), None],
            units,
        }
    }

    /// (roc_auc, pr_auc, f1, loss) as the report computes them.
    fn report(p: &UnitPredictions) -> [Option<f64>; 4] {
        let pooled = p.pooled();
        let m = tagging_metrics(
            &p.outputs,
            &pooled.labels,
            &pooled.scores,
            Some(&p.thresholds),
        );
        let bce: f64 = pooled
            .labels
            .iter()
            .zip(&pooled.scores)
            .map(|(&y, &s)| bce_term(y, s))
            .sum::<f64>()
            / pooled.labels.len() as f64;
        [m.macro_roc_auc, m.macro_pr_auc, m.macro_f1, Some(bce)]
    }

    fn resampled(m: &TrackMetrics, w: &[f64]) -> [Option<f64>; 4] {
        ["roc_auc", "pr_auc", "f1", "loss"].map(|n| m.value(n, w))
    }

    fn close(a: [Option<f64>; 4], b: [Option<f64>; 4]) -> bool {
        a.iter().zip(&b).all(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-12,
            (None, None) => true,
            _ => false,
        })
    }

    #[test]
    fn every_track_once_gives_the_reports_figures_and_a_weight_repeats_a_track() {
        let tracks = vec![
            track(
                "t1",
                &[([1, 0, 1], [0.8, 0.2, 0.6]), ([1, 0, 0], [0.4, 0.5, 0.3])],
            ),
            track("t2", &[([0, 1, 0], [0.3, 0.9, 0.7])]),
            track(
                "t3",
                &[
                    ([0, 0, 1], [0.6, 0.1, 0.9]),
                    ([1, 1, 0], [0.7, 0.35, 0.2]),
                    ([0, 0, 0], [0.1, 0.3, 0.4]),
                ],
            ),
        ];
        let p = predictions(tracks.clone());
        let m = TrackMetrics::new(&p);
        assert_eq!(m.units(), 3);
        let all = resampled(&m, &[1.0, 1.0, 1.0]);
        assert!(close(all, report(&p)), "{all:?} vs {:?}", report(&p));
        // Track 3 twice, track 1 left out: its clips pooled twice.
        let drawn = predictions(vec![
            tracks[1].clone(),
            tracks[2].clone(),
            tracks[2].clone(),
        ]);
        let got = resampled(&m, &[0.0, 1.0, 2.0]);
        assert!(
            close(got, report(&drawn)),
            "{got:?} vs {:?}",
            report(&drawn)
        );
        // Track 2 alone has one class per tag: no tag qualifies, only the loss is defined.
        let alone = resampled(&m, &[0.0, 1.0, 0.0]);
        assert_eq!(&alone[..3], &[None, None, None]);
        assert!(alone[3].is_some());
    }
}
