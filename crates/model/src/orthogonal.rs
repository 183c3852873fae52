//! Orthogonal weight initialisation (Saxe et al. 2014), as Lasagne's
//! `lasagne.init.Orthogonal` used by f0k/ismir2015.
//!
//! A weight of shape `[rows, ...]` is viewed as a `rows x cols` matrix
//! (`cols` = product of the remaining dimensions); a Gaussian matrix of the
//! same shape is orthonormalised (Gram–Schmidt, twice for stability, along the
//! shorter side) so that its rows (if `rows <= cols`) or columns are
//! orthonormal, then multiplied by `gain`.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A `rows x cols` row-major matrix with orthonormal rows or columns, times `gain`.
pub fn orthogonal(rows: usize, cols: usize, gain: f64, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    let (short, long) = if rows <= cols {
        (rows, cols)
    } else {
        (cols, rows)
    };
    // `short` vectors of length `long`, orthonormalised.
    let mut vectors: Vec<Vec<f64>> = (0..short)
        .map(|_| (0..long).map(|_| gaussian(&mut rng)).collect())
        .collect();
    for i in 0..short {
        let (done, rest) = vectors.split_at_mut(i);
        let v = &mut rest[0];
        for _pass in 0..2 {
            for u in done.iter() {
                let dot: f64 = v.iter().zip(u).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(u).for_each(|(a, b)| *a -= dot * b);
            }
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        v.iter_mut().for_each(|x| *x /= norm);
    }
    let mut out = vec![0f32; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            let v = if rows <= cols {
                vectors[r][c]
            } else {
                vectors[c][r]
            };
            out[r * cols + c] = (gain * v) as f32;
        }
    }
    out
}

/// A standard normal sample (Box–Muller).
fn gaussian(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gram(m: &[f32], rows: usize, cols: usize, by_rows: bool) -> Vec<f64> {
        let n = if by_rows { rows } else { cols };
        let mut g = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                g[i * n + j] = if by_rows {
                    (0..cols)
                        .map(|k| m[i * cols + k] as f64 * m[j * cols + k] as f64)
                        .sum()
                } else {
                    (0..rows)
                        .map(|k| m[k * cols + i] as f64 * m[k * cols + j] as f64)
                        .sum()
                };
            }
        }
        g
    }

    #[test]
    fn rows_or_columns_are_orthonormal() {
        for (rows, cols) in [(4, 9), (9, 4), (6, 6)] {
            let m = orthogonal(rows, cols, 1.0, 7);
            let by_rows = rows <= cols;
            let n = rows.min(cols);
            let g = gram(&m, rows, cols, by_rows);
            for i in 0..n {
                for j in 0..n {
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!(
                        (g[i * n + j] - want).abs() < 1e-5,
                        "{rows}x{cols} [{i},{j}]"
                    );
                }
            }
        }
    }

    #[test]
    fn gain_scales_and_seed_determines() {
        let a = orthogonal(3, 5, 2.0, 1);
        let b = orthogonal(3, 5, 2.0, 1);
        let c = orthogonal(3, 5, 2.0, 2);
        assert_eq!(a, b);
        assert_ne!(a, c);
        let norm: f64 = a[..5]
            .iter()
            .map(|v| (*v as f64).powi(2))
            .sum::<f64>()
            .sqrt();
        assert!((norm - 2.0).abs() < 1e-5);
    }
}
