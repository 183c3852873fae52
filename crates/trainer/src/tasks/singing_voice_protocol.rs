//! The singing voice detection evaluation protocol on whole songs
//! (Schlüter & Grill, ISMIR 2015; see [`crate::metrics`]): predict every
//! frame of every song ([`crate::predict::predict_frames`], streaming each
//! song from its cache file in windows), median-filter each song's predictions, pool the frames of a split, pick
//! the threshold that maximises validation accuracy (or use a stored
//! threshold when the dataset has no validation split), and report error,
//! precision, recall, specificity, F1 and AUROC on the evaluated split.

use std::time::Instant;

use cochlea_data::{Framing, Song};
use cochlea_model::Classifier;

use super::singing_voice_report::ThresholdSource;
use crate::error::Result;
use crate::metrics::{BinaryMetrics, best_threshold, binary_metrics, median_filter};
use crate::predict::predict_frames;
use crate::unit_predictions::{UnitItems, UnitPredictions};

/// Predictions for one song.
pub struct SongPrediction {
    /// Frame labels.
    pub labels: Vec<f32>,
    /// Voice probability per frame (before median filtering).
    pub scores: Vec<f32>,
}

/// Predicts every frame of every song; returns the predictions and the seconds taken.
pub fn predict_songs(
    model: &Classifier,
    framing: Framing,
    songs: &[Song],
    chunk_frames: usize,
) -> Result<(Vec<SongPrediction>, f64)> {
    let started = Instant::now();
    let mut predictions = Vec::with_capacity(songs.len());
    for song in songs {
        let mut reader = song.wave.reader()?;
        let scores = predict_frames(model, framing, &mut reader, chunk_frames)?
            .prediction
            .column(0);
        let n = scores.len().min(song.labels.len());
        predictions.push(SongPrediction {
            labels: song.labels[..n].to_vec(),
            scores: scores[..n].to_vec(),
        });
    }
    Ok((predictions, started.elapsed().as_secs_f64()))
}

/// Median-filters each song and pools all frames: `(labels, scores)`.
pub fn pool(predictions: &[SongPrediction], median: usize) -> (Vec<bool>, Vec<f32>) {
    let mut labels = Vec::new();
    let mut scores = Vec::new();
    for p in predictions {
        labels.extend(p.labels.iter().map(|&l| l >= 0.5));
        scores.extend(median_filter(&p.scores, median));
    }
    (labels, scores)
}

/// The median-filtered scores of each song, as the metrics saw them, with
/// the decision threshold: one unit per song, one item per frame.
pub fn song_units(
    split: &str,
    songs: &[Song],
    predictions: &[SongPrediction],
    median: usize,
    threshold: f32,
) -> UnitPredictions {
    UnitPredictions {
        split: split.to_string(),
        unit_kind: "song".into(),
        outputs: vec!["voice".into()],
        thresholds: vec![Some(threshold)],
        units: songs
            .iter()
            .zip(predictions)
            .map(|(song, p)| UnitItems {
                name: song.name.clone(),
                items: Vec::new(),
                labels: p.labels.iter().map(|&l| u8::from(l >= 0.5)).collect(),
                scores: median_filter(&p.scores, median),
            })
            .collect(),
    }
}

/// Mean binary cross-entropy of unfiltered predictions against hard labels.
pub fn mean_bce(predictions: &[SongPrediction]) -> f64 {
    let mut total = 0.0;
    let mut count = 0usize;
    for p in predictions {
        for (&y, &s) in p.labels.iter().zip(&p.scores) {
            let s = (s as f64).clamp(1e-7, 1.0 - 1e-7);
            let y = y as f64;
            total -= y * s.ln() + (1.0 - y) * (1.0 - s).ln();
            count += 1;
        }
    }
    total / count.max(1) as f64
}

/// The outcome of [`evaluate`].
pub struct Judgement {
    /// The decision threshold on median-filtered probabilities.
    pub threshold: f32,
    /// Where it came from.
    pub source: ThresholdSource,
    /// Metrics on the evaluated split.
    pub metrics: BinaryMetrics,
    /// Metrics on the validation split at the threshold, if one was given.
    pub validation: Option<BinaryMetrics>,
}

/// Evaluates `split_predictions` with a threshold from `valid` or `stored`.
pub fn evaluate(
    split_predictions: &[SongPrediction],
    valid: Option<&[SongPrediction]>,
    stored_threshold: f32,
    median: usize,
) -> Judgement {
    let (threshold, source, validation) = match valid {
        Some(v) if !v.is_empty() => {
            let (labels, scores) = pool(v, median);
            let t = best_threshold(&labels, &scores);
            (
                t,
                ThresholdSource::Validation,
                Some(binary_metrics(&labels, &scores, t)),
            )
        }
        _ => (stored_threshold, ThresholdSource::Run, None),
    };
    let (labels, scores) = pool(split_predictions, median);
    Judgement {
        threshold,
        source,
        metrics: binary_metrics(&labels, &scores, threshold),
        validation,
    }
}
