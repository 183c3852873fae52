//! Every format but plain RIFF/WAVE PCM, through `symphonia`'s probe (MP3,
//! OGG Vorbis, FLAC, MKV, and WAVE variants hound does not read), decoded a
//! packet at a time ([`SymphoniaStream`]).
//!
//! A header that promises more sample frames than decode (a FLAC
//! STREAMINFO count, a WAV data length) is [`DataError::TruncatedAudio`];
//! MPEG audio without a Xing/Info/VBRI header carries only a bitrate
//! estimate of its length, so it is not checked. A packet that fails to
//! decode is skipped unless more than 1% fail ([`DataError::UndecodableAudio`]);
//! chained OGG streams and streams that change rate or channels are rejected;
//! a file in which no packet decodes is [`DataError::EmptyAudio`]. These
//! checks need the whole stream, so they are made when it ends.

use std::fs::File;
use std::path::{Path, PathBuf};

use symphonia::core::codecs::audio::well_known::{CODEC_ID_MP1, CODEC_ID_MP2, CODEC_ID_MP3};
use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::downmix::Downmix;
use crate::error::{DataError, Result};

/// A file symphonia decodes, downmixed to mono, a packet at a time.
pub(super) struct SymphoniaStream {
    path: PathBuf,
    format: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    /// Sample frames the header promises, where that is exact.
    promised: Option<u64>,
    /// Set by the first decoded packet.
    mix: Option<Downmix>,
    rate: u32,
    interleaved: Vec<f32>,
    packets: usize,
    failed: usize,
    first_failure: String,
    /// Mono samples of the first packet, decoded when the file was opened
    /// (to learn its rate), not yet handed out.
    first: Vec<f32>,
    done: bool,
}

impl SymphoniaStream {
    /// Probes `path` and decodes up to its first audio packet.
    pub(super) fn open(path: &Path) -> Result<Self> {
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
        let format = symphonia::default::get_probe()
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
        let decoder = symphonia::default::get_codecs()
            .make_audio_decoder(params, &AudioDecoderOptions::default())
            .map_err(|e| undecodable(format!("unsupported codec: {e}")))?;
        let mut stream = Self {
            path: path.to_owned(),
            format,
            decoder,
            track_id,
            promised,
            mix: None,
            rate: 0,
            interleaved: Vec::new(),
            packets: 0,
            failed: 0,
            first_failure: String::new(),
            first: Vec::new(),
            done: false,
        };
        let mut first = Vec::new();
        while stream.mix.is_none() && stream.read_packet(&mut first)? {}
        stream.first = first;
        Ok(stream)
    }

    /// Sample rate in Hz (of the first decoded packet).
    pub(super) fn sample_rate(&self) -> u32 {
        self.rate
    }

    /// Mono frames the header promises, where that is exact.
    pub(super) fn promised_frames(&self) -> Option<u64> {
        self.promised
    }

    /// Appends the next packet's mono samples to `out`; `Ok(false)` at the
    /// end of the stream (after its checks).
    pub(super) fn read(&mut self, out: &mut Vec<f32>) -> Result<bool> {
        if !self.first.is_empty() {
            out.append(&mut self.first);
            return Ok(true);
        }
        self.read_packet(out)
    }

    /// Decodes the next packet of the track into `out` (nothing for a
    /// packet that fails); `Ok(false)` at the end of the stream.
    fn read_packet(&mut self, out: &mut Vec<f32>) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        let path = self.path.as_path();
        let undecodable = |reason: String| DataError::UndecodableAudio {
            path: path.to_owned(),
            reason,
        };
        let packet = match self.format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => {
                self.done = true;
                self.finish()?;
                return Ok(false);
            }
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
        if packet.track_id != self.track_id {
            return Ok(true);
        }
        self.packets += 1;
        let buf = match self.decoder.decode(&packet) {
            Ok(buf) => buf,
            Err(e @ (SymError::DecodeError(_) | SymError::IoError(_))) => {
                if self.failed == 0 {
                    self.first_failure = e.to_string();
                }
                self.failed += 1;
                return Ok(true);
            }
            Err(e) => return Err(undecodable(e.to_string())),
        };
        let spec = buf.spec();
        let channels = spec.channels().count();
        if channels == 0 {
            return Err(undecodable("the decoder reports 0 channels".into()));
        }
        let mix = match &mut self.mix {
            Some(m) => {
                if spec.rate() != self.rate || channels != m.channels() {
                    return Err(undecodable(format!(
                        "the stream changes from {} Hz, {} channels to {} Hz, \
                         {channels} channels; split it into separate files",
                        self.rate,
                        m.channels(),
                        spec.rate()
                    )));
                }
                m
            }
            None => {
                self.rate = spec.rate();
                self.mix.insert(Downmix::new(path, channels))
            }
        };
        buf.copy_to_vec_interleaved(&mut self.interleaved);
        for &s in &self.interleaved {
            mix.push(s, out)?;
        }
        Ok(true)
    }

    /// The checks that need the whole stream.
    fn finish(&self) -> Result<()> {
        let path = &self.path;
        if self.failed > 0 && (self.failed * 100 > self.packets || self.mix.is_none()) {
            return Err(DataError::UndecodableAudio {
                path: path.clone(),
                reason: format!(
                    "{} of {} packets failed to decode, the first with: {}",
                    self.failed, self.packets, self.first_failure
                ),
            });
        }
        // No mix: not one packet of the audio track decoded (and none failed,
        // see above), so the file holds no audio.
        let decoded = self.mix.as_ref().map_or(0, Downmix::frames);
        if let Some(n) = self.promised
            && (decoded as u64) < n
        {
            return Err(DataError::TruncatedAudio {
                path: path.clone(),
                reason: format!(
                    "the header promises {n} sample frames but only {decoded} could be decoded; \
                     the file is cut short or has corrupt frames"
                ),
            });
        }
        if decoded == 0 {
            return Err(DataError::EmptyAudio { path: path.clone() });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::super::decode_file;
    use super::super::testing::{f64_wav, fixture, tempdir};
    use super::*;

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
    fn a_file_in_which_no_packet_decodes_is_empty_audio() {
        // A 64-bit float WAVE (which symphonia reads) whose data chunk is empty.
        let dir = tempdir("nopackets");
        let path = dir.join("none.wav");
        std::fs::write(&path, f64_wav(1, 1000, &[])).unwrap();
        let err = SymphoniaStream::open(&path).err().unwrap();
        assert!(
            matches!(&err, DataError::EmptyAudio { path: p } if p == &path),
            "{err}"
        );
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
