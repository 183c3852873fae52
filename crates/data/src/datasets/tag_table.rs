//! A generic tag table for the user's own data: one CSV or TSV row per audio
//! file, with its tags and its split.
//!
//! ```toml
//! [data.tag_table]
//! table = "tags.csv"          # relative to the dataset root; default "tags.csv"
//! delimiter = "auto"          # auto (from the extension: .csv comma, .tsv/.tab tab) | comma | tab
//! path_column = "path"        # audio path, relative to audio_dir (default: the root) or absolute
//! id_column = "clip"          # optional; without it a clip's id is its path as written
//! group_column = "track"      # optional: clips of one track are one unit when `compare`
//!                             # resamples the test set; without it each clip is its own
//! audio_dir = "audio"         # optional
//!
//! [data.tag_table.tags]       # one 0/1 column per tag (the default) ...
//! format = "columns"
//! columns = ["rock", "guitar"]    # omit: every column except the path, id and split columns
//!
//! # ... or one column listing the tags, e.g. `tags = "rock;guitar"`:
//! # [data.tag_table.tags]
//! # format = "list"
//! # column = "tags"           # default "tags"
//! # separator = ";"           # default ";"
//!
//! [data.tag_table.split]      # a split column (the default) ...
//! from = "column"
//! column = "split"            # values train, valid (or validation, val), test; any case
//!
//! # ... or split files, one path or id per line:
//! # [data.tag_table.split]
//! # from = "files"
//! # train = "splits/train.txt"
//! # valid = "splits/valid.txt"    # optional
//! # test = "splits/test.txt"      # optional
//! ```
//!
//! The table is read as RFC 4180 CSV (or the same with TAB): double-quoted
//! fields may hold the delimiter, line breaks and doubled quotes; a UTF-8
//! byte-order mark and CRLF line ends are accepted; blank lines are skipped;
//! header names and values are trimmed. Every row needs as many fields as
//! the header, a non-empty path (and id), unique paths and ids.
//!
//! Tags: with `format = "columns"` the vocabulary is the listed columns in
//! the given order (or all remaining columns in header order), each value
//! `0` or `1`; with `format = "list"` it is the sorted (byte order) set of
//! all tags in the list column, a row's tags being the non-empty pieces
//! between separators (an empty field: no tag).
//!
//! Splits: with a split column every row is in the split its value names;
//! with split files a file entry names a row by its path (as written in the
//! table) or else by its id; naming no row, or a row already named (in the
//! same or another split file), is an error, and rows that no split file
//! names are left out. Clips keep the table's row order in each split. Each
//! kept clip's audio file must exist (it is not decoded).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::delimited::{self, Record};
use super::tagged::{RowOrigin, SplitName, TaggedClip, TaggedDataset, resolve};
use crate::error::{DataError, Result};

mod options;
pub use options::{Delimiter, SplitSource, TagSource, TagTableOptions};

const COLUMN_HINT: &str = "add the column, or name the right one in [data.tag_table]";

/// One parsed row.
struct Row {
    line: usize,
    id: String,
    group: Option<String>,
    path: String,
    tags: Vec<String>,
    split: Option<SplitName>,
}

/// Reads the tag table under `root`; see the module documentation.
pub fn open(root: &Path, options: &TagTableOptions) -> Result<TaggedDataset> {
    let path = resolve(root, &options.table);
    let delimiter = delimiter_of(&path, options.delimiter)?;
    if let TagSource::List { separator, .. } = &options.tags
        && separator.is_empty()
    {
        return Err(DataError::InvalidDatasetOption {
            key: "[data.tag_table.tags] separator",
            value: "\"\"".into(),
            reason: "the separator between tags must not be empty".into(),
        });
    }
    let mut records = delimited::read_records(&path, delimiter)?;
    for r in &mut records {
        for f in &mut r.fields {
            *f = f.trim().to_owned();
        }
    }
    let Some((header, body)) = records.split_first() else {
        return Err(DataError::EmptyTable { path });
    };
    delimited::check_unique_header(&path, &header.fields)?;
    let columns = Columns::new(&path, header, options)?;
    let (vocabulary, rows) = read_rows(&path, header, body, &columns, options)?;
    if vocabulary.is_empty() {
        let reason = match options.tags {
            TagSource::Columns { .. } => "no tag columns besides the path, id and split columns",
            TagSource::List { .. } => "the tag list column is empty in every row",
        };
        return Err(DataError::NoTags { path, reason });
    }
    let splits = match &options.split {
        SplitSource::Column { .. } => rows.iter().map(|r| r.split).collect(),
        SplitSource::Files { train, valid, test } => super::split_files::assign(
            root,
            &path,
            &rows_keys(&rows),
            [Some(train), valid.as_ref(), test.as_ref()],
        )?,
    };
    let audio_dir = options
        .audio_dir
        .as_deref()
        .map_or_else(|| root.to_owned(), |d| resolve(root, d));
    let index: HashMap<&str, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let mut dataset = TaggedDataset {
        tags: vocabulary.clone(),
        ..TaggedDataset::default()
    };
    for (row, split) in rows.into_iter().zip(splits) {
        let Some(split) = split else { continue };
        let audio = resolve(&audio_dir, Path::new(&row.path));
        if !audio.is_file() {
            return Err(DataError::MissingAudio {
                filelist: path,
                line: row.line,
                audio,
            });
        }
        let mut tags = vec![false; vocabulary.len()];
        for t in &row.tags {
            tags[index[t.as_str()]] = true;
        }
        dataset.clips_mut(split).push(TaggedClip {
            group: row.group.unwrap_or_else(|| row.id.clone()),
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

/// The field separator of the table at `path` under the `delimiter` option.
pub(crate) fn delimiter_of(path: &Path, delimiter: Delimiter) -> Result<char> {
    match delimiter {
        Delimiter::Comma => Ok(','),
        Delimiter::Tab => Ok('\t'),
        Delimiter::Auto => match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Ok(','),
            Some("tsv" | "tab") => Ok('\t'),
            _ => Err(DataError::UnknownDelimiter {
                path: path.to_owned(),
            }),
        },
    }
}

/// (path, id) of each row, for split-file look-ups.
fn rows_keys(rows: &[Row]) -> Vec<(&str, &str)> {
    rows.iter()
        .map(|r| (r.path.as_str(), r.id.as_str()))
        .collect()
}

/// The header positions of the columns the options name.
struct Columns {
    path: usize,
    id: Option<usize>,
    group: Option<usize>,
    split: Option<usize>,
    /// 0/1 tag columns (`format = "columns"`), in vocabulary order.
    binary: Vec<usize>,
    /// The tag list column (`format = "list"`).
    list: Option<usize>,
}

impl Columns {
    fn new(path: &Path, header: &Record, options: &TagTableOptions) -> Result<Self> {
        let find =
            |name: &str| {
                header.fields.iter().position(|c| c == name).ok_or_else(|| {
                    DataError::MissingColumn {
                        path: path.to_owned(),
                        column: name.into(),
                        hint: COLUMN_HINT,
                    }
                })
            };
        let path_col = find(&options.path_column)?;
        let id = options.id_column.as_deref().map(find).transpose()?;
        let group = options.group_column.as_deref().map(find).transpose()?;
        let split = match &options.split {
            SplitSource::Column { column } => Some(find(column)?),
            SplitSource::Files { .. } => None,
        };
        let (binary, list) = match &options.tags {
            TagSource::Columns {
                columns: Some(names),
            } => (names.iter().map(|n| find(n)).collect::<Result<_>>()?, None),
            TagSource::Columns { columns: None } => {
                let taken = [Some(path_col), id, group, split];
                (
                    (0..header.fields.len())
                        .filter(|i| !taken.contains(&Some(*i)))
                        .collect(),
                    None,
                )
            }
            TagSource::List { column, .. } => (Vec::new(), Some(find(column)?)),
        };
        Ok(Columns {
            path: path_col,
            id,
            group,
            split,
            binary,
            list,
        })
    }
}

/// The vocabulary and the parsed rows.
fn read_rows(
    path: &Path,
    header: &Record,
    body: &[Record],
    columns: &Columns,
    options: &TagTableOptions,
) -> Result<(Vec<String>, Vec<Row>)> {
    let mut rows = Vec::with_capacity(body.len());
    let mut seen_path: HashMap<&str, usize> = HashMap::new();
    let mut seen_id: HashMap<&str, usize> = HashMap::new();
    let mut list_vocabulary = BTreeSet::new();
    for record in body {
        let (line, fields) = (record.line, &record.fields);
        if fields.len() != header.fields.len() {
            return Err(DataError::FieldCount {
                path: path.to_owned(),
                line,
                expected: header.fields.len(),
                found: fields.len(),
            });
        }
        let nonempty = |col: usize| {
            if fields[col].is_empty() {
                Err(DataError::EmptyField {
                    path: path.to_owned(),
                    line,
                    column: header.fields[col].clone(),
                    hint: "every row needs a path (and an id and a group if id_column and group_column are set): fill it in or remove the row",
                })
            } else {
                Ok(fields[col].as_str())
            }
        };
        let audio = nonempty(columns.path)?;
        let id = columns.id.map_or(Ok(audio), nonempty)?;
        let group = columns.group.map(nonempty).transpose()?;
        for (key, seen) in [(audio, &mut seen_path), (id, &mut seen_id)] {
            if let Some(&first_line) = seen.get(key) {
                return Err(DataError::DuplicateRow {
                    path: path.to_owned(),
                    line,
                    key: key.to_owned(),
                    first_path: path.to_owned(),
                    first_line,
                });
            }
            seen.insert(key, line);
        }
        let tags = match (columns.list, &options.tags) {
            (Some(col), TagSource::List { separator, .. }) => {
                let tags: Vec<String> = fields[col]
                    .split(separator.as_str())
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect();
                list_vocabulary.extend(tags.iter().cloned());
                tags
            }
            _ => binary_tags(path, header, record, &columns.binary)?,
        };
        let split = columns
            .split
            .map(|col| {
                parse_split(&fields[col]).ok_or_else(|| DataError::UnknownSplitValue {
                    path: path.to_owned(),
                    line,
                    column: header.fields[col].clone(),
                    value: fields[col].clone(),
                })
            })
            .transpose()?;
        rows.push(Row {
            line,
            id: id.to_owned(),
            group: group.map(str::to_owned),
            path: audio.to_owned(),
            tags,
            split,
        });
    }
    let vocabulary = match columns.list {
        Some(_) => list_vocabulary.into_iter().collect(),
        None => columns
            .binary
            .iter()
            .map(|&c| header.fields[c].clone())
            .collect(),
    };
    Ok((vocabulary, rows))
}

/// The names of the 0/1 columns set to 1 in `record`.
fn binary_tags(
    path: &Path,
    header: &Record,
    record: &Record,
    binary: &[usize],
) -> Result<Vec<String>> {
    let mut tags = Vec::new();
    for &c in binary {
        match record.fields[c].as_str() {
            "0" => {}
            "1" => tags.push(header.fields[c].clone()),
            other => {
                return Err(DataError::BadTagValue {
                    path: path.to_owned(),
                    line: record.line,
                    column: header.fields[c].clone(),
                    value: other.to_owned(),
                });
            }
        }
    }
    Ok(tags)
}

/// `train`, `valid`/`validation`/`val`, `test` in any case.
fn parse_split(value: &str) -> Option<SplitName> {
    match value.to_ascii_lowercase().as_str() {
        "train" => Some(SplitName::Train),
        "valid" | "validation" | "val" => Some(SplitName::Valid),
        "test" => Some(SplitName::Test),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
