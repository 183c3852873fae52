//! `cochlea synth`: write a synthetic dataset by hand (a config with
//! `[data.synthetic]` does the same on first use).

use std::path::Path;

use anyhow::{Context, Result};
use cochlea_data::synth::{SynthSvdOptions, SynthTaggingOptions, generate_svd, generate_tagging};

/// Runs `cochlea synth svd`.
pub fn svd(dir: &Path, opts: &SynthSvdOptions) -> Result<()> {
    let summary = generate_svd(dir, opts)
        .with_context(|| format!("cannot generate a dataset in {}", dir.display()))?;
    eprintln!(
        "wrote {} songs ({:.0} s, {:.1} % sung) to {}",
        opts.songs,
        summary.total_seconds(),
        100.0 * summary.sung_fraction(),
        dir.display()
    );
    Ok(())
}

/// Runs `cochlea synth tagging`.
pub fn tagging(dir: &Path, opts: &SynthTaggingOptions) -> Result<()> {
    let summary = generate_tagging(dir, opts)
        .with_context(|| format!("cannot generate a dataset in {}", dir.display()))?;
    let (train, valid, test) = summary.split_counts();
    eprintln!(
        "wrote {} clips of {} s ({} tags; {train} train, {valid} valid, {test} test by folder) to {}",
        summary.clips,
        opts.clip_seconds,
        summary.tags.len(),
        dir.display()
    );
    Ok(())
}
