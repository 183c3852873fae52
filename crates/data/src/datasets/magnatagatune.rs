//! MagnaTagATune (MTAT; Law et al., "Evaluation of algorithms using games:
//! the case of music tagging", ISMIR 2009), read from its own
//! `annotations_final.csv` as distributed by the MIRG of City, University of
//! London (<https://mirg.city.ac.uk/codeapps/the-magnatagatune-dataset>).
//!
//! ```text
//! <root>/annotations_final.csv    one header line, one row per clip
//! <audio_dir>/<mp3_path>          e.g. f/american_bach_soloists-...-30-59.mp3
//! ```
//!
//! **The file.** Despite its name it is TAB-separated; every field, header
//! included, is wrapped in double quotes; lines end in CRLF. The header is
//! `clip_id`, 188 tag columns (`no voice`, `singer`, `duet`, `plucking`,
//! `hard rock`, ...) and `mp3_path`; tag values are `0`/`1`. Sources: the
//! Theano-era `read_annotations_final()` reader that splits each line on TAB
//! after cutting its last two characters (`line[:-2]`, i.e. `\r\n`), `eval`s
//! each header token and strips one `"` from both ends of each value, then
//! asserts 190 fields, 25,863 rows and that every `mp3_path` ends in `.mp3`;
//! musicnn-training's `create_MagnaTT_class_gt.py` (`csv.reader(...,
//! delimiter='\t', quotechar='"')`); the tag list of keunwoochoi/
//! magnatagatune-list. Columns are found by name, so the reader does not
//! depend on there being exactly 188 tags. No row has an empty `mp3_path`
//! (musicnn-training `aux/mtt/index_MAGNA.tsv`, which lists `clip_id` and
//! `mp3_path` of all 25,863 rows); an empty one is an error here.
//!
//! **What the reader does.** The tag vocabulary is the `top_tags` tag
//! columns with the largest column sums over all rows, in descending order
//! of the sum; equal sums keep the column order of the file (the order of
//! Lee et al.'s `top50_tags.txt`, which lists `female voice` before `metal`
//! where musicnn's reversed `argsort` lists them the other way round). Clips
//! with none of those tags are dropped, and so are the three clips whose mp3
//! is a zero-byte file in the distributed archive
//! ([`KNOWN_EMPTY_AUDIO`]; musicnn-training `partition_gt.py` drops clip ids
//! 35644, 55753 and 57881, and many guides tell users to delete the files).
//! The split is the common one by the first folder of `mp3_path`: `0`–`b`
//! train, `c` valid, `d`–`f` test (Dieleman & Schrauwen 2014; musicnn;
//! Lee et al. 2017). Each kept clip's audio file must exist (it is not
//! decoded).
//!
//! **Clip counts of the real file.** 25,863 clips in all; by folder 18,709
//! (0–b) / 1,825 (c) / 5,329 (d–f) (counted from `index_MAGNA.tsv` above).
//! With at least one top-50 tag, 1,529 valid and 4,332 test clips (counted
//! in musicnn-training's `val_gt_mtt.tsv`/`test_gt_mtt.tsv`, which keep
//! every clip of those folders); the train count was not available to count
//! (its file is not in the stored snapshot). The split of Lee et al.
//! (jongpillee/music_dataset_split `MTAT_split`, also used by Won et al.,
//! "Evaluation of CNN-based automatic music tagging models", SMC 2020) has
//! 15,244 / 1,529 / 4,332 clips (counted in its `*_list_pub.cP` lists, all
//! train clips in folders 0–b, valid in c, test in d–f); besides the top-50
//! filter it drops clips shorter than 29.1 s, so this reader's train split
//! can be slightly larger.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::delimited::{self, Record};
use super::tagged::{RowOrigin, SplitName, TaggedClip, TaggedDataset, resolve};
use crate::error::{DataError, Result};

/// The `mp3_path`s of the three clips whose mp3 file is zero bytes long in
/// the distributed archive (clip ids 35644, 55753, 57881); they are left out.
pub const KNOWN_EMPTY_AUDIO: [&str; 3] = [
    "6/norine_braun-now_and_zen-08-gently-117-146.mp3",
    "8/jacob_heringman-josquin_des_prez_lute_settings-19-gintzler__pater_noster-204-233.mp3",
    "9/american_baroque-dances_and_suites_of_rameau_and_couperin-25-le_petit_rien_xiveme_ordre_couperin-88-117.mp3",
];

/// `[data.magnatagatune]`: where the files are and how many tags to keep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MagnaTagATuneOptions {
    /// The annotations file, relative to the dataset root.
    #[serde(default = "default_annotations")]
    pub annotations: PathBuf,
    /// The folder holding `0/` ... `f/`, relative to the dataset root;
    /// `None`: the root itself.
    #[serde(default)]
    pub audio_dir: Option<PathBuf>,
    /// How many of the most frequent tags to keep (50 in most papers).
    #[serde(default = "default_top_tags")]
    pub top_tags: usize,
}

fn default_annotations() -> PathBuf {
    PathBuf::from("annotations_final.csv")
}

fn default_top_tags() -> usize {
    50
}

impl Default for MagnaTagATuneOptions {
    fn default() -> Self {
        MagnaTagATuneOptions {
            annotations: default_annotations(),
            audio_dir: None,
            top_tags: default_top_tags(),
        }
    }
}

const HINT: &str =
    "use the original annotations_final.csv (tab-separated, clip_id first, mp3_path last)";

/// One parsed row of the annotations file.
struct Row {
    line: usize,
    id: String,
    mp3_path: String,
    split: SplitName,
    flags: Vec<bool>,
}

/// Reads MagnaTagATune under `root`; see the module documentation.
pub fn open(root: &Path, options: &MagnaTagATuneOptions) -> Result<TaggedDataset> {
    if options.top_tags == 0 {
        return Err(DataError::InvalidDatasetOption {
            key: "[data.magnatagatune] top_tags",
            value: "0".into(),
            reason: "keep at least one tag".into(),
        });
    }
    let path = resolve(root, &options.annotations);
    let audio_dir = options
        .audio_dir
        .as_deref()
        .map_or_else(|| root.to_owned(), |d| resolve(root, d));
    let records = delimited::read_records(&path, '\t')?;
    let Some((header, body)) = records.split_first() else {
        return Err(DataError::EmptyTable { path });
    };
    delimited::check_unique_header(&path, &header.fields)?;
    let column = |name: &str| {
        header
            .fields
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| DataError::MissingColumn {
                path: path.clone(),
                column: name.into(),
                hint: HINT,
            })
    };
    let id_col = column("clip_id")?;
    let mp3_col = column("mp3_path")?;
    let tag_cols: Vec<usize> = (0..header.fields.len())
        .filter(|&i| i != id_col && i != mp3_col)
        .collect();
    if options.top_tags > tag_cols.len() {
        return Err(DataError::InvalidDatasetOption {
            key: "[data.magnatagatune] top_tags",
            value: options.top_tags.to_string(),
            reason: format!("{} has only {} tag columns", path.display(), tag_cols.len()),
        });
    }

    let mut rows = Vec::with_capacity(body.len());
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for record in body {
        let row = parse_row(&path, header, record, id_col, mp3_col, &tag_cols)?;
        if let Some(&first_line) = seen.get(record.fields[id_col].as_str()) {
            return Err(DataError::DuplicateRow {
                path: path.clone(),
                line: row.line,
                key: row.id,
                first_path: path.clone(),
                first_line,
            });
        }
        seen.insert(&record.fields[id_col], row.line);
        rows.push(row);
    }

    // Column sums over every row; rank by (sum descending, column order).
    let mut sums = vec![0usize; tag_cols.len()];
    for row in &rows {
        for (sum, &flag) in sums.iter_mut().zip(&row.flags) {
            *sum += usize::from(flag);
        }
    }
    let mut order: Vec<usize> = (0..tag_cols.len()).collect();
    order.sort_by_key(|&t| (std::cmp::Reverse(sums[t]), t));
    order.truncate(options.top_tags);

    let mut dataset = TaggedDataset {
        tags: order
            .iter()
            .map(|&t| header.fields[tag_cols[t]].clone())
            .collect(),
        ..TaggedDataset::default()
    };
    for row in rows {
        let tags: Vec<bool> = order.iter().map(|&t| row.flags[t]).collect();
        if !tags.iter().any(|&t| t) || KNOWN_EMPTY_AUDIO.contains(&row.mp3_path.as_str()) {
            continue;
        }
        let audio = audio_dir.join(&row.mp3_path);
        if !audio.is_file() {
            return Err(DataError::MissingAudio {
                filelist: path,
                line: row.line,
                audio,
            });
        }
        dataset.clips_mut(row.split).push(TaggedClip {
            group: track_of(&row.mp3_path).unwrap_or(&row.id).to_owned(),
            id: row.id,
            audio,
            tags,
            origin: RowOrigin {
                file: path.clone(),
                line: row.line,
            },
        });
    }
    Ok(dataset)
}

fn parse_row(
    path: &Path,
    header: &Record,
    record: &Record,
    id_col: usize,
    mp3_col: usize,
    tag_cols: &[usize],
) -> Result<Row> {
    let line = record.line;
    let fields = &record.fields;
    if fields.len() != header.fields.len() {
        return Err(DataError::FieldCount {
            path: path.to_owned(),
            line,
            expected: header.fields.len(),
            found: fields.len(),
        });
    }
    let nonempty = |col: usize| {
        let value = fields[col].trim();
        if value.is_empty() {
            Err(DataError::EmptyField {
                path: path.to_owned(),
                line,
                column: header.fields[col].clone(),
                hint: HINT,
            })
        } else {
            Ok(value.to_owned())
        }
    };
    let id = nonempty(id_col)?;
    let mp3_path = nonempty(mp3_col)?;
    let split = folder_split(&mp3_path).ok_or_else(|| DataError::BadMtatFolder {
        path: path.to_owned(),
        line,
        mp3_path: mp3_path.clone(),
    })?;
    let flags = tag_cols
        .iter()
        .map(|&c| match fields[c].trim() {
            "0" => Ok(false),
            "1" => Ok(true),
            other => Err(DataError::BadTagValue {
                path: path.to_owned(),
                line,
                column: header.fields[c].clone(),
                value: other.to_owned(),
            }),
        })
        .collect::<Result<Vec<bool>>>()?;
    Ok(Row {
        line,
        id,
        mp3_path,
        split,
        flags,
    })
}

/// The track a clip was cut from: its `mp3_path` without the extension and
/// the `-<start>-<end>` seconds that end every MTAT file name
/// (`f/artist-album-01-title-30-59.mp3` → `f/artist-album-01-title`), so
/// that the clips of one track form one unit; `None` for a name without
/// that suffix.
fn track_of(mp3_path: &str) -> Option<&str> {
    let stem = mp3_path.rsplit_once('.').map_or(mp3_path, |(stem, _)| stem);
    let (rest, end) = stem.rsplit_once('-')?;
    let (track, start) = rest.rsplit_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(start) && digits(end) && !track.is_empty()).then_some(track)
}

/// The split of an `mp3_path` by its first folder: `0`–`b` train, `c` valid,
/// `d`–`f` test; `None` for anything else.
fn folder_split(mp3_path: &str) -> Option<SplitName> {
    let (folder, rest) = mp3_path.split_once('/')?;
    if rest.is_empty() {
        return None;
    }
    match folder {
        "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "a" | "b" => {
            Some(SplitName::Train)
        }
        "c" => Some(SplitName::Valid),
        "d" | "e" | "f" => Some(SplitName::Test),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
