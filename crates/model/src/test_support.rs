//! Helpers shared by this crate's tests: reading tensors back, comparing
//! them, and deterministic inputs.

use burn::tensor::Tensor;
use serde_json::Value;

/// The values of a tensor as f32, row-major.
pub fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .expect("f32")
}

/// Largest absolute difference over the largest absolute reference value.
///
/// # Panics
/// On different lengths or an all-zero reference (the comparison would say nothing).
pub fn relative_error(got: &[f32], want: &[f32]) -> f32 {
    assert_eq!(got.len(), want.len(), "lengths");
    let scale = want.iter().fold(0f32, |m, v| m.max(v.abs()));
    assert!(scale > 0.0, "reference is all zeros");
    got.iter()
        .zip(want)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max)
        / scale
}

/// `n` deterministic values in `[-1, 1]` (multiples of 0.001), different per seed.
pub fn pattern(n: usize, seed: u32) -> Vec<f32> {
    (0..n)
        .map(|i| {
            let v = (i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed);
            ((v >> 8) % 2001) as f32 / 1000.0 - 1.0
        })
        .collect()
}

/// A fixture's JSON array of numbers as f32 (exact for the fixtures'
/// float32 decimals).
pub fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number") as f32)
        .collect()
}
