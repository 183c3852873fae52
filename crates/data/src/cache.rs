//! Loading audio through an on-disk cache of decoded, resampled waveforms.
//!
//! [`AudioLoader::load`] decodes a file ([`crate::decode`]), resamples it to
//! the loader's rate ([`crate::resample`]) and stores the mono samples as raw
//! little-endian `f32` in `<cache_dir>/<hex>-<sample_rate>.f32`, then maps
//! that file ([`Waveform`]). The samples stream from the file into the cache
//! a block at a time ([`AudioStream`]), so a long recording never sits in
//! memory whole. The next load of the same content at the same
//! rate maps the existing file without decoding.
//!
//! The key `<hex>` is the BLAKE3 hash of the file's bytes, computed in
//! BLAKE3's key-derivation mode with the context string [`CACHE_CONTEXT`],
//! which carries a version: it changes whenever decoding or resampling would
//! produce different numbers, so stale caches are never read. Because the
//! key is the content, renaming or moving a file keeps its cache entry and
//! editing a file invalidates it. The file is hashed on every load (BLAKE3
//! runs at several GB/s).
//!
//! Writes are atomic: the samples go to a uniquely named temporary file in
//! the cache folder, are flushed to disk (`fsync`), and the file is renamed
//! onto the final name. Concurrent loaders of the same file (threads or
//! processes) each write identical bytes and the last rename wins; readers
//! never see a partial file. A cache file that is not a positive multiple of
//! 4 bytes long is rebuilt.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::atomic::write_atomically;
use crate::audio_stream::AudioStream;
use crate::error::{DataError, Result};
use crate::sample_source::SampleSource;
use crate::waveform::Waveform;

/// BLAKE3 key-derivation context of the cache key; bump the version when the
/// decoded or resampled numbers change.
pub const CACHE_CONTEXT: &str = "cochlea-data 2025 waveform cache v1";

/// Loads audio files as mono waveforms at `sample_rate`, caching them in
/// `cache_dir` (created on first use).
#[derive(Clone, Debug)]
pub struct AudioLoader {
    /// Target sample rate in Hz.
    pub sample_rate: u32,
    /// Folder holding the `.f32` cache files.
    pub cache_dir: PathBuf,
}

impl AudioLoader {
    /// A loader resampling to `sample_rate` Hz, caching in `cache_dir`.
    pub fn new(sample_rate: u32, cache_dir: impl Into<PathBuf>) -> Self {
        AudioLoader {
            sample_rate,
            cache_dir: cache_dir.into(),
        }
    }

    /// The cache file `load(path)` uses; hashes the file's content.
    pub fn cache_path(&self, path: &Path) -> Result<PathBuf> {
        let file = File::open(path).map_err(|e| DataError::io(path, e))?;
        let mut hasher = blake3::Hasher::new_derive_key(CACHE_CONTEXT);
        hasher
            .update_reader(file)
            .map_err(|e| DataError::io(path, e))?;
        let hex = hasher.finalize().to_hex();
        Ok(self
            .cache_dir
            .join(format!("{hex}-{}.f32", self.sample_rate)))
    }

    /// Decodes, downmixes and resamples `path` (or maps its cached result).
    ///
    /// Errors: everything [`crate::decode_file`] and [`crate::resample()`] report, plus
    /// [`DataError::EmptyAudio`] if resampling leaves no sample and
    /// [`DataError::Io`] naming the cache folder if it cannot be written.
    pub fn load(&self, path: &Path) -> Result<Waveform> {
        if self.sample_rate == 0 {
            return Err(DataError::UnsupportedSampleRate {
                path: path.to_owned(),
                rate: 0,
                reason: "the loader's target sample rate is 0 Hz".into(),
            });
        }
        let cache = self.cache_path(path)?;
        match File::open(&cache) {
            Ok(file) => match Waveform::from_file(&file, &cache, self.sample_rate) {
                Ok(w) => return Ok(w),
                Err(DataError::InvalidCache { .. }) => {} // rebuild below
                Err(e) => return Err(e),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(DataError::io(&cache, e)),
        }
        let mut stream = AudioStream::open(path, self.sample_rate)?;
        std::fs::create_dir_all(&self.cache_dir).map_err(|e| DataError::io(&self.cache_dir, e))?;
        // A decoding error stops the write (which then leaves no file) and is
        // reported as itself rather than as the write's I/O error.
        let mut failure = None;
        let written = write_atomically(&cache, |f| {
            let mut block = Vec::new();
            loop {
                block.clear();
                match stream.read(&mut block) {
                    Ok(more) => {
                        f.write_all(bytemuck::cast_slice(&block))?;
                        if !more {
                            return Ok(());
                        }
                    }
                    Err(e) => {
                        failure = Some(e);
                        return Err(std::io::Error::other("the audio could not be decoded"));
                    }
                }
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        written.map_err(|e| DataError::io(&cache, e))?;
        let file = File::open(&cache).map_err(|e| DataError::io(&cache, e))?;
        Waveform::from_file(&file, &cache, self.sample_rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::TestDir;

    fn tempdir(tag: &str) -> TestDir {
        TestDir::new(&format!("cache-{tag}"))
    }

    fn write_wav(path: &Path, rate: u32, samples: &[i16]) {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for &s in samples {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn second_load_maps_the_same_single_cache_file() {
        let dir = tempdir("twice");
        let wav = dir.join("a.wav");
        write_wav(&wav, 8000, &[0, 8192, -16384, 32767]);
        let loader = AudioLoader::new(8000, dir.join("cache"));
        let a = loader.load(&wav).unwrap();
        let b = loader.load(&wav).unwrap();
        assert_eq!(a.samples(), [0.0, 0.25, -0.5, 32767.0 / 32768.0]);
        assert_eq!(a.samples(), b.samples());
        assert_eq!(a.cache_path(), b.cache_path());
        let files = files_in(&dir.join("cache"));
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0].ends_with("-8000.f32"), "{files:?}");
        assert_eq!(files[0].len(), 64 + "-8000.f32".len());
        // Raw little-endian f32 on disk.
        let raw = std::fs::read(a.cache_path()).unwrap();
        assert_eq!(raw[4..8], 0.25f32.to_le_bytes());
    }

    #[test]
    fn a_hit_does_not_decode() {
        let dir = tempdir("hit");
        let wav = dir.join("a.wav");
        write_wav(&wav, 8000, &[100; 10]);
        let loader = AudioLoader::new(8000, dir.join("cache"));
        let key = loader.cache_path(&wav).unwrap();
        std::fs::create_dir_all(key.parent().unwrap()).unwrap();
        // Plant a cache entry the decoder could never produce.
        let planted: Vec<u8> = [7.0f32, 8.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(&key, planted).unwrap();
        assert_eq!(loader.load(&wav).unwrap().samples(), [7.0, 8.0]);
        // A corrupt entry is rebuilt from the audio.
        std::fs::write(&key, [1u8, 2, 3]).unwrap();
        let w = loader.load(&wav).unwrap();
        assert_eq!(w.len(), 10);
        assert_eq!(w.samples()[0], 100.0 / 32768.0);
    }

    #[test]
    fn changed_content_gets_a_new_key_and_same_content_shares_it() {
        let dir = tempdir("change");
        let wav = dir.join("a.wav");
        let loader = AudioLoader::new(8000, dir.join("cache"));
        write_wav(&wav, 8000, &[1000; 4]);
        let first = loader.load(&wav).unwrap();
        write_wav(&wav, 8000, &[2000; 4]);
        let second = loader.load(&wav).unwrap();
        assert_ne!(first.cache_path(), second.cache_path());
        assert_eq!(second.samples(), [2000.0 / 32768.0; 4]);
        assert_eq!(first.samples(), [1000.0 / 32768.0; 4]);
        // A copy under another name hits the same entry.
        let copy = dir.join("copy.wav");
        std::fs::copy(&wav, &copy).unwrap();
        assert_eq!(
            loader.load(&copy).unwrap().cache_path(),
            second.cache_path()
        );
        // A different target rate is a different entry.
        let other = AudioLoader::new(16000, dir.join("cache"));
        let up = other.load(&wav).unwrap();
        assert!(up.cache_path().to_str().unwrap().ends_with("-16000.f32"));
        assert_eq!(files_in(&dir.join("cache")).len(), 3);
    }

    #[test]
    fn loads_resampled_audio() {
        let dir = tempdir("resample");
        let wav = dir.join("a.wav");
        let x: Vec<i16> = (0..8000)
            .map(|i| {
                (10000.0 * (2.0 * std::f64::consts::PI * 200.0 * i as f64 / 8000.0).sin()) as i16
            })
            .collect();
        write_wav(&wav, 8000, &x);
        let w = AudioLoader::new(22050, dir.join("c")).load(&wav).unwrap();
        assert_eq!(w.sample_rate(), 22050);
        assert_eq!(w.len(), 22050);
        assert!((w.duration_seconds() - 1.0).abs() < 1e-12);
        // Sample 11025 is t = 0.5 s: sin(2*pi*100) = 0.
        assert!(w.samples()[11025].abs() < 0.01);
        // t = 0.50125 s: a quarter period of 200 Hz later, the peak.
        let quarter = 11025 + 22050 / 800;
        let want = 10000.0 / 32768.0
            * (2.0 * std::f64::consts::PI * 200.0 * quarter as f64 / 22050.0).sin();
        assert!((f64::from(w.samples()[quarter]) - want).abs() < 0.01);
    }

    #[test]
    fn errors_are_passed_on() {
        let dir = tempdir("errors");
        let loader = AudioLoader::new(8000, dir.join("cache"));
        let err = loader.load(&dir.join("missing.wav")).unwrap_err();
        assert!(matches!(err, DataError::Io { .. }), "{err}");
        let wav = dir.join("empty.wav");
        write_wav(&wav, 8000, &[]);
        let err = loader.load(&wav).unwrap_err();
        assert!(matches!(err, DataError::EmptyAudio { .. }), "{err}");
        // One sample at 48 kHz is no sample at 8 kHz.
        let wav = dir.join("one.wav");
        write_wav(&wav, 48000, &[5]);
        let err = loader.load(&wav).unwrap_err();
        assert!(matches!(err, DataError::EmptyAudio { .. }), "{err}");
        let err = AudioLoader::new(0, dir.join("cache"))
            .load(&wav)
            .unwrap_err();
        assert!(
            matches!(err, DataError::UnsupportedSampleRate { rate: 0, .. }),
            "{err}"
        );
        // No cache file and no temporary file was left behind.
        let left = if dir.join("cache").exists() {
            files_in(&dir.join("cache"))
        } else {
            vec![]
        };
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn concurrent_loads_agree() {
        let dir = tempdir("threads");
        let wav = dir.join("a.wav");
        write_wav(&wav, 16000, &[300; 4000]);
        let loader = AudioLoader::new(8000, dir.join("cache"));
        let lens: Vec<usize> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| loader.load(&wav).unwrap().len()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(lens, vec![2000; 4]);
        assert_eq!(files_in(&dir.join("cache")).len(), 1);
    }
}
