//! Drum-like percussion: a kick (a sine swept down in pitch with an
//! exponential decay and a click), a snare (band-passed noise plus a short
//! tone) and hi-hats (high-passed noise bursts), played from per-song
//! sixteen-step patterns, with bars where the drums rest.

use super::filter::Biquad;
use super::music::Harmony;
use super::osc::{Phase, Sine};
use super::rng::Rng;

/// Per-song drum sounds and patterns.
struct Kit {
    kick: (f32, f32, f32),
    snare: (f64, f32, f32),
    hat: (f64, f32),
    /// Sixteen-step patterns (bit i = sixteenth i of the bar).
    kick_steps: u16,
    snare_steps: u16,
    hat_steps: u16,
    /// Gains of kick, snare, hat.
    gains: [f32; 3],
}

impl Kit {
    fn random(rng: &mut Rng) -> Self {
        const KICKS: [u16; 5] = [
            0b0000_0001_0000_0001,
            0b0000_0101_0000_0001,
            0b0001_0001_0001_0001,
            0b0010_0000_1000_0001,
            0b0000_0001_0010_0001,
        ];
        const SNARES: [u16; 3] = [
            0b0001_0000_0001_0000,
            0b0001_0000_0001_0000,
            0b0000_0000_0001_0000,
        ];
        const HATS: [u16; 4] = [
            0b0101_0101_0101_0101,
            0b1111_1111_1111_1111,
            0b0100_0100_0100_0100,
            0b1101_1101_1101_1101,
        ];
        Kit {
            kick: (
                rng.rangef(90.0, 180.0),
                rng.rangef(40.0, 60.0),
                rng.rangef(0.12, 0.35),
            ),
            snare: (
                rng.range(1200.0, 3500.0),
                rng.rangef(160.0, 240.0),
                rng.rangef(0.08, 0.2),
            ),
            hat: (rng.range(5000.0, 9000.0), rng.rangef(0.02, 0.08)),
            kick_steps: *rng.pick(&KICKS),
            snare_steps: *rng.pick(&SNARES),
            hat_steps: *rng.pick(&HATS),
            gains: [
                rng.rangef(0.6, 1.0),
                rng.rangef(0.3, 0.8),
                rng.rangef(0.08, 0.35),
            ],
        }
    }
}

/// Adds a drum track to `out`. Each bar plays with probability ~0.8 (and
/// the first one to four bars may be an intro without drums).
pub(crate) fn drums(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let kit = Kit::random(rng);
    play(kit, h, sr, rng, out);
}

/// Adds a drum track playing the given sixteen-step kick, snare and hat
/// patterns (bit i = sixteenth i of the bar) with a random kit.
pub(crate) fn drums_with(h: &Harmony, steps: [u16; 3], sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let mut kit = Kit::random(rng);
    kit.kick_steps = steps[0];
    kit.snare_steps = steps[1];
    kit.hat_steps = steps[2];
    play(kit, h, sr, rng, out);
}

fn play(kit: Kit, h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let sixteenth = h.eighth / 2.0;
    let bar = 16.0 * sixteenth;
    let bars = (out.len() as f64 / bar).ceil() as usize;
    let intro = if rng.chance(0.5) { rng.below(4) + 1 } else { 0 };
    let rest_prob = rng.range(0.0, 0.3);
    let mut playing = true;
    for b in 0..bars {
        if b < intro {
            continue;
        }
        // Rests come in runs of a few bars.
        if b % 2 == 0 {
            playing = !rng.chance(rest_prob);
        }
        if !playing {
            continue;
        }
        for step in 0..16 {
            let pos = ((b as f64 * bar) + step as f64 * sixteenth).round() as usize;
            if pos >= out.len() {
                break;
            }
            let bit = 1u16 << step;
            if kit.kick_steps & bit != 0 {
                kick(&kit, pos, rng.rangef(0.8, 1.0), sr, rng, out);
            }
            if kit.snare_steps & bit != 0 {
                snare(&kit, pos, rng.rangef(0.7, 1.0), sr, rng, out);
            }
            if kit.hat_steps & bit != 0 {
                let open = rng.chance(0.08);
                hat(&kit, pos, rng.rangef(0.5, 1.0), open, sr, rng, out);
            }
        }
    }
}

fn kick(kit: &Kit, pos: usize, vel: f32, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let sine = Sine::new();
    let (f_hi, f_lo, decay) = kit.kick;
    let len = ((5.0 * decay * srf) as usize).min(out.len() - pos);
    let mut ph = Phase::default();
    let g = vel * kit.gains[0];
    // Per-sample exponentials by recursion, not exp().
    let sweep_k = (-1.0 / (0.03 * srf)).exp();
    let amp_k = (-1.0 / (decay * srf)).exp();
    let click_k = (-1.0 / (0.003 * srf)).exp();
    let (mut sweep, mut a, mut click) = (1.0f32, 1.0f32, 0.3f32);
    for o in &mut out[pos..pos + len] {
        let f = f_lo + (f_hi - f_lo) * sweep;
        let v = sine.at(ph.tick(f / srf)) * a + click * rng.noise();
        *o += g * v;
        sweep *= sweep_k;
        a *= amp_k;
        click *= click_k;
    }
}

fn snare(kit: &Kit, pos: usize, vel: f32, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let sine = Sine::new();
    let (centre, tone, decay) = kit.snare;
    let len = ((5.0 * decay * srf) as usize).min(out.len() - pos);
    let mut bp = Biquad::bandpass(centre, 0.7, f64::from(sr));
    let mut ph = Phase::default();
    let g = vel * kit.gains[1];
    let noise_k = (-1.0 / (decay * srf)).exp();
    let tone_k = (-1.0 / (0.05 * srf)).exp();
    let (mut a, mut b) = (1.0f32, 0.6f32);
    for o in &mut out[pos..pos + len] {
        let v = 2.0 * bp.process(rng.noise()) * a + sine.at(ph.tick(tone / srf)) * b;
        *o += g * v;
        a *= noise_k;
        b *= tone_k;
    }
}

fn hat(kit: &Kit, pos: usize, vel: f32, open: bool, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let (cutoff, decay) = kit.hat;
    let decay = if open { decay * 4.0 } else { decay };
    let len = ((5.0 * decay * srf) as usize).min(out.len() - pos);
    let mut hp = Biquad::highpass(cutoff, 0.9, f64::from(sr));
    let g = vel * kit.gains[2];
    let k = (-1.0 / (decay * srf)).exp();
    let mut a = 1.0f32;
    for o in &mut out[pos..pos + len] {
        *o += g * hp.process(rng.noise()) * a;
        a *= k;
    }
}
