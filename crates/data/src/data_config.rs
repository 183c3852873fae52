//! The `[data]` section of an experiment: where a dataset lives, its layout,
//! the sample rate everything is decoded to, the waveform cache, and an
//! optional synthetic generator that fills the folder on first use.
//!
//! ```toml
//! [data]
//! layout = "jamendo"            # see Layout
//! root = "datasets/jamendo"
//! sample_rate = 22050
//! # cache_dir = "..."           # default <root>/.cochlea-cache
//!
//! [data.synthetic]              # only for generated data
//! kind = "svd"
//! seed = 1
//! songs = 40
//! ```

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::cache::AudioLoader;

/// Where the data comes from and how it is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// Folder layout of the dataset.
    #[serde(default)]
    pub layout: Layout,
    /// Dataset folder.
    pub root: PathBuf,
    /// Sample rate every file is resampled to, in Hz.
    #[serde(default = "default_sample_rate")]
    pub sample_rate: u32,
    /// Folder for decoded waveforms (default: `<root>/.cochlea-cache`).
    #[serde(default)]
    pub cache_dir: Option<PathBuf>,
    /// If present, the dataset is synthetic and is generated into `root`
    /// when that folder is missing or empty.
    #[serde(default)]
    pub synthetic: Option<SyntheticConfig>,
}

fn default_sample_rate() -> u32 {
    22050
}

/// A dataset folder layout (`[data] layout = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Singing voice: `audio/`, `filelists/{train,valid,test}`, `labels/*.lab`
    /// (Ramona et al. 2008).
    #[default]
    Jamendo,
}

impl Layout {
    /// The name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Jamendo => "jamendo",
        }
    }
}

/// A synthetic dataset to generate on first use (`[data.synthetic] kind = "..."`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SyntheticConfig {
    /// Singing voice detection songs in the Jamendo layout.
    Svd(SyntheticSvdConfig),
}

/// Settings of the synthetic singing-voice generator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyntheticSvdConfig {
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

fn default_seed() -> u64 {
    1
}
fn default_min_seconds() -> f64 {
    30.0
}
fn default_max_seconds() -> f64 {
    60.0
}

impl DataConfig {
    /// Checks values that the types alone do not; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(synthetic) = &self.synthetic {
            synthetic.validate(self.layout)?;
        }
        if !(8000..=192_000).contains(&self.sample_rate) {
            return Err(format!(
                "data.sample_rate = {} is outside 8000..=192000 Hz",
                self.sample_rate
            ));
        }
        Ok(())
    }

    /// Makes relative paths absolute against `base`.
    pub fn resolve_paths(&mut self, base: &std::path::Path) {
        let absolute = |p: &std::path::Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                base.join(p)
            }
        };
        self.root = absolute(&self.root);
        if let Some(c) = &self.cache_dir {
            self.cache_dir = Some(absolute(c));
        }
    }

    /// The waveform cache folder.
    pub fn cache_dir(&self) -> PathBuf {
        self.cache_dir
            .clone()
            .unwrap_or_else(|| self.root.join(".cochlea-cache"))
    }

    /// An audio loader for this data (target sample rate and cache folder).
    pub fn loader(&self) -> AudioLoader {
        AudioLoader::new(self.sample_rate, self.cache_dir())
    }
}

impl SyntheticConfig {
    /// The layout the generator writes.
    pub fn layout(&self) -> Layout {
        match self {
            SyntheticConfig::Svd(_) => Layout::Jamendo,
        }
    }

    fn validate(&self, layout: Layout) -> Result<(), String> {
        if self.layout() != layout {
            return Err(format!(
                "data.synthetic.kind writes the \"{}\" layout, but data.layout = \"{}\": \
                 set data.layout = \"{}\"",
                self.layout().name(),
                layout.name(),
                self.layout().name()
            ));
        }
        match self {
            SyntheticConfig::Svd(s) => {
                if s.songs < 3 {
                    return Err(
                        "data.synthetic.songs must be at least 3 (train, valid, test)".into(),
                    );
                }
                if !(s.min_seconds >= 5.0 && s.min_seconds <= s.max_seconds) {
                    return Err(
                        "data.synthetic.min_seconds must be >= 5 and <= data.synthetic.max_seconds"
                            .into(),
                    );
                }
            }
        }
        Ok(())
    }
}
