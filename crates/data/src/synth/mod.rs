//! Synthetic datasets: songs rendered from a seed, with exact labels, so
//! that the whole pipeline can be trained and tested without downloading
//! anything.
//!
//! [`generate_svd`] writes a singing-voice-detection dataset in the Jamendo
//! layout (see `svd.rs`): accompaniment (pads, bass, guitar, drums), melodic
//! lead instruments with vibrato as confusers, and a formant-synthesised
//! singing voice in alternating sung and unsung segments.
//!
//! Parts: `rng` (the seeded generator), `osc` and `filter` (DSP primitives),
//! `music` (key, chords, melodies), `arrangement` (sung/unsung segments),
//! `vowels` and `voice` (the singer), `instruments` and `drums` (the band),
//! `song` (mixing one song), `svd` (the dataset on disk), `error`.
//!
//! [`generate_tagging`] writes a multi-label music-tagging dataset in the
//! MagnaTagATune layout (see `tagging.rs`): albums of a genre, clips rendered
//! from instrument parts (`keyboards`, `plucked`, `indian`, `electronic`,
//! `ensemble` and the parts above), voices and mastering (`tagging_clip`),
//! weakly tagged by simulated annotators (`tag_vocabulary`). `manifest`
//! records a generator's settings in `manifest.json`.

mod arrangement;
mod drums;
mod error;
mod filter;
mod instruments;
mod music;
mod osc;
pub(crate) mod rng;
mod song;
mod svd;
mod voice;
mod vowels;
mod wav;
// The tagging dataset (MagnaTagATune layout) and its parts.
mod electronic;
mod ensemble;
mod indian;
mod keyboards;
pub mod manifest;
mod parallel;
mod plucked;
mod tag_vocabulary;
mod tagging;
mod tagging_clip;

pub use error::SynthError;
pub use svd::{
    GENERATOR_VERSION, SVD_GENERATOR, SVD_VERSION, SynthSong, SynthSummary, SynthSvdOptions,
    generate_svd, svd_settings,
};

pub use manifest::{MANIFEST_FILE, Manifest};
pub use tagging::{
    ANNOTATIONS_FILE, FOLDERS, SynthTaggingOptions, TAGGING_GENERATOR, TAGGING_VERSION,
    TaggingClip, TaggingSummary, generate_tagging,
};
