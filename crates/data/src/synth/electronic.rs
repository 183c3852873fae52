//! Synthesiser parts of the tagging generator: a pad (two detuned
//! band-limited sawtooths per chord tone through a resonant low-pass whose
//! cutoff an LFO sweeps) and a sequenced arpeggio (short pulse or saw notes
//! on the sixteenth grid with a decaying filter envelope). The filter is
//! Chamberlin's state-variable filter (Chamberlin, "Musical Applications of
//! Microprocessors", 1985, §14.4), whose cutoff can change every sample.

use super::music::Harmony;
use super::osc::{Phase, Sine, midi_hz, pulse, saw};
use super::rng::Rng;

/// A Chamberlin state-variable low-pass.
#[derive(Clone, Copy, Default)]
struct Svf {
    low: f32,
    band: f32,
}

impl Svf {
    /// One sample through the low-pass at cutoff `fc` Hz (clamped to keep
    /// the filter stable) with damping `q` (2 = none, small = resonant).
    #[inline]
    fn lowpass(&mut self, x: f32, fc: f32, q: f32, sr: f32) -> f32 {
        let f = 2.0 * (std::f32::consts::PI * fc.min(0.16 * sr) / sr).sin();
        self.low += f * self.band;
        let high = x - self.low - q * self.band;
        self.band += f * high;
        self.low
    }
}

/// Adds a synth pad holding every chord, voiced in MIDI 52–76.
pub(crate) fn synth_pad(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let sine = Sine::new();
    let detune = rng.rangef(0.05, 0.2);
    let cutoff = rng.rangef(500.0, 2500.0);
    let depth = rng.rangef(0.2, 0.8);
    let lfo_rate = rng.rangef(0.05, 0.5) / srf;
    let q = rng.rangef(0.3, 1.2);
    let attack = rng.rangef(0.2, 1.5) * srf;
    let low = rng.int(50, 58);
    let mut lfo = Phase(rng.rangef(0.0, 1.0));
    let mut buf = vec![0.0f32; out.len()];
    for chord in &h.chords {
        let tail = (0.5 * srf) as usize;
        let stop = (chord.end + tail).min(out.len());
        let len = chord.end - chord.start;
        for d in chord.degrees() {
            let mut m = h.key.pitch(d);
            while m < low {
                m += 12;
            }
            while m >= low + 12 {
                m -= 12;
            }
            for det in [-detune, detune] {
                let inc = midi_hz(m as f32 + det) / srf;
                let mut ph = Phase(rng.rangef(0.0, 1.0));
                for (i, b) in buf[chord.start..stop].iter_mut().enumerate() {
                    let env = if i < len {
                        (i as f32 / attack).min(1.0)
                    } else {
                        (len as f32 / attack).min(1.0) * (1.0 - (i - len) as f32 / tail as f32)
                    };
                    *b += 0.3 * env * saw(ph.tick(inc), inc);
                }
            }
        }
    }
    let mut f = Svf::default();
    for (o, b) in out.iter_mut().zip(&buf) {
        let c = cutoff * (1.0 + depth * sine.at(lfo.tick(lfo_rate)));
        *o += f.lowpass(*b, c, q, srf);
    }
}

/// Adds an arpeggiator: chord tones up, down or up-down over one or two
/// octaves, one note per sixteenth, with a plucky filter envelope.
pub(crate) fn arpeggio(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let square = rng.chance(0.5);
    let duty = rng.rangef(0.2, 0.5);
    let octaves = rng.int(1, 2) as usize;
    let mode = rng.below(3);
    let base = rng.int(55, 67);
    let decay = rng.rangef(0.04, 0.2) * srf;
    let (c_lo, c_hi) = (rng.rangef(300.0, 800.0), rng.rangef(1500.0, 2500.0));
    let q = rng.rangef(0.2, 0.8);
    let step = h.eighth / 2.0;
    let len = out.len();
    let mut k = 0usize;
    let mut f = Svf::default();
    loop {
        let s = (k as f64 * step).round() as usize;
        if s >= len {
            break;
        }
        let e = (((k + 1) as f64 * step).round() as usize).min(len);
        let degs = h.chord_at(s).degrees();
        let n = degs.len() * octaves;
        let i = match mode {
            0 => k % n,
            1 => n - 1 - k % n,
            _ => {
                let p = k % (2 * n - 2).max(1);
                if p < n { p } else { 2 * n - 2 - p }
            }
        };
        let mut m = h
            .key
            .pitch(degs[i % degs.len()] + 7 * (i / degs.len()) as i32);
        while m < base {
            m += 12;
        }
        let inc = midi_hz(m as f32) / srf;
        let mut ph = Phase::default();
        for (j, o) in out[s..e].iter_mut().enumerate() {
            let t = ph.tick(inc);
            let x = if square {
                pulse(t, inc, duty)
            } else {
                saw(t, inc)
            };
            let env = (-(j as f32) / decay).exp();
            let c = c_lo + (c_hi - c_lo) * env;
            *o += 0.5 * env * f.lowpass(x, c, q, srf);
        }
        k += 1;
    }
}
