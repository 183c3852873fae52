//! Plucked strings of the tagging generator: a harp (Karplus–Strong strings
//! from `instruments.rs`, mellow and long-ringing, in arpeggios over two
//! octaves), a distorted electric guitar (power chords of detuned band-limited
//! sawtooths through a `tanh` overdrive and a cabinet-like low-pass) and a
//! sitar (a bright sawtooth with plucked envelope, pitch slides between
//! notes (meend) and bends, through an asymmetric waveshaper for the
//! buzzing bridge (jawari) and a body resonance).

use super::filter::Biquad;
use super::instruments::pluck;
use super::music::{Harmony, MelodyStyle, melody};
use super::osc::{Phase, midi_hz, saw};
use super::rng::Rng;

/// Adds a harp arpeggiating the chords on the eighth or sixteenth grid.
pub(crate) fn harp(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let step = if rng.chance(0.5) {
        h.eighth
    } else {
        h.eighth / 2.0
    };
    let damping = rng.rangef(0.997, 0.9995);
    let brightness = rng.range(700.0, 2200.0);
    let ring = (rng.rangef(1.5, 3.0) * srf) as usize;
    let base = rng.int(43, 55);
    let len = out.len();
    let mut k = 0usize;
    loop {
        let s = (k as f64 * step).round() as usize;
        if s >= len {
            break;
        }
        let degs = h.chord_at(s).degrees();
        let n = degs.len() * 2;
        let i = k % n;
        let mut m = h
            .key
            .pitch(degs[i % degs.len()] + 7 * (i / degs.len()) as i32 - 14);
        while m < base {
            m += 12;
        }
        if rng.chance(0.9) {
            let f = midi_hz(m as f32);
            pluck(
                f,
                s,
                ring,
                damping,
                brightness,
                rng.rangef(0.5, 0.9),
                sr,
                rng,
                out,
            );
        }
        k += 1;
    }
}

/// Adds a distorted electric guitar playing power chords (root, fifth,
/// octave) on the chord roots, palm-muted eighths or sustained.
pub(crate) fn electric_guitar(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let sr64 = f64::from(sr);
    let drive = rng.rangef(4.0, 20.0);
    let muted = rng.chance(0.5);
    let mut lp = Biquad::lowpass(rng.range(2000.0, 5000.0), 0.9, sr64);
    let mut mid = Biquad::peaking(rng.range(500.0, 1200.0), 1.0, rng.range(0.0, 8.0), sr64);
    let mut hp = Biquad::highpass(80.0, 0.7, sr64);
    let len = out.len();
    let mut buf = vec![0.0f32; len];
    let mut k = 0usize;
    let every = if muted { 1 } else { 8 };
    loop {
        let s = h.tick(k);
        if s >= len {
            break;
        }
        if k.is_multiple_of(every) {
            let e = h.tick(k + every).min(len);
            let mut root = h.key.pitch(h.chord_at(s).degree) - 24;
            while root < 40 {
                root += 12;
            }
            while root > 52 {
                root -= 12;
            }
            let decay = if muted { 0.08 * srf } else { 1.5 * srf };
            for (j, off) in [0.0f32, 7.0, 12.0].iter().enumerate() {
                for det in [-0.06f32, 0.06] {
                    let f = midi_hz(root as f32 + off + det) / srf;
                    let mut ph = Phase(rng.rangef(0.0, 1.0));
                    let g = if j == 0 { 1.0 } else { 0.7 };
                    for (i, b) in buf[s..e].iter_mut().enumerate() {
                        *b += g * saw(ph.tick(f), f) * (-(i as f32) / decay).exp();
                    }
                }
            }
        }
        k += 1;
    }
    for (o, b) in out.iter_mut().zip(&buf) {
        let y = (drive * 0.2 * b).tanh();
        *o += hp.process(mid.process(lp.process(y)));
    }
}

/// Adds a sitar melody: plucked notes with slides and bends.
pub(crate) fn sitar(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let sr64 = f64::from(sr);
    let low = rng.int(55, 62);
    let style = MelodyStyle {
        range: (low, low + rng.int(12, 17)),
        durations: vec![(1, 2.0), (2, 3.0), (3, 1.0), (4, 2.0), (8, 1.0)],
        leap_prob: 0.15,
    };
    let decay = rng.rangef(0.4, 0.9) * srf;
    let buzz = rng.rangef(0.3, 0.8);
    let mut body = [
        Biquad::peaking(rng.range(700.0, 1400.0), 2.0, rng.range(4.0, 10.0), sr64),
        Biquad::peaking(rng.range(2500.0, 3800.0), 1.5, rng.range(4.0, 10.0), sr64),
    ];
    let mut hp = Biquad::highpass(120.0, 0.7, sr64);
    let notes = melody(h, 0, out.len(), &style, rng, (0.07 * srf) as usize);
    let mut ph = Phase::default();
    let mut pitch = notes.first().map_or(60.0, |n| n.midi);
    for n in &notes {
        let slide = rng.chance(0.35);
        let bend = if rng.chance(0.2) {
            rng.int(1, 2) as f32
        } else {
            0.0
        };
        let k_slide = if slide {
            1.0 / (0.08 * srf)
        } else {
            1.0 / (0.004 * srf)
        };
        let len = n.end - n.start;
        for (i, o) in out[n.start..n.end].iter_mut().enumerate() {
            let target = n.midi + if i > len / 2 { bend } else { 0.0 };
            pitch += (target - pitch) * k_slide.min(1.0);
            let inc = (midi_hz(pitch) / srf).min(0.45);
            let s = saw(ph.tick(inc), inc);
            let env = (-(i as f32) / decay).exp() * (i as f32 / 30.0).min(1.0);
            let x = s * env;
            let mut y = (2.0 * x).tanh() + buzz * x * x.abs();
            for b in &mut body {
                y = b.process(y);
            }
            *o += 0.5 * hp.process(y);
        }
    }
}
