//! Log-magnitude mel spectrogram whose triangle positions are learned.
//!
//! After Schlüter's `MelBankLayer` (f0k/ismir2015, branch `phd_extra`; see
//! LITERATURE.md §1, "Learnable mel triangles on the STFT"). The module
//! learns `bands + 2` numbers in mel: the lowest filter edge, then the
//! `bands + 1` spacings between consecutive filter edges. In the forward pass,
//! as a pure function of those numbers:
//!
//! 1. each spacing is clamped to at least `min_spacing` mel (a LEAF-style
//!    forward-pass constraint: filters stay ordered and never collapse);
//! 2. the cumulative sum gives the `bands + 2` points `m_i` in mel, kept in
//!    `[0, mel(sr / 2)]` (so that `exp` cannot overflow);
//! 3. mel to Hz with the HTK formula `f_i = 700 (exp(m_i / 1127) - 1)`, the
//!    natural-log form of [`crate::mel_scale::mel_to_hz`] (equal spacing in
//!    either form gives the same frequencies);
//! 4. Hz to fractional FFT bin `p_i = f_i n_fft / sr`, clamped to
//!    `[0, n_fft / 2]` so that no filter reaches above Nyquist;
//! 5. band `b` has edges `l = p_b`, `r = p_{b+2}` and peak `c = p_{b+1}`;
//!    its response on bin `x = 0 .. n_fft / 2` is the triangle
//!    `max(0, min((x - l) / (c - l), (x - r) / (c - r)))` (each flank width
//!    at least 1e-6 bin, so edges clamped together do not divide by zero),
//!    scaled to unit sum as in [`crate::mel_scale::mel_filters`] (`+ 1e-8` in
//!    the divisor, so a triangle between two bins gives zeros, not NaN).
//!
//! The features are then `log(max(mel, floor))` and the same per-band
//! standardisation as [`crate::log_mel`]. Initialised with equal spacings
//! from `mel(fmin)` to `mel(fmax)`, the filters are exactly the fixed mel
//! bank, so the module starts as the log-mel frontend. Schlüter reports that
//! learning them tends to be slightly worse than the fixed baseline.

use burn::module::{Module, Param};
use burn::tensor::{Device, Int, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::bounds::{AtBound, count_at_bound};
use crate::dft::DftMethod;
use crate::filter_summary::{BandResponse, BandSeries, FilterSummary, spread_bands};
use crate::host::{HostReadError, to_f64_vec};
use crate::log_mel::LogMelConfig;
use crate::standardize::Standardize;
use crate::stft::Stft;

/// Mel per unit of `ln(1 + f / 700)` in the HTK mel scale.
pub const MEL_PER_NEPER: f64 = 1127.0;

/// Smallest triangle flank in bins used as a divisor (two points clamped
/// onto the same bin would otherwise divide by zero).
pub const MIN_FLANK_BINS: f32 = 1e-6;

/// Added to each triangle's sum before scaling it to unit sum.
pub const SUM_EPSILON: f32 = 1e-8;

/// `mel(f) = 1127 ln(1 + f / 700)`.
fn hz_to_mel(hz: f64) -> f64 {
    MEL_PER_NEPER * (hz / 700.0).ln_1p()
}

/// Settings of the learnable mel frontend (`[frontend] kind = "learnable-mel"`).
/// Same keys and defaults as the fixed `mel` frontend, plus `min_spacing`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnableMelConfig {
    /// Frame (FFT) length in samples.
    #[serde(default = "default_n_fft")]
    pub n_fft: usize,
    /// Hop between frames in samples.
    #[serde(default = "default_hop")]
    pub hop: usize,
    /// Number of mel bands.
    #[serde(default = "default_bands")]
    pub bands: usize,
    /// Lowest band edge in Hz at initialisation.
    #[serde(default = "default_fmin")]
    pub fmin: f64,
    /// Highest band edge in Hz at initialisation.
    #[serde(default = "default_fmax")]
    pub fmax: f64,
    /// Floor applied before the logarithm.
    #[serde(default = "default_floor")]
    pub floor: f64,
    /// Smallest spacing between consecutive band edges, in mel. The default,
    /// 1 mel, is 0.6 Hz at 0 Hz and 7.7 Hz at 8 kHz: far below an FFT bin
    /// (21.5 Hz at the defaults), so it only keeps the edges in order.
    #[serde(default = "default_min_spacing")]
    pub min_spacing: f64,
}

fn default_n_fft() -> usize {
    LogMelConfig::default().n_fft
}
fn default_hop() -> usize {
    LogMelConfig::default().hop
}
fn default_bands() -> usize {
    LogMelConfig::default().bands
}
fn default_fmin() -> f64 {
    LogMelConfig::default().fmin
}
fn default_fmax() -> f64 {
    LogMelConfig::default().fmax
}
fn default_floor() -> f64 {
    LogMelConfig::default().floor
}
fn default_min_spacing() -> f64 {
    1.0
}

impl Default for LearnableMelConfig {
    fn default() -> Self {
        Self {
            n_fft: default_n_fft(),
            hop: default_hop(),
            bands: default_bands(),
            fmin: default_fmin(),
            fmax: default_fmax(),
            floor: default_floor(),
            min_spacing: default_min_spacing(),
        }
    }
}

impl LearnableMelConfig {
    /// The fixed mel frontend with the same STFT, bands and floor.
    fn fixed(&self) -> LogMelConfig {
        LogMelConfig {
            n_fft: self.n_fft,
            hop: self.hop,
            bands: self.bands,
            fmin: self.fmin,
            fmax: self.fmax,
            floor: self.floor,
        }
    }

    /// Mel spacing between consecutive band edges at initialisation.
    fn initial_spacing(&self) -> f64 {
        (hz_to_mel(self.fmax) - hz_to_mel(self.fmin)) / (self.bands + 1) as f64
    }

    /// Checks the settings against the sample rate; the message names the key.
    pub fn validate(&self, sample_rate: u32, method: DftMethod) -> Result<(), String> {
        self.fixed().validate(sample_rate, method)?;
        if !(self.min_spacing.is_finite() && self.min_spacing > 0.0) {
            return Err(format!(
                "frontend.min_spacing = {} must be a positive number of mel",
                self.min_spacing
            ));
        }
        let initial = self.initial_spacing();
        if self.min_spacing > initial {
            return Err(format!(
                "frontend.min_spacing = {} mel exceeds the initial spacing of {initial:.3} mel \
                 ({} bands between fmin and fmax); lower min_spacing or use fewer bands",
                self.min_spacing, self.bands
            ));
        }
        Ok(())
    }

    /// Builds the module on `device` for audio at `sample_rate`, with the
    /// triangles of the fixed mel bank.
    pub fn init(&self, sample_rate: u32, method: DftMethod, device: &Device) -> LearnableMel {
        let mut values = vec![hz_to_mel(self.fmin) as f32];
        values.extend(std::iter::repeat_n(
            self.initial_spacing() as f32,
            self.bands + 1,
        ));
        let lowest_and_spacings = Param::from_tensor(Tensor::from_data(
            TensorData::new(values, [self.bands + 2]),
            device,
        ));
        LearnableMel {
            lowest_and_spacings,
            stft: Stft::new(self.n_fft, self.hop, method, device),
            standardize: Standardize::identity(self.bands, device),
            bands: self.bands,
            floor: self.floor,
            min_spacing: self.min_spacing,
            sample_rate: sample_rate as f64,
        }
    }
}

/// The learnable mel frontend module. Output `[batch, bands, frames]`.
#[derive(Module, Debug)]
pub struct LearnableMel {
    /// `[bands + 2]` in mel, unconstrained: the lowest band edge, then the
    /// spacings between consecutive band edges.
    lowest_and_spacings: Param<Tensor<1>>,
    /// Windowed STFT magnitude (frames of `n_fft` every `hop` samples).
    stft: Stft,
    /// Per-band standardisation with training-set statistics.
    pub standardize: Standardize,
    bands: usize,
    floor: f64,
    min_spacing: f64,
    sample_rate: f64,
}

impl LearnableMel {
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
        self.bands
    }

    /// The learned spacings on their lower bound `min_spacing`
    /// ([`crate::bounds`]); `None` when the bank is not learned.
    pub fn at_bounds(&self) -> Result<Option<AtBound>, HostReadError> {
        let raw = self.lowest_and_spacings.val();
        if !raw.is_require_grad() {
            return Ok(None);
        }
        let values = to_f64_vec(raw, "the learnable mel spacings")?;
        Ok(Some(count_at_bound(
            "learnable mel spacings",
            &values[1..],
            self.min_spacing,
            f64::INFINITY,
        )))
    }

    /// The `bands + 2` band edges in mel after the spacing constraint,
    /// before they are kept within `[0, Nyquist]`.
    fn edges_mel(&self) -> Tensor<1> {
        let raw = self.lowest_and_spacings.val(); // [bands + 2]
        let lowest = raw.clone().slice(0..1); // [1]
        let spacings = raw.slice(1..self.bands + 2).clamp_min(self.min_spacing); // [bands + 1]
        Tensor::cat(vec![lowest, spacings], 0).cumsum(0) // [bands + 2]
    }

    /// The `bands + 2` band edges as fractional FFT bins in `[0, n_fft / 2]`.
    fn edges_bins(&self) -> Tensor<1> {
        let nyquist = self.sample_rate / 2.0;
        let n_fft = self.stft.n_fft() as f64;
        let mel = self.edges_mel().clamp(0.0, hz_to_mel(nyquist)); // [bands + 2]
        let hz = (mel / MEL_PER_NEPER).exp().sub_scalar(1.0) * 700.0; // [bands + 2]
        (hz * (n_fft / self.sample_rate)).clamp(0.0, n_fft / 2.0) // [bands + 2]
    }

    /// The current unit-sum triangular filters, `[bins, bands]`.
    fn filters(&self) -> Tensor<2> {
        let bands = self.bands;
        let bins = self.stft.bins();
        let edges = self.edges_bins(); // [bands + 2]
        let left = edges.clone().slice(0..bands).reshape([1, bands]); // [1, bands]
        let centre = edges.clone().slice(1..bands + 1).reshape([1, bands]); // [1, bands]
        let right = edges.slice(2..bands + 2).reshape([1, bands]); // [1, bands]
        let bin = Tensor::<1, Int>::arange(0..bins as i64, &left.device())
            .float()
            .reshape([bins, 1]); // [bins, 1]
        let rising =
            (bin.clone() - left.clone()) / (centre.clone() - left).clamp_min(MIN_FLANK_BINS); // [bins, bands]
        let falling = (right.clone() - bin) / (right - centre).clamp_min(MIN_FLANK_BINS); // [bins, bands]
        let triangles = rising.min_pair(falling).clamp_min(0.0); // [bins, bands]
        let sums = triangles.clone().sum_dim(0); // [1, bands]
        triangles / (sums + SUM_EPSILON) // [bins, bands]
    }

    /// The current band edges in Hz (`bands + 2` values: band `b` spans edges
    /// `b` to `b + 2` and peaks at edge `b + 1`), with all constraints applied;
    /// fails if they cannot be read back from the device.
    pub fn edges_hz(&self) -> Result<Vec<f64>, HostReadError> {
        let hz_per_bin = self.sample_rate / self.stft.n_fft() as f64;
        Ok(
            to_f64_vec(self.edges_bins(), "the learnable mel band edges")?
                .into_iter()
                .map(|bin| bin * hz_per_bin)
                .collect(),
        )
    }

    /// Log-mel features before standardisation, `[batch, bands, frames]`.
    pub fn unstandardized(&self, wave: Tensor<2>) -> Tensor<3> {
        let magnitude = self.stft.magnitude(wave); // [batch, frames, bins]
        let [batch, count, bins] = magnitude.dims();
        let mel = magnitude
            .reshape([batch * count, bins])
            .matmul(self.filters())
            .reshape([batch, count, self.bands]); // [batch, frames, bands]
        mel.clamp_min(self.floor).log().swap_dims(1, 2) // [batch, bands, frames]
    }

    /// Standardised log-mel features, `[batch, bands, frames]`.
    pub fn forward(&self, wave: Tensor<2>) -> Tensor<3> {
        self.standardize.forward(self.unstandardized(wave))
    }

    /// Centre frequencies, bandwidths and a few responses of the current
    /// filters; fails if they cannot be read back from the device.
    pub fn filter_summary(&self) -> Result<FilterSummary, HostReadError> {
        let bands = self.bands;
        let bins = self.stft.bins();
        let edges = self.edges_hz()?;
        let filters = to_f64_vec(self.filters(), "the learnable mel filters")?; // row-major [bins, bands]
        let hz_per_bin = self.sample_rate / self.stft.n_fft() as f64;
        let freqs_hz: Vec<f64> = (0..bins).map(|k| k as f64 * hz_per_bin).collect();
        let responses = spread_bands(bands, 6)
            .into_iter()
            .map(|band| {
                let gain: Vec<f64> = (0..bins).map(|k| filters[k * bands + band]).collect();
                let peak = gain.iter().cloned().fold(0.0, f64::max);
                BandResponse {
                    band,
                    freqs_hz: freqs_hz.clone(),
                    gain: gain
                        .iter()
                        .map(|v| if peak > 0.0 { v / peak } else { 0.0 })
                        .collect(),
                }
            })
            .collect();
        Ok(FilterSummary {
            kind: "learnable-mel".into(),
            sample_rate: self.sample_rate,
            series: vec![
                BandSeries {
                    name: "centre frequency".into(),
                    unit: "Hz".into(),
                    values: (0..bands).map(|b| edges[b + 1]).collect(),
                },
                BandSeries {
                    name: "bandwidth (FWHM)".into(),
                    unit: "Hz".into(),
                    values: (0..bands)
                        .map(|b| (edges[b + 2] - edges[b]) / 2.0)
                        .collect(),
                },
            ],
            responses,
        })
    }
}

#[cfg(test)]
#[path = "learnable_mel_tests.rs"]
mod tests;
