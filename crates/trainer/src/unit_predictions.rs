//! What a run predicted on its test split, item by item and grouped into the
//! split's independent units: the songs of a singing voice test set (whose
//! frames are not independent of each other), the tracks of a tagging test
//! set (MagnaTagATune cuts several clips from one track). Training writes it
//! to `<run>/test-predictions.json` next to `metrics.json`.
//!
//! It holds exactly the scores the report's metrics were computed from (for
//! singing voice, the median-filtered frame probabilities) and the decision
//! thresholds used, so that a comparison can recompute every metric on a
//! bootstrap resample of the units ([`crate::tasks::Task::resampled_metrics`])
//! and get the report's figures back when every unit is drawn once.
//!
//! JSON, so that a Python user can read it with `json.load`: per unit its
//! name, its items' names (tagging: the clip ids; singing voice: none, the
//! items are its frames in order), and row-major `[items, outputs]` labels
//! (0/1) and scores. Scores are `f32` and round-trip exactly.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};

/// A run's predictions on one split, by unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitPredictions {
    /// The split predicted (`test`).
    pub split: String,
    /// What one unit is, for reports: `song` or `track`.
    pub unit_kind: String,
    /// The names of the outputs (`voice`, or the tags), the columns of
    /// `labels` and `scores`.
    pub outputs: Vec<String>,
    /// The decision threshold of each output (`score > threshold` is
    /// positive); `None` where none was chosen.
    pub thresholds: Vec<Option<f32>>,
    /// The units, in the split's order.
    pub units: Vec<UnitItems>,
}

/// The items of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitItems {
    /// The unit's name (song file stem, track).
    pub name: String,
    /// The items' names, if they have any (clip ids); empty for frames.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// Row-major `[items, outputs]` labels, 0 or 1.
    pub labels: Vec<u8>,
    /// Row-major `[items, outputs]` scores.
    pub scores: Vec<f32>,
}

/// Every item of a split pooled, with the unit each belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct PooledItems {
    /// Row-major `[items, outputs]` labels.
    pub labels: Vec<bool>,
    /// Row-major `[items, outputs]` scores.
    pub scores: Vec<f32>,
    /// The unit of each item (an index into [`UnitPredictions::units`]).
    pub unit_of: Vec<u32>,
}

impl UnitPredictions {
    /// Number of units.
    pub fn unit_count(&self) -> usize {
        self.units.len()
    }

    /// All items pooled in unit order.
    pub fn pooled(&self) -> PooledItems {
        let outputs = self.outputs.len();
        let mut pooled = PooledItems {
            labels: Vec::new(),
            scores: Vec::new(),
            unit_of: Vec::new(),
        };
        for (u, unit) in self.units.iter().enumerate() {
            pooled.labels.extend(unit.labels.iter().map(|&l| l != 0));
            pooled.scores.extend_from_slice(&unit.scores);
            let items = unit.scores.len() / outputs.max(1);
            pooled.unit_of.extend(std::iter::repeat_n(u as u32, items));
        }
        pooled
    }

    /// Checks that every unit's arrays fit the outputs; names `path` if not.
    fn check(&self, path: &Path) -> Result<()> {
        let bad = |message: String| {
            Err(Error::Other(format!(
                "{}: {message}; delete the file and run `cochlea evaluate` on the run again",
                path.display()
            )))
        };
        let outputs = self.outputs.len();
        if outputs == 0 || self.thresholds.len() != outputs {
            return bad(format!(
                "{} outputs but {} thresholds",
                outputs,
                self.thresholds.len()
            ));
        }
        for unit in &self.units {
            let n = unit.scores.len();
            if n % outputs != 0 || unit.labels.len() != n || unit.labels.iter().any(|&l| l > 1) {
                return bad(format!(
                    "unit {} has {} scores and {} labels for {outputs} outputs",
                    unit.name,
                    n,
                    unit.labels.len()
                ));
            }
            if !unit.items.is_empty() && unit.items.len() * outputs != n {
                return bad(format!(
                    "unit {} names {} items but has {} rows",
                    unit.name,
                    unit.items.len(),
                    n / outputs
                ));
            }
        }
        Ok(())
    }

    /// Writes the predictions to `path` atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string(self)
            .map_err(|e| Error::Other(format!("cannot write {}: {e}", path.display())))?;
        cochlea_data::atomic::write_string_atomically(path, &text).at(path)
    }

    /// Reads predictions written by [`UnitPredictions::write`].
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).at(path)?;
        let p: Self = serde_json::from_str(&text)
            .map_err(|e| Error::Other(format!("{}: not test predictions: {e}", path.display())))?;
        p.check(path)?;
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> UnitPredictions {
        UnitPredictions {
            split: "test".into(),
            unit_kind: "track".into(),
            outputs: vec!["rock".into(), "piano".into()],
            thresholds: vec![Some(0.25), None],
            units: vec![
                UnitItems {
                    name: "t1".into(),
                    items: vec!["c1".into(), "c2".into()],
                    labels: vec![1, 0, 0, 1],
                    scores: vec![0.9, 0.1, 1.0 / 3.0, f32::MIN_POSITIVE],
                },
                UnitItems {
                    name: "t2".into(),
                    items: vec!["c3".into()],
                    labels: vec![0, 0],
                    scores: vec![0.5, 0.7],
                },
            ],
        }
    }

    #[test]
    fn round_trips_exactly_and_pools_in_unit_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test-predictions.json");
        let p = example();
        p.write(&path).unwrap();
        assert_eq!(UnitPredictions::read(&path).unwrap(), p);
        let pooled = p.pooled();
        assert_eq!(pooled.unit_of, [0, 0, 1]);
        assert_eq!(pooled.labels, [true, false, false, true, false, false]);
        assert_eq!(pooled.scores[2], 1.0 / 3.0);
    }

    #[test]
    fn a_file_that_does_not_fit_its_outputs_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test-predictions.json");
        let mut p = example();
        p.units[1].scores.pop();
        p.write(&path).unwrap();
        let msg = UnitPredictions::read(&path).unwrap_err().to_string();
        assert!(
            msg.contains("test-predictions.json") && msg.contains("unit t2"),
            "{msg}"
        );
        let mut p = example();
        p.units[0].labels[0] = 2;
        p.write(&path).unwrap();
        assert!(UnitPredictions::read(&path).is_err());
    }
}
