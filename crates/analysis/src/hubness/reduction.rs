//! Hubness reduction: secondary distances that make neighbourhood
//! relations more symmetric (Schnitzer, Flexer, Schedl & Widmer, JMLR 2012).
//! All three work on the full distance matrix and leave the diagonal 0.
//! - Empirical Mutual Proximity: `MP(d_xy) = #{j : d_xj > d_xy and
//!   d_yj > d_xy} / n` (x and y themselves never count), distance
//!   `1 − MP` (hub-toolbox's `mutual_proximity_empiric`). `O(n³)`.
//! - Gaussian Mutual Proximity: `1 − SF(d_xy; μ_x, σ_x) SF(d_xy; μ_y, σ_y)`,
//!   `μ_x`, `σ_x` the mean and standard deviation (divisor `n − 1`
//!   distances, i.e. ddof 0 over the others) of row `x` without the diagonal,
//!   `SF` the normal survival function (hub-toolbox's
//!   `mutual_proximity_gaussi`); a row with `σ = 0` uses `1e-7`.
//! - Local scaling: `1 − exp(−d_xy² / (r_x r_y))`, `r_x` the distance from x
//!   to its k-th nearest other point (scikit-hubness's default k = 5).

use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

use super::DistanceMatrix;

/// Empirical Mutual Proximity distances of `d`.
pub fn mutual_proximity_empiric(d: &DistanceMatrix) -> DistanceMatrix {
    let n = d.n;
    let mut values = vec![0.0; n * n];
    values.par_chunks_mut(n).enumerate().for_each(|(x, out)| {
        let row_x = d.row(x);
        for (y, value) in out.iter_mut().enumerate() {
            if x == y {
                continue;
            }
            let row_y = d.row(y);
            let dxy = d.at(x, y);
            let both = (0..n)
                .filter(|&j| j != x && j != y && row_x[j] > dxy && row_y[j] > dxy)
                .count();
            *value = 1.0 - both as f64 / n as f64;
        }
    });
    DistanceMatrix { n, values }
}

/// Gaussian Mutual Proximity distances of `d`.
pub fn mutual_proximity_gaussian(d: &DistanceMatrix) -> DistanceMatrix {
    let n = d.n;
    let laws: Vec<Normal> = (0..n)
        .map(|i| {
            let others = d
                .row(i)
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &v)| v);
            let count = (n - 1) as f64;
            let mean = others.clone().sum::<f64>() / count;
            let var = others.map(|v| (v - mean).powi(2)).sum::<f64>() / count;
            let sd = if var > 0.0 { var.sqrt() } else { 1e-7 };
            Normal::new(mean, sd).expect("finite mean and positive sd")
        })
        .collect();
    let mut values = vec![0.0; n * n];
    values.par_chunks_mut(n).enumerate().for_each(|(x, out)| {
        for (y, value) in out.iter_mut().enumerate() {
            if x != y {
                let dxy = d.at(x, y);
                *value = 1.0 - laws[x].sf(dxy) * laws[y].sf(dxy);
            }
        }
    });
    DistanceMatrix { n, values }
}

/// Local scaling of `d` with each point's distance to its `k`-th nearest
/// other point (`1 ≤ k < n`).
pub fn local_scaling(d: &DistanceMatrix, k: usize) -> DistanceMatrix {
    let n = d.n;
    assert!(k >= 1 && k < n, "k must be in 1..n");
    let radius: Vec<f64> = (0..n)
        .map(|i| {
            let mut others: Vec<f64> = d
                .row(i)
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &v)| v)
                .collect();
            let (_, kth, _) = others.select_nth_unstable_by(k - 1, f64::total_cmp);
            *kth
        })
        .collect();
    let mut values = vec![0.0; n * n];
    values.par_chunks_mut(n).enumerate().for_each(|(x, out)| {
        for (y, value) in out.iter_mut().enumerate() {
            if x != y {
                let scale = radius[x] * radius[y];
                let dxy = d.at(x, y);
                *value = if scale > 0.0 {
                    1.0 - (-dxy * dxy / scale).exp()
                } else {
                    f64::from(dxy > 0.0)
                };
            }
        }
    });
    DistanceMatrix { n, values }
}
