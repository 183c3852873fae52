//! Per-band standardisation `(x - mean_b) / std_b` with training-set statistics.
//!
//! As in Schlüter & Grill (ISMIR 2015): every frontend's output is z-scored
//! per band with the mean and standard deviation measured over the training
//! set's frames. The statistics are stored with the model (so a trained run
//! carries them) but are not trained: they get no gradient.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor, TensorData};

use crate::host::{HostReadError, to_f32_vec};

/// Running sums for per-band statistics, accumulated on the host in f64.
#[derive(Debug, Clone)]
pub struct BandStatistics {
    count: f64,
    sum: Vec<f64>,
    sum_sq: Vec<f64>,
}

impl BandStatistics {
    /// Empty statistics for `bands` bands.
    pub fn new(bands: usize) -> Self {
        Self {
            count: 0.0,
            sum: vec![0.0; bands],
            sum_sq: vec![0.0; bands],
        }
    }

    /// Adds the frames of one `[bands][frames]` row-major feature matrix.
    pub fn add(&mut self, features: &[f32], frames: usize) {
        let bands = self.sum.len();
        debug_assert_eq!(features.len(), bands * frames);
        for b in 0..bands {
            let row = &features[b * frames..(b + 1) * frames];
            for &v in row {
                let v = v as f64;
                self.sum[b] += v;
                self.sum_sq[b] += v * v;
            }
        }
        self.count += frames as f64;
    }

    /// Mean and standard deviation per band (a constant band gets std 1).
    pub fn mean_std(&self) -> (Vec<f32>, Vec<f32>) {
        let n = self.count.max(1.0);
        self.sum
            .iter()
            .zip(&self.sum_sq)
            .map(|(s, sq)| {
                let mean = s / n;
                let var = (sq / n - mean * mean).max(0.0);
                let std = if var > 1e-12 { var.sqrt() } else { 1.0 };
                (mean as f32, std as f32)
            })
            .unzip()
    }
}

/// Per-band standardisation layer; identity until statistics are set.
#[derive(Module, Debug)]
pub struct Standardize {
    /// Per-band mean, `[bands]`.
    mean: Param<Tensor<1>>,
    /// Per-band standard deviation, `[bands]`.
    std: Param<Tensor<1>>,
}

impl Standardize {
    /// Identity standardisation (mean 0, std 1) for `bands` bands.
    pub fn identity(bands: usize, device: &Device) -> Self {
        Self::from_stats(&vec![0.0; bands], &vec![1.0; bands], device)
    }

    /// Standardisation with the given per-band statistics.
    pub fn from_stats(mean: &[f32], std: &[f32], device: &Device) -> Self {
        let constant = |v: &[f32]| {
            Param::from_tensor(Tensor::from_data(
                TensorData::new(v.to_vec(), [v.len()]),
                device,
            ))
            .set_require_grad(false)
        };
        Self {
            mean: constant(mean),
            std: constant(std),
        }
    }

    /// `[batch, bands, frames]` -> `[batch, bands, frames]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let bands = self.mean.dims()[0];
        let mean = self.mean.val().reshape([1, bands, 1]);
        let std = self.std.val().reshape([1, bands, 1]);
        (x - mean) / std
    }

    /// The per-band means and standard deviations, read back from the device.
    pub fn statistics(&self) -> Result<(Vec<f32>, Vec<f32>), HostReadError> {
        Ok((
            to_f32_vec(self.mean.val(), "the standardisation means")?,
            to_f32_vec(self.std.val(), "the standardisation deviations")?,
        ))
    }

    /// The device the statistics live on.
    pub fn device(&self) -> Device {
        self.mean.val().device()
    }
}
