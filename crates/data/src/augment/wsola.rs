//! Time stretching with the pitch kept: WSOLA, the waveform-similarity
//! overlap-add of W. Verhelst & M. Roelands, "An overlap-add technique based
//! on waveform similarity (WSOLA) for high quality time-scale modification of
//! speech", ICASSP 1993 (in the formulation of Driedger & Müller, "A Review
//! of Time-Scale Modification of Music Signals", Applied Sciences 2016, §3).
//!
//! The output is a sum of Hann-windowed input frames of `FRAME_SECONDS`
//! (`L` = 1024 samples at 22,050 Hz), centred every half frame `H` from the
//! output anchor, which sum to exactly one. Frame `j`, centred at output
//! `j H`, would ideally take the input frame centred at `round(j H tempo)`
//! (both relative to their anchors); WSOLA shifts it by the `delta` in
//! `[-T, T]` (`TOLERANCE_SECONDS`, 256 samples at 22,050 Hz) that maximises
//! the cross-correlation with the input that naturally follows the frame
//! before it (its continuation, `input[s_{j-1} + H ..]`), so that
//! consecutive frames overlap in phase; as in SoundTouch's `TDStretch`, the
//! correlation runs over the half frame where the two overlap. Here the
//! frame centred on the anchor is taken unshifted and the search runs
//! outwards from it — frames to the left are fitted to the natural
//! predecessor of their right neighbour (`input[s_{j+1} - H ..]`, over
//! their second halves) — so the anchor sample, which the
//! label describes, is copied exactly, and any other sample's time is off
//! its ideal by at most `T + H |1 - tempo|` (410 samples, 18.6 ms, at
//! 22,050 Hz and tempo 0.7). The search is coarse to fine: every
//! `COARSE_STEP`-th shift on every `COARSE_STEP`-th sample (polyphase
//! copies of the input, contiguous dot products), then every shift within
//! `COARSE_STEP - 1` of the best one on every sample; on equal scores
//! (silence) the smallest shift wins.
//!
//! `tempo` is input samples per output sample: above 1 plays faster (a
//! burst gets shorter), below 1 slower; frequencies stay.

use super::dot::dot;

/// Frame length in seconds (1024 samples at 22,050 Hz).
pub const FRAME_SECONDS: f64 = 1024.0 / 22050.0;
/// Largest shift of a frame from its ideal place, in seconds (256 samples at 22,050 Hz).
pub const TOLERANCE_SECONDS: f64 = 256.0 / 22050.0;
/// Decimation of the coarse search.
pub const COARSE_STEP: usize = 4;

/// A WSOLA time stretcher for one tempo and sample rate.
#[derive(Debug, Clone)]
pub struct Wsola {
    tempo: f64,
    /// Half a frame: the hop between output frames.
    hop: usize,
    tolerance: usize,
    /// Periodic Hann window of `2 * hop` samples.
    window: Vec<f32>,
}

/// Reusable buffers of [`Wsola::run`].
#[derive(Debug, Default)]
pub struct WsolaScratch {
    polyphase: Vec<f32>,
    starts: Vec<usize>,
}

impl Wsola {
    /// A stretcher reading `tempo` (> 0) input samples per output sample.
    pub fn new(tempo: f64, sample_rate: u32) -> Self {
        let sr = f64::from(sample_rate);
        let hop = ((FRAME_SECONDS * sr / 2.0).round() as usize).max(COARSE_STEP);
        let tolerance = ((TOLERANCE_SECONDS * sr).round() as usize).max(1);
        let frame = 2 * hop;
        let window = (0..frame)
            .map(|n| {
                let phase = 2.0 * std::f64::consts::PI * n as f64 / frame as f64;
                (0.5 - 0.5 * phase.cos()) as f32
            })
            .collect();
        Self {
            tempo,
            hop,
            tolerance,
            window,
        }
    }

    /// The most any output sample's time is off its ideal, in samples:
    /// `T + H |1 - tempo|` (see the module doc).
    pub fn max_time_error(&self) -> f64 {
        self.tolerance as f64 + self.hop as f64 * (1.0 - self.tempo).abs()
    }

    /// The frames centred at `j * hop` from the output anchor for `j` in
    /// `first..=last`, so that every sample of `-before..after` lies in two.
    fn frames(&self, before: usize, after: usize) -> (isize, isize) {
        let hop = self.hop as isize;
        let first = (-(before as isize)).div_euclid(hop);
        let last = (after.max(1) as isize - 1).div_euclid(hop) + 1;
        (first, last)
    }

    /// Ideal input start of frame `j`, relative to the input anchor: its
    /// centre is the output centre times `tempo`.
    fn ideal(&self, j: isize) -> isize {
        let hop = self.hop as isize;
        ((j * hop) as f64 * self.tempo).round() as isize - hop
    }

    /// Input samples needed before the input anchor and from it on (the
    /// anchor included) for `before` output samples before the output anchor
    /// and `after` from it on.
    pub fn input_span(&self, before: usize, after: usize) -> (usize, usize) {
        let (first, last) = self.frames(before, after);
        let (tol, hop) = (self.tolerance as isize, self.hop as isize);
        // The outermost frames' candidates, and the references they are
        // compared with (the neighbour's predecessor or continuation).
        let lowest = (self.ideal(first) - tol).min(self.ideal(first + 1) - tol - hop);
        let end = (self.ideal(last) + tol + 2 * hop).max(self.ideal(last - 1) + tol + 3 * hop);
        ((-lowest).max(0) as usize, end.max(0) as usize)
    }

    /// Fills `out`, whose sample `out_anchor` is `input[input_anchor]`;
    /// `input` must hold [`Self::input_span`] around its anchor.
    ///
    /// The frame centred on the anchor is taken at its ideal place, so the
    /// anchor sample is copied exactly; the frames to its right are fitted
    /// to their left neighbour's continuation and those to its left to
    /// their right neighbour's predecessor.
    pub fn run(
        &self,
        input: &[f32],
        input_anchor: usize,
        out: &mut [f32],
        out_anchor: usize,
        scratch: &mut WsolaScratch,
    ) {
        let (hop, frame, step) = (self.hop, 2 * self.hop, COARSE_STEP);
        // Polyphase copies: phase p holds input[p], input[p + step], ...
        let phase_len = input.len().div_ceil(step);
        scratch.polyphase.clear();
        scratch.polyphase.resize(step * phase_len, 0.0);
        for (i, &x) in input.iter().enumerate() {
            scratch.polyphase[(i % step) * phase_len + i / step] = x;
        }
        let polyphase = &scratch.polyphase;
        let decimated = |at: usize, len: usize| {
            let base = (at % step) * phase_len + at / step;
            &polyphase[base..base + len]
        };
        let (coarse_len, tol) = (hop / step, self.tolerance as isize);
        // The input start within `tol` of `ideal` whose frame best matches
        // the frame at `reference` over the half that overlaps the
        // neighbour (`offset` 0: the first half, for a frame right of its
        // neighbour; `hop`: the second half, left of it): every `step`-th
        // shift on every `step`-th sample, then the shifts around the best on
        // every sample; on equal scores (silence) the shift nearest to 0 wins.
        let best_start = |ideal: usize, reference: usize, offset: usize| {
            let score = |delta: isize, fine: bool| {
                let c = (ideal as isize + delta) as usize + offset;
                let r = reference + offset;
                if fine {
                    dot(&input[c..c + hop], &input[r..r + hop])
                } else {
                    dot(decimated(c, coarse_len), decimated(r, coarse_len))
                }
            };
            let pick = |candidates: &mut dyn Iterator<Item = isize>, fine: bool| {
                let (mut best, mut best_score) = (0isize, f32::NEG_INFINITY);
                for delta in candidates {
                    let s = score(delta, fine);
                    if s > best_score || (s == best_score && delta.abs() < best.abs()) {
                        (best, best_score) = (delta, s);
                    }
                }
                best
            };
            let coarse = tol / step as isize;
            let near = pick(&mut (-coarse..=coarse).map(|j| j * step as isize), false);
            let reach = step as isize - 1;
            let best = pick(
                &mut ((near - reach).max(-tol)..=(near + reach).min(tol)),
                true,
            );
            (ideal as isize + best) as usize
        };

        let (first, last) = self.frames(out_anchor, out.len() - out_anchor);
        let ideal = |j: isize| (input_anchor as isize + self.ideal(j)) as usize;
        let at = |j: isize| (j - first) as usize;
        scratch.starts.clear();
        scratch.starts.resize((last - first + 1) as usize, 0);
        let starts = &mut scratch.starts;
        starts[at(0)] = ideal(0);
        for j in 1..=last {
            starts[at(j)] = best_start(ideal(j), starts[at(j - 1)] + hop, 0);
        }
        for j in (first..0).rev() {
            starts[at(j)] = best_start(ideal(j), starts[at(j + 1)] - hop, hop);
        }
        out.fill(0.0);
        for j in first..=last {
            let start = starts[at(j)];
            let o = out_anchor as isize + j * hop as isize - hop as isize;
            let lo = (-o).max(0) as usize;
            let hi = (out.len() as isize - o).clamp(0, frame as isize) as usize;
            for n in lo..hi {
                out[(o + n as isize) as usize] += self.window[n] * input[start + n];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::augment::test_signals::{burst, burst_duration, sine, zero_crossing_frequency};

    fn stretch(input: &[f32], tempo: f64, len: usize, sr: u32) -> Vec<f32> {
        let w = Wsola::new(tempo, sr);
        let (before, after) = w.input_span(len / 2, len - len / 2);
        let anchor = input.len() / 2;
        assert!(
            before <= anchor && after <= input.len() - anchor,
            "{before} {after}"
        );
        let mut out = vec![0.0; len];
        w.run(
            input,
            anchor,
            &mut out,
            len / 2,
            &mut WsolaScratch::default(),
        );
        out
    }

    #[test]
    fn a_sine_keeps_its_frequency_and_amplitude() {
        for sr in [22050u32, 16000] {
            let input = sine(330.0, f64::from(sr), 120_000, 0.5);
            for tempo in [0.7, 0.85, 1.15, 1.3] {
                let out = stretch(&input, tempo, 40_000, sr);
                let f = zero_crossing_frequency(&out[2000..38_000], f64::from(sr));
                assert!(
                    (f / 330.0 - 1.0).abs() < 2e-3,
                    "{sr} Hz, tempo {tempo}: {f} Hz"
                );
                let peak = out.iter().fold(0.0f32, |m, v| m.max(v.abs()));
                assert!((peak - 0.5).abs() < 0.03, "tempo {tempo}: amplitude {peak}");
            }
        }
    }

    #[test]
    fn a_burst_lasts_one_over_tempo_times_as_long_around_the_same_centre() {
        let sr = 22050;
        // A 0.5 s burst of 440 Hz centred on the input anchor.
        let input = burst(440.0, f64::from(sr), 100_000, 11_025);
        let (start, end) = burst_duration(&input);
        let source = (end - start) as f64;
        for tempo in [0.7, 0.85, 1.0, 1.15, 1.3] {
            let out = stretch(&input, tempo, 40_000, sr);
            let (start, end) = burst_duration(&out);
            let (got, want) = ((end - start) as f64, source / tempo);
            // Each edge is off by at most the largest time error.
            let bound = 2.0 * Wsola::new(tempo, sr).max_time_error();
            assert!(
                (got - want).abs() <= bound,
                "tempo {tempo}: {got} samples, want {want} ± {bound}"
            );
            let centre = (start + end) as f64 / 2.0;
            assert!(
                (centre - 20_000.0).abs() <= bound / 2.0,
                "tempo {tempo}: centre {centre}"
            );
        }
        // The duration changes far beyond that bound.
        assert!(source / 0.7 - source > 4.0 * Wsola::new(0.7, sr).max_time_error());
    }

    #[test]
    fn the_anchor_sample_is_copied_exactly() {
        let sr = 22050;
        let input: Vec<f32> = sine(220.0, 22050.0, 60_000, 0.4)
            .iter()
            .zip(sine(3100.0, 22050.0, 60_000, 0.2))
            .map(|(a, b)| a + b)
            .collect();
        for tempo in [0.7, 1.3] {
            let w = Wsola::new(tempo, sr);
            for (len, anchor) in [(8000, 4000), (8001, 1234), (5000, 0)] {
                let (before, after) = w.input_span(anchor, len - anchor);
                let input_anchor = 30_000;
                assert!(before <= input_anchor && after <= 30_000);
                let mut out = vec![0.0; len];
                w.run(
                    &input,
                    input_anchor,
                    &mut out,
                    anchor,
                    &mut WsolaScratch::default(),
                );
                assert_eq!(
                    out[anchor], input[input_anchor],
                    "tempo {tempo}, anchor {anchor}"
                );
            }
        }
    }
}
