//! The singing voice detection evaluation protocol on whole songs
//! (Schlüter & Grill, ISMIR 2015; see [`crate::metrics`]): predict every
//! frame of every song ([`crate::predict`]), median-filter each song's
//! predictions, pool the frames of a split, pick the threshold that maximises
//! validation accuracy (or use the run's stored threshold when the dataset has
//! no validation split), and report error, precision, recall, specificity,
//! F1 and AUROC on the evaluated split.

use std::time::Instant;

use cochlea_model::Classifier;
use serde::{Deserialize, Serialize};

use crate::metrics::{BinaryMetrics, best_threshold, binary_metrics, median_filter};
use crate::predict::predict_song;
use crate::songs::Song;

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
    songs: &[Song],
    chunk_frames: usize,
) -> (Vec<SongPrediction>, f64) {
    let started = Instant::now();
    let predictions = songs
        .iter()
        .map(|song| {
            let scores = predict_song(model, song.wave.samples(), chunk_frames);
            let n = scores.len().min(song.labels.len());
            SongPrediction {
                labels: song.labels[..n].to_vec(),
                scores: scores[..n].to_vec(),
            }
        })
        .collect();
    (predictions, started.elapsed().as_secs_f64())
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

/// Where the decision threshold came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThresholdSource {
    /// Maximum accuracy on the dataset's validation split.
    Validation,
    /// The threshold stored with the run (dataset without a validation split).
    Run,
}

/// The result of evaluating one split.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evaluation {
    /// The evaluated split.
    pub split: String,
    /// Decision threshold on median-filtered probabilities.
    pub threshold: f32,
    /// Where the threshold came from.
    pub threshold_source: ThresholdSource,
    /// Median filter length in frames.
    pub median_filter: usize,
    /// Metrics on the evaluated split.
    pub metrics: BinaryMetrics,
    /// Metrics on the validation split at the chosen threshold, if it exists.
    pub validation: Option<BinaryMetrics>,
    /// Songs in the evaluated split.
    pub songs: usize,
    /// Audio seconds in the evaluated split.
    pub audio_seconds: f64,
    /// Wall seconds spent predicting the evaluated split.
    pub predict_seconds: f64,
}

/// Evaluates `split_predictions` with a threshold from `valid` or `stored`.
pub fn evaluate(
    split_predictions: &[SongPrediction],
    valid: Option<&[SongPrediction]>,
    stored_threshold: f32,
    median: usize,
) -> (f32, ThresholdSource, BinaryMetrics, Option<BinaryMetrics>) {
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
    (
        threshold,
        source,
        binary_metrics(&labels, &scores, threshold),
        validation,
    )
}

/// The metrics as a small aligned table.
pub fn render_table(e: &Evaluation) -> String {
    let m = &e.metrics;
    let pct = |v: f64| format!("{:6.2} %", 100.0 * v);
    let auroc = m
        .auroc
        .map(|a| format!("{a:8.4}"))
        .unwrap_or_else(|| "     n/a".into());
    let mut s = String::new();
    s.push_str(&format!(
        "split {} — {} songs, {} frames ({:.1} % voice), threshold {} ({}), median filter {} frames\n",
        e.split,
        e.songs,
        m.frames,
        100.0 * m.positives as f64 / m.frames.max(1) as f64,
        e.threshold,
        match e.threshold_source {
            ThresholdSource::Validation => "best on validation",
            ThresholdSource::Run => "stored with the run",
        },
        e.median_filter
    ));
    s.push_str("| metric      |    value |\n|-------------|----------|\n");
    for (name, value) in [
        ("error", pct(m.error)),
        ("precision", pct(m.precision)),
        ("recall", pct(m.recall)),
        ("specificity", pct(m.specificity)),
        ("F1", pct(m.f1)),
    ] {
        s.push_str(&format!("| {name:<11} | {value} |\n"));
    }
    s.push_str(&format!("| AUROC       | {auroc} |\n"));
    s
}

/// `cochlea evaluate`: evaluates the final model of `run` on `split` of
/// `data` (default: the run's own dataset).
pub fn evaluate_run(
    run: &crate::run::RunDir,
    data: Option<&std::path::Path>,
    split: &str,
) -> crate::error::Result<Evaluation> {
    let mut config = run.load_config()?;
    let device = config
        .backend
        .device()
        .map_err(crate::error::Error::Config)?;
    let model = run.load_model(&config, &device)?;
    let stored = stored_threshold(run);
    if let Some(d) = data {
        crate::songs::require_folder(d)?;
        config.data.root = d.to_path_buf();
        config.data.synthetic = None;
        config.data.cache_dir = None;
        config.resolve_paths();
    }
    let dataset = cochlea_data::JamendoDataset::open(&config.data.root)?;
    let framing = crate::songs::Framing::of(&model, config.data.sample_rate);
    let chunk = crate::train::chunk_frames(&config, framing);
    crate::train::evaluate_split(&config, &model, &dataset, split, stored, chunk)
}

/// The threshold stored with a run (from its `metrics.json`), or 0.5.
fn stored_threshold(run: &crate::run::RunDir) -> f32 {
    std::fs::read_to_string(run.final_metrics())
        .ok()
        .and_then(|t| serde_json::from_str::<Evaluation>(&t).ok())
        .map(|e| e.threshold)
        .unwrap_or(0.5)
}
