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
//! # skip_unreadable = false     # skip undecodable files (listed in the run)
//! # min_clip_seconds = 29.1     # with skip_unreadable: also skip shorter clips
//!
//! [data.synthetic]              # only for generated data
//! kind = "svd"
//! seed = 1
//! songs = 40
//! ```
//!
//! The tagging layouts take their options from a sub-table named after
//! them (`[data.magnatagatune]`, `[data.mtg_jamendo]`, `[data.tag_table]`;
//! see [`crate::datasets`]).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::cache::AudioLoader;
use crate::datasets::{
    MagnaTagATuneOptions, MtgJamendoOptions, TagTableOptions, TaggedDataset, magnatagatune,
    mtg_jamendo, tag_table,
};
use crate::error::Result;

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
    /// Skip audio files that cannot be decoded (or are shorter than
    /// `min_clip_seconds`) instead of stopping with an error; a run lists
    /// them in `skipped-files.tsv`.
    #[serde(default)]
    pub skip_unreadable: bool,
    /// Clips shorter than this many seconds are unreadable for
    /// `skip_unreadable` (Won et al. drop MagnaTagATune clips under 29.1 s).
    #[serde(default)]
    pub min_clip_seconds: Option<f64>,
    /// If present, the dataset is synthetic and is generated into `root`
    /// when that folder is missing or empty.
    #[serde(default)]
    pub synthetic: Option<SyntheticConfig>,
    /// `layout = "magnatagatune"`: where the annotations and audio are, top-N tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub magnatagatune: Option<MagnaTagATuneOptions>,
    /// `layout = "mtg-jamendo"`: split number, tag subset, audio folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtg_jamendo: Option<MtgJamendoOptions>,
    /// `layout = "tag-table"`: the table, its columns and the split source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_table: Option<TagTableOptions>,
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
    /// Tagging: MagnaTagATune's `annotations_final.csv` and folders `0`–`f`.
    Magnatagatune,
    /// Tagging: MTG-Jamendo's `autotagging*.tsv` and `data/splits/split-N/`.
    MtgJamendo,
    /// Tagging: the user's own CSV/TSV table.
    TagTable,
}

impl Layout {
    /// The name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Jamendo => "jamendo",
            Layout::Magnatagatune => "magnatagatune",
            Layout::MtgJamendo => "mtg-jamendo",
            Layout::TagTable => "tag-table",
        }
    }

    /// Whether the layout holds tags per clip.
    pub fn is_tagging(self) -> bool {
        !matches!(self, Layout::Jamendo)
    }
}

/// A synthetic dataset to generate on first use (`[data.synthetic] kind = "..."`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SyntheticConfig {
    /// Singing voice detection songs in the Jamendo layout.
    Svd(SyntheticSvdConfig),
    /// Multi-label tagging clips in the MagnaTagATune layout.
    Tagging(SyntheticTaggingConfig),
}

/// Settings of the synthetic tagging generator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyntheticTaggingConfig {
    /// Seed of the generator (independent of the training seed).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Number of clips (at least 16: one per MagnaTagATune folder).
    pub clips: usize,
    /// Length of every clip in seconds (MagnaTagATune's: 29.1).
    #[serde(default = "default_clip_seconds")]
    pub clip_seconds: f64,
}

fn default_clip_seconds() -> f64 {
    29.1
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
    pub fn validate(&self) -> std::result::Result<(), String> {
        if let Some(synthetic) = &self.synthetic {
            synthetic.validate(self.layout)?;
        }
        for (key, given, layout) in [
            (
                "magnatagatune",
                self.magnatagatune.is_some(),
                Layout::Magnatagatune,
            ),
            (
                "mtg_jamendo",
                self.mtg_jamendo.is_some(),
                Layout::MtgJamendo,
            ),
            ("tag_table", self.tag_table.is_some(), Layout::TagTable),
        ] {
            if given && self.layout != layout {
                return Err(format!(
                    "[data.{key}] applies to data.layout = \"{}\", not \"{}\": \
                     remove it or set the layout",
                    layout.name(),
                    self.layout.name()
                ));
            }
        }
        if let Some(s) = self.min_clip_seconds
            && !(s >= 0.0 && s.is_finite())
        {
            return Err(format!(
                "data.min_clip_seconds = {s} must be zero or positive"
            ));
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

    /// Reads the clips and tags of a tagging layout.
    pub fn open_tagged(&self) -> Result<TaggedDataset> {
        match self.layout {
            Layout::Magnatagatune => {
                magnatagatune::open(&self.root, &self.magnatagatune.clone().unwrap_or_default())
            }
            Layout::MtgJamendo => {
                mtg_jamendo::open(&self.root, &self.mtg_jamendo.clone().unwrap_or_default())
            }
            Layout::TagTable => {
                tag_table::open(&self.root, &self.tag_table.clone().unwrap_or_default())
            }
            Layout::Jamendo => Err(crate::error::DataError::NotATaggingLayout {
                layout: self.layout.name(),
            }),
        }
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
            SyntheticConfig::Tagging(_) => Layout::Magnatagatune,
        }
    }

    fn validate(&self, layout: Layout) -> std::result::Result<(), String> {
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
            SyntheticConfig::Tagging(s) => {
                if s.clips < 16 {
                    return Err(
                        "data.synthetic.clips must be at least 16 (one per MagnaTagATune folder)"
                            .into(),
                    );
                }
                if !(1.0..=600.0).contains(&s.clip_seconds) {
                    return Err(format!(
                        "data.synthetic.clip_seconds = {} must be in 1..=600",
                        s.clip_seconds
                    ));
                }
            }
        }
        Ok(())
    }
}
