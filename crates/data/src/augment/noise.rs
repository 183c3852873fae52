//! Additive white Gaussian noise at an exact signal-to-noise ratio.
//!
//! The noise is `excerpt.len()` independent standard normal samples from
//! their own seed (the Ziggurat method of Marsaglia & Tsang, "The Ziggurat
//! Method for Generating Random Variables", J. Statistical Software 2000, as
//! `rand_distr::StandardNormal`, on `StdRng`),
//! scaled so that its mean power over the excerpt is exactly
//! `P_excerpt * 10^(-snr_db / 10)`: the SNR is the requested one up to
//! rounding, not only on average. A silent excerpt gets no noise (there is
//! no power to be relative to). White: flat spectrum up to Nyquist.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

use super::level::{mean_power, power_ratio};

/// Fills `out` with standard normal samples drawn from `seed`.
pub fn gaussian_noise(seed: u64, out: &mut [f32]) {
    let mut rng = StdRng::seed_from_u64(seed);
    for x in out {
        *x = rng.sample(StandardNormal);
    }
}

/// Adds noise from `seed` at `snr_db` below `excerpt`'s power; `scratch`
/// holds the noise. Returns `false` (and changes nothing) for a silent excerpt.
pub fn add_noise(excerpt: &mut [f32], snr_db: f64, seed: u64, scratch: &mut Vec<f32>) -> bool {
    let signal = mean_power(excerpt);
    if signal == 0.0 {
        return false;
    }
    scratch.clear();
    scratch.resize(excerpt.len(), 0.0);
    gaussian_noise(seed, scratch);
    let noise = mean_power(scratch);
    let scale = (signal * power_ratio(-snr_db) / noise).sqrt() as f32;
    for (x, n) in excerpt.iter_mut().zip(scratch.iter()) {
        *x += scale * n;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::augment::test_signals::sine;

    #[test]
    fn noise_is_standard_normal_and_white() {
        let mut x = vec![0.0f32; 200_001];
        gaussian_noise(5, &mut x);
        let n = x.len() as f64;
        let mean = x.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let var = x
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            / n;
        let kurtosis = x
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(4))
            .sum::<f64>()
            / n
            / var.powi(2);
        // Standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) for the variance.
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.015, "variance {var}");
        assert!((kurtosis - 3.0).abs() < 0.05, "kurtosis {kurtosis}");
        let within_one = x.iter().filter(|v| v.abs() < 1.0).count() as f64 / n;
        assert!(
            (within_one - 0.682_689).abs() < 0.005,
            "P(|x| < 1) = {within_one}"
        );
        // White: neighbouring samples uncorrelated.
        let lag1 = x
            .windows(2)
            .map(|w| f64::from(w[0]) * f64::from(w[1]))
            .sum::<f64>()
            / n;
        assert!(lag1.abs() < 0.01, "lag-1 correlation {lag1}");
        let mut again = vec![0.0f32; 200_001];
        gaussian_noise(5, &mut again);
        assert_eq!(x, again);
        gaussian_noise(6, &mut again);
        assert_ne!(x, again);
    }

    #[test]
    fn noise_is_added_at_the_requested_snr() {
        let clean = sine(440.0, 22050.0, 36_934, 0.3);
        for snr_db in [-5.0, 0.0, 12.5, 40.0] {
            let mut noisy = clean.clone();
            assert!(add_noise(&mut noisy, snr_db, 9, &mut Vec::new()));
            let noise: Vec<f32> = noisy.iter().zip(&clean).map(|(a, b)| a - b).collect();
            let got = 10.0 * (mean_power(&clean) / mean_power(&noise)).log10();
            assert!((got - snr_db).abs() < 1e-3, "{got} dB vs {snr_db} dB");
        }
        let mut silent = vec![0.0f32; 100];
        assert!(!add_noise(&mut silent, 10.0, 1, &mut Vec::new()));
        assert!(silent.iter().all(|&v| v == 0.0));
    }
}
