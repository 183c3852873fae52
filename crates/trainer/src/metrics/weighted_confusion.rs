//! Confusion counts of a binary decision summed over units with weights:
//! the counts a bootstrap resample would give when unit `u` is drawn
//! `w[u]` times, and the ratios of [`super::BinaryMetrics`] on them (each 0
//! when its denominator is 0, as there). With every weight 1 the ratios
//! are the report's, bit for bit: integer counts are exact in `f64`.

use super::Confusion;

/// Weighted sums of [`Confusion`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WeightedConfusion {
    /// Positives predicted positive.
    pub tp: f64,
    /// Negatives predicted positive.
    pub fp: f64,
    /// Negatives predicted negative.
    pub tn: f64,
    /// Positives predicted negative.
    pub fn_: f64,
}

/// `a / b`, or 0 when `b` is 0.
fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 { 0.0 } else { a / b }
}

impl WeightedConfusion {
    /// `Σ_u weights[u] · counts[u]`.
    ///
    /// # Panics
    ///
    /// If the slices differ in length (a programming error).
    pub fn sum(counts: &[Confusion], weights: &[f64]) -> Self {
        assert_eq!(counts.len(), weights.len(), "one weight per unit");
        let mut s = Self::default();
        for (c, &w) in counts.iter().zip(weights) {
            s.tp += w * c.tp as f64;
            s.fp += w * c.fp as f64;
            s.tn += w * c.tn as f64;
            s.fn_ += w * c.fn_ as f64;
        }
        s
    }

    /// Weighted positives (true label).
    pub fn positives(&self) -> f64 {
        self.tp + self.fn_
    }

    /// Weighted negatives (true label).
    pub fn negatives(&self) -> f64 {
        self.tn + self.fp
    }

    /// `1 - (tp + tn) / all`.
    pub fn error(&self) -> f64 {
        1.0 - ratio(self.tp + self.tn, self.positives() + self.negatives())
    }

    /// `tp / (tp + fp)`.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// `tp / (tp + fn)`.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.positives())
    }

    /// `tn / (tn + fp)`.
    pub fn specificity(&self) -> f64 {
        ratio(self.tn, self.negatives())
    }

    /// `2 tp / (2 tp + fp + fn)`.
    pub fn f1(&self) -> f64 {
        ratio(2.0 * self.tp, 2.0 * self.tp + self.fp + self.fn_)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::binary_metrics;

    #[test]
    fn unit_weights_give_the_pooled_metrics_and_a_weight_of_two_repeats_a_unit() {
        let labels = [true, false, true, true, false, false, true];
        let scores = [0.9, 0.7, 0.2, 0.6, 0.1, 0.55, 0.51];
        let units = [0..3, 3..5, 5..7];
        let counts: Vec<Confusion> = units
            .iter()
            .map(|r| Confusion::count(&labels[r.clone()], &scores[r.clone()], 0.5))
            .collect();
        let pooled = binary_metrics(&labels, &scores, 0.5);
        let w = WeightedConfusion::sum(&counts, &[1.0, 1.0, 1.0]);
        assert_eq!(
            (
                w.error(),
                w.precision(),
                w.recall(),
                w.specificity(),
                w.f1()
            ),
            (
                pooled.error,
                pooled.precision,
                pooled.recall,
                pooled.specificity,
                pooled.f1
            )
        );
        // Unit 0 twice, unit 1 left out: the same as pooling those frames.
        let l2: Vec<bool> = [&labels[0..3], &labels[0..3], &labels[5..7]].concat();
        let s2: Vec<f32> = [&scores[0..3], &scores[0..3], &scores[5..7]].concat();
        let want = binary_metrics(&l2, &s2, 0.5);
        let w = WeightedConfusion::sum(&counts, &[2.0, 0.0, 1.0]);
        assert_eq!((w.error(), w.f1()), (want.error, want.f1));
        assert_eq!(w.positives(), 4.0 + 1.0);
        // Nothing predicted positive: precision 0, as the report has it.
        let silent = Confusion {
            tp: 0,
            fp: 0,
            tn: 3,
            fn_: 2,
        };
        let none = WeightedConfusion::sum(&[silent], &[1.0]);
        assert_eq!(
            (
                none.precision(),
                none.recall(),
                none.f1(),
                none.specificity()
            ),
            (0.0, 0.0, 0.0, 1.0)
        );
        assert!((none.error() - 0.4).abs() < 1e-15);
    }
}
