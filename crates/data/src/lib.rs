//! `cochlea-data`: decoding, resampling and caching audio, reading dataset
//! layouts and their labels, and turning them into training examples.
//!
//! The path from a file to training data: [`AudioLoader::load`] decodes
//! ([`decode_file`]), downmixes and resamples ([`resample`]) a file once and
//! maps the cached result as a [`Waveform`]; a layout in [`datasets`] lists a
//! split's files ([`JamendoDataset`]); [`load_songs`] labels every frame of a
//! song from its `.lab` file ([`read_lab`], [`frame_labels`], with the
//! [`Framing`] of the frontend); [`ExcerptSampler`] and [`ChunkSampler`] hand
//! out training excerpts ([`ExcerptSource`]), which [`augmented_batch`]
//! draws into batches, augmented as [`AugmentConfig`] (`[augment]`) says.
//! A consumer that streams reads a [`SampleSource`]: an [`AudioStream`]
//! (a file decoded and resampled on the fly, in bounded memory), a cached
//! [`Waveform`]'s [`WaveformReader`], or a [`SliceSource`].
//! [`DataConfig`] is the `[data]` section of an experiment, and
//! [`ensure_generated`] fills a declared synthetic dataset's folder.
//! [`label_noise`] corrupts training labels on request (`[label_noise]`).

pub mod atomic;
pub mod audio_stream;
pub mod augment;
pub mod cache;
pub mod chunks;
pub mod clips;
pub mod data_config;
pub mod datasets;
pub mod decode;
pub mod error;
pub mod excerpt_source;
pub mod excerpts;
pub mod framing;
pub mod label_noise;
pub mod labels;
pub mod plural;
pub mod resample;
pub mod sample_source;
pub mod songs;
pub mod synth;
pub mod synthetic;
pub mod waveform;

#[cfg(test)]
mod testdir;

pub use audio_stream::AudioStream;
pub use augment::{AugmentConfig, augmented_batch};
pub use cache::{AudioLoader, CACHE_CONTEXT};
pub use chunks::{ChunkSampler, chunk_at, evenly_spaced_starts};
pub use clips::{Clip, ClipRules, LoadedClips, SkippedClip, load_clips};
pub use data_config::{
    DataConfig, Layout, SyntheticConfig, SyntheticSvdConfig, SyntheticTaggingConfig,
};
pub use datasets::{JamendoDataset, SongFiles};
pub use datasets::{
    MagnaTagATuneOptions, MtgJamendoOptions, MtgJamendoSubset, RowOrigin, TagTableOptions,
    TaggedClip, TaggedDataset,
};
pub use decode::{AUDIO_EXTENSIONS, Decoder, decode_file, has_audio_extension};
pub use error::{DataError, Result};
pub use excerpt_source::{ExcerptSource, Position, plain_batch};
pub use excerpts::ExcerptSampler;
pub use framing::Framing;
pub use label_noise::{
    LabelNoiseConfig, LabelNoiseRecord, NoiseAudit, NoiseKind, NoiseTarget, NoisyTagged,
    corrupt_tagged,
};
pub use labels::{Segment, format_lab, frame_labels, parse_lab, parse_lab_lines, read_lab};
pub use resample::{Resampler, resample};
pub use sample_source::{SampleSource, SliceSource, read_all};
pub use songs::{LoadedSongs, Song, load_songs};
pub use synthetic::{Preparation, ensure_generated};
pub use waveform::{Waveform, WaveformReader};
