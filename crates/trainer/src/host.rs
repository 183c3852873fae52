//! Reading tensors back to the host, with an error instead of a silent
//! fallback when the data cannot be read as `f32`.

use burn::tensor::Tensor;

use crate::error::{Error, Result};

/// The values of `tensor` in row-major order.
pub fn read_f32<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>> {
    tensor
        .into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .map_err(|e| Error::Other(format!("cannot read a tensor back to the host: {e:?}")))
}
