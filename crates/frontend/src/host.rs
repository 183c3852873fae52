//! Reading tensors back to the host: the one place the frontends do it.
//!
//! burn's `Tensor::try_into_vec_as::<f32>()` reads a tensor from its device
//! and converts its elements to `f32` (a no-op for the `f32` tensors the
//! frontends compute; `try_into_vec::<f32>()` alone would fail on any other
//! float dtype). It fails when the device cannot be read (a failed kernel, a
//! lost GPU) or the data cannot be converted; the error names the tensor.
//!
//! Functions that may fail return the error. Forward passes cannot: a burn
//! module's forward pass is infallible, and burn's own operations panic when
//! the device fails, so there [`in_forward_pass`] panics with the same
//! message instead of continuing with missing values.

use burn::tensor::{Tensor, TensorReadError};
use thiserror::Error;

/// A tensor that could not be read back from its device.
#[derive(Debug, Error)]
#[error(
    "could not read {what} (a tensor of shape {shape:?}) back from the device: {source}; \
     check that the backend and device in the config work (e.g. rerun on backend = \"flex\")"
)]
pub struct HostReadError {
    /// What the tensor holds, e.g. "the Gabor filter centres".
    pub what: &'static str,
    /// The tensor's shape.
    pub shape: Vec<usize>,
    /// burn's reason (boxed: it is large, and errors travel by value).
    #[source]
    pub source: Box<TensorReadError>,
}

/// The values of `t`, row-major, as `f32`; `what` names the tensor in the error.
pub fn to_f32_vec<const D: usize>(
    t: Tensor<D>,
    what: &'static str,
) -> Result<Vec<f32>, HostReadError> {
    let shape = t.dims().to_vec();
    t.try_into_vec_as::<f32>().map_err(|source| HostReadError {
        what,
        shape,
        source: Box::new(source),
    })
}

/// The values of `t`, row-major, as `f64` (read as `f32`, then widened exactly).
pub fn to_f64_vec<const D: usize>(
    t: Tensor<D>,
    what: &'static str,
) -> Result<Vec<f64>, HostReadError> {
    Ok(to_f32_vec(t, what)?.into_iter().map(f64::from).collect())
}

/// A read-back inside a forward pass, which cannot return an error: one
/// that failed panics with the [`HostReadError`]'s message, as burn's own
/// operations do when the device fails.
pub(crate) fn in_forward_pass<T>(read: Result<T, HostReadError>) -> T {
    read.unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, TensorData};

    use super::*;

    #[test]
    fn values_come_back_row_major_and_widen_exactly() {
        let device = Device::flex();
        let values = vec![0.1f32, -2.5, 3.0e-8, 7.0, f32::MAX, -0.0];
        let t: Tensor<2> = Tensor::from_data(TensorData::new(values.clone(), [2, 3]), &device);
        assert_eq!(to_f32_vec(t.clone(), "a test tensor").unwrap(), values);
        let wide = to_f64_vec(t, "a test tensor").unwrap();
        let expected: Vec<f64> = values.iter().map(|&v| f64::from(v)).collect();
        assert_eq!(wide, expected);
    }

    #[test]
    fn the_error_names_the_tensor_its_shape_and_the_reason() {
        let e = HostReadError {
            what: "the Gabor filter centres",
            shape: vec![80],
            source: Box::new(TensorReadError::InvalidShape {
                expected: 80,
                actual: 0,
            }),
        };
        let message = e.to_string();
        for part in ["the Gabor filter centres", "[80]", "Expected 80", "backend"] {
            assert!(message.contains(part), "{part:?} missing from: {message}");
        }
    }
}
