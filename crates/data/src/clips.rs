//! Clips of a tagging dataset split, ready for training and evaluation: the
//! decoded, resampled waveform (memory-mapped from the cache) and one target
//! per tag.
//!
//! With `skip_unreadable`, a clip whose audio cannot be decoded, or that is
//! shorter than `min_clip_seconds`, is left out and reported in
//! [`LoadedClips::skipped`] (the real MagnaTagATune holds a few unreadable
//! MP3s; Won et al. drop clips under 29.1 s); without it, the first such clip
//! is an error naming the file and the table line it came from.

use std::path::PathBuf;

use crate::cache::AudioLoader;
use crate::datasets::TaggedClip;
use crate::error::{DataError, Result};
use crate::waveform::Waveform;

/// One clip: its waveform and tag targets.
pub struct Clip {
    /// The dataset's clip or track id.
    pub id: String,
    /// The independent unit it belongs to (see [`crate::TaggedClip::group`]).
    pub group: String,
    /// Mono waveform at the experiment's sample rate.
    pub wave: Waveform,
    /// 1.0 for each tag the clip has, 0.0 otherwise (dataset tag order).
    pub tags: Vec<f32>,
}

/// A clip that was left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedClip {
    /// The audio file.
    pub audio: PathBuf,
    /// The table and line that listed it.
    pub listed_in: String,
    /// Why it was skipped.
    pub reason: String,
}

/// The clips of a split that could be read, and those skipped.
pub struct LoadedClips {
    /// Readable clips, in table order.
    pub clips: Vec<Clip>,
    /// Clips left out under `skip_unreadable`.
    pub skipped: Vec<SkippedClip>,
}

/// How clips are read.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClipRules {
    /// Skip unreadable or too short clips instead of failing.
    pub skip_unreadable: bool,
    /// Shortest acceptable clip in seconds.
    pub min_clip_seconds: Option<f64>,
}

/// Decodes (or maps from the cache) every clip of `listed`.
pub fn load_clips(
    listed: &[TaggedClip],
    loader: &AudioLoader,
    rules: ClipRules,
) -> Result<LoadedClips> {
    let mut clips = Vec::with_capacity(listed.len());
    let mut skipped = Vec::new();
    for clip in listed {
        let listed_in = format!("{}:{}", clip.origin.file.display(), clip.origin.line);
        let problem = match loader.load(&clip.audio) {
            Ok(wave) => {
                let seconds = wave.duration_seconds();
                match rules.min_clip_seconds {
                    Some(min) if seconds < min => Err(DataError::ClipTooShort {
                        audio: clip.audio.clone(),
                        listed_in: listed_in.clone(),
                        seconds,
                        min,
                    }),
                    _ => {
                        clips.push(Clip {
                            id: clip.id.clone(),
                            group: clip.group.clone(),
                            wave,
                            tags: clip
                                .tags
                                .iter()
                                .map(|&t| if t { 1.0 } else { 0.0 })
                                .collect(),
                        });
                        Ok(())
                    }
                }
            }
            Err(e) => Err(e),
        };
        if let Err(e) = problem {
            if !rules.skip_unreadable {
                return Err(DataError::UnreadableClip {
                    listed_in,
                    message: e.to_string(),
                });
            }
            skipped.push(SkippedClip {
                audio: clip.audio.clone(),
                listed_in,
                reason: e.to_string(),
            });
        }
    }
    Ok(LoadedClips { clips, skipped })
}
