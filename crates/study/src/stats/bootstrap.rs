//! The paired two-level bootstrap of a metric difference between two
//! variants trained with the same seeds (Efron & Tibshirani 1993, ch. 13,
//! percentile intervals; the two-level "cases" resampling of hierarchical
//! data: Davison & Hinkley 1997, section 3.8, resampling the top level and
//! the independent units below it).
//!
//! A run's test metric depends on two sources of chance: the seed (the
//! training run) and the test set. Items within one independent unit (the
//! frames of a song, the clips of a track) are not independent, so the test
//! set is resampled by unit: a bootstrap draw picks `S` of the `S` paired
//! seeds with replacement and `U` of the `U` units with replacement (each
//! unit entering with its multiplicity as a weight), and computes
//!
//! `d* = (1/S) Σ_{s in drawn seeds} [M_variant,s(w) - M_baseline,s(w)]`,
//!
//! the same unit weights `w` for every seed and both variants (that is the
//! pairing). The observed difference is the same with every weight 1 and
//! every seed once. Over `B` draws where the metric is defined:
//!
//! - the `level` interval is the percentile interval: the `(1 - level)/2`
//!   and `(1 + level)/2` quantiles of the `d*` with numpy's default linear
//!   interpolation (`np.percentile`: position `q (B - 1)` in the sorted
//!   values);
//! - the two-sided p-value of "no difference" is
//!   `p = min(1, 2 · min(#(d* ≤ 0) + 1, #(d* ≥ 0) + 1) / (B + 1))`: twice
//!   the smaller tail of the bootstrap distribution beyond zero, i.e. the
//!   smallest `α` whose `1 - α` percentile interval just reaches 0 (the
//!   test that inverts the interval reported beside it), with the `+1`
//!   counting the observed data as one of the resamples (Davison & Hinkley
//!   1997, eq. 4.11; North, Curtis & Sham 2002) so that a finite `B` never
//!   claims `p = 0`: the smallest p it can give is `2 / (B + 1)`.
//!
//! Draws where a metric is undefined for some drawn seed (say no positive
//! item has weight) are skipped and counted. Checked against the same
//! resamples evaluated in numpy and scikit-learn on
//! `tests/fixtures/stats_scipy.json` (`make_stats.py`).

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// One run's test-set metric as a function of how often each independent
/// unit (song, track) is drawn.
pub trait UnitMetric {
    /// Number of independent units of the test set.
    fn units(&self) -> usize;
    /// The metric with unit `u` weighted by `weights[u]` (`weights.len() ==
    /// units()`; all ones is the test set itself), or `None` where it is
    /// undefined under these weights.
    fn value(&self, weights: &[f64]) -> Option<f64>;
}

/// One bootstrap draw: seeds drawn with replacement (indices into the
/// paired seeds) and a multiplicity per unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Resample {
    /// Indices of the drawn seeds, as many as there are seeds.
    pub seeds: Vec<usize>,
    /// How often each unit was drawn; they sum to the number of units.
    pub unit_weights: Vec<f64>,
}

/// `count` resamples of `seeds` paired seeds and `units` units, drawn from
/// rand's `StdRng` (ChaCha12 in rand 0.10, the version pinned by
/// `Cargo.lock`) seeded with `rng_seed`: per resample first `seeds` seed
/// indices, then `units` unit indices, each uniform by `random_range`. The
/// same arguments give the same resamples. They are made one at a time as
/// the iterator is advanced, so memory holds one resample, never
/// `count × units` weights.
pub fn resamples(
    seeds: usize,
    units: usize,
    count: usize,
    rng_seed: u64,
) -> impl Iterator<Item = Resample> {
    let mut rng = StdRng::seed_from_u64(rng_seed);
    std::iter::repeat_with(move || {
        let drawn = (0..seeds).map(|_| rng.random_range(0..seeds)).collect();
        let mut unit_weights = vec![0.0; units];
        for _ in 0..units {
            unit_weights[rng.random_range(0..units)] += 1.0;
        }
        Resample {
            seeds: drawn,
            unit_weights,
        }
    })
    .take(count)
}

/// The bootstrap of a paired metric difference, variant minus baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedBootstrap {
    /// Mean over seeds of the difference on the test set itself.
    pub observed: f64,
    /// Lower end of the percentile interval.
    pub low: f64,
    /// Upper end of the percentile interval.
    pub high: f64,
    /// Two-sided p-value of "no difference" (formula in the module doc).
    pub p: f64,
    /// Number of resamples where the difference was defined (`B`).
    pub resamples: usize,
    /// Number of resamples skipped because a metric was undefined there.
    pub undefined: usize,
}

/// The paired bootstrap of `variant[s] - baseline[s]` over `resamples`,
/// with a `level` percentile interval (e.g. `0.95`).
///
/// `None` when there are no seeds, when `level` is not in `(0, 1)`, when a
/// metric is undefined on the test set itself, or when no resample is
/// defined. A resample with no seed drawn counts as undefined.
///
/// # Panics
///
/// If `variant` and `baseline` differ in number of seeds, if any metric
/// has a different number of units from the first, or if a resample has a
/// seed index out of range or a weight vector of another length: the caller
/// pairs the runs, so these are programming errors.
pub fn paired_bootstrap(
    variant: &[&dyn UnitMetric],
    baseline: &[&dyn UnitMetric],
    resamples: impl Iterator<Item = Resample>,
    level: f64,
) -> Option<PairedBootstrap> {
    assert_eq!(
        variant.len(),
        baseline.len(),
        "paired_bootstrap: {} variant seeds but {} baseline seeds",
        variant.len(),
        baseline.len()
    );
    let first = variant.first()?;
    if !(level > 0.0 && level < 1.0) {
        return None;
    }
    let units = first.units();
    for (s, metric) in variant.iter().chain(baseline).enumerate() {
        assert_eq!(
            metric.units(),
            units,
            "paired_bootstrap: metric {s} has another unit count"
        );
    }
    let seeds = variant.len();
    let difference = |s: usize, weights: &[f64]| -> Option<f64> {
        Some(variant[s].value(weights)? - baseline[s].value(weights)?)
    };

    let ones = vec![1.0; units];
    let mut observed = 0.0;
    for s in 0..seeds {
        observed += difference(s, &ones)?;
    }
    let observed = observed / seeds as f64;

    let mut differences = Vec::new();
    let mut undefined = 0;
    // per seed, its difference under the current weights, computed once
    // however often the seed is drawn
    let mut cache: Vec<Option<Option<f64>>> = vec![None; seeds];
    for resample in resamples {
        assert_eq!(
            resample.unit_weights.len(),
            units,
            "paired_bootstrap: a resample has {} unit weights for {units} units",
            resample.unit_weights.len()
        );
        cache.fill(None);
        let mut sum = 0.0;
        let mut defined = !resample.seeds.is_empty();
        for &s in &resample.seeds {
            let d = *cache[s].get_or_insert_with(|| difference(s, &resample.unit_weights));
            match d {
                Some(d) => sum += d,
                None => {
                    defined = false;
                    break;
                }
            }
        }
        if defined {
            differences.push(sum / resample.seeds.len() as f64);
        } else {
            undefined += 1;
        }
    }
    if differences.is_empty() {
        return None;
    }

    let b = differences.len();
    let at_or_below = differences.iter().filter(|&&d| d <= 0.0).count();
    let at_or_above = differences.iter().filter(|&&d| d >= 0.0).count();
    let p = (2.0 * (at_or_below.min(at_or_above) + 1) as f64 / (b + 1) as f64).min(1.0);
    differences.sort_by(f64::total_cmp);
    Some(PairedBootstrap {
        observed,
        low: percentile(&differences, (1.0 - level) / 2.0),
        high: percentile(&differences, (1.0 + level) / 2.0),
        p,
        resamples: b,
        undefined,
    })
}

/// The `q`-quantile (`0 ≤ q ≤ 1`) of non-empty `sorted` values with
/// numpy's default `method="linear"`: position `h = q (n - 1)`, linear
/// between the values at `floor(h)` and `floor(h) + 1`.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let h = q * (sorted.len() - 1) as f64;
    let below = (h.floor() as usize).min(sorted.len() - 1);
    let above = (below + 1).min(sorted.len() - 1);
    let t = h - below as f64;
    sorted[below] + t * (sorted[above] - sorted[below])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unweighted mean of per-unit values, weighted by the unit weights;
    /// undefined when every weight is zero.
    struct UnitMean(Vec<f64>);

    impl UnitMetric for UnitMean {
        fn units(&self) -> usize {
            self.0.len()
        }
        fn value(&self, weights: &[f64]) -> Option<f64> {
            let total: f64 = weights.iter().sum();
            (total > 0.0)
                .then(|| self.0.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total)
        }
    }

    #[test]
    fn resamples_are_seeded_and_well_formed() {
        let a: Vec<Resample> = resamples(5, 30, 50, 7).collect();
        assert_eq!(a.len(), 50);
        assert_eq!(a, resamples(5, 30, 50, 7).collect::<Vec<_>>());
        assert_ne!(a, resamples(5, 30, 50, 8).collect::<Vec<_>>());
        for r in &a {
            assert_eq!(r.seeds.len(), 5);
            assert!(r.seeds.iter().all(|&s| s < 5));
            assert_eq!(r.unit_weights.len(), 30);
            assert_eq!(r.unit_weights.iter().sum::<f64>(), 30.0);
        }
        // every seed and unit gets drawn at some point
        assert!((0..5).all(|s| a.iter().any(|r| r.seeds.contains(&s))));
        assert!((0..30).all(|u| a.iter().any(|r| r.unit_weights[u] > 0.0)));
        assert_eq!(resamples(0, 0, 2, 1).count(), 2);
    }

    #[test]
    fn percentile_is_numpys_linear() {
        // np.percentile([1, 2, 4, 8], [0, 25, 50, 90, 100]) = 1, 1.75, 3, 6.8, 8
        let x = [1.0, 2.0, 4.0, 8.0];
        let got: Vec<f64> = [0.0, 0.25, 0.5, 0.9, 1.0]
            .iter()
            .map(|&q| percentile(&x, q))
            .collect();
        assert_eq!(got[..3], [1.0, 1.75, 3.0]);
        assert!((got[3] - 6.8).abs() < 1e-15);
        assert_eq!(got[4], 8.0);
        assert_eq!(percentile(&[2.5], 0.975), 2.5);
    }

    #[test]
    fn a_constant_shift_is_recovered_exactly() {
        // variant = baseline + 0.25 in every unit: every d* is 0.25, p is
        // 2 * (0 + 1) / (B + 1)
        let base = [
            UnitMean(vec![0.1, 0.4, 0.3]),
            UnitMean(vec![0.5, 0.25, 0.0]),
        ];
        let shifted: Vec<UnitMean> = base
            .iter()
            .map(|m| UnitMean(m.0.iter().map(|v| v + 0.25).collect()))
            .collect();
        let v: Vec<&dyn UnitMetric> = shifted.iter().map(|m| m as &dyn UnitMetric).collect();
        let b: Vec<&dyn UnitMetric> = base.iter().map(|m| m as &dyn UnitMetric).collect();
        let got = paired_bootstrap(&v, &b, resamples(2, 3, 99, 1), 0.95).unwrap();
        assert_eq!((got.resamples, got.undefined), (99, 0));
        for x in [got.observed, got.low, got.high] {
            assert!((x - 0.25).abs() < 1e-15, "{got:?}");
        }
        assert_eq!(got.p, 0.02);
        // no difference at all: every d* is 0, p = 1
        let same = paired_bootstrap(&b, &b, resamples(2, 3, 99, 1), 0.95).unwrap();
        assert_eq!(
            (same.observed, same.low, same.high, same.p),
            (0.0, 0.0, 0.0, 1.0)
        );
    }

    #[test]
    fn undefined_resamples_are_counted_and_skipped() {
        let v = UnitMean(vec![1.0, 2.0]);
        let b = UnitMean(vec![0.0, 0.0]);
        let draws = vec![
            Resample {
                seeds: vec![0],
                unit_weights: vec![2.0, 0.0],
            },
            Resample {
                seeds: vec![0],
                unit_weights: vec![0.0, 0.0],
            },
            Resample {
                seeds: vec![0],
                unit_weights: vec![0.0, 2.0],
            },
            Resample {
                seeds: vec![],
                unit_weights: vec![1.0, 1.0],
            },
        ];
        let got = paired_bootstrap(&[&v], &[&b], draws.into_iter(), 0.5).unwrap();
        assert_eq!((got.observed, got.resamples, got.undefined), (1.5, 2, 2));
        // d* = 1 and 2; quantiles 0.25 and 0.75 of them
        assert_eq!((got.low, got.high), (1.25, 1.75));
        assert_eq!(got.p, 2.0 / 3.0);
        let none = vec![Resample {
            seeds: vec![0],
            unit_weights: vec![0.0, 0.0],
        }];
        assert_eq!(paired_bootstrap(&[&v], &[&b], none.into_iter(), 0.95), None);
        assert_eq!(
            paired_bootstrap(&[], &[], resamples(0, 2, 5, 1), 0.95),
            None
        );
        assert_eq!(
            paired_bootstrap(&[&v], &[&b], resamples(1, 2, 5, 1), 1.0),
            None
        );
    }

    #[test]
    #[should_panic(expected = "1 variant seeds but 2 baseline seeds")]
    fn unpaired_seeds_are_a_programming_error() {
        let m = UnitMean(vec![1.0]);
        paired_bootstrap(&[&m], &[&m, &m], resamples(1, 1, 1, 1), 0.95);
    }
}
