//! Sections that describe many runs rather than one (`[sweep]`, `[compare]`): a config
//! holding one is run by its own command, and `cochlea train` (or anything
//! else that reads a single experiment) refuses it with a message naming
//! that command, instead of a bare "unknown field".

use crate::error::{Error, Result};

/// Each study section and the command that runs it.
pub const STUDY_SECTIONS: &[(&str, &str)] =
    &[("sweep", "cochlea sweep"), ("compare", "cochlea compare")];

/// Fails if `table` has a study section; `origin` names the config.
pub fn reject_study_sections(table: &toml::Table, origin: &str) -> Result<()> {
    for (section, command) in STUDY_SECTIONS {
        if table.contains_key(*section) {
            return Err(Error::Config(format!(
                "{origin} declares [{section}], which describes many runs: run it with \
                 `{command} {origin}` (`cochlea train` trains a single run)"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::ExperimentConfig;

    #[test]
    fn a_sweep_config_names_the_sweep_command() {
        let text = "[data]\nroot = \"d\"\n[sweep]\nseed = [1, 2]\n";
        let e = ExperimentConfig::parse(text, &[], "exp.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("[sweep]") && e.contains("cochlea sweep exp.toml"),
            "{e}"
        );
        let text = "[data]\nroot = \"d\"\n[compare]\nseeds = 2\n";
        let e = ExperimentConfig::parse(text, &[], "exp.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("cochlea compare exp.toml"), "{e}");
    }
}
