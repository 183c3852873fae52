//! `cochlea evaluate`: a run's model on a split, by its task's protocol;
//! writes the JSON report and prints the table.

use std::path::PathBuf;

use anyhow::{Context, Result};
use cochlea_data::atomic::write_string_atomically;
use cochlea_trainer::RunDir;
use cochlea_trainer::evaluate::{evaluate_run, report_path};

/// Runs `cochlea evaluate`.
pub fn run(run: PathBuf, data: Option<PathBuf>, split: &str, out: Option<PathBuf>) -> Result<()> {
    let run = RunDir::new(run);
    let report = evaluate_run(&run, data.as_deref(), split)?;
    let path = match out {
        Some(path) => path,
        None => report_path(&run, data.as_deref(), split)?,
    };
    write_string_atomically(&path, &report.json()?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", report.table());
    let (audio, predict) = report.timing();
    eprintln!(
        "predicted {audio:.0} s of audio in {predict:.1} s; report written to {}",
        path.display()
    );
    Ok(())
}
