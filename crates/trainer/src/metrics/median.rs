//! Running median over a fixed number of frames, used to smooth frame-wise
//! network outputs before thresholding (Schlüter & Grill, ISMIR 2015: 56
//! frames = 0.8 s at 70 frames/s; f0k/ismir2015 `experiments/eval.py` calls
//! `scipy.ndimage.filters.median_filter(pred, 56, mode='nearest')`).
//!
//! The result equals scipy's `median_filter(x, size, mode='nearest')` with
//! the default `origin=0`, element for element:
//!
//! - the window for frame `i` is frames `i - size/2 ..= i - size/2 + size - 1`
//!   (integer division), so an even window has one more frame before `i`
//!   than after it (56: 28 before, 27 after);
//! - frames beyond either end repeat the first or last value (`'nearest'`);
//! - the output is the element of rank `size/2` (0-based) of the sorted
//!   window: the middle one for odd sizes, the upper of the two middle ones
//!   for even sizes (scipy does not average them).
//!
//! Checked against `tests/fixtures/median_scipy.json` (`make_median.py`).
//!
//! The window is kept sorted; each step removes one value and inserts one by
//! binary search, so a step costs `O(log size)` comparisons plus a memmove
//! of at most `size` values (a few milliseconds for 100k frames and 56).

/// Median window of the SVD protocol: 56 frames (0.8 s at 70 frames/s).
pub const SVD_MEDIAN_FRAMES: usize = 56;

/// Running median of `x` over `size` frames, centred, with `scipy.ndimage`'s
/// `mode='nearest'` edges (see the module docs for the exact window).
///
/// `size` 0 or 1 returns `x` unchanged; an empty `x` gives an empty result.
/// Values are ordered by [`f32::total_cmp`], so NaNs do not panic (a positive
/// NaN sorts above `+inf`); scores are expected to be finite.
pub fn median_filter(x: &[f32], size: usize) -> Vec<f32> {
    let n = x.len();
    if n == 0 || size <= 1 {
        return x.to_vec();
    }
    let before = size / 2;
    // value at frame `j`, which may lie outside `0..n`: clamp to the edge
    let at = |j: isize| x[j.clamp(0, n as isize - 1) as usize];
    let first = -(before as isize);

    let mut window: Vec<f32> = (0..size as isize).map(|k| at(first + k)).collect();
    window.sort_unstable_by(f32::total_cmp);

    let mut out = Vec::with_capacity(n);
    out.push(window[before]);
    for i in 1..n as isize {
        let leaving = at(i - 1 + first);
        let entering = at(i - 1 + first + size as isize);
        if leaving.to_bits() != entering.to_bits() {
            let pos = window.partition_point(|v| v.total_cmp(&leaving).is_lt());
            window.remove(pos);
            let pos = window.partition_point(|v| v.total_cmp(&entering).is_lt());
            window.insert(pos, entering);
        }
        out.push(window[before]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Fixture {
        cases: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        size: usize,
        input: Vec<f32>,
        output: Vec<f32>,
    }

    /// Direct definition: sort every window.
    fn naive(x: &[f32], size: usize) -> Vec<f32> {
        let n = x.len() as isize;
        (0..n)
            .map(|i| {
                let mut w: Vec<f32> = (0..size as isize)
                    .map(|k| x[(i - (size / 2) as isize + k).clamp(0, n - 1) as usize])
                    .collect();
                w.sort_by(f32::total_cmp);
                w[size / 2]
            })
            .collect()
    }

    #[test]
    fn matches_scipy_fixture() {
        let fixture: Fixture = crate::metrics::read_fixture("median_scipy.json");
        assert!(fixture.cases.len() >= 5);
        for case in &fixture.cases {
            let got = median_filter(&case.input, case.size);
            assert_eq!(got.len(), case.output.len(), "{}", case.name);
            for (i, (g, e)) in got.iter().zip(&case.output).enumerate() {
                assert!(
                    (g - e).abs() <= 1e-6,
                    "{} frame {i}: got {g}, scipy {e}",
                    case.name
                );
                // the median is an element of the input: exact
                assert_eq!(g.to_bits(), e.to_bits(), "{} frame {i}", case.name);
            }
        }
    }

    #[test]
    fn matches_naive_with_ties_and_short_inputs() {
        // deterministic pseudo-random values with many ties (LCG)
        let mut state = 12345u32;
        let x: Vec<f32> = (0..500)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((state >> 24) % 7) as f32 / 7.0
            })
            .collect();
        for size in [2, 3, 4, 5, 8, 56, 57, 600] {
            assert_eq!(median_filter(&x, size), naive(&x, size), "size {size}");
            assert_eq!(median_filter(&x[..3], size), naive(&x[..3], size));
        }
    }

    #[test]
    fn edge_cases() {
        assert!(median_filter(&[], 56).is_empty());
        assert_eq!(median_filter(&[0.3, 0.1], 0), vec![0.3, 0.1]);
        assert_eq!(median_filter(&[0.3, 0.1], 1), vec![0.3, 0.1]);
        assert_eq!(median_filter(&[0.7], 56), vec![0.7]);
        // even size: window i-2 ..= i+1, upper median (values from scipy)
        assert_eq!(
            median_filter(&[3.0, 0.0, 2.0, 1.0, 5.0], 4),
            vec![3.0, 3.0, 2.0, 2.0, 5.0]
        );
        let with_nan = median_filter(&[0.1, f32::NAN, 0.3, 0.2], 3);
        assert_eq!(with_nan.len(), 4);
    }
}
