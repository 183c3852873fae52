//! `results.csv`: one row per run of a sweep, read back from the finished
//! run directories (the aggregation never looks at the runner's state).
//!
//! Columns: one per sweep key (its value's label, in grid order), then every
//! test metric any run reports ([`Report::metrics`], names in sorted order;
//! empty where a run's report leaves one out, and every one empty for a run
//! whose training diverged), `status` (`finished` or `diverged`),
//! `train_seconds` (the run's
//! epochs, see [`crate::run_time`]) and `run` (the run directory, relative
//! to the sweep folder, so that the table does not depend on where the
//! folder is). Numbers are written in Rust's shortest round-trip form.
//!
//! [`Report::metrics`]: cochlea_trainer::tasks::Report::metrics

use std::collections::{BTreeMap, BTreeSet};

use cochlea_trainer::RunDir;

use crate::csv::record;
use crate::error::{Error, IoContext, Result};
use crate::grid::Grid;
use crate::run_time::train_seconds;
use crate::sweep_dir::SweepDir;

/// The outcome of one finished run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// Index of its point in the grid.
    pub point: usize,
    /// Its test metrics by name.
    pub metrics: BTreeMap<String, f64>,
    /// Seconds its epochs took.
    pub train_seconds: f64,
    /// Its run directory, relative to the sweep folder.
    pub run: String,
    /// Whether its training diverged (then it has no metrics).
    pub diverged: bool,
}

/// The test metrics of a finished run, through its task's report reader.
pub fn run_metrics(run: &RunDir) -> Result<BTreeMap<String, f64>> {
    let file = run.final_metrics();
    if !file.is_file() {
        return Err(Error::Other(format!(
            "{} has no metrics.json: the run is not finished; run the sweep again to finish it",
            run.path.display()
        )));
    }
    let config = run.load_config()?;
    let json = std::fs::read_to_string(&file).at(&file)?;
    let report = config
        .task
        .build(&config.data, config.label_noise.as_ref())
        .read_report(&json)
        .map_err(|e| Error::Other(format!("{}: {e}", file.display())))?;
    Ok(report.metrics())
}

/// The results of every point of `grid` in `dir` (every run must be finished).
pub fn collect(grid: &Grid, dir: &SweepDir) -> Result<Vec<RunResult>> {
    grid.points
        .iter()
        .map(|point| {
            let run = dir.run(point);
            let diverged = run.diverged().is_file();
            Ok(RunResult {
                point: point.index,
                metrics: if diverged {
                    BTreeMap::new()
                } else {
                    run_metrics(&run)?
                },
                train_seconds: train_seconds(&run)?,
                run: SweepDir::run_relative(point),
                diverged,
            })
        })
        .collect()
}

/// Every metric name in `results`, sorted.
pub fn metric_names(results: &[RunResult]) -> Vec<String> {
    let names: BTreeSet<&String> = results.iter().flat_map(|r| r.metrics.keys()).collect();
    names.into_iter().cloned().collect()
}

/// The text of `results.csv`.
pub fn results_csv(grid: &Grid, results: &[RunResult]) -> String {
    let keys = grid.keys();
    let metrics = metric_names(results);
    let mut header: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    header.extend(metrics.iter().cloned());
    header.extend(["status", "train_seconds", "run"].map(String::from));
    let mut text = record(&header);
    for r in results {
        let point = &grid.points[r.point];
        let mut row: Vec<String> = point.values.iter().map(|v| v.label.clone()).collect();
        row.extend(
            metrics
                .iter()
                .map(|m| r.metrics.get(m).map(f64::to_string).unwrap_or_default()),
        );
        row.push(if r.diverged { "diverged" } else { "finished" }.to_string());
        row.push(r.train_seconds.to_string());
        row.push(r.run.clone());
        text.push_str(&record(&row));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep_config::take_sweep;

    #[test]
    fn one_row_per_run_with_axes_metrics_time_and_run() {
        let mut table: toml::Table = "[sweep]\nseed = [1, 2]\nfrontend = [{ name = \"a,b\" }]\n"
            .parse()
            .unwrap();
        let grid = Grid::new(take_sweep(&mut table).unwrap().unwrap().axes).unwrap();
        let results = vec![
            RunResult {
                point: 0,
                metrics: BTreeMap::from([("f1".into(), 0.5), ("auroc".into(), 0.75)]),
                train_seconds: 12.5,
                run: SweepDir::run_relative(&grid.points[0]),
                diverged: false,
            },
            RunResult {
                point: 1,
                metrics: BTreeMap::from([("f1".into(), 0.1)]),
                train_seconds: 3.0,
                run: SweepDir::run_relative(&grid.points[1]),
                diverged: true,
            },
        ];
        assert_eq!(
            results_csv(&grid, &results),
            "frontend,seed,auroc,f1,status,train_seconds,run\r\n\
             \"a,b\",1,0.75,0.5,finished,12.5,\"runs/frontend=a_b,seed=1\"\r\n\
             \"a,b\",2,,0.1,diverged,3,\"runs/frontend=a_b,seed=2\"\r\n"
        );
    }
}
