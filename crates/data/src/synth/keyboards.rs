//! Keyboard instruments of the tagging generator, as sums of decaying
//! partials: a piano, whose stiff strings stretch the partials to
//! `f_n = n f0 sqrt(1 + B n^2)` (Fletcher, "Normal vibration frequencies of a
//! stiff piano string", JASA 36(1), 1964) and whose upper partials die
//! faster, with a low hammer thump; and a harpsichord, whose plucked strings
//! have many strong harmonic partials shaped by the plucking point
//! (`|sin(π n p)|`), a short decay and a click.

use super::filter::Biquad;
use super::music::{Harmony, MelodyStyle, melody};
use super::osc::{Phase, Sine, midi_hz};
use super::rng::Rng;

/// One partial: frequency ratio to the fundamental, amplitude, decay time
/// constant in seconds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Partial {
    pub(crate) ratio: f32,
    pub(crate) amp: f32,
    pub(crate) decay: f32,
}

/// Adds one note of `partials` at `freq` Hz to `out`: each partial starts
/// at `onset`, decays with its own time constant while the key is held
/// (`hold` samples) and with `release` seconds after that.
#[allow(clippy::too_many_arguments)]
pub(crate) fn additive_note(
    partials: &[Partial],
    freq: f32,
    onset: usize,
    hold: usize,
    release: f32,
    vel: f32,
    sr: u32,
    rng: &mut Rng,
    out: &mut [f32],
) {
    if onset >= out.len() {
        return;
    }
    let srf = sr as f32;
    let sine = Sine::new();
    let k_rel = (-1.0 / (release * srf)).exp();
    let stop_rel = onset + hold + (6.0 * release * srf) as usize;
    for p in partials {
        let f = freq * p.ratio;
        if f >= 0.45 * srf {
            continue;
        }
        let inc = f / srf;
        let k = (-1.0 / (p.decay * srf)).exp();
        let stop = (onset + (6.0 * p.decay * srf) as usize)
            .min(stop_rel)
            .min(out.len());
        let mut ph = Phase(rng.rangef(0.0, 1.0));
        let mut a = vel * p.amp;
        // A 2 ms attack ramp avoids a click at the onset.
        let ramp = (0.002 * srf).max(1.0);
        for (i, o) in out[onset..stop].iter_mut().enumerate() {
            let atk = (i as f32 / ramp).min(1.0);
            *o += a * atk * sine.at(ph.tick(inc));
            a *= if i < hold { k } else { k_rel };
        }
    }
}

/// A piano's partials for MIDI note `midi`: inharmonicity `b`, amplitude
/// roll-off exponent `tilt`, base decay `decay` seconds (shorter for high
/// notes and high partials).
fn piano_partials(midi: f32, b: f32, tilt: f32, decay: f32) -> Vec<Partial> {
    let register = ((midi - 36.0) / 48.0).clamp(0.0, 1.0);
    let d0 = decay * (1.0 - 0.6 * register);
    (1..=10)
        .map(|n| {
            let n = n as f32;
            Partial {
                ratio: n * (1.0 + b * n * n).sqrt(),
                amp: n.powf(-tilt) * if n == 1.0 { 1.0 } else { 0.8 },
                decay: d0 / (1.0 + 0.25 * (n - 1.0)),
            }
        })
        .collect()
}

/// Adds a hammer thump: a short burst of low-passed noise.
fn thump(onset: usize, level: f32, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let mut lp = Biquad::lowpass(rng.range(300.0, 900.0), 0.7, f64::from(sr));
    let len = ((0.03 * sr as f32) as usize).min(out.len().saturating_sub(onset));
    let k = (-1.0 / (0.006 * sr as f32)).exp();
    let mut a = level;
    for o in &mut out[onset..onset + len] {
        *o += a * lp.process(rng.noise());
        a *= k;
    }
}

/// Adds a piano: a left hand (block chords, broken chords or bass-and-chord)
/// under a right-hand melody, both on the song's grid.
pub(crate) fn piano(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let b = rng.rangef(1e-4, 6e-4);
    let tilt = rng.rangef(0.9, 1.7);
    let decay = rng.rangef(1.0, 2.5);
    let release = rng.rangef(0.08, 0.3);
    let left = rng.below(3);
    let len = out.len();
    let play = |midi: i32, start: usize, end: usize, vel: f32, rng: &mut Rng, out: &mut [f32]| {
        let m = midi as f32;
        let p = piano_partials(m, b, tilt, decay);
        additive_note(
            &p,
            midi_hz(m),
            start,
            end.saturating_sub(start),
            release,
            vel,
            sr,
            rng,
            out,
        );
        thump(start, 0.15 * vel, sr, rng, out);
    };
    for chord in &h.chords {
        let mut tones: Vec<i32> = chord
            .degrees()
            .iter()
            .map(|&d| {
                let mut m = h.key.pitch(d) - 12;
                while m > 60 {
                    m -= 12;
                }
                m
            })
            .collect();
        tones.sort_unstable();
        let root = h.key.pitch(chord.degree) - 24;
        match left {
            0 => {
                for &t in &tones {
                    play(t, chord.start, chord.end, rng.rangef(0.3, 0.5), rng, out);
                }
                play(root, chord.start, chord.end, 0.5, rng, out);
            }
            1 => {
                // Broken chord on eighths: root, then the chord tones cycling.
                let mut k = 0usize;
                loop {
                    let s = chord.start + (k as f64 * h.eighth).round() as usize;
                    if s >= chord.end {
                        break;
                    }
                    let m = if k == 0 {
                        root
                    } else {
                        tones[(k - 1) % tones.len()]
                    };
                    let e = (s + (2.0 * h.eighth) as usize).min(len);
                    play(m, s, e, rng.rangef(0.25, 0.45), rng, out);
                    k += 1;
                }
            }
            _ => {
                play(root, chord.start, chord.end, 0.5, rng, out);
                let mut k = 2usize;
                loop {
                    let s = chord.start + (k as f64 * h.eighth).round() as usize;
                    if s >= chord.end {
                        break;
                    }
                    let e = (s + h.eighth as usize).min(len);
                    for &t in &tones {
                        play(t, s, e, rng.rangef(0.2, 0.35), rng, out);
                    }
                    k += 4;
                }
            }
        }
    }
    let low = rng.int(60, 67);
    let style = MelodyStyle {
        range: (low, low + rng.int(12, 19)),
        durations: vec![(1, 1.0), (2, 3.0), (4, 3.0), (6, 0.7), (8, 1.0)],
        leap_prob: 0.3,
    };
    let rest = rng.range(0.0, 0.2);
    for n in melody(h, 0, len, &style, rng, (0.08 * srf) as usize) {
        if rng.chance(rest) {
            continue;
        }
        play(
            n.midi as i32,
            n.start,
            n.end,
            rng.rangef(0.5, 0.9),
            rng,
            out,
        );
    }
}

/// Adds a harpsichord: sixteenth-note arpeggios over the chords, sometimes
/// with a melody above them.
pub(crate) fn harpsichord(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let pluck_at = rng.rangef(0.08, 0.2);
    let decay = rng.rangef(0.5, 1.2);
    let partials: Vec<Partial> = (1..=18)
        .map(|n| {
            let n = n as f32;
            Partial {
                ratio: n,
                amp: n.powf(-0.55) * (std::f32::consts::PI * n * pluck_at).sin().abs().max(0.1),
                decay: decay / (1.0 + 0.06 * n),
            }
        })
        .collect();
    let step = h.eighth / 2.0;
    let len = out.len();
    let up_down = rng.chance(0.5);
    let mut k = 0usize;
    loop {
        let s = (k as f64 * step).round() as usize;
        if s >= len {
            break;
        }
        let chord = h.chord_at(s);
        let degs = chord.degrees();
        let n = degs.len() * 2;
        let i = if up_down && (k / n) % 2 == 1 {
            n - 1 - k % n
        } else {
            k % n
        };
        let mut m = h
            .key
            .pitch(degs[i % degs.len()] + 7 * (i / degs.len()) as i32 - 7);
        while m < 48 {
            m += 12;
        }
        while m > 84 {
            m -= 12;
        }
        let e = (s + (2.0 * step) as usize).min(len);
        additive_note(
            &partials,
            midi_hz(m as f32),
            s,
            e - s,
            0.05,
            rng.rangef(0.35, 0.5),
            sr,
            rng,
            out,
        );
        k += 1;
    }
    if rng.chance(0.5) {
        let style = MelodyStyle {
            range: (72, 88),
            durations: vec![(1, 2.0), (2, 3.0), (4, 1.0)],
            leap_prob: 0.2,
        };
        for n in melody(h, 0, len, &style, rng, (0.06 * srf) as usize) {
            additive_note(
                &partials,
                midi_hz(n.midi),
                n.start,
                n.end - n.start,
                0.05,
                0.5,
                sr,
                rng,
                out,
            );
        }
    }
}
