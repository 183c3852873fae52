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

    // ---- Tagging dataset tables (datasets::{magnatagatune, mtg_jamendo, tag_table}) ----
    /// A table file is not valid UTF-8.
    #[error(
        "{}:{line}: the file is not valid UTF-8 text: re-save it as UTF-8",
        path.display()
    )]
    TableNotUtf8 {
        /// The table.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
    },

    /// A quoted field of a CSV/TSV table is malformed.
    #[error("{}:{line}: column {column}: {reason}", path.display())]
    TableQuote {
        /// The table.
        path: PathBuf,
        /// 1-based line where the problem is.
        line: usize,
        /// 1-based field number.
        column: usize,
        /// What is wrong and how to fix it.
        reason: &'static str,
    },

    /// A table has no header line.
    #[error(
        "{} is empty: it needs a header line naming the columns, then one row per clip",
        path.display()
    )]
    EmptyTable {
        /// The table.
        path: PathBuf,
    },

    /// A column the reader needs is not in the table's header.
    #[error("{}:1: the header has no column '{column}': {hint}", path.display())]
    MissingColumn {
        /// The table.
        path: PathBuf,
        /// The column that is missing.
        column: String,
        /// What to do.
        hint: &'static str,
    },

    /// A table's header names the same column twice.
    #[error(
        "{}:1: the header names column '{column}' twice (columns {first} and {second}): rename one",
        path.display()
    )]
    DuplicateColumn {
        /// The table.
        path: PathBuf,
        /// The repeated name.
        column: String,
        /// 1-based number of its first occurrence.
        first: usize,
        /// 1-based number of its second occurrence.
        second: usize,
    },

    /// A row has a different number of fields than the header.
    #[error(
        "{}:{line}: the row has {found} fields but the header (line 1) has {expected}: \
         check the delimiter and the quoting of this row",
        path.display()
    )]
    FieldCount {
        /// The table.
        path: PathBuf,
        /// 1-based line of the row.
        line: usize,
        /// The header's field count.
        expected: usize,
        /// The row's field count.
        found: usize,
    },

    /// A row has fewer fields than the format needs.
    #[error(
        "{}:{line}: the row has {found} fields, expected at least {min} ({hint})",
        path.display()
    )]
    TooFewFields {
        /// The table.
        path: PathBuf,
        /// 1-based line of the row.
        line: usize,
        /// The minimum field count.
        min: usize,
        /// The row's field count.
        found: usize,
        /// The expected layout.
        hint: &'static str,
    },

    /// A field that must not be empty is empty.
    #[error("{}:{line}: column '{column}' is empty: {hint}", path.display())]
    EmptyField {
        /// The table.
        path: PathBuf,
        /// 1-based line of the row.
        line: usize,
        /// The column's name.
        column: String,
        /// What to do.
        hint: &'static str,
    },

    /// A 0/1 tag column holds something else.
    #[error(
        "{}:{line}: column '{column}': '{value}' is not a tag flag: write 0 or 1",
        path.display()
    )]
    BadTagValue {
        /// The table.
        path: PathBuf,
        /// 1-based line of the row.
        line: usize,
        /// The tag column's name.
        column: String,
        /// The value found.
        value: String,
    },

    /// A MagnaTagATune `mp3_path` does not start with one of the folders `0`–`f`.
    #[error(
        "{}:{line}: mp3_path '{mp3_path}' is not in one of the folders 0-9, a-f that decide \
         the split: use the original annotations_final.csv",
        path.display()
    )]
    BadMtatFolder {
        /// The annotations file.
        path: PathBuf,
        /// 1-based line of the row.
        line: usize,
        /// The `mp3_path` value.
        mp3_path: String,
    },

    /// An MTG-Jamendo `DURATION` field is not a finite, non-negative number.
    #[error(
        "{}:{line}: DURATION '{value}' is not a number of seconds: use the split files \
         of the MTG/mtg-jamendo-dataset repository as they are",
        path.display()
    )]
    BadDuration {
        /// The split file.
        path: PathBuf,
        /// 1-based line of the row.
        line: usize,
        /// The value found.
        value: String,
    },

    /// An MTG-Jamendo tag field is not `category---tag`.
    #[error(
        "{}:{line}: field {column}: tag '{tag}' is not of the form `category---tag` \
         (e.g. `genre---rock`): fix the tag or remove the field",
        path.display()
    )]
    BadTag {
        /// The split file.
        path: PathBuf,
        /// 1-based line of the row.
        line: usize,
        /// 1-based field number.
        column: usize,
        /// The field found.
        tag: String,
    },

    /// A clip/track/entry is listed twice.
    #[error(
        "{}:{line}: '{key}' is already listed at {}:{first_line}: remove one of the two",
        path.display(),
        first_path.display()
    )]
    DuplicateRow {
        /// The file with the repeated entry.
        path: PathBuf,
        /// 1-based line of the repeated entry.
        line: usize,
        /// The repeated id or path.
        key: String,
        /// The file with the first occurrence.
        first_path: PathBuf,
        /// 1-based line of the first occurrence.
        first_line: usize,
    },

    /// Neither the full-quality nor the low-quality MTG-Jamendo audio file exists.
    #[error(
        "{}:{line}: neither {} nor {} exists: download the audio (scripts/download/download.py, \
         audio or audio-low) or set [data.mtg_jamendo] audio_dir to the folder holding 00/ to 99/",
        table.display(),
        audio.display(),
        low.display()
    )]
    MissingTrackAudio {
        /// The split file naming the track.
        table: PathBuf,
        /// 1-based line of the row.
        line: usize,
        /// The full-quality path (`<audio_dir>/<PATH>`).
        audio: PathBuf,
        /// The low-quality path (`<audio_dir>/<PATH stem>.low.mp3`).
        low: PathBuf,
    },

    /// A split column holds something other than train/valid/test.
    #[error(
        "{}:{line}: column '{column}': unknown split '{value}': write train, valid \
         (or validation, val) or test",
        path.display()
    )]
    UnknownSplitValue {
        /// The table.
        path: PathBuf,
        /// 1-based line of the row.
        line: usize,
        /// The split column's name.
        column: String,
        /// The value found.
        value: String,
    },

    /// A split file names a track that is not in the table.
    #[error(
        "{}:{line}: '{entry}' is neither a path nor an id in {}: fix the entry or add the track to the table",
        path.display(),
        table.display()
    )]
    UnknownSplitEntry {
        /// The split file.
        path: PathBuf,
        /// 1-based line of the entry.
        line: usize,
        /// The entry.
        entry: String,
        /// The table the entry was looked up in.
        table: PathBuf,
    },

    /// The delimiter of a table cannot be told from its file name.
    #[error(
        "cannot tell the delimiter of {} from its extension: name it .csv or .tsv, \
         or set delimiter = \"comma\" or \"tab\" in [data.tag_table]",
        path.display()
    )]
    UnknownDelimiter {
        /// The table.
        path: PathBuf,
    },

    /// A table yields no tag at all.
    #[error("{} has no tags ({reason}): add tag columns or tags", path.display())]
    NoTags {
        /// The table.
        path: PathBuf,
        /// Why.
        reason: &'static str,
    },

    /// A dataset option in the experiment config is out of range.
    #[error("experiment config key {key} = {value}: {reason}")]
    InvalidDatasetOption {
        /// The key, e.g. `[data.mtg_jamendo] split`.
        key: &'static str,
        /// The value given.
        value: String,
        /// What is allowed.
        reason: String,
    },

    /// A tagging task was given a singing-voice layout.
    #[error(
        "data.layout = \"{layout}\" holds no tags: use \"magnatagatune\", \"mtg-jamendo\" \
         or \"tag-table\" for tagging"
    )]
    NotATaggingLayout {
        /// The layout given.
        layout: &'static str,
    },

    /// `[label_noise]` does not fit the dataset (it names a tag the dataset
    /// lacks, or the corrupted labels cannot be written back); the message
    /// names the key or file and what to do.
    #[error("{message}")]
    LabelNoise {
        /// The whole message.
        message: String,
    },

    /// A clip is shorter than `data.min_clip_seconds`.
    #[error(
        "{} (listed in {listed_in}) is {seconds:.2} s long, shorter than data.min_clip_seconds = {min}",
        audio.display()
    )]
    ClipTooShort {
        /// The audio file.
        audio: PathBuf,
        /// `table:line`.
        listed_in: String,
        /// Its length.
        seconds: f64,
        /// The minimum.
        min: f64,
    },

    /// A clip listed in a tag table could not be read.
    #[error(
        "clip listed in {listed_in}: {message} (set data.skip_unreadable = true to skip such \
         clips; the run lists them in skipped-files.tsv)"
    )]
    UnreadableClip {
        /// `table:line`.
        listed_in: String,
        /// The decoding error, naming the file.
        message: String,
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
