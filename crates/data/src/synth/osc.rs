//! Oscillator primitives: a phase accumulator counted in turns, a
//! table-lookup sine, and PolyBLEP band-limited sawtooth and pulse waves
//! (Välimäki & Huovilainen, "Antialiasing oscillators in subtractive
//! synthesis", IEEE Signal Processing Magazine 24(2), 2007).
//!
//! Everything runs per sample in the inner loops of the synthesiser, so no
//! function here calls a trigonometric routine: the sine comes from a
//! 4096-entry table with linear interpolation (error below 3e-7).

use std::sync::OnceLock;

const TABLE_BITS: u32 = 12;
const TABLE_LEN: usize = 1 << TABLE_BITS;

/// The shared sine table: `TABLE_LEN + 1` entries, the last repeating the first.
fn table() -> &'static [f32] {
    static TABLE: OnceLock<Vec<f32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..=TABLE_LEN)
            .map(|i| (std::f64::consts::TAU * i as f64 / TABLE_LEN as f64).sin() as f32)
            .collect()
    })
}

/// A sine lookup bound to the table, cheap to copy into inner loops.
#[derive(Clone, Copy)]
pub(crate) struct Sine {
    table: &'static [f32],
}

impl Sine {
    pub(crate) fn new() -> Self {
        Sine { table: table() }
    }

    /// `sin(2π·phase)` for `phase` in `[0, 1)`.
    #[inline]
    pub(crate) fn at(self, phase: f32) -> f32 {
        let x = phase * TABLE_LEN as f32;
        let i = (x as usize).min(TABLE_LEN - 1);
        let frac = x - i as f32;
        let a = self.table[i];
        let b = self.table[i + 1];
        a + frac * (b - a)
    }

    /// `sin(2π·phase)` for any non-negative `phase`.
    #[inline]
    pub(crate) fn at_wrapped(self, phase: f32) -> f32 {
        self.at(phase - phase.floor())
    }
}

/// A phase in turns, `[0, 1)`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Phase(pub(crate) f32);

impl Phase {
    /// Returns the current phase and advances by `inc` turns (`0 <= inc < 1`).
    #[inline]
    pub(crate) fn tick(&mut self, inc: f32) -> f32 {
        let p = self.0;
        let mut n = p + inc;
        if n >= 1.0 {
            n -= 1.0;
        }
        self.0 = n;
        p
    }
}

/// The PolyBLEP residual that smooths a unit step at phase 0 when the phase
/// advances by `dt` per sample.
#[inline]
fn blep(t: f32, dt: f32) -> f32 {
    if t < dt {
        let x = t / dt;
        x + x - x * x - 1.0
    } else if t > 1.0 - dt {
        let x = (t - 1.0) / dt;
        x * x + x + x + 1.0
    } else {
        0.0
    }
}

/// A band-limited rising sawtooth in `[-1, 1]` at phase `t`, increment `dt`.
#[inline]
pub(crate) fn saw(t: f32, dt: f32) -> f32 {
    2.0 * t - 1.0 - blep(t, dt)
}

/// A band-limited pulse wave with duty cycle `duty` (0.5: square).
#[inline]
pub(crate) fn pulse(t: f32, dt: f32, duty: f32) -> f32 {
    let mut v = if t < duty { 1.0 } else { -1.0 };
    v += blep(t, dt);
    let mut t2 = t + 1.0 - duty;
    if t2 >= 1.0 {
        t2 -= 1.0;
    }
    v - blep(t2, dt)
}

/// Frequency in Hz of a (fractional) MIDI note number.
#[inline]
pub(crate) fn midi_hz(midi: f32) -> f32 {
    440.0 * ((midi - 69.0) / 12.0).exp2()
}

/// Amplitude factor of a level in decibels.
#[inline]
pub(crate) fn db(level: f64) -> f64 {
    10f64.powf(level / 20.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sine_table_matches_sin() {
        let s = Sine::new();
        for i in 0..1000 {
            let p = i as f32 / 1000.0;
            let want = (std::f32::consts::TAU * p).sin();
            assert!((s.at(p) - want).abs() < 1e-5, "{p}");
        }
        assert!((s.at_wrapped(3.25) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn saw_and_pulse_are_bounded_and_zero_mean() {
        let dt = 440.0 / 44_100.0;
        let mut ph = Phase::default();
        let (mut sum_s, mut sum_p) = (0.0f64, 0.0f64);
        let n = 44_100;
        for _ in 0..n {
            let t = ph.tick(dt);
            let s = saw(t, dt);
            let p = pulse(t, dt, 0.5);
            assert!(s.abs() <= 1.0001 && p.abs() <= 1.0001);
            sum_s += f64::from(s);
            sum_p += f64::from(p);
        }
        assert!((sum_s / n as f64).abs() < 0.01);
        assert!((sum_p / n as f64).abs() < 0.01);
        assert!((midi_hz(69.0) - 440.0).abs() < 1e-3);
        assert!((midi_hz(81.0) - 880.0).abs() < 1e-2);
    }
}
