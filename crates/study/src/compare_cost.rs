//! What each variant's frontend costs, measured on this machine as the
//! frontends bench measures it ([`cochlea_frontend::cost`]): the number of
//! values it learns, and the median wall time of a forward + backward pass
//! on one training batch (the run's batch size, excerpts as long as the
//! task's network input), the variants taking turns round-robin with a mel
//! spectrogram as the reference: the mel variant if there is one, else a
//! mel of the first variant's bands, frame length, hop and sample rate.
//! The ratio to that mel is the figure to compare across machines; the
//! milliseconds hold for this machine only.

use cochlea_data::Framing;
use cochlea_frontend::cost::{forward_backward, learned_parameters, round_robin};
use cochlea_frontend::{Frontend, FrontendConfig, LogMelConfig};
use cochlea_trainer::ExperimentConfig;
use cochlea_trainer::run::build_frontend;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::error::{Error, Result};

/// One variant's frontend cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontendCost {
    /// Values the frontend learns.
    pub learned_parameters: usize,
    /// Median milliseconds of a forward + backward pass on one batch.
    pub ms: f64,
    /// Median over rounds of that time divided by the mel reference's.
    pub ratio_to_mel: f64,
}

/// Rounds timed per frontend (after two warm-up passes each).
pub const ROUNDS: usize = 10;

/// The cost of each config's frontend (one config per variant), on the
/// configs' shared backend.
pub fn frontend_costs(configs: &[&ExperimentConfig]) -> Result<Vec<FrontendCost>> {
    let first = configs
        .first()
        .ok_or_else(|| Error::Other("no variant to measure".into()))?;
    let device = first.backend.autodiff_device().map_err(Error::Config)?;
    let frontends: Vec<Frontend> = configs.iter().map(|c| build_frontend(c, &device)).collect();
    // A mel variant is the reference; else a mel of the first variant's
    // bands, frame length and hop.
    let mel_config = match configs
        .iter()
        .find(|c| matches!(c.frontend, FrontendConfig::Mel(_)))
    {
        Some(mel) => (*mel).clone(),
        None => ExperimentConfig {
            frontend: FrontendConfig::Mel(LogMelConfig {
                bands: frontends[0].bands(),
                n_fft: frontends[0].frame_length(),
                hop: frontends[0].hop(),
                ..LogMelConfig::default()
            }),
            ..(*first).clone()
        },
    };
    let mel = build_frontend(&mel_config, &device);
    let batches: Vec<(Vec<f32>, usize)> = std::iter::once(&mel)
        .chain(&frontends)
        .zip(std::iter::once(*first).chain(configs.iter().copied()))
        .map(|(f, c)| {
            let framing = Framing {
                frame_length: f.frame_length(),
                hop: f.hop(),
                sample_rate: c.data.sample_rate,
            };
            let samples = framing.samples_for(c.task.input_frames());
            (noise(c.train.batch_size * samples), c.train.batch_size)
        })
        .collect();
    let all: Vec<&Frontend> = std::iter::once(&mel).chain(&frontends).collect();
    let timings = round_robin(all.len(), ROUNDS, |i| {
        forward_backward(all[i], &batches[i].0, batches[i].1, None, &device)
    })
    .map_err(|e| Error::Other(format!("timing the frontends: {e}")))?;
    Ok(frontends
        .iter()
        .zip(&timings[1..])
        .map(|(f, t)| FrontendCost {
            learned_parameters: learned_parameters(f),
            ms: t.ms,
            ratio_to_mel: t.ratio_to_first,
        })
        .collect())
}

/// `n` samples of uniform noise in `[-0.1, 0.1)`, the same every time.
fn noise(n: usize) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(7);
    (0..n).map(|_| rng.random_range(-0.1f32..0.1)).collect()
}
