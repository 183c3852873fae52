//! Tasks: what differs between singing voice detection and tagging, behind
//! one [`Task`] value that the generic engine ([`crate::train`]) is handed.
//!
//! A task owns the number of network outputs and the input length, how
//! labels become targets, the loss, the validation summary logged each
//! epoch, and the evaluation protocol with its report. The engine (loop,
//! optimiser, learning rate, checkpoints, resume, TensorBoard, progress)
//! never asks which task it runs. Adding a task means one file here, one
//! arm in [`TaskConfig`], and its dataset layout in `cochlea-data`.

pub mod item_embeddings;
pub mod singing_voice;
pub mod singing_voice_protocol;
pub mod singing_voice_report;
pub mod singing_voice_resampled;
pub mod tagging;
pub mod tagging_report;
pub mod tagging_resampled;

use std::collections::BTreeMap;

use burn::tensor::Tensor;
use cochlea_data::{
    AugmentConfig, DataConfig, Framing, LabelNoiseConfig, LabelNoiseRecord, NoiseTarget,
    SkippedClip,
};
use cochlea_model::Classifier;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::embeddings::{EmbeddingLayer, Embeddings};
use crate::error::Result;
use crate::unit_predictions::UnitPredictions;
pub use singing_voice::{SingingVoice, SingingVoiceConfig};
pub use tagging::{Tagging, TaggingConfig};

/// Which task an experiment trains (`[task] kind = "..."`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TaskConfig {
    /// Frame-wise singing voice detection (Schlüter & Grill, ISMIR 2015).
    SingingVoice(SingingVoiceConfig),
    /// Multi-label music auto-tagging (Won et al., SMC 2020).
    Tagging(TaggingConfig),
}

impl Default for TaskConfig {
    fn default() -> Self {
        Self::SingingVoice(SingingVoiceConfig::default())
    }
}

impl TaskConfig {
    /// The task's name in configs.
    pub fn name(&self) -> &'static str {
        match self {
            Self::SingingVoice(_) => "singing-voice",
            Self::Tagging(_) => "tagging",
        }
    }

    /// Defaults the task sets for other sections (merged into the config
    /// before it is read; see [`crate::config::task_defaults`]), for a
    /// task named `kind`; `None` for an unknown name, which deserialisation
    /// then reports.
    pub fn defaults_for(kind: &str) -> Option<toml::Table> {
        match kind {
            "singing-voice" => Some(toml::Table::new()),
            "tagging" => tagging::TAGGING_DEFAULTS.parse().ok(),
            _ => None,
        }
    }

    /// Network outputs, if known without reading the dataset (a tagging
    /// config knows them once its tags are resolved).
    pub fn outputs(&self) -> Option<usize> {
        match self {
            Self::SingingVoice(_) => Some(1),
            Self::Tagging(c) => c.tags.as_ref().map(Vec::len),
        }
    }

    /// What each network output stands for, in output order (the tags of a
    /// tagging config once they are resolved).
    pub fn output_labels(&self) -> Option<Vec<String>> {
        match self {
            Self::SingingVoice(_) => Some(vec![singing_voice::OUTPUT_LABEL.to_string()]),
            Self::Tagging(c) => c.tags.clone(),
        }
    }

    /// Names of the figures the task's [`Report::metrics`] can hold.
    pub fn report_metrics(&self) -> &'static [&'static str] {
        match self {
            Self::SingingVoice(_) => singing_voice_report::METRICS,
            Self::Tagging(_) => tagging_report::METRICS,
        }
    }

    /// Frames of one network input (an excerpt or a chunk).
    pub fn input_frames(&self) -> usize {
        match self {
            Self::SingingVoice(c) => c.excerpt_frames,
            Self::Tagging(c) => c.chunk_frames,
        }
    }

    /// Checks the settings; the message names the key.
    pub fn validate(&self, data: &DataConfig) -> std::result::Result<(), String> {
        match self {
            Self::SingingVoice(c) => c.validate(data),
            Self::Tagging(c) => c.validate(data),
        }
    }

    /// What `[label_noise]` corrupts for this task.
    pub fn noise_target(&self) -> NoiseTarget {
        match self {
            Self::SingingVoice(_) => NoiseTarget::Segments,
            Self::Tagging(_) => NoiseTarget::Tags,
        }
    }

    /// The task, reading `data`, with its training (and, if listed,
    /// validation) labels corrupted by `label_noise`.
    pub fn build(
        &self,
        data: &DataConfig,
        label_noise: Option<&LabelNoiseConfig>,
    ) -> Box<dyn Task> {
        let noise = label_noise.cloned();
        match self {
            Self::SingingVoice(c) => Box::new(SingingVoice::new(c.clone(), data.clone(), noise)),
            Self::Tagging(c) => Box::new(Tagging::new(c.clone(), data.clone(), noise)),
        }
    }
}

/// A task, as the engine and the commands see it.
pub trait Task {
    /// The task's config with everything read from the dataset filled in
    /// (a run directory keeps this one).
    fn resolved(&self) -> Result<TaskConfig>;

    /// Frames of one network input.
    fn input_frames(&self) -> usize;

    /// Loads the training (and validation) data for a frontend with
    /// `framing`, whose batches are augmented as `augment` says.
    fn training_data(
        &self,
        framing: Framing,
        augment: &AugmentConfig,
    ) -> Result<Box<dyn TrainingData + '_>>;

    /// Evaluates `model` (in inference mode) on `split` by the task's
    /// protocol; `previous` is the run's earlier report (`metrics.json`), if
    /// any, for settings that fall back on it.
    fn evaluate(
        &self,
        model: &Classifier,
        split: &str,
        previous: Option<&str>,
    ) -> Result<Box<dyn Report>>;

    /// Reads a report this task wrote (`metrics.json`).
    fn read_report(&self, json: &str) -> Result<Box<dyn Report>>;

    /// Embeddings of every item of `split` at `layer` (see
    /// [`crate::embeddings`]); singing voice takes an excerpt every
    /// `spacing` seconds of each song.
    fn embeddings(
        &self,
        model: &Classifier,
        split: &str,
        layer: EmbeddingLayer,
        spacing: f64,
    ) -> Result<Embeddings>;

    /// The report's metrics as functions of how often each unit of
    /// `predictions` is drawn, for bootstrap resampling.
    fn resampled_metrics(&self, predictions: &UnitPredictions) -> Box<dyn ResampledMetrics>;
}

/// A run's test-set metrics recomputed with unit `u` counted `weights[u]`
/// times (a bootstrap resample's multiplicities). With every weight 1 they
/// are the report's figures ([`Report::metrics`]).
pub trait ResampledMetrics {
    /// Number of units.
    fn units(&self) -> usize;
    /// Metric `name` under `weights`; `None` when it is undefined on the
    /// resample (one class only) or is not a figure of the test labels
    /// (the decision threshold).
    fn value(&self, name: &str, weights: &[f64]) -> Option<f64>;
}

/// The data a task trains and validates on.
pub trait TrainingData {
    /// One line for the log, e.g. `24 training and 8 validation songs`.
    fn describe(&self) -> String;

    /// The training waveforms, for the frontend's standardisation statistics.
    fn statistics_waves(&self) -> Vec<&[f32]>;

    /// Files left out as unreadable (`data.skip_unreadable`); a run lists
    /// them in `skipped-files.tsv`.
    fn skipped(&self) -> &[SkippedClip] {
        &[]
    }

    /// The label noise applied (`[label_noise]`): its audit and the labels
    /// as training saw them; a run writes them to `label-noise/`.
    fn label_noise(&self) -> Option<&LabelNoiseRecord> {
        None
    }

    /// A batch of `batch` examples: which excerpts from `order`, how they
    /// are augmented from `augment` (untouched when augmentation is off).
    fn batch(&self, order: &mut StdRng, augment: &mut StdRng, batch: usize) -> Batch;

    /// The training loss of `logits` `[batch, outputs]` against `targets`
    /// (the shape [`Batch`] gave).
    fn loss(&self, logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1>;

    /// Validates `model` (in inference mode); `None` without validation data.
    fn validate(&self, model: &Classifier) -> Result<Option<ValidationSummary>>;
}

/// One training batch on the host.
pub struct Batch {
    /// Waveforms, row-major `[examples, samples]`.
    pub waves: Vec<f32>,
    /// Samples per example.
    pub samples: usize,
    /// Targets, row-major `[examples, outputs]`.
    pub targets: Vec<f32>,
}

/// What validation found after an epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationSummary {
    /// Validation loss: lower is better; model selection uses it.
    pub loss: f64,
    /// Named metrics (`loss` among them), logged to `metrics.jsonl` and
    /// TensorBoard (`valid/<name>`).
    pub metrics: BTreeMap<String, f64>,
    /// The summary for the epoch's log line, e.g. `valid error 9.71 %, AUROC 0.9601`.
    pub text: String,
}

/// How a run turns its scores (the sigmoids of its logits) into decisions:
/// an output is positive where its score is above its threshold (strictly),
/// after a median filter over frames for frame-wise tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Per output, its threshold; `None` where the run chose none.
    pub thresholds: Vec<Option<f32>>,
    /// Frames of the median filter applied to the scores first (1 = none).
    pub median_filter: usize,
    /// Where the thresholds came from, in words.
    pub source: String,
}

/// A task's evaluation report.
pub trait Report {
    /// The report as text tables.
    fn table(&self) -> String;
    /// The report as JSON (`metrics.json`, `evaluation-<split>.json`).
    fn json(&self) -> Result<String>;
    /// Seconds of audio evaluated and wall seconds spent predicting it.
    fn timing(&self) -> (f64, f64);
    /// The report's headline figures by name, for tables over many runs
    /// (sweeps, comparisons): a subset of [`TaskConfig::report_metrics`],
    /// leaving out figures that are undefined on the split.
    fn metrics(&self) -> BTreeMap<String, f64>;
    /// How the run turns scores into decisions, as this report chose.
    fn decision(&self) -> Decision;
    /// What the model predicted on the split, by independent unit, when
    /// the report was just computed (`None` for a report read back from
    /// JSON); training writes it to `test-predictions.json`.
    fn unit_predictions(&self) -> Option<&UnitPredictions> {
        None
    }
}
