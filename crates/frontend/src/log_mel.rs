//! Log-magnitude mel spectrogram computed from the waveform, as a burn module.
//!
//! Schlüter & Grill (ISMIR 2015), f0k/ismir2015: frames of `n_fft` samples
//! every `hop` samples without centring (`librosa.stft(center=False)`),
//! periodic Hann window, magnitude `|X[k]|`, triangular mel filters
//! (HTK mel scale, each filter scaled to unit sum; see [`crate::mel_scale`]),
//! then `log(max(m, floor))`, then per-band standardisation
//! ([`crate::standardize`]). Defaults: 22,050 Hz, `n_fft` 1024, hop 315
//! (70 frames/s), 80 bands from 27.5 to 8000 Hz, floor 1e-7.
//!
//! The magnitude spectrum comes from [`crate::stft`] (burn's real FFT, or a
//! DFT matrix where the backend has no FFT); it is differentiable with
//! respect to the waveform (checked against finite differences in the tests).
//! Its `1e-20` offset inside the square root is far below the `1e-7` floor.

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::dft::DftMethod;
use crate::filter_summary::{BandResponse, BandSeries, FilterSummary, spread_bands};
use crate::mel_scale::{mel_filters, mel_points};
use crate::standardize::Standardize;
use crate::stft::Stft;

/// Settings of the log-mel frontend (`[frontend] kind = "mel"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogMelConfig {
    /// Frame (FFT) length in samples.
    #[serde(default = "default_n_fft")]
    pub n_fft: usize,
    /// Hop between frames in samples.
    #[serde(default = "default_hop")]
    pub hop: usize,
    /// Number of mel bands.
    #[serde(default = "default_bands")]
    pub bands: usize,
    /// Lowest mel band edge in Hz.
    #[serde(default = "default_fmin")]
    pub fmin: f64,
    /// Highest mel band edge in Hz.
    #[serde(default = "default_fmax")]
    pub fmax: f64,
    /// Floor applied before the logarithm.
    #[serde(default = "default_floor")]
    pub floor: f64,
}

fn default_n_fft() -> usize {
    1024
}
fn default_hop() -> usize {
    315
}
fn default_bands() -> usize {
    80
}
fn default_fmin() -> f64 {
    27.5
}
fn default_fmax() -> f64 {
    8000.0
}
fn default_floor() -> f64 {
    1e-7
}

impl Default for LogMelConfig {
    fn default() -> Self {
        Self {
            n_fft: default_n_fft(),
            hop: default_hop(),
            bands: default_bands(),
            fmin: default_fmin(),
            fmax: default_fmax(),
            floor: default_floor(),
        }
    }
}

impl LogMelConfig {
    /// Checks the settings against the sample rate; the message names the key.
    pub fn validate(&self, sample_rate: u32, method: DftMethod) -> Result<(), String> {
        let nyquist = sample_rate as f64 / 2.0;
        if self.n_fft < 2 {
            return Err(format!(
                "frontend.n_fft = {} must be at least 2",
                self.n_fft
            ));
        }
        if method == DftMethod::Fft && !self.n_fft.is_power_of_two() {
            return Err(format!(
                "frontend.n_fft = {} must be a power of two for the FFT (burn's rfft); \
                 use 512, 1024 or 2048",
                self.n_fft
            ));
        }
        if self.hop == 0 {
            return Err("frontend.hop must be at least 1".into());
        }
        if self.bands == 0 {
            return Err("frontend.bands must be at least 1".into());
        }
        if !(self.fmin >= 0.0 && self.fmin < self.fmax && self.fmax <= nyquist) {
            return Err(format!(
                "frontend.fmin = {} and frontend.fmax = {} must satisfy 0 <= fmin < fmax <= {nyquist} \
                 (half the sample rate {sample_rate})",
                self.fmin, self.fmax
            ));
        }
        if self.floor.is_nan() || self.floor <= 0.0 {
            return Err(format!("frontend.floor = {} must be positive", self.floor));
        }
        Ok(())
    }

    /// Builds the module on `device` for audio at `sample_rate`.
    pub fn init(&self, sample_rate: u32, method: DftMethod, device: &Device) -> LogMel {
        let bins = self.n_fft / 2 + 1;
        let filters = mel_filters(
            sample_rate as f64,
            self.n_fft,
            self.bands,
            self.fmin,
            self.fmax,
        );
        // Stored transposed, [bins, bands], so that spectrum @ filters gives bands.
        let mut transposed = vec![0f32; bins * self.bands];
        for (b, row) in filters.iter().enumerate() {
            for (k, v) in row.iter().enumerate() {
                transposed[k * self.bands + b] = *v as f32;
            }
        }
        let filters = Tensor::from_data(TensorData::new(transposed, [bins, self.bands]), device);
        LogMel {
            stft: Stft::new(self.n_fft, self.hop, method, device),
            filters,
            standardize: Standardize::identity(self.bands, device),
            floor: self.floor,
            sample_rate: sample_rate as f64,
            fmin: self.fmin,
            fmax: self.fmax,
        }
    }
}

/// The log-mel frontend module. Output `[batch, bands, frames]`.
#[derive(Module, Debug)]
pub struct LogMel {
    /// Windowed STFT magnitude (frames of `n_fft` every `hop` samples).
    stft: Stft,
    /// Unit-sum mel filters, `[bins, bands]`.
    filters: Tensor<2>,
    /// Per-band standardisation with training-set statistics.
    pub standardize: Standardize,
    floor: f64,
    sample_rate: f64,
    fmin: f64,
    fmax: f64,
}

impl LogMel {
    /// Frame length in samples.
    pub fn frame_length(&self) -> usize {
        self.stft.n_fft()
    }

    /// Hop between frames in samples.
    pub fn hop(&self) -> usize {
        self.stft.hop()
    }

    /// Number of output bands.
    pub fn bands(&self) -> usize {
        self.filters.dims()[1]
    }

    /// Magnitude spectrum `[batch, frames, bins]` of waveforms `[batch, samples]`.
    pub fn magnitude(&self, wave: Tensor<2>) -> Tensor<3> {
        self.stft.magnitude(wave)
    }

    /// Log-mel features before standardisation, `[batch, bands, frames]`.
    pub fn unstandardized(&self, wave: Tensor<2>) -> Tensor<3> {
        let magnitude = self.magnitude(wave); // [batch, frames, bins]
        let [batch, count, bins] = magnitude.dims();
        let bands = self.bands();
        let mel = magnitude
            .reshape([batch * count, bins])
            .matmul(self.filters.clone())
            .reshape([batch, count, bands]); // [batch, frames, bands]
        mel.clamp_min(self.floor).log().swap_dims(1, 2) // [batch, bands, frames]
    }

    /// Centre frequencies, bandwidths and a few responses of the mel filters.
    pub fn filter_summary(&self) -> FilterSummary {
        let bands = self.bands();
        let points = mel_points(bands + 2, self.fmin, self.fmax);
        let n_fft = self.stft.n_fft();
        let filters = mel_filters(self.sample_rate, n_fft, bands, self.fmin, self.fmax);
        let freqs_hz: Vec<f64> = (0..self.stft.bins())
            .map(|k| k as f64 * self.sample_rate / n_fft as f64)
            .collect();
        let responses = spread_bands(bands, 6)
            .into_iter()
            .map(|band| {
                let peak = filters[band].iter().cloned().fold(0.0, f64::max);
                BandResponse {
                    band,
                    freqs_hz: freqs_hz.clone(),
                    gain: filters[band]
                        .iter()
                        .map(|v| if peak > 0.0 { v / peak } else { 0.0 })
                        .collect(),
                }
            })
            .collect();
        FilterSummary {
            kind: "mel".into(),
            sample_rate: self.sample_rate,
            series: vec![
                BandSeries {
                    name: "centre frequency".into(),
                    unit: "Hz".into(),
                    values: (0..bands).map(|b| points[b + 1]).collect(),
                },
                BandSeries {
                    name: "bandwidth (FWHM)".into(),
                    unit: "Hz".into(),
                    values: (0..bands)
                        .map(|b| (points[b + 2] - points[b]) / 2.0)
                        .collect(),
                },
            ],
            responses,
        }
    }

    /// Standardised log-mel features, `[batch, bands, frames]`.
    pub fn forward(&self, wave: Tensor<2>) -> Tensor<3> {
        self.standardize.forward(self.unstandardized(wave))
    }
}
