//! Songs of a singing-voice dataset split, ready for training and
//! evaluation: the decoded, resampled waveform (memory-mapped from the
//! cache) and one label per frontend frame.
//!
//! Frame `i` has timestamp `i / fps` ([`Framing`]); its label comes from the
//! song's `.lab` segments ([`frame_labels`]).

use crate::cache::AudioLoader;
use crate::datasets::JamendoDataset;
use crate::error::Result;
use crate::framing::Framing;
use crate::labels::{frame_labels, read_lab};
use crate::waveform::Waveform;

/// One song: its waveform and per-frame labels.
pub struct Song {
    /// File stem, e.g. `song007`.
    pub name: String,
    /// Mono waveform at the experiment's sample rate.
    pub wave: Waveform,
    /// Label of every frame (0 = no voice, 1 = voice).
    pub labels: Vec<f32>,
}

/// Loads every song of `split`: decoded (or read from the cache) and labelled
/// frame by frame.
pub fn load_songs(
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
