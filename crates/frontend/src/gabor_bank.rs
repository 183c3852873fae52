//! A bank of complex Gabor band-pass filters with mel-initialised, optionally
//! learned centre frequencies and widths (LEAF, Zeghidour et al. 2021;
//! EfficientLEAF, Schlüter & Gutenbrunner 2022).
//!
//! Filter `b` in the time domain and its frequency response:
//!
//! ```text
//! g_b(t) = 1 / (sqrt(2 pi) sigma_b) * exp(i omega_b t) * exp(-t^2 / (2 sigma_b^2))
//! G_b(w) = exp(-1/2 sigma_b^2 (w - omega_b)^2)          (peak 1 at w = omega_b)
//! ```
//!
//! `omega_b` is the centre in radians per sample and `sigma_b` the width of
//! the Gaussian envelope in samples (a wide envelope is a narrow band: the
//! full width at half maximum is `sqrt(2 ln 2) sr / (pi sigma_b)` Hz).
//!
//! Mel initialisation, analytically: `bands + 2` points equally spaced in mel
//! between `fmin` and `fmax`; `omega_b = 2 pi peak[b+1] / sr`,
//! `sigma_b = (sr / 2) / (peak[b+2] - peak[b])`.
//!
//! Constraints, applied in the forward pass so that any parameter value gives
//! a valid filter: `omega in [0, pi]` (no filter above Nyquist) and
//! `sigma in [4 z, span z]` with `z = sqrt(2 ln 2) / pi` and `span` the
//! averaging window length in samples.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor, TensorData};

use crate::bounds::{AtBound, at_bound};
use crate::host::{HostReadError, to_f64_vec};
use crate::mel_scale::mel_points;

/// `sqrt(2 ln 2) / pi`: converts between a Gaussian's width and its FWHM.
pub const FWHM_FACTOR: f64 = 0.374_781_250_258_555_2;

/// Mel-initialised centres (radians per sample) and widths (samples).
pub fn mel_initialised(
    bands: usize,
    fmin: f64,
    fmax: f64,
    sample_rate: f64,
) -> (Vec<f64>, Vec<f64>) {
    let peaks = mel_points(bands + 2, fmin, fmax);
    (0..bands)
        .map(|b| {
            let centre = 2.0 * std::f64::consts::PI * peaks[b + 1] / sample_rate;
            let width = (sample_rate / 2.0) / (peaks[b + 2] - peaks[b]);
            (centre, width)
        })
        .unzip()
}

/// Full width at half maximum in Hz of a Gabor filter of width `sigma` samples.
pub fn fwhm_hz(sigma: f64, sample_rate: f64) -> f64 {
    // The response falls to 1/2 at |w - omega| = sqrt(2 ln 2) / sigma radians.
    FWHM_FACTOR * sample_rate / sigma
}

/// The Gabor filter bank's parameters and constraints.
#[derive(Module, Debug)]
pub struct GaborBank {
    /// Centre frequencies `omega_b` in radians per sample, `[bands]`.
    pub centres: Param<Tensor<1>>,
    /// Envelope widths `sigma_b` in samples, `[bands]`.
    pub widths: Param<Tensor<1>>,
    /// Smallest allowed width, `4 z`.
    min_width: f64,
    /// Largest allowed width, `span z`.
    max_width: f64,
}

impl GaborBank {
    /// A bank with the given initial centres and widths; `span` bounds the
    /// widths (see the module doc). Fixed parameters get no gradient.
    pub fn new(
        centres: &[f64],
        widths: &[f64],
        span: usize,
        learn_centres: bool,
        learn_widths: bool,
        device: &Device,
    ) -> Self {
        let param = |v: &[f64], learn: bool| {
            let data: Vec<f32> = v.iter().map(|&x| x as f32).collect();
            let len = data.len();
            Param::from_tensor(Tensor::from_data(TensorData::new(data, [len]), device))
                .set_require_grad(learn)
        };
        Self {
            centres: param(centres, learn_centres),
            widths: param(widths, learn_widths),
            min_width: Self::width_range(span).0,
            max_width: Self::width_range(span).1,
        }
    }

    /// The allowed range of the widths for an averaging window of `span`
    /// samples: `[4 z, span z]` (see the module doc).
    pub fn width_range(span: usize) -> (f64, f64) {
        (4.0 * FWHM_FACTOR, span as f64 * FWHM_FACTOR)
    }

    /// Number of bands.
    pub fn bands(&self) -> usize {
        self.centres.dims()[0]
    }

    /// Constrained `(omega, sigma)`, each `[bands]`, as used by the filters.
    pub fn constrained(&self) -> (Tensor<1>, Tensor<1>) {
        (
            self.centres.val().clamp(0.0, std::f64::consts::PI),
            self.widths.val().clamp(self.min_width, self.max_width),
        )
    }

    /// The learned centres and widths on their bounds ([`crate::bounds`]).
    pub fn at_bounds(&self) -> Result<Vec<AtBound>, HostReadError> {
        Ok([
            at_bound(
                "Gabor centre frequencies",
                &self.centres,
                0.0,
                std::f64::consts::PI,
            )?,
            at_bound(
                "Gabor bandwidths",
                &self.widths,
                self.min_width,
                self.max_width,
            )?,
        ]
        .into_iter()
        .flatten()
        .collect())
    }

    /// Constrained centres and widths on the host.
    pub fn constrained_host(&self) -> Result<(Vec<f64>, Vec<f64>), HostReadError> {
        let (omega, sigma) = self.constrained();
        Ok((
            to_f64_vec(omega, "the Gabor filter centres")?,
            to_f64_vec(sigma, "the Gabor filter widths")?,
        ))
    }
}

/// Frequency response `G(w) = exp(-1/2 sigma^2 (w - omega)^2)` of one filter.
pub fn response(omega: f64, sigma: f64, w: f64) -> f64 {
    (-0.5 * (sigma * (w - omega)).powi(2)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mel_initialisation_matches_the_mel_points() {
        let (omega, sigma) = mel_initialised(80, 27.5, 8000.0, 22050.0);
        let peaks = mel_points(82, 27.5, 8000.0);
        let hz = |w: f64| w * 22050.0 / (2.0 * std::f64::consts::PI);
        assert!((hz(omega[0]) - peaks[1]).abs() < 1e-9);
        assert!((hz(omega[79]) - peaks[80]).abs() < 1e-9);
        // Lowest band: about 46 Hz wide at the base, so sigma is about 240 samples.
        assert!((sigma[0] - 239.84).abs() < 0.05, "{}", sigma[0]);
        assert!((sigma[79] - 21.32).abs() < 0.05, "{}", sigma[79]);
        assert!(sigma.windows(2).all(|w| w[1] < w[0]));
    }

    #[test]
    fn fwhm_of_the_gaussian_response_is_where_the_gain_is_one_half() {
        let (sr, sigma) = (22050.0, 50.0);
        let half = fwhm_hz(sigma, sr) / 2.0;
        let omega = 1.0;
        let w = omega + 2.0 * std::f64::consts::PI * half / sr;
        assert!((response(omega, sigma, w) - 0.5).abs() < 1e-9);
    }
}
