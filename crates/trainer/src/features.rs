//! `cochlea features`: the frontend's output for one audio file as a
//! `[bands, frames]` float32 `.npy` — from an experiment config (freshly
//! initialised frontend, no standardisation: there are no training
//! statistics yet) or from a trained run (its learned frontend and its
//! training-set standardisation).
//!
//! The file streams through ([`cochlea_data::AudioStream`]: decoded and
//! resampled a block at a time) and the frontend runs on windows of
//! [`WINDOW_SECONDS`] of frames with its context either side
//! ([`crate::frame_windows`]), so memory is bounded by the window and the
//! output, whatever the file's length; the frames equal those of one pass
//! over the whole signal.

use std::path::Path;

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};
use cochlea_data::{AudioStream, Framing, SampleSource};
use cochlea_frontend::Frontend;

use crate::config::ExperimentConfig;
use crate::error::{Error, IoContext, Result};
use crate::frame_stream::FrameStream;
use crate::frame_windows::WindowPlan;
use crate::npy::write_npy_f32_rows;
use crate::run::{RunDir, build_frontend};
use cochlea_frontend::host::to_f32_vec;

/// Seconds of frames kept per window.
pub const WINDOW_SECONDS: f64 = 30.0;

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
    let rate = config.data.sample_rate;
    let framing = Framing {
        frame_length: frontend.frame_length(),
        hop: frontend.hop(),
        sample_rate: rate,
    };
    let mut stream = AudioStream::open(audio, rate)?;
    let span = ((WINDOW_SECONDS * framing.fps()) as usize).max(1);
    let (rows, samples) = band_rows(&frontend, framing, &mut stream, standardized, span)?;
    let frames = rows.first().map_or(0, Vec::len);
    if frames == 0 {
        return Err(Error::Other(format!(
            "{} is {samples} samples long at {rate} Hz, shorter than one frame ({} samples)",
            audio.display(),
            frontend.frame_length()
        )));
    }
    write_npy_f32_rows(out, &rows).at(out)?;
    Ok(Features {
        bands: frontend.bands(),
        frames,
        standardized,
    })
}

/// The features of what `source` streams, one row per band (`[bands][frames]`),
/// computed in windows of `span` frames, and the number of samples read.
pub fn band_rows(
    frontend: &Frontend,
    framing: Framing,
    source: &mut dyn SampleSource,
    standardized: bool,
    span: usize,
) -> Result<(Vec<Vec<f32>>, usize)> {
    let device = frontend.standardize().device();
    let bands = frontend.bands();
    let plan = WindowPlan {
        framing,
        span,
        need: (0, 0),
        context: frontend.context()?,
    };
    let mut rows = vec![Vec::new(); bands];
    let mut stream = FrameStream::new(plan, source);
    while let Some((window, samples)) = stream.next_window()? {
        let wave = Tensor::<2>::from_data(
            TensorData::new(samples.to_vec(), [1, samples.len()]),
            &device,
        );
        let features = if standardized {
            frontend.forward(wave)
        } else {
            frontend.unstandardized(wave)
        }; // [1, bands, computed frames]
        let used = window.used();
        let kept = used.len();
        let values = to_f32_vec(
            features
                .slice([0..1, 0..bands, used])
                .reshape([bands, kept]),
            "the features",
        )?;
        for (row, band) in rows.iter_mut().zip(values.chunks_exact(kept.max(1))) {
            row.extend_from_slice(band);
        }
    }
    Ok((rows, stream.length().unwrap_or(0)))
}
