//! Predictions for whole recordings, as a `[rows, outputs]` matrix of
//! probabilities: one row per frame ([`predict_every_frame`], singing voice)
//! or per chunk.
//!
//! Frame-wise (Schlüter & Grill, ISMIR 2015): the song's features are padded
//! with `excerpt / 2` frames of the frontend's silence value on the left and
//! the rest on the right, and the network gives one output per frame, the
//! prediction for the excerpt centred on it. The network runs fully
//! convolutionally over the song
//! ([`cochlea_model::Classifier::forward_every_excerpt`]), in chunks of at
//! most `chunk_frames` outputs to bound memory.

use burn::tensor::activation::sigmoid;
use burn::tensor::{Tensor, TensorData};
use cochlea_data::{Framing, chunk_at, evenly_spaced_starts};
use cochlea_model::Classifier;

use crate::error::Result;
use cochlea_frontend::host::to_f32_vec;

/// Probabilities, row-major `[rows, outputs]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Rows (frames or chunks).
    pub rows: usize,
    /// Outputs per row.
    pub outputs: usize,
    /// `rows * outputs` values.
    pub values: Vec<f32>,
}

impl Prediction {
    /// The values of output `o`, one per row.
    pub fn column(&self, o: usize) -> Vec<f32> {
        (0..self.rows)
            .map(|r| self.values[r * self.outputs + o])
            .collect()
    }
}

/// Features of silence, `[1, bands, 1]`: the frontend applied to one frame of zeros.
pub fn silence_features(model: &Classifier) -> Tensor<3> {
    let device = model.frontend.standardize().device();
    let frame = model.frontend.frame_length();
    model
        .frontend
        .forward(Tensor::zeros([1, frame], &device))
        .slice([0..1, 0..model.frontend.bands(), 0..1])
}

/// Probabilities `[frames, outputs]`, one row per frontend frame of
/// `samples` (an inference-mode model whose frontend cuts frames as `framing`).
pub fn predict_every_frame(
    model: &Classifier,
    framing: Framing,
    samples: &[f32],
    chunk_frames: usize,
) -> Result<Prediction> {
    let device = model.frontend.standardize().device();
    let frames = framing.frames(samples.len());
    let bands = model.frontend.bands();
    let outputs = model.outputs();
    if frames == 0 {
        return Ok(Prediction {
            rows: 0,
            outputs,
            values: Vec::new(),
        });
    }
    let excerpt = model.excerpt_frames();
    let left = excerpt / 2;
    let right = excerpt - 1 - left;
    let wave = Tensor::<2>::from_data(
        TensorData::new(samples.to_vec(), [1, samples.len()]),
        &device,
    );
    let features = model.frontend.forward(wave); // [1, bands, frames]
    let silence = silence_features(model); // [1, bands, 1]
    let padded = Tensor::cat(
        vec![
            silence.clone().repeat_dim(2, left),
            features,
            silence.repeat_dim(2, right),
        ],
        2,
    ); // [1, bands, frames + excerpt - 1]
    let chunk = chunk_frames.max(1);
    let mut values = Vec::with_capacity(frames * outputs);
    let mut start = 0;
    while start < frames {
        let count = chunk.min(frames - start);
        let piece = padded
            .clone()
            .slice([0..1, 0..bands, start..start + count + excerpt - 1]); // [1, bands, count + excerpt - 1]
        let logits = model.forward_every_excerpt(piece); // [count, outputs]
        values.extend(to_f32_vec(
            sigmoid(logits.slice([0..count, 0..outputs])),
            "frame-wise predictions",
        )?);
        start += count;
    }
    Ok(Prediction {
        rows: frames,
        outputs,
        values,
    })
}

/// Probabilities `[count, outputs]` of `count` evenly spaced chunks of
/// `chunk` samples of `samples` ([`cochlea_data::evenly_spaced_starts`]), in
/// one batch (an inference-mode model).
pub fn predict_chunks(
    model: &Classifier,
    samples: &[f32],
    chunk: usize,
    count: usize,
) -> Result<Prediction> {
    let device = model.frontend.standardize().device();
    let mut waves = Vec::with_capacity(count * chunk);
    for start in evenly_spaced_starts(samples.len(), chunk, count) {
        chunk_at(samples, start, chunk, &mut waves);
    }
    let wave = Tensor::<2>::from_data(TensorData::new(waves, [count, chunk]), &device); // [count, chunk]
    let probabilities = sigmoid(model.forward(wave)); // [count, outputs]
    let outputs = probabilities.dims()[1];
    Ok(Prediction {
        rows: count,
        outputs,
        values: to_f32_vec(probabilities, "chunk predictions")?,
    })
}
