//! Predictions for whole recordings, as a `[rows, outputs]` matrix of
//! probabilities: one row per frame ([`predict_frames`], singing voice)
//! or per chunk ([`predict_chunks`], the tagging evaluation protocol).
//!
//! Frame-wise (Schlüter & Grill, ISMIR 2015): the song's features are padded
//! with `excerpt / 2` frames of the frontend's silence value on the left and
//! the rest on the right, and the network gives one output per frame, the
//! prediction for the excerpt centred on it; it runs fully convolutionally
//! ([`cochlea_model::Classifier::forward_every_excerpt`]). The song streams
//! through in windows of `span` output frames ([`crate::frame_windows`]):
//! each runs the frontend on its frames, the half excerpts either side and
//! the frontend's context ([`cochlea_frontend::FrameContext`]), so every
//! output is that of one pass over the whole song, in memory bounded by the
//! window: to float rounding for the STFT frontends (burn's FFT and matrix
//! products round differently for other shapes: about 1e-6 apart), and for
//! the Gabor frontend to the accuracy with which its frequency-domain
//! evaluation follows the FFT length (1e-5 at `support = 5`; about 1e-3 of
//! the energies within 30 dB of a band's peak at the default 3.5; a song
//! shorter than the window is computed exactly as in one pass). See
//! `predict_tests.rs`.

use burn::tensor::activation::sigmoid;
use burn::tensor::{Tensor, TensorData};
use cochlea_data::{Framing, SampleSource, chunk_at, evenly_spaced_starts};
use cochlea_model::Classifier;

use crate::error::Result;
use crate::frame_stream::FrameStream;
use crate::frame_windows::WindowPlan;
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

/// A predicted recording: the probabilities and the samples it had.
pub struct FramePrediction {
    /// Probabilities `[frames, outputs]`, one row per frontend frame.
    pub prediction: Prediction,
    /// Samples read from the source.
    pub samples: usize,
}

/// Probabilities `[frames, outputs]`, one row per frontend frame of the
/// signal `source` streams (an inference-mode model whose frontend cuts
/// frames as `framing`), computed in windows of `span` output frames.
pub fn predict_frames(
    model: &Classifier,
    framing: Framing,
    source: &mut dyn SampleSource,
    span: usize,
) -> Result<FramePrediction> {
    let device = model.frontend.standardize().device();
    let bands = model.frontend.bands();
    let outputs = model.outputs();
    let excerpt = model.excerpt_frames();
    let left = excerpt / 2;
    let plan = WindowPlan {
        framing,
        span,
        need: (left, excerpt - 1 - left),
        context: model.frontend.context()?,
    };
    let silence = silence_features(model); // [1, bands, 1]
    let mut stream = FrameStream::new(plan, source);
    let mut values = Vec::new();
    while let Some((window, samples)) = stream.next_window()? {
        let wave = Tensor::<2>::from_data(
            TensorData::new(samples.to_vec(), [1, samples.len()]),
            &device,
        );
        let used = window.used();
        let features = model
            .frontend
            .forward(wave) // [1, bands, computed frames]
            .slice([0..1, 0..bands, used]); // [1, bands, feature frames]
        let mut parts = Vec::with_capacity(3);
        if window.silence.0 > 0 {
            parts.push(silence.clone().repeat_dim(2, window.silence.0));
        }
        parts.push(features);
        if window.silence.1 > 0 {
            parts.push(silence.clone().repeat_dim(2, window.silence.1));
        }
        let padded = Tensor::cat(parts, 2); // [1, bands, kept + excerpt - 1]
        let count = window.kept.len();
        let logits = model.forward_every_excerpt(padded); // [kept, outputs]
        values.extend(to_f32_vec(
            sigmoid(logits.slice([0..count, 0..outputs])),
            "frame-wise predictions",
        )?);
    }
    let samples = stream.length().unwrap_or(0);
    Ok(FramePrediction {
        prediction: Prediction {
            rows: values.len() / outputs.max(1),
            outputs,
            values,
        },
        samples,
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

#[cfg(test)]
#[path = "predict_tests.rs"]
mod tests;
