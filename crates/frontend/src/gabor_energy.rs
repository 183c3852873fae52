//! The Gabor bank's squared modulus `|x * g_b|^2`, computed in the frequency
//! domain and decimated per band (the algorithm of
//! `shared/reference/FAST-GABOR.md`, with one change noted below).
//!
//! 1. One real FFT of the waveform, zero-padded to `M` samples.
//! 2. Per band, the `L + 1` bins around its centre (see
//!    [`crate::filter_plan`]) times the filter's Gaussian response
//!    `G_b(w) = exp(-1/2 sigma_b^2 (w - omega_b)^2)`; this product is where
//!    the centres and widths get their gradients.
//! 3. Instead of a complex inverse FFT of length `L` (two real ones), the
//!    slice is used as the half spectrum of a *real* signal of length `2 L`:
//!    `r[n] = (M / L) Re(y_b(n h) e^{-i phi_n})`, with `y_b = x * g_b`,
//!    `h = M / (2 L)` input samples between outputs and a carrier phase
//!    `phi_n` advancing by `pi / 2` per sample. So `r[n]^2` averages to
//!    `(M / L)^2 |y_b|^2 / 2` over any two neighbours, and the Gaussian time
//!    averaging that follows ([`crate::time_averaging`]) sums `r^2` with the
//!    factor `2 (L / M)^2`. This halves the gathered data and needs one
//!    `irfft` per group.
//!
//! Output per group: `r^2`, `[batch, group bands, 2 L]`.

use burn::tensor::signal::{irfft, rfft};
use burn::tensor::{Int, Tensor, TensorData};

use crate::filter_plan::{FilterPlan, spectral_slice};

/// `r^2` of every group of `plan` for waveforms `[batch, samples]`, given the
/// constrained centres `omega` and widths `sigma` (`[bands]` each; the host
/// copy `omega_host` positions the slices).
pub fn band_energies(
    wave: Tensor<2>,
    plan: &FilterPlan,
    omega: Tensor<1>,
    sigma: Tensor<1>,
    omega_host: &[f64],
) -> Vec<Tensor<3>> {
    let device = wave.device();
    let [batch, _] = wave.dims();
    let half = plan.padded / 2 + 1;
    let (re, im) = rfft(wave, 1, Some(plan.padded)); // each [batch, M/2 + 1]
    // Imaginary parts, then their negatives, so that a conjugated bin is a
    // plain index into the second half.
    let im_signed = Tensor::cat(vec![im.clone(), im.neg()], 1); // [batch, 2 (M/2 + 1)]
    plan.groups
        .iter()
        .map(|group| {
            let (bands, bins) = (group.bands.len(), group.bins);
            let width = bins + 1;
            let mut source_re = Vec::with_capacity(bands * width);
            let mut source_im = Vec::with_capacity(bands * width);
            let mut frequency = Vec::with_capacity(bands * width);
            for &b in &group.bands {
                let slice = spectral_slice(omega_host[b], bins, plan.padded);
                for q in 0..width {
                    let source = slice.source[q] as i64;
                    source_re.push(source);
                    source_im.push(if slice.conjugate[q] {
                        source + half as i64
                    } else {
                        source
                    });
                    frequency.push(slice.frequency[q] as f32);
                }
            }
            let count = bands * width;
            let index =
                |v: Vec<i64>| Tensor::<1, Int>::from_data(TensorData::new(v, [count]), &device);
            let members = Tensor::<1, Int>::from_data(
                TensorData::new(
                    group.bands.iter().map(|&b| b as i64).collect::<Vec<_>>(),
                    [bands],
                ),
                &device,
            );
            let frequency: Tensor<2> =
                Tensor::from_data(TensorData::new(frequency, [bands, width]), &device);
            let centre = omega.clone().select(0, members.clone()).reshape([bands, 1]);
            let width_samples = sigma.clone().select(0, members).reshape([bands, 1]);
            let gain = ((frequency - centre) * width_samples)
                .square()
                .mul_scalar(-0.5)
                .exp()
                .reshape([1, bands, width]); // [1, bands, L + 1]
            let slice_re = re
                .clone()
                .select(1, index(source_re))
                .reshape([batch, bands, width])
                * gain.clone(); // [batch, bands, L + 1]
            let slice_im = im_signed
                .clone()
                .select(1, index(source_im))
                .reshape([batch, bands, width])
                * gain;
            let signal = irfft(slice_re, slice_im, 2, Some(2 * bins)); // [batch, bands, 2 L]
            signal.clone() * signal
        })
        .collect()
}
