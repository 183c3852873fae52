//! Writing corrupted tags back into a tagging table in the dataset's own
//! format, so that `diff <dataset table> <run>/label-noise/<table>` shows
//! exactly the rows whose tags changed.
//!
//! The table is parsed again with the readers' own parser (`delimited`,
//! which keeps each field's place in the text); every byte outside the
//! changed fields stays as it is (header, untouched rows, rows the reader
//! dropped, tag columns outside the vocabulary, quoting, delimiter, line
//! ends, a byte-order mark). A changed field is re-rendered as the file
//! wrote it: quoted if it was quoted (or if its new text needs quotes,
//! RFC 4180), else with its surrounding spaces kept. Per layout:
//! - 0/1 columns (MagnaTagATune, tag-table `format = "columns"`): the
//!   flags that changed become `0` or `1`;
//! - a list column (tag-table `format = "list"`): the tags that stayed
//!   positive, in their order, then the added ones in vocabulary order,
//!   joined by the separator;
//! - trailing fields (MTG-Jamendo, fields from the sixth on): the same
//!   list, one tag per field.

use std::path::Path;

use crate::data_config::{DataConfig, Layout};
use crate::datasets::TagSource;
use crate::datasets::delimited::{self, FieldSpan, Record};
use crate::datasets::mtg_jamendo::FIRST_TAG;
use crate::datasets::tag_table::delimiter_of;
use crate::datasets::tagged::resolve;
use crate::error::{DataError, Result};

/// How a table holds its tags.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TagFields {
    /// One 0/1 column per tag, named as the tag.
    Columns,
    /// One column listing the tags.
    List { column: String, separator: String },
    /// One field per tag from field `first` (0-based) to the end of the row.
    Trailing { first: usize },
}

/// A table's field separator and tag fields.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TableFormat {
    pub delimiter: char,
    pub tags: TagFields,
}

impl TableFormat {
    /// The format of the tables of a tagging layout.
    pub(crate) fn of(data: &DataConfig) -> Result<Self> {
        match data.layout {
            Layout::Magnatagatune => Ok(TableFormat {
                delimiter: '\t',
                tags: TagFields::Columns,
            }),
            Layout::MtgJamendo => Ok(TableFormat {
                delimiter: '\t',
                tags: TagFields::Trailing { first: FIRST_TAG },
            }),
            Layout::TagTable => {
                let options = data.tag_table.clone().unwrap_or_default();
                let delimiter =
                    delimiter_of(&resolve(&data.root, &options.table), options.delimiter)?;
                let tags = match options.tags {
                    TagSource::Columns { .. } => TagFields::Columns,
                    TagSource::List { column, separator } => TagFields::List { column, separator },
                };
                Ok(TableFormat { delimiter, tags })
            }
            Layout::Jamendo => Err(DataError::NotATaggingLayout {
                layout: data.layout.name(),
            }),
        }
    }
}

/// The new flags of the clip read from row `line` of a table.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RowChange {
    /// 1-based line on which the row starts.
    pub line: usize,
    /// The clean flags, in vocabulary order.
    pub clean: Vec<bool>,
    /// The corrupted flags.
    pub noisy: Vec<bool>,
}

/// The bytes of `path` with the rows of `changes` rewritten.
pub(crate) fn rewrite_table(
    path: &Path,
    format: &TableFormat,
    vocabulary: &[String],
    changes: &[RowChange],
) -> Result<Vec<u8>> {
    let (text, bom) = delimited::read_text_and_bom(path)?;
    let records = delimited::parse(path, &text, format.delimiter)?;
    let moved = |message: String| DataError::LabelNoise {
        message: format!(
            "{}: {message}; the table changed after training read it: train again",
            path.display()
        ),
    };
    let Some(header) = records.first() else {
        return Err(moved("the table is empty".into()));
    };
    let column = |name: &str| {
        header
            .fields
            .iter()
            .position(|f| f == name || f.trim() == name)
            .ok_or_else(|| moved(format!("it has no column \"{name}\"")))
    };
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for change in changes {
        if change.clean == change.noisy {
            continue;
        }
        let record = records
            .binary_search_by_key(&change.line, |r| r.line)
            .map(|i| &records[i])
            .map_err(|_| moved(format!("no row starts on line {}", change.line)))?;
        match &format.tags {
            TagFields::Columns => {
                for (t, tag) in vocabulary.iter().enumerate() {
                    if change.clean[t] != change.noisy[t] {
                        let c = column(tag)?;
                        let span = field_span(record, c).ok_or_else(|| {
                            moved(format!("line {} has no column {}", record.line, c + 1))
                        })?;
                        let value = if change.noisy[t] { "1" } else { "0" };
                        edits.push((
                            span.start,
                            span.end,
                            render(&text, span, value, format.delimiter),
                        ));
                    }
                }
            }
            TagFields::List {
                column: name,
                separator,
            } => {
                let c = column(name)?;
                let span = field_span(record, c).ok_or_else(|| {
                    moved(format!("line {} has no column {}", record.line, c + 1))
                })?;
                let pieces: Vec<&str> = record.fields[c]
                    .split(separator.as_str())
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .collect();
                let list = new_tags(&pieces, vocabulary, change).join(separator);
                edits.push((
                    span.start,
                    span.end,
                    render(&text, span, &list, format.delimiter),
                ));
            }
            TagFields::Trailing { first } => {
                let first = *first;
                let (Some(before), Some(last)) =
                    (field_span(record, first - 1), record.spans.last())
                else {
                    return Err(moved(format!("line {} has too few fields", record.line)));
                };
                let pieces: Vec<&str> = record.fields[first..].iter().map(|f| f.trim()).collect();
                let mut tail = String::new();
                for tag in new_tags(&pieces, vocabulary, change) {
                    tail.push(format.delimiter);
                    tail.push_str(&quoted_if_needed(&tag, format.delimiter));
                }
                edits.push((before.end, last.end, tail));
            }
        }
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len() + 3);
    if bom {
        out.push(delimited::BOM);
    }
    let mut at = 0;
    for (start, end, new) in edits {
        out.push_str(&text[at..start]);
        out.push_str(&new);
        at = end;
    }
    out.push_str(&text[at..]);
    Ok(out.into_bytes())
}

fn field_span(record: &Record, column: usize) -> Option<FieldSpan> {
    record.spans.get(column).copied()
}

/// The tags of a list after the change: those of `pieces` still positive
/// (or outside the vocabulary), in their order, then the added ones.
fn new_tags(pieces: &[&str], vocabulary: &[String], change: &RowChange) -> Vec<String> {
    let index = |t: &str| vocabulary.iter().position(|v| v == t);
    let mut tags: Vec<String> = pieces
        .iter()
        .filter(|p| index(p).is_none_or(|i| change.noisy[i]))
        .map(|p| p.to_string())
        .collect();
    for (i, tag) in vocabulary.iter().enumerate() {
        if change.noisy[i] && !change.clean[i] && !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    tags
}

/// `value` written in the place of the field at `span`, in its style.
fn render(text: &str, span: FieldSpan, value: &str, delimiter: char) -> String {
    if span.quoted {
        return quote(value);
    }
    if needs_quotes(value, delimiter) {
        return quote(value);
    }
    let raw = &text[span.start..span.end];
    let lead = &raw[..raw.len() - raw.trim_start().len()];
    let trail = &raw[raw.trim_end().len()..];
    if raw.trim().is_empty() {
        return format!("{lead}{value}");
    }
    format!("{lead}{value}{trail}")
}

fn quoted_if_needed(value: &str, delimiter: char) -> String {
    if needs_quotes(value, delimiter) {
        quote(value)
    } else {
        value.to_string()
    }
}

/// RFC 4180: a field with the delimiter, a line break or a leading quote
/// must be quoted.
fn needs_quotes(value: &str, delimiter: char) -> bool {
    value.starts_with('"') || value.contains(delimiter) || value.contains(['\n', '\r'])
}

fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}
