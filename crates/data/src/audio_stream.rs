//! An audio file as a stream of mono samples at a target rate: decoded a
//! packet at a time ([`crate::decode::Decoder`]: downmixed to mono),
//! resampled a block at a time ([`crate::resample::Resampler`]), so that a
//! recording of any length is read in bounded memory. The samples are those
//! [`crate::AudioLoader::load`] caches, bit for bit (the loader writes its
//! cache from this stream).

use std::path::{Path, PathBuf};

use crate::decode::Decoder;
use crate::error::{DataError, Result};
use crate::resample::Resampler;
use crate::sample_source::SampleSource;

/// An audio file decoded, downmixed and resampled on the fly.
pub struct AudioStream {
    path: PathBuf,
    decoder: Decoder,
    /// Taken when the decoder ends and the resampler is flushed.
    resampler: Option<Resampler>,
    block: Vec<f32>,
    sample_rate: u32,
    produced: u64,
}

impl AudioStream {
    /// Opens `path` for reading at `sample_rate` Hz.
    ///
    /// Errors: those of [`Decoder::open`] and [`Resampler::new`].
    pub fn open(path: &Path, sample_rate: u32) -> Result<Self> {
        if sample_rate == 0 {
            return Err(DataError::UnsupportedSampleRate {
                path: path.to_owned(),
                rate: 0,
                reason: "the target sample rate is 0 Hz".into(),
            });
        }
        let decoder = Decoder::open(path)?;
        let resampler = Resampler::new(decoder.sample_rate(), sample_rate, path)?;
        Ok(Self {
            path: path.to_owned(),
            decoder,
            resampler: Some(resampler),
            block: Vec::new(),
            sample_rate,
            produced: 0,
        })
    }

    /// The file's own sample rate in Hz.
    pub fn source_rate(&self) -> u32 {
        self.decoder.sample_rate()
    }

    /// The file read.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl SampleSource for AudioStream {
    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Errors: those of [`Decoder::read`], and [`DataError::EmptyAudio`]
    /// when resampling leaves no sample.
    fn read(&mut self, out: &mut Vec<f32>) -> Result<bool> {
        let Some(resampler) = self.resampler.as_mut() else {
            return Ok(false);
        };
        let before = out.len();
        self.block.clear();
        let more = self.decoder.read(&mut self.block)?;
        resampler.push(&self.block, out)?;
        if !more && let Some(resampler) = self.resampler.take() {
            resampler.finish(out)?;
        }
        self.produced += (out.len() - before) as u64;
        if !more && self.produced == 0 {
            return Err(DataError::EmptyAudio {
                path: self.path.clone(),
            });
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_file;
    use crate::resample::resample;
    use crate::sample_source::read_all;
    use crate::testdir::TestDir;

    fn fixture(name: &str) -> PathBuf {
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/audio"
        ))
        .join(name)
    }

    #[test]
    fn the_stream_is_the_whole_file_decoded_and_resampled() {
        for name in [
            "tone_440hz_44100_stereo.ogg",
            "tone_660hz_16000_mono.flac",
            "tone_1000hz_22050_mono.mp3",
        ] {
            let path = fixture(name);
            let (x, rate) = decode_file(&path).unwrap();
            for target in [22050, 16000, rate] {
                let whole = resample(&x, rate, target, &path).unwrap();
                let mut stream = AudioStream::open(&path, target).unwrap();
                assert_eq!(stream.source_rate(), rate);
                assert_eq!(
                    read_all(&mut stream).unwrap(),
                    whole,
                    "{name} at {target} Hz"
                );
            }
        }
    }

    #[test]
    fn a_long_stereo_wav_streams_in_many_blocks() {
        let dir = TestDir::new("audio-stream-wav");
        let path = dir.join("long.wav");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 44100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for i in 0..200_000i32 {
            w.write_sample(((i * 37) % 20_000 - 10_000) as i16).unwrap();
            w.write_sample(((i * 11) % 30_000 - 15_000) as i16).unwrap();
        }
        w.finalize().unwrap();
        let (x, rate) = decode_file(&path).unwrap();
        assert_eq!((x.len(), rate), (200_000, 44100));
        let whole = resample(&x, rate, 22050, &path).unwrap();
        let mut stream = AudioStream::open(&path, 22050).unwrap();
        let mut blocks = 0;
        let mut streamed = Vec::new();
        while stream.read(&mut streamed).unwrap() {
            blocks += 1;
        }
        assert!(blocks > 3, "{blocks} blocks");
        assert_eq!(streamed, whole);
    }

    #[test]
    fn errors_name_the_file() {
        let dir = TestDir::new("audio-stream-errors");
        let path = dir.join("bad.mp3");
        std::fs::write(&path, b"not audio").unwrap();
        let err = AudioStream::open(&path, 22050).err().unwrap();
        assert!(
            matches!(&err, DataError::UndecodableAudio { path: p, .. } if p == &path),
            "{err}"
        );
        let err = AudioStream::open(&fixture("tone_660hz_16000_mono.flac"), 0)
            .err()
            .unwrap();
        assert!(
            matches!(err, DataError::UnsupportedSampleRate { rate: 0, .. }),
            "{err}"
        );
    }
}
