//! Models: backbones (the SVD CNN) and the classifier that joins a frontend,
//! a backbone and an output head.

pub mod classifier;
pub mod orthogonal;
pub mod short_chunk_cnn;
pub mod svd_cnn;

pub use classifier::{Backbone, BackboneConfig, Classifier};
pub use short_chunk_cnn::{ShortChunkCnn, ShortChunkCnnConfig};
pub use svd_cnn::{SvdCnn, SvdCnnConfig};
