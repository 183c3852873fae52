//! `cochlea features`: a frontend's output for one audio file as `.npy`.

use std::path::PathBuf;

use anyhow::Result;

/// Runs `cochlea features`.
pub fn run(source: PathBuf, audio: PathBuf, out: PathBuf, set: &[String]) -> Result<()> {
    let f = cochlea_trainer::features::extract(&source, set, &audio, &out)?;
    eprintln!(
        "wrote {} ({} bands x {} frames, {})",
        out.display(),
        f.bands,
        f.frames,
        if f.standardized {
            "standardised with the run's training statistics"
        } else {
            "not standardised: no training statistics in a config"
        }
    );
    Ok(())
}
