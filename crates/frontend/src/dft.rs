//! How the short-time spectrum is computed on a given backend.
//!
//! burn's real FFT (`burn::tensor::signal::rfft`) runs on Flex and wgpu but
//! not on ndarray, and only for power-of-two lengths. Where it is missing the
//! same spectrum is computed as a matrix product with the real DFT basis,
//! `Re X[k] = sum_n x[n] w[n] cos(2 pi k n / N)`,
//! `Im X[k] = -sum_n x[n] w[n] sin(2 pi k n / N)`, with the analysis window
//! `w` folded into the basis. Both give the same numbers to float rounding and
//! both are differentiable.

use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

/// Which formulation computes the DFT of each frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DftMethod {
    /// burn's real FFT (Flex, wgpu). Needs a power-of-two frame length.
    #[default]
    Fft,
    /// A matrix product with the windowed DFT basis (every backend, any length).
    Matrix,
}

/// The periodic Hann window `w[n] = 0.5 - 0.5 cos(2 pi n / N)`, as
/// `scipy.signal.get_window('hann', N)` and librosa use it.
pub fn hann_periodic(len: usize) -> Vec<f64> {
    (0..len)
        .map(|n| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * n as f64 / len as f64).cos())
        .collect()
}

/// The windowed real DFT basis as two `[n_fft, n_fft / 2 + 1]` matrices
/// (cosine part, negated sine part), so that `frames @ cos` and
/// `frames @ sin` are the real and imaginary parts of the spectrum.
pub fn windowed_dft_basis(window: &[f64], device: &Device) -> (Tensor<2>, Tensor<2>) {
    let n = window.len();
    let bins = n / 2 + 1;
    let mut cos = Vec::with_capacity(n * bins);
    let mut sin = Vec::with_capacity(n * bins);
    for (t, w) in window.iter().enumerate() {
        for k in 0..bins {
            // Reduce k*t modulo n in integers so the angle stays exact for long frames.
            let phase = 2.0 * std::f64::consts::PI * ((k * t) % n) as f64 / n as f64;
            cos.push((w * phase.cos()) as f32);
            sin.push((-w * phase.sin()) as f32);
        }
    }
    (
        Tensor::from_data(TensorData::new(cos, [n, bins]), device),
        Tensor::from_data(TensorData::new(sin, [n, bins]), device),
    )
}
