//! One excerpt's augmentation chain, in this order:
//!
//! 1. time scaling — speed, time stretch, pitch shift ([`super::time_scale`])
//!    — from the source span centred on the excerpt's anchor, read from the
//!    song or clip with zeros beyond its ends;
//! 2. the random peaking filter ([`super::filter`]), run over
//!    `PREROLL_SECONDS` of (time-scaled) audio before the excerpt so that its
//!    start transient is not in it;
//! 3. mixing in a second excerpt ([`super::mix`]), read as it is, and
//!    uniting the targets;
//! 4. noise at an SNR relative to the result ([`super::noise`]);
//! 5. gain ([`super::gain`]), so the SNRs are kept.

use super::filter::Biquad;
use super::gain::apply_gain;
use super::mix::{mix_in, unite_targets};
use super::noise::add_noise;
use super::params::Parameters;
use super::time_scale::{TimeScale, TimeScaleScratch};
use crate::excerpt_source::{ExcerptSource, Position};

/// Audio filtered before the excerpt starts, in seconds.
pub const PREROLL_SECONDS: f64 = 0.1;

/// Reusable buffers for augmenting excerpts one after another.
#[derive(Debug, Default)]
pub struct Scratch {
    source: Vec<f32>,
    scaled: Vec<f32>,
    other: Vec<f32>,
    noise: Vec<f32>,
    time_scale: TimeScaleScratch,
}

/// Writes the augmented excerpt at `position` into `out`
/// (`excerpt_samples` long) and its targets into `targets`.
pub fn augment_excerpt(
    source: &dyn ExcerptSource,
    position: Position,
    params: &Parameters,
    out: &mut [f32],
    targets: &mut [f32],
    scratch: &mut Scratch,
) {
    let sample_rate = source.sample_rate();
    let anchor = source.anchor();
    let preroll = if params.filter.is_some() {
        (PREROLL_SECONDS * f64::from(sample_rate)).round() as usize
    } else {
        0
    };
    // Output: the pre-roll and the excerpt, the anchor `preroll + anchor` in.
    let (before, after) = (preroll + anchor, out.len() - anchor);
    scratch.scaled.clear();
    scratch.scaled.resize(before + after, 0.0);
    let scale = TimeScale::new(params.speed, params.stretch, params.pitch, sample_rate);
    if scale.is_identity() {
        source.read(position, -(preroll as isize), &mut scratch.scaled);
    } else {
        let (src_before, src_after) = scale.source_span(before, after);
        scratch.source.clear();
        scratch.source.resize(src_before + src_after, 0.0);
        source.read(
            position,
            anchor as isize - src_before as isize,
            &mut scratch.source,
        );
        scale.run(
            &scratch.source,
            src_before,
            &mut scratch.scaled,
            before,
            &mut scratch.time_scale,
        );
    }
    if let Some(peaking) = params.filter {
        let biquad: Biquad = peaking.biquad(sample_rate);
        biquad.apply(&mut scratch.scaled);
    }
    out.copy_from_slice(&scratch.scaled[preroll..]);
    targets.copy_from_slice(source.label(position));
    if let Some(mix) = params.mix {
        scratch.other.clear();
        scratch.other.resize(out.len(), 0.0);
        source.read(mix.position, 0, &mut scratch.other);
        if mix_in(out, &scratch.other, mix.snr_db) {
            unite_targets(targets, source.label(mix.position));
        }
    }
    if let Some(noise) = params.noise {
        add_noise(out, noise.snr_db, noise.seed, &mut scratch.noise);
    }
    if params.gain_db != 0.0 {
        apply_gain(out, params.gain_db);
    }
}
