//! Whether a run directory holds the run of a sweep point: its stored,
//! fully resolved `config.toml` must hold every value of the point's config.
//! Training only adds to a config what it reads from the dataset (a tagging
//! run records its tags), so the stored config may have keys the point's
//! lacks, never other values. Keys that only bound memory while a run
//! predicts ([`MEMORY_ONLY_KEYS`]: `task.chunk_seconds`, the window songs
//! stream through) do not make it another run: its outputs do not depend
//! on them, and a resumed run keeps its stored value.

use cochlea_trainer::ExperimentConfig;

use crate::error::{Error, Result};
use crate::table_diff::first_mismatch_in;

/// `(section, key)` of the settings that only bound memory.
pub const MEMORY_ONLY_KEYS: &[(&str, &str)] = &[("task", "chunk_seconds")];

/// A config as a TOML table, without the memory-only keys.
fn table_of(config: &ExperimentConfig) -> Result<toml::Table> {
    let mut table = toml::Table::try_from(config)
        .map_err(|e| Error::Other(format!("cannot write a config as TOML: {e}")))?;
    for (section, key) in MEMORY_ONLY_KEYS {
        if let Some(toml::Value::Table(t)) = table.get_mut(*section) {
            t.remove(*key);
        }
    }
    Ok(table)
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
        // A run stored with another prediction window is the same run.
        let svd = parse("[data]\nroot = \"d\"\n");
        let windowed = parse("[data]\nroot = \"d\"\n[task]\nchunk_seconds = 120.0\n");
        assert_eq!(config_difference(&svd, &windowed).unwrap(), None);
        let other = parse("[data]\nroot = \"d\"\n[task]\nmedian_filter = 7\n");
        assert!(config_difference(&svd, &other).unwrap().is_some());
    }
}
