//! Host copies of Flex tensors, for the operations cochlea implements on
//! Flex itself ([`crate::conv_backend`], [`crate::batch_norm_relu`],
//! [`crate::max_pool`]): values out as a contiguous `Vec<f32>` (in logical,
//! row-major order, whatever the tensor's strides), and back in.

use burn::backend::Flex;
use burn::backend::tensor::FloatTensor;
use burn::tensor::TensorData;

/// The values of an f32 tensor, row-major.
///
/// # Panics
/// On a tensor that is not f32 (the callers check the dtype first).
pub fn f32_values(t: &FloatTensor<Flex>) -> Vec<f32> {
    let t = t.to_contiguous();
    t.as_slice::<f32>()
        .expect("a contiguous f32 tensor")
        .to_vec()
}

/// A Flex tensor of `shape` holding `values` (row-major).
pub fn flex_tensor<S: Into<Vec<usize>>>(values: Vec<f32>, shape: S) -> FloatTensor<Flex> {
    FloatTensor::<Flex>::from_data(TensorData::new(values, shape.into()))
}
