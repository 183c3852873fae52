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
//! `song` (mixing one song), `svd` (the dataset on disk), `manifest` (what
//! a generated folder was made with), `error`.

mod arrangement;
mod drums;
mod error;
mod filter;
mod instruments;
pub mod manifest;
mod music;
mod osc;
mod rng;
mod song;
mod svd;
mod voice;
mod vowels;

pub use error::SynthError;
pub use svd::{GENERATOR_VERSION, SynthSong, SynthSummary, SynthSvdOptions, generate_svd};
