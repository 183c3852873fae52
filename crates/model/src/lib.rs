//! Models: backbones (the SVD CNN) and the classifier that joins a frontend,
//! a backbone and an output head.

pub mod batch_norm_kernel;
pub mod batch_norm_relu;
pub mod classifier;
pub mod conv_backend;
pub mod conv_kernel;
pub mod flex_host;
pub mod gemm_conv;
pub mod max_pool;
pub mod orthogonal;
pub mod short_chunk_cnn;
pub mod svd_cnn;

pub use classifier::{Backbone, BackboneConfig, Classifier};
pub use short_chunk_cnn::{ShortChunkCnn, ShortChunkCnnConfig};
pub use svd_cnn::{SvdCnn, SvdCnnConfig};

#[cfg(test)]
mod test_support;
