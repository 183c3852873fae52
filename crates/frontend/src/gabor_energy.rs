//! The Gabor bank's squared modulus `|x * g_b|^2`, computed in the frequency
//! domain and decimated per band (the algorithm of
//! `shared/reference/FAST-GABOR.md`, with one change noted below).
//!
//! 1. One real FFT per buffer of `M` samples holding one or more excerpts
//!    of the batch separated by zeros ([`crate::filter_plan::Packing`]).
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
//! Output per group: `r`, `[batch, group bands, 2 L]`; the averaging squares
//! only the part its frames use.

use burn::tensor::signal::{irfft, rfft};
use burn::tensor::{Int, Tensor, TensorData};

use crate::filter_plan::{FilterPlan, spectral_slice};

/// Lays the excerpts `[batch, samples]` into the plan's FFT buffers:
/// `offset` zeros, then each excerpt followed by zeros up to the stride.
pub fn pack(wave: Tensor<2>, plan: &FilterPlan) -> Tensor<2> {
    let device = wave.device();
    let [batch, samples] = wave.dims();
    let packing = plan.packing;
    let slots = packing.buffers * packing.excerpts;
    let mut rows = vec![wave];
    if slots > batch {
        rows.push(Tensor::zeros([slots - batch, samples], &device));
    }
    let excerpts = Tensor::cat(rows, 0); // [slots, samples]
    let gap = Tensor::zeros([slots, packing.stride - samples], &device);
    let slotted = Tensor::cat(vec![excerpts, gap], 1) // [slots, stride]
        .reshape([packing.buffers, packing.excerpts * packing.stride]);
    let lead = Tensor::zeros([packing.buffers, plan.offset], &device);
    Tensor::cat(vec![lead, slotted], 1)
}

/// `r` of every group of `plan` for waveforms `[batch, samples]`, given the
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
    let wave = pack(wave, plan); // [buffers, offset + excerpts * stride]
    let batch = plan.packing.buffers;
    let (re, im) = rfft(wave, 1, Some(plan.padded)); // each [buffers, M/2 + 1]
    // Real parts over imaginary parts: one gather serves both, and the sign
    // of a conjugated bin's imaginary part goes into its weight.
    let spectrum = Tensor::cat(vec![re, im], 0); // [2 batch, M/2 + 1]
    plan.groups
        .iter()
        .map(|group| {
            let (bands, bins) = (group.bands.len(), group.bins);
            let width = bins + 1;
            let mut source = Vec::with_capacity(bands * width);
            let mut sign = Vec::with_capacity(bands * width);
            let mut frequency = Vec::with_capacity(bands * width);
            for &b in &group.bands {
                let slice = spectral_slice(omega_host[b], bins, plan.padded);
                source.extend(slice.source.iter().map(|&j| j as i64));
                sign.extend(slice.conjugate.iter().map(|&c| if c { -1f32 } else { 1.0 }));
                frequency.extend(slice.frequency.iter().map(|&w| w as f32));
            }
            let count = bands * width;
            let source = Tensor::<1, Int>::from_data(TensorData::new(source, [count]), &device);
            let members = Tensor::<1, Int>::from_data(
                TensorData::new(
                    group.bands.iter().map(|&b| b as i64).collect::<Vec<_>>(),
                    [bands],
                ),
                &device,
            );
            let frequency: Tensor<2> =
                Tensor::from_data(TensorData::new(frequency, [bands, width]), &device);
            let sign: Tensor<3> =
                Tensor::from_data(TensorData::new(sign, [1, bands, width]), &device);
            let centre = omega.clone().select(0, members.clone()).reshape([bands, 1]);
            let width_samples = sigma.clone().select(0, members).reshape([bands, 1]);
            let gain = ((frequency - centre) * width_samples)
                .square()
                .mul_scalar(-0.5)
                .exp()
                .reshape([1, bands, width]); // [1, bands, L + 1]
            let gains = Tensor::cat(vec![gain.clone(), gain * sign], 0).unsqueeze_dim::<4>(1); // [2, 1, bands, L + 1]
            let slices = spectrum
                .clone()
                .select(1, source)
                .reshape([2, batch, bands, width])
                * gains; // [2 (re, im), batch, bands, L + 1]
            let slice_re = slices
                .clone()
                .narrow(0, 0, 1)
                .reshape([batch, bands, width]);
            let slice_im = slices.narrow(0, 1, 1).reshape([batch, bands, width]);
            irfft(slice_re, slice_im, 2, Some(2 * bins)) // [batch, bands, 2 L]
        })
        .collect()
}
