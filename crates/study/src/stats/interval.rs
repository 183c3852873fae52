//! The Student-t confidence interval of a mean:
//! `mean ± t_{(1 + level) / 2, n - 1} · sd / √n`, with `sd` the sample
//! standard deviation (`ddof = 1`) and `t_{q, ν}` the `q`-quantile of
//! Student's t distribution with `ν` degrees of freedom (statrs). This is
//! `scipy.stats.t.interval(level, n - 1, loc=mean, scale=sd / sqrt(n))`;
//! checked against it on `tests/fixtures/stats_scipy.json`
//! (`make_stats.py`).

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::spread::spread;

/// A mean and its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The sample mean.
    pub mean: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
    /// Number of values.
    pub n: usize,
}

/// The `level` (e.g. `0.95`) Student-t confidence interval of the mean of
/// `values`; `None` for fewer than two values, or a `level` outside `(0, 1)`
/// or not finite. Equal values give the zero-width interval `[mean, mean]`.
pub fn mean_interval(values: &[f64], level: f64) -> Option<Interval> {
    if !(level > 0.0 && level < 1.0) {
        return None;
    }
    let s = spread(values)?;
    let sd = s.sd?;
    let half_width = t_quantile((1.0 + level) / 2.0, (s.n - 1) as f64) * sd / (s.n as f64).sqrt();
    Some(Interval {
        mean: s.mean,
        low: s.mean - half_width,
        high: s.mean + half_width,
        n: s.n,
    })
}

/// The `q`-quantile of Student's t distribution with `df > 0` degrees of
/// freedom, `q` in `(0, 1)`.
pub(crate) fn t_quantile(q: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .expect("degrees of freedom are positive")
        .inverse_cdf(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Fixture {
        t_intervals: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        values: Vec<f64>,
        level: f64,
        mean: f64,
        low: f64,
        high: f64,
    }

    #[test]
    fn matches_scipy_t_interval() {
        let fixture: Fixture = super::super::read_fixture("stats_scipy.json");
        assert!(fixture.t_intervals.len() >= 7);
        for case in &fixture.t_intervals {
            let got = mean_interval(&case.values, case.level).unwrap();
            assert_eq!(got.n, case.values.len());
            let width = case.high - case.low;
            for (g, e) in [
                (got.mean, case.mean),
                (got.low, case.low),
                (got.high, case.high),
            ] {
                assert!(
                    (g - e).abs() <= 1e-12 * width.max(1.0),
                    "n = {}, level {}: got {g}, scipy {e}",
                    case.values.len(),
                    case.level
                );
            }
        }
    }

    #[test]
    fn analytic_cases() {
        // n = 2, df = 1: t_{0.975, 1} = tan(0.475 π) = 12.706204736174698;
        // values 0 and 2: mean 1, sd √2, sd / √2 = 1
        let got = mean_interval(&[0.0, 2.0], 0.95).unwrap();
        let t = (0.475 * std::f64::consts::PI).tan();
        assert!((got.high - (1.0 + t)).abs() < 1e-9, "{got:?}");
        assert!((got.low - (1.0 - t)).abs() < 1e-9, "{got:?}");
        // equal values: zero width
        let flat = mean_interval(&[0.25, 0.25, 0.25], 0.95).unwrap();
        assert_eq!((flat.low, flat.mean, flat.high), (0.25, 0.25, 0.25));
        assert_eq!(mean_interval(&[1.0], 0.95), None);
        assert_eq!(mean_interval(&[], 0.95), None);
        assert_eq!(mean_interval(&[1.0, 2.0], 1.0), None);
        assert_eq!(mean_interval(&[1.0, 2.0], f64::NAN), None);
    }
}
