//! A small reader for delimited text tables (CSV, TSV), shared by the
//! tagging dataset readers.
//!
//! It follows RFC 4180 (<https://www.rfc-editor.org/rfc/rfc4180>) with the
//! delimiter as a parameter, as Python's `csv` module and pandas do for TSV
//! too: a field that *starts* with `"` is quoted, may contain the delimiter,
//! line breaks and doubled quotes (`""` → `"`), and must be followed by the
//! delimiter or the end of the record; a `"` inside an unquoted field is an
//! ordinary character. Records end at LF or CRLF (the last one may lack it);
//! a leading UTF-8 byte-order mark is dropped; blank lines are skipped. Each
//! record keeps the 1-based line on which it starts, for error messages.

use std::path::Path;

use crate::error::{DataError, Result};

/// One record (row) of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Record {
    /// 1-based line number on which the record starts.
    pub line: usize,
    /// The fields, unquoted.
    pub fields: Vec<String>,
    /// Where each field's raw text (with its quotes) lies in the parsed text.
    pub spans: Vec<FieldSpan>,
}

/// The raw text of one field in the parsed text: bytes `start..end`,
/// including the surrounding quotes when `quoted`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FieldSpan {
    /// Byte offset of the field's first character.
    pub start: usize,
    /// Byte offset just after the field's last character.
    pub end: usize,
    /// Whether the field was written in double quotes.
    pub quoted: bool,
}

/// Reads and parses `path` with field separator `delimiter`.
pub(crate) fn read_records(path: &Path, delimiter: char) -> Result<Vec<Record>> {
    let text = read_text(path)?;
    parse(path, &text, delimiter)
}

/// The file as UTF-8 text without a leading byte-order mark; invalid UTF-8 is
/// an error naming the line of the first bad byte.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    Ok(read_text_and_bom(path)?.0)
}

/// As [`read_text`], and whether the file started with a byte-order mark.
pub(crate) fn read_text_and_bom(path: &Path) -> Result<(String, bool)> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        DataError::TableNotUtf8 {
            path: path.to_owned(),
            line: 1 + good.iter().filter(|&&b| b == b'\n').count(),
        }
    })?;
    let bom = text.starts_with(BOM);
    if bom {
        text.drain(..BOM.len_utf8());
    }
    Ok((text, bom))
}

/// The UTF-8 byte-order mark that [`read_text`] drops.
pub(crate) const BOM: char = '\u{feff}';

/// Parses `text` (the contents of `path`, named in errors).
pub(crate) fn parse(path: &Path, text: &str, delimiter: char) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    let mut chars = text.char_indices().peekable();
    let offset = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
        chars.peek().map_or(text.len(), |&(i, _)| i)
    };
    let mut line = 1;
    while chars.peek().is_some() {
        let start_line = line;
        let mut fields = Vec::new();
        let mut spans = Vec::new();
        let mut quoted_any = false;
        loop {
            let mut field = String::new();
            let column = fields.len() + 1;
            let start = offset(&mut chars);
            let quoted = peek_char(&mut chars) == Some('"');
            if quoted {
                quoted_any = true;
                let open_line = line;
                chars.next();
                loop {
                    match chars.next().map(|(_, c)| c) {
                        None => {
                            return Err(quote_error(
                                path,
                                open_line,
                                column,
                                "the quoted field never ends: add the closing '\"'",
                            ));
                        }
                        Some('"') if peek_char(&mut chars) == Some('"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                    }
                }
                match peek_char(&mut chars) {
                    None | Some('\n') => {}
                    Some(c) if c == delimiter => {}
                    Some('\r') if is_crlf(&chars) => {}
                    Some(_) => {
                        return Err(quote_error(
                            path,
                            line,
                            column,
                            "text follows the closing '\"' of a quoted field: \
                             double every '\"' inside the field ('\"\"')",
                        ));
                    }
                }
            } else {
                while let Some(c) = peek_char(&mut chars) {
                    if c == delimiter || c == '\n' || (c == '\r' && is_crlf(&chars)) {
                        break;
                    }
                    field.push(c);
                    chars.next();
                }
            }
            let end = offset(&mut chars);
            fields.push(field);
            spans.push(FieldSpan { start, end, quoted });
            match chars.next().map(|(_, c)| c) {
                Some(c) if c == delimiter => continue,
                Some('\r') => {
                    chars.next(); // the '\n' of CRLF (is_crlf checked it)
                    line += 1;
                    break;
                }
                Some('\n') => {
                    line += 1;
                    break;
                }
                _ => break,
            }
        }
        let blank = !quoted_any && fields.len() == 1 && fields[0].trim().is_empty();
        if !blank {
            records.push(Record {
                line: start_line,
                fields,
                spans,
            });
        }
    }
    Ok(records)
}

/// Checks that no header name appears twice (names are compared exactly).
pub(crate) fn check_unique_header(path: &Path, header: &[String]) -> Result<()> {
    let mut seen = std::collections::HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if let Some(first) = seen.insert(name.as_str(), i + 1) {
            return Err(DataError::DuplicateColumn {
                path: path.to_owned(),
                column: name.clone(),
                first,
                second: i + 1,
            });
        }
    }
    Ok(())
}

/// The next character, without consuming it.
fn peek_char(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<char> {
    chars.peek().map(|&(_, c)| c)
}

/// Whether the next two characters are CR LF.
fn is_crlf(chars: &std::iter::Peekable<std::str::CharIndices<'_>>) -> bool {
    let mut ahead = chars.clone().map(|(_, c)| c);
    ahead.next() == Some('\r') && ahead.next() == Some('\n')
}

fn quote_error(path: &Path, line: usize, column: usize, reason: &'static str) -> DataError {
    DataError::TableQuote {
        path: path.to_owned(),
        line,
        column,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::TestDir;

    fn rows(text: &str, delimiter: char) -> Vec<(usize, Vec<String>)> {
        let records = parse(Path::new("t.csv"), text, delimiter).unwrap();
        records.into_iter().map(|r| (r.line, r.fields)).collect()
    }

    fn row(line: usize, fields: &[&str]) -> (usize, Vec<String>) {
        (line, fields.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn plain_tsv_with_crlf_and_blank_lines() {
        let got = rows("a\tb\r\n\r\n1\t\r\n2\t3", '\t');
        assert_eq!(
            got,
            vec![row(1, &["a", "b"]), row(3, &["1", ""]), row(4, &["2", "3"])]
        );
    }

    #[test]
    fn rfc4180_quotes_delimiters_newlines_and_doubled_quotes() {
        let text = "path,tags\n\"a, b.wav\",\"rock;\"\"pop\"\"\"\n\"multi\nline.wav\",x\r\nc\"d.wav,\"\"\n";
        let got = rows(text, ',');
        assert_eq!(
            got,
            vec![
                row(1, &["path", "tags"]),
                row(2, &["a, b.wav", "rock;\"pop\""]),
                row(3, &["multi\nline.wav", "x"]),
                row(5, &["c\"d.wav", ""]),
            ]
        );
    }

    #[test]
    fn quoted_tab_separated_fields() {
        let got = rows("\"clip_id\"\t\"no voice\"\r\n\"2\"\t\"0\"\r\n", '\t');
        assert_eq!(
            got,
            vec![row(1, &["clip_id", "no voice"]), row(2, &["2", "0"])]
        );
    }

    #[test]
    fn spans_cover_each_fields_raw_text() {
        let text = "a,\"b,\"\"c\"\"\"\r\n\n é ,\"\"\nlast,";
        let records = parse(Path::new("t.csv"), text, ',').unwrap();
        let raw: Vec<Vec<(&str, bool)>> = records
            .iter()
            .map(|r| {
                r.spans
                    .iter()
                    .map(|s| (&text[s.start..s.end], s.quoted))
                    .collect()
            })
            .collect();
        assert_eq!(
            raw,
            vec![
                vec![("a", false), ("\"b,\"\"c\"\"\"", true)],
                vec![(" é ", false), ("\"\"", true)],
                vec![("last", false), ("", false)],
            ]
        );
    }

    #[test]
    fn bad_quotes_name_line_and_column() {
        let err = parse(Path::new("t.csv"), "a,b\n1,\"x\"y\n", ',').unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("t.csv:2: column 2:"), "{msg}");
        assert!(msg.contains("closing"), "{msg}");

        let err = parse(Path::new("t.csv"), "a,b\n1,2\n3,\"open\n\n", ',').unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("t.csv:3: column 2:"), "{msg}");
        assert!(msg.contains("never ends"), "{msg}");
    }

    #[test]
    fn bom_is_dropped_and_bad_utf8_names_the_line() {
        let dir = TestDir::new("delimited");
        let path = dir.join("t.csv");
        std::fs::write(&path, b"\xef\xbb\xbfpath,x\na.wav,1\n").unwrap();
        let records = read_records(&path, ',').unwrap();
        assert_eq!(records[0].fields, vec!["path", "x"]);

        std::fs::write(&path, b"path,x\na.wav,1\nb\xff.wav,0\n").unwrap();
        let msg = read_records(&path, ',').unwrap_err().to_string();
        assert!(msg.starts_with(&format!("{}:3:", path.display())), "{msg}");
        assert!(msg.contains("UTF-8"), "{msg}");
    }
}
