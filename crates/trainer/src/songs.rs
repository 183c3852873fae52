//! Songs of a dataset split, ready for training and evaluation: the decoded,
//! resampled waveform (memory-mapped from the cache) and one label per
//! frontend frame.
//!
//! Frame `i` has timestamp `i / fps` with `fps = sample_rate / hop` (Jamendo
//! convention, LITERATURE.md §4). A synthetic dataset declared in the config
//! is generated into its folder on first use; a real dataset folder that does
//! not exist is an error.

use std::path::Path;

use cochlea_data::synth::{GENERATOR_VERSION, SynthSvdOptions, generate_svd};
use cochlea_data::{AudioLoader, JamendoDataset, Waveform, frame_labels, read_lab};

use crate::config::{ExperimentConfig, SyntheticConfig};
use crate::error::{Error, Result};

/// One song: its waveform and per-frame labels.
pub struct Song {
    /// File stem, e.g. `song007`.
    pub name: String,
    /// Mono waveform at the experiment's sample rate.
    pub wave: Waveform,
    /// Label of every frame (0 = no voice, 1 = voice).
    pub labels: Vec<f32>,
}

/// Framing of the frontend, needed to label frames.
#[derive(Debug, Clone, Copy)]
pub struct Framing {
    /// Samples per frame.
    pub frame_length: usize,
    /// Samples between frames.
    pub hop: usize,
    /// Sample rate in Hz.
    pub sample_rate: u32,
}

impl Framing {
    /// The framing of `model`'s frontend for audio at `sample_rate`.
    pub fn of(model: &cochlea_model::Classifier, sample_rate: u32) -> Self {
        Self {
            frame_length: model.frontend.frame_length(),
            hop: model.frontend.hop(),
            sample_rate,
        }
    }

    /// Frames produced from `samples` samples.
    pub fn frames(&self, samples: usize) -> usize {
        if samples < self.frame_length {
            0
        } else {
            1 + (samples - self.frame_length) / self.hop
        }
    }

    /// Frames per second.
    pub fn fps(&self) -> f64 {
        self.sample_rate as f64 / self.hop as f64
    }
}

/// Opens the dataset of `config`, generating a declared synthetic one if its
/// folder is missing or empty.
pub fn open_dataset(config: &ExperimentConfig) -> Result<JamendoDataset> {
    let root = &config.data.root;
    let empty = std::fs::read_dir(root)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true);
    let Some(s) = &config.data.synthetic else {
        return Ok(JamendoDataset::open(root)?);
    };
    if empty {
        eprintln!(
            "generating synthetic dataset ({} songs, seed {}) into {}",
            s.songs,
            s.seed,
            root.display()
        );
        let opts = SynthSvdOptions {
            seed: s.seed,
            songs: s.songs,
            min_seconds: s.min_seconds,
            max_seconds: s.max_seconds,
            ..SynthSvdOptions::default()
        };
        generate_svd(root, &opts).map_err(|e| {
            Error::Other(format!(
                "could not generate the synthetic dataset in {}: {e}",
                root.display()
            ))
        })?;
    }
    if !empty {
        check_generated_as_declared(root, s)?;
    }
    // A generation that was interrupted leaves no filelists: say how to redo it.
    JamendoDataset::open(root).map_err(|e| {
        Error::Other(format!(
            "{e}\n(the synthetic dataset in {} looks incomplete: delete the folder and it is \
             generated again)",
            root.display()
        ))
    })
}

/// A folder that `generate_svd` filled (it has the generator's README.txt)
/// must match `[data.synthetic]`; otherwise editing the config would
/// silently train on the old songs. A folder without that README is a real
/// dataset and is used as it is.
fn check_generated_as_declared(root: &Path, declared: &SyntheticConfig) -> Result<()> {
    let Ok(readme) = std::fs::read_to_string(root.join("README.txt")) else {
        return Ok(());
    };
    let Some(generator) = readme_field(&readme, "generator") else {
        return Ok(());
    };
    let first_number = |key: &str| {
        readme_field(&readme, key).and_then(|v| {
            v.split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .find(|t| !t.is_empty())
                .and_then(|t| t.parse::<f64>().ok())
        })
    };
    let lengths = readme_field(&readme, "song length").and_then(|v| {
        let (lo, rest) = v.split_once("..")?;
        let hi = rest.split_whitespace().next()?;
        Some((lo.trim().parse::<f64>().ok()?, hi.parse::<f64>().ok()?))
    });
    let mut differences = Vec::new();
    if generator != GENERATOR_VERSION {
        differences.push(format!(
            "generator {generator} (this cochlea has {GENERATOR_VERSION})"
        ));
    }
    if first_number("seed") != Some(declared.seed as f64) {
        differences.push(format!(
            "seed {} (data.synthetic.seed = {})",
            readme_field(&readme, "seed").unwrap_or("?"),
            declared.seed
        ));
    }
    if first_number("songs") != Some(declared.songs as f64) {
        differences.push(format!(
            "{} songs (data.synthetic.songs = {})",
            first_number("songs").map_or("?".into(), |n| n.to_string()),
            declared.songs
        ));
    }
    if lengths != Some((declared.min_seconds, declared.max_seconds)) {
        differences.push(format!(
            "song lengths {} s (data.synthetic.min_seconds..max_seconds = {}..{})",
            readme_field(&readme, "song length")
                .and_then(|v| v.split_whitespace().next())
                .unwrap_or("?"),
            declared.min_seconds,
            declared.max_seconds
        ));
    }
    if differences.is_empty() {
        return Ok(());
    }
    Err(Error::Other(format!(
        "{} holds a synthetic dataset generated with {}, not what [data.synthetic] declares: \
         delete the folder to generate it again, or set data.root to another folder",
        root.display(),
        differences.join(", ")
    )))
}

/// The value after `key: ` on the README line that starts with it.
fn readme_field<'a>(readme: &'a str, key: &str) -> Option<&'a str> {
    readme
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .map(str::trim)
}

/// Loads every song of `split`: decoded (or read from the cache) and labelled.
pub fn load_split(
    dataset: &JamendoDataset,
    split: &str,
    loader: &AudioLoader,
    framing: Framing,
) -> Result<Vec<Song>> {
    let files = dataset.split(split)?;
    files
        .iter()
        .map(|f| {
            let wave = loader.load(&f.audio)?;
            let segments = read_lab(&f.labels)?;
            let frames = framing.frames(wave.len());
            let labels = frame_labels(&segments, frames, framing.fps());
            Ok(Song {
                name: f.name.clone(),
                wave,
                labels,
            })
        })
        .collect()
}

/// An audio loader for `config` (target sample rate and cache folder).
pub fn audio_loader(config: &ExperimentConfig) -> AudioLoader {
    AudioLoader {
        sample_rate: config.data.sample_rate,
        cache_dir: config.cache_dir(),
    }
}

/// Checks that `path` is a dataset folder, naming it if not.
pub fn require_folder(path: &Path) -> Result<()> {
    if path.is_dir() {
        Ok(())
    } else {
        Err(Error::Data(cochlea_data::DataError::MissingDatasetFolder {
            path: path.to_path_buf(),
            what: "dataset root",
        }))
    }
}
