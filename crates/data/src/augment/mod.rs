//! On-the-fly data augmentation of training excerpts, on the waveform, per
//! excerpt, on the host: speed change, time stretch and pitch shift
//! (Schlüter & Grill, "Exploring data augmentation for improved singing
//! voice detection with neural networks", ISMIR 2015: ±30 % helped most),
//! random frequency filtering (±10 dB there), gain, and mixing in white
//! noise or another training excerpt at a chosen SNR.
//!
//! - [`AugmentConfig`] (`config`): the `[augment]` keys, all off by default;
//! - `params`: what is drawn for each excerpt, from which stream;
//! - `excerpt`: the chain and its order (time scaling → filter → mix →
//!   noise → gain);
//! - `time_scale`, `wsola`, `resample`, `filter`, `mix`, `noise`, `gain`,
//!   `level`, `dot`: one operation each.
//!
//! [`augmented_batch`] draws a batch from any [`ExcerptSource`]. Excerpt
//! positions come from the `order` RNG exactly as without augmentation (so
//! two runs with one seed see the same excerpts whatever they augment), the
//! augmentation parameters from the separate `augment` RNG (one seed per
//! excerpt, drawn serially before any work), and the excerpts are then
//! augmented in parallel over the available cores, each into its own row:
//! the result does not depend on the number of threads. With everything
//! off it is [`plain_batch`], bit for bit.

mod config;
mod dot;
mod excerpt;
pub mod filter;
mod gain;
mod level;
mod mix;
mod noise;
pub mod params;
pub mod resample;
pub mod time_scale;
pub mod wsola;

#[cfg(test)]
mod test_signals;
#[cfg(test)]
mod tests;

use rand::rngs::StdRng;

pub use config::{AugmentConfig, MAX_DB, MAX_RELATIVE_CHANGE};
pub use excerpt::{PREROLL_SECONDS, Scratch, augment_excerpt};
pub use params::{MixIn, NoiseIn, Parameters, excerpt_seeds};

use crate::excerpt_source::{ExcerptSource, Position, plain_batch};

/// A training batch: waveforms row-major `[batch, excerpt_samples]` and
/// targets `[batch, outputs]` (before label smoothing), augmented as
/// `config` says.
pub fn augmented_batch(
    source: &dyn ExcerptSource,
    config: &AugmentConfig,
    order: &mut StdRng,
    augment: &mut StdRng,
    batch: usize,
) -> (Vec<f32>, Vec<f32>) {
    augmented_batch_with_threads(source, config, order, augment, batch, available_threads())
}

/// Threads a batch is augmented on: the cores the process may use.
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// [`augmented_batch`] on at most `threads` threads (the result is the same for any number).
pub fn augmented_batch_with_threads(
    source: &dyn ExcerptSource,
    config: &AugmentConfig,
    order: &mut StdRng,
    augment: &mut StdRng,
    batch: usize,
    threads: usize,
) -> (Vec<f32>, Vec<f32>) {
    if !config.is_on() || batch == 0 {
        return plain_batch(source, order, batch);
    }
    let positions: Vec<Position> = (0..batch).map(|_| source.draw(order)).collect();
    let params: Vec<Parameters> = excerpt_seeds(augment, batch)
        .into_iter()
        .map(|seed| Parameters::draw(config, source, seed))
        .collect();
    let len = source.excerpt_samples();
    let outputs = source.label(positions[0]).len();
    let mut waves = vec![0.0f32; batch * len];
    let mut targets = vec![0.0f32; batch * outputs];
    let per_thread = batch.div_ceil(threads.clamp(1, batch));
    std::thread::scope(|scope| {
        let work = waves
            .chunks_mut(per_thread * len)
            .zip(targets.chunks_mut(per_thread * outputs))
            .zip(positions.chunks(per_thread).zip(params.chunks(per_thread)));
        for ((waves, targets), (positions, params)) in work {
            scope.spawn(move || {
                let mut scratch = Scratch::default();
                let rows = waves
                    .chunks_exact_mut(len)
                    .zip(targets.chunks_exact_mut(outputs));
                for (((out, target), &position), p) in rows.zip(positions).zip(params) {
                    augment_excerpt(source, position, p, out, target, &mut scratch);
                }
            });
        }
    });
    (waves, targets)
}
