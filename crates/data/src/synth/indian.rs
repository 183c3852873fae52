//! Indian classical accompaniment of the tagging generator: a tanpura drone
//! (the cycle Pa–Sa–Sa–Sa, low, each pluck a long-decaying tone of many
//! partials) and a tabla (treble drum `dayan` tuned to the tonic with
//! harmonic partials — Raman, "The Indian musical drums", Proc. Indian Acad.
//! Sci. A 1, 1934 — and bass drum `bayan`, a low tone whose pitch glides
//! up), playing sixteen-stroke cycles in the manner of teental.

use super::keyboards::{Partial, additive_note};
use super::music::Harmony;
use super::osc::{Phase, Sine, midi_hz};
use super::rng::Rng;

/// Adds a tanpura drone on the key's tonic.
pub(crate) fn tanpura(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let mut sa = h.key.pitch(0) - 12;
    while sa > 55 {
        sa -= 12;
    }
    while sa < 43 {
        sa += 12;
    }
    let decay = rng.rangef(2.0, 4.0);
    let partials: Vec<Partial> = (1..=14)
        .map(|n| {
            let n = n as f32;
            Partial {
                ratio: n,
                amp: n.powf(-0.6),
                decay: decay * if (3.0..=8.0).contains(&n) { 1.2 } else { 0.8 },
            }
        })
        .collect();
    let cycle = rng.rangef(1.0, 1.8) * srf;
    let pitches = [sa - 5, sa + 12, sa + 12, sa];
    let mut k = 0usize;
    loop {
        let s = (k as f32 * cycle / 4.0) as usize;
        if s >= out.len() {
            break;
        }
        let m = pitches[k % 4] as f32;
        let hold = (4.0 * cycle) as usize;
        additive_note(
            &partials,
            midi_hz(m),
            s,
            hold,
            0.5,
            rng.rangef(0.3, 0.45),
            sr,
            rng,
            out,
        );
        k += 1;
    }
}

/// Tabla strokes: which drums sound and how long the treble rings.
#[derive(Clone, Copy)]
enum Stroke {
    Dha,
    Dhin,
    Ta,
    Tin,
    Ge,
    Rest,
}

/// Adds a tabla playing a sixteen-stroke cycle, one stroke per sixteenth.
pub(crate) fn tabla(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    use Stroke::*;
    const CYCLES: [[Stroke; 16]; 3] = [
        [
            Dha, Dhin, Dhin, Dha, Dha, Dhin, Dhin, Dha, Dha, Tin, Tin, Ta, Ta, Dhin, Dhin, Dha,
        ],
        [
            Dha, Rest, Ge, Ta, Dhin, Rest, Ta, Ge, Dha, Rest, Ge, Ta, Tin, Rest, Ta, Ge,
        ],
        [
            Dha, Ge, Ta, Ta, Dha, Ge, Tin, Ta, Dha, Ge, Ta, Ta, Dhin, Ge, Tin, Ta,
        ],
    ];
    let cycle = *rng.pick(&CYCLES);
    let srf = sr as f32;
    let mut dayan_midi = h.key.pitch(0);
    while dayan_midi < 60 {
        dayan_midi += 12;
    }
    while dayan_midi > 72 {
        dayan_midi -= 12;
    }
    let f_dayan = midi_hz(dayan_midi as f32);
    let f_bayan = rng.rangef(70.0, 110.0);
    let step = h.eighth / 2.0;
    let mut k = 0usize;
    loop {
        let s = (k as f64 * step).round() as usize;
        if s >= out.len() {
            break;
        }
        let vel = rng.rangef(0.6, 1.0);
        let (treble, bass) = match cycle[k % 16] {
            Dha => (Some(0.25), true),
            Dhin => (Some(0.5), true),
            Ta => (Some(0.08), false),
            Tin => (Some(0.3), false),
            Ge => (None, true),
            Rest => (None, false),
        };
        if let Some(decay) = treble {
            let parts: Vec<Partial> = [1.0f32, 2.0, 3.0, 4.0, 5.0]
                .iter()
                .zip([1.0f32, 0.5, 0.35, 0.25, 0.15])
                .map(|(&r, a)| Partial {
                    ratio: r,
                    amp: a,
                    decay: decay / r.sqrt(),
                })
                .collect();
            additive_note(
                &parts,
                f_dayan,
                s,
                usize::MAX / 4,
                0.05,
                0.4 * vel,
                sr,
                rng,
                out,
            );
            let click = ((0.003 * srf) as usize).min(out.len() - s);
            for o in &mut out[s..s + click] {
                *o += 0.2 * vel * rng.noise();
            }
        }
        if bass {
            bayan(f_bayan, s, vel, sr, rng, out);
        }
        k += 1;
    }
}

/// The bass drum: a sine whose pitch glides up by up to a third.
fn bayan(f0: f32, pos: usize, vel: f32, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let sine = Sine::new();
    let glide = rng.rangef(0.0, 0.35);
    let decay = rng.rangef(0.25, 0.5);
    let len = ((5.0 * decay * srf) as usize).min(out.len() - pos);
    let mut ph = Phase::default();
    let k = (-1.0 / (decay * srf)).exp();
    let kg = (-1.0 / (0.15 * srf)).exp();
    let (mut a, mut g) = (0.6 * vel, 1.0f32);
    for o in &mut out[pos..pos + len] {
        let f = f0 * (1.0 + glide * (1.0 - g));
        *o += a * sine.at(ph.tick(f / srf));
        a *= k;
        g *= kg;
    }
}
