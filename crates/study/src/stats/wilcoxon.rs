//! The exact Wilcoxon signed-rank test (Wilcoxon 1945) of per-seed
//! differences `d_s = variant_s - baseline_s`, two-sided.
//!
//! Zero differences are dropped (Wilcoxon's own rule, scipy's default
//! `zero_method="wilcox"`); the `n` that remain are ranked by `|d|`, tied
//! magnitudes (equal as `f64`) sharing their average rank. `W+` is the sum
//! of the ranks of the positive differences. Under the null hypothesis each
//! difference is as likely positive as negative, so each of the `2^n` sign
//! patterns of the ranks is equally likely; the null distribution of `W+` is
//! counted exactly over all of them (by the subset-sum recurrence on twice
//! the ranks, which are integers: `count_k(r_1..r_i) = count_k(r_1..r_{i-1})
//! + count_{k - r_i}(r_1..r_{i-1})`, the same counts as listing the patterns
//! one by one, in `O(n^3)` instead of `O(n 2^n)`). The two-sided p-value is
//!
//! `p = min(1, 2 · min(P(W+ ≤ w), P(W+ ≥ w)))`,
//!
//! scipy's definition (`scipy.stats.wilcoxon(d, method="exact")`, which
//! uses `2 · min(sf(w), cdf(w))` clipped to 1). With ties this is the exact
//! conditional test given the observed ranks; scipy 1.17's `method="exact"`
//! instead uses the tie-free distribution of `n` ranks (rounding a
//! fractional `W+` conservatively), which can be larger or smaller than the
//! exact p, while its default `method="auto"` runs an exhaustive
//! permutation test for `n ≤ 13`, which equals this one.
//!
//! The smallest two-sided p-value `n` pairs can give is `2 / 2^n`
//! ([`minimum_p`]): with 5 seeds or fewer a two-sided test cannot reach
//! `p < 0.05`.
//!
//! Checked against scipy (tie-free) and a brute-force enumeration in numpy
//! (ties, zeros) on `tests/fixtures/stats_scipy.json` (`make_stats.py`).

/// The largest number of non-zero differences [`wilcoxon_exact`] accepts:
/// the `2^n` pattern counts must fit in a `u64`.
pub const MAX_EXACT_PAIRS: usize = 63;

/// The exact Wilcoxon signed-rank test of some differences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wilcoxon {
    /// Number of non-zero differences (the pairs the test uses).
    pub n: usize,
    /// `W+`, the rank sum of the positive differences.
    pub w_plus: f64,
    /// scipy's two-sided statistic `min(W+, W-)`, with
    /// `W- = n (n + 1) / 2 - W+`.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// [`minimum_p`] of `n`: the smallest p-value any data with `n`
    /// non-zero differences can give.
    pub minimum_p: f64,
}

/// The smallest two-sided p-value of the exact signed-rank test with `n`
/// non-zero differences, `min(1, 2 / 2^n)`: all of them of one sign.
pub fn minimum_p(n: usize) -> f64 {
    (2.0 * 0.5f64.powi(n.min(i32::MAX as usize) as i32)).min(1.0)
}

/// The exact two-sided Wilcoxon signed-rank test of `differences`. `None`
/// when no difference is non-zero, when one is NaN, or when more than
/// [`MAX_EXACT_PAIRS`] are non-zero.
pub fn wilcoxon_exact(differences: &[f64]) -> Option<Wilcoxon> {
    if differences.iter().any(|d| d.is_nan()) {
        return None;
    }
    let mut nonzero: Vec<f64> = differences.iter().copied().filter(|&d| d != 0.0).collect();
    let n = nonzero.len();
    if n == 0 || n > MAX_EXACT_PAIRS {
        return None;
    }
    nonzero.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    let twice_ranks = twice_average_ranks(&nonzero);
    let twice_w_plus: u64 = nonzero
        .iter()
        .zip(&twice_ranks)
        .filter(|(d, _)| **d > 0.0)
        .map(|(_, r)| r)
        .sum();
    let twice_total = (n * (n + 1)) as u64;

    let counts = null_counts(&twice_ranks);
    let w = twice_w_plus as usize;
    let below: u64 = counts[..=w].iter().sum();
    let above: u64 = counts[w..].iter().sum();
    let patterns = 2f64.powi(n as i32);
    let p = (2.0 * below.min(above) as f64 / patterns).min(1.0);
    let w_plus = twice_w_plus as f64 / 2.0;
    let w_minus = (twice_total - twice_w_plus) as f64 / 2.0;
    Some(Wilcoxon {
        n,
        w_plus,
        statistic: w_plus.min(w_minus),
        p,
        minimum_p: minimum_p(n),
    })
}

/// Twice the average rank (1-based) of each of `sorted`'s magnitudes, in
/// its order: a run of equal `|d|` at positions `i..=j` gets `i + j`.
fn twice_average_ranks(sorted: &[f64]) -> Vec<u64> {
    let mut ranks = vec![0u64; sorted.len()];
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start + 1;
        while end < sorted.len() && sorted[end].abs() == sorted[start].abs() {
            end += 1;
        }
        // 1-based positions start + 1 ..= end
        ranks[start..end].fill((start + 1 + end) as u64);
        start = end;
    }
    ranks
}

/// `counts[k]`: how many of the `2^n` sign patterns give `2 W+ = k`.
fn null_counts(twice_ranks: &[u64]) -> Vec<u64> {
    let total: u64 = twice_ranks.iter().sum();
    let mut counts = vec![0u64; total as usize + 1];
    counts[0] = 1;
    let mut reach = 0usize;
    for &r in twice_ranks {
        let r = r as usize;
        reach += r;
        for k in (r..=reach).rev() {
            counts[k] += counts[k - r];
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Fixture {
        wilcoxon: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        d: Vec<f64>,
        n: usize,
        w_plus: f64,
        statistic: f64,
        p: f64,
    }

    #[test]
    fn matches_scipy_and_numpy_enumeration() {
        let fixture: Fixture = super::super::read_fixture("stats_scipy.json");
        assert!(fixture.wilcoxon.len() >= 15);
        for case in &fixture.wilcoxon {
            let got = wilcoxon_exact(&case.d).unwrap();
            let name = &case.name;
            assert_eq!(got.n, case.n, "{name}");
            assert_eq!(
                (got.w_plus, got.statistic),
                (case.w_plus, case.statistic),
                "{name}"
            );
            assert!(
                (got.p - case.p).abs() <= 1e-14,
                "{name}: p {} vs {}",
                got.p,
                case.p
            );
            assert_eq!(got.minimum_p, minimum_p(case.n));
        }
    }

    #[test]
    fn analytic_cases() {
        // n = 5 all positive: only the all-plus pattern reaches W+ = 15
        let all = wilcoxon_exact(&[0.1, 0.2, 0.3, 0.4, 0.5]).unwrap();
        assert_eq!((all.n, all.w_plus, all.statistic), (5, 15.0, 0.0));
        assert_eq!((all.p, all.minimum_p), (2.0 / 32.0, 0.0625));
        // n = 3, ranks 1, 2, 3, d = (-1, 2, 3): W+ = 5; patterns with W+ >= 5
        // are {2,3} and {1,2,3}: p = 2 * 2 / 8
        let three = wilcoxon_exact(&[-1.0, 2.0, 3.0]).unwrap();
        assert_eq!((three.w_plus, three.statistic, three.p), (5.0, 1.0, 0.5));
        // a tie of |d|: ranks 1.5, 1.5, 3; d = (1, -1, 2): W+ = 4.5 of 6;
        // patterns with W+ >= 4.5: {1.5, 3} twice and {1.5, 1.5, 3}: 3 / 8
        let tie = wilcoxon_exact(&[1.0, -1.0, 2.0]).unwrap();
        assert_eq!((tie.w_plus, tie.statistic, tie.p), (4.5, 1.5, 0.75));
        // zeros are dropped
        let zeros = wilcoxon_exact(&[0.0, 0.1, 0.0, 0.2]).unwrap();
        assert_eq!((zeros.n, zeros.p), (2, 0.5));
        // one pair: p = 1
        assert_eq!(wilcoxon_exact(&[-3.0]).unwrap().p, 1.0);
        assert_eq!(wilcoxon_exact(&[0.0, 0.0]), None);
        assert_eq!(wilcoxon_exact(&[]), None);
        assert_eq!(wilcoxon_exact(&[1.0, f64::NAN]), None);
    }

    #[test]
    fn the_largest_accepted_n_is_exact() {
        let d: Vec<f64> = (1..=MAX_EXACT_PAIRS).map(|i| i as f64).collect();
        let got = wilcoxon_exact(&d).unwrap();
        assert_eq!(got.p, minimum_p(MAX_EXACT_PAIRS));
        assert_eq!(got.p, 2f64.powi(1 - MAX_EXACT_PAIRS as i32));
        let too_many: Vec<f64> = (1..=MAX_EXACT_PAIRS + 1).map(|i| i as f64).collect();
        assert_eq!(wilcoxon_exact(&too_many), None);
    }

    #[test]
    fn minimum_p_by_seed_count() {
        assert_eq!(minimum_p(0), 1.0);
        assert_eq!(minimum_p(1), 1.0);
        assert_eq!(minimum_p(5), 0.0625);
        assert_eq!(minimum_p(6), 0.03125);
        // with 4 comparisons Holm multiplies the smallest p by 4: 8 seeds give
        // 4 * 2 / 256 = 0.03125 < 0.05, 7 give 0.0625
        assert!(4.0 * minimum_p(8) < 0.05 && 4.0 * minimum_p(7) > 0.05);
    }
}
