//! The audit of a label-noise run (`<run>/label-noise/audit.json`): what was
//! requested, and per corrupted split what was achieved, next to it.
//!
//! Tagging: per tag and direction the clean count `n` (negatives for
//! 0 → 1, positives for 1 → 0), the number `k` that changed and the achieved
//! rate `k / n` beside the requested probability; `confusion` adds, per row
//! tag, the positives moved and where they went against the weights' shares.
//! Singing voice: segments flipped by direction, or boundaries moved and the
//! mean |shift|; and for both the seconds and frames whose label changed, by
//! direction. Counts are over the items the split lists (before unreadable
//! files are skipped).

use serde::{Deserialize, Serialize};

use super::config::{LabelNoiseConfig, NoiseKind};
use super::segments::SongChanges;

/// The whole audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoiseAudit {
    /// The `[label_noise]` section as the run used it.
    pub requested: LabelNoiseConfig,
    /// The noise seed (also in `requested`), independent of the training seed.
    pub noise_seed: u64,
    /// The training seed of the run, recorded next to the noise seed.
    pub training_seed: Option<u64>,
    /// The corrupted splits.
    pub corrupted_splits: Vec<String>,
    /// The splits whose labels are the dataset's own (always `test`).
    pub clean_splits: Vec<String>,
    /// Whether validation labels were corrupted: then validation metrics,
    /// model selection and threshold choice used the noisy labels.
    pub validation_corrupted: bool,
    /// The same in words.
    pub note: String,
    /// What was achieved, per corrupted split.
    pub per_split: Vec<SplitAudit>,
}

impl NoiseAudit {
    /// The audit of `config` with the achieved counts of `per_split`.
    pub fn new(config: &LabelNoiseConfig, per_split: Vec<SplitAudit>) -> Self {
        let corrupted: Vec<String> = ["train", "valid"]
            .into_iter()
            .filter(|s| config.applies_to(s))
            .map(String::from)
            .collect();
        let clean: Vec<String> = ["train", "valid", "test"]
            .into_iter()
            .filter(|s| !config.applies_to(s))
            .map(String::from)
            .collect();
        let note = if config.corrupts_validation() {
            "validation labels were corrupted: validation metrics, model selection and \
             the thresholds chosen on the validation split used the noisy labels; \
             test labels are clean"
        } else {
            "validation and test labels are clean (only the training labels were corrupted)"
        };
        NoiseAudit {
            requested: config.clone(),
            noise_seed: config.seed,
            training_seed: None,
            corrupted_splits: corrupted,
            clean_splits: clean,
            validation_corrupted: config.corrupts_validation(),
            note: note.into(),
            per_split,
        }
    }
}

/// What one corrupted split achieved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "labels", rename_all = "kebab-case", deny_unknown_fields)]
pub enum SplitAudit {
    /// Tag flags of clips.
    Tags(TagSplitAudit),
    /// `.lab` segments of songs.
    Segments(SongSplitAudit),
}

/// Tag flags of one split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagSplitAudit {
    /// `train` or `valid`.
    pub split: String,
    /// Clips in the split.
    pub clips: usize,
    /// One row per tag, in the dataset's tag order.
    pub tags: Vec<TagFlips>,
    /// All tags together.
    pub all_tags: TagFlips,
    /// `confusion` only: the moves of each row tag's positives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moves: Vec<ConfusionMoves>,
}

/// The changes of one tag (or all) in both directions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagFlips {
    /// The tag, or `all tags`.
    pub tag: String,
    /// Clean negatives (n for 0 → 1).
    pub negatives: usize,
    /// Of those, how many became 1 (k for 0 → 1).
    pub added: usize,
    /// The requested 0 → 1 probability; `None` where it follows from other
    /// choices (a confusion destination, or tags with different rates).
    pub requested_add: Option<f64>,
    /// `added / negatives` (`None` without negatives).
    pub achieved_add: Option<f64>,
    /// Clean positives (n for 1 → 0).
    pub positives: usize,
    /// Of those, how many became 0 (k for 1 → 0).
    pub dropped: usize,
    /// The requested 1 → 0 probability (see `requested_add`).
    pub requested_drop: Option<f64>,
    /// `dropped / positives` (`None` without positives).
    pub achieved_drop: Option<f64>,
}

impl TagFlips {
    /// A row with the requested rates and no counts yet.
    pub(crate) fn new(tag: &str, requested_add: Option<f64>, requested_drop: Option<f64>) -> Self {
        TagFlips {
            tag: tag.into(),
            negatives: 0,
            added: 0,
            requested_add,
            achieved_add: None,
            positives: 0,
            dropped: 0,
            requested_drop,
            achieved_drop: None,
        }
    }

    /// Counts one clean flag and its noisy value.
    pub(crate) fn count(&mut self, clean: bool, noisy: bool) {
        if clean {
            self.positives += 1;
            self.dropped += usize::from(!noisy);
        } else {
            self.negatives += 1;
            self.added += usize::from(noisy);
        }
    }

    /// Fills in the achieved rates.
    pub(crate) fn finish(&mut self) {
        self.achieved_add = ratio(self.added, self.negatives);
        self.achieved_drop = ratio(self.dropped, self.positives);
    }

    /// The sum of `rows` under the name `tag`; a requested rate is kept
    /// where every row has the same one.
    pub(crate) fn total(tag: &str, rows: &[TagFlips]) -> Self {
        let common = |f: fn(&TagFlips) -> Option<f64>| {
            let first = rows.first().and_then(f);
            rows.iter()
                .all(|r| f(r) == first)
                .then_some(first)
                .flatten()
        };
        let mut all = TagFlips::new(
            tag,
            common(|r| r.requested_add),
            common(|r| r.requested_drop),
        );
        for r in rows {
            all.negatives += r.negatives;
            all.added += r.added;
            all.positives += r.positives;
            all.dropped += r.dropped;
        }
        all.finish();
        all
    }
}

/// `confusion`: where the positives of one row tag moved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfusionMoves {
    /// The row tag.
    pub from: String,
    /// Its clean positives.
    pub positives: usize,
    /// How many of them moved.
    pub moved: usize,
    /// The requested probability of a move (`rate`).
    pub requested: f64,
    /// `moved / positives`.
    pub achieved: Option<f64>,
    /// The destinations.
    pub to: Vec<MoveDestination>,
}

/// One destination of a confusion row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveDestination {
    /// The destination tag.
    pub tag: String,
    /// Its weight in the row.
    pub weight: f64,
    /// The weight's share of the row's total: the requested share of moves.
    pub expected_share: f64,
    /// Moves that went here.
    pub moves: usize,
    /// `moves / moved`.
    pub share: Option<f64>,
}

/// `.lab` segments of one split's songs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SongSplitAudit {
    /// `train` or `valid`.
    pub split: String,
    /// Songs in the split.
    pub songs: usize,
    /// `segments`: the flips.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments: Option<SegmentFlips>,
    /// `boundaries`: the moves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundaries: Option<BoundaryShifts>,
    /// Seconds of audio in the split.
    pub seconds: f64,
    /// Seconds (within the audio) that became sung.
    pub seconds_to_sung: f64,
    /// Seconds (within the audio) that became unsung.
    pub seconds_to_unsung: f64,
    /// `(seconds_to_sung + seconds_to_unsung) / seconds`.
    pub fraction_of_time_changed: Option<f64>,
    /// Frames (of the frontend) in the split.
    pub frames: usize,
    /// Frames whose label became 1.
    pub frames_to_sung: usize,
    /// Frames whose label became 0.
    pub frames_to_unsung: usize,
    /// `(frames_to_sung + frames_to_unsung) / frames`.
    pub fraction_of_frames_changed: Option<f64>,
}

impl SongSplitAudit {
    /// An empty audit of `split` under `config` (a singing-voice kind).
    pub(crate) fn new(split: &str, config: &LabelNoiseConfig) -> Self {
        let requested = config.rate.unwrap_or(0.0);
        SongSplitAudit {
            split: split.into(),
            songs: 0,
            segments: (config.kind == NoiseKind::Segments).then(|| SegmentFlips {
                requested,
                ..SegmentFlips::default()
            }),
            boundaries: (config.kind == NoiseKind::Boundaries).then(|| BoundaryShifts {
                requested,
                max_shift: config.max_shift.unwrap_or(0.0),
                ..BoundaryShifts::default()
            }),
            seconds: 0.0,
            seconds_to_sung: 0.0,
            seconds_to_unsung: 0.0,
            fraction_of_time_changed: None,
            frames: 0,
            frames_to_sung: 0,
            frames_to_unsung: 0,
            fraction_of_frames_changed: None,
        }
    }

    /// Counts one song: what changed in its segments, its length in
    /// seconds, the seconds that became (sung, unsung), and its clean and
    /// noisy frame labels.
    pub(crate) fn add_song(
        &mut self,
        changes: &SongChanges,
        seconds: f64,
        changed_seconds: (f64, f64),
        clean: &[f32],
        noisy: &[f32],
    ) {
        self.songs += 1;
        if let Some(s) = &mut self.segments {
            s.sung += changes.sung;
            s.sung_flipped += changes.sung_flipped;
            s.unsung += changes.unsung;
            s.unsung_flipped += changes.unsung_flipped;
        }
        if let Some(b) = &mut self.boundaries {
            b.boundaries += changes.boundaries;
            b.moved += changes.moved;
            b.total_abs_shift += changes.total_abs_shift;
        }
        self.seconds += seconds;
        self.seconds_to_sung += changed_seconds.0;
        self.seconds_to_unsung += changed_seconds.1;
        self.frames += clean.len();
        for (&c, &n) in clean.iter().zip(noisy) {
            self.frames_to_sung += usize::from(c < 0.5 && n >= 0.5);
            self.frames_to_unsung += usize::from(c >= 0.5 && n < 0.5);
        }
    }

    /// Fills in the achieved rates and fractions.
    pub(crate) fn finish(&mut self) {
        if let Some(s) = &mut self.segments {
            s.achieved_sung_to_unsung = ratio(s.sung_flipped, s.sung);
            s.achieved_unsung_to_sung = ratio(s.unsung_flipped, s.unsung);
        }
        if let Some(b) = &mut self.boundaries {
            b.achieved = ratio(b.moved, b.boundaries);
            b.mean_abs_shift = (b.moved > 0).then(|| b.total_abs_shift / b.moved as f64);
        }
        self.fraction_of_time_changed = (self.seconds > 0.0)
            .then(|| (self.seconds_to_sung + self.seconds_to_unsung) / self.seconds);
        self.fraction_of_frames_changed =
            ratio(self.frames_to_sung + self.frames_to_unsung, self.frames);
    }
}

/// `segments`: flipped segments by direction.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentFlips {
    /// The requested probability of a flip (`rate`).
    pub requested: f64,
    /// Clean `sing` segments.
    pub sung: usize,
    /// Of those, how many became `nosing`.
    pub sung_flipped: usize,
    /// `sung_flipped / sung`.
    pub achieved_sung_to_unsung: Option<f64>,
    /// Clean `nosing` segments.
    pub unsung: usize,
    /// Of those, how many became `sing`.
    pub unsung_flipped: usize,
    /// `unsung_flipped / unsung`.
    pub achieved_unsung_to_sung: Option<f64>,
}

/// `boundaries`: moved boundaries and their shifts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundaryShifts {
    /// The requested probability of a move (`rate`).
    pub requested: f64,
    /// `max_shift` in seconds.
    pub max_shift: f64,
    /// Boundaries between touching segments with different labels.
    pub boundaries: usize,
    /// Of those, how many were moved.
    pub moved: usize,
    /// `moved / boundaries`.
    pub achieved: Option<f64>,
    /// The sum of |shift| in seconds over the moved boundaries (after the
    /// clamping that keeps every segment's length at least 0).
    pub total_abs_shift: f64,
    /// `total_abs_shift / moved`.
    pub mean_abs_shift: Option<f64>,
}

/// `k / n`, or `None` for `n = 0`.
fn ratio(k: usize, n: usize) -> Option<f64> {
    (n > 0).then(|| k as f64 / n as f64)
}
