//! A decoded, resampled mono waveform, memory-mapped from its cache file.
//!
//! The samples are never copied into the heap: the file is mapped read-only
//! and viewed as `&[f32]`, so a dataset larger than RAM keeps the process's
//! resident memory bounded (the OS pages mapped files in and out). The cache
//! file holds raw little-endian `f32` samples; cache files are only ever
//! replaced by an atomic rename, never modified in place, which is what makes
//! mapping them sound.
//!
//! A consumer that streams through a long waveform once reads it with
//! [`Waveform::reader`] instead: plain file reads a block at a time, which
//! leave the process's resident memory at one block (mapped pages, once
//! touched, count as resident until the map is dropped).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use memmap2::Mmap;

use crate::error::{DataError, Result};
use crate::sample_source::SampleSource;

#[cfg(target_endian = "big")]
compile_error!("cochlea-data maps little-endian f32 cache files and needs a little-endian target");

/// Mono `f32` samples at a known sample rate, backed by a memory-mapped
/// cache file. Never empty. `Send + Sync`; wrap it in an `Arc` to share it.
#[derive(Debug)]
pub struct Waveform {
    map: Mmap,
    sample_rate: u32,
    path: PathBuf,
}

impl Waveform {
    /// Maps an open cache file. Fails with [`DataError::InvalidCache`] if it
    /// is empty or its length is not a whole number of `f32`s.
    pub(crate) fn from_file(file: &File, path: &Path, sample_rate: u32) -> Result<Self> {
        let invalid = |reason: String| DataError::InvalidCache {
            path: path.to_owned(),
            reason,
        };
        let len = file.metadata().map_err(|e| DataError::io(path, e))?.len();
        if len == 0 || len % 4 != 0 {
            return Err(invalid(format!(
                "{len} bytes is not a positive multiple of 4"
            )));
        }
        // SAFETY: cache files are written once to a temporary name and
        // renamed into place, never modified afterwards (see cache.rs), so
        // the mapped bytes do not change while the map lives. Deleting or
        // replacing the file by rename keeps the old inode alive.
        let map = unsafe { Mmap::map(file) }.map_err(|e| DataError::io(path, e))?;
        // The map is page-aligned, so this only fails on a short map.
        bytemuck::try_cast_slice::<u8, f32>(&map)
            .map_err(|e| invalid(format!("cannot view as f32: {e}")))?;
        Ok(Waveform {
            map,
            sample_rate,
            path: path.to_owned(),
        })
    }

    /// The mono samples.
    pub fn samples(&self) -> &[f32] {
        // Checked in `from_file`: length is a positive multiple of 4 and the
        // map is page-aligned, so the cast cannot fail.
        bytemuck::cast_slice(&self.map)
    }

    /// Number of samples (always at least 1).
    pub fn len(&self) -> usize {
        self.map.len() / 4
    }

    /// Always `false`: empty audio is rejected when loading.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Sample rate in Hz.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Duration in seconds, `len / sample_rate`.
    pub fn duration_seconds(&self) -> f64 {
        self.len() as f64 / f64::from(self.sample_rate)
    }

    /// The cache file the samples are mapped from.
    pub fn cache_path(&self) -> &Path {
        &self.path
    }
}

impl Waveform {
    /// The samples as a stream read from the cache file, a block at a time.
    pub fn reader(&self) -> Result<WaveformReader> {
        let file = File::open(&self.path).map_err(|e| DataError::io(&self.path, e))?;
        Ok(WaveformReader {
            file,
            path: self.path.clone(),
            sample_rate: self.sample_rate,
            left: self.len(),
            bytes: Vec::new(),
        })
    }
}

/// Samples read per [`WaveformReader`] block.
const READ_BLOCK: usize = 1 << 16;

/// A cached waveform read through its file ([`Waveform::reader`]).
pub struct WaveformReader {
    file: File,
    path: PathBuf,
    sample_rate: u32,
    /// Samples not yet read (the length the waveform was mapped with).
    left: usize,
    bytes: Vec<u8>,
}

impl SampleSource for WaveformReader {
    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    fn read(&mut self, out: &mut Vec<f32>) -> Result<bool> {
        if self.left == 0 {
            return Ok(false);
        }
        let n = READ_BLOCK.min(self.left);
        self.bytes.resize(4 * n, 0);
        self.file
            .read_exact(&mut self.bytes)
            .map_err(|e| DataError::io(&self.path, e))?;
        out.extend(
            self.bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
        self.left -= n;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn is_send_and_sync() {
        assert_send_sync::<Waveform>();
    }

    #[test]
    fn maps_little_endian_f32() {
        let dir = crate::testdir::TestDir::new("waveform");
        let path = dir.join("w.f32");
        let want = [0.5f32, -1.25, 3.0e-8];
        let bytes: Vec<u8> = want.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(&path, &bytes).unwrap();
        let w = Waveform::from_file(&File::open(&path).unwrap(), &path, 4).unwrap();
        assert_eq!(w.samples(), want);
        assert_eq!(w.len(), 3);
        assert!(!w.is_empty());
        assert_eq!(w.sample_rate(), 4);
        assert_eq!(w.duration_seconds(), 0.75);
        assert_eq!(w.cache_path(), path);
        let mut reader = w.reader().unwrap();
        assert_eq!(crate::sample_source::read_all(&mut reader).unwrap(), want);

        for bad in [&bytes[..0], &bytes[..5]] {
            std::fs::write(&path, bad).unwrap();
            let err = Waveform::from_file(&File::open(&path).unwrap(), &path, 4).unwrap_err();
            assert!(matches!(err, DataError::InvalidCache { .. }), "{err}");
        }
    }
}
