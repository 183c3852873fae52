//! Test helpers for the decoders: fixture paths, scratch folders and WAV
//! files written on the fly.

use std::path::{Path, PathBuf};

use crate::testdir::TestDir;

/// `tests/fixtures/audio/<name>`.
pub(super) fn fixture(name: &str) -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/audio"
    ))
    .join(name)
}

/// A scratch folder for one test.
pub(super) fn tempdir(tag: &str) -> TestDir {
    TestDir::new(&format!("decode-{tag}"))
}

/// Writes `samples` (interleaved) as a WAV file with hound.
pub(super) fn write_wav<S: hound::Sample + Copy>(path: &Path, spec: hound::WavSpec, samples: &[S]) {
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
}

/// A WAV format at 8000 Hz.
pub(super) fn spec(channels: u16, bits: u16, format: hound::SampleFormat) -> hound::WavSpec {
    hound::WavSpec {
        channels,
        sample_rate: 8000,
        bits_per_sample: bits,
        sample_format: format,
    }
}

/// A RIFF/WAVE file of 64-bit IEEE float samples (interleaved), which hound
/// parses but cannot read.
pub(super) fn f64_wav(channels: u16, rate: u32, data: &[f64]) -> Vec<u8> {
    let mut wav = Vec::new();
    let data_len = (data.len() * 8) as u32;
    let block_align = 8 * channels;
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&3u16.to_le_bytes()); // IEEE float
    wav.extend_from_slice(&channels.to_le_bytes());
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&(rate * u32::from(block_align)).to_le_bytes()); // byte rate
    wav.extend_from_slice(&block_align.to_le_bytes());
    wav.extend_from_slice(&64u16.to_le_bytes()); // bits
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    for v in data {
        wav.extend_from_slice(&v.to_le_bytes());
    }
    wav
}
