//! `cochlea inspect`: what a run directory holds, as a short text report —
//! the frontend and backbone settings, how far training got, the final test
//! metrics, and the frontend's filters before training (the frontend built
//! from the run's `config.toml` exactly as training initialises it) next to
//! after training (the final model, or the newest checkpoint of an
//! unfinished run), and for a label-noise run its audit
//! (`label-noise/audit.json`).

use std::fmt::Write as _;
use std::path::PathBuf;

use cochlea_data::{NoiseAudit, label_noise::render_audit};
use cochlea_frontend::{BandSeries, FilterSummary};
use serde::Serialize;

use crate::checkpoint;
use crate::config::ExperimentConfig;
use crate::epoch_log::{self, EpochRecord};
use crate::error::{Error, IoContext, Result};
use crate::run::{RunDir, build_frontend, load_classifier};
use crate::tasks::Report;

/// Bands shown at each end of the per-band table; all bands when there are
/// at most twice as many.
const TABLE_END_BANDS: usize = 3;

/// Where the trained weights came from.
#[derive(Debug, Clone, PartialEq)]
pub enum TrainedWeights {
    /// The final model, `model.bpk`.
    FinalModel(PathBuf),
    /// The newest checkpoint of an unfinished run, after this many epochs.
    Checkpoint {
        /// Epochs completed when the checkpoint was written.
        epochs_done: usize,
        /// The checkpoint's `model.bpk`.
        file: PathBuf,
    },
}

/// Everything `cochlea inspect` reports about one run.
pub struct Inspection {
    /// The run directory.
    pub run: PathBuf,
    /// The run's resolved config.
    pub config: ExperimentConfig,
    /// One record per finished epoch, from `metrics.jsonl`.
    pub epochs: Vec<EpochRecord>,
    /// The test-split evaluation, if training wrote `metrics.json`.
    pub test: Option<Box<dyn Report>>,
    /// Where the trained frontend came from.
    pub weights: TrainedWeights,
    /// The frontend's filters as initialised from the config.
    pub before: FilterSummary,
    /// The frontend's filters after training.
    pub after: FilterSummary,
    /// The label-noise audit, for a run with `[label_noise]`.
    pub label_noise: Option<NoiseAudit>,
}

/// Reads `run` and builds its frontend before and after training.
pub fn inspect(run: &RunDir) -> Result<Inspection> {
    if !run.path.is_dir() {
        return Err(Error::Run {
            path: run.path.clone(),
            message: "is not a folder: pass the run directory that `cochlea train` created".into(),
        });
    }
    let config = run.load_config()?;
    let device = config.backend.device().map_err(Error::Config)?;
    let weights = trained_weights(run)?;
    let file = match &weights {
        TrainedWeights::FinalModel(file) | TrainedWeights::Checkpoint { file, .. } => file,
    };
    let after = load_classifier(&config, file, &device)?
        .frontend
        .filter_summary()?;
    let before = build_frontend(&config, &device).filter_summary()?;
    let task = config.task.build(&config.data, config.label_noise.as_ref());
    let test = match read_test_metrics(run)? {
        Some(json) => Some(
            task.read_report(&json)
                .map_err(|e| Error::Other(format!("{}: {e}", run.final_metrics().display())))?,
        ),
        None => None,
    };
    Ok(Inspection {
        run: run.path.clone(),
        epochs: epoch_log::read(&run.epoch_log())?,
        test,
        config,
        weights,
        before,
        after,
        label_noise: read_noise_audit(run)?,
    })
}

/// `label-noise/audit.json`, if the run has one.
fn read_noise_audit(run: &RunDir) -> Result<Option<NoiseAudit>> {
    let path = run.label_noise_audit();
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).at(&path)?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Other(format!("{}: {e}", path.display())))
}

/// The final model, else the newest complete checkpoint, else an error.
fn trained_weights(run: &RunDir) -> Result<TrainedWeights> {
    if run.model().is_file() {
        return Ok(TrainedWeights::FinalModel(run.model()));
    }
    match checkpoint::list(&run.checkpoints()).pop() {
        Some((epochs_done, folder)) => Ok(TrainedWeights::Checkpoint {
            epochs_done,
            file: folder.join("model.bpk"),
        }),
        None => Err(Error::Run {
            path: run.path.clone(),
            message: "has neither model.bpk nor a checkpoint: no epoch has finished yet; \
                      train it with `cochlea train --resume <run-dir>`"
                .into(),
        }),
    }
}

fn read_test_metrics(run: &RunDir) -> Result<Option<String>> {
    let path = run.final_metrics();
    if !path.is_file() {
        return Ok(None);
    }
    std::fs::read_to_string(&path).at(&path).map(Some)
}

impl Inspection {
    /// The report as text: settings, training, test metrics, filters.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let c = &self.config;
        let _ = writeln!(s, "run directory: {}", self.run.display());
        let _ = writeln!(
            s,
            "frontend: {}, sample rate {} Hz",
            settings(&c.frontend),
            c.data.sample_rate
        );
        let _ = writeln!(s, "task: {}", settings(&c.task));
        let _ = writeln!(s, "backbone: {}", settings(&c.model));
        let _ = writeln!(s, "augmentation: {}", c.augment.summary());
        let _ = writeln!(s, "{}", self.training_line());
        let _ = writeln!(s, "weights: {}", self.weights_line());
        if let Some(audit) = &self.label_noise {
            let _ = writeln!(s, "\nlabel noise (label-noise/audit.json):");
            s.push_str(&render_audit(audit));
        }
        match &self.test {
            Some(test) => {
                let _ = writeln!(s, "\ntest metrics (metrics.json):");
                s.push_str(&test.table());
            }
            None => {
                let _ = writeln!(s, "\ntest metrics: none yet (no metrics.json)");
            }
        }
        let _ = writeln!(
            s,
            "\nfilters before (initialised from config.toml) vs after training:"
        );
        s.push_str(&filter_table(&self.before, &self.after));
        s
    }

    fn training_line(&self) -> String {
        let planned = self.config.train.epochs;
        let Some(last) = self.epochs.last() else {
            return format!("epochs: 0 of {planned} completed (metrics.jsonl is empty or missing)");
        };
        let mut line = format!(
            "epochs: {} of {planned} completed; last epoch: train loss {:.4}",
            self.epochs.len(),
            last.train_loss
        );
        for (name, value) in &last.valid {
            let _ = write!(line, ", validation {name} {}", number(*value));
        }
        line
    }

    fn weights_line(&self) -> String {
        match &self.weights {
            TrainedWeights::FinalModel(file) => format!("{} (final model)", file.display()),
            TrainedWeights::Checkpoint { epochs_done, file } => format!(
                "{} (checkpoint after epoch {epochs_done}; the run has no final model yet)",
                file.display()
            ),
        }
    }
}

/// `kind (key = value, ...)` of a serde-tagged config section.
fn settings(section: &impl Serialize) -> String {
    let Ok(toml::Value::Table(mut table)) = toml::Value::try_from(section) else {
        return "?".into();
    };
    let kind = match table.remove("kind") {
        Some(toml::Value::String(kind)) => kind,
        _ => "?".into(),
    };
    let rest: Vec<String> = table
        .iter()
        .map(|(k, v)| match v {
            // A long list (a tagging run's tags): its length and first items.
            toml::Value::Array(items) if items.len() > 6 => {
                let first: Vec<String> = items.iter().take(3).map(|i| i.to_string()).collect();
                format!("{k} = [{}, … ({} in all)]", first.join(", "), items.len())
            }
            _ => format!("{k} = {v}"),
        })
        .collect();
    if rest.is_empty() {
        kind
    } else {
        format!("{kind} ({})", rest.join(", "))
    }
}

/// A per-band table with a before and an after column per series, the first
/// and last few bands, and the largest change of each series.
fn filter_table(before: &FilterSummary, after: &FilterSummary) -> String {
    let pairs: Vec<(&BandSeries, Option<&BandSeries>)> = before
        .series
        .iter()
        .map(|b| (b, after.series(&b.name)))
        .collect();
    let bands = pairs.iter().map(|(b, _)| b.values.len()).max().unwrap_or(0);
    let mut header = vec!["band".to_string()];
    for (b, _) in &pairs {
        header.push(format!("{} ({}) before", b.name, b.unit));
        header.push("after".into());
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let shown: Vec<Option<usize>> = if bands <= 2 * TABLE_END_BANDS {
        (0..bands).map(Some).collect()
    } else {
        (0..TABLE_END_BANDS)
            .map(Some)
            .chain([None])
            .chain((bands - TABLE_END_BANDS..bands).map(Some))
            .collect()
    };
    for band in shown {
        let mut row = vec![band.map_or("…".into(), |i| i.to_string())];
        for (b, a) in &pairs {
            let value = |s: Option<&BandSeries>| match band {
                Some(i) => s
                    .and_then(|s| s.values.get(i))
                    .map_or("-".into(), |v| number(*v)),
                None => "…".into(),
            };
            row.push(value(Some(b)));
            row.push(value(*a));
        }
        rows.push(row);
    }
    let mut change = vec!["max |Δ|".to_string()];
    for (b, a) in &pairs {
        change.push(String::new());
        change.push(match a {
            Some(a) => number(max_abs_change(&b.values, &a.values)),
            None => "-".into(),
        });
    }
    rows.push(change);
    let mut s = format!(
        "{} frontend, {} bands, {} Hz\n",
        before.kind, bands, before.sample_rate
    );
    s.push_str(&markdown_table(&header, &rows));
    s
}

fn max_abs_change(before: &[f64], after: &[f64]) -> f64 {
    before
        .iter()
        .zip(after)
        .map(|(b, a)| (a - b).abs())
        .fold(0.0, f64::max)
}

/// A value with about four significant digits, without exponent for the
/// magnitudes filters have (Hz, ms, small factors).
fn number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == 0.0 {
        return "0".into();
    }
    let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
    format!("{v:.digits$}")
}

/// A right-aligned markdown table.
fn markdown_table(header: &[String], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .chain([&header[c]])
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(c, w)| {
                let cell = cells.get(c).map_or("", String::as_str);
                format!("{}{cell}", " ".repeat(w - cell.chars().count()))
            })
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut s = line(header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    s.push_str(&format!("|-{}-|\n", rule.join("-|-")));
    for row in rows {
        s.push_str(&line(row));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_four_significant_digits() {
        assert_eq!(number(8000.0), "8000");
        assert_eq!(number(27.5), "27.50");
        assert_eq!(number(0.0125), "0.01250");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-1.5), "-1.500");
    }

    #[test]
    fn tables_align_columns_to_the_widest_cell() {
        let header = vec!["band".to_string(), "x".to_string()];
        let rows = vec![vec!["0".to_string(), "12.5".to_string()]];
        assert_eq!(
            markdown_table(&header, &rows),
            "| band |    x |\n|------|------|\n|    0 | 12.5 |\n"
        );
    }
}
