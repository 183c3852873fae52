//! Descriptive statistics of a group of runs: count, mean and the sample
//! standard deviation `sqrt(sum (x - mean)^2 / (n - 1))` (numpy's
//! `std(ddof=1)`), computed in two passes.

/// Count, mean and spread of some values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation; `None` for a single value.
    pub sd: Option<f64>,
}

/// The spread of `values`; `None` when there are none.
pub fn spread(values: &[f64]) -> Option<Spread> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = (n > 1).then(|| {
        let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        (squares / (n - 1) as f64).sqrt()
    });
    Some(Spread { n, mean, sd })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sample_sd_are_exact_on_simple_data() {
        // Mean 5; squared deviations sum to 32, so sd = sqrt(32 / 7).
        let s = spread(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert_eq!(s.n, 8);
        assert_eq!(s.mean, 5.0);
        assert_eq!(s.sd, Some((32.0f64 / 7.0).sqrt()));
        // numpy: np.std([0.1, 0.2, 0.4], ddof=1) = 0.1527525231651947
        let s = spread(&[0.1, 0.2, 0.4]).unwrap();
        assert!((s.mean - 0.7 / 3.0).abs() < 1e-15);
        assert!((s.sd.unwrap() - 0.1527525231651947).abs() < 1e-15);
        let one = spread(&[3.5]).unwrap();
        assert_eq!((one.n, one.mean, one.sd), (1, 3.5, None));
        assert_eq!(spread(&[]), None);
    }
}
