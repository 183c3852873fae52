//! The musical skeleton of a synthetic song: key, tempo grid, a looping
//! diatonic chord progression and random-walk melodies on the scale.
//!
//! Times are sample indices; the eighth-note grid is anchored at the start
//! of the song so that every instrument and the voice share one pulse.

use super::rng::Rng;

const MAJOR: [i32; 7] = [0, 2, 4, 5, 7, 9, 11];
const MINOR: [i32; 7] = [0, 2, 3, 5, 7, 8, 10];

/// A key: tonic pitch class (0 = C) and mode.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key {
    tonic: i32,
    minor: bool,
}

impl Key {
    pub(crate) fn random(rng: &mut Rng) -> Self {
        Key {
            tonic: rng.int(0, 11),
            minor: rng.chance(0.45),
        }
    }

    /// MIDI pitch of scale degree `d` (any integer; degree 0 is the tonic
    /// in the octave starting at MIDI 60).
    pub(crate) fn pitch(&self, d: i32) -> i32 {
        let steps = if self.minor { &MINOR } else { &MAJOR };
        60 + self.tonic + 12 * d.div_euclid(7) + steps[d.rem_euclid(7) as usize]
    }

    /// E.g. `F# minor`.
    pub(crate) fn name(&self) -> String {
        const NAMES: [&str; 12] = [
            "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B",
        ];
        let mode = if self.minor { "minor" } else { "major" };
        format!("{} {mode}", NAMES[self.tonic as usize])
    }

    /// The scale degree whose pitch is nearest `midi` (ties go down).
    pub(crate) fn degree_near(&self, midi: i32) -> i32 {
        let mut d = (midi - 60 - self.tonic) * 7 / 12 - 1;
        while self.pitch(d + 1) <= midi {
            d += 1;
        }
        if (self.pitch(d + 1) - midi) < (midi - self.pitch(d)) {
            d + 1
        } else {
            d
        }
    }
}

/// One chord of the progression, as the scale degree of its root.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Chord {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) degree: i32,
    pub(crate) seventh: bool,
}

impl Chord {
    /// Scale degrees of the chord tones, root position.
    pub(crate) fn degrees(&self) -> Vec<i32> {
        let d = self.degree;
        let mut v = vec![d, d + 2, d + 4];
        if self.seventh {
            v.push(d + 6);
        }
        v
    }

    /// Whether degree `d` (any octave) is a chord tone.
    pub(crate) fn contains(&self, d: i32) -> bool {
        self.degrees().iter().any(|c| (d - c).rem_euclid(7) == 0)
    }
}

/// Key, tempo and chords of a whole song.
#[derive(Clone, Debug)]
pub(crate) struct Harmony {
    pub(crate) key: Key,
    /// Samples per eighth note.
    pub(crate) eighth: f64,
    pub(crate) chords: Vec<Chord>,
}

/// Common four-chord loops, as root scale degrees.
const MAJOR_LOOPS: [[i32; 4]; 6] = [
    [0, 4, 5, 3],
    [0, 5, 3, 4],
    [5, 3, 0, 4],
    [0, 3, 4, 3],
    [0, 3, 5, 4],
    [1, 4, 0, 5],
];
const MINOR_LOOPS: [[i32; 4]; 5] = [
    [0, 5, 2, 6],
    [0, 3, 4, 0],
    [0, 6, 5, 6],
    [0, 5, 3, 4],
    [0, 2, 3, 4],
];

impl Harmony {
    /// A random key, a tempo of 70–150 BPM and a chord loop covering
    /// `len` samples.
    pub(crate) fn random(rng: &mut Rng, sr: f64, len: usize) -> Self {
        let key = Key::random(rng);
        let bpm = rng.range(70.0, 150.0);
        Self::build(rng, key, bpm, sr, len)
    }

    /// A random key and a chord loop covering `len` samples at `bpm` beats
    /// per minute.
    pub(crate) fn with_tempo(rng: &mut Rng, sr: f64, len: usize, bpm: f64) -> Self {
        let key = Key::random(rng);
        Self::build(rng, key, bpm, sr, len)
    }

    fn build(rng: &mut Rng, key: Key, bpm: f64, sr: f64, len: usize) -> Self {
        let eighth = sr * 60.0 / bpm / 2.0;
        let looped: [i32; 4] = if key.minor {
            *rng.pick(&MINOR_LOOPS)
        } else {
            *rng.pick(&MAJOR_LOOPS)
        };
        // Chords last one bar (8 eighths), or two at fast tempi.
        let bars_per_chord = if bpm > 120.0 && rng.chance(0.5) {
            2.0
        } else {
            1.0
        };
        let span = 8.0 * eighth * bars_per_chord;
        let seventh_prob = rng.range(0.0, 0.4);
        let mut chords = Vec::new();
        let mut i = 0usize;
        loop {
            let start = (i as f64 * span).round() as usize;
            if start >= len {
                break;
            }
            let end = (((i + 1) as f64 * span).round() as usize).min(len);
            chords.push(Chord {
                start,
                end,
                degree: looped[i % 4],
                seventh: rng.chance(seventh_prob),
            });
            i += 1;
        }
        Harmony {
            key,
            eighth,
            chords,
        }
    }

    /// Tempo in beats (quarter notes) per minute at sample rate `sr`.
    pub(crate) fn bpm(&self, sr: f64) -> f64 {
        sr * 30.0 / self.eighth
    }

    /// The chord sounding at sample `pos`.
    pub(crate) fn chord_at(&self, pos: usize) -> &Chord {
        let i = self.chords.partition_point(|c| c.end <= pos);
        &self.chords[i.min(self.chords.len() - 1)]
    }

    /// The first eighth-note tick at or after sample `pos`.
    pub(crate) fn tick_at_or_after(&self, pos: usize) -> usize {
        let k = (pos as f64 / self.eighth).ceil();
        (k * self.eighth).round() as usize
    }

    /// The first sixteenth-note tick at or after sample `pos`.
    pub(crate) fn sixteenth_at_or_after(&self, pos: usize) -> usize {
        let s = self.eighth / 2.0;
        ((pos as f64 / s).ceil() * s).round() as usize
    }

    /// Sample position of eighth-note tick `k`.
    pub(crate) fn tick(&self, k: usize) -> usize {
        (k as f64 * self.eighth).round() as usize
    }
}

/// A note: sample span and (fractional) MIDI pitch.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Note {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) midi: f32,
}

/// How a melody moves: pitch range and rhythm.
#[derive(Clone, Debug)]
pub(crate) struct MelodyStyle {
    /// Lowest and highest MIDI pitch.
    pub(crate) range: (i32, i32),
    /// Note lengths in sixteenths with their weights.
    pub(crate) durations: Vec<(usize, f64)>,
    /// Probability of a leap of a third to a sixth instead of a step.
    pub(crate) leap_prob: f64,
}

/// A melody filling `[start, end)` without gaps: the first note starts at
/// `start`, inner note boundaries fall on the sixteenth grid, and the last note
/// ends at `end`.
pub(crate) fn melody(
    h: &Harmony,
    start: usize,
    end: usize,
    style: &MelodyStyle,
    rng: &mut Rng,
    min_note: usize,
) -> Vec<Note> {
    let (lo, hi) = style.range;
    let weights: Vec<f64> = style.durations.iter().map(|d| d.1).collect();
    let mut d = h.key.degree_near(rng.int(lo + 2, (hi - 2).max(lo + 2)));
    let mut notes = Vec::new();
    let mut pos = start;
    while pos < end {
        let sixteenths = style.durations[rng.weighted(&weights)].0;
        let mut next =
            h.sixteenth_at_or_after(pos + (sixteenths as f64 * h.eighth * 0.375) as usize);
        if next + min_note >= end {
            next = end;
        }
        // Pitch: a step or a leap, snapped to a chord tone on chord changes
        // and often anyway, reflected back into range.
        if !notes.is_empty() {
            let step = if rng.chance(style.leap_prob) {
                rng.int(2, 5) * if rng.chance(0.5) { 1 } else { -1 }
            } else {
                *rng.pick(&[-2, -1, -1, 0, 1, 1, 2])
            };
            d += step;
        }
        let chord = h.chord_at(pos);
        if (chord.start >= pos && chord.start < next || rng.chance(0.4)) && !chord.contains(d) {
            d += if rng.chance(0.5) { 1 } else { -1 };
            if !chord.contains(d) {
                d += if chord.contains(d + 1) { 1 } else { -1 };
            }
        }
        while h.key.pitch(d) > hi {
            d -= 2;
        }
        while h.key.pitch(d) < lo {
            d += 2;
        }
        notes.push(Note {
            start: pos,
            end: next,
            midi: h.key.pitch(d) as f32,
        });
        pos = next;
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_degrees_round_trip() {
        let k = Key {
            tonic: 2,
            minor: false,
        };
        assert_eq!(k.pitch(0), 62);
        assert_eq!(k.pitch(7), 74);
        assert_eq!(k.pitch(-1), 61);
        for d in -14..14 {
            assert_eq!(k.degree_near(k.pitch(d)), d);
        }
    }

    #[test]
    fn melody_tiles_its_span_within_range() {
        let mut rng = Rng::new(3);
        let sr = 44_100.0;
        let h = Harmony::random(&mut rng, sr, 44_100 * 20);
        let style = MelodyStyle {
            range: (55, 74),
            durations: vec![(1, 1.0), (2, 2.0), (4, 1.0)],
            leap_prob: 0.2,
        };
        let notes = melody(&h, 12_345, 300_001, &style, &mut rng, 4410);
        assert_eq!(notes[0].start, 12_345);
        assert_eq!(notes.last().unwrap().end, 300_001);
        for w in notes.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        for n in &notes {
            assert!(n.end > n.start);
            assert!((55.0..=74.0).contains(&n.midi), "{}", n.midi);
        }
    }
}
