//! `cochlea inspect`: a run's summary, and optionally its filters as SVG.

use std::path::PathBuf;

use anyhow::Result;
use cochlea_trainer::RunDir;

/// Runs `cochlea inspect`.
pub fn run(run: PathBuf, filters: Option<PathBuf>) -> Result<()> {
    let inspection = cochlea_trainer::inspect::inspect(&RunDir::new(run))?;
    print!("{}", inspection.render());
    if let Some(path) = filters {
        cochlea_trainer::filter_plot::write_filter_plot(
            &inspection.before,
            &inspection.after,
            &path,
        )?;
        eprintln!("filter plot written to {}", path.display());
    }
    Ok(())
}
