//! The short-chunk CNN of Won, Ferraro, Bogdanov & Serra, "Evaluation of
//! CNN-based automatic music tagging models" (SMC 2020); reference code
//! minzwon/sota-music-tagging-models, `training/model.py` (`ShortChunkCNN`)
//! and `training/modules.py` (`Conv_2d`).
//!
//! Input: features `[batch, bands, frames]`, read as one channel of
//! frequency x time (`[batch, 1, bands, frames]`, as Won et al. unsqueeze the
//! mel spectrogram). Each block is a 3x3 convolution with zero padding 1 and a
//! bias, batch norm, ReLU and a 2x2 max-pool (stride 2, floor: an odd last row
//! or column is dropped). With the paper's settings (128 mel bands, 59,049
//! samples at 16 kHz, hop 256, i.e. 231 frames):
//!
//! | layer | output (channels x bands x frames) |
//! |---|---|
//! | input | 1 x 128 x 231 |
//! | block 1 | 128 x 64 x 115 |
//! | block 2 | 128 x 32 x 57 |
//! | block 3 | 256 x 16 x 28 |
//! | block 4 | 256 x 8 x 14 |
//! | block 5 | 256 x 4 x 7 |
//! | block 6 | 256 x 2 x 3 |
//! | block 7 | 512 x 1 x 1 |
//! | global max | 512 |
//! | dense 512, batch norm, ReLU | 512 (the embedding) |
//!
//! Won et al. squeeze the frequency axis (1 after seven poolings of 128
//! bands) and max-pool over what remains of time. Here the global max is
//! taken over **both** remaining axes, which is the same for 128 bands and
//! also defined for other band counts (e.g. 256 bands leave 2 x 1 positions,
//! whose maximum is taken). Each 2x2 pool floors, so `n` layers need at least
//! `2^n` bands and `2^n` frames ([`ShortChunkCnnConfig::validate`]).
//!
//! Won et al. then apply dropout 0.5, a dense layer to the tags and a
//! sigmoid: dropout and the dense layer are the classifier's head
//! ([`crate::classifier`]), the sigmoid lives in the loss. Their model also
//! normalises the input spectrogram with a one-channel batch norm
//! (`spec_bn`); that is not part of this backbone (cochlea's frontends
//! standardise their output).
//!
//! Initialisation is PyTorch's default, computed on the host from the seed so
//! that it is the same on every backend: conv and dense weights and biases
//! uniform in `±1/sqrt(fan_in)` (`kaiming_uniform_` with `a = sqrt(5)`, whose
//! bound `sqrt(6 / ((1 + a^2) fan_in))` is `1/sqrt(fan_in)`); batch norm
//! `gamma = 1`, `beta = 0`, running mean 0, running variance 1.
//!
//! Batch norm is burn's [`BatchNorm`] (epsilon 1e-5, momentum 0.1 as in
//! PyTorch: `running = 0.9 running + 0.1 batch`). It normalises with the
//! batch statistics only when the input lives on an autodiff device **and**
//! the module is in training mode; `model.valid()` (or a non-autodiff
//! device) uses the running statistics. One difference from PyTorch: burn
//! updates the running variance with the *biased* batch variance, PyTorch
//! with the unbiased one (`n / (n - 1)` larger; for the dense layer's norm `n`
//! is the batch size). See `short_chunk_cnn_tests.rs`.

use burn::module::{Module, Param};
use burn::nn::{BatchNorm, BatchNormConfig, Linear, LinearConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::batch_norm_relu::batch_norm_relu;
use crate::gemm_conv::GemmConv2d;
use crate::max_pool::block_max_pool;

/// Settings of the short-chunk CNN (`[model] kind = "short-chunk-cnn"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortChunkCnnConfig {
    /// Output channels of each conv block; the number of blocks is its
    /// length (default Won et al.'s 128, 128, 256, 256, 256, 256, 512).
    #[serde(default = "default_channels")]
    pub channels: Vec<usize>,
    /// Width of the dense layer after the global max: the embedding size
    /// (default 512).
    #[serde(default = "default_dense")]
    pub dense: usize,
    /// Dropout probability of the classifier head, before the output layer
    /// (default 0.5).
    #[serde(default = "default_dropout")]
    pub dropout: f64,
}

fn default_channels() -> Vec<usize> {
    vec![128, 128, 256, 256, 256, 256, 512]
}
fn default_dense() -> usize {
    512
}
fn default_dropout() -> f64 {
    0.5
}

impl Default for ShortChunkCnnConfig {
    fn default() -> Self {
        Self {
            channels: default_channels(),
            dense: default_dense(),
            dropout: default_dropout(),
        }
    }
}

impl ShortChunkCnnConfig {
    /// The batch norms' `(epsilon, momentum)`: burn's defaults, which are
    /// PyTorch's (1e-5, 0.1).
    pub fn batch_norm_settings() -> (f64, f64) {
        let config = BatchNormConfig::new(1);
        (config.epsilon, config.momentum)
    }

    /// Smallest number of bands (and of frames) that survives the poolings:
    /// `2^layers`, or `None` if that overflows.
    pub fn min_extent(&self) -> Option<usize> {
        u32::try_from(self.channels.len())
            .ok()
            .and_then(|n| 1usize.checked_shl(n))
    }

    /// Checks the settings and that `frames x bands` inputs survive the
    /// conv/pool stack.
    pub fn validate(&self, frames: usize, bands: usize) -> Result<(), String> {
        if self.channels.is_empty() {
            return Err("model.channels is empty: give at least one conv block, \
                 e.g. channels = [128, 128, 256, 256, 256, 256, 512]"
                .into());
        }
        if let Some(i) = self.channels.iter().position(|&c| c == 0) {
            return Err(format!(
                "model.channels[{i}] = 0: every conv block needs at least one channel"
            ));
        }
        if self.dense == 0 {
            return Err("model.dense = 0: the dense layer needs at least one unit".into());
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(format!(
                "model.dropout = {} must be in [0, 1)",
                self.dropout
            ));
        }
        let layers = self.channels.len();
        let Some(min) = self.min_extent() else {
            return Err(format!(
                "model.channels has {layers} blocks: each halves the input, use at most 20"
            ));
        };
        if bands < min {
            return Err(format!(
                "the short-chunk CNN with {layers} blocks halves the bands {layers} times and \
                 needs frontend.bands >= {min}; got {bands}: raise frontend.bands or use fewer \
                 model.channels"
            ));
        }
        if frames < min {
            return Err(format!(
                "the short-chunk CNN with {layers} blocks halves the frames {layers} times and \
                 needs inputs of at least {min} frames; got {frames}: raise \
                 task.chunk_frames (tagging) or task.excerpt_frames (singing voice), or use \
                 fewer model.channels"
            ));
        }
        Ok(())
    }

    /// Builds the network; `seed` drives the initialisation. The network
    /// takes any input that [`ShortChunkCnnConfig::validate`] accepts, so
    /// `frames` and `bands` only keep the signature of the other backbones.
    pub fn init(&self, _frames: usize, _bands: usize, seed: u64, device: &Device) -> ShortChunkCnn {
        let mut inputs = 1;
        let mut blocks = Vec::with_capacity(self.channels.len());
        for (i, &outputs) in self.channels.iter().enumerate() {
            let mut rng = StdRng::seed_from_u64(seed.wrapping_add(1 + i as u64));
            let fan_in = inputs * 9;
            let weight = uniform_param([outputs, inputs, 3, 3], fan_in, &mut rng, device);
            let bias = Some(uniform_param([outputs], fan_in, &mut rng, device));
            let conv = GemmConv2d::new(weight, bias, [1, 1]);
            blocks.push(ConvBlock {
                conv,
                norm: BatchNormConfig::new(outputs).init(device),
            });
            inputs = outputs;
        }
        let mut rng = StdRng::seed_from_u64(seed.wrapping_add(1 + self.channels.len() as u64));
        let mut dense = LinearConfig::new(inputs, self.dense).init(device);
        // burn stores a Linear weight as [in, out]; PyTorch's bound uses fan_in = in.
        dense.weight = uniform_param([inputs, self.dense], inputs, &mut rng, device);
        dense.bias = Some(uniform_param([self.dense], inputs, &mut rng, device));
        ShortChunkCnn {
            blocks,
            dense,
            norm: BatchNormConfig::new(self.dense).init(device),
        }
    }
}

/// A parameter of `shape` with values uniform in `±1/sqrt(fan_in)`.
fn uniform_param<const D: usize>(
    shape: [usize; D],
    fan_in: usize,
    rng: &mut StdRng,
    device: &Device,
) -> Param<Tensor<D>> {
    let bound = 1.0 / (fan_in as f64).sqrt();
    let n: usize = shape.iter().product();
    let values: Vec<f32> = (0..n)
        .map(|_| ((2.0 * rng.random::<f64>() - 1.0) * bound) as f32)
        .collect();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// One block: conv 3x3 (padding 1), batch norm, ReLU; the 2x2 pool is shared.
#[derive(Module, Debug)]
pub struct ConvBlock {
    conv: GemmConv2d,
    norm: BatchNorm,
}

impl ConvBlock {
    /// `[n, c_in, h, w]` -> `[n, c_out, h/2, w/2]` (floored).
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let x = self.conv.forward(x); // [n, c_out, h, w]
        let x = batch_norm_relu(&self.norm, x); // [n, c_out, h, w]
        block_max_pool(x, [2, 2]) // [n, c_out, h/2, w/2]
    }
}

/// The short-chunk CNN backbone: features to a `dense`-dimensional embedding.
#[derive(Module, Debug)]
pub struct ShortChunkCnn {
    blocks: Vec<ConvBlock>,
    dense: Linear,
    norm: BatchNorm,
}

impl ShortChunkCnn {
    /// Size of the embedding this backbone returns (the dense width).
    pub fn embedding(&self) -> usize {
        self.norm.gamma.dims()[0]
    }

    /// Embeddings `[batch, dense]` of feature excerpts `[batch, bands, frames]`.
    pub fn forward(&self, features: Tensor<3>) -> Tensor<2> {
        let mut x = features.unsqueeze_dim::<4>(1); // [batch, 1, bands, frames]
        for block in &self.blocks {
            // Block i: [batch, channels[i], bands / 2^(i+1), frames / 2^(i+1)].
            x = block.forward(x);
        }
        let [batch, channels, _, _] = x.dims();
        let x: Tensor<2> = x.max_dim(3).max_dim(2).reshape([batch, channels]); // [batch, channels]
        let x = self.dense.forward(x); // [batch, dense]
        relu(self.norm.forward(x)) // [batch, dense]
    }

    /// Embeddings `[count, dense]` of every excerpt of `excerpt` frames in a
    /// sequence `[1, bands, frames]`, row `s` for the excerpt starting at
    /// frame `s` (`count = frames - excerpt + 1`). The short-chunk CNN is not
    /// evaluated fully convolutionally (its global max does not slide): this
    /// cuts the excerpts out and runs [`ShortChunkCnn::forward`] on batches of
    /// [`Self::WINDOW_BATCH`] of them, so it is exact but costs one forward
    /// pass per excerpt. Call it on `model.valid()` (running statistics). A
    /// sequence shorter than `excerpt` is zero-padded at the end and gives
    /// one row. The tagging evaluation cuts songs into chunks itself and
    /// does not use this.
    pub fn forward_every_excerpt(&self, sequence: Tensor<3>, excerpt: usize) -> Tensor<2> {
        let [_, bands, frames] = sequence.dims();
        let device = sequence.device();
        let (sequence, frames) = if frames < excerpt {
            let pad = Tensor::zeros([1, bands, excerpt - frames], &device);
            (Tensor::cat(vec![sequence, pad], 2), excerpt) // [1, bands, excerpt]
        } else {
            (sequence, frames)
        };
        let count = frames - excerpt + 1;
        let mut parts = Vec::with_capacity(count.div_ceil(Self::WINDOW_BATCH));
        for start in (0..count).step_by(Self::WINDOW_BATCH) {
            let windows: Vec<Tensor<3>> = (start..count.min(start + Self::WINDOW_BATCH))
                .map(|s| sequence.clone().slice([0..1, 0..bands, s..s + excerpt]))
                .collect(); // each [1, bands, excerpt]
            parts.push(self.forward(Tensor::cat(windows, 0))); // [windows, dense]
        }
        Tensor::cat(parts, 0) // [count, dense]
    }

    /// Excerpts per forward pass in [`ShortChunkCnn::forward_every_excerpt`].
    pub const WINDOW_BATCH: usize = 16;
}

#[cfg(test)]
#[path = "short_chunk_cnn_tests.rs"]
mod tests;
