//! Training-mode batch norm followed by a ReLU, on host memory: two passes
//! forward, two backward, per channel in parallel.
//!
//! For `x [B, C, S]` (S: the positions of one channel map) and channel `c`,
//! over its `N = B·S` values:
//!
//! - `μ = Σ x / N`, `σ² = Σ (x - μ)² / N` (biased, as burn and PyTorch
//!   normalise), `x̂ = (x - μ) / √(σ² + ε)`, `y = relu(γ·x̂ + β)`;
//! - backward, with `g = dy · [y > 0]` (ReLU's derivative as burn takes it):
//!   `dβ = Σ g`, `dγ = Σ g·x̂`, `dx = γ/√(σ² + ε) · (g - dβ/N - x̂·dγ/N)`.
//!
//! Sums run in f64, in sample order within a channel and in a fixed set of
//! partial sums within a sample's run ([`LANES`]), so the result does not
//! depend on the number of threads.

use rayon::prelude::*;

/// Sizes: `x [batch, channels, positions]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NormShape {
    /// Samples.
    pub batch: usize,
    /// Channels, each normalised on its own.
    pub channels: usize,
    /// Values per sample and channel.
    pub positions: usize,
}

impl NormShape {
    fn count(&self) -> f64 {
        (self.batch * self.positions) as f64
    }

    /// The values of channel `c` in sample `b`.
    fn run<'a>(&self, x: &'a [f32], b: usize, c: usize) -> &'a [f32] {
        &x[(b * self.channels + c) * self.positions..][..self.positions]
    }
}

/// The forward pass: output and the batch statistics.
#[derive(Debug, Clone)]
pub struct NormForward {
    /// `[B, C, S]`.
    pub output: Vec<f32>,
    /// `[C]`.
    pub mean: Vec<f32>,
    /// `[C]`, biased.
    pub variance: Vec<f32>,
}

/// Independent partial sums per f64 sum: the compiler keeps them in vector
/// registers instead of one chain of dependent additions (which bounds a
/// plain f64 sum at one addition per add latency), and they are added in a
/// fixed order, so the result still does not depend on the threads.
const LANES: usize = 8;

/// `(Σ f(a, b).0, Σ f(a, b).1)` over pairs of `a` and `b` (same length), in f64.
fn lane_sums(a: &[f32], b: &[f32], f: impl Fn(f64, f64) -> (f64, f64)) -> (f64, f64) {
    debug_assert_eq!(a.len(), b.len());
    let (mut first, mut second) = ([0.0f64; LANES], [0.0f64; LANES]);
    let (chunks_a, chunks_b) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (rest_a, rest_b) = (chunks_a.remainder(), chunks_b.remainder());
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for i in 0..LANES {
            let (u, v) = f(f64::from(ca[i]), f64::from(cb[i]));
            first[i] += u;
            second[i] += v;
        }
    }
    let (mut s, mut t) = (first.iter().sum::<f64>(), second.iter().sum::<f64>());
    for (&x, &y) in rest_a.iter().zip(rest_b) {
        let (u, v) = f(f64::from(x), f64::from(y));
        s += u;
        t += v;
    }
    (s, t)
}

fn mean_and_variance(shape: &NormShape, x: &[f32], c: usize) -> (f64, f64) {
    let mut sum = 0.0f64;
    for b in 0..shape.batch {
        let run = shape.run(x, b, c);
        sum += lane_sums(run, run, |v, _| (v, 0.0)).0;
    }
    let mean = sum / shape.count();
    let mut squares = 0.0f64;
    for b in 0..shape.batch {
        let run = shape.run(x, b, c);
        squares += lane_sums(run, run, |v, _| ((v - mean).powi(2), 0.0)).0;
    }
    (mean, squares / shape.count())
}

/// `relu(γ·x̂ + β)` with the batch's statistics (`relu = false`: no ReLU).
pub fn forward(
    shape: &NormShape,
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    epsilon: f64,
    relu: bool,
) -> NormForward {
    assert_eq!(x.len(), shape.batch * shape.channels * shape.positions);
    assert_eq!((gamma.len(), beta.len()), (shape.channels, shape.channels));
    let stats: Vec<(f64, f64)> = (0..shape.channels)
        .into_par_iter()
        .map(|c| mean_and_variance(shape, x, c))
        .collect();
    let mut output = vec![0.0f32; x.len()];
    output
        .par_chunks_mut(shape.positions.max(1))
        .enumerate()
        .for_each(|(i, out)| {
            let (b, c) = (i / shape.channels, i % shape.channels);
            let (mean, variance) = stats[c];
            let scale = gamma[c] as f64 / (variance + epsilon).sqrt();
            let shift = beta[c] as f64 - mean * scale;
            let (scale, shift) = (scale as f32, shift as f32);
            for (o, v) in out.iter_mut().zip(shape.run(x, b, c)) {
                let y = v * scale + shift;
                *o = if relu { y.max(0.0) } else { y };
            }
        });
    NormForward {
        output,
        mean: stats.iter().map(|s| s.0 as f32).collect(),
        variance: stats.iter().map(|s| s.1 as f32).collect(),
    }
}

/// Gradients of the batch norm.
#[derive(Debug, Clone)]
pub struct NormGrads {
    /// `[B, C, S]`.
    pub input: Vec<f32>,
    /// `[C]`.
    pub gamma: Vec<f32>,
    /// `[C]`.
    pub beta: Vec<f32>,
}

/// What the backward pass reads from the forward pass.
#[derive(Debug, Clone, Copy)]
pub struct NormSaved<'a> {
    /// The input `[B, C, S]`.
    pub input: &'a [f32],
    /// `[C]`.
    pub gamma: &'a [f32],
    /// The batch mean `[C]`.
    pub mean: &'a [f32],
    /// The batch's biased variance `[C]`.
    pub variance: &'a [f32],
    /// The output `[B, C, S]` when a ReLU was fused in, else `None`.
    pub relu_output: Option<&'a [f32]>,
    /// ε.
    pub epsilon: f64,
}

/// The gradients given `dy`, the gradient of the output.
pub fn backward(shape: &NormShape, saved: NormSaved, dy: &[f32]) -> NormGrads {
    assert_eq!(dy.len(), saved.input.len());
    let inv_std: Vec<f64> = saved
        .variance
        .iter()
        .map(|v| 1.0 / (*v as f64 + saved.epsilon).sqrt())
        .collect();
    // g = dy · [y > 0] for sample b, channel c, into `g`.
    let grad_at = |b: usize, c: usize, g: &mut Vec<f32>| {
        g.clear();
        let dy = shape.run(dy, b, c);
        match saved.relu_output {
            Some(y) => g.extend(
                dy.iter()
                    .zip(shape.run(y, b, c))
                    .map(|(g, y)| if *y > 0.0 { *g } else { 0.0 }),
            ),
            None => g.extend_from_slice(dy),
        }
    };
    let sums: Vec<(f64, f64)> = (0..shape.channels)
        .into_par_iter()
        .map(|c| {
            let (mean, inv) = (saved.mean[c] as f64, inv_std[c]);
            let (mut sum, mut projected) = (0.0f64, 0.0f64);
            let mut g = Vec::with_capacity(shape.positions);
            for b in 0..shape.batch {
                grad_at(b, c, &mut g);
                let (s, p) =
                    lane_sums(&g, shape.run(saved.input, b, c), |g, x| (g, g * (x - mean)));
                sum += s;
                projected += p;
            }
            (sum, projected * inv)
        })
        .collect();
    let n = shape.count();
    let mut input = vec![0.0f32; dy.len()];
    input
        .par_chunks_mut(shape.positions.max(1))
        .enumerate()
        .for_each(|(i, out)| {
            let (b, c) = (i / shape.channels, i % shape.channels);
            let (mean, inv) = (saved.mean[c] as f64, inv_std[c]);
            let (sum, projected) = sums[c];
            let scale = saved.gamma[c] as f64 * inv;
            // dx = scale·g - scale·dβ/N - scale·inv·dγ/N·(x - μ) = a·g + k + m·(x - μ).
            let a = scale as f32;
            let k = (-scale * sum / n) as f32;
            let m = (-scale * inv * projected / n) as f32;
            let mu = mean as f32;
            let mut g = Vec::with_capacity(shape.positions);
            grad_at(b, c, &mut g);
            for ((o, g), x) in out.iter_mut().zip(&g).zip(shape.run(saved.input, b, c)) {
                *o = a * g + k + m * (x - mu);
            }
        });
    NormGrads {
        input,
        gamma: sums.iter().map(|s| s.1 as f32).collect(),
        beta: sums.iter().map(|s| s.0 as f32).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::pattern as values;

    /// The loss `Σ y·r` in f64, straight from the definition.
    fn loss(
        shape: &NormShape,
        x: &[f64],
        gamma: &[f64],
        beta: &[f64],
        r: &[f32],
        relu: bool,
    ) -> f64 {
        let (bn, cn, s) = (shape.batch, shape.channels, shape.positions);
        let mut total = 0.0;
        for c in 0..cn {
            let at = |b: usize, p: usize| (b * cn + c) * s + p;
            let n = (bn * s) as f64;
            let mean = (0..bn)
                .flat_map(|b| (0..s).map(move |p| (b, p)))
                .map(|(b, p)| x[at(b, p)])
                .sum::<f64>()
                / n;
            let var = (0..bn)
                .flat_map(|b| (0..s).map(move |p| (b, p)))
                .map(|(b, p)| (x[at(b, p)] - mean).powi(2))
                .sum::<f64>()
                / n;
            for b in 0..bn {
                for p in 0..s {
                    let y = gamma[c] * (x[at(b, p)] - mean) / (var + 1e-5).sqrt() + beta[c];
                    let y = if relu { y.max(0.0) } else { y };
                    total += y * r[at(b, p)] as f64;
                }
            }
        }
        total
    }

    #[test]
    fn gradients_match_central_differences_of_the_definition() {
        for (shape, relu) in [
            (
                NormShape {
                    batch: 3,
                    channels: 2,
                    positions: 5,
                },
                true,
            ),
            (
                NormShape {
                    batch: 1,
                    channels: 3,
                    positions: 7,
                },
                false,
            ),
            (
                NormShape {
                    batch: 4,
                    channels: 1,
                    positions: 1,
                },
                true,
            ),
        ] {
            let n = shape.batch * shape.channels * shape.positions;
            let x = values(n, 1);
            let gamma = values(shape.channels, 2);
            let beta = values(shape.channels, 3);
            let r = values(n, 4);
            let fwd = forward(&shape, &x, &gamma, &beta, 1e-5, relu);
            let saved = NormSaved {
                input: &x,
                gamma: &gamma,
                mean: &fwd.mean,
                variance: &fwd.variance,
                relu_output: relu.then_some(fwd.output.as_slice()),
                epsilon: 1e-5,
            };
            let g = backward(&shape, saved, &r);
            let f64s = |v: &[f32]| v.iter().map(|x| *x as f64).collect::<Vec<f64>>();
            let (x64, g64, b64) = (f64s(&x), f64s(&gamma), f64s(&beta));
            let h = 1e-6;
            let diff = |i: usize, which: usize| {
                let (mut xp, mut gp, mut bp) = (x64.clone(), g64.clone(), b64.clone());
                let (mut xm, mut gm, mut bm) = (x64.clone(), g64.clone(), b64.clone());
                match which {
                    0 => (xp[i] += h, xm[i] -= h),
                    1 => (gp[i] += h, gm[i] -= h),
                    _ => (bp[i] += h, bm[i] -= h),
                };
                (loss(&shape, &xp, &gp, &bp, &r, relu) - loss(&shape, &xm, &gm, &bm, &r, relu))
                    / (2.0 * h)
            };
            for i in 0..n {
                assert!(
                    (g.input[i] as f64 - diff(i, 0)).abs() < 1e-4,
                    "dx[{i}] {shape:?}"
                );
            }
            for c in 0..shape.channels {
                assert!((g.gamma[c] as f64 - diff(c, 1)).abs() < 1e-4, "dgamma[{c}]");
                assert!((g.beta[c] as f64 - diff(c, 2)).abs() < 1e-4, "dbeta[{c}]");
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_the_threads() {
        let shape = NormShape {
            batch: 5,
            channels: 3,
            positions: 11,
        };
        let n = shape.batch * shape.channels * shape.positions;
        let (x, gamma, beta, r) = (values(n, 5), values(3, 6), values(3, 7), values(n, 8));
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let f = forward(&shape, &x, &gamma, &beta, 1e-5, true);
                let saved = NormSaved {
                    input: &x,
                    gamma: &gamma,
                    mean: &f.mean,
                    variance: &f.variance,
                    relu_output: Some(&f.output),
                    epsilon: 1e-5,
                };
                let g = backward(&shape, saved, &r);
                (f.output, f.mean, f.variance, g.input, g.gamma, g.beta)
            })
        };
        assert_eq!(run(1), run(3));
    }
}
