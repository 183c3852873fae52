//! Embeddings of a split's items, for analyses of a model's representation
//! space (hubness). Two layers:
//! - `penultimate`: the backbone's output, the input of the final dropout
//!   and dense layer (64 values for the SVD CNN, `dense` for the short-chunk
//!   CNN);
//! - `frontend`: the standardised frontend features averaged over the
//!   excerpt's frames, one value per band.
//!
//! Items per task: singing voice, excerpts of `excerpt_frames` starting
//! every `spacing` seconds of each song, labelled by their centre frame
//! (classes `no-voice`, `voice`); tagging, each clip, as the mean of the
//! embeddings of its `eval_chunks` evenly spaced chunks (the chunks its
//! evaluation averages), labelled by its tags.

use burn::tensor::{Tensor, TensorData};
use cochlea_model::Classifier;
use serde::Serialize;

use crate::error::{Error, Result};
use cochlea_frontend::host::to_f32_vec;

/// Where the embedding is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EmbeddingLayer {
    /// The backbone's output.
    Penultimate,
    /// The frontend's features, averaged over time.
    Frontend,
}

impl EmbeddingLayer {
    /// Parses `penultimate` or `frontend`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "penultimate" => Some(Self::Penultimate),
            "frontend" => Some(Self::Frontend),
            _ => None,
        }
    }
}

/// The labels of embedded items.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemLabels {
    /// One class per item.
    Classes {
        /// Class names, by index.
        names: Vec<String>,
        /// Each item's class.
        of_item: Vec<usize>,
    },
    /// Any number of tags per item.
    Tags {
        /// Tag names.
        names: Vec<String>,
        /// Each item's flags, in tag order.
        of_item: Vec<Vec<bool>>,
    },
}

/// Embeddings `[items, dim]` with their items' names and labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    /// Values per item.
    pub dim: usize,
    /// `items * dim` values, row-major.
    pub vectors: Vec<f32>,
    /// Item names (`song@seconds`, or the clip id).
    pub items: Vec<String>,
    /// Their labels.
    pub labels: ItemLabels,
}

/// Embeddings `[count, dim]` (row-major) of `count` waveform excerpts of
/// `samples` samples each, `waves` row-major, from an inference-mode model.
pub fn embed_waves(
    model: &Classifier,
    layer: EmbeddingLayer,
    waves: Vec<f32>,
    count: usize,
    samples: usize,
) -> Result<(Vec<f32>, usize)> {
    if count == 0 {
        return Ok((Vec::new(), 0));
    }
    let device = model.frontend.standardize().device();
    let wave = Tensor::<2>::from_data(TensorData::new(waves, [count, samples]), &device); // [count, samples]
    let features = model.frontend.forward(wave); // [count, bands, frames]
    let embedding = match layer {
        EmbeddingLayer::Penultimate => model.backbone.forward(features), // [count, embedding]
        EmbeddingLayer::Frontend => {
            let bands = features.dims()[1];
            features.mean_dim(2).reshape([count, bands]) // [count, bands]
        }
    };
    let dim = embedding.dims()[1];
    Ok((to_f32_vec(embedding, "embeddings")?, dim))
}

/// Appends rows of `dim` values to `out`, checking that every batch has the same width.
pub(crate) fn push_rows(out: &mut Embeddings, rows: &[f32], dim: usize) -> Result<()> {
    if out.dim == 0 {
        out.dim = dim;
    } else if out.dim != dim {
        return Err(Error::Other(format!(
            "embedding width changed from {} to {dim}",
            out.dim
        )));
    }
    out.vectors.extend_from_slice(rows);
    Ok(())
}
