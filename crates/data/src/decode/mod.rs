//! Decoding an audio file into a mono `f32` signal at its own sample rate.
//!
//! RIFF/WAVE files are parsed with `hound` and their data chunk read in
//! blocks (integer PCM of 8, 16, 24 or 32 bits and 32-bit float, the values
//! hound gives); WAVE variants hound does not support (64-bit float,
//! A-law, ADPCM, ...) and every other container (MP3, OGG Vorbis, FLAC, MKV,
//! ...) go through `symphonia`'s probe. Integer samples are scaled by
//! `2^-(bits-1)` so that full scale is ±1.
//!
//! Multichannel audio is downmixed to mono by averaging the channels of each
//! frame. The whole decoded signal must be finite: a NaN or infinite sample
//! is an error naming its frame and channel, never silently passed on.
//!
//! A file whose header promises more audio than can be decoded is
//! [`DataError::TruncatedAudio`]: a WAV's data chunk length, a FLAC
//! STREAMINFO sample count; an OGG file cut short fails while its pages are
//! scanned. MP3s
//! carry an exact length only in a Xing/Info/VBRI header and symphonia
//! otherwise estimates it from the bitrate, so a truncated MP3 cannot be told
//! from a short one and decodes to what is there. A compressed packet that
//! fails to decode is skipped (as players do), unless more than 1% of the
//! packets fail, which makes the file [`DataError::UndecodableAudio`].
//! Chained OGG streams (several logical streams one after another) are
//! rejected. MP3 encoder delay and padding are trimmed when the file has a
//! LAME/Xing gapless header, and otherwise stay in the signal.
//!
//! The samples come as a stream: [`Decoder`] hands out a block of mono
//! samples at a time (a WAV block, one compressed packet), so a file of any
//! length is read in bounded memory; [`decode_file`] collects the whole
//! signal. Checks that need the whole stream (a length promised by the
//! header, the share of failed packets, an empty file) are made when it
//! ends, so a streaming reader learns of them at its last block.
//!
//! The parts: [`wav`] (hound's header, then [`pcm`] blocks), [`symphonia`]
//! (every other format), and
//! [`downmix`] (channels to mono, finiteness); this file picks the reader.

mod downmix;
mod pcm;
mod symphonia;
#[cfg(test)]
mod testing;
mod wav;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use self::symphonia::SymphoniaStream;
use self::wav::{Wav, WavStream, open_wav};
use crate::error::{DataError, Result};

/// File extensions (lower case) of the formats this module decodes, for
/// picking audio files out of a folder: RIFF/WAVE, MP3, OGG Vorbis, FLAC and
/// Matroska/WebM (with Vorbis, FLAC or PCM inside).
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "wav", "wave", "mp3", "ogg", "oga", "flac", "mka", "mkv", "webm",
];

/// Whether `path` has one of the [`AUDIO_EXTENSIONS`] (any case).
pub fn has_audio_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The reader a file needs.
enum Reader {
    Wav(WavStream),
    Symphonia(SymphoniaStream),
}

/// A file's mono samples at its own sample rate, decoded a block at a time.
pub struct Decoder {
    path: PathBuf,
    reader: Reader,
    rate: u32,
    /// Mono samples handed out so far.
    samples: u64,
}

impl Decoder {
    /// Opens `path` and reads its headers (and, for compressed formats,
    /// its first packet, which fixes the sample rate).
    ///
    /// Errors: [`DataError::Io`] if the file cannot be read,
    /// [`DataError::EmptyAudio`] for a file of zero bytes or without a
    /// decodable packet, [`DataError::TruncatedAudio`] /
    /// [`DataError::UndecodableAudio`] for a damaged header,
    /// [`DataError::UnsupportedSampleRate`] for a sample rate of 0 Hz.
    pub fn open(path: &Path) -> Result<Self> {
        let bytes = std::fs::metadata(path)
            .map_err(|e| DataError::io(path, e))?
            .len();
        if bytes == 0 {
            return Err(DataError::EmptyAudio {
                path: path.to_owned(),
            });
        }
        let symphonia = |hound_reason: Option<String>| {
            SymphoniaStream::open(path).map_err(|e| match (e, &hound_reason) {
                (DataError::UndecodableAudio { path, reason }, Some(hound)) => {
                    DataError::UndecodableAudio {
                        path,
                        reason: format!("{hound}; {reason}"),
                    }
                }
                (e, _) => e,
            })
        };
        let reader = if is_riff_wave(path)? {
            match open_wav(path)? {
                Wav::Stream(stream) => Reader::Wav(stream),
                // A WAVE variant hound does not read: let symphonia try.
                Wav::NotForHound(reason) => Reader::Symphonia(symphonia(Some(reason))?),
            }
        } else {
            Reader::Symphonia(symphonia(None)?)
        };
        let rate = match &reader {
            Reader::Wav(w) => w.sample_rate(),
            Reader::Symphonia(s) => s.sample_rate(),
        };
        if rate == 0 {
            return Err(DataError::UnsupportedSampleRate {
                path: path.to_owned(),
                rate,
                reason: "the file declares a sample rate of 0 Hz".into(),
            });
        }
        Ok(Self {
            path: path.to_owned(),
            reader,
            rate,
            samples: 0,
        })
    }

    /// The file's sample rate in Hz.
    pub fn sample_rate(&self) -> u32 {
        self.rate
    }

    /// The file decoded.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Mono samples the header promises, where it says (a capacity hint).
    pub fn promised_samples(&self) -> Option<u64> {
        match &self.reader {
            Reader::Wav(w) => Some(w.promised_frames() as u64),
            Reader::Symphonia(s) => s.promised_frames(),
        }
    }

    /// Appends the next mono samples to `out` (possibly none); `Ok(false)`
    /// once the stream has ended and passed its end-of-stream checks.
    ///
    /// Errors: [`DataError::TruncatedAudio`] / [`DataError::UndecodableAudio`]
    /// for a file cut short or corrupt, [`DataError::NonFiniteSample`] for
    /// NaN/infinity, [`DataError::EmptyAudio`] for a stream without samples.
    pub fn read(&mut self, out: &mut Vec<f32>) -> Result<bool> {
        let before = out.len();
        let more = match &mut self.reader {
            Reader::Wav(w) => w.read(out)?,
            Reader::Symphonia(s) => s.read(out)?,
        };
        self.samples += (out.len() - before) as u64;
        if !more && self.samples == 0 {
            return Err(DataError::EmptyAudio {
                path: self.path.clone(),
            });
        }
        Ok(more)
    }
}

/// Decodes `path` and returns its mono samples and its sample rate in Hz.
///
/// Errors: those of [`Decoder::open`] and [`Decoder::read`].
pub fn decode_file(path: &Path) -> Result<(Vec<f32>, u32)> {
    let mut decoder = Decoder::open(path)?;
    let capacity = decoder.promised_samples().unwrap_or(0).min(1 << 28) as usize;
    let mut samples = Vec::with_capacity(capacity);
    while decoder.read(&mut samples)? {}
    Ok((samples, decoder.rate))
}

/// Whether the file starts with a RIFF/WAVE header.
fn is_riff_wave(path: &Path) -> Result<bool> {
    let mut file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let mut head = [0u8; 12];
    let filled = read_full(&mut file, &mut head).map_err(|e| DataError::io(path, e))?;
    Ok(filled == 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WAVE")
}

/// Reads until `buf` is full or the file ends; the number of bytes read.
fn read_full(file: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}
#[cfg(test)]
mod tests {
    use super::testing::{f64_wav, tempdir};
    use super::*;

    #[test]
    fn wav_hound_cannot_read_goes_through_symphonia() {
        // 64-bit float PCM, stereo, 1000 Hz: hound parses the header but
        // cannot read the samples.
        let data = [0.5f64, -0.5, 0.25, 0.75, 1.0, 0.0];
        let dir = tempdir("f64");
        let path = dir.join("f64.wav");
        std::fs::write(&path, f64_wav(2, 1000, &data)).unwrap();
        let (x, rate) = decode_file(&path).unwrap();
        assert_eq!(rate, 1000);
        assert_eq!(x, vec![0.0, 0.5, 0.5]);
    }

    #[test]
    fn missing_and_garbage_files_are_errors() {
        let dir = tempdir("garbage");
        let err = decode_file(&dir.join("nope.wav")).unwrap_err();
        assert!(matches!(err, DataError::Io { .. }), "{err}");
        let path = dir.join("g.mp3");
        std::fs::write(&path, b"this is not audio at all, just some text").unwrap();
        let err = decode_file(&path).unwrap_err();
        assert!(matches!(err, DataError::UndecodableAudio { .. }), "{err}");
        let path = dir.join("zero.ogg");
        std::fs::write(&path, b"").unwrap();
        let err = decode_file(&path).unwrap_err();
        assert!(matches!(err, DataError::EmptyAudio { .. }), "{err}");
    }
}
