//! `cochlea-data`: decoding, resampling and caching audio, reading dataset
//! formats and their labels.
//!
//! The path from a file to training data: [`AudioLoader::load`] decodes
//! ([`decode_file`]), downmixes and resamples ([`resample`]) a file once and
//! maps the cached result as a [`Waveform`]; [`JamendoDataset`] lists a
//! split's songs; [`read_lab`] and [`frame_labels`] turn a song's `.lab`
//! file into per-frame targets.

pub mod cache;
pub mod datasets;
pub mod decode;
pub mod error;
pub mod jamendo;
pub mod labels;
pub mod resample;
pub mod synth;
pub mod waveform;

#[cfg(test)]
mod testdir;

pub use cache::{AudioLoader, CACHE_CONTEXT};
pub use datasets::{
    MagnaTagATuneOptions, MtgJamendoOptions, MtgJamendoSubset, RowOrigin, TagTableOptions,
    TaggedClip, TaggedDataset,
};
pub use decode::decode_file;
pub use error::{DataError, Result};
pub use jamendo::{JamendoDataset, SongFiles};
pub use labels::{Segment, frame_labels, parse_lab, read_lab};
pub use resample::resample;
pub use waveform::Waveform;
