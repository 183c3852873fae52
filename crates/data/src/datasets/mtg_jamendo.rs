//! MTG-Jamendo (Bogdanov et al., "The MTG-Jamendo dataset for automatic
//! music tagging", ICML 2019 ML4MD workshop), read from a checkout of
//! <https://github.com/MTG/mtg-jamendo-dataset> and its downloaded audio.
//!
//! ```text
//! <root>/data/splits/split-<N>/<prefix>-train.tsv        N = 0..=4
//! <root>/data/splits/split-<N>/<prefix>-validation.tsv
//! <root>/data/splits/split-<N>/<prefix>-test.tsv
//! <audio_dir>/<PATH>        e.g. 41/241.mp3 (full quality, `--type audio`)
//! <audio_dir>/<NN/ID>.low.mp3   the same track from `--type audio-low`
//! ```
//!
//! `<prefix>` is `autotagging_top50tags`, `autotagging_genre`,
//! `autotagging_instrument`, `autotagging_moodtheme` or `autotagging` (all
//! tags) for the subsets [`MtgJamendoSubset`] names. Each file is
//! tab-separated with the header `TRACK_ID ARTIST_ID ALBUM_ID PATH DURATION
//! TAGS`; a row has the five fields, then one field per tag (a variable
//! number; every row of the published files has at least one, and a row
//! without any, as a label-noise run writes for a track whose tags were all
//! dropped, is a track without tags, as `row[5:]` reads it), each `category---tag` with category `genre`,
//! `instrument` or `mood/theme` (the repository's `scripts/commons.py` reads
//! them with `csv.reader(delimiter='\t')`, `row[5:]` and
//! `tag_str.split('---')`). The files in the repository end their lines in
//! CRLF (they were written by Python's `csv.writer`); LF works too.
//!
//! The tag vocabulary is the sorted (byte order) set of the full
//! `category---tag` strings found in the subset's three files of the chosen
//! split, so e.g. all `genre---` tags come before `instrument---` and
//! `mood/theme---` ones. (The repository notes that every tag of a split
//! appears in all three of its files.)
//!
//! Audio: the download script unpacks tracks as `<output>/<NN>/<ID>.mp3`,
//! matching `PATH`; the low-quality download names them `<NN>/<ID>.low.mp3`
//! (`data/download/*_audio-low_sha256_tracks.txt`). A track's audio is
//! `<audio_dir>/<PATH>` if that file exists, else the `.low.mp3` file; it is
//! an error if neither exists. It is checked to exist, not decoded.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::delimited;
use super::tagged::{RowOrigin, SplitName, TaggedClip, TaggedDataset, resolve};
use crate::error::{DataError, Result};

/// The tag subsets of MTG-Jamendo that have split files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MtgJamendoSubset {
    /// The 50 most frequent tags (`autotagging_top50tags`).
    #[default]
    Top50,
    /// Genre tags (`autotagging_genre`).
    Genre,
    /// Instrument tags (`autotagging_instrument`).
    Instrument,
    /// Mood/theme tags (`autotagging_moodtheme`).
    MoodTheme,
    /// All tags (`autotagging`).
    All,
}

impl MtgJamendoSubset {
    /// The split files' name prefix, e.g. `autotagging_top50tags`.
    pub fn file_prefix(self) -> &'static str {
        match self {
            MtgJamendoSubset::Top50 => "autotagging_top50tags",
            MtgJamendoSubset::Genre => "autotagging_genre",
            MtgJamendoSubset::Instrument => "autotagging_instrument",
            MtgJamendoSubset::MoodTheme => "autotagging_moodtheme",
            MtgJamendoSubset::All => "autotagging",
        }
    }
}

/// `[data.mtg_jamendo]`: which split and subset, and where the audio is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MtgJamendoOptions {
    /// Which of the five published splits, `data/splits/split-<split>` (0..=4).
    #[serde(default)]
    pub split: u8,
    /// Which tag subset.
    #[serde(default)]
    pub subset: MtgJamendoSubset,
    /// The folder holding `00/` ... `99/` with the mp3 files, relative to
    /// the dataset root; `None`: the root itself.
    #[serde(default)]
    pub audio_dir: Option<PathBuf>,
}

const HEADER: [&str; 6] = [
    "TRACK_ID",
    "ARTIST_ID",
    "ALBUM_ID",
    "PATH",
    "DURATION",
    "TAGS",
];
/// The 0-based field of a row's first tag: fields before it are TRACK_ID,
/// ARTIST_ID, ALBUM_ID, PATH and DURATION.
pub(crate) const FIRST_TAG: usize = 5;
const LAYOUT: &str = "TRACK_ID, ARTIST_ID, ALBUM_ID, PATH, DURATION, then the tags, tab-separated";
const HEADER_HINT: &str = "MTG-Jamendo split files start with the header \
                           TRACK_ID ARTIST_ID ALBUM_ID PATH DURATION TAGS (tab-separated)";

/// The split files of `subset` in split `split` under `root`: (train,
/// validation, test).
pub fn split_files(root: &Path, split: u8, subset: MtgJamendoSubset) -> [PathBuf; 3] {
    let dir = root.join("data/splits").join(format!("split-{split}"));
    let prefix = subset.file_prefix();
    ["train", "validation", "test"].map(|s| dir.join(format!("{prefix}-{s}.tsv")))
}

/// A parsed row: the clip without its tag flags, and its tags.
struct Row {
    clip: TaggedClip,
    tags: Vec<String>,
}

/// Reads MTG-Jamendo under `root`; see the module documentation.
pub fn open(root: &Path, options: &MtgJamendoOptions) -> Result<TaggedDataset> {
    if options.split > 4 {
        return Err(DataError::InvalidDatasetOption {
            key: "[data.mtg_jamendo] split",
            value: options.split.to_string(),
            reason: "the dataset has splits 0 to 4".into(),
        });
    }
    let splits_dir = root.join("data/splits");
    if !splits_dir.is_dir() {
        return Err(DataError::MissingDatasetFolder {
            path: splits_dir,
            what: "MTG-Jamendo split files; the root must be a checkout of MTG/mtg-jamendo-dataset",
        });
    }
    let audio_dir = options
        .audio_dir
        .as_deref()
        .map_or_else(|| root.to_owned(), |d| resolve(root, d));
    let files = split_files(root, options.split, options.subset);
    let mut seen: HashMap<String, RowOrigin> = HashMap::new();
    let mut rows: Vec<(SplitName, Vec<Row>)> = Vec::new();
    for (split, path) in SplitName::ALL.into_iter().zip(&files) {
        rows.push((split, read_split_file(path, &audio_dir, &mut seen)?));
    }
    let vocabulary: BTreeSet<&str> = rows
        .iter()
        .flat_map(|(_, rs)| rs.iter().flat_map(|r| r.tags.iter().map(String::as_str)))
        .collect();
    let tags: Vec<String> = vocabulary.iter().map(|t| t.to_string()).collect();
    let index: HashMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let mut dataset = TaggedDataset {
        tags: tags.clone(),
        ..TaggedDataset::default()
    };
    for (split, split_rows) in rows {
        for Row {
            mut clip,
            tags: row_tags,
        } in split_rows
        {
            clip.tags = vec![false; tags.len()];
            for t in &row_tags {
                clip.tags[index[t.as_str()]] = true;
            }
            dataset.clips_mut(split).push(clip);
        }
    }
    Ok(dataset)
}

fn read_split_file(
    path: &Path,
    audio_dir: &Path,
    seen: &mut HashMap<String, RowOrigin>,
) -> Result<Vec<Row>> {
    let records = delimited::read_records(path, '\t')?;
    let Some((header, body)) = records.split_first() else {
        return Err(DataError::EmptyTable {
            path: path.to_owned(),
        });
    };
    for (i, name) in HEADER.iter().enumerate() {
        if header.fields.get(i).map(String::as_str) != Some(*name) {
            return Err(DataError::MissingColumn {
                path: path.to_owned(),
                column: (*name).into(),
                hint: HEADER_HINT,
            });
        }
    }
    let mut rows = Vec::with_capacity(body.len());
    for record in body {
        let (line, fields) = (record.line, &record.fields);
        if fields.len() < FIRST_TAG {
            return Err(DataError::TooFewFields {
                path: path.to_owned(),
                line,
                min: FIRST_TAG,
                found: fields.len(),
                hint: LAYOUT,
            });
        }
        for col in [0, 3] {
            if fields[col].trim().is_empty() {
                return Err(DataError::EmptyField {
                    path: path.to_owned(),
                    line,
                    column: HEADER[col].into(),
                    hint: LAYOUT,
                });
            }
        }
        let id = fields[0].trim().to_owned();
        let duration = fields[4].trim();
        if !duration
            .parse::<f64>()
            .is_ok_and(|d| d.is_finite() && d >= 0.0)
        {
            return Err(DataError::BadDuration {
                path: path.to_owned(),
                line,
                value: duration.to_owned(),
            });
        }
        let mut tags = Vec::with_capacity(fields.len() - FIRST_TAG);
        for (i, tag) in fields.iter().enumerate().skip(FIRST_TAG) {
            let tag = tag.trim();
            match tag.split_once("---") {
                Some((category, name)) if !category.is_empty() && !name.is_empty() => {
                    tags.push(tag.to_owned())
                }
                _ => {
                    return Err(DataError::BadTag {
                        path: path.to_owned(),
                        line,
                        column: i + 1,
                        tag: tag.to_owned(),
                    });
                }
            }
        }
        let origin = RowOrigin {
            file: path.to_owned(),
            line,
        };
        if let Some(first) = seen.get(&id) {
            return Err(DataError::DuplicateRow {
                path: path.to_owned(),
                line,
                key: id,
                first_path: first.file.clone(),
                first_line: first.line,
            });
        }
        seen.insert(id.clone(), origin.clone());
        let audio = find_audio(path, line, audio_dir, fields[3].trim())?;
        rows.push(Row {
            clip: TaggedClip {
                group: id.clone(),
                id,
                audio,
                tags: Vec::new(),
                origin,
            },
            tags,
        });
    }
    Ok(rows)
}

/// `<audio_dir>/<PATH>`, or else its low-quality `.low.mp3` sibling.
fn find_audio(table: &Path, line: usize, audio_dir: &Path, path: &str) -> Result<PathBuf> {
    let audio = audio_dir.join(path);
    if audio.is_file() {
        return Ok(audio);
    }
    let low = audio_dir.join(low_quality_name(path));
    if low.is_file() {
        return Ok(low);
    }
    Err(DataError::MissingTrackAudio {
        table: table.to_owned(),
        line,
        audio,
        low,
    })
}

/// `41/241.mp3` → `41/241.low.mp3`.
fn low_quality_name(path: &str) -> String {
    match path.strip_suffix(".mp3") {
        Some(stem) => format!("{stem}.low.mp3"),
        None => format!("{path}.low.mp3"),
    }
}

#[cfg(test)]
mod tests;
