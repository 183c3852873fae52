//! Decoding an audio file into a mono `f32` signal at its own sample rate.
//!
//! RIFF/WAVE files are read with `hound` (integer PCM of 8, 16, 24 or 32 bits
//! and 32-bit float); WAVE variants hound does not support (64-bit float,
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
//! The parts: [`wav`] (hound), [`symphonia`] (every other format), and
//! [`downmix`] (channels to mono, finiteness); this file picks the reader.

mod downmix;
mod symphonia;
#[cfg(test)]
mod testing;
mod wav;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use self::symphonia::decode_symphonia;
use self::wav::{Wav, decode_wav};
use crate::error::{DataError, Result};

/// Decodes `path` and returns its mono samples and its sample rate in Hz.
///
/// Errors: [`DataError::Io`] if the file cannot be read,
/// [`DataError::EmptyAudio`] if it holds no samples,
/// [`DataError::TruncatedAudio`] / [`DataError::UndecodableAudio`] if it is
/// cut short or corrupt, [`DataError::NonFiniteSample`] for NaN/infinity,
/// [`DataError::UnsupportedSampleRate`] for a sample rate of 0 Hz.
pub fn decode_file(path: &Path) -> Result<(Vec<f32>, u32)> {
    let bytes = std::fs::metadata(path)
        .map_err(|e| DataError::io(path, e))?
        .len();
    if bytes == 0 {
        return Err(DataError::EmptyAudio {
            path: path.to_owned(),
        });
    }
    let (samples, rate) = if is_riff_wave(path)? {
        match decode_wav(path)? {
            Wav::Decoded(samples, rate) => (samples, rate),
            // A WAVE variant hound does not read: let symphonia try.
            Wav::NotForHound(hound_reason) => decode_symphonia(path).map_err(|e| match e {
                DataError::UndecodableAudio { path, reason } => DataError::UndecodableAudio {
                    path,
                    reason: format!("{hound_reason}; {reason}"),
                },
                e => e,
            })?,
        }
    } else {
        decode_symphonia(path)?
    };
    if samples.is_empty() {
        return Err(DataError::EmptyAudio {
            path: path.to_owned(),
        });
    }
    if rate == 0 {
        return Err(DataError::UnsupportedSampleRate {
            path: path.to_owned(),
            rate,
            reason: "the file declares a sample rate of 0 Hz".into(),
        });
    }
    Ok((samples, rate))
}

/// Whether the file starts with a RIFF/WAVE header.
fn is_riff_wave(path: &Path) -> Result<bool> {
    let mut file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let mut head = [0u8; 12];
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(DataError::io(path, e)),
        }
    }
    Ok(filled == 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WAVE")
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
