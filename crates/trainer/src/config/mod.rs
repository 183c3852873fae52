//! The experiment config: plain serde structs read from TOML with
//! `deny_unknown_fields`, defaults next to each field.
//!
//! Loading a config ([`ExperimentConfig::parse`]) takes four steps, each in
//! its own file (after refusing sections that describe many runs,
//! [`study_sections`]): `--set` overrides ([`overrides`]), the move of pre-task keys
//! into `[task]` ([`legacy`]), the task's own defaults for the rest
//! ([`task_defaults`]), then deserialisation and the checks the types cannot
//! express ([`validate`]). A run directory keeps the fully resolved result.

pub mod legacy;
pub mod overrides;
pub mod study_sections;
pub mod task_defaults;
pub mod validate;

use std::path::{Path, PathBuf};

use cochlea_data::{AugmentConfig, DataConfig, LabelNoiseConfig};
use cochlea_frontend::FrontendConfig;
use cochlea_model::BackboneConfig;
use serde::{Deserialize, Serialize};

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::tasks::TaskConfig;

/// A whole experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentConfig {
    /// The one seed every random choice derives from.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Compute backend: "flex" (default), "ndarray" or "wgpu".
    #[serde(default)]
    pub backend: Backend,
    /// The dataset.
    pub data: DataConfig,
    /// What is learned and how it is judged (`kind = "singing-voice"`, `"tagging"`).
    #[serde(default)]
    pub task: TaskConfig,
    /// The frontend (`kind = "mel"`, `"learnable-mel"`, `"gabor"`).
    #[serde(default)]
    pub frontend: FrontendConfig,
    /// The backbone (`kind = "svd-cnn"`, `"short-chunk-cnn"`).
    #[serde(default)]
    pub model: BackboneConfig,
    /// Training settings.
    #[serde(default)]
    pub train: TrainConfig,
    /// Artificial corruption of the training (and, on request, validation)
    /// labels; none by default. Test labels are never corrupted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_noise: Option<LabelNoiseConfig>,
    /// On-the-fly augmentation of the training excerpts (all off by default).
    #[serde(default)]
    pub augment: AugmentConfig,
}

fn default_seed() -> u64 {
    1
}

/// Which model a run keeps as its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelSelection {
    /// The model after the last epoch (Schlüter & Grill 2015).
    #[default]
    LastEpoch,
    /// The model of the epoch with the lowest validation loss (Won et al. 2020).
    BestValidationLoss,
}

/// Settings of the generic training loop (the task's own, such as excerpt
/// length or label smoothing, are in `[task]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    /// Examples per batch.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Batches per epoch.
    #[serde(default = "default_batches_per_epoch")]
    pub batches_per_epoch: usize,
    /// Number of epochs.
    #[serde(default = "default_epochs")]
    pub epochs: usize,
    /// Adam learning rate of the first epoch.
    #[serde(default = "default_learning_rate")]
    pub learning_rate: f64,
    /// Factor applied to the learning rate after every epoch.
    #[serde(default = "default_lr_decay")]
    pub lr_decay: f64,
    /// Factor on the learning rate of the frontend's parameters only
    /// (EfficientLEAF's `frontend_lr_factor`); decays with the rest.
    #[serde(default = "default_frontend_lr_scale")]
    pub frontend_lr_scale: f64,
    /// L2 penalty added to every gradient, as PyTorch's `Adam(weight_decay=...)`
    /// (0 = none).
    #[serde(default)]
    pub weight_decay: f64,
    /// Which epoch's model the run keeps and evaluates.
    #[serde(default)]
    pub model_selection: ModelSelection,
    /// Validate after every epoch.
    #[serde(default = "default_true")]
    pub validate_every_epoch: bool,
    /// Checkpoints to keep (the newest ones).
    #[serde(default = "default_keep_checkpoints")]
    pub keep_checkpoints: usize,
}

fn default_batch_size() -> usize {
    32
}
fn default_batches_per_epoch() -> usize {
    2000
}
fn default_epochs() -> usize {
    20
}
fn default_learning_rate() -> f64 {
    1e-3
}
fn default_lr_decay() -> f64 {
    0.85
}
fn default_frontend_lr_scale() -> f64 {
    1.0
}
fn default_true() -> bool {
    true
}
fn default_keep_checkpoints() -> usize {
    2
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            batch_size: default_batch_size(),
            batches_per_epoch: default_batches_per_epoch(),
            epochs: default_epochs(),
            learning_rate: default_learning_rate(),
            lr_decay: default_lr_decay(),
            frontend_lr_scale: default_frontend_lr_scale(),
            weight_decay: 0.0,
            model_selection: ModelSelection::LastEpoch,
            validate_every_epoch: true,
            keep_checkpoints: default_keep_checkpoints(),
        }
    }
}

impl ExperimentConfig {
    /// Reads a config file, applies `--set key=value` overrides, resolves
    /// relative paths against the current directory and checks the values.
    pub fn load(path: &Path, overrides: &[String]) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let mut config = Self::parse(&text, overrides, &path.display().to_string())?;
        config.resolve_paths()?;
        Ok(config)
    }

    /// Parses TOML text with overrides; `origin` names the source in errors.
    pub fn parse(text: &str, overrides: &[String], origin: &str) -> Result<Self> {
        let mut table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| Error::Config(format!("{origin}: {e}")))?;
        study_sections::reject_study_sections(&table, origin)?;
        for item in overrides {
            overrides::apply_override(&mut table, item)?;
        }
        legacy::migrate(&mut table);
        // A `[task]` without `kind` is the default task.
        if let Some(toml::Value::Table(task)) = table.get_mut("task") {
            task.entry("kind")
                .or_insert_with(|| TaskConfig::default().name().into());
        }
        let kind = table
            .get("task")
            .and_then(|t| t.get("kind"))
            .and_then(toml::Value::as_str)
            .unwrap_or(TaskConfig::default().name());
        if let Some(defaults) = TaskConfig::defaults_for(kind) {
            task_defaults::fill_defaults(&mut table, &defaults);
        }
        let config: Self = Self::deserialize(toml::Value::Table(table)).map_err(|e| {
            Error::Config(format!(
                "{origin}: {}",
                e.to_string().trim_end().replace('\n', "\n  ")
            ))
        })?;
        config
            .validate()
            .map_err(|m| Error::Config(format!("{origin}: {m}")))?;
        Ok(config)
    }

    /// Makes relative paths absolute against the current directory.
    pub fn resolve_paths(&mut self) -> Result<()> {
        let cwd = std::env::current_dir().map_err(|e| Error::Io {
            path: PathBuf::from("."),
            source: e,
        })?;
        self.data.resolve_paths(&cwd);
        Ok(())
    }

    /// The config as TOML text.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self)
            .map_err(|e| Error::Other(format!("cannot write the config as TOML: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::TaskConfig;

    const MINIMAL: &str = "[data]\nroot = \"d\"\n";

    #[test]
    fn defaults_are_the_singing_voice_papers() {
        let c = ExperimentConfig::parse(MINIMAL, &[], "t").unwrap();
        assert_eq!(c.train.batch_size, 32);
        let TaskConfig::SingingVoice(task) = &c.task else {
            panic!("the default task is singing voice, got {:?}", c.task);
        };
        assert_eq!(task.excerpt_frames, 115);
        assert_eq!(task.label_smoothing, [0.02, 0.96]);
        assert_eq!(task.median_filter, 56);
        assert_eq!(c.backend, Backend::Flex);
        assert_eq!(c.train.weight_decay, 0.0);
        assert_eq!(c.train.model_selection, ModelSelection::LastEpoch);
    }

    #[test]
    fn overrides_take_toml_values_and_bare_words() {
        let c = ExperimentConfig::parse(
            MINIMAL,
            &[
                "train.epochs=3".into(),
                "train.learning_rate=5e-4".into(),
                "backend=ndarray".into(),
            ],
            "t",
        )
        .unwrap();
        assert_eq!(c.train.epochs, 3);
        assert_eq!(c.train.learning_rate, 5e-4);
        assert_eq!(c.backend, Backend::Ndarray);
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = ExperimentConfig::parse(MINIMAL, &["train.epochz=3".into()], "exp.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("epochz") && e.contains("exp.toml"), "{e}");
        let e = ExperimentConfig::parse("[data]\nroot='d'\nsample_rat=1\n", &[], "f")
            .unwrap_err()
            .to_string();
        assert!(e.contains("sample_rat"), "{e}");
        let e = ExperimentConfig::parse("[data]\nroot='d'\nlayout='jamendoo'\n", &[], "f")
            .unwrap_err()
            .to_string();
        assert!(e.contains("jamendoo") && e.contains("jamendo"), "{e}");
    }

    #[test]
    fn frontend_lr_scale_defaults_to_one_and_must_be_positive_and_finite() {
        let c = ExperimentConfig::parse(MINIMAL, &[], "t").unwrap();
        assert_eq!(c.train.frontend_lr_scale, 1.0);
        let c =
            ExperimentConfig::parse(MINIMAL, &["train.frontend_lr_scale=0.1".into()], "t").unwrap();
        assert_eq!(c.train.frontend_lr_scale, 0.1);
        for bad in ["0", "-1.0", "nan", "inf"] {
            let e = ExperimentConfig::parse(
                MINIMAL,
                &[format!("train.frontend_lr_scale={bad}")],
                "exp.toml",
            )
            .unwrap_err()
            .to_string();
            assert!(
                e.contains("train.frontend_lr_scale") && e.contains("exp.toml"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn resolved_config_round_trips() {
        let c = ExperimentConfig::parse(MINIMAL, &[], "t").unwrap();
        assert!(c.label_noise.is_none());
        let text = c.to_toml().unwrap();
        assert!(!text.contains("label_noise"), "{text}");
        let again = ExperimentConfig::parse(&text, &[], "t2").unwrap();
        assert_eq!(c, again);
    }

    #[test]
    fn label_noise_tables_round_trip_and_take_set_overrides() {
        let tagging = "[task]\nkind = \"tagging\"\n[data]\nroot = \"d\"\n";
        for noise in [
            "[label_noise]\nkind = \"per-tag\"\nrate = 0.05\nsplits = [\"train\", \"valid\"]\n\
             [label_noise.rates]\nrock = 0.2\n\"female voice\" = 0.5\n",
            "[label_noise]\nkind = \"confusion\"\nrate = 0.3\nseed = 9\n\
             [label_noise.confusion]\nrock = { metal = 2, punk = 1 }\njazz = { blues = 1 }\n",
            "[label_noise]\nkind = \"asymmetric\"\nadd_rate = 0.01\ndrop_rate = 0.4\n",
        ] {
            let c = ExperimentConfig::parse(&format!("{tagging}{noise}"), &[], "t").unwrap();
            assert!(c.label_noise.is_some());
            let again = ExperimentConfig::parse(&c.to_toml().unwrap(), &[], "t2").unwrap();
            assert_eq!(c, again, "{noise}");
        }
        let c = ExperimentConfig::parse(
            tagging,
            &[
                "label_noise.kind=symmetric".into(),
                "label_noise.rate=0.2".into(),
                "label_noise.seed=4".into(),
            ],
            "t",
        )
        .unwrap();
        let noise = c.label_noise.unwrap();
        assert_eq!((noise.rate, noise.seed), (Some(0.2), 4));
        assert_eq!(noise.splits, ["train"]);
        assert_eq!(c.seed, 1, "the training seed is its own");
    }

    #[test]
    fn a_config_from_before_the_task_seam_means_the_same() {
        let old = "[data]\nroot = \"d\"\n[train]\nexcerpt_frames = 40\nlabel_smoothing = [0.1, 0.8]\n\
                   epochs = 2\n[eval]\nmedian_filter = 5\nchunk_seconds = 45.0\n";
        let c = ExperimentConfig::parse(old, &[], "old.toml").unwrap();
        let TaskConfig::SingingVoice(task) = &c.task else {
            panic!("{:?}", c.task);
        };
        assert_eq!(task.excerpt_frames, 40);
        assert_eq!(task.label_smoothing, [0.1, 0.8]);
        assert_eq!(task.median_filter, 5);
        assert_eq!(task.chunk_seconds, 45.0);
        assert_eq!(c.train.epochs, 2);
    }

    #[test]
    fn every_experiment_config_parses() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../experiments");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                let table: toml::Table = text.parse().unwrap();
                if study_sections::STUDY_SECTIONS
                    .iter()
                    .any(|(section, _)| table.contains_key(*section))
                {
                    // Many runs: cochlea-study's tests parse every point.
                    continue;
                }
                let c = ExperimentConfig::parse(&text, &[], &path.display().to_string())
                    .unwrap_or_else(|e| panic!("{e}"));
                let tagging = path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("tagging");
                assert_eq!(c.task.name() == "tagging", tagging, "{}", path.display());
                seen += 1;
            }
        }
        assert!(seen >= 12, "only {seen} experiment configs");
    }

    #[test]
    fn tagging_sets_won_et_al_defaults_that_the_config_overrides() {
        let c = ExperimentConfig::parse(
            "[task]\nkind = \"tagging\"\n[data]\nroot = \"d\"\n[train]\nbatch_size = 8\n",
            &[],
            "t",
        )
        .unwrap();
        let TaskConfig::Tagging(task) = &c.task else {
            panic!("{:?}", c.task);
        };
        assert_eq!(task.chunk_frames, 231);
        assert_eq!(task.eval_chunks, 16);
        assert_eq!(task.label_smoothing, [0.0, 1.0]);
        assert_eq!(c.data.sample_rate, 16000);
        assert_eq!(c.data.layout, cochlea_data::Layout::Magnatagatune);
        assert_eq!(c.frontend.bands(), 128);
        assert!(matches!(c.model, BackboneConfig::ShortChunkCnn(_)));
        assert_eq!(c.train.batch_size, 8, "the config's own value wins");
        assert_eq!(c.train.learning_rate, 1e-4);
        assert_eq!(c.train.weight_decay, 1e-4);
        assert_eq!(c.train.lr_decay, 1.0);
        assert_eq!(c.train.model_selection, ModelSelection::BestValidationLoss);
        // Another frontend kind keeps its own defaults (n_fft 1024, not 512).
        let c = ExperimentConfig::parse(
            "[task]\nkind = \"tagging\"\n[data]\nroot = \"d\"\n\
             [frontend]\nkind = \"learnable-mel\"\nbands = 128\n",
            &[],
            "t",
        )
        .unwrap();
        let resolved = c.to_toml().unwrap();
        assert!(resolved.contains("n_fft = 1024"), "{resolved}");
        // Its own default of 80 bands is too few for the short-chunk CNN: named.
        let e = ExperimentConfig::parse(
            "[task]\nkind = \"tagging\"\n[data]\nroot = \"d\"\n[frontend]\nkind = \"learnable-mel\"\n",
            &[],
            "t",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("frontend.bands >= 128"), "{e}");
        // Without tags read from a dataset, the outputs are not known yet.
        assert_eq!(c.task.outputs(), None);
    }
}
