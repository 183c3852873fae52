//! A 2-D convolution whose training backward pass is matrix products.
//!
//! `y[b, o, h, w] = bias[o] + Σ_{c, i, j} W[o, c, i, j] · x[b, c, h + i, w + j]`
//! (stride 1, no dilation, zero padding), as burn's `Conv2d` with the same
//! parameters under the same names (`weight [O, C, kh, kw]`, `bias [O]`), so
//! checkpoints and exports are unchanged.
//!
//! On Flex it runs [`crate::conv_kernel`] through the backend extension of
//! [`crate::conv_backend`]: forward, input gradient and weight gradient are
//! each one matrix product per kernel tap over shifted rows of the input.
//! burn-flex 0.22.1 differentiates its own convolution with burn's generic
//! formulas, whose weight gradient is a convolution of the input with the
//! whole output-gradient map as its kernel: several times slower
//! (BENCHMARKS.md, "Training"). A leaky ReLU can be fused in
//! ([`GemmConv2d::forward_leaky_relu`]), which saves burn's three-pass
//! composite activation and its backward. Other backends use burn's
//! convolution and activation.
//!
//! Only stride 1 and dilation 1 are offered: both backbones use no other,
//! and pooling does the downsampling. Checked against PyTorch
//! (`tests/fixtures/make_conv.py`) and burn's `Conv2d` in `gemm_conv_tests.rs`.

use burn::backend::Dispatch;
use burn::module::{Module, Param};
use burn::tensor::activation::leaky_relu;
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Tensor};

use crate::conv_backend::GemmConvBackend;

/// A stride-1 2-D convolution with zero padding.
#[derive(Module, Debug)]
pub struct GemmConv2d {
    /// `[channels_out, channels_in, kernel_h, kernel_w]`, as burn's `Conv2d`.
    pub weight: Param<Tensor<4>>,
    /// `[channels_out]`.
    pub bias: Option<Param<Tensor<1>>>,
    /// Zero padding added on both sides of `[height, width]`.
    padding: [usize; 2],
}

/// Whether tensors on `device` run on Flex (with or without autodiff).
fn on_flex(device: &Device) -> bool {
    device.clone().inner() == Device::flex()
}

impl GemmConv2d {
    /// A convolution with these parameters and `padding` zeros on each side.
    pub fn new(
        weight: Param<Tensor<4>>,
        bias: Option<Param<Tensor<1>>>,
        padding: [usize; 2],
    ) -> Self {
        Self {
            weight,
            bias,
            padding,
        }
    }

    /// `[batch, C, H, W]` -> `[batch, O, H + 2·pad_h - kh + 1, W + 2·pad_w - kw + 1]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.activated(x, 1.0)
    }

    /// `leaky_relu(self.forward(x), slope)` as one operation: on Flex the
    /// activation and its derivative are applied where the convolution
    /// writes its output and reads its gradient. `slope` in `(0, 1]`.
    ///
    /// # Panics
    /// On a slope outside `(0, 1]` (the model's configuration checks it).
    pub fn forward_leaky_relu(&self, x: Tensor<4>, slope: f64) -> Tensor<4> {
        assert!(
            slope > 0.0 && slope <= 1.0,
            "leaky ReLU slope {slope} outside (0, 1]"
        );
        self.activated(x, slope as f32)
    }

    fn activated(&self, x: Tensor<4>, slope: f32) -> Tensor<4> {
        let [outputs, _, _, _] = self.weight.dims();
        let device = x.device();
        let bias = match &self.bias {
            Some(bias) => bias.val(),
            None => Tensor::zeros([outputs], &device),
        };
        let [ph, pw] = self.padding;
        if on_flex(&device) {
            let y = <Dispatch as GemmConvBackend>::gemm_conv2d(
                x.into_dispatch(),
                self.weight.val().into_dispatch(),
                bias.into_dispatch(),
                ph,
                pw,
                slope,
            );
            Tensor::from_dispatch(y)
        } else {
            let options = ConvOptions::new([1, 1], self.padding, [1, 1], 1);
            let y = conv2d(x, self.weight.val(), Some(bias), options);
            if slope == 1.0 {
                y
            } else {
                leaky_relu(y, f64::from(slope))
            }
        }
    }
}

#[cfg(test)]
#[path = "gemm_conv_tests.rs"]
mod tests;
