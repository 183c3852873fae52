//! What a finished sweep leaves besides its runs: `results.csv` always, and
//! with `[sweep.plot]` the summary (`summary.md`, `summary.csv`) and the
//! figure (`<metric>-vs-<x>.svg`), all written atomically into the sweep
//! folder and rewritten from the run directories every time.

use std::path::PathBuf;

use cochlea_data::atomic::write_string_atomically;

use crate::error::{IoContext, Result};
use crate::plot::write_plot;
use crate::results::{collect, results_csv};
use crate::summary::{Summary, summarize};
use crate::sweep::Sweep;
use crate::sweep_dir::SweepDir;

/// The files written and the summary.
#[derive(Debug, Clone)]
pub struct SweepReport {
    /// `results.csv`.
    pub results: PathBuf,
    /// The summary with its files, with `[sweep.plot]`.
    pub summary: Option<SummaryFiles>,
}

/// The summary of a sweep with a plot, and where it was written.
#[derive(Debug, Clone)]
pub struct SummaryFiles {
    /// The summary itself.
    pub summary: Summary,
    /// `summary.md`.
    pub markdown: PathBuf,
    /// `summary.csv`.
    pub csv: PathBuf,
    /// The SVG figure.
    pub plot: PathBuf,
}

/// Reads every run of `sweep` in `dir` and writes the tables and the figure.
pub fn write_sweep_report(sweep: &Sweep, dir: &SweepDir) -> Result<SweepReport> {
    let results = collect(&sweep.grid, dir)?;
    let path = dir.results();
    write_string_atomically(&path, &results_csv(&sweep.grid, &results)).at(&path)?;
    let summary = match &sweep.plot {
        None => None,
        Some(plot) => {
            let summary = summarize(&sweep.grid, &results, plot);
            let files = SummaryFiles {
                markdown: dir.summary_markdown(),
                csv: dir.summary_csv(),
                plot: dir.plot(&plot.metric, &plot.x),
                summary,
            };
            write_string_atomically(&files.markdown, &files.summary.markdown())
                .at(&files.markdown)?;
            write_string_atomically(&files.csv, &files.summary.csv()).at(&files.csv)?;
            write_plot(&files.summary, &files.plot)?;
            Some(files)
        }
    };
    Ok(SweepReport {
        results: path,
        summary,
    })
}
