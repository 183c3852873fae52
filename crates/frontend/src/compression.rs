//! Dynamic range compression of the averaged band energies, per band:
//!
//! - *log*: `ln(x + floor)`;
//! - *log1p*: `ln(1 + 10^a_b x)` with a learnable exponent `a_b` per band
//!   (EfficientLEAF, Schlüter & Gutenbrunner 2022), kept in `[-20, 20]`;
//! - *PCEN*: per-channel energy normalisation (Wang et al. 2017, as in LEAF)
//!   `(x / (eps + M)^alpha + delta)^r - delta^r` with the smoother
//!   `M_t = (1 - s) M_{t-1} + s x_t`, `M_{-1} = x_0`, and learnable per-band
//!   `s, alpha, delta, r` (init 0.04, 0.96, 2, 0.5; eps 1e-12). The forward
//!   pass keeps `s in [0.01, 0.99]`, `alpha in [0, 1]`, `delta >= 1e-3`,
//!   `r in [0.05, 1]`.
//!
//! The PCEN smoother is a causal depthwise convolution with the kernel
//! `s (1 - s)^k` (cut where it falls below 1e-7 of its peak) plus the exact
//! contribution `(1 - s)^(t + 1) x_0` of the initial state, so it runs in
//! parallel over time and differentiates with respect to `s`.

use burn::module::{Module, Param};
use burn::tensor::module::conv1d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::bounds::{AtBound, at_bound};
use crate::host::{HostReadError, in_forward_pass, to_f64_vec};

/// Which compression a frontend applies (`compression = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CompressionKind {
    /// `ln(x + floor)`.
    Log,
    /// `ln(1 + 10^a x)` with `a` per band.
    Log1p,
    /// Per-channel energy normalisation.
    Pcen,
}

/// Settings shared by the compressions.
#[derive(Debug, Clone, PartialEq)]
pub struct CompressionSettings {
    /// Which compression.
    pub kind: CompressionKind,
    /// Added before the logarithm (log).
    pub floor: f64,
    /// Initial `a` (log1p).
    pub log1p_init: f64,
    /// Whether the log1p / PCEN parameters are trained.
    pub learn: bool,
}

/// A compression module of any kind.
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)] // built once per model; boxing gains nothing
pub enum Compression {
    /// `ln(x + floor)`.
    Log(LogCompression),
    /// `ln(1 + 10^a x)`.
    Log1p(Log1pCompression),
    /// PCEN.
    Pcen(Pcen),
}

impl Compression {
    /// Builds the compression for `bands` bands.
    pub fn new(settings: &CompressionSettings, bands: usize, device: &Device) -> Self {
        let param = |value: f64| {
            Param::from_tensor(Tensor::from_data(
                TensorData::new(vec![value as f32; bands], [bands]),
                device,
            ))
            .set_require_grad(settings.learn)
        };
        match settings.kind {
            CompressionKind::Log => Self::Log(LogCompression {
                floor: settings.floor,
            }),
            CompressionKind::Log1p => Self::Log1p(Log1pCompression {
                exponent: param(settings.log1p_init),
            }),
            CompressionKind::Pcen => Self::Pcen(Pcen {
                smoothing: param(0.04),
                alpha: param(0.96),
                delta: param(2.0),
                root: param(0.5),
            }),
        }
    }

    /// `[batch, bands, frames]` -> `[batch, bands, frames]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        match self {
            Self::Log(c) => c.forward(x),
            Self::Log1p(c) => c.forward(x),
            Self::Pcen(c) => c.forward(x),
        }
    }

    /// The learned parameters on their bounds ([`crate::bounds`]).
    pub fn at_bounds(&self) -> Result<Vec<AtBound>, HostReadError> {
        let found = match self {
            Self::Log(_) => Vec::new(),
            Self::Log1p(c) => vec![at_bound(
                "log1p exponents",
                &c.exponent,
                -LOG1P_EXPONENT_LIMIT,
                LOG1P_EXPONENT_LIMIT,
            )?],
            Self::Pcen(c) => vec![
                at_bound(
                    "PCEN smoothing",
                    &c.smoothing,
                    PCEN_SMOOTHING_RANGE.0,
                    PCEN_SMOOTHING_RANGE.1,
                )?,
                at_bound(
                    "PCEN alpha",
                    &c.alpha,
                    PCEN_ALPHA_RANGE.0,
                    PCEN_ALPHA_RANGE.1,
                )?,
                at_bound("PCEN delta", &c.delta, PCEN_DELTA_MIN, f64::INFINITY)?,
                at_bound("PCEN root", &c.root, PCEN_ROOT_RANGE.0, PCEN_ROOT_RANGE.1)?,
            ],
        };
        Ok(found.into_iter().flatten().collect())
    }

    /// Frames before a frame that its compressed value depends on; none
    /// for log and log1p, which act on each frame alone. PCEN's smoother
    /// reaches [`Pcen::smoother_taps`] frames back, and a stretch of frames
    /// computed on its own starts the smoother from its first frame where a
    /// longer one carries its state: that start's weight `(1 - s)^n` falls
    /// below the kernel's cutoff (1e-7) after as many frames again and below
    /// its square after twice as many, so that a frame 90 dB louder at the
    /// stretch's start changes a frame's smoother by less than 1e-5 of it.
    pub fn history_frames(&self) -> Result<usize, HostReadError> {
        match self {
            Self::Log(_) | Self::Log1p(_) => Ok(0),
            Self::Pcen(c) => Ok(2 * c.smoother_taps()?),
        }
    }

    /// Named per-band parameters (constrained), for summaries and plots.
    pub fn band_parameters(&self) -> Result<Vec<(String, Vec<f64>)>, HostReadError> {
        Ok(match self {
            Self::Log(_) => Vec::new(),
            Self::Log1p(c) => vec![(
                "log1p exponent a".into(),
                to_f64_vec(
                    c.exponent
                        .val()
                        .clamp(-LOG1P_EXPONENT_LIMIT, LOG1P_EXPONENT_LIMIT),
                    "the log1p exponents",
                )?,
            )],
            Self::Pcen(c) => {
                let (s, alpha, delta, r) = c.constrained();
                vec![
                    (
                        "PCEN smoothing s".into(),
                        to_f64_vec(s, "the PCEN smoothing coefficients")?,
                    ),
                    ("PCEN alpha".into(), to_f64_vec(alpha, "the PCEN alphas")?),
                    ("PCEN delta".into(), to_f64_vec(delta, "the PCEN deltas")?),
                    ("PCEN root r".into(), to_f64_vec(r, "the PCEN roots")?),
                ]
            }
        })
    }
}

/// `ln(x + floor)`.
#[derive(Module, Debug)]
pub struct LogCompression {
    floor: f64,
}

impl LogCompression {
    fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        x.add_scalar(self.floor).log()
    }
}

/// `|a|` is kept at most this in the forward pass (`10^a` stays finite in f32).
pub const LOG1P_EXPONENT_LIMIT: f64 = 20.0;

/// `ln(1 + 10^a_b x)`.
#[derive(Module, Debug)]
pub struct Log1pCompression {
    /// `a_b`, `[bands]`.
    pub exponent: Param<Tensor<1>>,
}

impl Log1pCompression {
    fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let bands = self.exponent.dims()[0];
        let gain = self
            .exponent
            .val()
            .clamp(-LOG1P_EXPONENT_LIMIT, LOG1P_EXPONENT_LIMIT)
            .mul_scalar(std::f64::consts::LN_10)
            .exp()
            .reshape([1, bands, 1]); // 10^a, [1, bands, 1]
        (x * gain).log1p()
    }
}

/// Per-channel energy normalisation with learnable per-band parameters.
#[derive(Module, Debug)]
pub struct Pcen {
    /// Smoother coefficient `s`, `[bands]`.
    pub smoothing: Param<Tensor<1>>,
    /// Gain normalisation exponent `alpha`, `[bands]`.
    pub alpha: Param<Tensor<1>>,
    /// Offset `delta`, `[bands]`.
    pub delta: Param<Tensor<1>>,
    /// Root compression exponent `r`, `[bands]`.
    pub root: Param<Tensor<1>>,
}

/// Added to the smoother before the power.
pub const PCEN_EPS: f64 = 1e-12;
/// The smoother's kernel is cut where it falls below this fraction of its peak.
pub const KERNEL_CUTOFF: f64 = 1e-7;
/// The range PCEN's smoothing coefficient `s` is kept in.
pub const PCEN_SMOOTHING_RANGE: (f64, f64) = (0.01, 0.99);
/// The range PCEN's `alpha` is kept in.
pub const PCEN_ALPHA_RANGE: (f64, f64) = (0.0, 1.0);
/// The smallest PCEN `delta`.
pub const PCEN_DELTA_MIN: f64 = 1e-3;
/// The range PCEN's root `r` is kept in.
pub const PCEN_ROOT_RANGE: (f64, f64) = (0.05, 1.0);

impl Pcen {
    /// Constrained `(s, alpha, delta, r)`, each `[bands]`.
    pub fn constrained(&self) -> (Tensor<1>, Tensor<1>, Tensor<1>, Tensor<1>) {
        (
            self.smoothing
                .val()
                .clamp(PCEN_SMOOTHING_RANGE.0, PCEN_SMOOTHING_RANGE.1),
            self.alpha
                .val()
                .clamp(PCEN_ALPHA_RANGE.0, PCEN_ALPHA_RANGE.1),
            self.delta.val().clamp_min(PCEN_DELTA_MIN),
            self.root.val().clamp(PCEN_ROOT_RANGE.0, PCEN_ROOT_RANGE.1),
        )
    }

    /// Taps of the smoother's kernel on a long input: where `s (1 - s)^k`
    /// of the slowest band falls below [`KERNEL_CUTOFF`] of its peak. A
    /// frame's `M` depends on this many frames up to it, and on the first
    /// frame through the initial state's weight `(1 - s)^(t + 1)`, which is
    /// below the cutoff after as many frames.
    pub fn smoother_taps(&self) -> Result<usize, HostReadError> {
        let (s, _, _, _) = self.constrained();
        let slowest = to_f64_vec(s, "the PCEN smoothing coefficients")?
            .into_iter()
            .fold(1.0, f64::min);
        Ok(taps_for(slowest))
    }

    /// The smoother `M`, `[batch, bands, frames]`.
    fn smooth(&self, x: Tensor<3>, s: Tensor<1>) -> Tensor<3> {
        let [_, bands, frames] = x.dims();
        let device = x.device();
        let slowest = in_forward_pass(to_f64_vec(s.clone(), "the PCEN smoothing coefficients"))
            .into_iter()
            .fold(1.0, f64::min);
        let taps = taps_for(slowest).min(frames);
        let log_keep = s.clone().neg().add_scalar(1.0).log().reshape([bands, 1]); // ln(1 - s)
        // Kernel reversed for cross-correlation: tap j weighs x[t - (taps - 1 - j)].
        let lag: Vec<f32> = (0..taps).rev().map(|k| k as f32).collect();
        let lag: Tensor<2> = Tensor::from_data(TensorData::new(lag, [1, taps]), &device);
        let kernel = (lag * log_keep.clone()).exp() * s.reshape([bands, 1]); // [bands, taps]
        let options = ConvOptions::new_with_padding([1], [(taps - 1, 0)], [1], bands);
        let recent = conv1d(x.clone(), kernel.reshape([bands, 1, taps]), None, options);
        // (1 - s)^(t + 1) x_0: the initial state M_{-1} = x_0.
        let steps: Vec<f32> = (1..=frames).map(|t| t as f32).collect();
        let steps: Tensor<2> = Tensor::from_data(TensorData::new(steps, [1, frames]), &device);
        let decay = (steps * log_keep).exp().reshape([1, bands, frames]);
        let first = x.narrow(2, 0, 1); // [batch, bands, 1]
        recent + decay * first
    }

    fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let bands = x.dims()[1];
        let (s, alpha, delta, r) = self.constrained();
        let smooth = self.smooth(x.clone(), s);
        let per_band = |t: Tensor<1>| t.reshape([1, bands, 1]);
        let (alpha, delta, r) = (per_band(alpha), per_band(delta), per_band(r));
        let gain = (smooth.add_scalar(PCEN_EPS).log() * alpha.neg()).exp(); // (eps + M)^-alpha
        let base = x * gain + delta.clone();
        (base.log() * r.clone()).exp() - (delta.log() * r).exp()
    }
}

/// Taps of the smoother's kernel for the smallest coefficient `slowest`.
fn taps_for(slowest: f64) -> usize {
    (KERNEL_CUTOFF.ln() / (1.0 - slowest).ln()).ceil() as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pcen_reference(x: &[f64], s: f64, alpha: f64, delta: f64, r: f64) -> Vec<f64> {
        let mut m = x[0];
        x.iter()
            .map(|&v| {
                m = (1.0 - s) * m + s * v;
                (v / (PCEN_EPS + m).powf(alpha) + delta).powf(r) - delta.powf(r)
            })
            .collect()
    }

    #[test]
    fn pcen_matches_its_recursive_definition() {
        let device = Device::flex();
        let frames = 200;
        let x: Vec<f64> = (0..2 * frames)
            .map(|i| 1e-3 * (1.5 + (i as f64 * 0.37).sin()) * if i % 50 < 10 { 20.0 } else { 1.0 })
            .collect();
        let settings = CompressionSettings {
            kind: CompressionKind::Pcen,
            floor: 0.0,
            log1p_init: 0.0,
            learn: true,
        };
        let pcen = Compression::new(&settings, 2, &device);
        let input: Tensor<3> = Tensor::from_data(
            TensorData::new(x.iter().map(|&v| v as f32).collect(), [1, 2, frames]),
            &device,
        );
        let out = to_f64_vec(pcen.forward(input).reshape([2 * frames]), "PCEN").unwrap();
        for band in 0..2 {
            let expected =
                pcen_reference(&x[band * frames..(band + 1) * frames], 0.04, 0.96, 2.0, 0.5);
            for (t, e) in expected.iter().enumerate() {
                let got = out[band * frames + t];
                assert!(
                    (got - e).abs() < 1e-4 * (1.0 + e.abs()),
                    "band {band} frame {t}: {got} vs {e}"
                );
            }
        }
    }

    #[test]
    fn log1p_is_log_of_one_plus_scaled_input() {
        let device = Device::flex();
        let settings = CompressionSettings {
            kind: CompressionKind::Log1p,
            floor: 0.0,
            log1p_init: 3.0,
            learn: true,
        };
        let c = Compression::new(&settings, 1, &device);
        let x: Tensor<3> =
            Tensor::from_data(TensorData::new(vec![0.0f32, 1e-3, 0.5], [1, 1, 3]), &device);
        let out = to_f64_vec(c.forward(x).reshape([3]), "log1p").unwrap();
        for (got, v) in out.iter().zip([0.0, 1e-3, 0.5]) {
            let e = (1.0f64 + 1000.0 * v).ln();
            assert!((got - e).abs() < 1e-5 * (1.0 + e), "{got} vs {e}");
        }
    }
}
