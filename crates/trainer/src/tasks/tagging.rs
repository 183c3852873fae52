//! Music auto-tagging (Won et al., "Evaluation of CNN-based automatic music
//! tagging models", SMC 2020): one sigmoid output per tag for a fixed-length
//! chunk of audio.
//!
//! - targets: random chunks of `chunk_frames` frames, one per randomly drawn
//!   training clip ([`cochlea_data::ChunkSampler`]), with the clip's tags,
//!   optionally smoothed to `offset + scale * y` (off by default);
//! - loss: binary cross-entropy averaged over tags and examples;
//! - validation summary: the cross-entropy of the clip predictions (the mean
//!   of `eval_chunks` evenly spaced chunks' sigmoid outputs, as Won et al.)
//!   against the tags, and macro ROC-AUC and PR-AUC;
//! - evaluation: the same clip predictions on a split; per-tag and macro
//!   ROC-AUC and PR-AUC, and per-tag F1 at thresholds chosen on the
//!   validation split ([`crate::metrics::tagging`]).
//!
//! Data: any tagging layout ([`cochlea_data::DataConfig::open_tagged`]). The
//! tag vocabulary is read from the dataset when training starts and recorded
//! in the run's config (`task.tags`), so that a run can be evaluated and
//! inspected later and a dataset with other tags is refused.
//!
//! Label noise (`[label_noise]`): the flags of the listed splits are
//! corrupted right after the dataset is read, before any clip is loaded
//! ([`cochlea_data::corrupt_tagged`]); so validation during training and the
//! F1 thresholds chosen on the validation split use the noisy validation
//! labels when `valid` is listed, and the test split is always clean.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use burn::tensor::Tensor;
use cochlea_data::{
    AugmentConfig, ChunkSampler, Clip, ClipRules, DataConfig, Framing, LabelNoiseConfig,
    LabelNoiseRecord, LoadedClips, SkippedClip, TaggedDataset, augmented_batch, corrupt_tagged,
    load_clips,
};
use cochlea_model::Classifier;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::item_embeddings::clip_embeddings;
use super::tagging_report::TaggingReport;
use super::tagging_resampled::TrackMetrics;
use super::{Batch, Report, ResampledMetrics, Task, TaskConfig, TrainingData, ValidationSummary};
use crate::embeddings::{EmbeddingLayer, Embeddings};
use crate::error::{Error, Result};
use crate::loss::{bce_with_logits, check_label_smoothing, smooth_targets};
use crate::metrics::{TaggingMetrics, bce_term, tagging_metrics, validation_thresholds};
use crate::predict::predict_chunks;
use crate::unit_predictions::{UnitItems, UnitPredictions};

/// Settings of the tagging task (`[task] kind = "tagging"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaggingConfig {
    /// Frames of one input chunk: 231 frames at hop 256 (59,392 samples at
    /// 16 kHz, 3.7 s) is what Won et al.'s 59,049-sample chunks give through
    /// their centred STFT.
    #[serde(default = "default_chunk_frames")]
    pub chunk_frames: usize,
    /// Evenly spaced chunks per clip whose sigmoid outputs are averaged when
    /// predicting a clip (16 in Won et al.).
    #[serde(default = "default_eval_chunks")]
    pub eval_chunks: usize,
    /// Label smoothing `[offset, scale]`: targets `offset + scale * y`
    /// (default none: `[0, 1]`).
    #[serde(default = "default_label_smoothing")]
    pub label_smoothing: [f64; 2],
    /// The tag vocabulary, in output order; read from the dataset when a run
    /// starts (leave it out of an experiment config).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

fn default_chunk_frames() -> usize {
    231
}
fn default_eval_chunks() -> usize {
    16
}
fn default_label_smoothing() -> [f64; 2] {
    [0.0, 1.0]
}

impl Default for TaggingConfig {
    fn default() -> Self {
        Self {
            chunk_frames: default_chunk_frames(),
            eval_chunks: default_eval_chunks(),
            label_smoothing: default_label_smoothing(),
            tags: None,
        }
    }
}

/// What tagging sets for the rest of an experiment unless the config says
/// otherwise: Won et al.'s input (16 kHz, 128-band mel spectrogram with FFT
/// 512 and hop 256), model (short-chunk CNN) and training (batch 16, Adam at
/// 1e-4 with weight decay 1e-4, model selection on the validation loss), and
/// the MagnaTagATune layout.
pub const TAGGING_DEFAULTS: &str = r#"
[data]
layout = "magnatagatune"
sample_rate = 16000

[frontend]
kind = "mel"
n_fft = 512
hop = 256
bands = 128
fmin = 0.0
fmax = 8000.0

[model]
kind = "short-chunk-cnn"

[train]
batch_size = 16
batches_per_epoch = 1000
epochs = 200
learning_rate = 1e-4
lr_decay = 1.0
weight_decay = 1e-4
model_selection = "best-validation-loss"
"#;

impl TaggingConfig {
    /// Checks the settings; the message names the key.
    pub fn validate(&self, data: &DataConfig) -> std::result::Result<(), String> {
        if !data.layout.is_tagging() {
            return Err(format!(
                "task.kind = \"tagging\" needs a tagging layout (data.layout = \"magnatagatune\", \
                 \"mtg-jamendo\" or \"tag-table\"), not \"{}\"",
                data.layout.name()
            ));
        }
        if self.chunk_frames == 0 {
            return Err("task.chunk_frames must be at least 1".into());
        }
        if self.eval_chunks == 0 {
            return Err("task.eval_chunks must be at least 1".into());
        }
        check_label_smoothing(self.label_smoothing)?;
        if self.tags.as_ref().is_some_and(Vec::is_empty) {
            return Err("task.tags must name at least one tag (or leave it out)".into());
        }
        Ok(())
    }
}

/// The tagging task on one dataset.
pub struct Tagging {
    config: TaggingConfig,
    data: DataConfig,
    noise: Option<LabelNoiseConfig>,
    /// The dataset as training sees it (corrupted splits included), and
    /// the record of the corruption.
    dataset: OnceCell<(TaggedDataset, Option<LabelNoiseRecord>)>,
}

impl Tagging {
    /// The task with `config`, reading the tagging layout of `data`, its
    /// labels corrupted by `noise`.
    pub fn new(config: TaggingConfig, data: DataConfig, noise: Option<LabelNoiseConfig>) -> Self {
        Self {
            config,
            data,
            noise,
            dataset: OnceCell::new(),
        }
    }

    /// The dataset, read once (and corrupted as `[label_noise]` says); its
    /// tags must be the run's.
    fn dataset(&self) -> Result<&TaggedDataset> {
        Ok(&self.read()?.0)
    }

    /// The record of the label noise, if any.
    fn noise_record(&self) -> Result<Option<&LabelNoiseRecord>> {
        Ok(self.read()?.1.as_ref())
    }

    fn read(&self) -> Result<&(TaggedDataset, Option<LabelNoiseRecord>)> {
        if let Some(d) = self.dataset.get() {
            return Ok(d);
        }
        let dataset = self.data.open_tagged()?;
        if let Some(tags) = &self.config.tags
            && *tags != dataset.tags
        {
            return Err(Error::Other(format!(
                "the dataset in {} has the tags [{}], but the run was trained on [{}]: \
                 evaluate on a dataset with the same tags",
                self.data.root.display(),
                dataset.tags.join(", "),
                tags.join(", ")
            )));
        }
        let read = match &self.noise {
            Some(noise) => {
                let noisy = corrupt_tagged(&dataset, noise, &self.data)?;
                (noisy.dataset, Some(noisy.record))
            }
            None => (dataset, None),
        };
        Ok(self.dataset.get_or_init(|| read))
    }

    fn rules(&self) -> ClipRules {
        ClipRules {
            skip_unreadable: self.data.skip_unreadable,
            min_clip_seconds: self.data.min_clip_seconds,
        }
    }

    fn load(&self, split: &str) -> Result<LoadedClips> {
        let dataset = self.dataset()?;
        let listed = dataset.split(split).ok_or_else(|| {
            Error::Other(format!(
                "there is no split \"{split}\": use train, valid or test"
            ))
        })?;
        Ok(load_clips(listed, &self.data.loader(), self.rules())?)
    }

    /// Clip probabilities `[clips, tags]` of `clips`, row-major, and the
    /// seconds it took.
    fn predict(
        &self,
        model: &Classifier,
        framing: Framing,
        clips: &[Clip],
    ) -> Result<(Vec<f32>, f64)> {
        let started = Instant::now();
        let chunk = framing.samples_for(self.config.chunk_frames);
        let mut out = Vec::with_capacity(clips.len() * model.outputs());
        for clip in clips {
            let p = predict_chunks(model, clip.wave.samples(), chunk, self.config.eval_chunks)?;
            for o in 0..p.outputs {
                let column = p.column(o);
                out.push(column.iter().sum::<f32>() / column.len() as f32);
            }
        }
        Ok((out, started.elapsed().as_secs_f64()))
    }

    fn tags(&self) -> Result<Vec<String>> {
        Ok(self.dataset()?.tags.clone())
    }
}

/// The clip scores of a split grouped by track ([`Clip::group`]), tracks in
/// order of their first clip, clips in split order within a track, with the
/// per-tag thresholds the F1 figures used.
fn track_units(
    split: &str,
    tags: &[String],
    clips: &[Clip],
    scores: &[f32],
    thresholds: Option<&[Option<f32>]>,
) -> UnitPredictions {
    let n = tags.len();
    let mut units: Vec<UnitItems> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (c, clip) in clips.iter().enumerate() {
        let u = *index.entry(clip.group.as_str()).or_insert_with(|| {
            units.push(UnitItems {
                name: clip.group.clone(),
                items: Vec::new(),
                labels: Vec::new(),
                scores: Vec::new(),
            });
            units.len() - 1
        });
        let unit = &mut units[u];
        unit.items.push(clip.id.clone());
        unit.labels
            .extend(clip.tags.iter().map(|&t| u8::from(t >= 0.5)));
        unit.scores.extend_from_slice(&scores[c * n..(c + 1) * n]);
    }
    UnitPredictions {
        split: split.to_string(),
        unit_kind: "track".into(),
        outputs: tags.to_vec(),
        thresholds: thresholds.map_or_else(|| vec![None; n], <[_]>::to_vec),
        units,
    }
}

/// Hard labels of `clips`, row-major `[clips, tags]`.
fn labels(clips: &[Clip]) -> Vec<bool> {
    clips
        .iter()
        .flat_map(|c| c.tags.iter().map(|&t| t >= 0.5))
        .collect()
}

/// Mean binary cross-entropy of probabilities against hard labels.
fn mean_bce(labels: &[bool], scores: &[f32]) -> f64 {
    let total: f64 = labels
        .iter()
        .zip(scores)
        .map(|(&y, &s)| bce_term(y, s))
        .sum();
    total / labels.len().max(1) as f64
}

impl Task for Tagging {
    fn resolved(&self) -> Result<TaskConfig> {
        let mut config = self.config.clone();
        config.tags = Some(self.tags()?);
        Ok(TaskConfig::Tagging(config))
    }

    fn input_frames(&self) -> usize {
        self.config.chunk_frames
    }

    fn training_data(
        &self,
        framing: Framing,
        augment: &AugmentConfig,
    ) -> Result<Box<dyn TrainingData + '_>> {
        let train = self.load("train")?;
        let valid = self.load("valid")?;
        if train.clips.is_empty() {
            return Err(Error::Other(format!(
                "the dataset in {} has no readable training clip",
                self.data.root.display()
            )));
        }
        let mut skipped = train.skipped;
        skipped.extend(valid.skipped);
        Ok(Box::new(ClipData {
            task: self,
            framing,
            augment: augment.clone(),
            train: train.clips,
            valid: valid.clips,
            skipped,
            noise: self.noise_record()?,
        }))
    }

    fn evaluate(
        &self,
        model: &Classifier,
        split: &str,
        _previous: Option<&str>,
    ) -> Result<Box<dyn Report>> {
        let framing = crate::framing::framing_of(model, self.data.sample_rate);
        let tags = self.tags()?;
        let loaded = self.load(split)?;
        let (scores, seconds) = self.predict(model, framing, &loaded.clips)?;
        let labels = labels(&loaded.clips);
        // Per-tag F1 thresholds from the validation split (itself, when evaluating it).
        let thresholds = if split == "valid" {
            Some(validation_thresholds(&labels, &scores, tags.len()))
        } else {
            let valid = self.load("valid")?;
            if valid.clips.is_empty() {
                None
            } else {
                let (valid_scores, _) = self.predict(model, framing, &valid.clips)?;
                Some(validation_thresholds(
                    &self::labels(&valid.clips),
                    &valid_scores,
                    tags.len(),
                ))
            }
        };
        let metrics: TaggingMetrics =
            tagging_metrics(&tags, &labels, &scores, thresholds.as_deref());
        let units = track_units(split, &tags, &loaded.clips, &scores, thresholds.as_deref());
        Ok(Box::new(TaggingReport {
            split: split.to_string(),
            chunks_per_clip: self.config.eval_chunks,
            thresholds_from_validation: thresholds.is_some(),
            loss: mean_bce(&labels, &scores),
            metrics,
            audio_seconds: loaded.clips.iter().map(|c| c.wave.duration_seconds()).sum(),
            predict_seconds: seconds,
            skipped: loaded
                .skipped
                .iter()
                .map(|s| format!("{} ({}): {}", s.audio.display(), s.listed_in, s.reason))
                .collect(),
            units: Some(units),
        }))
    }

    fn read_report(&self, json: &str) -> Result<Box<dyn Report>> {
        Ok(Box::new(TaggingReport::from_json(json)?))
    }

    fn embeddings(
        &self,
        model: &Classifier,
        split: &str,
        layer: EmbeddingLayer,
        _spacing: f64,
    ) -> Result<Embeddings> {
        let framing = crate::framing::framing_of(model, self.data.sample_rate);
        let clips = self.load(split)?.clips;
        let c = &self.config;
        clip_embeddings(
            model,
            &clips,
            framing,
            c.chunk_frames,
            c.eval_chunks,
            self.tags()?,
            layer,
        )
    }

    fn resampled_metrics(&self, predictions: &UnitPredictions) -> Box<dyn ResampledMetrics> {
        Box::new(TrackMetrics::new(predictions))
    }
}

/// Loaded training and validation clips.
struct ClipData<'a> {
    task: &'a Tagging,
    framing: Framing,
    augment: AugmentConfig,
    train: Vec<Clip>,
    valid: Vec<Clip>,
    skipped: Vec<SkippedClip>,
    noise: Option<&'a LabelNoiseRecord>,
}

impl TrainingData for ClipData<'_> {
    fn describe(&self) -> String {
        let tags = self.train[0].tags.len();
        let mut s = format!(
            "{} training and {} validation clips with {tags} tags",
            self.train.len(),
            self.valid.len()
        );
        if !self.skipped.is_empty() {
            s.push_str(&format!(
                " ({} unreadable clips skipped, listed in skipped-files.tsv)",
                self.skipped.len()
            ));
        }
        if let Some(noise) = self.noise {
            s.push_str(&format!("; {}", noise.describe()));
        }
        s
    }

    fn statistics_waves(&self) -> Vec<&[f32]> {
        self.train.iter().map(|c| c.wave.samples()).collect()
    }

    fn skipped(&self) -> &[SkippedClip] {
        &self.skipped
    }

    fn label_noise(&self) -> Option<&LabelNoiseRecord> {
        self.noise
    }

    fn batch(&self, order: &mut StdRng, augment: &mut StdRng, batch: usize) -> Batch {
        let chunk = self.framing.samples_for(self.task.config.chunk_frames);
        let sampler = ChunkSampler::new(&self.train, chunk)
            .expect("training clips were checked to be non-empty");
        // Tags united by mixing are smoothed afterwards.
        let (waves, labels) = augmented_batch(&sampler, &self.augment, order, augment, batch);
        let targets = smooth_targets(&labels, self.task.config.label_smoothing);
        Batch {
            waves,
            samples: chunk,
            targets,
        }
    }

    fn loss(&self, logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        bce_with_logits(logits, targets) // [1], mean over examples and tags
    }

    fn validate(&self, model: &Classifier) -> Result<Option<ValidationSummary>> {
        if self.valid.is_empty() {
            return Ok(None);
        }
        let tags = self.task.tags()?;
        let (scores, _) = self.task.predict(model, self.framing, &self.valid)?;
        let labels = labels(&self.valid);
        let loss = mean_bce(&labels, &scores);
        let metrics = tagging_metrics(&tags, &labels, &scores, None);
        let mut named = BTreeMap::from([("loss".to_string(), loss)]);
        let mut text = format!("valid loss {loss:.4}");
        if let Some(auc) = metrics.macro_roc_auc {
            named.insert("roc_auc".into(), auc);
            text.push_str(&format!(", ROC-AUC {auc:.4}"));
        }
        if let Some(ap) = metrics.macro_pr_auc {
            named.insert("pr_auc".into(), ap);
            text.push_str(&format!(", PR-AUC {ap:.4}"));
        }
        Ok(Some(ValidationSummary {
            loss,
            metrics: named,
            text,
        }))
    }
}
