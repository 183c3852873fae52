//! RIFF/WAVE files with `hound`: integer PCM of 1 to 32 bits, scaled by
//! `2^-(bits-1)` so that full scale is ±1, and 32-bit float. Variants hound
//! does not read (64-bit float, A-law, ADPCM, ...) are handed back to be
//! tried with symphonia; a data chunk shorter than its header says is
//! [`DataError::TruncatedAudio`]. The samples are read as a stream
//! ([`WavStream`]), a block at a time.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use hound::WavIntoSamples;

use super::downmix::Downmix;
use crate::error::{DataError, Result};

/// Interleaved samples read per [`WavStream::read`].
const BLOCK: usize = 1 << 16;

/// Whether an I/O error from hound means "the file ended early": hound
/// reports a short read as `ErrorKind::Other` with this message.
fn is_eof(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::UnexpectedEof
        || (e.kind() == std::io::ErrorKind::Other
            && e.to_string() == "Failed to read enough bytes.")
}

/// What hound made of a RIFF/WAVE file.
pub(super) enum Wav {
    /// The file's mono samples, to be read.
    Stream(WavStream),
    /// hound does not read this variant (with its reason).
    NotForHound(String),
}

/// The samples of a WAV file as hound reads them.
enum Samples {
    /// Integer PCM and its scale to full scale ±1.
    Int(WavIntoSamples<BufReader<File>, i32>, f64),
    /// 32-bit float.
    Float(WavIntoSamples<BufReader<File>, f32>),
}

/// A WAV file's samples, downmixed to mono, a block at a time.
pub(super) struct WavStream {
    path: PathBuf,
    samples: Samples,
    mix: Downmix,
    /// Interleaved samples the header promises.
    promised: usize,
    /// Interleaved samples read so far.
    read: usize,
    rate: u32,
    done: bool,
}

/// Opens a RIFF/WAVE file with hound.
pub(super) fn open_wav(path: &Path) -> Result<Wav> {
    let truncated = |reason: String| DataError::TruncatedAudio {
        path: path.to_owned(),
        reason,
    };
    let undecodable = |reason: String| DataError::UndecodableAudio {
        path: path.to_owned(),
        reason,
    };
    let reader = match hound::WavReader::open(path) {
        Ok(r) => r,
        // Encodings and header variants hound does not know; structural
        // damage (data length, inconsistent fmt chunk) stays an error here.
        Err(e @ hound::Error::Unsupported) => return Ok(Wav::NotForHound(format!("hound: {e}"))),
        Err(hound::Error::FormatError(msg))
            if msg.starts_with("bits per sample") || msg.starts_with("unexpected ") =>
        {
            return Ok(Wav::NotForHound(format!("hound: {msg}")));
        }
        Err(hound::Error::IoError(e)) if is_eof(&e) => {
            return Err(truncated(format!("the WAV header is incomplete: {e}")));
        }
        Err(hound::Error::IoError(e)) => return Err(DataError::io(path, e)),
        Err(e) => return Err(undecodable(format!("invalid WAV: {e}"))),
    };
    let not_for_hound = |what: String| Ok(Wav::NotForHound(format!("hound: {what}")));
    let spec = reader.spec();
    let channels = usize::from(spec.channels);
    if channels == 0 {
        return Err(undecodable("the WAV header declares 0 channels".into()));
    }
    let promised = reader.len() as usize;
    let samples = match spec.sample_format {
        hound::SampleFormat::Int => {
            if !(1..=32).contains(&spec.bits_per_sample) {
                return not_for_hound(format!("{}-bit integer samples", spec.bits_per_sample));
            }
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f64;
            Samples::Int(reader.into_samples::<i32>(), scale)
        }
        hound::SampleFormat::Float => {
            if spec.bits_per_sample != 32 {
                return not_for_hound(format!("{}-bit float samples", spec.bits_per_sample));
            }
            Samples::Float(reader.into_samples::<f32>())
        }
    };
    Ok(Wav::Stream(WavStream {
        path: path.to_owned(),
        samples,
        mix: Downmix::new(path, channels),
        promised,
        read: 0,
        rate: spec.sample_rate,
        done: false,
    }))
}

impl WavStream {
    /// Sample rate in Hz from the header.
    pub(super) fn sample_rate(&self) -> u32 {
        self.rate
    }

    /// Mono frames the header promises.
    pub(super) fn promised_frames(&self) -> usize {
        self.promised / self.mix.channels()
    }

    /// Appends the next block of mono samples to `out`; `Ok(false)` at the
    /// end of the data (after checking that it ends on a whole frame).
    pub(super) fn read(&mut self, out: &mut Vec<f32>) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        let (path, promised) = (&self.path, self.promised);
        let read_error = |e: hound::Error, read: usize| match e {
            hound::Error::IoError(e) if is_eof(&e) => DataError::TruncatedAudio {
                path: path.clone(),
                reason: format!(
                    "the header promises {promised} samples but the data ends after {read}"
                ),
            },
            hound::Error::IoError(e) => DataError::io(path, e),
            e => DataError::UndecodableAudio {
                path: path.clone(),
                reason: format!("invalid WAV data: {e}"),
            },
        };
        let before = self.read;
        match &mut self.samples {
            Samples::Int(samples, scale) => {
                for s in samples.by_ref().take(BLOCK) {
                    let s = s.map_err(|e| read_error(e, self.read))?;
                    self.mix.push((f64::from(s) * *scale) as f32, out)?;
                    self.read += 1;
                }
            }
            Samples::Float(samples) => {
                for s in samples.by_ref().take(BLOCK) {
                    let s = s.map_err(|e| read_error(e, self.read))?;
                    self.mix.push(s, out)?;
                    self.read += 1;
                }
            }
        }
        if self.read - before == BLOCK {
            return Ok(true);
        }
        self.done = true;
        if self.mix.partial() {
            return Err(DataError::TruncatedAudio {
                path: self.path.clone(),
                reason: format!(
                    "the data ends in the middle of a {}-channel frame",
                    self.mix.channels()
                ),
            });
        }
        Ok(self.read > before)
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode_file;
    use super::super::testing::{spec, tempdir, write_wav};
    use super::*;

    #[test]
    fn wav_16bit_stereo_is_averaged_to_mono() {
        let dir = tempdir("stereo");
        let path = dir.join("a.wav");
        // frames: (L, R)
        let data: [i16; 6] = [16384, 0, -32768, -32768, 100, -300];
        write_wav(&path, spec(2, 16, hound::SampleFormat::Int), &data);
        let (x, rate) = decode_file(&path).unwrap();
        assert_eq!(rate, 8000);
        assert_eq!(x, vec![0.25, -1.0, -100.0 / 32768.0]);
    }

    #[test]
    fn wav_int_widths_are_scaled_to_unit_full_scale() {
        let dir = tempdir("widths");
        for (bits, v) in [(8u16, -64i32), (24, 1 << 22), (32, -(1 << 30))] {
            let path = dir.join(format!("w{bits}.wav"));
            write_wav(&path, spec(1, bits, hound::SampleFormat::Int), &[v, 0]);
            let (x, _) = decode_file(&path).unwrap();
            let expect = if v < 0 { -0.5 } else { 0.5 };
            assert_eq!(x, vec![expect, 0.0], "{bits} bit");
        }
    }

    #[test]
    fn wav_float_is_read_exactly() {
        let dir = tempdir("float");
        let path = dir.join("f.wav");
        let data = [0.1f32, -0.7, 1.5, 0.0];
        write_wav(&path, spec(1, 32, hound::SampleFormat::Float), &data);
        let (x, rate) = decode_file(&path).unwrap();
        assert_eq!(rate, 8000);
        assert_eq!(x, data);
    }

    #[test]
    fn truncated_wav_is_an_error() {
        let dir = tempdir("trunc");
        let path = dir.join("t.wav");
        write_wav(&path, spec(1, 16, hound::SampleFormat::Int), &[1i16; 100]);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 51]).unwrap();
        let err = decode_file(&path).unwrap_err();
        assert!(
            matches!(&err, DataError::TruncatedAudio { path: p, .. } if p == &path),
            "{err}"
        );
        assert!(err.to_string().contains("promises 100 samples"), "{err}");

        // A cut inside the header is also reported as truncation or
        // corruption, never as success.
        std::fs::write(&path, &bytes[..30]).unwrap();
        let err = decode_file(&path).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::TruncatedAudio { .. } | DataError::UndecodableAudio { .. }
            ),
            "{err}"
        );
    }

    #[test]
    fn data_that_is_not_whole_frames_is_an_error() {
        let dir = tempdir("oddframe");
        let path = dir.join("o.wav");
        let mut w = hound::WavWriter::create(&path, spec(1, 16, hound::SampleFormat::Int)).unwrap();
        for _ in 0..3 {
            w.write_sample(7i16).unwrap();
        }
        w.finalize().unwrap();
        // Patch the canonical 44-byte header to 2 channels: the three
        // samples are then 1.5 frames.
        let mut bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[36..40], b"data");
        bytes[22..24].copy_from_slice(&2u16.to_le_bytes()); // channels
        bytes[28..32].copy_from_slice(&32000u32.to_le_bytes()); // byte rate
        bytes[32..34].copy_from_slice(&4u16.to_le_bytes()); // block align
        std::fs::write(&path, &bytes).unwrap();
        // hound rejects the data chunk; it must not come back 1 frame long.
        let err = decode_file(&path).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::TruncatedAudio { .. } | DataError::UndecodableAudio { .. }
            ),
            "{err}"
        );
    }

    #[test]
    fn empty_wav_is_an_error() {
        let dir = tempdir("empty");
        let path = dir.join("e.wav");
        write_wav::<i16>(&path, spec(2, 16, hound::SampleFormat::Int), &[]);
        let err = decode_file(&path).unwrap_err();
        assert!(
            matches!(&err, DataError::EmptyAudio { path: p } if p == &path),
            "{err}"
        );
    }
}
