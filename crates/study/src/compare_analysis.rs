//! The statistics of a comparison, from the runs' figures.
//!
//! Per variant and metric: the mean over seeds, the sample sd and the
//! Student-t confidence interval of the mean ([`stats::mean_interval`]).
//!
//! Per variant against the baseline, paired by seed (`d_s = variant_s −
//! baseline_s`):
//! - **primary**: the paired bootstrap of the mean difference
//!   ([`stats::paired_bootstrap`]) that resamples the seeds and the test
//!   set's independent units (songs, tracks) together, recomputing each
//!   metric on the resampled units from the predictions
//!   ([`cochlea_trainer::tasks::ResampledMetrics`]): its percentile interval
//!   of the difference and its two-sided p-value;
//! - alongside, over seeds only: the paired t-test ([`stats::paired_t`]) and
//!   the exact Wilcoxon signed-rank test ([`stats::wilcoxon_exact`]) on the
//!   `d_s`, and Cohen's `d_z = mean(d) / sd(d)`;
//! - Holm's correction ([`stats::holm`]) of each test's p-values over the
//!   family of all variant-vs-baseline comparisons of one metric on one test
//!   set.

use crate::compare::Comparison;
use crate::compare_runs::{RunFigures, SetFigures};
use crate::stats::{
    self, Interval, PairedBootstrap, PairedT, UnitMetric, Wilcoxon, mean_interval,
    paired_bootstrap, paired_t, resamples, wilcoxon_exact,
};
use cochlea_frontend::bounds::AtBound;
use cochlea_trainer::tasks::ResampledMetrics;

/// One test set's name in tables: `test`, or the transfer set's name.
#[derive(Debug, Clone, PartialEq)]
pub struct TestSetInfo {
    /// `test` or the transfer set's name.
    pub name: String,
    /// What one unit is.
    pub unit_kind: String,
    /// Number of units.
    pub units: usize,
}

/// One variant's figures for one metric on one test set.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantMetric {
    /// Index of the variant.
    pub variant: usize,
    /// Index of the test set.
    pub set: usize,
    /// The metric.
    pub metric: String,
    /// Its value per seed (`None` where a run's report leaves it out).
    pub values: Vec<Option<f64>>,
    /// Mean and confidence interval over the seeds that have it.
    pub interval: Option<Interval>,
    /// Sample sd over seeds.
    pub sd: Option<f64>,
}

/// One variant against the baseline for one metric on one test set.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedComparison {
    /// Index of the variant.
    pub variant: usize,
    /// Index of the test set.
    pub set: usize,
    /// The metric.
    pub metric: String,
    /// Per-seed differences, variant minus baseline, over the seeds where
    /// both runs have the metric.
    pub differences: Vec<f64>,
    /// The paired bootstrap over seeds and units.
    pub bootstrap: Option<PairedBootstrap>,
    /// Its p-value after Holm's correction.
    pub bootstrap_holm: Option<f64>,
    /// The paired t-test over seeds.
    pub t_test: Option<PairedT>,
    /// Its p-value after Holm's correction.
    pub t_holm: Option<f64>,
    /// The exact Wilcoxon signed-rank test over seeds.
    pub wilcoxon: Option<Wilcoxon>,
    /// Its p-value after Holm's correction.
    pub wilcoxon_holm: Option<f64>,
}

/// The statistics of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The test sets: `test`, then the transfer set if any.
    pub sets: Vec<TestSetInfo>,
    /// Per variant, metric and set.
    pub variants: Vec<VariantMetric>,
    /// Per non-baseline variant, metric and set.
    pub pairs: Vec<PairedComparison>,
    /// Mean training seconds per variant (over seeds).
    pub train_seconds: Vec<Option<Interval>>,
    /// Per variant, per seed: the learned parameters on a constraint bound.
    pub at_bounds: Vec<Vec<Vec<AtBound>>>,
    /// Per variant: the seed numbers (indices) whose training diverged.
    pub diverged: Vec<Vec<usize>>,
}

/// One run's metric as a [`UnitMetric`].
struct MetricOf<'a> {
    run: &'a dyn ResampledMetrics,
    name: &'a str,
}

impl UnitMetric for MetricOf<'_> {
    fn units(&self) -> usize {
        self.run.units()
    }
    fn value(&self, weights: &[f64]) -> Option<f64> {
        self.run.value(self.name, weights)
    }
}

fn metric_of<'a>(figures: &'a SetFigures, name: &'a str) -> MetricOf<'a> {
    MetricOf {
        run: figures.resampled.as_ref(),
        name,
    }
}

fn as_dyn<'a>(runs: &'a [MetricOf<'a>]) -> Vec<&'a dyn UnitMetric> {
    runs.iter().map(|r| r as &dyn UnitMetric).collect()
}

/// Analyses `runs` (in grid order: seeds × variants) of `comparison`. A
/// pair uses the seeds where both the variant's and the baseline's runs
/// have figures (a diverged run has none).
pub fn analyse(comparison: &Comparison, runs: &[RunFigures]) -> Analysis {
    let c = &comparison.config;
    let variants = comparison.variants();
    let seeds = c.seeds.len();
    let run = |s: usize, v: usize| &runs[comparison.point(s, v)];
    let first = runs.iter().find(|r| r.test.is_some());
    let mut sets = Vec::new();
    if let Some(test) = first.and_then(|r| r.test.as_ref()) {
        sets.push(info("test", test));
    }
    if let (Some(t), Some(transfer)) = (&c.transfer, first.and_then(|r| r.transfer.as_ref())) {
        sets.push(info(&t.name, transfer));
    }
    let mut out_variants = Vec::new();
    let mut pairs = Vec::new();
    for set in 0..sets.len() {
        for metric in &comparison.metrics {
            for v in 0..variants {
                let values: Vec<Option<f64>> = (0..seeds)
                    .map(|s| set_of(run(s, v), set).and_then(|f| f.metrics.get(metric).copied()))
                    .collect();
                let present: Vec<f64> = values.iter().flatten().copied().collect();
                out_variants.push(VariantMetric {
                    variant: v,
                    set,
                    metric: metric.clone(),
                    interval: mean_interval(&present, c.confidence),
                    sd: stats::spread(&present).and_then(|s| s.sd),
                    values,
                });
            }
            let mut family = Vec::new();
            for v in (0..variants).filter(|&v| v != c.baseline) {
                // The seeds where both runs have the metric.
                let paired: Vec<(&SetFigures, &SetFigures)> = (0..seeds)
                    .filter_map(|s| {
                        let a = set_of(run(s, v), set)?;
                        let b = set_of(run(s, c.baseline), set)?;
                        (a.metrics.contains_key(metric) && b.metrics.contains_key(metric))
                            .then_some((a, b))
                    })
                    .collect();
                let differences: Vec<f64> = paired
                    .iter()
                    .map(|(a, b)| a.metrics[metric] - b.metrics[metric])
                    .collect();
                let variant_runs: Vec<MetricOf<'_>> =
                    paired.iter().map(|p| metric_of(p.0, metric)).collect();
                let baseline_runs: Vec<MetricOf<'_>> =
                    paired.iter().map(|p| metric_of(p.1, metric)).collect();
                let bootstrap = match variant_runs.first() {
                    Some(first) => paired_bootstrap(
                        &as_dyn(&variant_runs),
                        &as_dyn(&baseline_runs),
                        resamples(paired.len(), first.units(), c.resamples, c.bootstrap_seed),
                        c.confidence,
                    ),
                    None => None,
                };
                family.push(PairedComparison {
                    variant: v,
                    set,
                    metric: metric.clone(),
                    bootstrap,
                    bootstrap_holm: None,
                    t_test: paired_t(&differences),
                    t_holm: None,
                    wilcoxon: wilcoxon_exact(&differences),
                    wilcoxon_holm: None,
                    differences,
                });
            }
            adjust(&mut family);
            pairs.extend(family);
        }
    }
    let train_seconds = (0..variants)
        .map(|v| {
            let secs: Vec<f64> = (0..seeds).map(|s| run(s, v).train_seconds).collect();
            mean_interval(&secs, c.confidence)
        })
        .collect();
    let at_bounds = (0..variants)
        .map(|v| (0..seeds).map(|s| run(s, v).at_bounds.clone()).collect())
        .collect();
    let diverged = (0..variants)
        .map(|v| (0..seeds).filter(|&s| run(s, v).test.is_none()).collect())
        .collect();
    Analysis {
        sets,
        variants: out_variants,
        pairs,
        train_seconds,
        at_bounds,
        diverged,
    }
}

/// A run's figures on test set `set` (0: the test split, 1: the transfer
/// set); `None` for a diverged run.
fn set_of(run: &RunFigures, set: usize) -> Option<&SetFigures> {
    if set == 0 {
        run.test.as_ref()
    } else {
        run.transfer.as_ref()
    }
}

fn info(name: &str, figures: &SetFigures) -> TestSetInfo {
    TestSetInfo {
        name: name.to_string(),
        unit_kind: figures.unit_kind.clone(),
        units: figures.units,
    }
}

/// Holm's correction of each test's p-values over one family.
fn adjust(family: &mut [PairedComparison]) {
    type Get = fn(&PairedComparison) -> Option<f64>;
    type Set = fn(&mut PairedComparison, f64);
    let tests: [(Get, Set); 3] = [
        (
            |p| p.bootstrap.map(|b| b.p),
            |p, v| p.bootstrap_holm = Some(v),
        ),
        (|p| p.t_test.map(|t| t.p), |p, v| p.t_holm = Some(v)),
        (
            |p| p.wilcoxon.map(|w| w.p),
            |p, v| p.wilcoxon_holm = Some(v),
        ),
    ];
    for (get, set) in tests {
        let present: Vec<usize> = (0..family.len())
            .filter(|&i| get(&family[i]).is_some())
            .collect();
        let p: Vec<f64> = present
            .iter()
            .map(|&i| get(&family[i]).unwrap_or(1.0))
            .collect();
        for (&i, adjusted) in present.iter().zip(stats::holm(&p)) {
            set(&mut family[i], adjusted);
        }
    }
}

impl Analysis {
    /// The figures of `variant` for `metric` on `set`.
    pub fn variant(&self, variant: usize, set: usize, metric: &str) -> Option<&VariantMetric> {
        self.variants
            .iter()
            .find(|m| m.variant == variant && m.set == set && m.metric == metric)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A run whose error is the same on every resample.
    struct Fixed(f64);

    impl ResampledMetrics for Fixed {
        fn units(&self) -> usize {
            10
        }
        fn value(&self, name: &str, _weights: &[f64]) -> Option<f64> {
            (name == "error").then_some(self.0)
        }
    }

    fn run(error: f64) -> RunFigures {
        RunFigures {
            test: Some(SetFigures {
                metrics: BTreeMap::from([("error".to_string(), error)]),
                resampled: Box::new(Fixed(error)),
                unit_kind: "song".into(),
                units: 10,
            }),
            transfer: None,
            train_seconds: 2.0,
            at_bounds: Vec::new(),
        }
    }

    #[test]
    fn pairs_are_tested_by_seed_and_corrected_over_the_variants() {
        let text = "[data]\nroot = \"d\"\n[compare]\nseeds = 4\nmetrics = [\"error\"]\n\
                    resamples = 300\n[compare.variants]\n\"train.epochs\" = [1, 2, 3]\n";
        let c = Comparison::parse(text, &[], "exp.toml").unwrap();
        // Per seed: baseline, variant 1 (worse by about 0.02), variant 2 (about equal).
        let errors = [
            [0.10, 0.12, 0.101],
            [0.11, 0.135, 0.108],
            [0.09, 0.108, 0.092],
            [0.12, 0.139, 0.119],
        ];
        let runs: Vec<RunFigures> = errors.iter().flatten().map(|&e| run(e)).collect();
        let a = analyse(&c, &runs);
        assert_eq!(a.pairs.len(), 2);
        let diffs = |v: usize| -> Vec<f64> { errors.iter().map(|r| r[v] - r[0]).collect() };
        for (pair, v) in a.pairs.iter().zip([1, 2]) {
            assert_eq!(pair.variant, v);
            assert_eq!(pair.differences, diffs(v));
            let t = paired_t(&diffs(v)).unwrap();
            assert_eq!(pair.t_test.unwrap().p, t.p);
            let boot = pair.bootstrap.unwrap();
            let mean = diffs(v).iter().sum::<f64>() / 4.0;
            assert!((boot.observed - mean).abs() < 1e-15);
            // Units do not matter to a fixed metric: the interval spans seed resamples only.
            let (lo, hi) = diffs(v)
                .iter()
                .fold((f64::MAX, f64::MIN), |(l, h), &d| (l.min(d), h.max(d)));
            assert!(boot.low >= lo - 1e-15 && boot.high <= hi + 1e-15);
        }
        let holm = stats::holm(&[a.pairs[0].t_test.unwrap().p, a.pairs[1].t_test.unwrap().p]);
        assert_eq!(
            [a.pairs[0].t_holm.unwrap(), a.pairs[1].t_holm.unwrap()],
            [holm[0], holm[1]]
        );
        // Variant 1 is worse on every seed: the smallest exact two-sided p for 4 pairs.
        assert_eq!(a.pairs[0].wilcoxon.unwrap().p, 0.125);
        let v1 = a.variant(1, 0, "error").unwrap();
        assert_eq!(v1.values.len(), 4);
        assert_eq!(a.train_seconds[0].unwrap().mean, 2.0);
        assert_eq!(a.diverged, [Vec::<usize>::new(), Vec::new(), Vec::new()]);

        // Variant 2 diverged with the third seed: its pair uses the other three.
        let mut runs = runs;
        runs[c.point(2, 2)].test = None;
        let a = analyse(&c, &runs);
        assert_eq!(a.diverged[2], [2]);
        let pair = &a.pairs[1];
        let kept: Vec<f64> = [0, 1, 3]
            .iter()
            .map(|&s| errors[s][2] - errors[s][0])
            .collect();
        assert_eq!(pair.differences, kept);
        assert_eq!(pair.wilcoxon.unwrap().n + pair.t_test.unwrap().n, 3 + 3);
        assert_eq!(a.variant(2, 0, "error").unwrap().values[2], None);
    }
}
