//! Experiment configuration: TOML files deserialised into plain serde structs.
//!
//! Every section rejects unknown keys (`deny_unknown_fields`), every default
//! lives next to its field, and `--set section.key=value` overrides are applied
//! to the TOML document before it is checked, so an override of a mistyped key
//! fails the same way a mistyped key in the file does. Relative paths resolve
//! against the directory the command runs in; the run directory keeps the
//! fully resolved config (defaults filled in, paths absolute) as `config.toml`.

use std::path::{Path, PathBuf};

use cochlea_frontend::FrontendConfig;
use cochlea_model::BackboneConfig;
use serde::{Deserialize, Serialize};

use crate::backend::Backend;
use crate::error::{Error, Result};

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
    /// The frontend (`kind = "mel"`, `"learnable-mel"`, ...).
    #[serde(default)]
    pub frontend: FrontendConfig,
    /// The backbone (`kind = "svd-cnn"`).
    #[serde(default)]
    pub model: BackboneConfig,
    /// Training settings.
    #[serde(default)]
    pub train: TrainConfig,
    /// Evaluation settings.
    #[serde(default)]
    pub eval: EvalConfig,
}

fn default_seed() -> u64 {
    1
}

/// Where the data comes from and how it is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// Folder layout of the dataset; "jamendo" (audio/, filelists/, labels/).
    #[serde(default = "default_layout")]
    pub layout: String,
    /// Dataset folder.
    pub root: PathBuf,
    /// Sample rate every file is resampled to, in Hz.
    #[serde(default = "default_sample_rate")]
    pub sample_rate: u32,
    /// Folder for decoded waveforms (default: `<root>/.cochlea-cache`).
    #[serde(default)]
    pub cache_dir: Option<PathBuf>,
    /// If present, the dataset is synthetic and is generated into `root` when missing.
    #[serde(default)]
    pub synthetic: Option<SyntheticConfig>,
}

fn default_layout() -> String {
    "jamendo".into()
}
fn default_sample_rate() -> u32 {
    22050
}

/// A synthetic dataset to generate on first use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyntheticConfig {
    /// Which generator: "svd" (singing voice detection).
    pub kind: String,
    /// Seed of the generator (independent of the training seed).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Number of songs.
    pub songs: usize,
    /// Shortest song in seconds.
    #[serde(default = "default_min_seconds")]
    pub min_seconds: f64,
    /// Longest song in seconds.
    #[serde(default = "default_max_seconds")]
    pub max_seconds: f64,
}

fn default_min_seconds() -> f64 {
    30.0
}
fn default_max_seconds() -> f64 {
    60.0
}

/// Training settings (Schlüter & Grill 2015 unless noted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    /// Excerpt length in frames; the label is that of the centre frame.
    #[serde(default = "default_excerpt_frames")]
    pub excerpt_frames: usize,
    /// Excerpts per batch.
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
    /// Label smoothing `[offset, scale]`: targets become `offset + scale * y`.
    #[serde(default = "default_label_smoothing")]
    pub label_smoothing: [f64; 2],
    /// Validate (whole validation songs) after every epoch.
    #[serde(default = "default_true")]
    pub validate_every_epoch: bool,
    /// Checkpoints to keep (the newest ones).
    #[serde(default = "default_keep_checkpoints")]
    pub keep_checkpoints: usize,
}

fn default_excerpt_frames() -> usize {
    115
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
fn default_label_smoothing() -> [f64; 2] {
    [0.02, 0.96]
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
            excerpt_frames: default_excerpt_frames(),
            batch_size: default_batch_size(),
            batches_per_epoch: default_batches_per_epoch(),
            epochs: default_epochs(),
            learning_rate: default_learning_rate(),
            lr_decay: default_lr_decay(),
            frontend_lr_scale: default_frontend_lr_scale(),
            label_smoothing: default_label_smoothing(),
            validate_every_epoch: true,
            keep_checkpoints: default_keep_checkpoints(),
        }
    }
}

/// Evaluation settings (Schlüter & Grill 2015).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalConfig {
    /// Median filter length in frames applied to predictions (56 = 0.8 s).
    #[serde(default = "default_median_filter")]
    pub median_filter: usize,
    /// Longest stretch of a song run through the network at once, in seconds
    /// (longer songs are evaluated in overlapping chunks, bounding memory).
    #[serde(default = "default_chunk_seconds")]
    pub chunk_seconds: f64,
}

fn default_median_filter() -> usize {
    56
}
fn default_chunk_seconds() -> f64 {
    120.0
}

impl Default for EvalConfig {
    fn default() -> Self {
        Self {
            median_filter: default_median_filter(),
            chunk_seconds: default_chunk_seconds(),
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
        config.resolve_paths();
        Ok(config)
    }

    /// Parses TOML text with overrides; `origin` names the source in errors.
    pub fn parse(text: &str, overrides: &[String], origin: &str) -> Result<Self> {
        let mut table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| Error::Config(format!("{origin}: {e}")))?;
        for item in overrides {
            apply_override(&mut table, item)?;
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

    /// Checks values that the types alone do not; the message names the key.
    pub fn validate(&self) -> std::result::Result<(), String> {
        if self.data.layout != "jamendo" {
            return Err(format!(
                "data.layout = \"{}\" is not a known layout; use \"jamendo\"",
                self.data.layout
            ));
        }
        if let Some(s) = &self.data.synthetic {
            if s.kind != "svd" {
                return Err(format!(
                    "data.synthetic.kind = \"{}\" is not a known generator; use \"svd\"",
                    s.kind
                ));
            }
            if s.songs < 3 {
                return Err("data.synthetic.songs must be at least 3 (train, valid, test)".into());
            }
            if !(s.min_seconds >= 5.0 && s.min_seconds <= s.max_seconds) {
                return Err(
                    "data.synthetic.min_seconds must be >= 5 and <= data.synthetic.max_seconds"
                        .into(),
                );
            }
        }
        if !(8000..=192_000).contains(&self.data.sample_rate) {
            return Err(format!(
                "data.sample_rate = {} is outside 8000..=192000 Hz",
                self.data.sample_rate
            ));
        }
        let t = &self.train;
        for (key, value) in [
            ("train.batch_size", t.batch_size),
            ("train.batches_per_epoch", t.batches_per_epoch),
            ("train.epochs", t.epochs),
            ("train.excerpt_frames", t.excerpt_frames),
        ] {
            if value == 0 {
                return Err(format!("{key} must be at least 1"));
            }
        }
        if !(t.learning_rate > 0.0 && t.learning_rate.is_finite()) {
            return Err(format!(
                "train.learning_rate = {} must be positive",
                t.learning_rate
            ));
        }
        if !(t.lr_decay > 0.0 && t.lr_decay <= 1.0) {
            return Err(format!("train.lr_decay = {} must be in (0, 1]", t.lr_decay));
        }
        if !(t.frontend_lr_scale > 0.0 && t.frontend_lr_scale.is_finite()) {
            return Err(format!(
                "train.frontend_lr_scale = {} must be positive and finite \
                 (1 = the frontend learns at train.learning_rate)",
                t.frontend_lr_scale
            ));
        }
        let [offset, scale] = t.label_smoothing;
        if !(offset >= 0.0 && scale > 0.0 && offset + scale <= 1.0) {
            return Err(format!(
                "train.label_smoothing = [{offset}, {scale}] must keep targets in [0, 1]"
            ));
        }
        if t.keep_checkpoints == 0 {
            return Err("train.keep_checkpoints must be at least 1".into());
        }
        if self.eval.median_filter == 0 {
            return Err("eval.median_filter must be at least 1 (1 = no filtering)".into());
        }
        self.frontend
            .validate(self.data.sample_rate, self.backend.dft_method())?;
        Ok(())
    }

    /// Makes relative paths absolute against the current directory.
    pub fn resolve_paths(&mut self) {
        let cwd = std::env::current_dir().unwrap_or_default();
        let absolute = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                cwd.join(p)
            }
        };
        self.data.root = absolute(&self.data.root);
        if let Some(c) = &self.data.cache_dir {
            self.data.cache_dir = Some(absolute(c));
        }
    }

    /// The waveform cache folder.
    pub fn cache_dir(&self) -> PathBuf {
        self.data
            .cache_dir
            .clone()
            .unwrap_or_else(|| self.data.root.join(".cochlea-cache"))
    }

    /// The config as TOML text.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# could not serialise: {e}\n"))
    }
}

/// Applies one `section.key=value` override; the value is TOML
/// (`2`, `1e-3`, `"flex"`, `[0.02, 0.96]`), and a bare word is taken as a string.
fn apply_override(table: &mut toml::Table, item: &str) -> Result<()> {
    let (key, raw) = item.split_once('=').ok_or_else(|| {
        Error::Config(format!(
            "--set {item}: expected key=value, e.g. --set train.epochs=2"
        ))
    })?;
    let key = key.trim();
    let raw = raw.trim();
    let value = match format!("v = {raw}").parse::<toml::Table>() {
        Ok(mut t) => t.remove("v").unwrap_or(toml::Value::String(raw.into())),
        Err(_) => toml::Value::String(raw.into()),
    };
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(Error::Config(format!(
            "--set {item}: empty key segment in `{key}`"
        )));
    }
    let mut node = table;
    for part in &parts[..parts.len() - 1] {
        let entry = node
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        node = entry.as_table_mut().ok_or_else(|| {
            Error::Config(format!("--set {item}: `{part}` is a value, not a section"))
        })?;
    }
    node.insert(parts[parts.len() - 1].to_string(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "[data]\nroot = \"d\"\n";

    #[test]
    fn defaults_are_the_papers() {
        let c = ExperimentConfig::parse(MINIMAL, &[], "t").unwrap();
        assert_eq!(c.train.batch_size, 32);
        assert_eq!(c.train.excerpt_frames, 115);
        assert_eq!(c.train.label_smoothing, [0.02, 0.96]);
        assert_eq!(c.eval.median_filter, 56);
        assert_eq!(c.backend, Backend::Flex);
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
        let again = ExperimentConfig::parse(&c.to_toml(), &[], "t2").unwrap();
        assert_eq!(c, again);
    }
}
