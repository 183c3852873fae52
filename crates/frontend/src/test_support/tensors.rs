//! Building small tensors and reading them back in tests.

use burn::module::Param;
use burn::tensor::{Device, Tensor, TensorData};

use crate::host::to_f32_vec;

/// The values of `t` on the host, row-major.
pub(crate) fn to_host<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    to_f32_vec(t, "a test tensor").unwrap()
}

/// The single value of a one-element tensor (a loss), widened to `f64`.
pub(crate) fn scalar(t: Tensor<1>) -> f64 {
    let values = to_host(t);
    assert_eq!(values.len(), 1, "not a scalar");
    values[0] as f64
}

/// A batch of one waveform, `[1, samples]`.
pub(crate) fn wave(signal: &[f32], device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(signal.to_vec(), [1, signal.len()]), device)
}

/// A trainable 1-D parameter holding `values`.
pub(crate) fn param(values: Vec<f32>, device: &Device) -> Param<Tensor<1>> {
    let len = values.len();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, [len]), device))
}

/// Fixed weights in [-0.5, 0.5) that turn features into a scalar loss
/// `sum(features * weights)`.
pub(crate) fn loss_weights(shape: [usize; 3], device: &Device) -> Tensor<3> {
    let count = shape.iter().product::<usize>();
    let values: Vec<f32> = (0..count)
        .map(|i| ((i * 7919) % 13) as f32 / 13.0 - 0.5)
        .collect();
    Tensor::from_data(TensorData::new(values, shape), device)
}
