//! Test signals and the measurements the augmentation tests make on them:
//! sines, tone bursts, frequency by interpolated zero crossings, and a
//! burst's extent by its envelope.

/// `amplitude * sin(2 pi f n / sr)`, `len` samples.
pub fn sine(f: f64, sr: f64, len: usize, amplitude: f32) -> Vec<f32> {
    (0..len)
        .map(|n| amplitude * (2.0 * std::f64::consts::PI * f * n as f64 / sr).sin() as f32)
        .collect()
}

/// `len` samples of silence with a unit sine burst of `burst` samples
/// centred on sample `len / 2`, with 5 ms raised-cosine edges.
pub fn burst(f: f64, sr: f64, len: usize, burst: usize) -> Vec<f32> {
    let start = len / 2 - burst / 2;
    let ramp = (0.005 * sr) as usize;
    let tone = sine(f, sr, len, 1.0);
    (0..len)
        .map(|n| {
            if n < start || n >= start + burst {
                return 0.0;
            }
            let edge = (n - start).min(start + burst - 1 - n);
            let gain = if edge < ramp {
                0.5 - 0.5 * (std::f64::consts::PI * edge as f64 / ramp as f64).cos()
            } else {
                1.0
            };
            tone[n] * gain as f32
        })
        .collect()
}

/// Frequency in Hz from the first and last upward zero crossings (each
/// interpolated linearly between samples) and the number of periods between them.
pub fn zero_crossing_frequency(x: &[f32], sr: f64) -> f64 {
    let crossings: Vec<f64> = x
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] < 0.0 && w[1] >= 0.0)
        .map(|(i, w)| i as f64 + f64::from(w[0] / (w[0] - w[1])))
        .collect();
    assert!(crossings.len() > 2, "too few zero crossings");
    let periods = (crossings.len() - 1) as f64;
    periods * sr / (crossings[crossings.len() - 1] - crossings[0])
}

/// First and last sample (exclusive) where a 5 ms moving RMS exceeds half
/// its maximum.
pub fn burst_duration(x: &[f32]) -> (usize, usize) {
    let width = 110;
    let squares: Vec<f64> = x.iter().map(|v| f64::from(*v).powi(2)).collect();
    let rms: Vec<f64> = squares
        .windows(width)
        .map(|w| (w.iter().sum::<f64>() / width as f64).sqrt())
        .collect();
    let peak = rms.iter().cloned().fold(0.0, f64::max);
    let above: Vec<usize> = (0..rms.len()).filter(|&i| rms[i] > peak / 2.0).collect();
    (above[0] + width / 2, above[above.len() - 1] + width / 2 + 1)
}
