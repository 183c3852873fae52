//! What the analysis of a comparison reads from each finished run: its
//! test figures (`metrics.json`) with the predictions they came from
//! (`test-predictions.json`), the same on the transfer set if the
//! comparison names one, and its training time.
//!
//! A run trained before runs kept their predictions has its kept model
//! evaluated on the test split again (the same protocol, so the same
//! figures) and the predictions written; the transfer evaluation is made
//! once per run and kept as `transfer-<name>.json` and
//! `transfer-<name>-predictions.json` in the run directory, so that running
//! the comparison again recomputes nothing. A run whose training diverged
//! (`diverged.txt`) has no figures.

use std::collections::BTreeMap;
use std::path::PathBuf;

use cochlea_data::atomic::write_string_atomically;
use cochlea_frontend::bounds::AtBound;
use cochlea_trainer::RunDir;
use cochlea_trainer::evaluate::evaluate_run;
use cochlea_trainer::tasks::{ResampledMetrics, Task};
use cochlea_trainer::unit_predictions::UnitPredictions;

use crate::compare::Comparison;
use crate::compare_config::TransferSet;
use crate::error::{Error, IoContext, Result};
use crate::point_name::file_safe;
use crate::results::run_metrics;
use crate::run_time::train_seconds;
use crate::sweep_dir::SweepDir;

/// A run's figures on one test set.
pub struct SetFigures {
    /// The report's metrics by name.
    pub metrics: BTreeMap<String, f64>,
    /// The metrics under unit weights, from the predictions.
    pub resampled: Box<dyn ResampledMetrics>,
    /// What one unit is (`song`, `track`).
    pub unit_kind: String,
    /// Units in the set.
    pub units: usize,
}

/// What the analysis needs of one run.
pub struct RunFigures {
    /// On the experiment's test split; `None` when training diverged.
    pub test: Option<SetFigures>,
    /// On the transfer set, if there is one (and training did not diverge).
    pub transfer: Option<SetFigures>,
    /// Seconds its epochs took.
    pub train_seconds: f64,
    /// Its learned frontend parameters that sit on a constraint bound
    /// (only parameters with at least one value there).
    pub at_bounds: Vec<AtBound>,
}

/// The figures of every run of `comparison` in `dir`, in grid order.
pub fn gather(comparison: &Comparison, dir: &SweepDir) -> Result<Vec<RunFigures>> {
    comparison
        .sweep
        .grid
        .points
        .iter()
        .zip(&comparison.sweep.configs)
        .map(|(point, config)| {
            let run = dir.run(point);
            if run.diverged().is_file() {
                return Ok(RunFigures {
                    test: None,
                    transfer: None,
                    train_seconds: train_seconds(&run)?,
                    at_bounds: Vec::new(),
                });
            }
            let task = config.task.build(&config.data, config.label_noise.as_ref());
            let test = Some(test_figures(&run, task.as_ref())?);
            let transfer = comparison
                .config
                .transfer
                .as_ref()
                .map(|t| transfer_figures(&run, task.as_ref(), t))
                .transpose()?;
            Ok(RunFigures {
                test,
                transfer,
                train_seconds: train_seconds(&run)?,
                at_bounds: at_bounds(&run)?,
            })
        })
        .collect()
}

/// The kept model's learned frontend parameters on a bound, loaded on the
/// run's autodiff device (where the learned parameters require a gradient).
fn at_bounds(run: &RunDir) -> Result<Vec<AtBound>> {
    let config = run.load_config()?;
    let device = config.backend.autodiff_device().map_err(Error::Config)?;
    let model = run.load_model(&config, &device)?;
    let found = model
        .frontend
        .parameters_at_bounds()
        .map_err(|e| Error::Other(format!("{}: {e}", run.path.display())))?;
    Ok(found.into_iter().filter(|b| b.at_bound > 0).collect())
}

fn figures(
    task: &dyn Task,
    metrics: BTreeMap<String, f64>,
    predictions: &UnitPredictions,
) -> SetFigures {
    SetFigures {
        metrics,
        resampled: task.resampled_metrics(predictions),
        unit_kind: predictions.unit_kind.clone(),
        units: predictions.unit_count(),
    }
}

/// The run's test figures; predictions made again if the run has none.
fn test_figures(run: &RunDir, task: &dyn Task) -> Result<SetFigures> {
    let metrics = run_metrics(run)?;
    let path = run.test_predictions();
    let predictions = if path.is_file() {
        UnitPredictions::read(&path)?
    } else {
        let report = evaluate_run(run, None, "test")?;
        let p = owned_predictions(report.as_ref(), run)?;
        p.write(&path)?;
        p
    };
    Ok(figures(task, metrics, &predictions))
}

/// The transfer report and predictions files of `run` for `set`.
pub fn transfer_files(run: &RunDir, set: &TransferSet) -> (PathBuf, PathBuf) {
    let name = file_safe(&set.name);
    (
        run.path.join(format!("transfer-{name}.json")),
        run.path.join(format!("transfer-{name}-predictions.json")),
    )
}

/// The run's figures on the transfer set, evaluated once and kept.
fn transfer_figures(run: &RunDir, task: &dyn Task, set: &TransferSet) -> Result<SetFigures> {
    let (report_file, predictions_file) = transfer_files(run, set);
    if !(report_file.is_file() && predictions_file.is_file()) {
        let report = evaluate_run(run, Some(&set.root), &set.split).map_err(|e| {
            Error::Other(format!(
                "evaluating {} on the transfer set {} (split {}): {e}",
                run.path.display(),
                set.root.display(),
                set.split
            ))
        })?;
        owned_predictions(report.as_ref(), run)?.write(&predictions_file)?;
        let json = report.json()?;
        write_string_atomically(&report_file, &json).at(&report_file)?;
    }
    let json = std::fs::read_to_string(&report_file).at(&report_file)?;
    let metrics = task
        .read_report(&json)
        .map_err(|e| Error::Other(format!("{}: {e}", report_file.display())))?
        .metrics();
    let predictions = UnitPredictions::read(&predictions_file)?;
    Ok(figures(task, metrics, &predictions))
}

fn owned_predictions(
    report: &dyn cochlea_trainer::tasks::Report,
    run: &RunDir,
) -> Result<UnitPredictions> {
    report.unit_predictions().cloned().ok_or_else(|| {
        Error::Other(format!(
            "{}: its task's evaluation gave no per-unit predictions",
            run.path.display()
        ))
    })
}
