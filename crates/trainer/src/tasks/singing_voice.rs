//! Singing voice detection (Schlüter & Grill, ISMIR 2015): one output per
//! frame, the voice probability of the excerpt centred on it.
//!
//! - targets: random `excerpt_frames`-frame excerpts labelled by their centre
//!   frame ([`cochlea_data::ExcerptSampler`]), smoothed to
//!   `offset + scale * y` (`label_smoothing`, default `0.02 + 0.96 y`);
//! - loss: binary cross-entropy on the logit ([`crate::loss`]);
//! - validation summary: cross-entropy, error and AUROC on whole validation
//!   songs after median filtering, and the threshold that gave the error;
//! - evaluation: the protocol of [`super::singing_voice_protocol`], reported
//!   as [`Evaluation`].
//!
//! Data: the Jamendo layout ([`cochlea_data::JamendoDataset`]). Label noise
//! (`[label_noise]`, kinds `segments` and `boundaries`) corrupts the `.lab`
//! segments of the listed splits before their frames are labelled
//! ([`cochlea_data::load_songs`]): validation during training and the
//! threshold that `evaluate` picks on the validation split then use the
//! noisy validation labels when `valid` is listed; the test split is always
//! clean.

use std::collections::BTreeMap;

use burn::tensor::Tensor;
use cochlea_data::{
    AugmentConfig, DataConfig, ExcerptSampler, Framing, JamendoDataset, LabelNoiseConfig,
    LabelNoiseRecord, Layout, LoadedSongs, Song, augmented_batch, load_songs,
};
use cochlea_model::Classifier;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::item_embeddings::song_embeddings;
use super::singing_voice_protocol::{evaluate, mean_bce, pool, predict_songs, song_units};
use super::singing_voice_report::Evaluation;
use super::singing_voice_resampled::SongMetrics;
use super::{Batch, Report, ResampledMetrics, Task, TrainingData, ValidationSummary};
use crate::embeddings::{EmbeddingLayer, Embeddings};
use crate::error::{Error, Result};
use crate::loss::{bce_with_logits, check_label_smoothing, smooth_targets};
use crate::metrics::{best_threshold, binary_metrics};
use crate::unit_predictions::UnitPredictions;

/// What the task's one output stands for.
pub const OUTPUT_LABEL: &str = "singing voice";

/// Settings of the singing voice task (`[task] kind = "singing-voice"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SingingVoiceConfig {
    /// Excerpt length in frames; the label is that of the centre frame.
    #[serde(default = "default_excerpt_frames")]
    pub excerpt_frames: usize,
    /// Label smoothing `[offset, scale]`: targets become `offset + scale * y`.
    #[serde(default = "default_label_smoothing")]
    pub label_smoothing: [f64; 2],
    /// Median filter length in frames applied to predictions (56 = 0.8 s).
    #[serde(default = "default_median_filter")]
    pub median_filter: usize,
    /// Longest stretch of a song run through the frontend and the network at
    /// once, in seconds (longer songs stream through in overlapping windows
    /// of this many seconds of output frames, bounding memory; the outputs
    /// do not depend on it).
    #[serde(default = "default_chunk_seconds")]
    pub chunk_seconds: f64,
}

fn default_excerpt_frames() -> usize {
    115
}
fn default_label_smoothing() -> [f64; 2] {
    [0.02, 0.96]
}
fn default_median_filter() -> usize {
    56
}
/// 60 s: a 60-minute file then needs no more memory than a 1-minute one
/// beyond its output (`cargo bench -p cochlea --bench predict`).
fn default_chunk_seconds() -> f64 {
    60.0
}

impl Default for SingingVoiceConfig {
    fn default() -> Self {
        Self {
            excerpt_frames: default_excerpt_frames(),
            label_smoothing: default_label_smoothing(),
            median_filter: default_median_filter(),
            chunk_seconds: default_chunk_seconds(),
        }
    }
}

impl SingingVoiceConfig {
    /// Checks the settings; the message names the key.
    pub fn validate(&self, data: &DataConfig) -> std::result::Result<(), String> {
        if data.layout != Layout::Jamendo {
            return Err(format!(
                "task.kind = \"singing-voice\" reads the \"jamendo\" layout, not data.layout = \"{}\"",
                data.layout.name()
            ));
        }
        if self.excerpt_frames == 0 {
            return Err("task.excerpt_frames must be at least 1".into());
        }
        check_label_smoothing(self.label_smoothing)?;
        if self.median_filter == 0 {
            return Err("task.median_filter must be at least 1 (1 = no filtering)".into());
        }
        if !(self.chunk_seconds > 0.0 && self.chunk_seconds.is_finite()) {
            return Err(format!(
                "task.chunk_seconds = {} must be positive",
                self.chunk_seconds
            ));
        }
        Ok(())
    }

    /// Output frames per window when predicting whole songs
    /// ([`crate::predict::predict_frames`]): `chunk_seconds` of frames.
    pub fn chunk_frames(&self, framing: Framing) -> usize {
        ((self.chunk_seconds * framing.fps()) as usize).max(1)
    }
}

/// The singing voice task on one dataset.
pub struct SingingVoice {
    config: SingingVoiceConfig,
    data: DataConfig,
    noise: Option<LabelNoiseConfig>,
}

impl SingingVoice {
    /// The task with `config`, reading the Jamendo-layout dataset of `data`,
    /// its labels corrupted by `noise`.
    pub fn new(
        config: SingingVoiceConfig,
        data: DataConfig,
        noise: Option<LabelNoiseConfig>,
    ) -> Self {
        Self {
            config,
            data,
            noise,
        }
    }

    fn dataset(&self) -> Result<JamendoDataset> {
        Ok(JamendoDataset::open(&self.data.root)?)
    }

    /// Frames per window when predicting whole songs.
    fn chunk_frames(&self, framing: Framing) -> usize {
        self.config.chunk_frames(framing)
    }

    fn load(&self, dataset: &JamendoDataset, split: &str, framing: Framing) -> Result<Vec<Song>> {
        Ok(self.load_noisy(dataset, split, framing)?.songs)
    }

    /// The songs of `split`, and their corrupted labels if `[label_noise]`
    /// lists it.
    fn load_noisy(
        &self,
        dataset: &JamendoDataset,
        split: &str,
        framing: Framing,
    ) -> Result<LoadedSongs> {
        Ok(load_songs(
            dataset,
            split,
            &self.data.loader(),
            framing,
            self.noise.as_ref(),
        )?)
    }
}

impl Task for SingingVoice {
    fn resolved(&self) -> Result<super::TaskConfig> {
        Ok(super::TaskConfig::SingingVoice(self.config.clone()))
    }

    fn input_frames(&self) -> usize {
        self.config.excerpt_frames
    }

    fn training_data(
        &self,
        framing: Framing,
        augment: &AugmentConfig,
    ) -> Result<Box<dyn TrainingData + '_>> {
        let dataset = self.dataset()?;
        let train = self.load_noisy(&dataset, "train", framing)?;
        let valid = if dataset.has_split("valid") {
            self.load_noisy(&dataset, "valid", framing)?
        } else {
            LoadedSongs {
                songs: Vec::new(),
                noise: None,
            }
        };
        let noise = match &self.noise {
            Some(config) => Some(LabelNoiseRecord::for_songs(
                config,
                &dataset,
                [train.noise, valid.noise].into_iter().flatten().collect(),
            )?),
            None => None,
        };
        let (train, valid) = (train.songs, valid.songs);
        let frames = self.config.excerpt_frames;
        if ExcerptSampler::new(&train, framing, frames).is_none() {
            return Err(Error::Other(format!(
                "no training song in {} is long enough for one excerpt of {frames} frames ({:.2} s)",
                self.data.root.display(),
                framing.seconds_for(frames)
            )));
        }
        Ok(Box::new(SongData {
            task: self,
            framing,
            augment: augment.clone(),
            train,
            valid,
            noise,
        }))
    }

    fn evaluate(
        &self,
        model: &Classifier,
        split: &str,
        previous: Option<&str>,
    ) -> Result<Box<dyn Report>> {
        // The threshold stored with the run (from its report), or 0.5.
        let stored = previous
            .and_then(|json| Evaluation::from_json(json).ok())
            .map_or(0.5, |e| e.threshold);
        let framing = crate::framing::framing_of(model, self.data.sample_rate);
        let chunk = self.chunk_frames(framing);
        let dataset = self.dataset()?;
        let songs = self.load(&dataset, split, framing)?;
        let (predictions, seconds) = predict_songs(model, framing, &songs, chunk)?;
        let other_valid = if split != "valid" && dataset.has_split("valid") {
            let songs = self.load(&dataset, "valid", framing)?;
            Some(predict_songs(model, framing, &songs, chunk)?.0)
        } else {
            None
        };
        // Evaluating the validation split itself picks its threshold there too.
        let valid_ref = if split == "valid" {
            Some(predictions.as_slice())
        } else {
            other_valid.as_deref()
        };
        let judgement = evaluate(&predictions, valid_ref, stored, self.config.median_filter);
        let units = song_units(
            split,
            &songs,
            &predictions,
            self.config.median_filter,
            judgement.threshold,
        );
        Ok(Box::new(Evaluation {
            split: split.to_string(),
            threshold: judgement.threshold,
            threshold_source: judgement.source,
            median_filter: self.config.median_filter,
            metrics: judgement.metrics,
            validation: judgement.validation,
            songs: songs.len(),
            audio_seconds: songs.iter().map(|s| s.wave.duration_seconds()).sum(),
            predict_seconds: seconds,
            units: Some(units),
        }))
    }

    fn read_report(&self, json: &str) -> Result<Box<dyn Report>> {
        Ok(Box::new(Evaluation::from_json(json)?))
    }

    fn embeddings(
        &self,
        model: &Classifier,
        split: &str,
        layer: EmbeddingLayer,
        spacing: f64,
    ) -> Result<Embeddings> {
        let framing = crate::framing::framing_of(model, self.data.sample_rate);
        let songs = self.load(&self.dataset()?, split, framing)?;
        song_embeddings(
            model,
            &songs,
            framing,
            self.config.excerpt_frames,
            layer,
            spacing,
        )
    }

    fn resampled_metrics(&self, predictions: &UnitPredictions) -> Box<dyn ResampledMetrics> {
        Box::new(SongMetrics::new(predictions))
    }
}

/// Loaded training and validation songs.
struct SongData<'a> {
    task: &'a SingingVoice,
    framing: Framing,
    augment: AugmentConfig,
    train: Vec<Song>,
    valid: Vec<Song>,
    noise: Option<LabelNoiseRecord>,
}

impl TrainingData for SongData<'_> {
    fn describe(&self) -> String {
        let mut s = format!(
            "{} training and {} validation songs",
            self.train.len(),
            self.valid.len()
        );
        if let Some(noise) = &self.noise {
            s.push_str(&format!("; {}", noise.describe()));
        }
        s
    }

    fn label_noise(&self) -> Option<&LabelNoiseRecord> {
        self.noise.as_ref()
    }

    fn statistics_waves(&self) -> Vec<&[f32]> {
        self.train.iter().map(|s| s.wave.samples()).collect()
    }

    fn batch(&self, order: &mut StdRng, augment: &mut StdRng, batch: usize) -> Batch {
        let frames = self.task.config.excerpt_frames;
        // Checked non-empty when the data was loaded.
        let sampler = ExcerptSampler::new(&self.train, self.framing, frames)
            .expect("training songs hold at least one excerpt");
        // Labels united by mixing are smoothed afterwards.
        let (waves, labels) = augmented_batch(&sampler, &self.augment, order, augment, batch);
        let targets = smooth_targets(&labels, self.task.config.label_smoothing);
        Batch {
            waves,
            samples: sampler.excerpt_samples(),
            targets,
        }
    }

    fn loss(&self, logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        let batch = logits.dims()[0];
        bce_with_logits(logits.reshape([batch]), targets.reshape([batch])) // [1]
    }

    fn validate(&self, model: &Classifier) -> Result<Option<ValidationSummary>> {
        if self.valid.is_empty() {
            return Ok(None);
        }
        let chunk = self.task.chunk_frames(self.framing);
        let (predictions, _) = predict_songs(model, self.framing, &self.valid, chunk)?;
        let (labels, scores) = pool(&predictions, self.task.config.median_filter);
        let threshold = best_threshold(&labels, &scores);
        let metrics = binary_metrics(&labels, &scores, threshold);
        let loss = mean_bce(&predictions);
        let mut named = BTreeMap::from([
            ("loss".to_string(), loss),
            ("error".to_string(), metrics.error),
            ("threshold".to_string(), threshold as f64),
        ]);
        let mut text = format!("valid error {:.2} %", 100.0 * metrics.error);
        if let Some(auroc) = metrics.auroc {
            named.insert("auroc".into(), auroc);
            text.push_str(&format!(", AUROC {auroc:.4}"));
        }
        Ok(Some(ValidationSummary {
            loss,
            metrics: named,
            text,
        }))
    }
}
