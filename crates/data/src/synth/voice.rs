//! The singing voice: a source–filter synthesiser in the manner of Klatt's
//! cascade formant synthesiser (JASA 67(3), 1980), driven by a melody.
//!
//! * Source: a band-limited glottal-derivative-like sawtooth (all harmonics,
//!   −6 dB/octave) through a one-pole low-pass whose cutoff sets a singer's
//!   extra spectral tilt, plus aspiration noise gated by the glottal cycle.
//! * Pitch: the note's MIDI pitch, approached by an exponential glide
//!   (portamento, time constant ~10–150 ms), sometimes from a scoop below; vibrato of
//!   5–7 Hz whose depth varies per note and fades in after a delay; slow
//!   random drift (a few cents).
//! * Filter: five cascaded formant resonators whose targets change with
//!   every syllable (vowel table in `vowels.rs`, scaled per singer and
//!   jittered per syllable) and move smoothly between targets, then a
//!   broad presence peak ("singer's formant", 2.5–3.5 kHz, 0–10 dB).
//! * Syllable onsets: plosive closures and bursts, fricative noise, nasal
//!   murmurs and liquid glides, so the voice's spectral envelope changes at
//!   the syllable rate as it does in sung lyrics.

use super::filter::{Biquad, OnePole, Resonator, smoothing};
use super::music::Note;
use super::osc::{Phase, Sine, midi_hz, saw};
use super::rng::Rng;
use super::vowels::{FRICATIVE_CENTRES, LIQUIDS, NASAL, Onset, Tract, VOWELS};

/// Samples per control-rate update (pitch, formants, envelopes).
const BLOCK: usize = 32;

/// Number of voice types [`Singer::of_type`] knows (bass to soprano).
pub(crate) const VOICE_TYPES: usize = 6;

/// A singer's personal, per-song constants.
#[derive(Clone, Debug)]
pub(crate) struct Singer {
    /// MIDI range the melody stays in.
    pub(crate) range: (i32, i32),
    formant_scale: f32,
    tilt_hz: f64,
    breath: f32,
    vib_rate: f32,
    /// Vibrato amplitude in semitones.
    vib_depth: f32,
    vib_delay: f32,
    glide: f32,
    scoop_prob: f64,
    consonant_level: f32,
    /// A broad "singer's formant" / presence peak: (Hz, dB).
    presence: (f64, f64),
}

impl Singer {
    pub(crate) fn random(rng: &mut Rng) -> Self {
        let t = rng.below(VOICE_TYPES);
        Self::of_type(t, rng)
    }

    /// A singer of voice type `t` (`0..VOICE_TYPES`, from bass to soprano:
    /// types below `VOICE_TYPES / 2` are male, the others female).
    pub(crate) fn of_type(t: usize, rng: &mut Rng) -> Self {
        // (lowest, highest MIDI note, formant scale range) per voice type.
        const TYPES: [(i32, i32, f32, f32); VOICE_TYPES] = [
            (40, 62, 0.95, 1.02),
            (43, 65, 0.98, 1.05),
            (48, 69, 1.0, 1.08),
            (53, 74, 1.1, 1.18),
            (57, 77, 1.12, 1.2),
            (60, 81, 1.15, 1.22),
        ];
        let (lo, hi, s0, s1) = TYPES[t.min(VOICE_TYPES - 1)];
        let width = rng.int(12, 17);
        let low = rng.int(lo, hi - width);
        Singer {
            range: (low, low + width),
            formant_scale: rng.rangef(s0, s1),
            tilt_hz: rng.range(1200.0, 4000.0),
            breath: rng.rangef(0.02, 0.25),
            vib_rate: rng.rangef(5.0, 7.0),
            vib_depth: rng.rangef(0.2, 0.8),
            vib_delay: rng.rangef(0.05, 0.25),
            glide: rng.rangef(0.02, 0.09),
            scoop_prob: rng.range(0.05, 0.4),
            consonant_level: rng.rangef(0.4, 1.0),
            presence: (rng.range(2500.0, 3500.0), rng.range(0.0, 10.0)),
        }
    }
}

impl Singer {
    /// The same singer with an operatic delivery: wide, early vibrato, a
    /// strong singer's formant and little breath.
    pub(crate) fn operatic(mut self, rng: &mut Rng) -> Self {
        self.vib_depth = rng.rangef(0.7, 1.2);
        self.vib_delay = rng.rangef(0.0, 0.08);
        self.presence.1 = rng.range(8.0, 14.0);
        self.breath = rng.rangef(0.01, 0.05);
        self.consonant_level = rng.rangef(0.2, 0.5);
        self
    }
}

/// A sung note with its syllable: vowel index into [`VOWELS`] and onset.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Syllable {
    pub(crate) note: Note,
    vowel: usize,
    onset: Onset,
    /// Vowel formants jittered for this syllable, before the singer's scale.
    tract: Tract,
}

/// Lyrics for a phrase: a vowel and an onset per note; about one note in
/// eight continues the previous vowel (a melisma).
pub(crate) fn syllables(notes: &[Note], rng: &mut Rng) -> Vec<Syllable> {
    let mut out: Vec<Syllable> = Vec::with_capacity(notes.len());
    for (i, &note) in notes.iter().enumerate() {
        if i > 0 && rng.chance(0.12) {
            let prev = out[i - 1];
            out.push(Syllable {
                note,
                onset: Onset::Vowel,
                ..prev
            });
            continue;
        }
        let onset = if rng.chance(if i == 0 { 0.6 } else { 0.9 }) {
            match rng.weighted(&[0.35, 0.3, 0.2, 0.15]) {
                0 => Onset::Plosive,
                1 => Onset::Fricative {
                    centre: *rng.pick(&FRICATIVE_CENTRES) * rng.rangef(0.85, 1.15),
                },
                2 => Onset::Nasal,
                _ => Onset::Liquid {
                    tract: *rng.pick(&LIQUIDS),
                },
            }
        } else {
            Onset::Vowel
        };
        let mut vowel = rng.below(VOWELS.len());
        if i > 0 && vowel == out[i - 1].vowel {
            vowel = rng.below(VOWELS.len());
        }
        let mut tract = VOWELS[vowel];
        for f in &mut tract.freq[..3] {
            *f *= rng.rangef(0.92, 1.08);
        }
        out.push(Syllable {
            note,
            vowel,
            onset,
            tract,
        });
    }
    out
}

/// Per-syllable performance choices, drawn when the syllable starts.
struct Articulation {
    /// Seconds from the note start during which the consonant sounds.
    consonant: f32,
    /// Voicing level during the consonant (0 for a stop closure).
    consonant_voicing: f32,
    /// Noise level and its timing (start, end) in seconds from note start.
    noise: (f32, f32, f32),
    accent: f32,
    vib_depth: f32,
    glide: f32,
}

/// Renders a phrase of contiguous syllables, adding it to `out` at the
/// syllables' absolute sample positions. The voice fades in from the first
/// syllable's start and out before the last one's end.
pub(crate) fn render(syl: &[Syllable], singer: &Singer, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let Some(first) = syl.first() else { return };
    let srf = sr as f32;
    let sine = Sine::new();
    let start = first.note.start;
    let end = syl.last().map_or(start, |s| s.note.end);

    let mut phase = Phase::default();
    let mut tilt = OnePole::new(singer.tilt_hz, f64::from(sr));
    let mut res = [Resonator::default(); 5];
    let mut tract = first.tract.scaled(singer.formant_scale);
    for (r, (f, b)) in res.iter_mut().zip(tract.freq.iter().zip(&tract.bw)) {
        r.set(*f, *b, srf);
    }
    let mut presence = Biquad::peaking(singer.presence.0, 1.2, singer.presence.1, f64::from(sr));
    let mut noise_filter = Biquad::bandpass(3000.0, 1.0, f64::from(sr));
    let mut noise_norm = 1.0f32;
    let mut pitch = first.note.midi;
    let mut vib_phase = 0.0f32;
    let mut drift = 0.0f32;
    let mut drift_target = 0.0f32;
    let mut amp = 0.0f32;
    let mut noise_amp = 0.0f32;
    let mut level = 0.05f32; // running RMS of the voiced sound
    let k_amp_fast = smoothing(0.006, BLOCK, f64::from(sr));
    let k_amp = smoothing(0.018, BLOCK, f64::from(sr));
    let k_tract = smoothing(0.03, BLOCK, f64::from(sr));
    let k_drift = smoothing(0.15, BLOCK, f64::from(sr));
    let k_level = smoothing(0.15, BLOCK, f64::from(sr));
    let fade = (0.05 * srf) as usize;

    let mut si = 0usize;
    let mut art = articulation(&syl[0], singer, sr, rng, &mut noise_filter, &mut noise_norm);
    let mut pos = start;
    while pos < end {
        while si + 1 < syl.len() && pos >= syl[si + 1].note.start {
            si += 1;
            art = articulation(
                &syl[si],
                singer,
                sr,
                rng,
                &mut noise_filter,
                &mut noise_norm,
            );
            if rng.chance(singer.scoop_prob) {
                pitch = pitch.min(syl[si].note.midi - rng.rangef(0.3, 0.9));
            }
        }
        let s = &syl[si];
        let t = (pos - s.note.start) as f32 / srf;

        // Pitch: glide, vibrato fading in after the delay, drift.
        let k_glide = smoothing(f64::from(art.glide), BLOCK, f64::from(sr));
        pitch += (s.note.midi - pitch) * k_glide;
        let vib_env = ((t - singer.vib_delay) / 0.3).clamp(0.0, 1.0);
        vib_phase += singer.vib_rate * (1.0 + 0.1 * drift) * BLOCK as f32 / srf;
        vib_phase -= vib_phase.floor();
        if rng.chance(0.01) {
            drift_target = rng.rangef(-1.0, 1.0);
        }
        drift += (drift_target - drift) * k_drift;
        let midi = pitch + art.vib_depth * vib_env * sine.at(vib_phase) + 0.08 * drift;
        let f0 = midi_hz(midi);
        let inc = (f0 / srf).min(0.45);

        // Tract: consonant articulation, then the vowel.
        let in_consonant = t < art.consonant;
        let mut target = match s.onset {
            Onset::Nasal if in_consonant => NASAL,
            Onset::Liquid { tract } if in_consonant => tract,
            _ => s.tract,
        }
        .scaled(singer.formant_scale);
        // Singers raise F1 above a high fundamental.
        target.freq[0] = target.freq[0].max(1.1 * f0);
        for (i, r) in res.iter_mut().enumerate() {
            tract.freq[i] += (target.freq[i] - tract.freq[i]) * k_tract;
            tract.bw[i] += (target.bw[i] - tract.bw[i]) * k_tract;
            r.set(tract.freq[i], tract.bw[i], srf);
        }

        // Envelopes: voicing (with phrase fade in/out) and consonant noise.
        let voicing = if in_consonant {
            art.consonant_voicing
        } else {
            1.0
        };
        let fading_out = pos + fade >= end;
        let amp_target = if fading_out {
            0.0
        } else {
            voicing * art.accent
        };
        let k = if amp_target < amp { k_amp_fast } else { k_amp };
        let amp_next = amp + (amp_target - amp) * k;
        let (n_level, n_on, n_off) = art.noise;
        let noise_target = if t >= n_on && t < n_off && !fading_out {
            n_level
        } else {
            0.0
        };
        let noise_next = noise_amp + (noise_target - noise_amp) * k_amp_fast;

        let block_end = (pos + BLOCK).min(end);
        let n = (block_end - pos) as f32;
        let d_amp = (amp_next - amp) / n;
        let d_noise = (noise_next - noise_amp) / n;
        let noise_scale = noise_norm * level;
        let mut energy = 0.0f32;
        for o in &mut out[pos..block_end] {
            let ph = phase.tick(inc);
            let gate = if ph < 0.5 { 1.0 } else { 0.3 };
            let src = -saw(ph, inc) + singer.breath * gate * rng.noise();
            let mut y = tilt.process(src) * amp;
            for r in &mut res {
                y = r.process(y);
            }
            y = presence.process(y);
            energy += y * y;
            let nz = noise_filter.process(rng.noise()) * noise_amp * noise_scale;
            *o += y + nz;
            amp += d_amp;
            noise_amp += d_noise;
        }
        amp = amp_next;
        noise_amp = noise_next;
        if amp > 0.5 {
            let rms = (energy / n).sqrt() / amp;
            level += (rms - level) * k_level;
        }
        pos = block_end;
    }
}

/// Draws how syllable `s` is performed and retunes the consonant noise
/// filter (`norm` makes the filtered noise roughly unit RMS).
fn articulation(
    s: &Syllable,
    singer: &Singer,
    sr: u32,
    rng: &mut Rng,
    filter: &mut Biquad,
    norm: &mut f32,
) -> Articulation {
    let note_len = (s.note.end - s.note.start) as f32 / sr as f32;
    let max_cons = 0.4 * note_len;
    let lvl = singer.consonant_level;
    let (consonant, voicing, noise, centre, q) = match s.onset {
        Onset::Vowel => (0.0, 1.0, (0.0, 0.0, 0.0), 3000.0, 1.0),
        Onset::Plosive => {
            let closure = rng.rangef(0.02, 0.05).min(max_cons * 0.6);
            let burst = rng.rangef(0.01, 0.03);
            let level = lvl * rng.rangef(1.0, 2.0);
            (
                closure,
                0.0,
                (level, closure, closure + burst),
                rng.rangef(1500.0, 4000.0),
                0.6,
            )
        }
        Onset::Fricative { centre } => {
            let dur = rng.rangef(0.05, 0.13).min(max_cons);
            let voiced = if rng.chance(0.4) { 0.45 } else { 0.1 };
            (
                dur,
                voiced,
                (lvl * rng.rangef(0.6, 1.3), 0.0, dur),
                centre * singer.formant_scale.sqrt(),
                rng.rangef(1.2, 3.0),
            )
        }
        Onset::Nasal => (
            rng.rangef(0.05, 0.09).min(max_cons),
            0.5,
            (0.0, 0.0, 0.0),
            3000.0,
            1.0,
        ),
        Onset::Liquid { .. } => (
            rng.rangef(0.04, 0.08).min(max_cons),
            0.8,
            (0.0, 0.0, 0.0),
            3000.0,
            1.0,
        ),
    };
    let centre = f64::from(centre).min(0.4 * f64::from(sr));
    *filter = Biquad::bandpass(centre, f64::from(q), f64::from(sr));
    let bw = centre / f64::from(q);
    *norm = (1.0 / (0.577 * (bw / (0.5 * f64::from(sr))).sqrt())) as f32;
    let straight = rng.chance(0.15);
    Articulation {
        consonant,
        consonant_voicing: voicing,
        noise,
        accent: rng.rangef(0.7, 1.0),
        vib_depth: if straight {
            0.1 * singer.vib_depth
        } else {
            singer.vib_depth * rng.rangef(0.5, 1.4)
        },
        glide: singer.glide * rng.rangef(0.6, 1.6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_sounds_only_inside_its_phrase() {
        let mut rng = Rng::new(5);
        let singer = Singer::random(&mut rng);
        let sr = 44_100;
        let notes: Vec<Note> = (0..6)
            .map(|i| Note {
                start: 10_000 + i * 8_000,
                end: 18_000 + i * 8_000,
                midi: 60.0 + i as f32,
            })
            .collect();
        let syl = syllables(&notes, &mut rng);
        let mut out = vec![0.0f32; 70_000];
        render(&syl, &singer, sr, &mut rng, &mut out);
        assert!(out[..10_000].iter().all(|&x| x == 0.0));
        assert!(out[58_000..].iter().all(|&x| x == 0.0));
        let rms = (out[20_000..50_000].iter().map(|x| x * x).sum::<f32>() / 30_000.0).sqrt();
        assert!(rms > 1e-3 && rms.is_finite(), "{rms}");
        assert!(out.iter().all(|x| x.is_finite()));
    }
}
