//! The statistics of a study: descriptive ([`spread`]), a Student-t
//! confidence interval of a mean ([`interval`]), and the paired tests of
//! `cochlea compare`: over seeds the paired t-test ([`paired_t`]) and the
//! exact Wilcoxon signed-rank test ([`wilcoxon`]); over seeds and the test
//! set's independent units together the paired bootstrap of a metric
//! difference ([`bootstrap`]); and Holm's correction of a family of p-values
//! ([`holm`]).
//!
//! Checked against scipy, statsmodels and numpy/scikit-learn on
//! `tests/fixtures/stats_scipy.json` (`tests/fixtures/make_stats.py`).

pub mod bootstrap;
pub mod holm;
pub mod interval;
pub mod paired_t;
pub mod spread;
pub mod wilcoxon;

pub use bootstrap::{PairedBootstrap, Resample, UnitMetric, paired_bootstrap, resamples};
pub use holm::holm;
pub use interval::{Interval, mean_interval};
pub use paired_t::{PairedT, paired_t};
pub use spread::{Spread, spread};
pub use wilcoxon::{MAX_EXACT_PAIRS, Wilcoxon, minimum_p, wilcoxon_exact};

/// Reads a JSON fixture from `tests/fixtures/` at the workspace root.
#[cfg(test)]
pub(crate) fn read_fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read fixture {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse fixture {path}: {e}"))
}

#[cfg(test)]
mod bootstrap_fixture;
