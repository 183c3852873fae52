//! What `cochlea predict` reads and where each result goes: its arguments
//! are audio files, folders (searched recursively for the extensions the
//! decoder reads, [`cochlea_data::AUDIO_EXTENSIONS`]) and file lists (a
//! text file with the extension `.txt`, `.lst`, `.list` or `.m3u`: one path
//! per line, relative to the list's folder; blank lines and lines starting
//! with `#` are skipped).
//!
//! Each audio file's results are named after it and placed under the output
//! folder at its path relative to the deepest folder holding every input,
//! so a folder's tree is mirrored and files with one stem in different
//! folders do not collide: `a/x.wav` and `b/x.mp3` give `a/x.*` and
//! `b/x.*`. Files with one stem in the same folder (`x.wav`, `x.mp3`) keep
//! their extension in the name (`x.wav.*`, `x.mp3.*`). A file named twice
//! is predicted once.
//!
//! A missing argument or list entry, or a folder without audio, is an error
//! naming it (and the list's line) before anything is predicted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use cochlea_data::has_audio_extension;

use crate::error::{Error, IoContext, Result};

/// Extensions (lower case) of file lists.
pub const LIST_EXTENSIONS: &[&str] = &["txt", "lst", "list", "m3u"];

/// One audio file to predict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredictInput {
    /// The audio file, as given (or joined to its list's folder).
    pub audio: PathBuf,
    /// Its results' path under the output folder, without an extension
    /// (`a/x`, or `a/x.wav` when two files share the stem `x`).
    pub name: PathBuf,
}

/// The audio files `arguments` name, in order, each once, with their names.
pub fn resolve_inputs(arguments: &[PathBuf]) -> Result<Vec<PredictInput>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for argument in arguments {
        if argument.is_dir() {
            let before = files.len();
            audio_in_folder(argument, &mut files)?;
            if files.len() == before {
                return Err(Error::Other(format!(
                    "the folder {} holds no audio file (extensions {})",
                    argument.display(),
                    cochlea_data::AUDIO_EXTENSIONS.join(", ")
                )));
            }
        } else if is_list(argument) {
            files.extend(read_list(argument)?);
        } else if argument.is_file() {
            files.push(argument.clone());
        } else {
            return Err(Error::Other(format!(
                "{} does not exist: name audio files, folders or file lists (.txt)",
                argument.display()
            )));
        }
    }
    let mut seen = BTreeSet::new();
    let files: Vec<(PathBuf, PathBuf)> = files
        .into_iter()
        .map(|f| {
            let absolute = std::path::absolute(&f).at(&f)?;
            Ok((f, normalized(&absolute)))
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .filter(|(_, absolute)| seen.insert(absolute.clone()))
        .collect();
    let folders: Vec<&Path> = files
        .iter()
        .map(|(_, a)| a.parent().unwrap_or(Path::new("/")))
        .collect();
    let root = common_ancestor(&folders);
    // Stems used more than once in one folder keep their extension.
    let mut stems: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for (_, absolute) in &files {
        *stems.entry(absolute.with_extension("")).or_default() += 1;
    }
    Ok(files
        .into_iter()
        .map(|(audio, absolute)| {
            let relative = absolute.strip_prefix(&root).unwrap_or(&absolute);
            let name = if stems[&absolute.with_extension("")] > 1 {
                relative.to_path_buf()
            } else {
                relative.with_extension("")
            };
            PredictInput { audio, name }
        })
        .collect())
}

/// Whether `path` names a file list by its extension.
fn is_list(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LIST_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The paths a file list holds, joined to its folder; each must exist.
fn read_list(list: &Path) -> Result<Vec<PathBuf>> {
    let text = std::fs::read_to_string(list).at(list)?;
    let folder = list.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let entry = line.trim();
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        let path = folder.join(entry);
        if !path.is_file() {
            return Err(Error::Other(format!(
                "{}:{}: {} is not a file (paths are relative to the list's folder)",
                list.display(),
                i + 1,
                path.display()
            )));
        }
        out.push(path);
    }
    Ok(out)
}

/// Audio files under `folder`, recursively, sorted by path.
fn audio_in_folder(folder: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .at(folder)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .at(folder)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            audio_in_folder(&path, out)?;
        } else if has_audio_extension(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// `path` without `.` components and with `..` applied (lexically).
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The deepest folder that holds every one of `folders`.
fn common_ancestor(folders: &[&Path]) -> PathBuf {
    let Some(first) = folders.first() else {
        return PathBuf::new();
    };
    let mut root: Vec<Component> = first.components().collect();
    for folder in &folders[1..] {
        let shared = root
            .iter()
            .zip(folder.components())
            .take_while(|(a, b)| **a == *b)
            .count();
        root.truncate(shared);
    }
    root.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"x").unwrap();
    }

    fn names(inputs: &[PredictInput]) -> Vec<String> {
        inputs
            .iter()
            .map(|i| i.name.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn folders_are_mirrored_and_stems_kept_apart() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        for f in [
            "in/a/x.wav",
            "in/b/x.mp3",
            "in/b/y.flac",
            "in/b/y.OGG",
            "in/notes.md",
        ] {
            touch(&d.join(f));
        }
        let inputs = resolve_inputs(&[d.join("in")]).unwrap();
        assert_eq!(names(&inputs), ["a/x", "b/x", "b/y.OGG", "b/y.flac"]);
        assert_eq!(inputs[0].audio, d.join("in/a/x.wav"));
        // One file alone is named by its stem; named twice, predicted once.
        let one = resolve_inputs(&[d.join("in/a/x.wav"), d.join("in/a/./x.wav")]).unwrap();
        assert_eq!(names(&one), ["x"]);
    }

    #[test]
    fn lists_are_read_relative_to_their_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        touch(&d.join("songs/s1.wav"));
        touch(&d.join("other/s2.wav"));
        std::fs::write(
            d.join("songs/list.txt"),
            "# my songs\ns1.wav\n\n  ../other/s2.wav  \r\n",
        )
        .unwrap();
        let inputs = resolve_inputs(&[d.join("songs/list.txt")]).unwrap();
        assert_eq!(names(&inputs), ["songs/s1", "other/s2"]);
        std::fs::write(d.join("songs/bad.txt"), "s1.wav\nmissing.wav\n").unwrap();
        let err = resolve_inputs(&[d.join("songs/bad.txt")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("bad.txt:2") && err.contains("missing.wav"),
            "{err}"
        );
    }

    #[test]
    fn missing_inputs_and_empty_folders_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let err = resolve_inputs(&[d.join("nope.wav")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("nope.wav") && err.contains("does not exist"),
            "{err}"
        );
        std::fs::create_dir(d.join("empty")).unwrap();
        let err = resolve_inputs(&[d.join("empty")]).unwrap_err().to_string();
        assert!(err.contains("empty") && err.contains("no audio"), "{err}");
    }
}
