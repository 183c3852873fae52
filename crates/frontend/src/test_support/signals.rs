//! Deterministic test signals: sines plus broadband noise from a 64-bit
//! linear congruential generator (Knuth's MMIX constants), so that every
//! band stays far above the frontends' floors and the losses are smooth.

/// Noise in `[-0.5, 0.5)` from a 64-bit LCG seeded with 12345.
struct Noise(u64);

impl Noise {
    fn new() -> Self {
        Self(12345)
    }

    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }
}

/// `0.5 sin(2 pi 440 t) + 0.3 sin(2 pi 1234.5 t) + 0.1 noise` at `sample_rate`.
pub(crate) fn two_tones_and_noise(samples: usize, sample_rate: f32) -> Vec<f32> {
    let mut noise = Noise::new();
    (0..samples)
        .map(|i| {
            let t = i as f32 / sample_rate;
            let noise = noise.next();
            0.5 * (2.0 * std::f32::consts::PI * 440.0 * t).sin()
                + 0.3 * (2.0 * std::f32::consts::PI * 1234.5 * t).sin()
                + 0.1 * noise
        })
        .collect()
}

/// Sines spread over the Gabor bank's bands (110, 440 with a 3 Hz
/// tremolo, 1234.5 and 3900 Hz) plus noise, at 22,050 Hz.
pub(crate) fn tones_and_noise(samples: usize) -> Vec<f32> {
    let mut noise = Noise::new();
    let two_pi = 2.0 * std::f32::consts::PI;
    (0..samples)
        .map(|i| {
            let t = i as f32 / 22_050.0;
            let noise = noise.next();
            0.4 * (two_pi * 110.0 * t).sin()
                + 0.3 * (two_pi * 440.0 * t).sin() * (1.0 + 0.5 * (two_pi * 3.0 * t).sin())
                + 0.2 * (two_pi * 1234.5 * t).sin()
                + 0.1 * (two_pi * 3900.0 * t).sin()
                + 0.1 * noise
        })
        .collect()
}
