//! Gain: every sample times `10^(gain_db / 20)`.

use super::level::amplitude_ratio;

/// Scales `x` by `gain_db` decibels.
pub fn apply_gain(x: &mut [f32], gain_db: f64) {
    let g = amplitude_ratio(gain_db) as f32;
    for v in x {
        *v *= g;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_by_the_decibels_exactly() {
        let mut x = vec![1.0f32, -0.5, 0.25];
        apply_gain(&mut x, -6.0);
        let g = 10f64.powf(-0.3) as f32;
        assert_eq!(x, vec![g, -0.5 * g, 0.25 * g]);
        let mut y = vec![0.3f32];
        apply_gain(&mut y, 0.0);
        assert_eq!(y, vec![0.3]);
    }
}
