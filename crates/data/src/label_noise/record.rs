//! What a label-noise run keeps in its run directory (`<run>/label-noise/`):
//! the audit (`audit.json`, and `audit.txt` for reading) and the labels as
//! training saw them, in the dataset's own format, at the dataset's own
//! relative paths, for the splits' every label file (corrupted or not):
//!
//! ```text
//! <run>/label-noise/audit.json
//! <run>/label-noise/audit.txt
//! <run>/label-noise/labels/<song>.lab                      Jamendo
//! <run>/label-noise/annotations_final.csv                  MagnaTagATune
//! <run>/label-noise/data/splits/split-N/autotagging*.tsv   MTG-Jamendo
//! <run>/label-noise/<table>                                tag table
//! ```
//!
//! so that `diff -r <dataset>/labels <run>/label-noise/labels` or
//! `diff <dataset>/annotations_final.csv <run>/label-noise/annotations_final.csv`
//! shows only the lines that changed. A label file outside the dataset root
//! (an absolute table path) goes to `outside-root/<file name>`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::audit::{NoiseAudit, SongSplitAudit, SplitAudit};
use super::audit_text::render_audit;
use super::config::LabelNoiseConfig;
use super::tag_files::{RowChange, TableFormat, rewrite_table};
use crate::atomic::write_bytes_atomically;
use crate::data_config::DataConfig;
use crate::datasets::{JamendoDataset, TaggedDataset};
use crate::error::{DataError, Result};

/// One label file as training saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelFile {
    /// Its path relative to the dataset root (and to `<run>/label-noise/`).
    pub relative: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The corrupted labels of one split's songs and their audit.
#[derive(Clone, Debug, PartialEq)]
pub struct NoisySongSplit {
    /// What was achieved.
    pub audit: SongSplitAudit,
    /// The split's `.lab` files with the corrupted segments.
    pub files: Vec<LabelFile>,
}

/// The audit and label files of a label-noise run.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelNoiseRecord {
    /// What was requested and achieved.
    pub audit: NoiseAudit,
    files: Files,
}

#[derive(Clone, Debug, PartialEq)]
enum Files {
    /// Rendered already (Jamendo `.lab` files).
    Ready(Vec<LabelFile>),
    /// Tagging tables, rendered when written.
    Tables {
        root: PathBuf,
        format: TableFormat,
        vocabulary: Vec<String>,
        tables: BTreeMap<PathBuf, Vec<RowChange>>,
    },
}

/// The names [`LabelNoiseRecord::write`] gives the audit.
const AUDIT_FILES: [&str; 2] = ["audit.json", "audit.txt"];

impl LabelNoiseRecord {
    /// The record of a tagging dataset `clean` corrupted into `noisy` (same
    /// clips, same order).
    pub fn for_tags(
        config: &LabelNoiseConfig,
        data: &DataConfig,
        clean: &TaggedDataset,
        noisy: &TaggedDataset,
        per_split: Vec<SplitAudit>,
    ) -> Result<Self> {
        let mut tables: BTreeMap<PathBuf, Vec<RowChange>> = BTreeMap::new();
        for split in ["train", "valid", "test"] {
            let (Some(c), Some(n)) = (clean.split(split), noisy.split(split)) else {
                continue;
            };
            for (c, n) in c.iter().zip(n) {
                let changes = tables.entry(c.origin.file.clone()).or_default();
                if c.tags != n.tags {
                    changes.push(RowChange {
                        line: c.origin.line,
                        clean: c.tags.clone(),
                        noisy: n.tags.clone(),
                    });
                }
            }
        }
        Ok(LabelNoiseRecord {
            audit: NoiseAudit::new(config, per_split),
            files: Files::Tables {
                root: data.root.clone(),
                format: TableFormat::of(data)?,
                vocabulary: clean.tags.clone(),
                tables,
            },
        })
    }

    /// The record of a Jamendo dataset whose splits `corrupted` were
    /// corrupted; the label files of its other splits are kept as they are.
    pub fn for_songs(
        config: &LabelNoiseConfig,
        dataset: &JamendoDataset,
        corrupted: Vec<NoisySongSplit>,
    ) -> Result<Self> {
        let mut files: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
        let mut per_split = Vec::new();
        let mut done = Vec::new();
        for split in corrupted {
            for f in split.files {
                files.insert(f.relative, f.bytes);
            }
            done.push(split.audit.split.clone());
            per_split.push(SplitAudit::Segments(split.audit));
        }
        for split in ["train", "valid", "test"] {
            if done.iter().any(|d| d == split) || !dataset.has_split(split) {
                continue;
            }
            for song in dataset.split(split)? {
                let relative = mirrored(dataset.root(), &song.labels);
                if let std::collections::btree_map::Entry::Vacant(entry) = files.entry(relative) {
                    let bytes =
                        std::fs::read(&song.labels).map_err(|e| DataError::io(&song.labels, e))?;
                    entry.insert(bytes);
                }
            }
        }
        Ok(LabelNoiseRecord {
            audit: NoiseAudit::new(config, per_split),
            files: Files::Ready(
                files
                    .into_iter()
                    .map(|(relative, bytes)| LabelFile { relative, bytes })
                    .collect(),
            ),
        })
    }

    /// The label files, rendered.
    pub fn files(&self) -> Result<Vec<LabelFile>> {
        match &self.files {
            Files::Ready(files) => Ok(files.clone()),
            Files::Tables {
                root,
                format,
                vocabulary,
                tables,
            } => tables
                .iter()
                .map(|(path, changes)| {
                    Ok(LabelFile {
                        relative: mirrored(root, path),
                        bytes: rewrite_table(path, format, vocabulary, changes)?,
                    })
                })
                .collect(),
        }
    }

    /// One line for the training log.
    pub fn describe(&self) -> String {
        let c = &self.audit.requested;
        format!(
            "label noise \"{}\" (noise seed {}) on {}",
            c.kind.name(),
            c.seed,
            self.audit.corrupted_splits.join(" and ")
        )
    }

    /// Writes the audit and the label files into `dir` (created if
    /// missing), each file atomically; `training_seed` is recorded next to
    /// the noise seed.
    pub fn write(&self, dir: &Path, training_seed: u64) -> Result<()> {
        let mut audit = self.audit.clone();
        audit.training_seed = Some(training_seed);
        let files = self.files()?;
        for f in &files {
            if AUDIT_FILES.iter().any(|a| f.relative == Path::new(a)) {
                return Err(DataError::LabelNoise {
                    message: format!(
                        "the dataset's label file {} has the name of the label-noise audit: \
                         rename it",
                        f.relative.display()
                    ),
                });
            }
        }
        let json = serde_json::to_string_pretty(&audit).map_err(|e| DataError::LabelNoise {
            message: format!("cannot write the label-noise audit as JSON: {e}"),
        })?;
        let mut writes: Vec<(PathBuf, Vec<u8>)> = files
            .into_iter()
            .map(|f| (dir.join(f.relative), f.bytes))
            .collect();
        writes.push((dir.join(AUDIT_FILES[0]), (json + "\n").into_bytes()));
        writes.push((dir.join(AUDIT_FILES[1]), render_audit(&audit).into_bytes()));
        for (path, bytes) in writes {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| DataError::io(parent, e))?;
            }
            write_bytes_atomically(&path, &bytes).map_err(|e| DataError::io(&path, e))?;
        }
        Ok(())
    }
}

/// `file` relative to `root`, or `outside-root/<file name>` if it is not
/// under it.
pub(crate) fn mirrored(root: &Path, file: &Path) -> PathBuf {
    match file.strip_prefix(root) {
        Ok(rel) if rel.components().all(|c| matches!(c, Component::Normal(_))) => rel.to_owned(),
        _ => Path::new("outside-root").join(file.file_name().unwrap_or(file.as_os_str())),
    }
}
