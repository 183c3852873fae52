//! Frontends: modules that turn a batch of waveforms `[batch, samples]` into a
//! time–frequency representation `[batch, bands, frames]`, differentiably,
//! on any burn backend.

pub mod bounds;
pub mod compression;
pub mod constants;
pub mod cost;
pub mod dft;
pub mod filter_plan;
pub mod filter_summary;
pub mod frame_context;
pub mod gabor;
pub mod gabor_bank;
pub mod gabor_energy;
pub mod heap;
pub mod host;
pub mod learnable_mel;
pub mod log_mel;
pub mod mel_scale;
pub mod standardize;
pub mod stft;
pub mod time_averaging;

use burn::module::Module;
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

pub use compression::CompressionKind;
pub use dft::DftMethod;
pub use filter_summary::{BandResponse, BandSeries, FilterSummary};
pub use frame_context::FrameContext;
pub use gabor::{AveragingKind, Gabor, GaborConfig};
pub use host::{HostReadError, to_f32_vec, to_f64_vec};
pub use learnable_mel::{LearnableMel, LearnableMelConfig};
pub use log_mel::{LogMel, LogMelConfig};
pub use standardize::{BandStatistics, Standardize};
pub use stft::Stft;

/// Which frontend an experiment uses (`[frontend] kind = "..."`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FrontendConfig {
    /// Log-magnitude mel spectrogram from the STFT (Schlüter & Grill 2015).
    Mel(LogMelConfig),
    /// Gabor filter bank on the waveform with time-averaging and compression
    /// (Dörfler et al. 2018; LEAF).
    Gabor(GaborConfig),
    /// Log mel spectrogram with learned triangle positions (Schlüter's
    /// `MelBankLayer`, f0k/ismir2015).
    LearnableMel(LearnableMelConfig),
}

impl Default for FrontendConfig {
    fn default() -> Self {
        Self::Mel(LogMelConfig::default())
    }
}

impl FrontendConfig {
    /// Checks the settings; the message names the offending key.
    pub fn validate(&self, sample_rate: u32, method: DftMethod) -> Result<(), String> {
        match self {
            Self::Mel(c) => c.validate(sample_rate, method),
            Self::Gabor(c) => c.validate(sample_rate, method),
            Self::LearnableMel(c) => c.validate(sample_rate, method),
        }
    }

    /// Number of output bands the frontend will have.
    pub fn bands(&self) -> usize {
        match self {
            Self::Mel(c) => c.bands,
            Self::Gabor(c) => c.bands,
            Self::LearnableMel(c) => c.bands,
        }
    }

    /// Builds the frontend on `device`.
    pub fn init(&self, sample_rate: u32, method: DftMethod, device: &Device) -> Frontend {
        match self {
            Self::Mel(c) => Frontend::Mel(c.init(sample_rate, method, device)),
            Self::Gabor(c) => Frontend::Gabor(c.init(sample_rate, device)),
            Self::LearnableMel(c) => Frontend::LearnableMel(c.init(sample_rate, method, device)),
        }
    }
}

/// A frontend module of any kind.
#[derive(Module, Debug)]
pub enum Frontend {
    /// Log-mel spectrogram.
    Mel(LogMel),
    /// Gabor filter bank, averaging, compression.
    Gabor(Gabor),
    /// Log-mel spectrogram with learned triangle positions.
    LearnableMel(LearnableMel),
}

impl Frontend {
    /// Standardised features `[batch, bands, frames]` of waveforms `[batch, samples]`.
    pub fn forward(&self, wave: Tensor<2>) -> Tensor<3> {
        match self {
            Self::Mel(m) => m.forward(wave),
            Self::Gabor(m) => m.forward(wave),
            Self::LearnableMel(m) => m.forward(wave),
        }
    }

    /// Features before the per-band standardisation, `[batch, bands, frames]`.
    pub fn unstandardized(&self, wave: Tensor<2>) -> Tensor<3> {
        match self {
            Self::Mel(m) => m.unstandardized(wave),
            Self::Gabor(m) => m.unstandardized(wave),
            Self::LearnableMel(m) => m.unstandardized(wave),
        }
    }

    /// The learned parameters that sit on a constraint bound
    /// ([`bounds`]); nothing for a frontend that learns nothing.
    pub fn parameters_at_bounds(&self) -> Result<Vec<bounds::AtBound>, HostReadError> {
        match self {
            Self::Mel(_) => Ok(Vec::new()),
            Self::Gabor(m) => m.at_bounds(),
            Self::LearnableMel(m) => Ok(m.at_bounds()?.into_iter().collect()),
        }
    }

    /// Number of output bands.
    pub fn bands(&self) -> usize {
        match self {
            Self::Mel(m) => m.bands(),
            Self::Gabor(m) => m.bands(),
            Self::LearnableMel(m) => m.bands(),
        }
    }

    /// Samples consumed by one frame.
    pub fn frame_length(&self) -> usize {
        match self {
            Self::Mel(m) => m.frame_length(),
            Self::Gabor(m) => m.frame_length(),
            Self::LearnableMel(m) => m.frame_length(),
        }
    }

    /// Samples between consecutive frames.
    pub fn hop(&self) -> usize {
        match self {
            Self::Mel(m) => m.hop(),
            Self::Gabor(m) => m.hop(),
            Self::LearnableMel(m) => m.hop(),
        }
    }

    /// Frames either side of a frame that its value depends on (see
    /// [`FrameContext`]); fails if learned parameters cannot be read back
    /// from the device.
    pub fn context(&self) -> Result<FrameContext, HostReadError> {
        match self {
            Self::Mel(_) | Self::LearnableMel(_) => Ok(FrameContext::default()),
            Self::Gabor(m) => m.context(),
        }
    }

    /// What the filters look like (centres, bandwidths, responses), for plots;
    /// fails if the learned parameters cannot be read back from the device.
    pub fn filter_summary(&self) -> Result<FilterSummary, HostReadError> {
        match self {
            Self::Mel(m) => Ok(m.filter_summary()),
            Self::Gabor(m) => m.filter_summary(),
            Self::LearnableMel(m) => m.filter_summary(),
        }
    }

    /// The per-band standardisation layer.
    pub fn standardize(&self) -> &Standardize {
        match self {
            Self::Mel(m) => &m.standardize,
            Self::Gabor(m) => &m.standardize,
            Self::LearnableMel(m) => &m.standardize,
        }
    }

    /// Replaces the per-band standardisation statistics.
    pub fn set_standardize(&mut self, standardize: Standardize) {
        match self {
            Self::Mel(m) => m.standardize = standardize,
            Self::Gabor(m) => m.standardize = standardize,
            Self::LearnableMel(m) => m.standardize = standardize,
        }
    }
}

#[cfg(test)]
mod gabor_tests;
#[cfg(test)]
mod reference_tests;
#[cfg(test)]
mod test_support;
