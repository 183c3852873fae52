//! Speed change, time stretch and pitch shift as one operation: WSOLA
//! ([`super::wsola`]) at tempo `stretch / pitch`, then resampling
//! ([`super::resample`]) by `speed * pitch`. Frequencies scale by
//! `speed * pitch` and durations by `1 / (speed * stretch)`: a pitch shift
//! alone is a WSOLA stretch by `1 / pitch` read back `pitch` times faster
//! (duration kept), a time stretch alone is WSOLA only, a speed change
//! alone is resampling only. A stage whose factor is exactly 1 is skipped,
//! so without time scaling the excerpt is the source's own samples.
//!
//! Both stages map an anchor sample onto an anchor sample (WSOLA within its
//! tolerance), so the output's anchor — the sample the label describes — is
//! the source's, and the source span each needs around it follows from the
//! factors ([`TimeScale::source_span`]).

use super::resample::Resampler;
use super::wsola::{Wsola, WsolaScratch};

/// The time-scaling stages for one excerpt.
#[derive(Debug, Clone)]
pub struct TimeScale {
    wsola: Option<Wsola>,
    resampler: Option<Resampler>,
}

/// Reusable buffers of [`TimeScale::run`].
#[derive(Debug, Default)]
pub struct TimeScaleScratch {
    stretched: Vec<f32>,
    wsola: WsolaScratch,
}

impl TimeScale {
    /// The stages for a speed factor (frequencies and tempo), a stretch
    /// factor (tempo) and a pitch factor (frequencies), all positive.
    pub fn new(speed: f64, stretch: f64, pitch: f64, sample_rate: u32) -> Self {
        let tempo = stretch / pitch;
        let factor = speed * pitch;
        Self {
            wsola: (tempo != 1.0).then(|| Wsola::new(tempo, sample_rate)),
            resampler: (factor != 1.0).then(|| Resampler::new(factor)),
        }
    }

    /// Whether the output is the source itself.
    pub fn is_identity(&self) -> bool {
        self.wsola.is_none() && self.resampler.is_none()
    }

    /// Source samples needed before the source anchor and from it on for
    /// `before` output samples before the output anchor and `after` from it on.
    pub fn source_span(&self, before: usize, after: usize) -> (usize, usize) {
        let (b, a) = match &self.resampler {
            Some(r) => r.input_span(before, after),
            None => (before, after),
        };
        match &self.wsola {
            Some(w) => w.input_span(b, a),
            None => (b, a),
        }
    }

    /// Fills `out` (anchor at `out_anchor`) from `source` (anchor at
    /// `source_anchor`), which holds [`Self::source_span`] around its anchor.
    pub fn run(
        &self,
        source: &[f32],
        source_anchor: usize,
        out: &mut [f32],
        out_anchor: usize,
        scratch: &mut TimeScaleScratch,
    ) {
        let after = out.len() - out_anchor;
        match (&self.wsola, &self.resampler) {
            (None, None) => {
                let first = source_anchor - out_anchor;
                out.copy_from_slice(&source[first..first + out.len()]);
            }
            (Some(w), None) => w.run(source, source_anchor, out, out_anchor, &mut scratch.wsola),
            (None, Some(r)) => r.run(source, source_anchor, out, out_anchor),
            (Some(w), Some(r)) => {
                let (b, a) = r.input_span(out_anchor, after);
                scratch.stretched.clear();
                scratch.stretched.resize(b + a, 0.0);
                w.run(
                    source,
                    source_anchor,
                    &mut scratch.stretched,
                    b,
                    &mut scratch.wsola,
                );
                r.run(&scratch.stretched, b, out, out_anchor);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::augment::test_signals::{burst, burst_duration, zero_crossing_frequency};
    use crate::augment::wsola::Wsola;

    /// A 0.5 s, 440 Hz burst centred on the source anchor, time-scaled into
    /// 40,000 samples: its frequency, its duration over the source's
    /// duration, and its centre.
    fn measure(speed: f64, stretch: f64, pitch: f64) -> (f64, f64, f64) {
        let sr = 22050;
        let source = burst(440.0, f64::from(sr), 200_000, 11_025);
        let scale = TimeScale::new(speed, stretch, pitch, sr);
        let (before, after) = scale.source_span(20_000, 20_000);
        assert!(before <= 100_000 && after <= 100_000);
        let mut out = vec![0.0; 40_000];
        scale.run(
            &source,
            100_000,
            &mut out,
            20_000,
            &mut TimeScaleScratch::default(),
        );
        let (start, end) = burst_duration(&out);
        let (s0, e0) = burst_duration(&source);
        let f = zero_crossing_frequency(&out[start + 500..end - 500], f64::from(sr));
        let ratio = (end - start) as f64 / (e0 - s0) as f64;
        (f, ratio, (start + end) as f64 / 2.0)
    }

    /// WSOLA's bound on each edge's time error (see `wsola.rs`), as a
    /// fraction of the burst, after resampling by `speed * pitch`.
    fn wsola_bound(stretch: f64, pitch: f64) -> f64 {
        let w = Wsola::new(stretch / pitch, 22050);
        2.0 * w.max_time_error() / (speed_free_burst() * pitch)
    }

    fn speed_free_burst() -> f64 {
        let (s, e) = burst_duration(&burst(440.0, 22050.0, 200_000, 11_025));
        (e - s) as f64
    }

    #[test]
    fn speed_scales_frequency_and_tempo() {
        for r in [0.7, 1.3] {
            let (f, ratio, c) = measure(r, 1.0, 1.0);
            assert!((f / (440.0 * r) - 1.0).abs() < 1e-3, "speed {r}: {f} Hz");
            assert!(
                (ratio * r - 1.0).abs() < 2e-3,
                "speed {r}: duration x {ratio}"
            );
            assert!((c - 20_000.0).abs() < 5.0, "speed {r}: centre {c}");
        }
    }

    #[test]
    fn time_stretch_scales_tempo_and_keeps_pitch() {
        for s in [0.7, 1.3] {
            let (f, ratio, c) = measure(1.0, s, 1.0);
            assert!((f / 440.0 - 1.0).abs() < 2e-3, "stretch {s}: {f} Hz");
            let bound = wsola_bound(s, 1.0);
            assert!(
                (ratio - 1.0 / s).abs() <= bound,
                "stretch {s}: duration x {ratio} ± {bound}"
            );
            assert!((c - 20_000.0).abs() < 300.0, "stretch {s}: centre {c}");
        }
    }

    #[test]
    fn pitch_shift_scales_frequency_and_keeps_duration() {
        for p in [0.7, 1.3] {
            let (f, ratio, c) = measure(1.0, 1.0, p);
            assert!((f / (440.0 * p) - 1.0).abs() < 2e-3, "pitch {p}: {f} Hz");
            let bound = wsola_bound(1.0, p);
            assert!(
                (ratio - 1.0).abs() <= bound,
                "pitch {p}: duration x {ratio} ± {bound}"
            );
            assert!((c - 20_000.0).abs() < 300.0, "pitch {p}: centre {c}");
        }
    }

    #[test]
    fn all_three_compose() {
        let (r, s, p) = (1.2, 0.8, 0.75);
        let (f, ratio, _) = measure(r, s, p);
        assert!((f / (440.0 * r * p) - 1.0).abs() < 2e-3, "{f} Hz");
        let bound = wsola_bound(s, p) / r;
        assert!(
            (ratio * r * s - 1.0).abs() <= bound * r * s,
            "duration x {ratio}"
        );
    }

    #[test]
    fn without_time_scaling_the_output_is_the_source() {
        let scale = TimeScale::new(1.0, 1.0, 1.0, 22050);
        assert!(scale.is_identity());
        assert_eq!(scale.source_span(5, 7), (5, 7));
        let source: Vec<f32> = (0..20).map(|i| i as f32).collect();
        let mut out = vec![0.0; 12];
        scale.run(&source, 10, &mut out, 5, &mut TimeScaleScratch::default());
        assert_eq!(out, (5..17).map(|i| i as f32).collect::<Vec<_>>());
    }
}
