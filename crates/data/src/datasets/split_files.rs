//! Split files for the generic tag table: one path or id per line (surrounding
//! whitespace, CRLF, a UTF-8 byte-order mark and blank lines are ignored).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::delimited;
use super::tagged::{SplitName, resolve};
use crate::error::{DataError, Result};

/// The split of each table row given the (train, valid, test) split files
/// (relative to `root`): `keys[i]` is row `i`'s (path, id); an entry matches
/// a path first, then an id. Rows no file names get `None`.
pub(crate) fn assign(
    root: &Path,
    table: &Path,
    keys: &[(&str, &str)],
    files: [Option<&PathBuf>; 3],
) -> Result<Vec<Option<SplitName>>> {
    let by_path: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.0, i)).collect();
    let by_id: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.1, i)).collect();
    let mut splits = vec![None; keys.len()];
    let mut first: Vec<Option<(PathBuf, usize)>> = vec![None; keys.len()];
    for (split, file) in SplitName::ALL.into_iter().zip(files) {
        let Some(file) = file else { continue };
        let path = resolve(root, file);
        let text = delimited::read_text(&path)?;
        for (i, raw) in text.lines().enumerate() {
            let (line, entry) = (i + 1, raw.trim());
            if entry.is_empty() {
                continue;
            }
            let Some(&row) = by_path.get(entry).or_else(|| by_id.get(entry)) else {
                return Err(DataError::UnknownSplitEntry {
                    path,
                    line,
                    entry: entry.to_owned(),
                    table: table.to_owned(),
                });
            };
            if let Some((first_path, first_line)) = first[row].take() {
                return Err(DataError::DuplicateRow {
                    path,
                    line,
                    key: entry.to_owned(),
                    first_path,
                    first_line,
                });
            }
            first[row] = Some((path.clone(), line));
            splits[row] = Some(split);
        }
    }
    Ok(splits)
}
