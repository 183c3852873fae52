//! Whether a run directory holds the run of a sweep point: its stored,
//! fully resolved `config.toml` must hold every value of the point's config.
//! Training only adds to a config what it reads from the dataset (a tagging
//! run records its tags), so the stored config may have keys the point's
//! lacks, never other values.

use cochlea_trainer::ExperimentConfig;

use crate::error::{Error, Result};
use crate::table_diff::first_mismatch_in;

/// A config as a TOML table.
fn table_of(config: &ExperimentConfig) -> Result<toml::Table> {
    toml::Table::try_from(config)
        .map_err(|e| Error::Other(format!("cannot write a config as TOML: {e}")))
}

/// `None` if `stored` is `point`'s run, else where they differ.
pub fn config_difference(
    point: &ExperimentConfig,
    stored: &ExperimentConfig,
) -> Result<Option<String>> {
    Ok(first_mismatch_in(
        &table_of(point)?,
        &table_of(stored)?,
        "for this point",
        "in the run's config.toml",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ExperimentConfig {
        ExperimentConfig::parse(text, &[], "t").unwrap()
    }

    #[test]
    fn resolved_additions_match_and_other_values_do_not() {
        let point = parse("[task]\nkind = \"tagging\"\n[data]\nroot = \"d\"\n");
        let stored =
            parse("[task]\nkind = \"tagging\"\ntags = [\"rock\", \"pop\"]\n[data]\nroot = \"d\"\n");
        assert_eq!(config_difference(&point, &stored).unwrap(), None);
        let other =
            parse("[task]\nkind = \"tagging\"\n[data]\nroot = \"d\"\n[train]\nepochs = 4\n");
        let d = config_difference(&point, &other).unwrap().unwrap();
        assert!(d.contains("`train.epochs`"), "{d}");
    }
}
