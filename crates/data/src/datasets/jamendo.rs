//! The Jamendo singing-voice dataset layout (Ramona et al. 2008; see
//! reference/LITERATURE.md §4).
//!
//! ```text
//! <root>/audio/<song>.ogg|.mp3      all songs in one folder
//! <root>/filelists/<split>          one audio file name per line (train, valid, test)
//! <root>/labels/<song>.lab          segments, see crate::labels
//! ```
//!
//! A filelist line is a file name relative to `audio/` (surrounding
//! whitespace and a CRLF ending are ignored, blank lines skipped); its label
//! file is `labels/<stem>.lab`, `<stem>` being the name without its last
//! extension. Opening a split checks that every listed audio file and label
//! file exists (it does not decode or parse them) and that no file is listed
//! twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{DataError, Result};

/// The files of one song.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SongFiles {
    /// The audio file's stem, e.g. `03 - Say me Good Bye`.
    pub name: String,
    /// `<root>/audio/<filelist line>`.
    pub audio: PathBuf,
    /// `<root>/labels/<name>.lab`.
    pub labels: PathBuf,
}

/// A Jamendo dataset folder.
#[derive(Clone, Debug)]
pub struct JamendoDataset {
    root: PathBuf,
}

impl JamendoDataset {
    /// Checks that `root` and its `audio/`, `filelists/` and `labels/`
    /// folders exist; the error names the first one missing.
    pub fn open(root: &Path) -> Result<Self> {
        let folders = [
            (root.to_owned(), "Jamendo dataset root"),
            (root.join("audio"), "Jamendo audio files"),
            (root.join("filelists"), "Jamendo split filelists"),
            (root.join("labels"), "Jamendo .lab label files"),
        ];
        for (path, what) in folders {
            if !path.is_dir() {
                return Err(DataError::MissingDatasetFolder { path, what });
            }
        }
        Ok(JamendoDataset {
            root: root.to_owned(),
        })
    }

    /// The dataset's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `filelists/<split>` exists.
    pub fn has_split(&self, split: &str) -> bool {
        self.filelist(split).is_file()
    }

    /// The songs listed in `filelists/<split>`, in file order.
    pub fn split(&self, split: &str) -> Result<Vec<SongFiles>> {
        let filelist = self.filelist(split);
        if !filelist.is_file() {
            return Err(DataError::MissingSplit {
                path: filelist,
                split: split.to_owned(),
            });
        }
        let bytes = std::fs::read(&filelist).map_err(|e| DataError::io(&filelist, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut songs = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let entry = raw.trim();
            if entry.is_empty() {
                continue;
            }
            if let Some(&first_line) = seen.get(entry) {
                return Err(DataError::DuplicateEntry {
                    filelist,
                    line,
                    first_line,
                    name: entry.to_owned(),
                });
            }
            seen.insert(entry.to_owned(), line);
            let audio = self.root.join("audio").join(entry);
            if !audio.is_file() {
                return Err(DataError::MissingAudio {
                    filelist,
                    line,
                    audio,
                });
            }
            let name = Path::new(entry)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| entry.to_owned());
            let labels = self.root.join("labels").join(format!("{name}.lab"));
            if !labels.is_file() {
                return Err(DataError::MissingLabels {
                    filelist,
                    line,
                    labels,
                });
            }
            songs.push(SongFiles {
                name,
                audio,
                labels,
            });
        }
        Ok(songs)
    }

    fn filelist(&self, split: &str) -> PathBuf {
        self.root.join("filelists").join(split)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::TestDir;

    fn tempdir(tag: &str) -> TestDir {
        TestDir::new(&format!("jamendo-{tag}"))
    }

    /// A dataset with songs `a b.ogg` and `c.mp3`, both labelled.
    fn dataset(tag: &str) -> TestDir {
        let root = tempdir(tag);
        for d in ["audio", "filelists", "labels"] {
            std::fs::create_dir(root.join(d)).unwrap();
        }
        for f in [
            "audio/a b.ogg",
            "audio/c.mp3",
            "labels/a b.lab",
            "labels/c.lab",
        ] {
            std::fs::write(root.join(f), b"x").unwrap();
        }
        root
    }

    #[test]
    fn open_names_the_missing_folder() {
        let root = tempdir("open");
        let err = JamendoDataset::open(&root.join("nope")).unwrap_err();
        assert!(
            matches!(&err, DataError::MissingDatasetFolder { path, .. } if path == &root.join("nope")),
            "{err}"
        );
        std::fs::create_dir(root.join("audio")).unwrap();
        std::fs::create_dir(root.join("labels")).unwrap();
        let err = JamendoDataset::open(&root).unwrap_err();
        assert!(
            matches!(&err, DataError::MissingDatasetFolder { path, .. } if path == &root.join("filelists")),
            "{err}"
        );
        assert!(err.to_string().contains("synthetic"), "{err}");
        std::fs::create_dir(root.join("filelists")).unwrap();
        assert!(JamendoDataset::open(&root).is_ok());
    }

    #[test]
    fn split_reads_names_with_crlf_blank_lines_and_spaces() {
        let root = dataset("split");
        std::fs::write(root.join("filelists/train"), "a b.ogg\r\n\r\n  \nc.mp3").unwrap();
        let ds = JamendoDataset::open(&root).unwrap();
        assert!(ds.has_split("train"));
        assert!(!ds.has_split("test"));
        let songs = ds.split("train").unwrap();
        assert_eq!(
            songs,
            vec![
                SongFiles {
                    name: "a b".into(),
                    audio: root.join("audio/a b.ogg"),
                    labels: root.join("labels/a b.lab"),
                },
                SongFiles {
                    name: "c".into(),
                    audio: root.join("audio/c.mp3"),
                    labels: root.join("labels/c.lab"),
                },
            ]
        );
        std::fs::write(root.join("filelists/valid"), "").unwrap();
        assert!(ds.split("valid").unwrap().is_empty());
    }

    #[test]
    fn split_errors_name_filelist_and_line() {
        let root = dataset("errors");
        let ds = JamendoDataset::open(&root).unwrap();
        let err = ds.split("test").unwrap_err();
        assert!(matches!(err, DataError::MissingSplit { .. }), "{err}");

        let list = root.join("filelists/train");
        std::fs::write(&list, "c.mp3\n\nmissing.ogg\n").unwrap();
        let err = ds.split("train").unwrap_err();
        assert!(
            matches!(&err, DataError::MissingAudio { filelist, line: 3, audio }
                if filelist == &list && audio == &root.join("audio/missing.ogg")),
            "{err}"
        );
        assert!(err.to_string().contains("train:3:"), "{err}");

        std::fs::write(root.join("audio/d.ogg"), b"x").unwrap();
        std::fs::write(&list, "c.mp3\nd.ogg\n").unwrap();
        let err = ds.split("train").unwrap_err();
        assert!(
            matches!(&err, DataError::MissingLabels { line: 2, labels, .. }
                if labels == &root.join("labels/d.lab")),
            "{err}"
        );
        assert!(err.to_string().contains("d.lab"), "{err}");

        std::fs::write(&list, "c.mp3\r\na b.ogg\r\nc.mp3\r\n").unwrap();
        let err = ds.split("train").unwrap_err();
        assert!(
            matches!(
                err,
                DataError::DuplicateEntry {
                    line: 3,
                    first_line: 1,
                    ..
                }
            ),
            "{err}"
        );
    }
}
