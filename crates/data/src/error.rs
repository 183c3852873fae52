//! The error type of `cochlea-data`.
//!
//! Every variant names the file at fault (and the 1-based line where the
//! problem is in a text file) and its message says what to do about it, so
//! that the binary can print it as is.

use std::path::PathBuf;

/// Everything that can go wrong while reading audio, labels or a dataset.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// Reading or writing a file failed at the operating-system level.
    #[error("I/O error on {}: {source} (check that the path exists and is readable/writable)", path.display())]
    Io {
        /// The file or folder being accessed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A folder a dataset needs does not exist.
    #[error(
        "dataset folder {} ({what}) does not exist: put a real dataset there, \
         or declare a synthetic dataset in the experiment config",
        path.display()
    )]
    MissingDatasetFolder {
        /// The folder that is missing.
        path: PathBuf,
        /// What the folder should hold, e.g. "Jamendo root" or "audio files".
        what: &'static str,
    },

    /// A dataset has no filelist for the requested split.
    #[error(
        "split '{split}' has no filelist {}: create it (one audio file name per line) \
         or use another split",
        path.display()
    )]
    MissingSplit {
        /// The filelist that was expected.
        path: PathBuf,
        /// The split's name.
        split: String,
    },

    /// A filelist names an audio file that is not there.
    #[error(
        "{}:{line}: audio file {} does not exist: add it or remove the line",
        filelist.display(),
        audio.display()
    )]
    MissingAudio {
        /// The filelist naming the file.
        filelist: PathBuf,
        /// 1-based line number in the filelist.
        line: usize,
        /// The audio path the line resolves to.
        audio: PathBuf,
    },

    /// The label file of a song named in a filelist is not there.
    #[error(
        "{}:{line}: label file {} does not exist: add the song's .lab file or remove the line",
        filelist.display(),
        labels.display()
    )]
    MissingLabels {
        /// The filelist naming the song.
        filelist: PathBuf,
        /// 1-based line number in the filelist.
        line: usize,
        /// The label file that was expected.
        labels: PathBuf,
    },

    /// A filelist names the same audio file twice.
    #[error(
        "{}:{line}: '{name}' is already listed on line {first_line}: remove the duplicate",
        filelist.display()
    )]
    DuplicateEntry {
        /// The filelist.
        filelist: PathBuf,
        /// 1-based line number of the repeated entry.
        line: usize,
        /// 1-based line number of its first occurrence.
        first_line: usize,
        /// The repeated entry.
        name: String,
    },

    /// An audio file decodes to zero samples.
    #[error("{} contains no audio samples: replace it or remove it from the dataset", path.display())]
    EmptyAudio {
        /// The audio file.
        path: PathBuf,
    },

    /// An audio file ends before its header says it should.
    #[error(
        "{} is truncated ({reason}): re-download or re-export the file",
        path.display()
    )]
    TruncatedAudio {
        /// The audio file.
        path: PathBuf,
        /// The decoder's explanation.
        reason: String,
    },

    /// An audio file cannot be decoded (unknown format, corrupt data).
    #[error(
        "{} cannot be decoded ({reason}): convert it to WAV, FLAC, OGG Vorbis or MP3, \
         or remove it from the dataset",
        path.display()
    )]
    UndecodableAudio {
        /// The audio file.
        path: PathBuf,
        /// The decoder's explanation.
        reason: String,
    },

    /// An audio file contains a NaN or infinite sample.
    #[error(
        "{} has a non-finite sample (NaN or infinity) at sample frame {index}, channel {channel}: \
         fix or replace the file",
        path.display()
    )]
    NonFiniteSample {
        /// The audio file.
        path: PathBuf,
        /// 0-based frame index (= index into the mono signal).
        index: usize,
        /// 0-based channel.
        channel: usize,
    },

    /// A sample rate that cannot be decoded or resampled.
    #[error(
        "{}: sample rate {rate} Hz is not supported ({reason}): convert the file \
         or choose another target sample rate",
        path.display()
    )]
    UnsupportedSampleRate {
        /// The audio file.
        path: PathBuf,
        /// The offending rate in Hz.
        rate: u32,
        /// Why it is not supported.
        reason: String,
    },

    /// The resampler failed for another reason.
    #[error("{}: resampling failed ({reason})", path.display())]
    Resample {
        /// The audio file.
        path: PathBuf,
        /// The resampler's explanation.
        reason: String,
    },

    /// A cache file exists but is not a valid waveform.
    #[error(
        "waveform cache file {} is invalid ({reason}): delete it so it is rebuilt",
        path.display()
    )]
    InvalidCache {
        /// The cache file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// A `.lab` line is not `start end label` with two finite, non-negative numbers.
    #[error(
        "{}:{line}: {reason}; expected `start end label` (seconds, seconds, sing|nosing)",
        path.display()
    )]
    LabMalformed {
        /// The label file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },

    /// A `.lab` segment ends before it starts.
    #[error(
        "{}:{line}: segment ends ({end} s) before it starts ({start} s): swap or fix the times",
        path.display()
    )]
    LabReversed {
        /// The label file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// Start time in seconds.
        start: f64,
        /// End time in seconds.
        end: f64,
    },

    /// Two `.lab` segments overlap in time.
    #[error(
        "{}:{line}: segment starting at {start} s overlaps the segment on line {other_line}, \
         which ends at {other_end} s: make the segments disjoint",
        path.display()
    )]
    LabOverlap {
        /// The label file.
        path: PathBuf,
        /// 1-based line number of the later-starting segment.
        line: usize,
        /// Its start time in seconds.
        start: f64,
        /// 1-based line number of the segment it overlaps.
        other_line: usize,
        /// The end time of that segment in seconds.
        other_end: f64,
    },

    /// A `.lab` label other than `sing` or `nosing`.
    #[error(
        "{}:{line}: unknown label '{label}': only `sing` and `nosing` are valid",
        path.display()
    )]
    LabUnknownLabel {
        /// The label file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The label found.
        label: String,
    },

    /// A declared synthetic dataset could not be generated or read.
    #[error(
        "could not generate the synthetic dataset in {}: {message}",
        root.display()
    )]
    SyntheticFailed {
        /// The dataset folder.
        root: PathBuf,
        /// What went wrong.
        message: String,
    },

    /// A non-empty folder declared synthetic has no `manifest.json`.
    #[error(
        "{} is not empty but holds no manifest.json, so it is not a synthetic dataset that \
         this cochlea generated: delete the folder to generate it again, or, for a real \
         dataset, remove [data.synthetic] from the config",
        root.display()
    )]
    SyntheticWithoutManifest {
        /// The dataset folder.
        root: PathBuf,
    },

    /// A generated folder was made with other settings than declared.
    #[error(
        "{} holds a synthetic dataset generated with {differences}, not what [data.synthetic] \
         declares: delete the folder to generate it again, or set data.root to another folder",
        root.display()
    )]
    SyntheticMismatch {
        /// The dataset folder.
        root: PathBuf,
        /// What differs, e.g. `seed 2 (data.synthetic.seed = 1)`.
        differences: String,
    },
}

/// `Result` with [`DataError`].
pub type Result<T> = std::result::Result<T, DataError>;

impl DataError {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DataError::Io {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file_and_line() {
        let e = DataError::LabUnknownLabel {
            path: "labels/song.lab".into(),
            line: 7,
            label: "voice".into(),
        };
        let msg = e.to_string();
        assert!(msg.starts_with("labels/song.lab:7:"), "{msg}");
        assert!(msg.contains("'voice'") && msg.contains("sing"), "{msg}");

        let e = DataError::MissingDatasetFolder {
            path: "datasets/jamendo".into(),
            what: "Jamendo root",
        };
        let msg = e.to_string();
        assert!(msg.contains("datasets/jamendo"), "{msg}");
        assert!(msg.contains("synthetic"), "{msg}");
    }

    #[test]
    fn io_error_keeps_its_source() {
        let e = DataError::io("x.wav", std::io::Error::other("boom"));
        assert!(std::error::Error::source(&e).is_some());
        assert!(e.to_string().contains("x.wav"));
    }
}
