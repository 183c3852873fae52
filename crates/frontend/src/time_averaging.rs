//! Time-averaging of the Gabor bank's squared modulus with a per-band
//! Gaussian window, sampled every `hop` samples (Dörfler et al. 2018; LEAF's
//! Gaussian low-pass).
//!
//! Frame `t` is centred at `c_t = t hop + W / 2`, as the mel frontend's frame
//! of `W` samples:
//!
//! ```text
//! P_b[t] = sum_tau exp(-1/2 (tau / (s_b W / 2))^2) |y_b(c_t + tau)|^2
//! ```
//!
//! This is LEAF's window `exp(-1/2 ((2 t / (P - 1) - 1) / s)^2)` with
//! `P = W + 1`, except that LEAF cuts it to `P` taps and we do not: the sum
//! runs over `5` standard deviations on each side (weights below 4e-6;
//! [`crate::filter_plan::WINDOW_REACH`], which the plan leaves room for).
//! At the default widths the two differ by less than 0.2 %, and without the
//! hard edges the decimated evaluation below stays accurate (a hard edge
//! makes every frame sensitive to transients just outside its window).
//! `s_b` is kept in `[2 / P, 0.5]` in the forward pass. Three ways to choose
//! it:
//! - *fixed*: one width for all bands, by default that of the squared Hann
//!   window of an STFT of `W` samples (standard deviation 0.283 W / 2);
//! - *band-adaptive*: proportional to each band's filter width,
//!   `s_b = ratio sigma_b / (W / 2)`: long for narrow low bands, short for
//!   wide high ones;
//! - *learned*: a parameter per band, initialised from either.
//!
//! The sum is evaluated on each band's decimated grid (spacing `h`, see
//! [`crate::gabor_energy`]) as `h sum_n window(n h - c_t) |y_b(n h)|^2`;
//! with the grid fine enough for both the filter output and the window (the
//! plan of [`crate::filter_plan`]) this Riemann sum is accurate to ~1e-5.

use burn::module::{Module, Param};
use burn::tensor::{Device, Int, Tensor, TensorData};

use crate::bounds::{AtBound, at_bound};
use crate::filter_plan::{FilterPlan, WINDOW_REACH};
use crate::host::{HostReadError, to_f64_vec};

/// Default fixed width: the standard deviation of a squared periodic Hann
/// window of `W` samples is `0.2829 W / 2`.
pub const STFT_WIDTH: f64 = 0.283;

/// Per-band Gaussian time-averaging.
#[derive(Module, Debug)]
pub struct TimeAveraging {
    /// Window widths `s_b` as fractions of half the window, `[bands]`.
    pub widths: Param<Tensor<1>>,
    /// `W`: the window spans `W + 1` samples.
    window: usize,
    /// Samples between frames.
    hop: usize,
}

impl TimeAveraging {
    /// Averaging with the given initial widths; fixed widths get no gradient.
    pub fn new(widths: &[f64], window: usize, hop: usize, learn: bool, device: &Device) -> Self {
        let data: Vec<f32> = widths.iter().map(|&w| w as f32).collect();
        let len = data.len();
        Self {
            widths: Param::from_tensor(Tensor::from_data(TensorData::new(data, [len]), device))
                .set_require_grad(learn),
            window,
            hop,
        }
    }

    /// The allowed range of `s`: `[2 / (W + 1), 0.5]`.
    pub fn width_range(window: usize) -> (f64, f64) {
        (2.0 / (window + 1) as f64, 0.5)
    }

    /// Band-adaptive widths for filters of widths `sigma` (samples).
    pub fn adaptive_widths(sigma: &[f64], ratio: f64, window: usize) -> Vec<f64> {
        let (lo, hi) = Self::width_range(window);
        sigma
            .iter()
            .map(|&s| (ratio * s / (window as f64 / 2.0)).clamp(lo, hi))
            .collect()
    }

    /// Constrained widths `s_b`, `[bands]`.
    pub fn constrained(&self) -> Tensor<1> {
        let (lo, hi) = Self::width_range(self.window);
        self.widths.val().clamp(lo, hi)
    }

    /// The learned widths on their bounds ([`crate::bounds`]).
    pub fn at_bounds(&self) -> Result<Option<AtBound>, HostReadError> {
        let (lo, hi) = Self::width_range(self.window);
        at_bound("time-averaging widths", &self.widths, lo, hi)
    }

    /// Constrained widths as standard deviations in samples, on the host.
    pub fn std_samples_host(&self) -> Result<Vec<f64>, HostReadError> {
        let half = self.window as f64 / 2.0;
        Ok(to_f64_vec(self.constrained(), "the averaging widths")?
            .into_iter()
            .map(|s| s * half)
            .collect())
    }

    /// Samples consumed by one frame.
    pub fn window(&self) -> usize {
        self.window
    }

    /// Samples between frames.
    pub fn hop(&self) -> usize {
        self.hop
    }

    /// Averages the squares of the groups' `r` ([`crate::gabor_energy::band_energies`])
    /// into frames: `[batch, bands, frames]` for a batch of `batch` inputs of
    /// `samples` samples packed as the plan says.
    ///
    /// Frames are taken in blocks whose first grid point is an integer
    /// number of grid steps from the previous block's, so every block has
    /// the same tap pattern. The squared signal is cut into chunks of one
    /// block step (a reshape, no copy); one matrix product per band with
    /// the `[step, depth x frames per block]` window gives every chunk's
    /// share of the blocks it overlaps, and shifted sums put them together.
    pub fn pool(
        &self,
        signals: Vec<Tensor<3>>,
        plan: &FilterPlan,
        (batch, samples): (usize, usize),
    ) -> Tensor<3> {
        let frames = 1 + (samples - self.window) / self.hop;
        // Every buffer is framed as a whole; excerpt j's frames start at
        // grid frame j * stride / hop.
        let packing = plan.packing;
        let per_excerpt = packing.stride / self.hop;
        let grid_frames = packing.excerpts * per_excerpt;
        let widths = self.constrained();
        let device = widths.device();
        let half_window = self.window as f32 / 2.0;
        let mut outputs = Vec::with_capacity(signals.len());
        for (group, signal) in plan.groups.iter().zip(signals) {
            let [buffers, bands, length] = signal.dims();
            let widest = group
                .bands
                .iter()
                .map(|&b| plan.averaging_std[b])
                .fold(0.0, f64::max);
            let blocks = FrameBlocks::new(
                plan,
                group.bins,
                (self.window, self.hop),
                grid_frames,
                WINDOW_REACH * widest,
            );
            let chunks = blocks.count + blocks.depth - 1;
            let span = chunks * blocks.step;
            let signal = range_with_zeros(signal, blocks.first, span, length) // [buffers, bands, span]
                .swap_dims(0, 1); // [bands, buffers, span]
            let energy = (signal.clone() * signal).reshape([bands, buffers * chunks, blocks.step]);
            let offset: Tensor<3> = Tensor::from_data(
                TensorData::new(
                    blocks.offset,
                    [1, blocks.step, blocks.depth * blocks.frames],
                ),
                &device,
            );
            let members = Tensor::<1, Int>::from_data(
                TensorData::new(
                    group.bands.iter().map(|&b| b as i64).collect::<Vec<_>>(),
                    [bands],
                ),
                &device,
            );
            let std = widths
                .clone()
                .select(0, members)
                .mul_scalar(half_window)
                .reshape([bands, 1, 1]);
            let window = (offset / std)
                .square()
                .mul_scalar(-0.5)
                .exp()
                .mul_scalar(blocks.weight); // [bands, step, depth * block frames]
            // Chunk j's share of every block it overlaps: block j - d gets
            // part d. One product per band, then shifted sums of small tensors.
            let parts = energy.matmul(window).reshape([
                bands,
                buffers,
                chunks,
                blocks.depth,
                blocks.frames,
            ]);
            let mut pooled = parts.clone().narrow(2, 0, blocks.count).narrow(3, 0, 1);
            for d in 1..blocks.depth {
                pooled = pooled + parts.clone().narrow(2, d, blocks.count).narrow(3, d, 1);
            } // [bands, buffers, blocks, 1, block frames]
            outputs.push(
                pooled
                    .reshape([bands, buffers, blocks.count * blocks.frames])
                    .narrow(2, 0, grid_frames)
                    .reshape([bands, buffers * packing.excerpts, per_excerpt])
                    .narrow(1, 0, batch)
                    .narrow(2, 0, frames)
                    .swap_dims(0, 1), // [batch, bands, frames]
            );
        }
        let all = Tensor::cat(outputs, 1); // [batch, bands in group order, frames]
        if plan.is_in_band_order() {
            all
        } else {
            let rows: Vec<i64> = plan.rows_of_bands().into_iter().map(|r| r as i64).collect();
            let len = rows.len();
            all.select(
                1,
                Tensor::<1, Int>::from_data(TensorData::new(rows, [len]), &device),
            )
        }
    }
}

/// Grid points `first .. first + span` of `[batch, bands, length]`, as
/// `[batch, bands, span]`; points past the end are zero.
fn range_with_zeros(signal: Tensor<3>, first: usize, span: usize, length: usize) -> Tensor<3> {
    if first + span <= length {
        return signal.narrow(2, first, span);
    }
    let [batch, bands, _] = signal.dims();
    let inside = length.saturating_sub(first);
    let zeros = Tensor::zeros([batch, bands, span - inside], &signal.device());
    if inside == 0 {
        zeros
    } else {
        Tensor::cat(vec![signal.narrow(2, first, inside), zeros], 2)
    }
}

/// Frames grouped into blocks with one shared tap pattern on a decimated
/// grid, and the grid cut into chunks of one block step.
struct FrameBlocks {
    /// Frames per block.
    frames: usize,
    /// Number of blocks (the last one may run past the final frame).
    count: usize,
    /// Grid points between the starts of consecutive blocks (= chunk length).
    step: usize,
    /// Chunks a block's taps span.
    depth: usize,
    /// Grid index where the first block starts.
    first: usize,
    /// Time from frame `f`'s centre of grid point `i` of chunk `d` of a
    /// block, in input samples, `[step, depth * frames]` (column `d * frames + f`).
    offset: Vec<f32>,
    /// Weight of every tap: the grid spacing times `2 (L / M)^2`.
    weight: f64,
}

/// Aim for at least this many frames per block (fewer, larger matrix products).
pub const MIN_BLOCK_FRAMES: usize = 8;

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl FrameBlocks {
    /// Blocks for `frames` frames of `(window, hop)` whose windows reach
    /// `reach` samples either side of their centres, on the grid of a group
    /// with `bins` bins.
    fn new(
        plan: &FilterPlan,
        bins: usize,
        (window, hop): (usize, usize),
        frames: usize,
        reach: f64,
    ) -> Self {
        // Grid spacing h = M / (2 L), a power of two of at least one sample.
        let spacing = (plan.padded / (2 * bins)).max(1);
        // Blocks of F frames start F * hop / h grid points apart: an integer.
        let minimal = spacing / gcd(hop, spacing);
        let per_block = minimal * MIN_BLOCK_FRAMES.div_ceil(minimal);
        let per_block = per_block.min(frames.next_multiple_of(minimal));
        let step = per_block * hop / spacing;
        let h = spacing as f64;
        let centre = |f: usize| (plan.offset + f * hop) as f64 + window as f64 / 2.0;
        let first = ((centre(0) - reach) / h).floor().max(0.0) as usize;
        let last = ((centre(per_block - 1) + reach) / h).ceil() as usize;
        let depth = (last + 1 - first).div_ceil(step);
        let columns = depth * per_block;
        let mut offset = vec![0f32; step * columns];
        for i in 0..step {
            for d in 0..depth {
                let at = (first + d * step + i) as f64 * h;
                for f in 0..per_block {
                    offset[i * columns + d * per_block + f] = (at - centre(f)) as f32;
                }
            }
        }
        Self {
            frames: per_block,
            count: frames.div_ceil(per_block),
            step,
            depth,
            first,
            offset,
            weight: h * 2.0 * (bins as f64 / plan.padded as f64).powi(2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_repeat_with_an_integer_step_and_reach_around_every_frame() {
        for (padded, bins) in [(65_536, 1024), (65_536, 4096), (4096, 2048), (4096, 16)] {
            let plan = FilterPlan {
                padded,
                offset: 800,
                packing: crate::filter_plan::Packing {
                    excerpts: 1,
                    stride: 315,
                    buffers: 1,
                },
                averaging_std: Vec::new(),
                groups: Vec::new(),
            };
            let h = (padded / (2 * bins)).max(1);
            let blocks = FrameBlocks::new(&plan, bins, (1024, 315), 115, 700.0);
            assert_eq!(blocks.step * h, blocks.frames * 315);
            assert!(blocks.count * blocks.frames >= 115);
            let columns = blocks.depth * blocks.frames;
            for f in 0..blocks.frames {
                // Grid points of the block in order: chunk d, row i.
                let column: Vec<f32> = (0..blocks.depth)
                    .flat_map(|d| (0..blocks.step).map(move |i| (d, i)))
                    .map(|(d, i)| blocks.offset[i * columns + d * blocks.frames + f])
                    .collect();
                let (lo, hi) = (column[0], column[column.len() - 1]);
                assert!(
                    lo <= -700.0 && hi >= 700.0,
                    "{padded} {bins} {f}: {lo} {hi}"
                );
                assert!(
                    column
                        .windows(2)
                        .all(|w| (w[1] - w[0] - h as f32).abs() < 1e-3)
                );
            }
        }
    }

    #[test]
    fn adaptive_widths_follow_the_filters_within_the_limits() {
        let w = TimeAveraging::adaptive_widths(&[1000.0, 100.0, 0.1], 2.0, 1024);
        assert_eq!(w[0], 0.5);
        assert!((w[1] - 200.0 / 512.0).abs() < 1e-12);
        assert!((w[2] - 2.0 / 1025.0).abs() < 1e-12);
    }
}
