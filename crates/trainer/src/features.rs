//! `cochlea features`: the frontend's output for one audio file as a
//! `[bands, frames]` float32 `.npy` — from an experiment config (freshly
//! initialised frontend, no standardisation: there are no training
//! statistics yet) or from a trained run (its learned frontend and its
//! training-set standardisation).

use std::path::Path;

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};
use cochlea_frontend::Frontend;

use crate::config::ExperimentConfig;
use crate::error::{Error, IoContext, Result};
use crate::npy::write_npy_f32;
use crate::run::{RunDir, build_frontend};
use cochlea_frontend::host::to_f32_vec;

/// Features written by [`extract`].
pub struct Features {
    /// Number of bands (rows).
    pub bands: usize,
    /// Number of frames (columns).
    pub frames: usize,
    /// Whether the training-set standardisation was applied.
    pub standardized: bool,
}

/// Computes the features of `audio` with the frontend of `source` (an
/// experiment `.toml` or a run directory) and writes them to `out`.
pub fn extract(source: &Path, overrides: &[String], audio: &Path, out: &Path) -> Result<Features> {
    let (config, frontend, standardized) = if source.is_dir() {
        if let Some(item) = overrides.first() {
            return Err(Error::Config(format!(
                "--set {item}: overrides apply to an experiment config, not to the run directory \
                 {} (its frontend is the trained one); pass the config file instead",
                source.display()
            )));
        }
        let run = RunDir::new(source);
        let config = run.load_config()?;
        let device = config.backend.device().map_err(Error::Config)?;
        let model = run.load_model(&config, &device)?;
        (config, model.frontend.valid(), true)
    } else {
        let config = ExperimentConfig::load(source, overrides)?;
        let device = config.backend.device().map_err(Error::Config)?;
        let frontend = build_frontend(&config, &device);
        (config, frontend, false)
    };
    let mut loader = config.data.loader();
    // The cache of a file outside the dataset lives next to the output.
    loader.cache_dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(".cochlea-cache");
    let wave = loader.load(audio)?;
    let samples = wave.samples();
    if samples.len() < frontend.frame_length() {
        return Err(Error::Other(format!(
            "{} is {} samples long at {} Hz, shorter than one frame ({} samples)",
            audio.display(),
            samples.len(),
            config.data.sample_rate,
            frontend.frame_length()
        )));
    }
    let values = compute(&frontend, samples, standardized)?;
    let frames = values.len() / frontend.bands();
    write_npy_f32(out, &[frontend.bands(), frames], &values).at(out)?;
    Ok(Features {
        bands: frontend.bands(),
        frames,
        standardized,
    })
}

fn compute(frontend: &Frontend, samples: &[f32], standardized: bool) -> Result<Vec<f32>> {
    let device = frontend.standardize().device();
    let wave = Tensor::<2>::from_data(
        TensorData::new(samples.to_vec(), [1, samples.len()]),
        &device,
    );
    let features = if standardized {
        frontend.forward(wave)
    } else {
        frontend.unstandardized(wave)
    }; // [1, bands, frames]
    let [_, bands, frames] = features.dims();
    Ok(to_f32_vec(
        features.reshape([bands, frames]),
        "the features",
    )?)
}
