//! `cochlea compare`: trains every variant × seed of an experiment's
//! `[compare]` (continuing the folder if it exists), then writes the
//! statistical report (`report.md`), `results.csv`, `comparisons.csv` and
//! the figures; prints progress to stderr and the report to stdout.

use std::path::{Path, PathBuf};

use anyhow::Result;
use cochlea_study::SweepDir;
use cochlea_study::compare::Comparison;
use cochlea_study::compare_output::write_compare_report;
use cochlea_study::runner::run_sweep;

use crate::sweep_progress::SweepConsole;

/// Runs `cochlea compare`.
pub fn run(config: &Path, out: Option<PathBuf>, set: &[String]) -> Result<()> {
    let comparison = Comparison::load(config, set)?;
    let dir = out.map(SweepDir::new).unwrap_or_else(|| {
        let stem = config
            .file_stem()
            .map_or("compare".into(), |s| s.to_string_lossy());
        SweepDir::new(PathBuf::from("runs").join(format!("{stem}-compare")))
    });
    let mut console = SweepConsole::default();
    run_sweep(&comparison.sweep, &dir, &mut console)?;
    eprintln!("measuring each variant's frontend and analysing the runs ...");
    let files = write_compare_report(&comparison, &dir)?;
    println!("{}", files.text);
    println!("report:      {}", files.report.display());
    println!("results:     {}", files.results.display());
    println!("comparisons: {}", files.comparisons.display());
    println!("figures:     {}", files.figures.len());
    for f in &files.figures {
        println!("  {}", f.display());
    }
    Ok(())
}
