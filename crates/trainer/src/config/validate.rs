//! Checks of an experiment config that its types alone do not express; each
//! message names the key at fault and the accepted values.

use super::ExperimentConfig;

impl ExperimentConfig {
    /// Checks the values of every section; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        self.data.validate()?;
        self.task.validate(&self.data)?;
        if let Some(noise) = &self.label_noise {
            noise.validate(self.task.noise_target())?;
        }
        let t = &self.train;
        for (key, value) in [
            ("train.batch_size", t.batch_size),
            ("train.batches_per_epoch", t.batches_per_epoch),
            ("train.epochs", t.epochs),
            ("train.keep_checkpoints", t.keep_checkpoints),
        ] {
            if value == 0 {
                return Err(format!("{key} must be at least 1"));
            }
        }
        if !(t.learning_rate > 0.0 && t.learning_rate.is_finite()) {
            return Err(format!(
                "train.learning_rate = {} must be positive",
                t.learning_rate
            ));
        }
        if !(t.lr_decay > 0.0 && t.lr_decay <= 1.0) {
            return Err(format!("train.lr_decay = {} must be in (0, 1]", t.lr_decay));
        }
        if !(t.frontend_lr_scale > 0.0 && t.frontend_lr_scale.is_finite()) {
            return Err(format!(
                "train.frontend_lr_scale = {} must be positive and finite \
                 (1 = the frontend learns at train.learning_rate)",
                t.frontend_lr_scale
            ));
        }
        if !(t.weight_decay >= 0.0 && t.weight_decay.is_finite()) {
            return Err(format!(
                "train.weight_decay = {} must be zero or positive",
                t.weight_decay
            ));
        }
        self.frontend
            .validate(self.data.sample_rate, self.backend.dft_method())?;
        self.model
            .validate(self.task.input_frames(), self.frontend.bands())?;
        self.augment.validate()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::ExperimentConfig;

    fn error(overrides: &[&str]) -> String {
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        ExperimentConfig::parse("[data]\nroot = \"d\"\n", &overrides, "exp.toml")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn each_bad_value_is_named_with_its_key() {
        for (set, key) in [
            ("train.batch_size=0", "train.batch_size"),
            ("train.learning_rate=-1", "train.learning_rate"),
            ("train.lr_decay=1.5", "train.lr_decay"),
            ("train.weight_decay=-1e-4", "train.weight_decay"),
            ("train.keep_checkpoints=0", "train.keep_checkpoints"),
            ("data.sample_rate=100", "data.sample_rate"),
            ("task.median_filter=0", "task.median_filter"),
            ("task.label_smoothing=[0.5, 0.8]", "task.label_smoothing"),
            ("task.excerpt_frames=4", "task.excerpt_frames"),
            ("augment.pitch_shift=0.8", "augment.pitch_shift"),
            ("augment.mix_probability=0.5", "augment.mix_snr_db"),
        ] {
            let e = error(&[set]);
            assert!(e.contains(key) && e.contains("exp.toml"), "{set}: {e}");
        }
    }

    fn tagging_error(overrides: &[&str]) -> String {
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        ExperimentConfig::parse(
            "[task]\nkind = \"tagging\"\n[data]\nroot = \"d\"\n",
            &overrides,
            "exp.toml",
        )
        .unwrap_err()
        .to_string()
    }

    #[test]
    fn label_noise_is_checked_against_the_task() {
        // Singing voice (the default task) takes segments and boundaries only.
        let e = error(&["label_noise.kind=symmetric", "label_noise.rate=0.1"]);
        assert!(
            e.contains("label_noise.kind = \"symmetric\"") && e.contains("singing-voice"),
            "{e}"
        );
        let e = error(&["label_noise.kind=boundaries", "label_noise.rate=0.1"]);
        assert!(e.contains("label_noise.max_shift"), "{e}");
        let e = tagging_error(&["label_noise.kind=segments", "label_noise.rate=0.1"]);
        assert!(
            e.contains("label_noise.kind = \"segments\"") && e.contains("tagging"),
            "{e}"
        );
        let e = tagging_error(&[
            "label_noise.kind=drop",
            "label_noise.rate=0.1",
            "label_noise.splits=[\"train\", \"test\"]",
        ]);
        assert!(
            e.contains("never corrupted") && e.contains("exp.toml"),
            "{e}"
        );
        let e = tagging_error(&["label_noise.kind=drop", "label_noise.rat=0.1"]);
        assert!(e.contains("rat"), "{e}");
    }
}
