//! An export read back into a cochlea classifier: the network its sidecar
//! describes ([`crate::export_sidecar`]), built on a backend of the caller's
//! choice, with the PyTorch-named weights loaded through burn-store's
//! `PyTorchToBurnAdapter` ([`crate::export_weights`]). It computes what the
//! exported run's model computes (bit for bit on the same backend).

use std::path::Path;

use cochlea_model::Classifier;

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::export_sidecar::{Sidecar, sidecar_path};
use crate::export_weights::load_pytorch_safetensors;

/// The classifier of the export `weights` (a `.safetensors` file with its
/// `.json` sidecar beside it) on `backend`, in inference mode, and its sidecar.
pub fn load_export(weights: &Path, backend: Backend) -> Result<(Classifier, Sidecar)> {
    let sidecar = Sidecar::read(&sidecar_path(weights))?;
    let method = backend.dft_method();
    let in_sidecar = |e: String| Error::Config(format!("{}: {e}", sidecar_path(weights).display()));
    sidecar
        .frontend
        .validate(sidecar.sample_rate, method)
        .map_err(in_sidecar)?;
    sidecar
        .model
        .validate(sidecar.input_frames, sidecar.frontend.bands())
        .map_err(in_sidecar)?;
    let device = backend.device().map_err(Error::Config)?;
    let frontend = sidecar.frontend.init(sidecar.sample_rate, method, &device);
    let skeleton = sidecar.model.init_classifier(
        frontend,
        sidecar.input_frames,
        sidecar.outputs,
        sidecar.training.seed,
        &device,
    );
    let model = load_pytorch_safetensors(skeleton, weights)?;
    Ok((model, sidecar))
}
