//! The singing voice report's metrics on a resample of test songs: error,
//! precision, recall, specificity and F1 from the frame counts of each
//! song at the run's threshold, summed with the song weights
//! ([`WeightedConfusion`]), and AUROC over the median-filtered frame scores
//! with each frame weighted by its song's weight ([`RankedScores`]).

use super::ResampledMetrics;
use crate::metrics::{Confusion, RankedScores, WeightedConfusion};
use crate::unit_predictions::UnitPredictions;

/// Per-song counts and the frames ranked once.
pub struct SongMetrics {
    counts: Vec<Confusion>,
    ranked: RankedScores,
}

impl SongMetrics {
    /// From a run's test predictions (one output; threshold 0.5 if none stored).
    pub fn new(p: &UnitPredictions) -> Self {
        let threshold = p.thresholds.first().copied().flatten().unwrap_or(0.5);
        let counts = p
            .units
            .iter()
            .map(|u| {
                let labels: Vec<bool> = u.labels.iter().map(|&l| l != 0).collect();
                Confusion::count(&labels, &u.scores, threshold)
            })
            .collect();
        let pooled = p.pooled();
        SongMetrics {
            counts,
            ranked: RankedScores::new(
                &pooled.labels,
                &pooled.scores,
                &pooled.unit_of,
                p.unit_count(),
            ),
        }
    }
}

impl ResampledMetrics for SongMetrics {
    fn units(&self) -> usize {
        self.counts.len()
    }

    fn value(&self, name: &str, weights: &[f64]) -> Option<f64> {
        let c = || WeightedConfusion::sum(&self.counts, weights);
        match name {
            "error" => Some(c().error()),
            "precision" => Some(c().precision()),
            "recall" => Some(c().recall()),
            "specificity" => Some(c().specificity()),
            "f1" => Some(c().f1()),
            "auroc" => self.ranked.auroc(weights),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::binary_metrics;
    use crate::unit_predictions::UnitItems;

    fn song(name: &str, labels: &[u8], scores: &[f32]) -> UnitItems {
        UnitItems {
            name: name.into(),
            items: Vec::new(),
            labels: labels.to_vec(),
            scores: scores.to_vec(),
        }
    }

    fn predictions(units: Vec<UnitItems>) -> UnitPredictions {
        UnitPredictions {
            split: "test".into(),
            unit_kind: "song".into(),
            outputs: vec!["voice".into()],
            thresholds: vec![Some(0.5)],
            units,
        }
    }

    /// The report's figures of `p`'s frames pooled (the protocol's way).
    fn pooled_report(p: &UnitPredictions) -> BTreeMap<&'static str, f64> {
        let pooled = p.pooled();
        let m = binary_metrics(&pooled.labels, &pooled.scores, 0.5);
        let mut out = BTreeMap::from([
            ("error", m.error),
            ("precision", m.precision),
            ("recall", m.recall),
            ("specificity", m.specificity),
            ("f1", m.f1),
        ]);
        if let Some(a) = m.auroc {
            out.insert("auroc", a);
        }
        out
    }

    use std::collections::BTreeMap;

    #[test]
    fn every_song_once_gives_the_reports_figures_and_a_weight_repeats_a_song() {
        let songs = vec![
            song("a", &[1, 1, 0, 0, 1], &[0.9, 0.4, 0.6, 0.1, 0.8]),
            song("b", &[0, 0, 0], &[0.2, 0.55, 0.3]),
            song("c", &[1, 0, 1, 1], &[0.7, 0.7, 0.45, 0.5]),
        ];
        let p = predictions(songs.clone());
        let m = SongMetrics::new(&p);
        assert_eq!(m.units(), 3);
        for (name, want) in pooled_report(&p) {
            assert_eq!(m.value(name, &[1.0, 1.0, 1.0]), Some(want), "{name}");
        }
        // Song a twice, song b left out: the figures of those frames pooled.
        let drawn = predictions(vec![songs[0].clone(), songs[0].clone(), songs[2].clone()]);
        for (name, want) in pooled_report(&drawn) {
            let got = m.value(name, &[2.0, 0.0, 1.0]).unwrap();
            assert!((got - want).abs() < 1e-12, "{name}: {got} vs {want}");
        }
        // Only song b (no voice): AUROC is undefined, the threshold is not a test figure.
        assert_eq!(m.value("auroc", &[0.0, 1.0, 0.0]), None);
        assert_eq!(m.value("threshold", &[1.0, 1.0, 1.0]), None);
    }
}
