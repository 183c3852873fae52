//! The random parameters of one excerpt's augmentation, and exactly how
//! they are drawn.
//!
//! Each excerpt gets one 64-bit seed from the epoch's augmentation RNG; each
//! augmentation draws from its own stream of that seed (xoshiro256++,
//! [`crate::synth::rng`]), so switching one augmentation on or off never
//! changes what another draws, and two runs that differ only in one key
//! augment alike otherwise. `u` below is uniform in `[0, 1)`:
//!
//! - `speed`, `time_stretch`, `pitch_shift` = x: factor `1 + x (2u - 1)`,
//!   uniform in `[1 - x, 1 + x)`; exactly 1 when x = 0. The speed factor
//!   multiplies frequencies and tempo, the stretch factor the tempo only, the
//!   pitch factor the frequencies only (a factor above 1 is faster or higher);
//! - `filter_db` = x: an RBJ peaking filter ([`super::filter`]) with gain
//!   `x (2u - 1)` dB, centre frequency log-uniform in
//!   `[FILTER_LOWEST_HZ, FILTER_HIGHEST_FRACTION * sample_rate]`
//!   (40 Hz to 9,922 Hz at 22,050 Hz) and bandwidth uniform in
//!   `[0.5, 3]` octaves (between the −3 dB-of-peak-gain points, as the
//!   cookbook's `BW`);
//! - `gain_db` = x: gain `x (2u - 1)` dB;
//! - `noise_snr_db`: with probability `noise_probability`, white Gaussian
//!   noise from its own seed at exactly that SNR ([`super::noise`]);
//! - `mix_snr_db`: with probability `mix_probability`, a second excerpt
//!   position drawn by the sampler as for training ([`super::mix`]).

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng};

use super::config::AugmentConfig;
use super::filter::Peaking;
use crate::excerpt_source::{ExcerptSource, Position};
use crate::synth::rng::Rng;

/// Lowest centre frequency of the random filter in Hz.
pub const FILTER_LOWEST_HZ: f64 = 40.0;
/// Highest centre frequency of the random filter, as a fraction of the sample rate.
pub const FILTER_HIGHEST_FRACTION: f64 = 0.45;
/// Bandwidths of the random filter in octaves.
pub const FILTER_OCTAVES: [f64; 2] = [0.5, 3.0];

/// Stream numbers of the augmentations (never reorder: they fix the draws).
mod stream {
    pub const SPEED: u64 = 1;
    pub const STRETCH: u64 = 2;
    pub const PITCH: u64 = 3;
    pub const FILTER: u64 = 4;
    pub const MIX: u64 = 5;
    pub const NOISE: u64 = 6;
    pub const GAIN: u64 = 7;
}

/// A second excerpt to mix in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MixIn {
    /// Where it is.
    pub position: Position,
    /// How far below the excerpt's power it is mixed, in dB.
    pub snr_db: f64,
}

/// Noise to add.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoiseIn {
    /// How far below the excerpt's power, in dB.
    pub snr_db: f64,
    /// Seed of the noise samples.
    pub seed: u64,
}

/// Everything random about one excerpt's augmentation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parameters {
    /// Speed factor (frequencies and tempo).
    pub speed: f64,
    /// Tempo factor (source samples per output sample, pitch kept).
    pub stretch: f64,
    /// Frequency factor (duration kept).
    pub pitch: f64,
    /// The random peaking filter.
    pub filter: Option<Peaking>,
    /// The excerpt mixed in.
    pub mix: Option<MixIn>,
    /// The noise added.
    pub noise: Option<NoiseIn>,
    /// Gain in dB.
    pub gain_db: f64,
}

impl Parameters {
    /// Draws the parameters for the excerpt with augmentation seed `seed`.
    pub fn draw(config: &AugmentConfig, source: &dyn ExcerptSource, seed: u64) -> Self {
        let symmetric = |tag: u64, x: f64| {
            if x > 0.0 {
                x * (2.0 * Rng::stream(seed, tag).uniform() - 1.0)
            } else {
                0.0
            }
        };
        let filter = (config.filter_db > 0.0).then(|| {
            let mut rng = Rng::stream(seed, stream::FILTER);
            let gain_db = config.filter_db * (2.0 * rng.uniform() - 1.0);
            let highest = FILTER_HIGHEST_FRACTION * f64::from(source.sample_rate());
            let centre_hz = FILTER_LOWEST_HZ * (highest / FILTER_LOWEST_HZ).powf(rng.uniform());
            let bandwidth_octaves = rng.range(FILTER_OCTAVES[0], FILTER_OCTAVES[1]);
            Peaking {
                centre_hz,
                gain_db,
                bandwidth_octaves,
            }
        });
        let mix = config.mix_snr_db.and_then(|snr_db| {
            let mut rng = Rng::stream(seed, stream::MIX);
            rng.chance(config.mix_probability).then(|| MixIn {
                position: source.draw(&mut StdRng::seed_from_u64(rng.next_u64())),
                snr_db,
            })
        });
        let noise = config.noise_snr_db.and_then(|snr_db| {
            let mut rng = Rng::stream(seed, stream::NOISE);
            rng.chance(config.noise_probability).then(|| NoiseIn {
                snr_db,
                seed: rng.next_u64(),
            })
        });
        Self {
            speed: 1.0 + symmetric(stream::SPEED, config.speed),
            stretch: 1.0 + symmetric(stream::STRETCH, config.time_stretch),
            pitch: 1.0 + symmetric(stream::PITCH, config.pitch_shift),
            filter,
            mix,
            noise,
            gain_db: symmetric(stream::GAIN, config.gain_db),
        }
    }
}

/// One seed per example from the epoch's augmentation RNG.
pub fn excerpt_seeds(augment: &mut StdRng, batch: usize) -> Vec<u64> {
    (0..batch).map(|_| augment.next_u64()).collect()
}
