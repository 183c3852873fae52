//! One clip of the synthetic tagging dataset: what is drawn for it (the
//! [`ClipPlan`]: genre, instrument parts with their mixing levels, voice,
//! tempo, loudness, effects) and how it is rendered and mastered.
//!
//! Plans come from an album's [`Recipe`] (genre, tempo and loudness class,
//! candidate parts, singer type), so that clips of one album sound alike, as
//! in MagnaTagATune. Rendering mixes the parts at random levels and then
//! masters the mix so that its long-term spectrum says little on its own:
//! a random equaliser (tilt ±6 dB, three peaking bands ±9 dB, random low and
//! high cut), slow section dynamics, a noise floor, compression for loud
//! clips and swells for quiet ones, and a random output level. What stays is
//! in the time–frequency structure: onsets and their rate, rhythm, vibrato,
//! pitch register, timbre over time.

use super::drums::{drums, drums_with};
use super::electronic::{arpeggio, synth_pad};
use super::ensemble::{choir, solo_line, strings, sung_line};
use super::filter::{Biquad, OnePole};
use super::indian::{tabla, tanpura};
use super::instruments::{LeadKind, bass, guitar, pad};
use super::keyboards::{harpsichord, piano};
use super::music::Harmony;
use super::osc::{Phase, Sine, db};
use super::plucked::{electric_guitar, harp, sitar};
use super::rng::Rng;
use super::voice::{Singer, VOICE_TYPES};

/// The styles an album can have; each implies typical parts, tempo and
/// loudness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Genre {
    Classical,
    Baroque,
    Rock,
    Metal,
    Pop,
    Techno,
    Ambient,
    NewAge,
    Indian,
    Opera,
    Choral,
    Country,
    Jazz,
    Celtic,
    Experimental,
}

/// Album weights of the genres (long-tailed, like MagnaTagATune's).
const GENRES: [(Genre, f64); 15] = [
    (Genre::Classical, 0.17),
    (Genre::Baroque, 0.05),
    (Genre::Rock, 0.11),
    (Genre::Metal, 0.03),
    (Genre::Pop, 0.08),
    (Genre::Techno, 0.10),
    (Genre::Ambient, 0.08),
    (Genre::NewAge, 0.05),
    (Genre::Indian, 0.06),
    (Genre::Opera, 0.04),
    (Genre::Choral, 0.04),
    (Genre::Country, 0.04),
    (Genre::Jazz, 0.02),
    (Genre::Celtic, 0.02),
    (Genre::Experimental, 0.03),
];

/// An instrument part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Strings,
    Piano,
    Harpsichord,
    Harp,
    Violin,
    Cello,
    Flute,
    Brass,
    Reed,
    /// A soft additive pad (organ- or strings-like chords).
    Pad,
    SynthPad,
    SynthLead,
    Arpeggio,
    Bass,
    Guitar,
    ElectricGuitar,
    Drums,
    Sitar,
    Tabla,
    Tanpura,
}

/// Who sings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Voice {
    None,
    Male,
    Female,
    Choir,
}

/// Tempo class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tempo {
    Slow,
    Medium,
    Fast,
}

/// Loudness class: how dense, compressed and dynamic the master is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Loudness {
    Quiet,
    Medium,
    Loud,
}

/// What an album's clips share.
#[derive(Clone, Debug)]
pub(crate) struct Recipe {
    pub(crate) genre: Genre,
    tempo: Tempo,
    loudness: Loudness,
    /// Parts every clip has, and parts each clip has with a probability.
    core: Vec<Part>,
    optional: Vec<(Part, f64)>,
    voice: Voice,
    /// Probability that a clip of the album has the voice.
    voice_prob: f64,
    operatic: bool,
    /// Voice type of the album's singer (see `Singer::of_type`).
    singer_type: usize,
    weird: bool,
}

/// Everything drawn for one clip; the tags are annotated from this.
#[derive(Clone, Debug)]
pub(crate) struct ClipPlan {
    pub(crate) genre: Genre,
    /// Parts with their salience in `[0, 1]` (1: the loudest part; each
    /// 12 dB below it takes 1 off), filled in by [`render`].
    pub(crate) parts: Vec<(Part, f64)>,
    pub(crate) voice: Voice,
    pub(crate) operatic: bool,
    pub(crate) tempo: Tempo,
    pub(crate) bpm: f64,
    pub(crate) loudness: Loudness,
    pub(crate) weird: bool,
    singer_type: usize,
}

impl ClipPlan {
    /// Whether the clip has `part`.
    pub(crate) fn has(&self, part: Part) -> bool {
        self.parts.iter().any(|p| p.0 == part)
    }

    /// A single instrument and no voice.
    pub(crate) fn solo(&self) -> bool {
        self.parts.len() == 1 && self.voice == Voice::None
    }

    /// The singer is female (type in the upper half).
    pub(crate) fn female(&self) -> bool {
        self.singer_type >= VOICE_TYPES / 2
    }
}

fn pick_class<T: Copy>(rng: &mut Rng, options: &[(T, f64)]) -> T {
    let w: Vec<f64> = options.iter().map(|o| o.1).collect();
    options[rng.weighted(&w)].0
}

impl Recipe {
    /// A random album recipe.
    pub(crate) fn random(rng: &mut Rng) -> Self {
        use Loudness::{Loud, Medium as Mid, Quiet};
        use Part::*;
        use Tempo::{Fast, Medium, Slow};
        let genre = pick_class(rng, &GENRES);
        let male = rng.below(VOICE_TYPES / 2);
        let female = VOICE_TYPES / 2 + rng.below(VOICE_TYPES / 2);
        let mut r = Recipe {
            genre,
            tempo: Medium,
            loudness: Mid,
            core: Vec::new(),
            optional: Vec::new(),
            voice: Voice::None,
            voice_prob: 0.0,
            operatic: false,
            singer_type: male,
            weird: rng.chance(0.02),
        };
        let sung = |rng: &mut Rng, r: &mut Recipe, m: f64, f: f64| {
            let u = rng.uniform();
            if u < m {
                r.voice = Voice::Male;
                r.singer_type = male;
            } else if u < m + f {
                r.voice = Voice::Female;
                r.singer_type = female;
            }
            r.voice_prob = rng.range(0.75, 1.0);
        };
        match genre {
            Genre::Classical => {
                r.tempo = pick_class(rng, &[(Slow, 0.45), (Medium, 0.4), (Fast, 0.15)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.4), (Mid, 0.5), (Loud, 0.1)]);
                match rng.weighted(&[0.3, 0.3, 0.2, 0.1, 0.1]) {
                    0 => r.core = vec![Piano],
                    1 => {
                        r.core = vec![Strings];
                        r.optional = vec![(Violin, 0.4), (Cello, 0.3)];
                    }
                    2 => {
                        r.core = vec![Piano, *rng.pick(&[Violin, Cello, Flute])];
                    }
                    3 => r.core = vec![Flute, Harp],
                    _ => {
                        r.core = vec![Strings];
                        r.optional = vec![(Flute, 0.6), (Brass, 0.5), (Harp, 0.3), (Reed, 0.3)];
                    }
                }
            }
            Genre::Baroque => {
                r.tempo = pick_class(rng, &[(Medium, 0.6), (Fast, 0.4)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.3), (Mid, 0.7)]);
                r.core = vec![Harpsichord];
                r.optional = vec![(Strings, 0.5), (Violin, 0.3), (Flute, 0.2)];
            }
            Genre::Rock => {
                r.tempo = pick_class(rng, &[(Slow, 0.05), (Medium, 0.4), (Fast, 0.55)]);
                r.loudness = pick_class(rng, &[(Mid, 0.45), (Loud, 0.55)]);
                let g = if rng.chance(0.6) {
                    ElectricGuitar
                } else {
                    Guitar
                };
                r.core = vec![Drums, Bass, g];
                r.optional = vec![(Piano, 0.15), (Pad, 0.15), (Guitar, 0.2)];
                sung(rng, &mut r, 0.55, 0.2);
            }
            Genre::Metal => {
                r.tempo = pick_class(rng, &[(Medium, 0.2), (Fast, 0.8)]);
                r.loudness = pick_class(rng, &[(Mid, 0.1), (Loud, 0.9)]);
                r.core = vec![Drums, Bass, ElectricGuitar];
                sung(rng, &mut r, 0.6, 0.0);
            }
            Genre::Pop => {
                r.tempo = pick_class(rng, &[(Slow, 0.1), (Medium, 0.6), (Fast, 0.3)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.1), (Mid, 0.6), (Loud, 0.3)]);
                r.core = vec![Drums, Bass];
                r.optional = vec![
                    (SynthPad, 0.5),
                    (Piano, 0.4),
                    (Guitar, 0.4),
                    (Arpeggio, 0.2),
                ];
                sung(rng, &mut r, 0.35, 0.55);
            }
            Genre::Techno => {
                r.tempo = pick_class(rng, &[(Medium, 0.2), (Fast, 0.8)]);
                r.loudness = pick_class(rng, &[(Mid, 0.5), (Loud, 0.5)]);
                r.core = vec![Drums, Bass];
                r.optional = vec![(Arpeggio, 0.7), (SynthPad, 0.5), (SynthLead, 0.3)];
                sung(rng, &mut r, 0.0, 0.15);
            }
            Genre::Ambient => {
                r.tempo = pick_class(rng, &[(Slow, 0.85), (Medium, 0.15)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.7), (Mid, 0.3)]);
                r.core = vec![SynthPad];
                r.optional = vec![(Pad, 0.5), (Flute, 0.2), (Harp, 0.2), (Piano, 0.2)];
                sung(rng, &mut r, 0.0, 0.1);
            }
            Genre::NewAge => {
                r.tempo = pick_class(rng, &[(Slow, 0.6), (Medium, 0.4)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.6), (Mid, 0.4)]);
                r.core = vec![*rng.pick(&[SynthPad, Pad])];
                r.optional = vec![(Piano, 0.5), (Flute, 0.4), (Harp, 0.4)];
            }
            Genre::Indian => {
                r.tempo = pick_class(rng, &[(Slow, 0.2), (Medium, 0.5), (Fast, 0.3)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.3), (Mid, 0.7)]);
                r.core = vec![Sitar, Tanpura];
                r.optional = vec![(Tabla, 0.7), (Flute, 0.2)];
                sung(rng, &mut r, 0.2, 0.15);
            }
            Genre::Opera => {
                r.tempo = pick_class(rng, &[(Slow, 0.5), (Medium, 0.5)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.2), (Mid, 0.5), (Loud, 0.3)]);
                r.core = vec![if rng.chance(0.7) { Strings } else { Piano }];
                r.optional = vec![(Flute, 0.2), (Harp, 0.2)];
                sung(rng, &mut r, 0.3, 0.7);
                r.operatic = true;
                r.voice_prob = 1.0;
            }
            Genre::Choral => {
                r.tempo = pick_class(rng, &[(Slow, 0.7), (Medium, 0.3)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.5), (Mid, 0.5)]);
                r.optional = vec![(Strings, 0.3), (Pad, 0.4)];
                r.voice = Voice::Choir;
                r.voice_prob = 1.0;
            }
            Genre::Country => {
                r.tempo = pick_class(rng, &[(Medium, 0.6), (Fast, 0.4)]);
                r.loudness = pick_class(rng, &[(Mid, 0.8), (Loud, 0.2)]);
                r.core = vec![Guitar, Bass];
                r.optional = vec![(Drums, 0.7), (Violin, 0.6), (Piano, 0.2)];
                sung(rng, &mut r, 0.65, 0.25);
            }
            Genre::Jazz => {
                r.tempo = pick_class(rng, &[(Slow, 0.3), (Medium, 0.5), (Fast, 0.2)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.4), (Mid, 0.6)]);
                r.core = vec![Piano, Bass];
                r.optional = vec![(Drums, 0.8), (Brass, 0.3), (Reed, 0.4)];
                sung(rng, &mut r, 0.1, 0.2);
            }
            Genre::Celtic => {
                r.tempo = pick_class(rng, &[(Medium, 0.5), (Fast, 0.5)]);
                r.core = vec![Flute, Harp];
                r.optional = vec![(Violin, 0.6), (Guitar, 0.3)];
            }
            Genre::Experimental => {
                r.tempo = pick_class(rng, &[(Slow, 0.4), (Medium, 0.4), (Fast, 0.2)]);
                r.loudness = pick_class(rng, &[(Quiet, 0.3), (Mid, 0.4), (Loud, 0.3)]);
                r.core = vec![SynthPad];
                r.optional = vec![(SynthLead, 0.5), (Arpeggio, 0.3), (Drums, 0.3)];
                r.weird = true;
            }
        }
        r
    }

    /// A clip of this album: the core parts, each optional part with its
    /// probability, the voice with the album's voice probability.
    pub(crate) fn clip(&self, rng: &mut Rng) -> ClipPlan {
        let mut parts: Vec<(Part, f64)> = self.core.iter().map(|&p| (p, 1.0)).collect();
        for &(p, prob) in &self.optional {
            if rng.chance(prob) && !parts.iter().any(|q| q.0 == p) {
                parts.push((p, 1.0));
            }
        }
        let voice = if self.voice != Voice::None && rng.chance(self.voice_prob) {
            self.voice
        } else {
            Voice::None
        };
        if parts.is_empty() && voice == Voice::None {
            parts.push((Part::Pad, 1.0));
        }
        let bpm = match self.tempo {
            Tempo::Slow => rng.range(55.0, 82.0),
            Tempo::Medium => rng.range(88.0, 120.0),
            Tempo::Fast => rng.range(126.0, 165.0),
        };
        ClipPlan {
            genre: self.genre,
            parts,
            voice,
            operatic: self.operatic && voice != Voice::None,
            tempo: self.tempo,
            bpm,
            loudness: self.loudness,
            weird: self.weird,
            singer_type: self.singer_type,
        }
    }
}

fn rms(x: &[f32]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    (x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / x.len() as f64).sqrt()
}

/// Mixing level range in dB of each part (relative; the loudest wins).
fn level_range(part: Part) -> (f64, f64) {
    match part {
        Part::Bass | Part::Tanpura | Part::Pad => (-12.0, -3.0),
        Part::Drums | Part::Tabla => (-8.0, 0.0),
        Part::Strings | Part::SynthPad => (-8.0, 0.0),
        _ => (-6.0, 0.0),
    }
}

/// Renders `part` into `out` (which is zero).
fn render_part(part: Part, plan: &ClipPlan, h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    match part {
        Part::Strings => strings(h, sr, rng, out),
        Part::Piano => piano(h, sr, rng, out),
        Part::Harpsichord => harpsichord(h, sr, rng, out),
        Part::Harp => harp(h, sr, rng, out),
        Part::Violin => {
            let lo = rng.int(62, 69);
            solo_line(h, LeadKind::Violin, (lo, lo + 17), 0.75, sr, rng, out);
        }
        Part::Cello => {
            let lo = rng.int(40, 48);
            solo_line(h, LeadKind::Violin, (lo, lo + 17), 0.75, sr, rng, out);
        }
        Part::Flute => {
            let lo = rng.int(67, 74);
            solo_line(h, LeadKind::Flute, (lo, lo + 15), 0.7, sr, rng, out);
        }
        Part::Brass => {
            let lo = rng.int(55, 62);
            solo_line(h, LeadKind::Brass, (lo, lo + 14), 0.6, sr, rng, out);
        }
        Part::Reed => {
            let lo = rng.int(58, 65);
            solo_line(h, LeadKind::Reed, (lo, lo + 15), 0.6, sr, rng, out);
        }
        Part::Pad => pad(h, sr, rng, out),
        Part::SynthPad => synth_pad(h, sr, rng, out),
        Part::SynthLead => {
            let lo = rng.int(60, 72);
            solo_line(h, LeadKind::Synth, (lo, lo + 15), 0.6, sr, rng, out);
        }
        Part::Arpeggio => arpeggio(h, sr, rng, out),
        Part::Bass => bass(h, sr, rng, out),
        Part::Guitar => guitar(h, sr, rng, out),
        Part::ElectricGuitar => electric_guitar(h, sr, rng, out),
        Part::Drums => match drum_steps(plan.genre, rng) {
            Some(steps) => drums_with(h, steps, sr, rng, out),
            None => drums(h, sr, rng, out),
        },
        Part::Sitar => sitar(h, sr, rng, out),
        Part::Tabla => tabla(h, sr, rng, out),
        Part::Tanpura => tanpura(h, sr, rng, out),
    }
}

/// Kick, snare and hat patterns typical of a genre (bit i = sixteenth i),
/// or `None` for a random kit pattern.
fn drum_steps(genre: Genre, rng: &mut Rng) -> Option<[u16; 3]> {
    const BACKBEAT: u16 = 0b0001_0000_0001_0000;
    const EIGHTHS: u16 = 0b0101_0101_0101_0101;
    Some(match genre {
        Genre::Rock => [0b0000_0101_0000_0001, BACKBEAT, EIGHTHS],
        Genre::Metal => [0xFFFF, BACKBEAT, EIGHTHS],
        Genre::Techno => [
            0b0001_0001_0001_0001,
            if rng.chance(0.5) { BACKBEAT } else { 0 },
            0b0100_0100_0100_0100,
        ],
        Genre::Pop => [
            0b0000_0001_0100_0001,
            BACKBEAT,
            *rng.pick(&[EIGHTHS, 0xFFFF]),
        ],
        Genre::Country => [0b0000_0001_0000_0001, BACKBEAT, 0xFFFF],
        Genre::Jazz => [
            0b0000_0000_0000_0001,
            0b0100_0000_0000_0000,
            0b0100_0001_0100_0001,
        ],
        _ => return None,
    })
}

/// Renders `plan` into `len` samples at `sr` Hz, filling in the parts'
/// salience. Returns the mastered audio, in `[-1, 1]`.
pub(crate) fn render(plan: &mut ClipPlan, sr: u32, len: usize, rng: &mut Rng) -> Vec<f32> {
    let srf = f64::from(sr);
    let h = Harmony::with_tempo(&mut rng.fork(), srf, len, plan.bpm);

    // Parts at random relative levels.
    let mut acc = vec![0.0f32; len];
    let mut stem = vec![0.0f32; len];
    let levels: Vec<f64> = plan
        .parts
        .iter()
        .map(|p| {
            let (lo, hi) = level_range(p.0);
            rng.range(lo, hi)
        })
        .collect();
    let top = levels.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    for (i, level) in levels.iter().enumerate() {
        stem.fill(0.0);
        let part = plan.parts[i].0;
        render_part(part, plan, &h, sr, &mut rng.fork(), &mut stem);
        let r = rms(&stem);
        if r > 0.0 {
            let g = (db(*level) / r) as f32;
            for (a, s) in acc.iter_mut().zip(&stem) {
                *a += g * s;
            }
        }
        plan.parts[i].1 = (1.0 + (level - top) / 12.0).clamp(0.0, 1.0);
    }

    // The voice, against the accompaniment's level.
    if plan.voice != Voice::None {
        stem.fill(0.0);
        let mut r = rng.fork();
        match plan.voice {
            Voice::Choir => choir(&h, sr, &mut r, &mut stem),
            _ => {
                let mut singer = Singer::of_type(plan.singer_type, &mut r);
                if plan.operatic {
                    singer = singer.operatic(&mut r);
                }
                let fill = r.range(0.5, 0.85);
                sung_line(&h, &singer, fill, sr, &mut r, &mut stem);
            }
        }
        let reference = if plan.parts.is_empty() {
            0.3
        } else {
            rms(&acc)
        };
        let vr = rms(&stem);
        if vr > 0.0 {
            let g = (reference * db(rng.range(-4.0, 4.0)) / vr) as f32;
            for (a, s) in acc.iter_mut().zip(&stem) {
                *a += g * s;
            }
        }
    }
    master(plan, &h, sr, acc, rng)
}

/// Effects, equaliser, dynamics, noise floor, loudness and output level.
fn master(plan: &ClipPlan, h: &Harmony, sr: u32, mut x: Vec<f32>, rng: &mut Rng) -> Vec<f32> {
    let sr64 = f64::from(sr);
    let srf = sr as f32;
    let sine = Sine::new();
    if plan.weird {
        // Ring modulation, partly mixed in.
        let inc = rng.rangef(150.0, 1200.0) / srf;
        let wet = rng.rangef(0.4, 0.8);
        let mut ph = Phase::default();
        for v in &mut x {
            *v = (1.0 - wet) * *v + wet * *v * sine.at(ph.tick(inc)) * 1.4;
        }
    }
    // Equaliser: tilt around 1 kHz, three peaking bands, low and high cut.
    let mut split = OnePole::new(rng.range(600.0, 1500.0), sr64);
    let (gl, gh) = (
        db(rng.range(-6.0, 6.0)) as f32,
        db(rng.range(-6.0, 6.0)) as f32,
    );
    let mut bands: Vec<Biquad> = (0..3)
        .map(|_| {
            let f = 80.0 * (6000.0f64 / 80.0).powf(rng.uniform());
            Biquad::peaking(f, rng.range(0.5, 2.0), rng.range(-9.0, 9.0), sr64)
        })
        .collect();
    let mut hp = Biquad::highpass(rng.range(30.0, 200.0), 0.7, sr64);
    let mut lp = Biquad::lowpass(rng.range(3500.0, 0.45 * sr64), 0.7, sr64);
    for v in &mut x {
        let l = split.process(*v);
        let mut y = gl * l + gh * (*v - l);
        for b in &mut bands {
            y = b.process(y);
        }
        *v = lp.process(hp.process(y));
    }
    // Section dynamics: ±3 dB every two bars, smoothly; quiet clips swell.
    let span = ((16.0 * h.eighth) as usize).max(1);
    let k = (1.0 - (-1.0 / (0.3 * sr64)).exp()) as f32;
    let (mut gain, mut target) = (1.0f32, 1.0f32);
    let swell = if plan.loudness == Loudness::Quiet {
        rng.rangef(0.3, 0.7)
    } else {
        0.0
    };
    let swell_inc = rng.rangef(0.1, 0.25) / srf;
    let mut swell_ph = Phase(rng.rangef(0.0, 1.0));
    for (i, v) in x.iter_mut().enumerate() {
        if i.is_multiple_of(span) {
            target = db(rng.range(-3.0, 3.0)) as f32;
        }
        gain += (target - gain) * k;
        let s = 1.0 - swell * (0.5 + 0.5 * sine.at(swell_ph.tick(swell_inc)));
        *v *= gain * s;
    }
    // Noise floor.
    let level = rms(&x).max(1e-6) * db(rng.range(-60.0, -35.0));
    let mut nlp = OnePole::new(rng.range(1000.0, 6000.0), sr64);
    for v in &mut x {
        *v += (level * 3.0) as f32 * nlp.process(rng.noise());
    }
    // Loud clips are driven into a soft clipper (lower crest factor).
    let peak = x.iter().fold(0.0f32, |m, v| m.max(v.abs())).max(1e-9);
    let drive = match plan.loudness {
        Loudness::Loud => rng.rangef(2.0, 5.0),
        Loudness::Medium => rng.rangef(0.8, 1.5),
        Loudness::Quiet => 0.5,
    };
    for v in &mut x {
        *v = (drive * *v / peak).tanh();
    }
    let peak = x.iter().fold(0.0f32, |m, v| m.max(v.abs())).max(1e-9);
    let out_level = match plan.loudness {
        Loudness::Loud => rng.rangef(0.3, 0.97),
        Loudness::Medium => rng.rangef(0.15, 0.95),
        Loudness::Quiet => rng.rangef(0.08, 0.8),
    };
    let g = out_level / peak;
    for v in &mut x {
        *v *= g;
    }
    x
}

/// One line on what was drawn, for the README.
pub(crate) fn describe(plan: &ClipPlan) -> String {
    let parts: Vec<String> = plan
        .parts
        .iter()
        .map(|(p, s)| format!("{p:?}:{s:.2}").to_lowercase())
        .collect();
    format!(
        "{:?}, {:.0} BPM ({:?}), {:?}, voice {:?}{}{}, parts {}",
        plan.genre,
        plan.bpm,
        plan.tempo,
        plan.loudness,
        plan.voice,
        if plan.operatic { " (operatic)" } else { "" },
        if plan.weird { ", ring-modulated" } else { "" },
        parts.join("+"),
    )
    .to_lowercase()
}
