//! `cochlea train`: a new run from a config, or `--resume` of a run; prints
//! training progress to stderr and the test report to stdout.

use std::path::PathBuf;

use anyhow::{Result, bail};
use cochlea_trainer::{ExperimentConfig, RunDir, train};

use crate::progress::Console;

/// Runs `cochlea train`.
pub fn run(
    config: Option<PathBuf>,
    out: Option<PathBuf>,
    set: &[String],
    resume: Option<PathBuf>,
) -> Result<()> {
    let mut console = Console::default();
    let outcome = if let Some(run_dir) = resume {
        train::resume(RunDir::new(run_dir), &mut console)?
    } else {
        let Some(path) = config else {
            bail!(
                "give an experiment config (e.g. experiments/quickstart.toml) or --resume <run-dir>"
            );
        };
        let config = ExperimentConfig::load(&path, set)?;
        let run = out
            .map(RunDir::new)
            .unwrap_or_else(|| RunDir::fresh_default(&path));
        eprintln!("run directory: {}", run.path.display());
        train::train_new(config, run, &mut console)?
    };
    println!("{}", outcome.report.table());
    Ok(())
}
