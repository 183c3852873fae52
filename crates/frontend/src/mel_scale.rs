//! The mel scale and triangular mel filter banks.
//!
//! HTK mel scale `mel(f) = 2595 log10(1 + f / 700)` (identical to
//! `1127 ln(1 + f / 700)`), and the triangular filters of
//! `librosa.filters.mel(..., htk=True, norm=None)`: `n_mels + 2` points equally
//! spaced in mel between `fmin` and `fmax`; filter `b` rises linearly from
//! point `b` to point `b+1` and falls to point `b+2`, evaluated at the FFT bin
//! frequencies `k * sr / n_fft`. As in Schlüter & Grill (ISMIR 2015), each
//! filter is then scaled to unit sum.

/// Hertz to mel (HTK formula).
pub fn hz_to_mel(hz: f64) -> f64 {
    2595.0 * (1.0 + hz / 700.0).log10()
}

/// Mel to hertz (inverse of [`hz_to_mel`]).
pub fn mel_to_hz(mel: f64) -> f64 {
    700.0 * (10f64.powf(mel / 2595.0) - 1.0)
}

/// `count` frequencies in Hz equally spaced on the mel scale from `fmin` to `fmax`.
pub fn mel_points(count: usize, fmin: f64, fmax: f64) -> Vec<f64> {
    let (lo, hi) = (hz_to_mel(fmin), hz_to_mel(fmax));
    let step = if count > 1 {
        (hi - lo) / (count - 1) as f64
    } else {
        0.0
    };
    (0..count)
        .map(|i| mel_to_hz(lo + step * i as f64))
        .collect()
}

/// Triangular mel filters as a row-major `[bands][n_fft / 2 + 1]` matrix,
/// each row scaled to unit sum (a row that covers no FFT bin stays zero).
pub fn mel_filters(
    sample_rate: f64,
    n_fft: usize,
    bands: usize,
    fmin: f64,
    fmax: f64,
) -> Vec<Vec<f64>> {
    let bins = n_fft / 2 + 1;
    let points = mel_points(bands + 2, fmin, fmax);
    let bin_hz: Vec<f64> = (0..bins)
        .map(|k| k as f64 * sample_rate / n_fft as f64)
        .collect();
    (0..bands)
        .map(|b| {
            let (left, centre, right) = (points[b], points[b + 1], points[b + 2]);
            let mut row: Vec<f64> = bin_hz
                .iter()
                .map(|&f| {
                    let rising = (f - left) / (centre - left);
                    let falling = (right - f) / (right - centre);
                    rising.min(falling).max(0.0)
                })
                .collect();
            let sum: f64 = row.iter().sum();
            if sum > 0.0 {
                row.iter_mut().for_each(|v| *v /= sum);
            }
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mel_scale_round_trips_and_matches_the_natural_log_form() {
        for hz in [0.0, 27.5, 440.0, 1000.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9);
            assert!((hz_to_mel(hz) - 1127.0 * (1.0 + hz / 700.0).ln()).abs() < 0.05);
        }
        assert!((hz_to_mel(1000.0) - 999.985).abs() < 1e-2);
    }

    #[test]
    fn filters_have_unit_sum_and_peak_in_order() {
        let filters = mel_filters(22050.0, 1024, 80, 27.5, 8000.0);
        assert_eq!(filters.len(), 80);
        let mut last_peak = 0;
        for (b, row) in filters.iter().enumerate() {
            assert_eq!(row.len(), 513);
            let sum: f64 = row.iter().sum();
            assert!((sum - 1.0).abs() < 1e-12, "band {b} sums to {sum}");
            let peak = (0..row.len())
                .max_by(|&i, &j| row[i].total_cmp(&row[j]))
                .unwrap();
            assert!(peak >= last_peak);
            last_peak = peak;
        }
    }
}
