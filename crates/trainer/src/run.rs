//! The run directory: the interface between `train`, `evaluate`, `predict`,
//! `features` and later commands (f0k/ismir2015 style: each step reads what the previous
//! one wrote).
//!
//! ```text
//! <run>/config.toml            fully resolved experiment config
//! <run>/metrics.jsonl          one JSON object per finished epoch
//! <run>/tensorboard/           TensorBoard event files
//! <run>/checkpoints/epoch-NNNN/{model.bpk, optimizer.bpk, state.json}
//! <run>/best/epoch-NNNN.bpk     best model so far (model_selection = "best-validation-loss")
//! <run>/model.bpk              final model (burnpack, with parameter ids)
//! <run>/model.safetensors      final model for Python (safetensors)
//! <run>/metrics.json           test-split evaluation written by `train`
//! <run>/evaluation-<split>.json            `cochlea evaluate` on the run's dataset
//! <run>/evaluation-<dataset>-<split>.json  `cochlea evaluate --data <dataset>`
//! <run>/predictions/           `cochlea predict`'s results (its default `--out`)
//! <run>/skipped-files.tsv      unreadable files skipped (`data.skip_unreadable`), if any
//! <run>/label-noise/           `[label_noise]`: audit.json, audit.txt and the labels as
//!                              training saw them, at the dataset's relative paths
//! ```

use std::path::{Path, PathBuf};

use burn::module::Module;
use burn::tensor::Device;
use cochlea_frontend::Frontend;
use cochlea_model::Classifier;

use crate::config::ExperimentConfig;
use crate::error::{Error, IoContext, Result};

/// Paths inside one run directory.
#[derive(Debug, Clone)]
pub struct RunDir {
    /// The run directory itself.
    pub path: PathBuf,
}

impl RunDir {
    /// Wraps an existing or future run directory.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// A fresh directory under `runs/` named after the config file and the time.
    pub fn fresh_default(config_path: &Path) -> Self {
        let stem = config_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run".into());
        let base = PathBuf::from("runs").join(format!("{stem}-{}", utc_timestamp()));
        let mut path = base.clone();
        let mut n = 2;
        while path.exists() {
            path = PathBuf::from(format!("{}-{n}", base.display()));
            n += 1;
        }
        Self { path }
    }

    /// The resolved config.
    pub fn config(&self) -> PathBuf {
        self.path.join("config.toml")
    }
    /// Per-epoch metrics, JSON lines.
    pub fn epoch_log(&self) -> PathBuf {
        self.path.join("metrics.jsonl")
    }
    /// TensorBoard event folder.
    pub fn tensorboard(&self) -> PathBuf {
        self.path.join("tensorboard")
    }
    /// Checkpoint folder.
    pub fn checkpoints(&self) -> PathBuf {
        self.path.join("checkpoints")
    }
    /// Final model (burnpack; `.bpk` is added by burn).
    pub fn model(&self) -> PathBuf {
        self.path.join("model.bpk")
    }
    /// Folder of the best model so far by validation loss.
    pub fn best_models(&self) -> PathBuf {
        self.path.join("best")
    }
    /// The model of `epoch`, kept while it is the best by validation loss.
    pub fn best_model(&self, epoch: usize) -> PathBuf {
        self.best_models().join(format!("epoch-{epoch:04}.bpk"))
    }
    /// Final model as safetensors.
    pub fn model_safetensors(&self) -> PathBuf {
        self.path.join("model.safetensors")
    }
    /// Files skipped as unreadable (`data.skip_unreadable`), one per line.
    pub fn skipped_files(&self) -> PathBuf {
        self.path.join("skipped-files.tsv")
    }
    /// `[label_noise]`: the audit and the corrupted labels.
    pub fn label_noise(&self) -> PathBuf {
        self.path.join("label-noise")
    }
    /// The label-noise audit.
    pub fn label_noise_audit(&self) -> PathBuf {
        self.label_noise().join("audit.json")
    }
    /// Test-split evaluation written at the end of training.
    pub fn final_metrics(&self) -> PathBuf {
        self.path.join("metrics.json")
    }

    /// Written by a study (sweep, comparison) when the run's training
    /// diverged: the message; the run counts as finished without figures.
    pub fn diverged(&self) -> PathBuf {
        self.path.join("diverged.txt")
    }

    /// What the kept model predicted on the test split, by unit.
    pub fn test_predictions(&self) -> PathBuf {
        self.path.join("test-predictions.json")
    }

    /// Reads the run's resolved config, naming the run if it is not one.
    pub fn load_config(&self) -> Result<ExperimentConfig> {
        let path = self.config();
        if !path.is_file() {
            return Err(Error::Run {
                path: self.path.clone(),
                message: "has no config.toml: pass the folder that `cochlea train` created".into(),
            });
        }
        let text = std::fs::read_to_string(&path).at(&path)?;
        ExperimentConfig::parse(&text, &[], &path.display().to_string())
    }

    /// Loads the final model on `device`.
    pub fn load_model(&self, config: &ExperimentConfig, device: &Device) -> Result<Classifier> {
        let file = self.model();
        if !file.is_file() {
            return Err(Error::Run {
                path: self.path.clone(),
                message: "has no model.bpk: training did not finish; resume it with \
                          `cochlea train --resume <run-dir>`"
                    .into(),
            });
        }
        load_classifier(config, &file, device)
    }
}

/// Builds the frontend of `config` on `device` as training initialises it.
pub fn build_frontend(config: &ExperimentConfig, device: &Device) -> Frontend {
    config
        .frontend
        .init(config.data.sample_rate, config.backend.dft_method(), device)
}

/// Builds the classifier of `config` on `device`, initialised from its seed.
/// The config must be resolved: a task that learns its outputs from the
/// dataset (tagging) records them in the run's `config.toml`.
pub fn build_classifier(config: &ExperimentConfig, device: &Device) -> Result<Classifier> {
    let outputs = config.task.outputs().ok_or_else(|| {
        Error::Config(format!(
            "the {} task's number of outputs is not known before its dataset is read",
            config.task.name()
        ))
    })?;
    Ok(config.model.init_classifier(
        build_frontend(config, device),
        config.task.input_frames(),
        outputs,
        config.seed,
        device,
    ))
}

/// Builds the classifier of `config` and loads weights from a burnpack file.
pub fn load_classifier(
    config: &ExperimentConfig,
    file: &Path,
    device: &Device,
) -> Result<Classifier> {
    build_classifier(config, device)?
        .try_load_file(file)
        .map_err(|e| Error::Other(format!("cannot load model {}: {e}", file.display())))
}

/// Current UTC time as `YYYYmmdd-HHMMSS`.
pub fn utc_timestamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}
