//! The `[augment]` section of an experiment: which augmentations training
//! applies and how strongly. Everything is off by default; each key is a
//! flat scalar so that a sweep can vary it (`"augment.pitch_shift" = [0, 0.3]`).
//!
//! ```toml
//! [augment]
//! pitch_shift = 0.3        # frequency factor uniform in [0.7, 1.3], duration kept
//! time_stretch = 0.3       # tempo factor uniform in [0.7, 1.3], pitch kept
//! speed = 0.0              # both together (resampling, a tape speed change)
//! filter_db = 10.0         # random peaking filter, gain uniform in [-10, 10] dB
//! gain_db = 0.0            # gain uniform in [-gain_db, gain_db] dB
//! noise_snr_db = 20.0      # white Gaussian noise this far below the excerpt's power
//! noise_probability = 1.0  # of an excerpt getting noise
//! mix_snr_db = 10.0        # another training excerpt this far below, labels united
//! mix_probability = 1.0    # of an excerpt getting a second one mixed in
//! ```
//!
//! What each draws exactly is documented in [`super::params`].

use serde::{Deserialize, Serialize};

/// The largest relative change of `pitch_shift`, `time_stretch` and `speed`.
pub const MAX_RELATIVE_CHANGE: f64 = 0.5;

/// The largest `filter_db` and `gain_db`.
pub const MAX_DB: f64 = 40.0;

/// Which augmentations training applies (`[augment]`; all off by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AugmentConfig {
    /// Pitch shift: the frequency factor is uniform in `[1 - x, 1 + x]`, the
    /// duration kept (0 = off; Schlüter & Grill 2015: ±30 % helped most).
    #[serde(default)]
    pub pitch_shift: f64,
    /// Time stretch: the tempo factor is uniform in `[1 - x, 1 + x]`, the
    /// pitch kept (0 = off).
    #[serde(default)]
    pub time_stretch: f64,
    /// Speed change by resampling: frequencies and tempo both scale by a
    /// factor uniform in `[1 - x, 1 + x]` (0 = off).
    #[serde(default)]
    pub speed: f64,
    /// Random frequency filtering: a peaking filter whose gain is uniform in
    /// `[-x, x]` dB (0 = off; Schlüter & Grill 2015: ±10 dB).
    #[serde(default)]
    pub filter_db: f64,
    /// Gain uniform in `[-x, x]` dB (0 = off).
    #[serde(default)]
    pub gain_db: f64,
    /// White Gaussian noise at this signal-to-noise ratio in dB, relative to
    /// the excerpt's power (absent = off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise_snr_db: Option<f64>,
    /// Probability that an excerpt gets noise.
    #[serde(default = "one")]
    pub noise_probability: f64,
    /// Another random training excerpt mixed in this many dB below the
    /// excerpt's power; the targets become their elementwise maximum (absent = off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mix_snr_db: Option<f64>,
    /// Probability that an excerpt gets a second one mixed in.
    #[serde(default = "one")]
    pub mix_probability: f64,
}

fn one() -> f64 {
    1.0
}

impl Default for AugmentConfig {
    fn default() -> Self {
        Self {
            pitch_shift: 0.0,
            time_stretch: 0.0,
            speed: 0.0,
            filter_db: 0.0,
            gain_db: 0.0,
            noise_snr_db: None,
            noise_probability: one(),
            mix_snr_db: None,
            mix_probability: one(),
        }
    }
}

impl AugmentConfig {
    /// Whether any augmentation is switched on.
    pub fn is_on(&self) -> bool {
        self.pitch_shift > 0.0
            || self.time_stretch > 0.0
            || self.speed > 0.0
            || self.filter_db > 0.0
            || self.gain_db > 0.0
            || (self.noise_snr_db.is_some() && self.noise_probability > 0.0)
            || (self.mix_snr_db.is_some() && self.mix_probability > 0.0)
    }

    /// The keys that are on, e.g. `pitch_shift = 0.3, noise_snr_db = 20 (probability 0.5)`,
    /// or `off`.
    pub fn summary(&self) -> String {
        let mut on = Vec::new();
        for (key, x) in [
            ("pitch_shift", self.pitch_shift),
            ("time_stretch", self.time_stretch),
            ("speed", self.speed),
            ("filter_db", self.filter_db),
            ("gain_db", self.gain_db),
        ] {
            if x > 0.0 {
                on.push(format!("{key} = {x}"));
            }
        }
        for (key, snr, p) in [
            ("noise_snr_db", self.noise_snr_db, self.noise_probability),
            ("mix_snr_db", self.mix_snr_db, self.mix_probability),
        ] {
            match snr {
                Some(snr) if p == 1.0 => on.push(format!("{key} = {snr}")),
                Some(snr) if p > 0.0 => on.push(format!("{key} = {snr} (probability {p})")),
                _ => {}
            }
        }
        if on.is_empty() {
            "off".into()
        } else {
            on.join(", ")
        }
    }

    /// Checks the ranges; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        for (key, x) in [
            ("pitch_shift", self.pitch_shift),
            ("time_stretch", self.time_stretch),
            ("speed", self.speed),
        ] {
            if !(0.0..=MAX_RELATIVE_CHANGE).contains(&x) {
                return Err(format!(
                    "augment.{key} = {x} must be in [0, {MAX_RELATIVE_CHANGE}]: the largest \
                     relative change of the factor (0 = off, 0.3 = factors from 0.7 to 1.3)"
                ));
            }
        }
        for (key, x) in [("filter_db", self.filter_db), ("gain_db", self.gain_db)] {
            if !(0.0..=MAX_DB).contains(&x) {
                return Err(format!(
                    "augment.{key} = {x} must be in [0, {MAX_DB}] dB (0 = off)"
                ));
            }
        }
        for (key, snr, p_key, p) in [
            (
                "noise_snr_db",
                self.noise_snr_db,
                "noise_probability",
                self.noise_probability,
            ),
            (
                "mix_snr_db",
                self.mix_snr_db,
                "mix_probability",
                self.mix_probability,
            ),
        ] {
            if let Some(snr) = snr
                && !snr.is_finite()
            {
                return Err(format!(
                    "augment.{key} = {snr} must be a finite number of dB (leave it out to switch it off)"
                ));
            }
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("augment.{p_key} = {p} must be in [0, 1]"));
            }
            if snr.is_none() && p != 1.0 {
                return Err(format!(
                    "augment.{p_key} = {p} is set but augment.{key} is not: give augment.{key} \
                     to switch it on, or drop augment.{p_key}"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<AugmentConfig, String> {
        let config: AugmentConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        config.validate().map(|()| config)
    }

    #[test]
    fn everything_is_off_by_default() {
        let c = parse("").unwrap();
        assert_eq!(c, AugmentConfig::default());
        assert!(!c.is_on());
        assert_eq!(c.noise_probability, 1.0);
        assert_eq!(c.mix_probability, 1.0);
        assert!(parse("pitch_shift = 0.3").unwrap().is_on());
        assert!(parse("mix_snr_db = 6.0").unwrap().is_on());
        assert!(
            !parse("mix_snr_db = 6.0\nmix_probability = 0.0")
                .unwrap()
                .is_on()
        );
        assert_eq!(c.summary(), "off");
        let some = parse(
            "pitch_shift = 0.3\nnoise_snr_db = 20.0\nnoise_probability = 0.5\nmix_snr_db = 6.0",
        );
        assert_eq!(
            some.unwrap().summary(),
            "pitch_shift = 0.3, noise_snr_db = 20 (probability 0.5), mix_snr_db = 6"
        );
    }

    #[test]
    fn bad_values_name_their_key() {
        for (text, key) in [
            ("pitch_shift = 0.6", "augment.pitch_shift"),
            ("time_stretch = -0.1", "augment.time_stretch"),
            ("speed = nan", "augment.speed"),
            ("filter_db = -3.0", "augment.filter_db"),
            ("gain_db = 41.0", "augment.gain_db"),
            ("noise_snr_db = inf", "augment.noise_snr_db"),
            (
                "noise_snr_db = 10.0\nnoise_probability = 1.5",
                "augment.noise_probability",
            ),
            ("mix_probability = 0.5", "augment.mix_snr_db"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(key), "{text}: {e}");
        }
        let e = parse("pitch_shfit = 0.3").unwrap_err();
        assert!(e.contains("pitch_shfit"), "{e}");
    }

    #[test]
    fn round_trips_through_toml() {
        let c = parse("pitch_shift = 0.3\nnoise_snr_db = 20.0\nnoise_probability = 0.5").unwrap();
        let again = parse(&toml::to_string(&c).unwrap()).unwrap();
        assert_eq!(c, again);
        let off = toml::to_string(&AugmentConfig::default()).unwrap();
        assert!(!off.contains("snr"), "{off}");
    }
}
