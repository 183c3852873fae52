//! Label noise on singing-voice segments (the `segments` and `boundaries`
//! kinds), applied to one song's `.lab` segments (sorted, as
//! [`crate::labels::read_lab`] returns them) before frame labels are made.
//!
//! Each song draws from its own stream, `Draws::new(seed, split, song, "")`:
//! - `segments`: one uniform per segment in time order; the label flips
//!   (`sing` ↔ `nosing`) if it is below `rate`;
//! - `boundaries`: a boundary is the point where a segment ends and the next
//!   one starts (they touch) with a different label. Two uniforms per
//!   boundary in time order: the first below `rate` moves it, the second
//!   gives the shift `(2u − 1) · max_shift`. The moved boundary is rounded
//!   to the microsecond (so that the written `.lab` file stays short and
//!   reads back as exactly the time training used) and clamped to
//!   `[start of the segment before it (as already moved), end of the segment
//!   after it]`, so no segment gets shorter than 0 and the order stays; the
//!   segment before it ends and the one after it starts there.
//!
//! [`changed_seconds`] measures, exactly, how much of a song's time changed
//! label: the union of the breakpoints of both segment lists cuts `[0, T)`
//! into pieces of constant label; each piece is compared at its midpoint.

use super::config::{LabelNoiseConfig, NoiseKind};
use super::draws::Draws;
use crate::labels::Segment;

/// What corrupting one song did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct SongChanges {
    /// Clean `sing` segments and how many flipped.
    pub sung: usize,
    pub sung_flipped: usize,
    /// Clean `nosing` segments and how many flipped.
    pub unsung: usize,
    pub unsung_flipped: usize,
    /// Boundaries, how many moved, and the sum of their |shift| in seconds.
    pub boundaries: usize,
    pub moved: usize,
    pub total_abs_shift: f64,
}

/// The song's corrupted segments (same order and count) and what changed.
pub(crate) fn corrupt_segments(
    clean: &[Segment],
    config: &LabelNoiseConfig,
    split: &str,
    song: &str,
) -> (Vec<Segment>, SongChanges) {
    let mut draws = Draws::new(config.seed, split, song, "");
    let rate = config.rate.unwrap_or(0.0);
    let mut out = clean.to_vec();
    let mut changes = SongChanges::default();
    match config.kind {
        NoiseKind::Segments => {
            for s in &mut out {
                let flip = draws.chance(rate);
                if s.sung {
                    changes.sung += 1;
                    changes.sung_flipped += usize::from(flip);
                } else {
                    changes.unsung += 1;
                    changes.unsung_flipped += usize::from(flip);
                }
                s.sung ^= flip;
            }
        }
        NoiseKind::Boundaries => {
            let max_shift = config.max_shift.unwrap_or(0.0);
            for i in 1..clean.len() {
                let (before, after) = (clean[i - 1], clean[i]);
                if before.end != after.start || before.sung == after.sung {
                    continue;
                }
                changes.boundaries += 1;
                let moved = draws.chance(rate);
                let shift = (2.0 * draws.uniform() - 1.0) * max_shift;
                if !moved {
                    continue;
                }
                let at =
                    round_to_microseconds(before.end + shift).clamp(out[i - 1].start, after.end);
                out[i - 1].end = at;
                out[i].start = at;
                changes.moved += 1;
                changes.total_abs_shift += (at - before.end).abs();
            }
        }
        _ => {}
    }
    (out, changes)
}

/// `t` rounded to a whole number of microseconds: the double nearest to the
/// decimal with six places, which is what reading that decimal back gives.
fn round_to_microseconds(t: f64) -> f64 {
    (t * 1e6).round() / 1e6
}

/// Seconds of `[0, duration)` whose label is unsung in `clean` and sung in
/// `noisy`, and the other way round.
pub(crate) fn changed_seconds(clean: &[Segment], noisy: &[Segment], duration: f64) -> (f64, f64) {
    let mut cuts: Vec<f64> = vec![0.0, duration];
    for s in clean.iter().chain(noisy) {
        cuts.extend([s.start, s.end]);
    }
    cuts.retain(|t| (0.0..=duration).contains(t));
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let sung_at =
        |segments: &[Segment], t: f64| segments.iter().any(|s| s.sung && s.start <= t && t < s.end);
    let (mut to_sung, mut to_unsung) = (0.0, 0.0);
    for piece in cuts.windows(2) {
        let (a, b) = (piece[0], piece[1]);
        let middle = 0.5 * (a + b);
        match (sung_at(clean, middle), sung_at(noisy, middle)) {
            (false, true) => to_sung += b - a,
            (true, false) => to_unsung += b - a,
            _ => {}
        }
    }
    (to_sung, to_unsung)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start: f64, end: f64, sung: bool) -> Segment {
        Segment { start, end, sung }
    }

    fn config(text: &str) -> LabelNoiseConfig {
        toml::from_str(text).unwrap()
    }

    /// Alternating touching segments of 10 s.
    fn song(n: usize) -> Vec<Segment> {
        (0..n)
            .map(|i| seg(10.0 * i as f64, 10.0 * (i + 1) as f64, i % 2 == 1))
            .collect()
    }

    #[test]
    fn rate_zero_changes_nothing_and_rate_one_flips_every_segment() {
        let clean = song(7);
        let (same, c) = corrupt_segments(
            &clean,
            &config("kind = \"segments\"\nrate = 0"),
            "train",
            "s",
        );
        assert_eq!(same, clean);
        assert_eq!(
            (c.sung, c.unsung, c.sung_flipped + c.unsung_flipped),
            (3, 4, 0)
        );
        let (all, c) = corrupt_segments(
            &clean,
            &config("kind = \"segments\"\nrate = 1"),
            "train",
            "s",
        );
        for (a, b) in all.iter().zip(&clean) {
            assert_eq!((a.start, a.end, a.sung), (b.start, b.end, !b.sung));
        }
        assert_eq!((c.sung_flipped, c.unsung_flipped), (3, 4));
        assert_eq!(changed_seconds(&clean, &all, 70.0), (40.0, 30.0));
        // Only the time within the audio counts.
        assert_eq!(changed_seconds(&clean, &all, 25.0), (15.0, 10.0));
    }

    #[test]
    fn boundaries_move_within_bounds_and_keep_the_segments_in_order() {
        let clean = vec![
            seg(0.0, 1.0, false),
            seg(1.0, 1.5, true),
            seg(1.5, 4.0, false),
            seg(4.0, 6.0, false), // same label: no boundary at 4
            seg(7.0, 9.0, true),  // a gap before it: no boundary at 7
            seg(9.0, 9.2, false),
        ];
        for seed in 1..200 {
            let c = config(&format!(
                "kind = \"boundaries\"\nrate = 1\nmax_shift = 2\nseed = {seed}"
            ));
            let (noisy, changes) = corrupt_segments(&clean, &c, "train", "s");
            assert_eq!(changes.boundaries, 3);
            assert_eq!(changes.moved, 3);
            for (n, c) in noisy.iter().zip(&clean) {
                assert!(n.end >= n.start, "{noisy:?}");
                assert_eq!(n.sung, c.sung);
            }
            for pair in noisy.windows(2) {
                assert!(pair[1].start >= pair[0].end, "{noisy:?}");
            }
            // Untouched: the boundary-free edges.
            assert_eq!(
                (noisy[0].start, noisy[3].end, noisy[4].start),
                (0.0, 6.0, 7.0)
            );
            assert_eq!((noisy[3].start, noisy[5].end), (4.0, 9.2));
            // Each boundary's shift is within max_shift; the time that
            // changed label is at most the sum of the shifts (less where a
            // boundary moved past the original place of its neighbour), and
            // is what a fine grid of time points counts.
            for s in &noisy {
                assert_eq!(s.end, format!("{:.6}", s.end).parse::<f64>().unwrap());
            }
            let shifts = [noisy[0].end - 1.0, noisy[1].end - 1.5, noisy[4].end - 9.0];
            assert!(shifts.iter().all(|s| s.abs() <= 2.0), "{shifts:?}");
            let total: f64 = shifts.iter().map(|s| s.abs()).sum();
            assert!((changes.total_abs_shift - total).abs() < 1e-12);
            let (a, b) = changed_seconds(&clean, &noisy, 10.0);
            assert!(a + b <= total + 1e-9, "{a} + {b} vs {total}");
            let (ga, gb) = grid_changed(&clean, &noisy, 10.0);
            assert!(
                (a - ga).abs() < 1e-3 && (b - gb).abs() < 1e-3,
                "{a} {b} vs grid {ga} {gb}"
            );
        }
    }

    /// `changed_seconds` by counting 100,000 evenly spaced time points.
    fn grid_changed(clean: &[Segment], noisy: &[Segment], duration: f64) -> (f64, f64) {
        let sung = |s: &[Segment], t: f64| s.iter().any(|s| s.sung && s.start <= t && t < s.end);
        let n = 100_000;
        let step = duration / n as f64;
        let (mut a, mut b) = (0.0, 0.0);
        for i in 0..n {
            let t = (i as f64 + 0.5) * step;
            match (sung(clean, t), sung(noisy, t)) {
                (false, true) => a += step,
                (true, false) => b += step,
                _ => {}
            }
        }
        (a, b)
    }

    #[test]
    fn the_same_seed_gives_the_same_noise_and_another_seed_other_noise() {
        let clean = song(40);
        let run = |text: &str, split: &str, name: &str| {
            corrupt_segments(&clean, &config(text), split, name).0
        };
        let a = "kind = \"segments\"\nrate = 0.5\nseed = 4";
        let b = "kind = \"segments\"\nrate = 0.5\nseed = 5";
        assert_eq!(run(a, "train", "x"), run(a, "train", "x"));
        assert_ne!(run(a, "train", "x"), run(b, "train", "x"));
        assert_ne!(run(a, "train", "x"), run(a, "train", "y"));
        assert_ne!(run(a, "train", "x"), run(a, "valid", "x"));
    }
}
