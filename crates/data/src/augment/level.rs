//! Signal levels: mean power and decibel conversions (power ratio
//! `10^(dB/10)`, amplitude ratio `10^(dB/20)`), in f64.

/// Mean of the squared samples (0 for an empty slice).
pub fn mean_power(x: &[f32]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / x.len() as f64
}

/// The power ratio of `db` decibels.
pub fn power_ratio(db: f64) -> f64 {
    10f64.powf(db / 10.0)
}

/// The amplitude ratio of `db` decibels.
pub fn amplitude_ratio(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decibels_and_power() {
        assert_eq!(mean_power(&[1.0, -3.0]), 5.0);
        assert_eq!(mean_power(&[]), 0.0);
        assert!((power_ratio(10.0) - 10.0).abs() < 1e-12);
        assert!((amplitude_ratio(-20.0) - 0.1).abs() < 1e-12);
        assert!((amplitude_ratio(6.0).powi(2) - power_ratio(6.0)).abs() < 1e-12);
    }
}
