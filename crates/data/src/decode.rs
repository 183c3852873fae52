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

use std::fs::File;
use std::io::Read;
use std::path::Path;

use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::codecs::audio::well_known::{CODEC_ID_MP1, CODEC_ID_MP2, CODEC_ID_MP3};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

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

/// Whether an I/O error from hound means "the file ended early": hound
/// reports a short read as `ErrorKind::Other` with this message.
fn is_eof(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::UnexpectedEof
        || (e.kind() == std::io::ErrorKind::Other
            && e.to_string() == "Failed to read enough bytes.")
}

/// Averages interleaved frames into mono, checking every sample is finite.
struct Downmix<'a> {
    path: &'a Path,
    channels: usize,
    out: Vec<f32>,
    acc: f64,
    channel: usize,
}

impl<'a> Downmix<'a> {
    fn new(path: &'a Path, channels: usize, capacity: usize) -> Self {
        Downmix {
            path,
            channels,
            out: Vec::with_capacity(capacity),
            acc: 0.0,
            channel: 0,
        }
    }

    #[inline]
    fn push(&mut self, sample: f32) -> Result<()> {
        if !sample.is_finite() {
            return Err(DataError::NonFiniteSample {
                path: self.path.to_owned(),
                index: self.out.len(),
                channel: self.channel,
            });
        }
        self.acc += f64::from(sample);
        self.channel += 1;
        if self.channel == self.channels {
            self.out.push((self.acc / self.channels as f64) as f32);
            self.acc = 0.0;
            self.channel = 0;
        }
        Ok(())
    }

    /// Whether the last frame is incomplete.
    fn partial(&self) -> bool {
        self.channel != 0
    }
}

/// What hound made of a RIFF/WAVE file.
enum Wav {
    /// Mono samples and sample rate.
    Decoded(Vec<f32>, u32),
    /// hound does not read this variant (with its reason).
    NotForHound(String),
}

/// Decodes a RIFF/WAVE file with hound.
fn decode_wav(path: &Path) -> Result<Wav> {
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
    let mut mix = Downmix::new(path, channels, promised / channels);
    let read_error = |e: hound::Error, read: usize| match e {
        hound::Error::IoError(e) if is_eof(&e) => truncated(format!(
            "the header promises {promised} samples but the data ends after {read}"
        )),
        hound::Error::IoError(e) => DataError::io(path, e),
        e => undecodable(format!("invalid WAV data: {e}")),
    };
    match spec.sample_format {
        hound::SampleFormat::Int => {
            if !(1..=32).contains(&spec.bits_per_sample) {
                return not_for_hound(format!("{}-bit integer samples", spec.bits_per_sample));
            }
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f64;
            for (i, s) in reader.into_samples::<i32>().enumerate() {
                let s = s.map_err(|e| read_error(e, i))?;
                mix.push((f64::from(s) * scale) as f32)?;
            }
        }
        hound::SampleFormat::Float => {
            if spec.bits_per_sample != 32 {
                return not_for_hound(format!("{}-bit float samples", spec.bits_per_sample));
            }
            for (i, s) in reader.into_samples::<f32>().enumerate() {
                let s = s.map_err(|e| read_error(e, i))?;
                mix.push(s)?;
            }
        }
    }
    if mix.partial() {
        return Err(truncated(format!(
            "the data ends in the middle of a {channels}-channel frame"
        )));
    }
    Ok(Wav::Decoded(mix.out, spec.sample_rate))
}

/// Decodes anything symphonia can probe.
fn decode_symphonia(path: &Path) -> Result<(Vec<f32>, u32)> {
    let undecodable = |reason: String| DataError::UndecodableAudio {
        path: path.to_owned(),
        reason,
    };
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| match e {
            SymError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                DataError::TruncatedAudio {
                    path: path.to_owned(),
                    reason: format!("the file ends while its headers are read: {e}"),
                }
            }
            e => undecodable(format!("unrecognised format: {e}")),
        })?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| undecodable("the file has no audio track".into()))?;
    let track_id = track.id;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| undecodable("the audio track has no codec parameters".into()))?;
    // MPEG audio without a Xing/Info/VBRI header has only a bitrate estimate.
    let promised = track
        .num_frames
        .filter(|_| ![CODEC_ID_MP1, CODEC_ID_MP2, CODEC_ID_MP3].contains(&params.codec));
    let declared_rate = params.sample_rate;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(params, &AudioDecoderOptions::default())
        .map_err(|e| undecodable(format!("unsupported codec: {e}")))?;

    let mut mix: Option<Downmix<'_>> = None;
    let mut rate = 0u32;
    let mut interleaved: Vec<f32> = Vec::new();
    let mut packets = 0usize;
    let mut failed = 0usize;
    let mut first_failure = String::new();
    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Err(DataError::TruncatedAudio {
                    path: path.to_owned(),
                    reason: format!("the stream ends unexpectedly: {e}"),
                });
            }
            Err(SymError::IoError(e)) => return Err(DataError::io(path, e)),
            Err(SymError::ResetRequired) => {
                return Err(undecodable(
                    "chained streams are not supported; re-encode it as a single stream".into(),
                ));
            }
            Err(e) => return Err(undecodable(e.to_string())),
        };
        if packet.track_id != track_id {
            continue;
        }
        packets += 1;
        let buf = match decoder.decode(&packet) {
            Ok(buf) => buf,
            Err(e @ (SymError::DecodeError(_) | SymError::IoError(_))) => {
                if failed == 0 {
                    first_failure = e.to_string();
                }
                failed += 1;
                continue;
            }
            Err(e) => return Err(undecodable(e.to_string())),
        };
        let spec = buf.spec();
        let channels = spec.channels().count();
        if channels == 0 {
            return Err(undecodable("the decoder reports 0 channels".into()));
        }
        let mix = match &mut mix {
            Some(m) => {
                if spec.rate() != rate || channels != m.channels {
                    return Err(undecodable(format!(
                        "the stream changes from {rate} Hz, {} channels to {} Hz, \
                         {channels} channels; split it into separate files",
                        m.channels,
                        spec.rate()
                    )));
                }
                m
            }
            None => {
                rate = spec.rate();
                let capacity = promised.unwrap_or(0).min(1 << 28) as usize;
                mix.insert(Downmix::new(path, channels, capacity))
            }
        };
        buf.copy_to_vec_interleaved(&mut interleaved);
        for &s in &interleaved {
            mix.push(s)?;
        }
    }
    if failed > 0 && (failed * 100 > packets || mix.is_none()) {
        return Err(undecodable(format!(
            "{failed} of {packets} packets failed to decode, the first with: {first_failure}"
        )));
    }
    let samples = mix.map(|m| m.out).unwrap_or_default();
    if let Some(n) = promised
        && (samples.len() as u64) < n
    {
        return Err(DataError::TruncatedAudio {
            path: path.to_owned(),
            reason: format!(
                "the header promises {n} sample frames but only {} could be decoded; \
                 the file is cut short or has corrupt frames",
                samples.len()
            ),
        });
    }
    if samples.is_empty() {
        rate = declared_rate.unwrap_or(0);
    }
    Ok((samples, rate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::TestDir;
    use std::f64::consts::PI;
    use std::path::PathBuf;

    fn fixture(name: &str) -> PathBuf {
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/audio"
        ))
        .join(name)
    }

    fn tempdir(tag: &str) -> TestDir {
        TestDir::new(&format!("decode-{tag}"))
    }

    fn write_wav<S: hound::Sample + Copy>(path: &Path, spec: hound::WavSpec, samples: &[S]) {
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for &s in samples {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
    }

    fn spec(channels: u16, bits: u16, format: hound::SampleFormat) -> hound::WavSpec {
        hound::WavSpec {
            channels,
            sample_rate: 8000,
            bits_per_sample: bits,
            sample_format: format,
        }
    }

    /// Amplitude of the component at `freq` Hz (projection on sin and cos).
    fn amplitude_at(x: &[f32], rate: u32, freq: f64) -> f64 {
        let (mut s, mut c) = (0.0, 0.0);
        for (i, &v) in x.iter().enumerate() {
            let ph = 2.0 * PI * freq * i as f64 / f64::from(rate);
            s += f64::from(v) * ph.sin();
            c += f64::from(v) * ph.cos();
        }
        2.0 * (s * s + c * c).sqrt() / x.len() as f64
    }

    fn dominant_frequency(x: &[f32], rate: u32) -> f64 {
        (10..=400)
            .map(|k| f64::from(k) * 5.0)
            .max_by(|a, b| amplitude_at(x, rate, *a).total_cmp(&amplitude_at(x, rate, *b)))
            .unwrap()
    }

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
    fn wav_hound_cannot_read_goes_through_symphonia() {
        // 64-bit float PCM, stereo, 1000 Hz: hound parses the header but
        // cannot read the samples.
        let data = [0.5f64, -0.5, 0.25, 0.75, 1.0, 0.0];
        let mut wav = Vec::new();
        let data_len = (data.len() * 8) as u32;
        wav.extend_from_slice(b"RIFF");
        wav.extend_from_slice(&(36 + data_len).to_le_bytes());
        wav.extend_from_slice(b"WAVEfmt ");
        wav.extend_from_slice(&16u32.to_le_bytes());
        wav.extend_from_slice(&3u16.to_le_bytes()); // IEEE float
        wav.extend_from_slice(&2u16.to_le_bytes()); // channels
        wav.extend_from_slice(&1000u32.to_le_bytes()); // rate
        wav.extend_from_slice(&16000u32.to_le_bytes()); // byte rate
        wav.extend_from_slice(&16u16.to_le_bytes()); // block align
        wav.extend_from_slice(&64u16.to_le_bytes()); // bits
        wav.extend_from_slice(b"data");
        wav.extend_from_slice(&data_len.to_le_bytes());
        for v in data {
            wav.extend_from_slice(&v.to_le_bytes());
        }
        let dir = tempdir("f64");
        let path = dir.join("f64.wav");
        std::fs::write(&path, &wav).unwrap();
        let (x, rate) = decode_file(&path).unwrap();
        assert_eq!(rate, 1000);
        assert_eq!(x, vec![0.0, 0.5, 0.5]);
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

    #[test]
    fn nan_and_inf_samples_are_errors_with_their_index() {
        let dir = tempdir("nan");
        let path = dir.join("n.wav");
        // stereo frames: (0,0) (0.5,0.5) (0.1, NaN)
        let data = [0.0f32, 0.0, 0.5, 0.5, 0.1, f32::NAN];
        write_wav(&path, spec(2, 32, hound::SampleFormat::Float), &data);
        let err = decode_file(&path).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::NonFiniteSample {
                    index: 2,
                    channel: 1,
                    ..
                }
            ),
            "{err}"
        );
        let data = [0.0f32, f32::NEG_INFINITY];
        write_wav(&path, spec(1, 32, hound::SampleFormat::Float), &data);
        let err = decode_file(&path).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::NonFiniteSample {
                    index: 1,
                    channel: 0,
                    ..
                }
            ),
            "{err}"
        );
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

    #[test]
    fn cut_or_corrupt_compressed_files_are_errors() {
        let dir = tempdir("cutcompressed");
        for name in ["tone_440hz_44100_stereo.ogg", "tone_660hz_16000_mono.flac"] {
            let bytes = std::fs::read(fixture(name)).unwrap();
            for keep in [bytes.len() / 10, bytes.len() / 2, bytes.len() - 1] {
                let path = dir.join(format!("cut{keep}-{name}"));
                std::fs::write(&path, &bytes[..keep]).unwrap();
                let err = decode_file(&path).unwrap_err();
                assert!(
                    matches!(&err, DataError::TruncatedAudio { path: p, .. } if p == &path),
                    "{name} cut to {keep} bytes: {err}"
                );
            }
            let mut corrupt = bytes.clone();
            let mid = corrupt.len() / 2;
            corrupt[mid..mid + 200].iter_mut().for_each(|b| *b ^= 0x5a);
            let path = dir.join(format!("corrupt-{name}"));
            std::fs::write(&path, &corrupt).unwrap();
            let err = decode_file(&path).unwrap_err();
            assert!(
                matches!(
                    err,
                    DataError::TruncatedAudio { .. } | DataError::UndecodableAudio { .. }
                ),
                "{name} corrupt: {err}"
            );
        }
    }

    #[test]
    fn ogg_vorbis_stereo_fixture() {
        let (x, rate) = decode_file(&fixture("tone_440hz_44100_stereo.ogg")).unwrap();
        assert_eq!(rate, 44100);
        assert_eq!(x.len(), 44100, "Vorbis is gapless: exactly 1 s");
        let mid = &x[4410..x.len() - 4410];
        assert_eq!(dominant_frequency(mid, rate), 440.0);
        let a = amplitude_at(mid, rate, 440.0);
        assert!((a - 0.5).abs() < 0.02, "amplitude {a}");
    }

    #[test]
    fn mp3_fixture() {
        let (x, rate) = decode_file(&fixture("tone_1000hz_22050_mono.mp3")).unwrap();
        assert_eq!(rate, 22050);
        // 1 s plus encoder delay and padding: sox writes no LAME/Xing
        // gapless tag, so the decoder cannot trim them (23616 samples).
        assert!(x.len().abs_diff(22050) <= 2 * 1152, "{} samples", x.len());
        let mid = &x[2205..x.len() - 2205];
        assert_eq!(dominant_frequency(mid, rate), 1000.0);
        let a = amplitude_at(mid, rate, 1000.0);
        assert!((a - 0.5).abs() < 0.05, "amplitude {a}");
    }

    #[test]
    fn flac_fixture() {
        let (x, rate) = decode_file(&fixture("tone_660hz_16000_mono.flac")).unwrap();
        assert_eq!(rate, 16000);
        assert_eq!(x.len(), 8000);
        assert_eq!(dominant_frequency(&x, rate), 660.0);
        let a = amplitude_at(&x, rate, 660.0);
        assert!((a - 0.5).abs() < 0.01, "amplitude {a}");
        // FLAC is lossless: the signal is the 16-bit-quantised sine itself,
        // up to the unknown starting phase.
        let peak = x.iter().fold(0f32, |m, v| m.max(v.abs()));
        assert!((peak - 0.5).abs() < 1e-2, "peak {peak}");
    }
}
