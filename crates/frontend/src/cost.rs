//! What a frontend costs to train: the number of parameters it learns, and
//! the wall time of one forward + backward pass on a batch, timed against
//! other frontends round-robin so that a busy spell of a shared machine
//! hits all of them alike.
//!
//! The pass computes the features of a batch of waveforms `[batch,
//! samples]` that require a gradient, the scalar loss `sum(features ·
//! weights)` and its backward pass (the gradients of the waveform and of
//! every learned parameter), then waits for the device by reading one
//! scalar back. The frontends bench (`benches/frontends.rs`) and `cochlea
//! compare` both time this pass.

use std::time::Instant;

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::{Device, Tensor, TensorData};

use crate::Frontend;
use crate::host::{HostReadError, to_f32_vec};

/// Number of values the frontend learns (its parameters that require a
/// gradient); the standardisation statistics and fixed filters do not
/// count. Build the frontend on an autodiff device: elsewhere no parameter
/// requires a gradient.
pub fn learned_parameters(frontend: &Frontend) -> usize {
    let mut counter = LearnedCounter(0);
    frontend.visit(&mut counter);
    counter.0
}

struct LearnedCounter(usize);

impl ModuleVisitor for LearnedCounter {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let value = param.val();
        if value.is_require_grad() {
            self.0 += value.shape().num_elements();
        }
    }
}

/// The loss of one pass: `sum(features · weights)` with `weights`
/// broadcast over the batch (`[1, bands, frames]`, row-major), or the plain
/// sum of the features without weights.
pub fn weighted_loss(features: Tensor<3>, weights: Option<&[f32]>, device: &Device) -> Tensor<1> {
    match weights {
        Some(w) => {
            let [_, bands, frames] = features.dims();
            let w: Tensor<3> =
                Tensor::from_data(TensorData::new(w.to_vec(), [1, bands, frames]), device);
            (features * w).sum()
        }
        None => features.sum(),
    }
}

/// One forward + backward pass of `frontend` on the row-major waveforms
/// `wave` (`[batch, samples]`), waiting for the device to finish.
pub fn forward_backward(
    frontend: &Frontend,
    wave: &[f32],
    batch: usize,
    weights: Option<&[f32]>,
    device: &Device,
) -> Result<(), HostReadError> {
    let samples = wave.len() / batch.max(1);
    let wave: Tensor<2> =
        Tensor::<2>::from_data(TensorData::new(wave.to_vec(), [batch, samples]), device)
            .require_grad();
    let features = frontend.forward(wave.clone()); // [batch, bands, frames]
    let grads = weighted_loss(features, weights, device).backward();
    let wave_grad = wave.grad(&grads).expect("the waveform requires a gradient");
    to_f32_vec(wave_grad.sum(), "the waveform gradient's sum")?;
    Ok(())
}

/// The time of one item of a round-robin timing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Median milliseconds of its runs.
    pub ms: f64,
    /// Median over the rounds of its time divided by item 0's in the same
    /// round.
    pub ratio_to_first: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Times `run(i)` for every `i < items`: two untimed warm-up calls each,
/// then `rounds` rounds in which every item runs once in turn.
pub fn round_robin<E>(
    items: usize,
    rounds: usize,
    mut run: impl FnMut(usize) -> Result<(), E>,
) -> Result<Vec<Timing>, E> {
    let mut timed = |i: usize| -> Result<f64, E> {
        let start = Instant::now();
        run(i)?;
        Ok(start.elapsed().as_secs_f64() * 1000.0)
    };
    for i in 0..items {
        timed(i)?;
        timed(i)?;
    }
    let mut table: Vec<Vec<f64>> = Vec::with_capacity(rounds.max(1));
    for _ in 0..rounds.max(1) {
        table.push((0..items).map(&mut timed).collect::<Result<_, E>>()?);
    }
    Ok((0..items)
        .map(|i| Timing {
            ms: median(table.iter().map(|r| r[i]).collect()),
            ratio_to_first: median(table.iter().map(|r| r[i] / r[0]).collect()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        AveragingKind, CompressionKind, DftMethod, FrontendConfig, GaborConfig, LearnableMelConfig,
        LogMelConfig,
    };

    fn count(config: FrontendConfig) -> usize {
        let device = Device::flex().autodiff();
        learned_parameters(&config.init(22_050, DftMethod::default(), &device))
    }

    #[test]
    fn learned_parameters_are_those_that_get_a_gradient() {
        let bands = LogMelConfig::default().bands;
        assert_eq!(count(FrontendConfig::Mel(LogMelConfig::default())), 0);
        // The lowest edge and one spacing per band and the top edge.
        assert_eq!(
            count(FrontendConfig::LearnableMel(LearnableMelConfig::default())),
            bands + 2
        );
        // Fixed filters and averaging, log1p learned: one exponent per band.
        let gabor = GaborConfig {
            averaging: AveragingKind::Fixed,
            compression: CompressionKind::Log1p,
            ..GaborConfig::default()
        };
        assert_eq!(count(FrontendConfig::Gabor(gabor.clone())), bands);
        let frozen = GaborConfig {
            learn_compression: false,
            ..gabor.clone()
        };
        assert_eq!(count(FrontendConfig::Gabor(frozen)), 0);
        // Centres, bandwidths, averaging widths and the exponent.
        let learned = GaborConfig {
            learn_centres: true,
            learn_bandwidths: true,
            learn_averaging: true,
            ..gabor
        };
        assert_eq!(count(FrontendConfig::Gabor(learned)), 4 * bands);
        // On a device without autodiff nothing learns.
        let plain = FrontendConfig::LearnableMel(LearnableMelConfig::default()).init(
            22_050,
            DftMethod::default(),
            &Device::flex(),
        );
        assert_eq!(learned_parameters(&plain), 0);
    }

    #[test]
    fn round_robin_reports_every_item_and_its_ratio_to_the_first() {
        let mut calls = vec![0usize; 3];
        let t = round_robin(3, 5, |i| -> Result<(), ()> {
            calls[i] += 1;
            std::thread::sleep(std::time::Duration::from_millis(if i == 2 { 4 } else { 1 }));
            Ok(())
        })
        .unwrap();
        // Two warm-up calls and five timed ones each.
        assert_eq!(calls, [7, 7, 7]);
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].ratio_to_first, 1.0);
        assert!(t[2].ms >= 4.0 && t[2].ratio_to_first > 1.0, "{t:?}");
        // An error stops the timing.
        assert_eq!(
            round_robin(2, 3, |i| if i == 1 { Err(7) } else { Ok(()) }),
            Err(7)
        );
    }

    #[test]
    fn the_loss_weights_every_band_and_frame_alike_across_the_batch() {
        let device = Device::flex();
        // Two examples of 2 bands x 3 frames: 0, 1, ..., 11.
        let values: Vec<f32> = (0..12).map(|v| v as f32).collect();
        let features: Tensor<3> = Tensor::from_data(TensorData::new(values, [2, 2, 3]), &device);
        let weights = [1.0, 0.0, 0.0, 0.0, 0.0, 2.0];
        let loss = weighted_loss(features.clone(), Some(&weights), &device);
        // Example 0: 0 * 1 + 5 * 2; example 1: 6 * 1 + 11 * 2.
        assert_eq!(to_f32_vec(loss, "loss").unwrap(), [38.0]);
        let plain = weighted_loss(features, None, &device);
        assert_eq!(to_f32_vec(plain, "loss").unwrap(), [66.0]);
        // A pass on the batch runs forward and backward.
        let autodiff = Device::flex().autodiff();
        let frontend = FrontendConfig::Mel(LogMelConfig::default()).init(
            22_050,
            DftMethod::default(),
            &autodiff,
        );
        let wave: Vec<f32> = (0..2 * 4096).map(|i| ((i as f32) * 0.01).sin()).collect();
        forward_backward(&frontend, &wave, 2, None, &autodiff).unwrap();
    }
}
