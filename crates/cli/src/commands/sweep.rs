//! `cochlea sweep`: trains every point of an experiment's `[sweep]` grid
//! (continuing the sweep folder if it exists), then writes `results.csv`
//! and, with `[sweep.plot]`, the summary and the figure; prints progress to
//! stderr and the summary table and file paths to stdout.

use std::path::{Path, PathBuf};

use anyhow::Result;
use cochlea_study::runner::run_sweep;
use cochlea_study::sweep_report::write_sweep_report;
use cochlea_study::{Sweep, SweepDir};

use crate::sweep_progress::SweepConsole;

/// Runs `cochlea sweep`.
pub fn run(config: &Path, out: Option<PathBuf>, set: &[String]) -> Result<()> {
    let sweep = Sweep::load(config, set)?;
    let dir = out
        .map(SweepDir::new)
        .unwrap_or_else(|| SweepDir::default_for(config));
    let mut console = SweepConsole::default();
    run_sweep(&sweep, &dir, &mut console)?;
    let report = write_sweep_report(&sweep, &dir)?;
    match &report.summary {
        Some(files) => {
            println!("{}", files.summary.markdown());
            println!("results: {}", report.results.display());
            println!(
                "summary: {} and {}",
                files.markdown.display(),
                files.csv.display()
            );
            println!("plot:    {}", files.plot.display());
        }
        None => {
            println!("results: {}", report.results.display());
            println!(
                "(add [sweep.plot] with metric = \"...\" and x = \"<axis>\" to the experiment \
                 for a summary table and a plot)"
            );
        }
    }
    Ok(())
}
