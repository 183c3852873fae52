//! The paired t-test on per-seed differences `d_s = variant_s - baseline_s`
//! (Student 1908; as `scipy.stats.ttest_rel(a, b)`):
//! `t = mean(d) / (sd(d) / √n)` with `n - 1` degrees of freedom, the
//! two-sided `p = 2 · P(T_{n-1} ≥ |t|)`, the 95 % Student-t interval of the
//! mean difference ([`super::interval`]), and Cohen's `d_z = mean(d) /
//! sd(d)`, the standardised mean difference of paired data (Cohen 1988,
//! eq. 2.3.5; Lakens 2013, "Calculating and reporting effect sizes",
//! eq. 6). `sd` is the sample standard deviation (`ddof = 1`).
//!
//! Checked against `ttest_rel` and its `confidence_interval()` on
//! `tests/fixtures/stats_scipy.json` (`make_stats.py`).

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::interval::{Interval, mean_interval};
use super::spread::spread;

/// The paired t-test of some differences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedT {
    /// Number of pairs.
    pub n: usize,
    /// Mean difference.
    pub mean: f64,
    /// Sample standard deviation of the differences.
    pub sd: f64,
    /// The t statistic `mean / (sd / √n)`.
    pub t: f64,
    /// Degrees of freedom, `n - 1`.
    pub df: usize,
    /// Two-sided p-value.
    pub p: f64,
    /// 95 % confidence interval of the mean difference.
    pub interval: Interval,
    /// Cohen's `d_z = mean / sd`.
    pub cohens_dz: f64,
}

/// The paired t-test of `differences` (variant minus baseline, one per
/// seed); `None` for fewer than two.
///
/// When every difference is equal (`sd = 0`) the test degenerates, and the
/// numbers follow scipy's `ttest_rel`: a non-zero mean gives `t` and
/// `cohens_dz` of `±inf` and `p = 0`; a zero mean (all differences zero)
/// gives `t`, `cohens_dz` and `p` of NaN (no evidence either way, and no
/// test). The interval is `[mean, mean]` in both cases. (Differences that
/// are equal in decimal but not in binary, such as `0.3 - 0.2` and
/// `0.2 - 0.1`, have a tiny non-zero `sd` and a huge, finite `t`.)
pub fn paired_t(differences: &[f64]) -> Option<PairedT> {
    let s = spread(differences)?;
    let sd = s.sd?;
    let interval = mean_interval(differences, 0.95)?;
    let n = s.n;
    let df = n - 1;
    let cohens_dz = s.mean / sd;
    let t = cohens_dz * (n as f64).sqrt();
    let p = if t.is_nan() {
        f64::NAN
    } else if t.is_infinite() {
        0.0
    } else {
        let distribution = StudentsT::new(0.0, 1.0, df as f64).expect("df >= 1");
        (2.0 * distribution.sf(t.abs())).min(1.0)
    };
    Some(PairedT {
        n,
        mean: s.mean,
        sd,
        t,
        df,
        p,
        interval,
        cohens_dz,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Fixture {
        ttest_rel: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        a: Vec<f64>,
        b: Vec<f64>,
        mean: f64,
        sd: f64,
        t: f64,
        df: usize,
        p: f64,
        low: f64,
        high: f64,
        cohens_dz: f64,
    }

    fn close(got: f64, expected: f64, relative: f64) -> bool {
        (got - expected).abs() <= relative * expected.abs().max(1e-300)
    }

    #[test]
    fn matches_scipy_ttest_rel() {
        let fixture: Fixture = super::super::read_fixture("stats_scipy.json");
        assert!(fixture.ttest_rel.len() >= 5);
        for case in &fixture.ttest_rel {
            let d: Vec<f64> = case.a.iter().zip(&case.b).map(|(a, b)| a - b).collect();
            let got = paired_t(&d).unwrap();
            let name = &case.name;
            assert_eq!((got.n, got.df), (d.len(), case.df), "{name}");
            assert!(close(got.mean, case.mean, 1e-12), "{name}: mean {got:?}");
            assert!(close(got.sd, case.sd, 1e-12), "{name}: sd {got:?}");
            assert!(
                close(got.t, case.t, 1e-12),
                "{name}: t {} vs {}",
                got.t,
                case.t
            );
            assert!(close(got.cohens_dz, case.cohens_dz, 1e-12), "{name}: dz");
            assert!(
                close(got.p, case.p, 1e-10),
                "{name}: p {} vs {}",
                got.p,
                case.p
            );
            let width = case.high - case.low;
            assert!(
                (got.interval.low - case.low).abs() <= 1e-12 * width,
                "{name}: low"
            );
            assert!(
                (got.interval.high - case.high).abs() <= 1e-12 * width,
                "{name}: high"
            );
            assert_eq!(got.interval.mean, got.mean);
        }
    }

    #[test]
    fn analytic_cases() {
        // d = (1, 3): mean 2, sd √2, t = 2 / (√2 / √2) = 2 with 1 df;
        // P(|T_1| >= 2) = 1 - 2 atan(2) / π
        let got = paired_t(&[1.0, 3.0]).unwrap();
        assert!((got.t - 2.0).abs() < 1e-15);
        assert!((got.cohens_dz - 2f64.sqrt()).abs() < 1e-15);
        let p = 1.0 - 2.0 * 2f64.atan() / std::f64::consts::PI;
        assert!((got.p - p).abs() < 1e-12, "{} vs {p}", got.p);
        // symmetric differences: t = 0, p = 1
        let zero = paired_t(&[-1.0, 1.0, -2.0, 2.0]).unwrap();
        assert_eq!((zero.t, zero.p), (0.0, 1.0));
        assert_eq!(paired_t(&[0.5]), None);
        assert_eq!(paired_t(&[]), None);
    }

    #[test]
    fn equal_differences_follow_scipy() {
        // scipy: ttest_rel([1.5, 2.5, 3.5], [1, 2, 3]) -> t = inf, p = 0
        let up = paired_t(&[0.5, 0.5, 0.5]).unwrap();
        assert_eq!(
            (up.t, up.p, up.cohens_dz),
            (f64::INFINITY, 0.0, f64::INFINITY)
        );
        assert_eq!((up.interval.low, up.interval.high), (0.5, 0.5));
        let down = paired_t(&[-0.5, -0.5]).unwrap();
        assert_eq!((down.t, down.p), (f64::NEG_INFINITY, 0.0));
        // scipy: ttest_rel(a, a) -> t = nan, p = nan
        let none = paired_t(&[0.0, 0.0, 0.0]).unwrap();
        assert!(none.t.is_nan() && none.p.is_nan() && none.cohens_dz.is_nan());
        assert_eq!((none.interval.low, none.interval.high), (0.0, 0.0));
    }
}
