//! The paired bootstrap against `tests/fixtures/stats_scipy.json`
//! (`make_stats.py`): the resamples drawn there in numpy, each run's AUROC
//! and average precision under unit weights by scikit-learn, and the
//! interval and p-value computed from them in numpy.

use cochlea_trainer::metrics::RankedScores;
use serde::Deserialize;

use super::bootstrap::{Resample, UnitMetric, paired_bootstrap};

#[derive(Deserialize)]
struct Fixture {
    bootstrap: Problem,
}

#[derive(Deserialize)]
struct Problem {
    labels: Vec<u8>,
    unit: Vec<u32>,
    units: usize,
    variant: Vec<Vec<f32>>,
    baseline: Vec<Vec<f32>>,
    resamples: Vec<Drawn>,
    level: f64,
    metrics: Metrics,
}

#[derive(Deserialize)]
struct Drawn {
    seeds: Vec<usize>,
    units: Vec<usize>,
}

#[derive(Deserialize)]
struct Metrics {
    auroc: Expected,
    average_precision: Expected,
}

#[derive(Deserialize)]
struct Expected {
    observed: f64,
    low: f64,
    high: f64,
    p: f64,
    resamples: usize,
    undefined: usize,
}

/// One run's scores with the metric the bootstrap evaluates.
struct Run {
    scores: RankedScores,
    average_precision: bool,
}

impl UnitMetric for Run {
    fn units(&self) -> usize {
        self.scores.units()
    }
    fn value(&self, weights: &[f64]) -> Option<f64> {
        if self.average_precision {
            self.scores.average_precision(weights)
        } else {
            self.scores.auroc(weights)
        }
    }
}

#[test]
fn matches_the_numpy_bootstrap_on_the_same_resamples() {
    let fixture: Fixture = super::read_fixture("stats_scipy.json");
    let problem = &fixture.bootstrap;
    let labels: Vec<bool> = problem.labels.iter().map(|&l| l == 1).collect();
    let runs = |scores: &[Vec<f32>], average_precision: bool| -> Vec<Run> {
        scores
            .iter()
            .map(|s| Run {
                scores: RankedScores::new(&labels, s, &problem.unit, problem.units),
                average_precision,
            })
            .collect()
    };
    let resamples = || {
        problem.resamples.iter().map(|r| {
            let mut unit_weights = vec![0.0; problem.units];
            for &u in &r.units {
                unit_weights[u] += 1.0;
            }
            Resample {
                seeds: r.seeds.clone(),
                unit_weights,
            }
        })
    };
    for (name, average_precision, expected) in [
        ("auroc", false, &problem.metrics.auroc),
        (
            "average_precision",
            true,
            &problem.metrics.average_precision,
        ),
    ] {
        let variant = runs(&problem.variant, average_precision);
        let baseline = runs(&problem.baseline, average_precision);
        let v: Vec<&dyn UnitMetric> = variant.iter().map(|r| r as &dyn UnitMetric).collect();
        let b: Vec<&dyn UnitMetric> = baseline.iter().map(|r| r as &dyn UnitMetric).collect();
        let got = paired_bootstrap(&v, &b, resamples(), problem.level).unwrap();
        assert_eq!(
            (got.resamples, got.undefined),
            (expected.resamples, expected.undefined),
            "{name}"
        );
        assert!(
            expected.undefined > 0 && expected.p < 0.5,
            "{name}: the fixture tests little"
        );
        for (what, g, e) in [
            ("observed", got.observed, expected.observed),
            ("low", got.low, expected.low),
            ("high", got.high, expected.high),
            ("p", got.p, expected.p),
        ] {
            assert!((g - e).abs() <= 1e-12, "{name} {what}: got {g}, numpy {e}");
        }
    }
}
