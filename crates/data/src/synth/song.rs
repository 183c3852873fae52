//! One synthetic song: the arrangement of sung and unsung segments, the
//! accompaniment, the voice and the lead confusers, mixed at drawn levels.
//!
//! Levels are set per segment against the accompaniment's RMS over that
//! segment: the voice at −6 to +6 dB (a per-song centre ±2 dB), a lead that
//! fills unsung segments at the same range, and an occasional quieter
//! counter-melody under the voice. Loudness and the long-term spectral
//! envelope thus say little about where the voice is; its formant motion,
//! consonants, vibrato and glides do.

use super::arrangement::{Segment, layout, quantum};
use super::drums::drums;
use super::instruments::{Lead, bass, guitar, lead, pad};
use super::music::{Harmony, MelodyStyle, Note, melody};
use super::osc::db;
use super::rng::Rng;
use super::voice::{Singer, render, syllables};

/// A rendered song: mono samples in `[-1, 1]` and its labelled segments.
pub(crate) struct Song {
    pub(crate) audio: Vec<f32>,
    pub(crate) segments: Vec<Segment>,
    /// One line on what was drawn (tempo, key, singer, instruments).
    pub(crate) description: String,
}

fn rms(x: &[f32]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    (x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / x.len() as f64).sqrt()
}

/// Adds `stem`, scaled to RMS `10^(gain_db/20)` over the song, to `mix`.
fn add_stem(mix: &mut [f32], stem: &[f32], gain_db: f64) {
    let r = rms(stem);
    if r > 0.0 {
        let g = (db(gain_db) / r) as f32;
        for (m, s) in mix.iter_mut().zip(stem) {
            *m += g * s;
        }
    }
}

/// Scales `part[range]` so that its RMS is `ratio_db` relative to the RMS of
/// `reference[range]` (or of the whole reference if that span is silent).
fn set_level(part: &mut [f32], reference: &[f32], start: usize, end: usize, ratio_db: f64) {
    let p = rms(&part[start..end]);
    let mut r = rms(&reference[start..end]);
    if r < 1e-4 {
        r = rms(reference).max(1e-3);
    }
    if p > 0.0 {
        let g = (r * db(ratio_db) / p) as f32;
        for x in &mut part[start..end] {
            *x *= g;
        }
    }
}

/// Renders a song of `len` samples (a multiple of the label grid) from `rng`.
pub(crate) fn song(rng: &mut Rng, sr: u32, len: usize) -> Song {
    let srf = f64::from(sr);
    let segments = layout(len, quantum(sr), sr, &mut rng.fork());
    let h = Harmony::random(&mut rng.fork(), srf, len);

    // Accompaniment: stems at random relative levels.
    let mut acc = vec![0.0f32; len];
    let mut stem = vec![0.0f32; len];
    pad(&h, sr, &mut rng.fork(), &mut stem);
    add_stem(&mut acc, &stem, rng.range(-6.0, 0.0));
    stem.fill(0.0);
    bass(&h, sr, &mut rng.fork(), &mut stem);
    add_stem(&mut acc, &stem, rng.range(-6.0, 0.0));
    let mut stems = vec!["pad", "bass"];
    if rng.chance(0.6) {
        stems.push("guitar");
        stem.fill(0.0);
        guitar(&h, sr, &mut rng.fork(), &mut stem);
        add_stem(&mut acc, &stem, rng.range(-10.0, -1.0));
    }
    if rng.chance(0.85) {
        stems.push("drums");
        stem.fill(0.0);
        drums(&h, sr, &mut rng.fork(), &mut stem);
        add_stem(&mut acc, &stem, rng.range(-8.0, 0.0));
    }
    // Section dynamics: a gain that changes every two bars, ±3 dB, smoothly.
    let span = (16.0 * h.eighth) as usize;
    let mut gain = 1.0f32;
    let k = (1.0 - (-1.0 / (0.3 * srf)).exp()) as f32;
    let mut target = 1.0f32;
    for (i, a) in acc.iter_mut().enumerate() {
        if i.is_multiple_of(span) {
            target = db(rng.range(-3.0, 3.0)) as f32;
        }
        gain += (target - gain) * k;
        *a *= gain;
    }

    // The voice, one phrase per sung segment.
    let singer = Singer::random(rng);
    let min_note = (0.12 * srf) as usize;
    let voice_style = MelodyStyle {
        range: singer.range,
        durations: vec![
            (1, 1.0),
            (2, 5.0),
            (3, 1.5),
            (4, 3.0),
            (6, 1.0),
            (8, 0.5),
            (12, 0.2),
        ],
        leap_prob: 0.15,
    };
    let centre_db = rng.range(-4.0, 4.0);
    let mut voice = vec![0.0f32; len];
    for seg in segments.iter().filter(|s| s.sung) {
        let mut r = rng.fork();
        let notes = melody(&h, seg.start, seg.end, &voice_style, &mut r, min_note);
        let syl = syllables(&notes, &mut r);
        render(&syl, &singer, sr, &mut r, &mut voice);
        let ratio = (centre_db + rng.range(-2.0, 2.0)).clamp(-6.0, 6.0);
        set_level(&mut voice, &acc, seg.start, seg.end, ratio);
    }

    // Lead instruments: one or two per song, mostly where the voice rests.
    let leads: Vec<Lead> = (0..if rng.chance(0.4) { 2 } else { 1 })
        .map(|_| Lead::random(rng, singer.range))
        .collect();
    let unsung_prob = rng.range(0.6, 0.95);
    let sung_prob = rng.range(0.0, 0.35);
    let mut leads_out = vec![0.0f32; len];
    for seg in &segments {
        let plays = rng.chance(if seg.sung { sung_prob } else { unsung_prob });
        if !plays {
            continue;
        }
        let which = rng.pick(&leads);
        let mut r = rng.fork();
        let (mut s, mut e) = (seg.start, seg.end);
        if rng.chance(0.4) {
            // Only part of the segment.
            let room = seg.len() as f64;
            s = h.tick_at_or_after(s + (rng.range(0.0, 0.3) * room) as usize);
            e = (e as f64 - rng.range(0.0, 0.3) * room) as usize;
        }
        if e <= s + min_note * 3 {
            continue;
        }
        let style = MelodyStyle {
            range: which.range,
            durations: vec![(2, 2.0), (4, 3.0), (6, 0.7), (8, 1.5), (12, 0.5), (16, 0.3)],
            leap_prob: 0.25,
        };
        let notes = melody(&h, s, e, &style, &mut r, min_note);
        let mut part = vec![0.0f32; e - s];
        let shifted: Vec<_> = notes
            .iter()
            .map(|n| Note {
                start: n.start - s,
                end: n.end - s,
                ..*n
            })
            .collect();
        lead(&shifted, which, sr, &mut r, &mut part);
        let ratio = if seg.sung {
            rng.range(-12.0, -3.0)
        } else {
            rng.range(-6.0, 6.0)
        };
        let reference = &acc[s..e];
        set_level(&mut part, reference, 0, e - s, ratio);
        for (o, p) in leads_out[s..e].iter_mut().zip(&part) {
            *o += p;
        }
    }

    // Mix and normalise the peak to a random level below full scale.
    let mut audio: Vec<f32> = acc
        .iter()
        .zip(&voice)
        .zip(&leads_out)
        .map(|((a, v), l)| a + v + l)
        .collect();
    let peak = audio.iter().fold(0.0f32, |m, x| m.max(x.abs())).max(1e-6);
    let g = rng.rangef(0.5, 0.95) / peak;
    for x in &mut audio {
        *x *= g;
    }
    let lead_names: Vec<String> = leads
        .iter()
        .map(|l| format!("{:?}", l.kind).to_lowercase())
        .collect();
    let description = format!(
        "{:.0} BPM, {}, voice MIDI {}-{} at {:+.1} dB, lead {} ({:.0} % of unsung, {:.0} % of sung segments), {}",
        h.bpm(srf),
        h.key.name(),
        singer.range.0,
        singer.range.1,
        centre_db,
        lead_names.join("+"),
        100.0 * unsung_prob,
        100.0 * sung_prob,
        stems.join("+"),
    );
    Song {
        audio,
        segments,
        description,
    }
}
