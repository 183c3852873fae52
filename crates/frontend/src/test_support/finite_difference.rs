//! Autodiff gradients against central finite differences of the loss.
//!
//! Two checks. [`FiniteDifference::along_scaled_gradient`]: the derivative
//! along the gradient scaled to a largest component of 1, where it is
//! largest, so that f32 differences resolve it. [`FiniteDifference::check`]:
//! along the unit gradient (where the derivative is `|g|`: catches a
//! dropped, scaled or sign-flipped gradient) and along the 3 coordinates of
//! largest `|g_i|` (catches a gradient in the wrong direction, e.g. assigned
//! to the wrong band).

/// A loss as a function of one parameter vector, at the point `at`.
pub(crate) struct FiniteDifference<F: Fn(Vec<f32>) -> f64> {
    at: Vec<f32>,
    loss: F,
}

impl<F: Fn(Vec<f32>) -> f64> FiniteDifference<F> {
    /// The loss `loss` around the parameter values `at`.
    pub(crate) fn new(at: Vec<f32>, loss: F) -> Self {
        Self { at, loss }
    }

    /// Central difference of the loss along `dir` (any length) with step
    /// `eps`, the shifted parameters computed in f64 and rounded to f32.
    pub(crate) fn directional(&self, dir: &[f64], eps: f64) -> f64 {
        let shifted = |s: f64| {
            let p: Vec<f32> = self
                .at
                .iter()
                .zip(dir)
                .map(|(&a, &d)| (a as f64 + s * d) as f32)
                .collect();
            (self.loss)(p)
        };
        (shifted(eps) - shifted(-eps)) / (2.0 * eps)
    }

    /// `(numeric, autodiff, relative error)` of the derivative along the
    /// autodiff gradient `g` scaled to a largest component of 1, with an f32
    /// step `eps`; the relative error is taken against at least 1e-6.
    pub(crate) fn along_scaled_gradient(&self, g: &[f32], eps: f32) -> (f64, f64, f64) {
        let peak = g.iter().fold(0f32, |m, v| m.max(v.abs()));
        let dir: Vec<f32> = g.iter().map(|v| v / peak).collect();
        let shifted = |s: f32| -> f64 {
            let p: Vec<f32> = self.at.iter().zip(&dir).map(|(a, d)| a + s * d).collect();
            (self.loss)(p)
        };
        let numeric = (shifted(eps) - shifted(-eps)) / (2.0 * eps as f64);
        let analytic: f64 = g
            .iter()
            .zip(&dir)
            .map(|(a, b)| (*a as f64) * (*b as f64))
            .sum();
        let rel = (numeric - analytic).abs() / analytic.abs().max(1e-6);
        (numeric, analytic, rel)
    }

    /// Checks the autodiff gradient `g` of the parameters called `name`
    /// along the unit gradient (relative error below `tol`) and along its 3
    /// largest coordinates (below `coord_tol`), with step `eps`.
    pub(crate) fn check(&self, name: &str, g: &[f32], eps: f64, tol: f64, coord_tol: f64) {
        let norm = g.iter().map(|&v| (v as f64).powi(2)).sum::<f64>().sqrt();
        assert!(norm > 0.0, "{name}: zero gradient");
        let dir: Vec<f64> = g.iter().map(|&v| v as f64 / norm).collect();
        let numeric = self.directional(&dir, eps);
        let rel = (numeric - norm).abs() / norm;
        println!(
            "{name} (eps {eps:e}): along the gradient numeric {numeric:.6e} autodiff {norm:.6e} \
             rel {rel:.2e}"
        );
        let mut order: Vec<usize> = (0..g.len()).collect();
        order.sort_by(|&a, &b| g[b].abs().total_cmp(&g[a].abs()));
        let mut worst = 0f64;
        for &i in order.iter().take(3) {
            let mut unit = vec![0.0; g.len()];
            unit[i] = 1.0;
            let numeric_i = self.directional(&unit, eps);
            let gi = g[i] as f64;
            let rel_i = (numeric_i - gi).abs() / gi.abs();
            worst = worst.max(rel_i);
            println!(
                "    coordinate {i}: numeric {numeric_i:.6e} autodiff {gi:.6e} rel {rel_i:.2e}"
            );
        }
        assert!(
            rel < tol,
            "{name}: along the gradient numeric {numeric} vs autodiff {norm} (rel {rel})"
        );
        assert!(
            worst < coord_tol,
            "{name}: per-coordinate relative error {worst}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `L(p) = sum_i (i + 1) p_i^2`, gradient `2 (i + 1) p_i`.
    fn quadratic(p: Vec<f32>) -> f64 {
        p.iter()
            .enumerate()
            .map(|(i, &v)| (i as f64 + 1.0) * (v as f64).powi(2))
            .sum()
    }

    #[test]
    fn a_right_gradient_passes_and_a_wrong_one_does_not() {
        let at = vec![0.5f32, -1.0, 0.25, 2.0];
        let fd = FiniteDifference::new(at.clone(), quadratic);
        let right: Vec<f32> = at
            .iter()
            .enumerate()
            .map(|(i, &v)| 2.0 * (i as f32 + 1.0) * v)
            .collect();
        fd.check("right", &right, 1e-3, 1e-2, 3e-2);
        let (_, _, rel) = fd.along_scaled_gradient(&right, 1e-3);
        assert!(rel < 1e-2, "right gradient: rel {rel}");
        // Halved, or with two bands swapped: both checks notice.
        let halved: Vec<f32> = right.iter().map(|g| g / 2.0).collect();
        let (_, _, rel) = fd.along_scaled_gradient(&halved, 1e-3);
        assert!(rel > 0.5, "halved gradient: rel {rel}");
        let mut swapped = right.clone();
        swapped.swap(1, 3);
        let wrong = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            fd.check("swapped", &swapped, 1e-3, 1e-2, 3e-2)
        }));
        assert!(wrong.is_err(), "a gradient on the wrong coordinates passed");
    }
}
