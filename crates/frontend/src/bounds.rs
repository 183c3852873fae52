//! Learned frontend parameters that sit on a constraint bound. The forward
//! pass clamps each learned parameter into its allowed range (Gabor centres
//! to `[0, π]`, widths to `[4 z, span z]`, averaging widths to
//! `[2 / (W + 1), 0.5]`, the log1p exponent to `±20`, PCEN's parameters to
//! theirs, the learnable mel spacings to at least `min_spacing`); a raw
//! value at or beyond a bound gets no gradient through the clamp and stays
//! there, so a run whose parameters pile up on a bound learned less than
//! its parameter count says. Only parameters that require a gradient count
//! (build or load the frontend on an autodiff device).

use burn::module::Param;
use burn::tensor::Tensor;

use crate::host::{HostReadError, to_f64_vec};

/// How many values of one learned parameter sit on a bound.
#[derive(Debug, Clone, PartialEq)]
pub struct AtBound {
    /// What the parameter is, e.g. `Gabor centre frequencies`.
    pub parameter: String,
    /// Values at or beyond a bound.
    pub at_bound: usize,
    /// Values in all.
    pub of: usize,
    /// The allowed range (`inf` for a one-sided bound).
    pub low: f64,
    /// The allowed range's upper end.
    pub high: f64,
}

/// The values of `param` at or beyond `[low, high]` (compared in `f32`, as
/// the forward pass clamps); `None` for a parameter that is not learned.
pub fn at_bound(
    parameter: &str,
    param: &Param<Tensor<1>>,
    low: f64,
    high: f64,
) -> Result<Option<AtBound>, HostReadError> {
    let value = param.val();
    if !value.is_require_grad() {
        return Ok(None);
    }
    let values = to_f64_vec(value, "a learned frontend parameter")?;
    Ok(Some(count_at_bound(parameter, &values, low, high)))
}

/// The `values` at or beyond `[low, high]`, compared in `f32`.
pub fn count_at_bound(parameter: &str, values: &[f64], low: f64, high: f64) -> AtBound {
    let (lo, hi) = (low as f32 as f64, high as f32 as f64);
    AtBound {
        parameter: parameter.to_string(),
        at_bound: values.iter().filter(|&&v| v <= lo || v >= hi).count(),
        of: values.len(),
        low,
        high,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        AveragingKind, CompressionKind, DftMethod, FrontendConfig, GaborConfig, LearnableMelConfig,
    };
    use burn::tensor::{Device, TensorData};

    fn param(values: &[f32], learn: bool, device: &Device) -> Param<Tensor<1>> {
        let t = Tensor::from_data(TensorData::new(values.to_vec(), [values.len()]), device);
        Param::from_tensor(t).set_require_grad(learn)
    }

    #[test]
    fn values_on_or_beyond_a_bound_are_counted_for_learned_parameters_only() {
        let device = Device::flex().autodiff();
        let p = param(&[0.0, 0.5, 3.2, 1.0], true, &device);
        let got = at_bound("centres", &p, 0.0, std::f64::consts::PI)
            .unwrap()
            .unwrap();
        assert_eq!((got.at_bound, got.of), (2, 4));
        let fixed = param(&[0.0, 0.5], false, &device);
        assert_eq!(at_bound("centres", &fixed, 0.0, 1.0).unwrap(), None);
        let one_sided = param(&[1e-3, 2.0], true, &device);
        let got = at_bound("delta", &one_sided, 1e-3, f64::INFINITY)
            .unwrap()
            .unwrap();
        assert_eq!(got.at_bound, 1);
    }

    #[test]
    fn a_fresh_frontend_has_nothing_on_a_bound_and_a_pushed_one_does() {
        let device = Device::flex().autodiff();
        let learned = FrontendConfig::Gabor(GaborConfig {
            learn_centres: true,
            learn_bandwidths: true,
            learn_averaging: true,
            averaging: AveragingKind::Fixed,
            compression: CompressionKind::Pcen,
            ..GaborConfig::default()
        });
        let mut frontend = learned.init(22_050, DftMethod::default(), &device);
        let found = frontend.parameters_at_bounds().unwrap();
        // Centres, widths, averaging and PCEN's four parameters are learned.
        assert_eq!(found.len(), 7, "{found:?}");
        assert!(found.iter().all(|b| b.at_bound == 0), "{found:?}");
        if let crate::Frontend::Gabor(g) = &mut frontend {
            let bands = g.bands();
            let mut pushed = vec![1.0f32; bands];
            pushed[0] = 4.0; // beyond π
            g.bank.centres = param(&pushed, true, &device);
        }
        let found = frontend.parameters_at_bounds().unwrap();
        let centres = found
            .iter()
            .find(|b| b.parameter.contains("centre"))
            .unwrap();
        assert_eq!(centres.at_bound, 1);
        // Adaptive widths initialised on their clamp do not count while fixed.
        let adaptive = FrontendConfig::Gabor(GaborConfig {
            averaging: AveragingKind::Adaptive,
            ..GaborConfig::default()
        })
        .init(22_050, DftMethod::default(), &device);
        assert!(
            adaptive
                .parameters_at_bounds()
                .unwrap()
                .iter()
                .all(|b| !b.parameter.contains("averaging"))
        );
        let mel = FrontendConfig::LearnableMel(LearnableMelConfig::default()).init(
            22_050,
            DftMethod::default(),
            &device,
        );
        let found = mel.parameters_at_bounds().unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].at_bound, 0);
    }
}
