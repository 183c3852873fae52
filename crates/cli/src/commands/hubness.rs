//! `cochlea hubness`: hubness of a run's embedding space on a split, before
//! and after Mutual Proximity and local scaling; writes the JSON report and
//! prints the table.

use anyhow::{Context, Result, bail};
use cochlea_analysis::hubness::Metric;
use cochlea_analysis::hubness_run::{HubnessRequest, default_report_path, hubness_of_run};
use cochlea_data::atomic::write_string_atomically;
use std::path::PathBuf;

/// Runs `cochlea hubness`; `out` defaults to `<run>/hubness-<split>-<layer>.json`.
pub fn run(request: HubnessRequest, out: Option<PathBuf>) -> Result<()> {
    let output = hubness_of_run(&request)?;
    let path =
        out.unwrap_or_else(|| default_report_path(&request.run, &request.split, request.layer));
    let json = serde_json::to_string_pretty(&output)?;
    write_string_atomically(&path, &(json + "\n"))
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", output.report.table());
    eprintln!(
        "embedded {} items in {:.1} s, analysed in {:.1} s; report written to {}",
        output.report.items_embedded,
        output.embed_seconds,
        output.analyse_seconds,
        path.display()
    );
    Ok(())
}

/// Reads `--metric`.
pub fn metric(name: &str) -> Result<Metric> {
    match Metric::parse(name) {
        Some(m) => Ok(m),
        None => bail!("--metric {name:?}: use euclidean or cosine"),
    }
}
