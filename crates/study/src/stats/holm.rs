//! Holm's step-down correction of a family of `m` p-values (Holm 1979,
//! "A simple sequentially rejective multiple test procedure"): with the
//! p-values sorted ascending, `p_(1) ≤ … ≤ p_(m)`, the adjusted value of the
//! `i`-th is
//!
//! `p̃_(i) = min(1, max_{j ≤ i} (m - j + 1) · p_(j))`,
//!
//! so that rejecting every hypothesis with `p̃ ≤ α` controls the
//! family-wise error rate at `α`. As
//! `statsmodels.stats.multitest.multipletests(p, method="holm")[1]`;
//! checked against it on `tests/fixtures/stats_scipy.json`
//! (`make_stats.py`).

/// Holm-adjusted p-values of `p`, in the input order: monotone in the
/// p-values, never below them, and at most 1. Equal p-values get equal
/// adjusted ones. A NaN (an undefined test) stays NaN, counts in the family
/// size `m` and is ordered after every number, so it changes no other value
/// (as in statsmodels).
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    // NaN last; stable, so equal values keep their input order
    order.sort_by(|&a, &b| match (p[a].is_nan(), p[b].is_nan()) {
        (false, false) => p[a].total_cmp(&p[b]),
        (x, y) => x.cmp(&y),
    });
    let mut adjusted = vec![f64::NAN; m];
    let mut running_max = 0.0f64;
    for (j, &i) in order.iter().enumerate() {
        if p[i].is_nan() {
            break;
        }
        running_max = running_max.max((m - j) as f64 * p[i]);
        adjusted[i] = running_max.min(1.0);
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Fixture {
        holm: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        p: Vec<f64>,
        adjusted: Vec<f64>,
    }

    #[test]
    fn matches_statsmodels() {
        let fixture: Fixture = super::super::read_fixture("stats_scipy.json");
        assert!(fixture.holm.len() >= 6);
        for case in &fixture.holm {
            let got = holm(&case.p);
            assert_eq!(got.len(), case.p.len());
            for (g, e) in got.iter().zip(&case.adjusted) {
                assert!(
                    (g - e).abs() <= 1e-15,
                    "{:?}: got {got:?}, statsmodels {:?}",
                    case.p,
                    case.adjusted
                );
            }
        }
    }

    #[test]
    fn analytic_cases() {
        // sorted 0.01, 0.02, 0.03: 3 * 0.01, max(0.03, 2 * 0.02), max(0.04, 0.03)
        assert_eq!(holm(&[0.03, 0.01, 0.02]), vec![0.04, 0.03, 0.04]);
        // capped at 1
        assert_eq!(holm(&[0.6, 0.5]), vec![1.0, 1.0]);
        // ties get equal values whatever their order
        assert_eq!(holm(&[0.25, 0.125, 0.125]), vec![0.375; 3]);
        assert_eq!(holm(&[0.04]), vec![0.04]);
        assert!(holm(&[]).is_empty());
        // a NaN counts in m but does not change the others
        let with_nan = holm(&[0.01, f64::NAN, 0.02]);
        assert_eq!(with_nan[0], 0.03);
        assert!(with_nan[1].is_nan());
        assert_eq!(with_nan[2], 0.04);
    }
}
