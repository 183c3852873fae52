//! Songs of a singing-voice dataset split, ready for training and
//! evaluation: the decoded, resampled waveform (memory-mapped from the
//! cache) and one label per frontend frame.
//!
//! Frame `i` has timestamp `i / fps` ([`Framing`]); its label comes from the
//! song's `.lab` segments ([`frame_labels`]). With `[label_noise]` listing
//! the split, the segments are corrupted first
//! ([`crate::label_noise`]'s `segments` and `boundaries` kinds), and the
//! split's corrupted `.lab` files and audit come back with the songs.

use crate::cache::AudioLoader;
use crate::datasets::JamendoDataset;
use crate::error::{DataError, Result};
use crate::framing::Framing;
use crate::label_noise::audit::SongSplitAudit;
use crate::label_noise::config::LabelNoiseConfig;
use crate::label_noise::lab_files::render_lab;
use crate::label_noise::record::{LabelFile, NoisySongSplit, mirrored};
use crate::label_noise::segments::{changed_seconds, corrupt_segments};
use crate::labels::{Segment, frame_labels, parse_lab_lines};
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

/// The songs of a split and, if they were corrupted, their noisy labels.
pub struct LoadedSongs {
    /// The songs, in filelist order.
    pub songs: Vec<Song>,
    /// The corrupted `.lab` files and the audit, when `[label_noise]`
    /// lists the split.
    pub noise: Option<NoisySongSplit>,
}

/// Loads every song of `split`: decoded (or read from the cache) and labelled
/// frame by frame, from segments corrupted by `noise` if it lists `split`.
pub fn load_songs(
    dataset: &JamendoDataset,
    split: &str,
    loader: &AudioLoader,
    framing: Framing,
    noise: Option<&LabelNoiseConfig>,
) -> Result<LoadedSongs> {
    let files = dataset.split(split)?;
    let noise = noise.filter(|c| c.applies_to(split));
    let mut audit = noise.map(|c| SongSplitAudit::new(split, c));
    let mut noisy_files = Vec::new();
    let mut songs = Vec::with_capacity(files.len());
    for f in &files {
        let wave = loader.load(&f.audio)?;
        let bytes = std::fs::read(&f.labels).map_err(|e| DataError::io(&f.labels, e))?;
        let lines = parse_lab_lines(&bytes, &f.labels)?;
        let clean: Vec<Segment> = lines.iter().map(|(s, _)| *s).collect();
        let frames = framing.frames(wave.len());
        let clean_labels = frame_labels(&clean, frames, framing.fps());
        let labels = match (noise, audit.as_mut()) {
            (Some(config), Some(audit)) => {
                let (noisy, changes) = corrupt_segments(&clean, config, split, &f.name);
                let noisy_labels = frame_labels(&noisy, frames, framing.fps());
                let seconds = wave.duration_seconds();
                audit.add_song(
                    &changes,
                    seconds,
                    changed_seconds(&clean, &noisy, seconds),
                    &clean_labels,
                    &noisy_labels,
                );
                noisy_files.push(LabelFile {
                    relative: mirrored(dataset.root(), &f.labels),
                    bytes: render_lab(&bytes, &lines, &noisy),
                });
                noisy_labels
            }
            _ => clean_labels,
        };
        songs.push(Song {
            name: f.name.clone(),
            wave,
            labels,
        });
    }
    let noise = audit.map(|mut audit| {
        audit.finish();
        NoisySongSplit {
            audit,
            files: noisy_files,
        }
    });
    Ok(LoadedSongs { songs, noise })
}
