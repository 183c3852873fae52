//! Magnitude of the short-time Fourier transform, as a burn module shared by
//! the STFT-based frontends (fixed and learnable mel).
//!
//! Frames of `n_fft` samples every `hop` samples without centring
//! (`librosa.stft(center=False)`), periodic Hann window `w`, and the magnitude
//! `|X[k]| = sqrt(Re X[k]^2 + Im X[k]^2 + 1e-20)` of the bins
//! `k = 0 .. n_fft / 2`. The `1e-20` keeps the gradient finite at exact zeros.
//!
//! The DFT is burn's real FFT where the backend has one, otherwise a matrix
//! product with the windowed DFT basis ([`crate::dft`]); both are
//! differentiable with respect to the waveform. The window and basis are
//! constants (plain tensors), so they are not stored in checkpoints.

use burn::module::Module;
use burn::tensor::signal::rfft;
use burn::tensor::{Device, Tensor, TensorData};

use crate::dft::{DftMethod, hann_periodic, windowed_dft_basis};

/// Added to the power spectrum before the square root (see the module doc).
pub const POWER_EPSILON: f32 = 1e-20;

/// The windowed STFT magnitude. Output `[batch, frames, n_fft / 2 + 1]`.
#[derive(Module, Debug)]
pub struct Stft {
    /// Periodic Hann window `[n_fft]` (FFT path only).
    window: Option<Tensor<1>>,
    /// Windowed DFT basis, cosine and sine parts `[n_fft, bins]` (matrix path only).
    basis: Option<(Tensor<2>, Tensor<2>)>,
    n_fft: usize,
    hop: usize,
}

impl Stft {
    /// An STFT with frames of `n_fft` samples every `hop` samples, computed
    /// with `method` on `device` (the FFT needs a power-of-two `n_fft`).
    pub fn new(n_fft: usize, hop: usize, method: DftMethod, device: &Device) -> Self {
        let window = hann_periodic(n_fft);
        let (window_tensor, basis) = match method {
            DftMethod::Fft => {
                let w: Vec<f32> = window.iter().map(|&v| v as f32).collect();
                (
                    Some(Tensor::from_data(TensorData::new(w, [n_fft]), device)),
                    None,
                )
            }
            DftMethod::Matrix => (None, Some(windowed_dft_basis(&window, device))),
        };
        Self {
            window: window_tensor,
            basis,
            n_fft,
            hop,
        }
    }

    /// Frame (FFT) length in samples.
    pub fn n_fft(&self) -> usize {
        self.n_fft
    }

    /// Hop between frames in samples.
    pub fn hop(&self) -> usize {
        self.hop
    }

    /// Number of frequency bins, `n_fft / 2 + 1`.
    pub fn bins(&self) -> usize {
        self.n_fft / 2 + 1
    }

    /// Magnitude spectrum `[batch, frames, bins]` of waveforms `[batch, samples]`.
    pub fn magnitude(&self, wave: Tensor<2>) -> Tensor<3> {
        let [batch, _] = wave.dims();
        let frames: Tensor<3> = wave.unfold(1, self.n_fft, self.hop); // [batch, frames, n_fft]
        let [_, count, n_fft] = frames.dims();
        let bins = self.bins();
        let (re, im) = match (&self.window, &self.basis) {
            (Some(window), _) => {
                let windowed = frames * window.clone().reshape([1, 1, n_fft]); // [batch, frames, n_fft]
                rfft(windowed, 2, None) // each [batch, frames, bins]
            }
            (None, Some((cos, sin))) => {
                let flat = frames.reshape([batch * count, n_fft]); // [batch * frames, n_fft]
                (
                    flat.clone()
                        .matmul(cos.clone())
                        .reshape([batch, count, bins]), // [batch, frames, bins]
                    flat.matmul(sin.clone()).reshape([batch, count, bins]), // [batch, frames, bins]
                )
            }
            (None, None) => unreachable!("Stft is built with a window or a DFT basis"),
        };
        (re.clone() * re + im.clone() * im + POWER_EPSILON).sqrt() // [batch, frames, bins]
    }
}
