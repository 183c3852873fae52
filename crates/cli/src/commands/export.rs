//! `cochlea export`: a trained run's model as PyTorch-named safetensors
//! with a JSON sidecar, for `python/cochlea_torch.py`.

use std::path::{Path, PathBuf};

use anyhow::Result;
use cochlea_trainer::RunDir;

/// Runs `cochlea export`.
pub fn run(run: PathBuf, out: &Path) -> Result<()> {
    let exported = cochlea_trainer::export::export_run(&RunDir::new(run), out)?;
    eprintln!(
        "wrote {} ({} tensors) and {}; load them in PyTorch with python/cochlea_torch.py: \
         cochlea_torch.load(\"{}\")",
        exported.weights.display(),
        exported.tensors.len(),
        exported.sidecar.display(),
        exported.weights.display()
    );
    Ok(())
}
