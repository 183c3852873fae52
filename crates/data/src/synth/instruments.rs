//! The pitched accompaniment and the confusers: chord pads (additive, a few
//! harmonics), a filtered-sawtooth bass, a plucked Karplus–Strong guitar
//! (Karplus & Strong, "Digital synthesis of plucked-string and drum
//! timbres", Computer Music Journal 7(2), 1983), and melodic lead
//! instruments — violin, flute, reed, brass and synth lead — that play with
//! vibrato and the occasional slide like a singer, but with a regular
//! vibrato and through a fixed body resonance instead of
//! syllable-by-syllable formants and consonants.

use super::filter::{Biquad, OnePole, smoothing};
use super::music::{Harmony, Note};
use super::osc::{Phase, Sine, midi_hz, pulse, saw};
use super::rng::Rng;

/// Samples per control-rate update of the lead's pitch and envelope.
const BLOCK: usize = 32;

/// Adds a pad playing every chord of `h` to `out`: each chord tone an
/// additive tone of 2–6 harmonics with amplitudes `1/n^tilt`, slow attack and
/// release, voiced between MIDI 48 and 72.
pub(crate) fn pad(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let sine = Sine::new();
    let harmonics = rng.int(2, 6) as usize;
    let tilt = rng.rangef(0.8, 2.0);
    let amps: Vec<f32> = (1..=harmonics).map(|n| (n as f32).powf(-tilt)).collect();
    let attack = rng.rangef(0.03, 0.4) * srf;
    let release = rng.rangef(0.08, 0.5) * srf;
    let low = rng.int(48, 57);
    let tremolo = rng.rangef(0.0, 0.15);
    let trem_rate = rng.rangef(3.0, 6.0) / srf;
    for chord in &h.chords {
        for d in chord.degrees() {
            let mut midi = h.key.pitch(d);
            while midi < low {
                midi += 12;
            }
            while midi >= low + 12 {
                midi -= 12;
            }
            let f = midi_hz(midi as f32) * (1.0 + rng.rangef(-0.002, 0.002));
            let inc = f / srf;
            let n_harm = (1..=harmonics)
                .take_while(|&n| f * n as f32 <= 0.45 * srf)
                .count();
            let len = chord.end - chord.start;
            let tail = (4.0 * release) as usize;
            let stop = (chord.end + tail).min(out.len());
            let mut ph = Phase(rng.rangef(0.0, 1.0));
            let mut tp = Phase(rng.rangef(0.0, 1.0));
            let gain = rng.rangef(0.7, 1.0);
            for (i, o) in out[chord.start..stop].iter_mut().enumerate() {
                let p = ph.tick(inc);
                let mut v = 0.0;
                for (n, a) in amps[..n_harm].iter().enumerate() {
                    v += a * sine.at_wrapped(p * (n + 1) as f32);
                }
                let env = if i < len {
                    (i as f32 / attack).min(1.0)
                } else {
                    (len as f32 / attack).min(1.0) * (-((i - len) as f32) / release).exp()
                };
                let trem = 1.0 - tremolo * (0.5 + 0.5 * sine.at(tp.tick(trem_rate)));
                *o += gain * env * trem * v;
            }
        }
    }
}

/// Adds a bass line on the chord roots (MIDI 33–47): a low-passed sawtooth
/// or pulse with a plucked envelope, in a per-song rhythm of eighths.
pub(crate) fn bass(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    const PATTERNS: [[bool; 8]; 5] = [
        [true, false, false, false, true, false, false, false],
        [true, false, true, false, true, false, true, false],
        [true, true, true, true, true, true, true, true],
        [true, false, false, true, false, false, true, false],
        [true, false, false, false, true, false, true, true],
    ];
    let pattern = *rng.pick(&PATTERNS);
    let square = rng.chance(0.4);
    let decay = rng.rangef(0.15, 0.8) * srf;
    let sustain = rng.rangef(0.2, 0.6);
    let mut lp = Biquad::lowpass(rng.range(250.0, 900.0), 0.8, f64::from(sr));
    let mut buf = vec![0.0f32; out.len()];
    let mut k = 0usize;
    loop {
        let start = h.tick(k);
        if start >= out.len() {
            break;
        }
        if pattern[k % 8] {
            let mut len_ticks = 1;
            while len_ticks < 8 && !pattern[(k + len_ticks) % 8] {
                len_ticks += 1;
            }
            let end = h.tick(k + len_ticks).min(out.len());
            let chord = h.chord_at(start);
            let mut midi = h.key.pitch(chord.degree) - 24;
            if midi < 33 {
                midi += 12;
            }
            if rng.chance(0.15) {
                midi = h.key.pitch(chord.degree + 4) - 24;
            }
            let f = midi_hz(midi as f32) / srf;
            let mut ph = Phase::default();
            let gate = ((end - start) as f32 * 0.9) as usize;
            for (i, o) in buf[start..end].iter_mut().enumerate() {
                let t = ph.tick(f);
                let v = if square {
                    0.7 * pulse(t, f, 0.5)
                } else {
                    saw(t, f)
                };
                let env = sustain + (1.0 - sustain) * (-(i as f32) / decay).exp();
                let gate_env = if i < gate {
                    1.0
                } else {
                    1.0 - (i - gate) as f32 / (end - start - gate).max(1) as f32
                };
                *o = v * env * gate_env * (i as f32 / 60.0).min(1.0);
            }
        }
        k += 1;
    }
    for (o, b) in out.iter_mut().zip(&buf) {
        *o += lp.process(*b);
    }
}

/// Adds a plucked guitar (Karplus–Strong) arpeggiating or strumming the
/// chords on the eighth grid, in MIDI 52–76.
pub(crate) fn guitar(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let srf = sr as f32;
    let strum = rng.chance(0.4);
    let every = if rng.chance(0.5) { 1 } else { 2 };
    let damping = rng.rangef(0.993, 0.999);
    let brightness = rng.range(1500.0, 6000.0);
    let ring = (rng.rangef(0.4, 1.5) * srf) as usize;
    let mut k = 0usize;
    loop {
        let start = h.tick(k);
        if start >= out.len() {
            break;
        }
        if k.is_multiple_of(every) && rng.chance(0.9) {
            let chord = h.chord_at(start);
            let degrees = chord.degrees();
            let picks: Vec<i32> = if strum && k.is_multiple_of(4) {
                degrees.iter().flat_map(|&d| [d, d + 7]).collect()
            } else {
                vec![degrees[(k / every) % degrees.len()] + 7 * rng.int(0, 1)]
            };
            for (j, d) in picks.iter().enumerate() {
                let mut midi = h.key.pitch(*d - 7);
                while midi < 52 {
                    midi += 12;
                }
                while midi > 76 {
                    midi -= 12;
                }
                let onset = start + j * (0.012 * srf) as usize;
                let vel = rng.rangef(0.5, 1.0) / (picks.len() as f32).sqrt();
                pluck(
                    midi_hz(midi as f32),
                    onset,
                    ring,
                    damping,
                    brightness,
                    vel,
                    sr,
                    rng,
                    out,
                );
            }
        }
        k += 1;
    }
}

/// One Karplus–Strong string: a noise burst, low-passed to `brightness`,
/// circulating in a delay line of one period with averaging loss.
#[allow(clippy::too_many_arguments)]
pub(crate) fn pluck(
    freq: f32,
    onset: usize,
    ring: usize,
    damping: f32,
    brightness: f64,
    vel: f32,
    sr: u32,
    rng: &mut Rng,
    out: &mut [f32],
) {
    if onset >= out.len() {
        return;
    }
    let period = ((sr as f32 / freq).round() as usize).max(2);
    let mut lp = OnePole::new(brightness, f64::from(sr));
    let mut line: Vec<f32> = (0..period).map(|_| lp.process(rng.noise())).collect();
    let mean = line.iter().sum::<f32>() / period as f32;
    for x in &mut line {
        *x -= mean;
    }
    let stop = (onset + ring).min(out.len());
    let mut idx = 0usize;
    let mut prev = 0.0f32;
    let fade = (ring / 5).max(1);
    for (i, o) in out[onset..stop].iter_mut().enumerate() {
        let cur = line[idx];
        let next = damping * 0.5 * (cur + prev);
        prev = cur;
        line[idx] = next;
        idx += 1;
        if idx == period {
            idx = 0;
        }
        let env = if i + fade > ring {
            (ring - i) as f32 / fade as f32
        } else {
            1.0
        };
        *o += vel * cur * env;
    }
}

/// The melodic lead instruments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum LeadKind {
    Violin,
    Flute,
    Reed,
    Brass,
    Synth,
}

/// A lead instrument's per-song constants.
#[derive(Clone, Debug)]
pub(crate) struct Lead {
    pub(crate) kind: LeadKind,
    /// MIDI range of its melodies.
    pub(crate) range: (i32, i32),
    vib_rate: f32,
    vib_depth: f32,
    vib_delay: f32,
    /// Portamento time constant of ordinary note changes, in seconds.
    glide: f32,
    /// Probability and time constant of a slow slide into a note.
    slide: (f64, f32),
    attack: f32,
    tilt_hz: f64,
    duty: f32,
    breath: f32,
    /// Body resonances: (frequency Hz, Q, gain dB).
    body: Vec<(f64, f64, f64)>,
    lowpass: f64,
}

impl Lead {
    /// A random lead of a random kind whose range overlaps a singer's
    /// `(low, high)` range.
    pub(crate) fn random(rng: &mut Rng, near: (i32, i32)) -> Self {
        let kind = *rng.pick(&[
            LeadKind::Violin,
            LeadKind::Flute,
            LeadKind::Reed,
            LeadKind::Brass,
            LeadKind::Synth,
        ]);
        let shift = rng.int(-5, 12);
        let range = (near.0 + shift, near.1 + shift);
        Self::of_kind(kind, range, rng)
    }

    /// A lead of the given kind playing in the MIDI `range`.
    pub(crate) fn of_kind(kind: LeadKind, range: (i32, i32), rng: &mut Rng) -> Self {
        let mut body = Vec::new();
        let (vib_rate, vib_depth, vib_delay, tilt_hz, duty, breath, lowpass);
        match kind {
            LeadKind::Violin => {
                vib_rate = rng.rangef(5.0, 7.0);
                vib_depth = rng.rangef(0.15, 0.5);
                vib_delay = rng.rangef(0.0, 0.08);
                tilt_hz = rng.range(2000.0, 5000.0);
                duty = 0.0;
                breath = rng.rangef(0.02, 0.08);
                body.push((rng.range(250.0, 350.0), 2.0, rng.range(4.0, 10.0)));
                body.push((rng.range(400.0, 700.0), 1.5, rng.range(2.0, 8.0)));
                body.push((rng.range(1800.0, 3200.0), 1.0, rng.range(4.0, 10.0)));
                lowpass = rng.range(5000.0, 9000.0);
            }
            LeadKind::Flute => {
                vib_rate = rng.rangef(4.5, 6.5);
                vib_depth = rng.rangef(0.08, 0.3);
                vib_delay = rng.rangef(0.05, 0.2);
                tilt_hz = rng.range(800.0, 2000.0);
                duty = 0.0;
                breath = rng.rangef(0.02, 0.08);
                body.push((rng.range(1500.0, 3000.0), 1.0, rng.range(0.0, 6.0)));
                lowpass = rng.range(3000.0, 6000.0);
            }
            LeadKind::Reed => {
                vib_rate = rng.rangef(5.0, 6.5);
                vib_depth = rng.rangef(0.1, 0.35);
                vib_delay = rng.rangef(0.05, 0.2);
                tilt_hz = rng.range(1500.0, 4000.0);
                duty = rng.rangef(0.2, 0.5);
                breath = rng.rangef(0.02, 0.08);
                body.push((rng.range(900.0, 1500.0), 1.5, rng.range(4.0, 12.0)));
                body.push((rng.range(2500.0, 3600.0), 2.0, rng.range(2.0, 8.0)));
                lowpass = rng.range(4000.0, 8000.0);
            }
            LeadKind::Brass => {
                vib_rate = rng.rangef(5.0, 6.5);
                vib_depth = rng.rangef(0.1, 0.35);
                vib_delay = rng.rangef(0.1, 0.3);
                tilt_hz = rng.range(1000.0, 3000.0);
                duty = 0.0;
                breath = 0.02;
                body.push((rng.range(1000.0, 1600.0), 1.0, rng.range(3.0, 9.0)));
                body.push((rng.range(400.0, 800.0), 1.5, rng.range(0.0, 6.0)));
                lowpass = rng.range(3000.0, 7000.0);
            }
            LeadKind::Synth => {
                vib_rate = rng.rangef(5.0, 7.0);
                vib_depth = rng.rangef(0.15, 0.6);
                vib_delay = rng.rangef(0.0, 0.15);
                tilt_hz = rng.range(1500.0, 6000.0);
                duty = if rng.chance(0.5) {
                    rng.rangef(0.15, 0.5)
                } else {
                    0.0
                };
                breath = 0.0;
                body.push((
                    rng.range(500.0, 2500.0),
                    rng.range(1.0, 4.0),
                    rng.range(4.0, 12.0),
                ));
                lowpass = rng.range(2000.0, 6000.0);
            }
        }
        Lead {
            kind,
            range,
            vib_rate,
            vib_depth,
            vib_delay,
            glide: rng.rangef(0.002, 0.01),
            slide: (
                match kind {
                    LeadKind::Violin | LeadKind::Synth => rng.range(0.1, 0.3),
                    _ => rng.range(0.0, 0.08),
                },
                rng.rangef(0.03, 0.07),
            ),
            attack: rng.rangef(0.01, 0.06),
            tilt_hz,
            duty,
            breath,
            body,
            lowpass,
        }
    }
}

/// Renders a phrase of contiguous lead notes, adding it to `out` at the
/// notes' absolute positions, with vibrato, portamento, a re-articulation
/// dip between notes and a fade at the phrase's ends.
pub(crate) fn lead(notes: &[Note], lead: &Lead, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let Some(first) = notes.first() else { return };
    let srf = sr as f32;
    let sine = Sine::new();
    let start = first.start;
    let end = notes.last().map_or(start, |n| n.end);
    let sr64 = f64::from(sr);
    let mut tilt = OnePole::new(lead.tilt_hz, sr64);
    let mut body: Vec<Biquad> = lead
        .body
        .iter()
        .map(|&(f, q, g)| Biquad::peaking(f, q, g, sr64))
        .collect();
    let mut lp = Biquad::lowpass(lead.lowpass, 0.707, sr64);
    let mut hp = Biquad::highpass(120.0, 0.707, sr64);
    let mut breath_bp = Biquad::bandpass(2500.0, 0.8, sr64);
    let mut phase = Phase::default();
    let mut pitch = first.midi;
    let mut vib_phase = 0.0f32;
    let mut amp = 0.0f32;
    let k_fast = smoothing(f64::from(lead.glide), BLOCK, sr64);
    let k_slide = smoothing(f64::from(lead.slide.1), BLOCK, sr64);
    let mut k_glide = k_fast;
    let k_attack = smoothing(f64::from(lead.attack), BLOCK, sr64);
    let k_dip = smoothing(0.01, BLOCK, sr64);
    let fade = (0.05 * srf) as usize;
    let dip = (0.03 * srf) as usize;
    let mut ni = 0usize;
    let mut accent = rng.rangef(0.75, 1.0);
    let mut depth = lead.vib_depth * rng.rangef(0.9, 1.1);
    let mut pos = start;
    while pos < end {
        while ni + 1 < notes.len() && pos >= notes[ni + 1].start {
            ni += 1;
            accent = rng.rangef(0.75, 1.0);
            depth = lead.vib_depth * rng.rangef(0.9, 1.1);
            k_glide = if rng.chance(lead.slide.0) {
                k_slide
            } else {
                k_fast
            };
        }
        let note = &notes[ni];
        let t = (pos - note.start) as f32 / srf;
        pitch += (note.midi - pitch) * k_glide;
        let vib_env = ((t - lead.vib_delay) / 0.2).clamp(0.0, 1.0);
        vib_phase += lead.vib_rate * BLOCK as f32 / srf;
        vib_phase -= vib_phase.floor();
        let vib = sine.at(vib_phase);
        let midi = pitch + depth * vib_env * vib;
        let f0 = midi_hz(midi);
        let inc = (f0 / srf).min(0.45);
        let releasing = pos + fade >= end || (pos + dip >= note.end && ni + 1 < notes.len());
        let target = if releasing { 0.6 * accent } else { accent };
        let target = if pos + fade >= end { 0.0 } else { target };
        let k = if target < amp { k_dip } else { k_attack };
        let amp_next = amp + (target - amp) * k;
        // Flutes and brass breathe with the vibrato (amplitude modulation).
        let trem = match lead.kind {
            LeadKind::Flute => 1.0 + 0.15 * vib_env * vib,
            LeadKind::Brass => 1.0 + 0.05 * vib_env * vib,
            _ => 1.0,
        };
        let block_end = (pos + BLOCK).min(end);
        let n = (block_end - pos) as f32;
        let d_amp = (amp_next - amp) / n;
        for o in &mut out[pos..block_end] {
            let p = phase.tick(inc);
            let src = match lead.kind {
                LeadKind::Flute => {
                    sine.at(p)
                        + 0.35 * sine.at_wrapped(2.0 * p)
                        + 0.12 * sine.at_wrapped(3.0 * p)
                        + 0.05 * sine.at_wrapped(4.0 * p)
                }
                LeadKind::Reed => pulse(p, inc, lead.duty),
                LeadKind::Synth if lead.duty > 0.0 => pulse(p, inc, lead.duty),
                _ => saw(p, inc),
            };
            let noise = lead.breath * breath_bp.process(rng.noise()) * 3.0;
            let mut y = tilt.process(src) + noise;
            for b in &mut body {
                y = b.process(y);
            }
            y = hp.process(lp.process(y));
            *o += y * amp * trem;
            amp += d_amp;
        }
        amp = amp_next;
        pos = block_end;
    }
}
