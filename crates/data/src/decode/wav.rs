//! RIFF/WAVE files: hound parses the header (RIFF, `fmt `, `WAVE_FORMAT_
//! EXTENSIBLE`, chunks before `data`), then the data chunk is read a block
//! of bytes at a time and converted by [`Pcm`]: integer PCM of 8, 16, 24
//! (packed or in 4 bytes) and 32 bits, scaled by `2^-(bits-1)` so that full
//! scale is ±1, and 32-bit float, the values hound would give bit for bit.
//! Variants hound does not read (64-bit float, A-law, ADPCM, 12-bit, ...)
//! are handed back to be tried with symphonia; a data chunk shorter than
//! its header says is [`DataError::TruncatedAudio`]. The samples are read
//! as a stream ([`WavStream`]), a block at a time; bytes after the data
//! chunk (LIST, id3 chunks) are never read.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::downmix::Downmix;
use super::pcm::Pcm;
use super::read_full;
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

/// A WAV file's samples, downmixed to mono, a block at a time.
pub(super) struct WavStream {
    path: PathBuf,
    /// The file, positioned at the next unread byte of the data chunk.
    file: BufReader<File>,
    pcm: Pcm,
    mix: Downmix,
    /// Interleaved samples the header promises.
    promised: usize,
    /// Interleaved samples read so far.
    read: usize,
    rate: u32,
    done: bool,
    /// Reused buffers: raw bytes and decoded interleaved samples.
    bytes: Vec<u8>,
    samples: Vec<f32>,
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
    let spec = reader.spec();
    let channels = usize::from(spec.channels);
    if channels == 0 {
        return Err(undecodable("the WAV header declares 0 channels".into()));
    }
    let promised = reader.len() as usize;
    // hound leaves the file at the data chunk's first byte, after its
    // 4-byte length, which hound has checked is a whole number of samples.
    let mut file = reader.into_inner();
    let data_len = if promised == 0 {
        0
    } else {
        file.seek_relative(-4).map_err(|e| DataError::io(path, e))?;
        let mut len = [0u8; 4];
        file.read_exact(&mut len)
            .map_err(|e| DataError::io(path, e))?;
        u32::from_le_bytes(len) as usize
    };
    // Bytes per sample: the data length over the sample count, or, with no
    // samples, the valid bits rounded up to whole bytes.
    let container = match data_len.checked_div(promised) {
        Some(bytes) => u16::try_from(bytes).unwrap_or(0),
        None => spec.bits_per_sample.div_ceil(8),
    };
    let Some(pcm) = Pcm::new(spec.sample_format, spec.bits_per_sample, container) else {
        let kind = match spec.sample_format {
            hound::SampleFormat::Int => "integer",
            hound::SampleFormat::Float => "float",
        };
        return Ok(Wav::NotForHound(format!(
            "hound: {}-bit {kind} samples in {container}-byte containers",
            spec.bits_per_sample
        )));
    };
    Ok(Wav::Stream(WavStream {
        path: path.to_owned(),
        file,
        pcm,
        mix: Downmix::new(path, channels),
        promised,
        read: 0,
        rate: spec.sample_rate,
        done: false,
        bytes: Vec::new(),
        samples: Vec::new(),
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
        let want = BLOCK.min(self.promised - self.read);
        let width = self.pcm.bytes();
        self.bytes.resize(want * width, 0);
        let got =
            read_full(&mut self.file, &mut self.bytes).map_err(|e| DataError::io(&self.path, e))?;
        let whole = got / width;
        self.samples.clear();
        self.pcm
            .decode(&self.bytes[..whole * width], &mut self.samples);
        self.mix
            .push_block(&self.samples, self.pcm.may_be_non_finite(), out)?;
        self.read += whole;
        if whole < want {
            return Err(DataError::TruncatedAudio {
                path: self.path.clone(),
                reason: format!(
                    "the header promises {} samples but the data ends after {}",
                    self.promised, self.read
                ),
            });
        }
        if whole == BLOCK && self.read < self.promised {
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
        Ok(whole > 0)
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

    /// Pseudo-random bits for test signals (xorshift64).
    fn noise(n: usize, seed: u64) -> Vec<u64> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            })
            .collect()
    }

    /// What hound's own sample iterator gives for `path`, mixed to mono the
    /// way the decoder documents it: the reference for the block reader.
    fn hound_mono(path: &Path) -> Vec<f32> {
        let reader = hound::WavReader::open(path).unwrap();
        let spec = reader.spec();
        let channels = usize::from(spec.channels);
        let interleaved: Vec<f32> = match spec.sample_format {
            hound::SampleFormat::Float => {
                reader.into_samples::<f32>().map(|s| s.unwrap()).collect()
            }
            hound::SampleFormat::Int => {
                let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f64;
                reader
                    .into_samples::<i32>()
                    .map(|s| (f64::from(s.unwrap()) * scale) as f32)
                    .collect()
            }
        };
        interleaved
            .chunks_exact(channels)
            .map(|f| (f.iter().fold(0.0f64, |a, &s| a + f64::from(s)) / channels as f64) as f32)
            .collect()
    }

    #[test]
    fn every_encoding_matches_hounds_sample_iterator_bit_for_bit() {
        use hound::SampleFormat::{Float, Int};
        let dir = tempdir("vs-hound");
        // Lengths that end inside the first block, exactly on a block and
        // one frame past two blocks, for 1, 2 and 3 channels.
        for (case, (bits, bytes, format)) in [
            (8u16, 1u16, Int),
            (16, 2, Int),
            (24, 3, Int),
            (24, 4, Int),
            (32, 4, Int),
            (32, 4, Float),
        ]
        .into_iter()
        .enumerate()
        {
            for (channels, frames) in [(1u16, 1000usize), (2, BLOCK / 2), (3, 2 * BLOCK / 3 + 2)] {
                let path = dir.join(format!("{bits}-{bytes}-{channels}.wav"));
                let spec = hound::WavSpecEx {
                    spec: hound::WavSpec {
                        channels,
                        sample_rate: 44_100,
                        bits_per_sample: bits,
                        sample_format: format,
                    },
                    bytes_per_sample: bytes,
                };
                let file = std::io::BufWriter::new(File::create(&path).unwrap());
                let mut w = hound::WavWriter::new_with_spec_ex(file, spec).unwrap();
                for r in noise(frames * usize::from(channels), case as u64 + 7) {
                    match format {
                        // Floats of both signs beyond full scale.
                        Float => w.write_sample(((r >> 40) as f32 / 8_388_608.0 - 1.0) * 1.5),
                        Int => w.write_sample((r as i64 >> (64 - bits)) as i32),
                    }
                    .unwrap();
                }
                w.finalize().unwrap();
                let (x, rate) = decode_file(&path).unwrap();
                assert_eq!(rate, 44_100);
                let expect = hound_mono(&path);
                assert_eq!(x.len(), frames);
                let same = x
                    .iter()
                    .zip(&expect)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(
                    same,
                    "{bits}-bit in {bytes} bytes {format:?}, {channels} channels"
                );
            }
        }
    }

    #[test]
    fn chunks_after_the_data_are_not_read_as_samples() {
        let dir = tempdir("trailing");
        let path = dir.join("t.wav");
        write_wav(
            &path,
            spec(1, 16, hound::SampleFormat::Int),
            &[8192i16, -8192],
        );
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(b"LIST\x04\0\0\0INFO");
        let riff = (bytes.len() - 8) as u32;
        bytes[4..8].copy_from_slice(&riff.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(decode_file(&path).unwrap().0, vec![0.25, -0.25]);
    }

    #[test]
    fn a_cut_in_a_later_block_reports_the_samples_read() {
        let dir = tempdir("trunc-late");
        let path = dir.join("t.wav");
        let n = BLOCK + 1000;
        write_wav(&path, spec(2, 24, hound::SampleFormat::Int), &vec![5i32; n]);
        let bytes = std::fs::read(&path).unwrap();
        // 10 whole samples and one byte of the next are cut off.
        std::fs::write(&path, &bytes[..bytes.len() - 3 * 10 - 1]).unwrap();
        let err = decode_file(&path).unwrap_err();
        let expect = format!("promises {n} samples but the data ends after {}", n - 11);
        assert!(err.to_string().contains(&expect), "{err}");
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
