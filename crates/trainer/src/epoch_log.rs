//! `metrics.jsonl`: one JSON object per finished epoch — the learning rate,
//! the training loss, the task's named validation metrics, throughput and
//! wall time — appended and synced after every epoch, and cut back to the
//! checkpoint's epochs when a run resumes.
//!
//! Records written before the task seam held the singing-voice metrics as
//! `valid_loss`, `valid_error`, `valid_auroc` and `valid_threshold`; they are
//! read into the same map (`loss`, `error`, `auroc`, `threshold`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use cochlea_data::atomic::write_string_atomically;
use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};

/// One line of `metrics.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredRecord")]
pub struct EpochRecord {
    /// Epoch number, 1-based.
    pub epoch: usize,
    /// Learning rate used in this epoch.
    pub learning_rate: f64,
    /// Mean training loss.
    pub train_loss: f64,
    /// The task's validation metrics by name (empty without validation).
    pub valid: BTreeMap<String, f64>,
    /// Training throughput, examples per second.
    pub excerpts_per_second: f64,
    /// Wall seconds for the epoch (training and validation).
    pub seconds: f64,
}

/// Either record format on disk.
#[derive(Deserialize)]
struct StoredRecord {
    epoch: usize,
    learning_rate: f64,
    train_loss: f64,
    #[serde(default)]
    valid: BTreeMap<String, f64>,
    excerpts_per_second: f64,
    seconds: f64,
    // Written before the task seam.
    #[serde(default)]
    valid_loss: Option<f64>,
    #[serde(default)]
    valid_error: Option<f64>,
    #[serde(default)]
    valid_auroc: Option<f64>,
    #[serde(default)]
    valid_threshold: Option<f64>,
}

impl From<StoredRecord> for EpochRecord {
    fn from(r: StoredRecord) -> Self {
        let mut valid = r.valid;
        for (name, value) in [
            ("loss", r.valid_loss),
            ("error", r.valid_error),
            ("auroc", r.valid_auroc),
            ("threshold", r.valid_threshold),
        ] {
            if let Some(v) = value {
                valid.entry(name.into()).or_insert(v);
            }
        }
        Self {
            epoch: r.epoch,
            learning_rate: r.learning_rate,
            train_loss: r.train_loss,
            valid,
            excerpts_per_second: r.excerpts_per_second,
            seconds: r.seconds,
        }
    }
}

/// Appends `record` to the log at `path` and syncs it.
pub fn append(path: &Path, record: &EpochRecord) -> Result<()> {
    let line = serde_json::to_string(record)
        .map_err(|e| Error::Other(format!("cannot write an epoch record: {e}")))?;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .at(path)?;
    writeln!(f, "{line}").at(path)?;
    f.sync_all().at(path)
}

/// Every record of the log at `path` (none if it does not exist).
pub fn read(path: &Path) -> Result<Vec<EpochRecord>> {
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(path).at(path)?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line)
                .map_err(|e| Error::Other(format!("{}, line {}: {e}", path.display(), i + 1)))
        })
        .collect()
}

/// Keeps the first `epochs` records (those a checkpoint covers).
pub fn truncate(path: &Path, epochs: usize) -> Result<()> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(());
    };
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            serde_json::from_str::<EpochRecord>(l)
                .map(|r| r.epoch <= epochs)
                .unwrap_or(false)
        })
        .collect();
    let mut out = kept.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    write_string_atomically(path, &out).at(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_from_before_the_task_seam_read_into_the_map() {
        let old = r#"{"epoch":2,"learning_rate":0.00085,"train_loss":0.41,"valid_loss":0.3,"valid_error":0.112,"valid_auroc":0.95,"valid_threshold":0.64,"excerpts_per_second":39.0,"seconds":50.0}"#;
        let r: EpochRecord = serde_json::from_str(old).unwrap();
        assert_eq!(r.epoch, 2);
        assert_eq!(r.valid["error"], 0.112);
        assert_eq!(r.valid["auroc"], 0.95);
        assert_eq!(r.valid["loss"], 0.3);
        let again: EpochRecord = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(again, r);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["valid"]["threshold"], 0.64);
    }
}
