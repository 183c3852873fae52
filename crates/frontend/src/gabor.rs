//! The Gabor frontend: Gabor filter bank on the waveform, squared modulus,
//! per-band Gaussian time-averaging, compression, per-band standardisation
//! (Dörfler et al. 2018; LEAF; EfficientLEAF):
//!
//! ```text
//! features[b, t] = standardize( compress( sum_tau phi_b(tau) |x * g_b|^2 (t hop + W/2 + tau) ) )
//! ```
//!
//! Filters: [`crate::gabor_bank`]; filtering and squared modulus:
//! [`crate::gabor_energy`]; averaging: [`crate::time_averaging`];
//! compression: [`crate::compression`]. Frames are placed exactly as the mel
//! frontend's (`W` = its `n_fft`), so backbones and labels are
//! interchangeable between the two.

use burn::module::Module;
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::bounds::AtBound;
use crate::compression::{Compression, CompressionKind, CompressionSettings};
use crate::dft::DftMethod;
use crate::filter_plan::FilterPlan;
use crate::filter_summary::{BandResponse, BandSeries, FilterSummary, spread_bands};
use crate::frame_context::FrameContext;
use crate::gabor_bank::{GaborBank, fwhm_hz, mel_initialised, response};
use crate::gabor_energy::band_energies;
use crate::host::{HostReadError, in_forward_pass, to_f64_vec};
use crate::log_mel::LogMelConfig;
use crate::standardize::Standardize;
use crate::time_averaging::{STFT_WIDTH, TimeAveraging};

/// How the averaging widths start (and stay, unless learned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AveragingKind {
    /// One width for all bands (`fixed_width`).
    Fixed,
    /// Width proportional to each band's filter width (`adaptive_ratio`).
    Adaptive,
}

/// Settings of the Gabor frontend (`[frontend] kind = "gabor"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GaborConfig {
    /// Number of filters.
    #[serde(default = "default_bands")]
    pub bands: usize,
    /// Lowest mel point of the initialisation in Hz.
    #[serde(default = "default_fmin")]
    pub fmin: f64,
    /// Highest mel point of the initialisation in Hz.
    #[serde(default = "default_fmax")]
    pub fmax: f64,
    /// `W`: each frame averages `W + 1` samples (as the mel frontend's n_fft).
    #[serde(default = "default_window")]
    pub window: usize,
    /// Samples between frames.
    #[serde(default = "default_hop")]
    pub hop: usize,
    /// Learn the centre frequencies.
    #[serde(default)]
    pub learn_centres: bool,
    /// Learn the filter widths (bandwidths).
    #[serde(default)]
    pub learn_bandwidths: bool,
    /// How the averaging widths are set: "fixed" or "adaptive".
    #[serde(default = "default_averaging")]
    pub averaging: AveragingKind,
    /// Learn the averaging widths (initialised as `averaging` says).
    #[serde(default)]
    pub learn_averaging: bool,
    /// Width `s` of the fixed averaging window, as a fraction of `W / 2`.
    #[serde(default = "default_fixed_width")]
    pub fixed_width: f64,
    /// Adaptive averaging: window standard deviation over filter width
    /// (default 2: per-band correlation with the log-mel spectrogram on a
    /// synthetic song is higher than at 0.5 or 1, see `gabor_tests/versus_log_mel.rs`).
    #[serde(default = "default_adaptive_ratio")]
    pub adaptive_ratio: f64,
    /// "log", "log1p" or "pcen".
    #[serde(default = "default_compression")]
    pub compression: CompressionKind,
    /// Added before the logarithm (compression "log").
    #[serde(default = "default_floor")]
    pub floor: f64,
    /// Initial exponent `a` of `ln(1 + 10^a x)` (compression "log1p").
    #[serde(default = "default_log1p_init")]
    pub log1p_init: f64,
    /// Learn the log1p / PCEN parameters.
    #[serde(default = "default_true")]
    pub learn_compression: bool,
    /// Standard deviations of each Gaussian kept by the computation (speed
    /// against fidelity). At 3.5 the energies are within 0.2 % of the direct
    /// computation where they are within 30 dB of the band's peak, and
    /// quieter values within a few per cent; at 5, within 0.04 % throughout.
    #[serde(default = "default_support")]
    pub support: f64,
}

// Bands, range, frame length and hop default to the mel frontend's, so the
// two stay interchangeable.
fn default_bands() -> usize {
    LogMelConfig::default().bands
}
fn default_fmin() -> f64 {
    LogMelConfig::default().fmin
}
fn default_fmax() -> f64 {
    LogMelConfig::default().fmax
}
fn default_window() -> usize {
    LogMelConfig::default().n_fft
}
fn default_hop() -> usize {
    LogMelConfig::default().hop
}
fn default_averaging() -> AveragingKind {
    AveragingKind::Adaptive
}
fn default_fixed_width() -> f64 {
    STFT_WIDTH
}
fn default_adaptive_ratio() -> f64 {
    2.0
}
fn default_compression() -> CompressionKind {
    CompressionKind::Log
}
fn default_floor() -> f64 {
    1e-10
}
fn default_log1p_init() -> f64 {
    5.0
}
fn default_true() -> bool {
    true
}
fn default_support() -> f64 {
    3.5
}

impl Default for GaborConfig {
    fn default() -> Self {
        Self {
            bands: default_bands(),
            fmin: default_fmin(),
            fmax: default_fmax(),
            window: default_window(),
            hop: default_hop(),
            learn_centres: false,
            learn_bandwidths: false,
            averaging: default_averaging(),
            learn_averaging: false,
            fixed_width: default_fixed_width(),
            adaptive_ratio: default_adaptive_ratio(),
            compression: default_compression(),
            floor: default_floor(),
            log1p_init: default_log1p_init(),
            learn_compression: true,
            support: default_support(),
        }
    }
}

impl GaborConfig {
    /// Checks the settings; the message names the key.
    pub fn validate(&self, sample_rate: u32, method: DftMethod) -> Result<(), String> {
        let nyquist = sample_rate as f64 / 2.0;
        if method == DftMethod::Matrix {
            return Err(
                "frontend.kind = \"gabor\" needs burn's FFT, which this backend lacks; \
                 use backend = \"flex\" (CPU) or \"wgpu\" (GPU)"
                    .into(),
            );
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
        if self.window < 8 || !self.window.is_multiple_of(2) {
            return Err(format!(
                "frontend.window = {} must be an even number of samples, at least 8",
                self.window
            ));
        }
        if self.hop == 0 {
            return Err("frontend.hop must be at least 1".into());
        }
        let (lo, hi) = TimeAveraging::width_range(self.window);
        if !(self.fixed_width >= lo && self.fixed_width <= hi) {
            return Err(format!(
                "frontend.fixed_width = {} must lie in [{lo:.4}, {hi}] (a fraction of half the window)",
                self.fixed_width
            ));
        }
        if !(self.adaptive_ratio > 0.0 && self.adaptive_ratio.is_finite()) {
            return Err(format!(
                "frontend.adaptive_ratio = {} must be positive",
                self.adaptive_ratio
            ));
        }
        if !(self.floor > 0.0 && self.floor.is_finite()) {
            return Err(format!("frontend.floor = {} must be positive", self.floor));
        }
        if !self.log1p_init.is_finite() || self.log1p_init.abs() > 20.0 {
            return Err(format!(
                "frontend.log1p_init = {} must be within [-20, 20]",
                self.log1p_init
            ));
        }
        if !(2.0..=8.0).contains(&self.support) {
            return Err(format!(
                "frontend.support = {} must lie in [2, 8] standard deviations",
                self.support
            ));
        }
        Ok(())
    }

    /// The initial averaging widths for filters of widths `sigma`.
    fn initial_widths(&self, sigma: &[f64]) -> Vec<f64> {
        match self.averaging {
            AveragingKind::Fixed => vec![self.fixed_width; sigma.len()],
            AveragingKind::Adaptive => {
                TimeAveraging::adaptive_widths(sigma, self.adaptive_ratio, self.window)
            }
        }
    }

    /// Builds the module on `device` for audio at `sample_rate`.
    pub fn init(&self, sample_rate: u32, device: &Device) -> Gabor {
        let sr = sample_rate as f64;
        let (omega, sigma) = mel_initialised(self.bands, self.fmin, self.fmax, sr);
        let bank = GaborBank::new(
            &omega,
            &sigma,
            self.window,
            self.learn_centres,
            self.learn_bandwidths,
            device,
        );
        let averaging = TimeAveraging::new(
            &self.initial_widths(&sigma),
            self.window,
            self.hop,
            self.learn_averaging,
            device,
        );
        let compression = Compression::new(
            &CompressionSettings {
                kind: self.compression,
                floor: self.floor,
                log1p_init: self.log1p_init,
                learn: self.learn_compression,
            },
            self.bands,
            device,
        );
        Gabor {
            bank,
            averaging,
            compression,
            standardize: Standardize::identity(self.bands, device),
            sample_rate: sr,
            support: self.support,
        }
    }
}

/// The Gabor frontend module. Output `[batch, bands, frames]`.
#[derive(Module, Debug)]
pub struct Gabor {
    /// Centres and widths of the filters.
    pub bank: GaborBank,
    /// Per-band time-averaging.
    pub averaging: TimeAveraging,
    /// Dynamic range compression.
    pub compression: Compression,
    /// Per-band standardisation with training-set statistics.
    pub standardize: Standardize,
    sample_rate: f64,
    support: f64,
}

impl Gabor {
    /// Number of output bands.
    pub fn bands(&self) -> usize {
        self.bank.bands()
    }

    /// The learned parameters on their bounds ([`crate::bounds`]).
    pub fn at_bounds(&self) -> Result<Vec<AtBound>, HostReadError> {
        let mut found = self.bank.at_bounds()?;
        found.extend(self.averaging.at_bounds()?);
        found.extend(self.compression.at_bounds()?);
        Ok(found)
    }

    /// Samples consumed by one frame (`W`).
    pub fn frame_length(&self) -> usize {
        self.averaging.window()
    }

    /// Samples between frames.
    pub fn hop(&self) -> usize {
        self.averaging.hop()
    }

    /// Averaged band energies before compression, `[batch, bands, frames]`
    /// (inputs must be at least one frame long).
    pub fn energies(&self, wave: Tensor<2>) -> Tensor<3> {
        let [batch, samples] = wave.dims();
        let (omega, sigma) = self.bank.constrained();
        // The plan is built from detached host values (see crate::filter_plan).
        let omega_host = in_forward_pass(to_f64_vec(omega.clone(), "the Gabor filter centres"));
        let sigma_host = in_forward_pass(to_f64_vec(sigma.clone(), "the Gabor filter widths"));
        let averaging_std = in_forward_pass(self.averaging.std_samples_host());
        let plan = FilterPlan::new(
            (batch, samples, self.hop()),
            &sigma_host,
            &averaging_std,
            self.support,
        );
        let energies = band_energies(wave, &plan, omega, sigma, &omega_host);
        self.averaging.pool(energies, &plan, (batch, samples))
    }

    /// Frames either side of a frame that its value depends on
    /// ([`FrameContext`]): the filters' and averaging windows' reach
    /// ([`FilterPlan::margin`] samples from the frame's centre, which lies
    /// `W / 2` into the frame) in whole hops, and before it, the PCEN
    /// smoother's history on top.
    pub fn context(&self) -> Result<FrameContext, HostReadError> {
        let (_, sigma) = self.bank.constrained_host()?;
        let averaging_std = self.averaging.std_samples_host()?;
        let margin = FilterPlan::margin(&sigma, &averaging_std);
        let reach = margin
            .saturating_sub(self.frame_length() / 2)
            .div_ceil(self.hop());
        Ok(FrameContext {
            before: reach + self.compression.history_frames()?,
            after: reach,
        })
    }

    /// Compressed features before standardisation, `[batch, bands, frames]`.
    pub fn unstandardized(&self, wave: Tensor<2>) -> Tensor<3> {
        self.compression.forward(self.energies(wave))
    }

    /// Standardised features, `[batch, bands, frames]`.
    pub fn forward(&self, wave: Tensor<2>) -> Tensor<3> {
        self.standardize.forward(self.unstandardized(wave))
    }

    /// Centres, bandwidths, averaging widths, compression parameters and a
    /// few filter responses, in physical units; fails if the parameters
    /// cannot be read back from the device.
    pub fn filter_summary(&self) -> Result<FilterSummary, HostReadError> {
        let sr = self.sample_rate;
        let (omega, sigma) = self.bank.constrained_host()?;
        let to_hz = |w: f64| w * sr / (2.0 * std::f64::consts::PI);
        let mut series = vec![
            BandSeries {
                name: "centre frequency".into(),
                unit: "Hz".into(),
                values: omega.iter().map(|&w| to_hz(w)).collect(),
            },
            BandSeries {
                name: "bandwidth (FWHM)".into(),
                unit: "Hz".into(),
                values: sigma.iter().map(|&s| fwhm_hz(s, sr)).collect(),
            },
            BandSeries {
                name: "averaging width (std)".into(),
                unit: "ms".into(),
                values: self
                    .averaging
                    .std_samples_host()?
                    .into_iter()
                    .map(|s| 1000.0 * s / sr)
                    .collect(),
            },
        ];
        for (name, values) in self.compression.band_parameters()? {
            series.push(BandSeries {
                name,
                unit: String::new(),
                values,
            });
        }
        let grid: Vec<f64> = (0..=1024).map(|i| i as f64 * sr / 2048.0).collect();
        let responses = spread_bands(self.bands(), 6)
            .into_iter()
            .map(|band| BandResponse {
                band,
                freqs_hz: grid.clone(),
                gain: grid
                    .iter()
                    .map(|&f| {
                        let w = 2.0 * std::f64::consts::PI * f / sr;
                        response(omega[band], sigma[band], w)
                    })
                    .collect(),
            })
            .collect();
        Ok(FilterSummary {
            kind: "gabor".into(),
            sample_rate: sr,
            series,
            responses,
        })
    }
}
