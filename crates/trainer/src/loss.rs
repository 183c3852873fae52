//! Binary cross-entropy on logits with smoothed (soft) targets.
//!
//! `loss = mean( max(z, 0) - z y + log(1 + exp(-|z|)) )`, the numerically
//! stable form of `-(y log sigmoid(z) + (1 - y) log(1 - sigmoid(z)))`.
//! Targets are smoothed as in Schlüter & Grill (ISMIR 2015):
//! `y' = offset + scale * y`, by default `0.02 + 0.96 y`.

use burn::tensor::Tensor;
use burn::tensor::activation::relu;

/// Smoothed targets `offset + scale * y` (computed in f64, as f32).
pub fn smooth_targets(labels: &[f32], [offset, scale]: [f64; 2]) -> Vec<f32> {
    labels
        .iter()
        .map(|&y| (offset + scale * y as f64) as f32)
        .collect()
}

/// Checks `task.label_smoothing = [offset, scale]`: targets must stay in [0, 1].
pub fn check_label_smoothing([offset, scale]: [f64; 2]) -> Result<(), String> {
    if offset >= 0.0 && scale > 0.0 && offset + scale <= 1.0 {
        Ok(())
    } else {
        Err(format!(
            "task.label_smoothing = [{offset}, {scale}] must keep targets in [0, 1]"
        ))
    }
}

/// Mean binary cross-entropy of `logits` against soft `targets` (same shape).
pub fn bce_with_logits<const D: usize>(logits: Tensor<D>, targets: Tensor<D>) -> Tensor<1> {
    let softplus_neg_abs = logits.clone().abs().neg().exp().log1p();
    (relu(logits.clone()) - logits * targets + softplus_neg_abs).mean()
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Device, TensorData};

    fn loss(z: &[f32], y: &[f32]) -> f64 {
        let device = Device::flex();
        let t = |v: &[f32]| Tensor::<1>::from_data(TensorData::new(v.to_vec(), [v.len()]), &device);
        bce_with_logits(t(z), t(y)).into_scalar::<f32>() as f64
    }

    #[test]
    fn matches_the_textbook_definition() {
        let z = [-6.0f32, -2.0, 0.0, 1.5, 5.0];
        let y = [0.02f32, 0.98, 0.5, 0.02, 0.98];
        let want: f64 = z
            .iter()
            .zip(&y)
            .map(|(&z, &y)| {
                let p = 1.0 / (1.0 + (-(z as f64)).exp());
                -((y as f64) * p.ln() + (1.0 - y as f64) * (1.0 - p).ln())
            })
            .sum::<f64>()
            / 5.0;
        let got = loss(&z, &y);
        assert!((got - want).abs() < 1e-5, "{got} vs {want}");
    }

    #[test]
    fn stays_finite_and_linear_for_huge_logits() {
        // A confident wrong prediction costs about |z|.
        let got = loss(&[100.0], &[0.0]);
        assert!((got - 100.0).abs() < 1e-3, "{got}");
        assert!(loss(&[-100.0], &[0.0]).abs() < 1e-6);
    }
}
