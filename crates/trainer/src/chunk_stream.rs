//! A chunk-level model (tagging) over a recording of any length: the
//! network's outputs for consecutive chunks of `chunk` samples, as a series
//! over time, streamed from a [`SampleSource`] in bounded memory (two
//! chunks and a batch).
//!
//! The chunks ([`consecutive_starts`]) start at `0, chunk, 2 chunk, ...` as
//! long as a whole chunk fits, and one more ends at the recording's end
//! when the last of those does not (it overlaps its predecessor), so that
//! every sample is in a chunk and every chunk is a whole network input. A
//! recording shorter than one chunk is one chunk, padded with zeros at its
//! end ([`cochlea_data::chunk_at`], as the evaluation protocol pads).
//!
//! This is what `cochlea predict` reports for tagging; `evaluate` keeps the
//! protocol of Won et al. (16 evenly spaced chunks per clip,
//! [`crate::predict::predict_chunks`]).

use burn::tensor::activation::sigmoid;
use burn::tensor::{Tensor, TensorData};
use cochlea_data::{SampleSource, chunk_at};
use cochlea_model::Classifier;

use crate::error::Result;
use crate::predict::Prediction;
use cochlea_frontend::host::to_f32_vec;

/// Chunks per forward pass.
pub const CHUNK_BATCH: usize = 8;

/// Start sample of every chunk of `chunk` samples of a recording of `len`
/// samples (see the module docs).
pub fn consecutive_starts(len: usize, chunk: usize) -> Vec<usize> {
    let chunk = chunk.max(1);
    if len <= chunk {
        return vec![0];
    }
    let mut starts: Vec<usize> = (0..=(len - chunk) / chunk).map(|k| k * chunk).collect();
    if !len.is_multiple_of(chunk) {
        starts.push(len - chunk);
    }
    starts
}

/// A recording's chunk predictions.
pub struct ChunkPrediction {
    /// Probabilities `[chunks, outputs]`.
    pub prediction: Prediction,
    /// Start sample of each chunk ([`consecutive_starts`]).
    pub starts: Vec<usize>,
    /// Samples per chunk.
    pub chunk: usize,
    /// Samples read from the source.
    pub samples: usize,
}

impl ChunkPrediction {
    /// The mean of the chunks' probabilities per output: the recording's scores.
    pub fn mean(&self) -> Vec<f32> {
        (0..self.prediction.outputs)
            .map(|o| {
                let column = self.prediction.column(o);
                column.iter().sum::<f32>() / column.len().max(1) as f32
            })
            .collect()
    }
}

/// The probabilities of every chunk of `chunk` samples of what `source`
/// streams (an inference-mode model).
pub fn predict_consecutive_chunks(
    model: &Classifier,
    source: &mut dyn SampleSource,
    chunk: usize,
) -> Result<ChunkPrediction> {
    let device = model.frontend.standardize().device();
    let outputs = model.outputs();
    let chunk = chunk.max(1);
    let mut values = Vec::new();
    let mut batch: Vec<f32> = Vec::with_capacity(CHUNK_BATCH * chunk);
    let run = |batch: &mut Vec<f32>, values: &mut Vec<f32>| -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let rows = batch.len() / chunk;
        let wave = Tensor::<2>::from_data(
            TensorData::new(std::mem::take(batch), [rows, chunk]),
            &device,
        ); // [rows, chunk]
        values.extend(to_f32_vec(
            sigmoid(model.forward(wave)), // [rows, outputs]
            "chunk predictions",
        )?);
        Ok(())
    };
    // Samples from `offset` on; whole chunks are taken while they fit, and
    // the last one taken stays (the final chunk may overlap it).
    let mut buffer: Vec<f32> = Vec::new();
    let mut offset = 0;
    let mut next = 0;
    let mut starts = Vec::new();
    let length = loop {
        if offset + buffer.len() >= next + chunk {
            // `next` stays whole-chunk aligned until the end is known.
            let from = next - offset;
            batch.extend_from_slice(&buffer[from..from + chunk]);
            starts.push(next);
            buffer.drain(..from);
            offset = next;
            next += chunk;
            if batch.len() == CHUNK_BATCH * chunk {
                run(&mut batch, &mut values)?;
            }
        } else if !source.read(&mut buffer)? {
            break offset + buffer.len();
        }
    };
    let all = consecutive_starts(length, chunk);
    // The streamed chunks are the aligned ones; add the final chunk.
    for &start in &all[starts.len().min(all.len())..] {
        chunk_at(&buffer, start - offset, chunk, &mut batch);
        starts.push(start);
        if batch.len() == CHUNK_BATCH * chunk {
            run(&mut batch, &mut values)?;
        }
    }
    run(&mut batch, &mut values)?;
    debug_assert_eq!(starts, all);
    Ok(ChunkPrediction {
        prediction: Prediction {
            rows: starts.len(),
            outputs,
            values,
        },
        starts,
        chunk,
        samples: length,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_recording_and_the_last_one_ends_with_it() {
        assert_eq!(consecutive_starts(10, 4), vec![0, 4, 6]);
        assert_eq!(consecutive_starts(12, 4), vec![0, 4, 8]);
        assert_eq!(consecutive_starts(4, 4), vec![0]);
        assert_eq!(consecutive_starts(3, 4), vec![0]);
        assert_eq!(consecutive_starts(5, 4), vec![0, 1]);
        for len in 1..60 {
            let starts = consecutive_starts(len, 7);
            let mut covered = vec![false; len];
            for &s in &starts {
                for c in covered.iter_mut().skip(s).take(7) {
                    *c = true;
                }
                assert!(s + 7 <= len.max(7));
            }
            assert!(covered.iter().all(|&c| c), "{len}: {starts:?}");
            assert!(starts.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
