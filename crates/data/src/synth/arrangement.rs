//! Where the voice sings: a song's alternation of sung and unsung segments.
//!
//! Boundaries fall on a grid of whole samples that is also a whole number of
//! milliseconds (441 samples = 10 ms at 44.1 kHz), so a `.lab` file written
//! with three decimals states them exactly. A song gets a target sung
//! fraction in [0.44, 0.56] and sung segments of a few seconds; because the
//! totals are split exactly, even a five-second song (one sung segment) meets
//! the 40–60 % constraint.

use super::rng::Rng;

/// A labelled span of a song, in samples, `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Segment {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) sung: bool,
}

impl Segment {
    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// The boundary grid: the smallest whole number of samples that is also a
/// whole number of milliseconds (`sr / gcd(sr, 1000)`).
pub(crate) fn quantum(sr: u32) -> usize {
    fn gcd(a: u32, b: u32) -> u32 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    (sr / gcd(sr, 1000)) as usize
}

/// Splits `total` into `weights.len()` parts proportional to the weights,
/// each at least 1 when `total >= weights.len()`.
fn split(total: usize, weights: &[f64]) -> Vec<usize> {
    let n = weights.len();
    let sum: f64 = weights.iter().sum();
    let spare = total.saturating_sub(n) as f64;
    let mut parts = Vec::with_capacity(n);
    let mut acc = 0.0;
    let mut given = 0usize;
    for (i, w) in weights.iter().enumerate() {
        acc += w;
        let upto = if i + 1 == n {
            total
        } else {
            ((acc / sum) * spare).round() as usize + i + 1
        };
        parts.push(upto - given);
        given = upto;
    }
    parts
}

/// A random layout of `len` samples (a multiple of `q`), alternating
/// unsung and sung segments with a sung fraction in [0.44, 0.56].
pub(crate) fn layout(len: usize, q: usize, sr: u32, rng: &mut Rng) -> Vec<Segment> {
    let units = len / q;
    let sec = f64::from(sr) / q as f64; // units per second
    let fraction = rng.range(0.44, 0.56);
    let sung_units = ((fraction * units as f64).round() as usize).clamp(1, units - 1);
    let mean_sung = rng.range(3.0, 7.0) * sec;
    let k = ((sung_units as f64 / mean_sung).round() as usize).max(1);
    let mut starts_unsung = rng.chance(0.85);
    let ends_unsung = rng.chance(0.6);
    if k == 1 && !ends_unsung {
        starts_unsung = true;
    }
    let gaps = k - 1 + usize::from(starts_unsung) + usize::from(ends_unsung);
    debug_assert!(k <= sung_units && gaps <= units - sung_units);
    let sung_w: Vec<f64> = (0..k).map(|_| rng.range(0.6, 1.4)).collect();
    let gap_w: Vec<f64> = (0..gaps).map(|_| rng.range(0.6, 1.4)).collect();
    let sung = split(sung_units, &sung_w);
    let unsung = split(units - sung_units, &gap_w);

    // Interleave: [gap] sung gap sung ... sung [gap].
    let mut order: Vec<(usize, bool)> = Vec::with_capacity(k + gaps);
    let mut gi = 0;
    if starts_unsung {
        order.push((unsung[0], false));
        gi = 1;
    }
    for (si, &s) in sung.iter().enumerate() {
        order.push((s, true));
        if si + 1 < k || ends_unsung {
            order.push((unsung[gi], false));
            gi += 1;
        }
    }
    let mut pos = 0;
    let mut segments = Vec::with_capacity(order.len());
    for (units, is_sung) in order {
        let end = pos + units * q;
        segments.push(Segment {
            start: pos,
            end,
            sung: is_sung,
        });
        pos = end;
    }
    debug_assert_eq!(pos, units * q);
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantum_is_whole_milliseconds() {
        assert_eq!(quantum(44_100), 441);
        assert_eq!(quantum(48_000), 48);
        assert_eq!(quantum(22_050), 441);
        assert_eq!(quantum(16_000), 16);
    }

    #[test]
    fn split_is_exact_and_positive() {
        let p = split(10, &[1.0, 3.0, 1.0]);
        assert_eq!(p.iter().sum::<usize>(), 10);
        assert!(p.iter().all(|&x| x >= 1));
        assert_eq!(split(3, &[5.0, 0.1, 5.0]), vec![1, 1, 1]);
    }

    #[test]
    fn layouts_alternate_tile_and_meet_the_fraction() {
        let sr = 44_100;
        let q = quantum(sr);
        for seed in 0..300 {
            let mut rng = Rng::new(seed);
            let secs = if seed % 2 == 0 {
                4.0
            } else {
                30.0 + (seed % 31) as f64
            };
            let len = (secs * f64::from(sr)) as usize / q * q;
            let segs = layout(len, q, sr, &mut rng);
            assert_eq!(segs[0].start, 0);
            assert_eq!(segs.last().unwrap().end, len);
            for w in segs.windows(2) {
                assert_eq!(w[0].end, w[1].start);
                assert_ne!(w[0].sung, w[1].sung, "seed {seed}: {segs:?}");
            }
            assert!(segs.iter().all(|s| s.len() > 0 && s.start % q == 0));
            let sung: usize = segs.iter().filter(|s| s.sung).map(Segment::len).sum();
            let f = sung as f64 / len as f64;
            assert!((0.43..=0.57).contains(&f), "seed {seed}: {f}");
            assert!(segs.iter().any(|s| s.sung) && segs.iter().any(|s| !s.sung));
        }
    }
}
