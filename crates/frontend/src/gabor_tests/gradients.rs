//! The Gabor frontend's gradients against finite differences: filter
//! centres and widths, averaging widths, log1p and PCEN parameters, and the
//! waveform, on a fully learned 16-band frontend.

use burn::module::Param;
use burn::tensor::{Device, Tensor, TensorData};

use crate::compression::{Compression, CompressionKind, Log1pCompression, Pcen};
use crate::filter_plan::FilterPlan;
use crate::gabor::{Gabor, GaborConfig};
use crate::test_support::{
    FiniteDifference, loss_weights, param, scalar, to_host, tones_and_noise,
};

/// What a gradient is taken with respect to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wrt {
    Centres,
    Widths,
    Averaging,
    Log1pExponent,
    PcenSmoothing,
    PcenAlpha,
    PcenDelta,
    PcenRoot,
    Waveform,
}

fn log1p(m: &Gabor) -> &Log1pCompression {
    match &m.compression {
        Compression::Log1p(c) => c,
        _ => panic!("not log1p"),
    }
}

fn pcen(m: &Gabor) -> &Pcen {
    match &m.compression {
        Compression::Pcen(c) => c,
        _ => panic!("not PCEN"),
    }
}

fn pcen_mut(m: &mut Gabor) -> &mut Pcen {
    match &mut m.compression {
        Compression::Pcen(c) => c,
        _ => panic!("not PCEN"),
    }
}

/// The raw parameter `wrt` of `m` (module parameters only).
fn raw_param(m: &Gabor, wrt: Wrt) -> &Param<Tensor<1>> {
    match wrt {
        Wrt::Centres => &m.bank.centres,
        Wrt::Widths => &m.bank.widths,
        Wrt::Averaging => &m.averaging.widths,
        Wrt::Log1pExponent => &log1p(m).exponent,
        Wrt::PcenSmoothing => &pcen(m).smoothing,
        Wrt::PcenAlpha => &pcen(m).alpha,
        Wrt::PcenDelta => &pcen(m).delta,
        Wrt::PcenRoot => &pcen(m).root,
        Wrt::Waveform => unreachable!("the waveform is not a parameter"),
    }
}

/// `m` with the raw parameter `wrt` replaced by `values`.
fn with_param(m: &Gabor, wrt: Wrt, values: Vec<f32>, device: &Device) -> Gabor {
    let mut m = m.clone();
    let p = param(values, device);
    match wrt {
        Wrt::Centres => m.bank.centres = p,
        Wrt::Widths => m.bank.widths = p,
        Wrt::Averaging => m.averaging.widths = p,
        Wrt::Log1pExponent => match &mut m.compression {
            Compression::Log1p(c) => c.exponent = p,
            _ => panic!("not log1p"),
        },
        Wrt::PcenSmoothing => pcen_mut(&mut m).smoothing = p,
        Wrt::PcenAlpha => pcen_mut(&mut m).alpha = p,
        Wrt::PcenDelta => pcen_mut(&mut m).delta = p,
        Wrt::PcenRoot => pcen_mut(&mut m).root = p,
        Wrt::Waveform => unreachable!("the waveform is not a parameter"),
    }
    m
}

/// What fixes the computation apart from the Gaussian weights: the filter
/// plan and every band's centre bin. Finite differences are only meaningful
/// where both sides of the difference share it.
fn layout(m: &Gabor, samples: usize, support: f64) -> (FilterPlan, Vec<i64>) {
    let (omega, sigma) = m.bank.constrained_host().unwrap();
    let mut plan = FilterPlan::new(
        (1, samples, m.hop()),
        &sigma,
        &m.averaging.std_samples_host().unwrap(),
        support,
    );
    // The widths themselves are what the difference varies.
    plan.averaging_std.clear();
    let m_len = plan.padded as f64;
    let bins = omega
        .iter()
        .map(|w| (w * m_len / (2.0 * std::f64::consts::PI)).round() as i64)
        .collect();
    (plan, bins)
}

/// A frontend, a signal and a fixed projection: `L = sum(features * weights)`.
struct GradientCase {
    module: Gabor,
    signal: Vec<f32>,
    weights: Tensor<3>,
    support: f64,
    device: Device,
}

impl GradientCase {
    /// Checks each `(parameter, step)` with [`FiniteDifference::check`]: 1 %
    /// along the gradient, 3 % per coordinate. Measured errors: at most 4e-3
    /// along the gradient and 8e-3 per coordinate; halving, negating,
    /// reversing or zeroing the gradient gives errors of 1 or more.
    fn check_all(&self, kinds: &[(Wrt, f64)]) {
        let wrts: Vec<Wrt> = kinds.iter().map(|k| k.0).collect();
        let grads = self.gradients(&wrts);
        for ((wrt, eps), g) in kinds.iter().zip(&grads) {
            self.around(*wrt)
                .check(&format!("{wrt:?}"), g, *eps, 1e-2, 3e-2);
        }
    }

    fn loss(&self, module: &Gabor, signal: Vec<f32>) -> f64 {
        let n = signal.len();
        let wave: Tensor<2> = Tensor::from_data(TensorData::new(signal, [1, n]), &self.device);
        scalar((module.unstandardized(wave) * self.weights.clone()).sum())
    }

    /// The loss with `wrt` set to `values`; the layout must stay that of the
    /// unperturbed module.
    fn loss_at(&self, wrt: Wrt, values: Vec<f32>) -> f64 {
        if wrt == Wrt::Waveform {
            return self.loss(&self.module, values);
        }
        let module = with_param(&self.module, wrt, values, &self.device);
        let samples = self.signal.len();
        assert_eq!(
            layout(&module, samples, self.support),
            layout(&self.module, samples, self.support),
            "{wrt:?}: the finite-difference step changed the filter plan or a centre bin; \
             use a smaller step"
        );
        self.loss(&module, self.signal.clone())
    }

    /// Autodiff gradients of the loss with respect to each of `wrts`.
    fn gradients(&self, wrts: &[Wrt]) -> Vec<Vec<f32>> {
        let n = self.signal.len();
        let wave: Tensor<2> =
            Tensor::from_data(TensorData::new(self.signal.clone(), [1, n]), &self.device)
                .require_grad();
        let loss = (self.module.unstandardized(wave.clone()) * self.weights.clone()).sum();
        let grads = loss.backward();
        wrts.iter()
            .map(|&wrt| {
                let g = if wrt == Wrt::Waveform {
                    wave.grad(&grads).map(to_host)
                } else {
                    raw_param(&self.module, wrt).grad(&grads).map(to_host)
                };
                let g = g.unwrap_or_else(|| panic!("no gradient for {wrt:?}"));
                assert!(
                    g.iter().all(|v| v.is_finite()),
                    "{wrt:?}: non-finite gradient"
                );
                g
            })
            .collect()
    }

    /// The loss as a function of the raw values of `wrt`, around the
    /// module's own.
    fn around(&self, wrt: Wrt) -> FiniteDifference<impl Fn(Vec<f32>) -> f64 + '_> {
        let at = if wrt == Wrt::Waveform {
            self.signal.clone()
        } else {
            to_host(raw_param(&self.module, wrt).val())
        };
        FiniteDifference::new(at, move |values| self.loss_at(wrt, values))
    }
}

const GRADIENT_BANDS: usize = 16;
const GRADIENT_SAMPLES: usize = 6000;

/// A fully learned 16-band Gabor frontend with `compression`; parameters
/// strictly inside their constraint ranges (the forward pass clamps, and a
/// clamped parameter has no gradient), centres on DFT bins so that steps of
/// up to half a bin keep every centre bin.
fn gradient_case(compression: CompressionKind) -> GradientCase {
    let device = Device::flex().autodiff();
    let config = GaborConfig {
        bands: GRADIENT_BANDS,
        learn_centres: true,
        learn_bandwidths: true,
        learn_averaging: true,
        learn_compression: true,
        compression,
        ..GaborConfig::default()
    };
    let mut module = config.init(22_050, &device);
    let signal = tones_and_noise(GRADIENT_SAMPLES);
    let (plan, _) = layout(&module, signal.len(), config.support);
    let m = plan.padded as f64;
    let two_pi = 2.0 * std::f64::consts::PI;
    let centres: Vec<f32> = to_host(module.bank.centres.val())
        .iter()
        .map(|&w| ((w as f64 * m / two_pi).round() * two_pi / m) as f32)
        .collect();
    module.bank.centres = param(centres, &device).set_require_grad(true);
    // Per-band compression parameters that differ between bands (so that a
    // gradient landing on the wrong band is seen), inside their ranges.
    let vary = |base: f64, spread: f64| -> Vec<f32> {
        (0..GRADIENT_BANDS)
            .map(|b| (base + spread * (1.3 * b as f64).sin()) as f32)
            .collect()
    };
    match &mut module.compression {
        Compression::Log1p(c) => c.exponent = param(vary(5.0, 0.5), &device),
        Compression::Pcen(c) => {
            c.smoothing = param(vary(0.08, 0.04), &device);
            c.alpha = param(vary(0.8, 0.15), &device);
            c.delta = param(vary(1.5, 0.7), &device);
            c.root = param(vary(0.5, 0.2), &device);
        }
        Compression::Log(_) => {}
    }
    let frames = 1 + (signal.len() - config.window) / config.hop;
    GradientCase {
        weights: loss_weights([1, GRADIENT_BANDS, frames], &device),
        module,
        signal,
        support: config.support,
        device,
    }
}

#[test]
fn gradients_of_bank_averaging_log1p_and_waveform_match_finite_differences() {
    let case = gradient_case(CompressionKind::Log1p);
    // Steps per parameter kind: centres in radians per sample (a DFT bin is
    // 2 pi / 8192 = 7.7e-4 here: the step must stay below half of it), filter
    // widths in samples (5 to 45 here), averaging widths as fractions
    // of W / 2 (0.01 to 0.09), exponents in decades, the waveform in units
    // of full scale.
    let kinds = [
        (Wrt::Centres, 1e-4),
        (Wrt::Widths, 1e-2),
        (Wrt::Averaging, 1e-4),
        (Wrt::Log1pExponent, 1e-3),
        (Wrt::Waveform, 1e-2),
    ];
    case.check_all(&kinds);
}

#[test]
fn gradients_of_pcen_parameters_match_finite_differences() {
    let case = gradient_case(CompressionKind::Pcen);
    let kinds = [
        (Wrt::PcenSmoothing, 1e-4),
        (Wrt::PcenAlpha, 1e-3),
        (Wrt::PcenDelta, 1e-3),
        (Wrt::PcenRoot, 1e-3),
        (Wrt::Centres, 1e-4),
    ];
    case.check_all(&kinds);
}
