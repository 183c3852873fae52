//! Melodic lines and sections of the tagging generator, built on the
//! singing-voice generator's lead instruments and singer: phrases with rests
//! between them, solo lines, a string section (three bowed parts in stacked
//! ranges playing long chord-tone notes) and a four-part choir (bass, tenor,
//! alto and soprano singers in long notes).

use super::instruments::{Lead, LeadKind, lead};
use super::music::{Harmony, MelodyStyle, Note, melody};
use super::rng::Rng;
use super::voice::{Singer, render, syllables};

/// Phrase spans `[start, end)` covering about `fill` of `len` samples: two
/// to four bars each, separated by rests of half a bar to two bars, the
/// first starting after a rest with probability 0.5.
pub(crate) fn phrases(h: &Harmony, len: usize, fill: f64, rng: &mut Rng) -> Vec<(usize, usize)> {
    let bar = 8.0 * h.eighth;
    let mut spans = Vec::new();
    let mut pos = if rng.chance(0.5) {
        (rng.range(0.5, 2.0) * bar) as usize
    } else {
        0
    };
    while pos + (bar as usize) / 2 < len {
        let start = h.tick_at_or_after(pos);
        let end = (start + (rng.range(2.0, 4.0) * bar) as usize).min(len);
        if end > start + (bar as usize) / 4 {
            spans.push((start, end));
        }
        let rest =
            (1.0 - fill).max(0.02) / fill.max(0.05) * rng.range(0.5, 1.5) * (end - start) as f64;
        pos = end + rest.max(0.25 * bar) as usize;
    }
    spans
}

/// Shifts notes made for absolute positions to start at 0 relative to `s`.
fn relative(notes: &[Note], s: usize) -> Vec<Note> {
    notes
        .iter()
        .map(|n| Note {
            start: n.start - s,
            end: n.end - s,
            ..*n
        })
        .collect()
}

/// Renders `notes` (absolute positions within `out`) on `instrument`.
fn play(notes: &[Note], instrument: &Lead, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let (Some(first), Some(last)) = (notes.first(), notes.last()) else {
        return;
    };
    let (s, e) = (first.start, last.end);
    let mut part = vec![0.0f32; e - s];
    lead(&relative(notes, s), instrument, sr, rng, &mut part);
    for (o, p) in out[s..e].iter_mut().zip(&part) {
        *o += p;
    }
}

/// Adds a solo melodic line of `kind` in MIDI `range`, in phrases covering
/// about `fill` of the clip.
#[allow(clippy::too_many_arguments)]
pub(crate) fn solo_line(
    h: &Harmony,
    kind: LeadKind,
    range: (i32, i32),
    fill: f64,
    sr: u32,
    rng: &mut Rng,
    out: &mut [f32],
) {
    let instrument = Lead::of_kind(kind, range, rng);
    let style = MelodyStyle {
        range,
        durations: vec![(2, 2.0), (4, 3.0), (6, 0.7), (8, 1.5), (12, 0.5)],
        leap_prob: 0.25,
    };
    let min_note = (0.1 * sr as f64) as usize;
    for (s, e) in phrases(h, out.len(), fill, rng) {
        let notes = melody(h, s, e, &style, rng, min_note);
        play(&notes, &instrument, sr, rng, out);
    }
}

/// Adds a string section: three bowed parts (violins, violas, cellos) in
/// long notes that follow the chords.
pub(crate) fn strings(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let min_note = (0.2 * sr as f64) as usize;
    let len = out.len();
    for range in [(64, 81), (55, 70), (43, 60)] {
        let instrument = Lead::of_kind(LeadKind::Violin, range, rng);
        let style = MelodyStyle {
            range,
            durations: vec![(4, 1.0), (8, 3.0), (12, 1.0), (16, 2.0)],
            leap_prob: 0.1,
        };
        let notes = melody(h, 0, len, &style, rng, min_note);
        play(&notes, &instrument, sr, rng, out);
    }
}

/// Adds a sung line by `singer` in phrases covering about `fill` of the clip.
pub(crate) fn sung_line(
    h: &Harmony,
    singer: &Singer,
    fill: f64,
    sr: u32,
    rng: &mut Rng,
    out: &mut [f32],
) {
    let style = MelodyStyle {
        range: singer.range,
        durations: vec![(1, 1.0), (2, 5.0), (3, 1.5), (4, 3.0), (6, 1.0), (8, 0.5)],
        leap_prob: 0.15,
    };
    let min_note = (0.12 * sr as f64) as usize;
    for (s, e) in phrases(h, out.len(), fill, rng) {
        let notes = melody(h, s, e, &style, rng, min_note);
        let syl = syllables(&notes, rng);
        render(&syl, singer, sr, rng, out);
    }
}

/// Adds a four-part choir singing long notes in phrases.
pub(crate) fn choir(h: &Harmony, sr: u32, rng: &mut Rng, out: &mut [f32]) {
    let min_note = (0.25 * sr as f64) as usize;
    let spans = phrases(h, out.len(), 0.8, rng);
    for t in [0usize, 2, 3, 5] {
        let singer = Singer::of_type(t, rng);
        let style = MelodyStyle {
            range: singer.range,
            durations: vec![(4, 1.0), (8, 3.0), (12, 1.0), (16, 1.5)],
            leap_prob: 0.05,
        };
        for &(s, e) in &spans {
            let notes = melody(h, s, e, &style, rng, min_note);
            let syl = syllables(&notes, rng);
            render(&syl, &singer, sr, rng, out);
        }
    }
}
