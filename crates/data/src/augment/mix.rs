//! Mixing in a second training excerpt at an exact signal-to-interference
//! ratio, and the rule for its labels.
//!
//! The second excerpt `o` is scaled by `g = sqrt(P_x / P_o * 10^(-snr_db /
//! 10))`, so that `10 log10(P_x / P(g o)) = snr_db` over the excerpt, and
//! added. Its targets are united with the excerpt's: the elementwise maximum
//! of the two (before label smoothing), so that a tag or a sung centre frame
//! in either makes the mixture positive — singing voice: the two centre-frame
//! labels; tagging: the two clips' tag vectors. If either excerpt is silent
//! nothing is mixed and the targets stay.

use super::level::{mean_power, power_ratio};

/// Adds `other` at `snr_db` below `excerpt`'s power; `false` (nothing
/// changed) if either is silent.
pub fn mix_in(excerpt: &mut [f32], other: &[f32], snr_db: f64) -> bool {
    let (main, second) = (mean_power(excerpt), mean_power(other));
    if main == 0.0 || second == 0.0 {
        return false;
    }
    let g = (main / second * power_ratio(-snr_db)).sqrt() as f32;
    for (x, o) in excerpt.iter_mut().zip(other) {
        *x += g * o;
    }
    true
}

/// The union of two target vectors: `targets[i] = max(targets[i], other[i])`.
pub fn unite_targets(targets: &mut [f32], other: &[f32]) {
    for (t, o) in targets.iter_mut().zip(other) {
        *t = t.max(*o);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::augment::test_signals::sine;

    #[test]
    fn the_second_excerpt_is_added_at_the_requested_snr() {
        let main = sine(440.0, 22050.0, 10_000, 0.7);
        let other = sine(1234.5, 22050.0, 10_000, 0.05);
        for snr_db in [-3.0, 0.0, 6.0, 20.0] {
            let mut mixed = main.clone();
            assert!(mix_in(&mut mixed, &other, snr_db));
            let added: Vec<f32> = mixed.iter().zip(&main).map(|(a, b)| a - b).collect();
            let got = 10.0 * (mean_power(&main) / mean_power(&added)).log10();
            assert!((got - snr_db).abs() < 1e-4, "{got} dB vs {snr_db} dB");
            // And it is the other excerpt, scaled.
            let g = added[100] / other[100];
            for (a, o) in added.iter().zip(&other) {
                assert!((a - g * o).abs() < 1e-6);
            }
        }
        let mut x = main.clone();
        assert!(!mix_in(&mut x, &[0.0; 10_000], 0.0));
        assert_eq!(x, main);
    }

    #[test]
    fn targets_are_united() {
        let mut t = vec![0.0, 1.0, 0.0, 1.0];
        unite_targets(&mut t, &[0.0, 0.0, 1.0, 1.0]);
        assert_eq!(t, vec![0.0, 1.0, 1.0, 1.0]);
        let mut voice = vec![0.0];
        unite_targets(&mut voice, &[1.0]);
        assert_eq!(voice, vec![1.0]);
    }
}
