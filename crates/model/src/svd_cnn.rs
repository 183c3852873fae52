//! The singing-voice-detection CNN of Schlüter & Grill (ISMIR 2015).
//!
//! Input: standardised features `[batch, bands, frames]` (115 frames x 80 bands
//! by default), read as one channel of time x frequency. Layers (valid
//! convolutions, leaky ReLU with slope 0.01 after every conv and dense layer):
//!
//! | layer | output (channels x time x freq), 115 x 80 input |
//! |---|---|
//! | conv 3x3, 64 | 64 x 113 x 78 |
//! | conv 3x3, 32 | 32 x 111 x 76 |
//! | max-pool 3x3 | 32 x 37 x 25 |
//! | conv 3x3, 128 | 128 x 35 x 23 |
//! | conv 3x3, 64 | 64 x 33 x 21 |
//! | max-pool 3x3 | 64 x 11 x 7 (4928 values) |
//! | dropout 0.5, dense 256 | 256 |
//! | dropout 0.5, dense 64 | 64 |
//!
//! The final dropout and the dense output layer are the classifier's head
//! ([`crate::classifier`]). All weights are orthogonally initialised
//! ([`crate::orthogonal`]), biases zero.
//!
//! [`SvdCnn::forward_every_excerpt`] evaluates the network on every excerpt of
//! a long feature sequence at once, fully convolutionally: the convolutions are
//! shift-equivariant, so only the max-pooling phases differ between excerpts;
//! the network is run once per pooling phase (3 x 3 = 9 phases) and the first
//! dense layer is applied as a convolution spanning the 11 x 7 pooled map.

use burn::module::{Module, Param};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig};
use burn::tensor::activation::leaky_relu;
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Int, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::gemm_conv::GemmConv2d;
use crate::max_pool::block_max_pool;

/// The 3 x 3 max-pool with stride 3 (floor) after each pair of convolutions.
fn pool(x: Tensor<4>) -> Tensor<4> {
    block_max_pool(x, [3, 3])
}
use crate::orthogonal::orthogonal;

/// Settings of the SVD CNN (`[model] kind = "svd-cnn"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SvdCnnConfig {
    /// Dropout probability before each dense layer.
    #[serde(default = "default_dropout")]
    pub dropout: f64,
    /// Negative slope of the leaky ReLU.
    #[serde(default = "default_leak")]
    pub leak: f64,
}

fn default_dropout() -> f64 {
    0.5
}
fn default_leak() -> f64 {
    0.01
}

impl Default for SvdCnnConfig {
    fn default() -> Self {
        Self {
            dropout: default_dropout(),
            leak: default_leak(),
        }
    }
}

/// Time or frequency extent after the conv/pool stack, or `None` if too small.
fn pooled_extent(n: usize) -> Option<usize> {
    let a = n.checked_sub(4)? / 3;
    let b = a.checked_sub(4)? / 3;
    (b > 0).then_some(b)
}

impl SvdCnnConfig {
    /// Checks that an input of `frames x bands` survives the conv/pool stack.
    pub fn validate(&self, frames: usize, bands: usize) -> Result<(), String> {
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(format!(
                "model.dropout = {} must be in [0, 1)",
                self.dropout
            ));
        }
        if !(self.leak > 0.0 && self.leak <= 1.0) {
            return Err(format!(
                "model.leak = {} must be in (0, 1] (the negative slope of the leaky ReLU; \
                 the paper's is 0.01)",
                self.leak
            ));
        }
        if pooled_extent(frames).is_none() || pooled_extent(bands).is_none() {
            return Err(format!(
                "the SVD CNN needs inputs of at least 16 x 16 (frames x bands); got {frames} x {bands}: \
                 raise task.excerpt_frames or frontend.bands"
            ));
        }
        Ok(())
    }

    /// Builds the network for `frames x bands` inputs; `seed` drives the init.
    pub fn init(&self, frames: usize, bands: usize, seed: u64, device: &Device) -> SvdCnn {
        let (t, f) = (
            pooled_extent(frames).unwrap_or(1),
            pooled_extent(bands).unwrap_or(1),
        );
        let conv = |i: usize, o: usize, k: u64| {
            GemmConv2d::new(
                orthogonal_param([o, i, 3, 3], seed.wrapping_add(k), device),
                Some(zeros_param(o, device)),
                [0, 0],
            )
        };
        let dense = |i: usize, o: usize, k: u64| {
            let mut l = LinearConfig::new(i, o).init(device);
            // burn stores a Linear weight as [in, out]: orthogonal on [out, in], transposed.
            l.weight = Param::from_tensor(
                orthogonal_tensor([o, i], seed.wrapping_add(k), device).transpose(),
            );
            l.bias = Some(zeros_param(o, device));
            l
        };
        SvdCnn {
            conv1: conv(1, 64, 1),
            conv2: conv(64, 32, 2),
            conv3: conv(32, 128, 3),
            conv4: conv(128, 64, 4),
            dense1: dense(64 * t * f, 256, 5),
            dense2: dense(256, 64, 6),
            dropout: DropoutConfig::new(self.dropout).init(),
            leak: self.leak,
            pooled: [t, f],
        }
    }
}

fn orthogonal_tensor<const D: usize>(shape: [usize; D], seed: u64, device: &Device) -> Tensor<D> {
    let rows = shape[0];
    let cols: usize = shape[1..].iter().product();
    let values = orthogonal(rows, cols, 1.0, seed);
    Tensor::from_data(TensorData::new(values, shape), device)
}

fn orthogonal_param<const D: usize>(
    shape: [usize; D],
    seed: u64,
    device: &Device,
) -> Param<Tensor<D>> {
    Param::from_tensor(orthogonal_tensor(shape, seed, device))
}

fn zeros_param(n: usize, device: &Device) -> Param<Tensor<1>> {
    Param::from_tensor(Tensor::zeros([n], device))
}

/// The SVD CNN backbone: features to a 64-dimensional embedding.
#[derive(Module, Debug)]
pub struct SvdCnn {
    conv1: GemmConv2d,
    conv2: GemmConv2d,
    conv3: GemmConv2d,
    conv4: GemmConv2d,
    dense1: Linear,
    dense2: Linear,
    dropout: Dropout,
    leak: f64,
    /// Extent of the last pooled map, `[time, freq]` (11 x 7 for 115 x 80).
    pooled: [usize; 2],
}

impl SvdCnn {
    /// Size of the embedding this backbone returns.
    pub const EMBEDDING: usize = 64;

    /// The two first convolutions: `[n, 1, time, freq]` -> `[n, 32, time-4, freq-4]`.
    fn block1(&self, x: Tensor<4>) -> Tensor<4> {
        let x = self.conv1.forward_leaky_relu(x, self.leak); // [n, 64, t-2, f-2]
        self.conv2.forward_leaky_relu(x, self.leak) // [n, 32, t-4, f-4]
    }

    /// The two middle convolutions: `[n, 32, t, f]` -> `[n, 64, t-4, f-4]`.
    fn block2(&self, x: Tensor<4>) -> Tensor<4> {
        let x = self.conv3.forward_leaky_relu(x, self.leak); // [n, 128, t-2, f-2]
        self.conv4.forward_leaky_relu(x, self.leak) // [n, 64, t-4, f-4]
    }

    /// The second dense layer with its dropout: `[n, 256]` -> `[n, 64]`.
    fn dense_tail(&self, x: Tensor<2>) -> Tensor<2> {
        leaky_relu(self.dense2.forward(self.dropout.forward(x)), self.leak) // [n, 64]
    }

    /// Embeddings `[batch, 64]` of feature excerpts `[batch, bands, frames]`.
    pub fn forward(&self, features: Tensor<3>) -> Tensor<2> {
        let x = features.swap_dims(1, 2).unsqueeze_dim::<4>(1); // [batch, 1, frames, bands]
        let x = pool(self.block1(x)); // [batch, 32, 37, 25]
        let x = pool(self.block2(x)); // [batch, 64, 11, 7]
        let x: Tensor<2> = x.flatten(1, 3); // [batch, 4928]
        let x = leaky_relu(self.dense1.forward(self.dropout.forward(x)), self.leak); // [batch, 256]
        self.dense_tail(x)
    }

    /// Embeddings `[count, 64]` of every excerpt of `excerpt` frames in a long
    /// sequence `[1, bands, frames]`, where row `s` is the excerpt starting at
    /// frame `s` (`count = frames - excerpt + 1`). Numerically the same as
    /// [`SvdCnn::forward`] on each excerpt (dropout is not applied).
    pub fn forward_every_excerpt(&self, sequence: Tensor<3>, excerpt: usize) -> Tensor<2> {
        let [_, _, frames] = sequence.dims();
        let device = sequence.device();
        let count = frames + 1 - excerpt;
        let x = sequence.swap_dims(1, 2).unsqueeze_dim::<4>(1); // [1, 1, frames, bands]
        let a = self.block1(x); // [1, 32, frames-4, bands-4]
        let a_len = a.dims()[2];
        let [pt, pf] = self.pooled;
        // Dense layer 1 as a convolution over the pooled map: [256, 64, pt, pf].
        let w1 = self
            .dense1
            .weight
            .val()
            .transpose()
            .reshape([256, 64, pt, pf]);
        let b1 = self.dense1.bias.as_ref().map(|b| b.val());
        let mut parts = Vec::with_capacity(9);
        let mut order = Vec::with_capacity(count);
        for r in 0..3 {
            // Excerpts starting at r (mod 3) pool the rows r, r+3, ...
            let p1 = pool(a.clone().slice([0..1, 0..32, r..a_len])); // [1, 32, n1, 25]
            let b = self.block2(p1); // [1, 64, n1-4, 21]
            let b_len = b.dims()[2];
            let channels = b.dims()[1];
            let freq = b.dims()[3];
            for q in 0..3 {
                if q >= b_len {
                    continue;
                }
                let p2 = pool(b.clone().slice([0..1, 0..channels, q..b_len, 0..freq])); // [1, 64, n2, 7]
                if p2.dims()[2] < pt {
                    continue;
                }
                let h = conv2d(
                    p2,
                    w1.clone(),
                    b1.clone(),
                    ConvOptions::new([1, 1], [0, 0], [1, 1], 1),
                ); // [1, 256, n2-pt+1, 1]
                let n = h.dims()[2];
                let h: Tensor<2> = h.reshape([256, n]).transpose(); // [n, 256]
                // Excerpt start s = r + 3 q + 9 j for the j-th row.
                let mut kept = 0;
                for j in 0..n {
                    let s = r + 3 * q + 9 * j;
                    if s < count {
                        order.push(s);
                        kept += 1;
                    }
                }
                parts.push(leaky_relu(h.slice([0..kept, 0..256]), self.leak));
            }
        }
        let all = Tensor::cat(parts, 0); // [count, 256], excerpts in phase order
        let mut position = vec![0i64; count];
        for (row, s) in order.iter().enumerate() {
            position[*s] = row as i64;
        }
        let index = Tensor::<1, Int>::from_data(TensorData::new(position, [count]), &device);
        self.dense_tail(all.select(0, index)) // [count, 64]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_excerpt_pass_equals_one_pass_per_excerpt() {
        let device = Device::flex();
        let (frames, bands, excerpt) = (40 + 23, 40, 40);
        let net = SvdCnnConfig::default()
            .init(excerpt, bands, 3, &device)
            .valid();
        let values: Vec<f32> = (0..bands * frames)
            .map(|i| ((i * 2654435761usize) % 1000) as f32 / 500.0 - 1.0)
            .collect();
        let sequence = Tensor::<3>::from_data(TensorData::new(values, [1, bands, frames]), &device);
        let all = net
            .forward_every_excerpt(sequence.clone(), excerpt)
            .into_data()
            .try_into_vec::<f32>()
            .unwrap();
        let count = frames - excerpt + 1;
        assert_eq!(all.len(), count * SvdCnn::EMBEDDING);
        let excerpts: Vec<Tensor<3>> = (0..count)
            .map(|s| sequence.clone().slice([0..1, 0..bands, s..s + excerpt]))
            .collect();
        let one_by_one = net
            .forward(Tensor::cat(excerpts, 0))
            .into_data()
            .try_into_vec::<f32>()
            .unwrap();
        let worst = all
            .iter()
            .zip(&one_by_one)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        let scale = one_by_one.iter().fold(0f32, |m, v| m.max(v.abs()));
        assert!(scale > 0.0);
        assert!(
            worst <= 1e-4 * scale.max(1.0),
            "max difference {worst} (scale {scale})"
        );
    }

    #[test]
    fn the_papers_input_gives_the_papers_shapes() {
        let net = SvdCnnConfig::default().init(115, 80, 1, &Device::flex());
        assert_eq!(net.pooled, [11, 7]);
        assert_eq!(net.dense1.weight.dims(), [4928, 256]);
        assert!(SvdCnnConfig::default().validate(10, 80).is_err());
    }

    #[test]
    fn a_leak_outside_the_unit_interval_is_refused_by_key() {
        for leak in [0.0, -0.1, 1.5, f64::NAN] {
            let config = SvdCnnConfig {
                leak,
                ..SvdCnnConfig::default()
            };
            let message = config.validate(115, 80).expect_err("refused");
            assert!(
                message.contains("model.leak") && message.contains("(0, 1]"),
                "{message}"
            );
        }
        let linear = SvdCnnConfig {
            leak: 1.0,
            ..SvdCnnConfig::default()
        };
        assert!(linear.validate(115, 80).is_ok());
    }
}
