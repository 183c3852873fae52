//! The `[compare]` section of an experiment: the variants, the baseline,
//! the seeds, the metrics and the statistics' settings.
//!
//! ```toml
//! [compare]
//! baseline = "mel"              # a variant's name; default: the first variant
//! seeds = 5                     # seeds 1..=5 (default), or a list: [1, 2, 3, 4, 5]
//! metrics = ["error", "f1"]     # default: every figure of the task's report but the threshold
//! resamples = 10000             # paired bootstrap resamples (default 10000)
//! confidence = 0.95             # confidence level of every interval (default 0.95)
//! bootstrap_seed = 1            # seeds the bootstrap's draws (default 1)
//!
//! [compare.variants]            # one axis: alternatives for a whole section ...
//! frontend = [
//!     { name = "mel", kind = "mel" },
//!     { name = "gabor-adaptive", kind = "gabor", averaging = "adaptive" },
//! ]
//! # ... or values of any key ("train.learning_rate" = [1e-3, 3e-4]), or
//! # keys that change together: [[compare.variants.zip]]
//!
//! [compare.transfer]            # optional: a second test set of the same layout
//! name = "real"                 # names its figures (`real/error`); default "transfer"
//! root = "datasets/real"        # its dataset root (relative to the current directory)
//! split = "test"                # default "test"
//! ```
//!
//! Variants are one axis of the sweep syntax ([`crate::sweep_config`]): a
//! list of whole-section tables (named by `name`, else by `kind`) or a list
//! of values of one dotted key, or several keys zipped. Every variant is
//! trained with every seed and everything else equal.

use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::sweep_config::{Axis, AxisValue, parse_sweep};

/// A parsed `[compare]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareConfig {
    /// The variants: one axis.
    pub variants: Axis,
    /// The variants' names, in axis order.
    pub names: Vec<String>,
    /// Index of the baseline in `names`.
    pub baseline: usize,
    /// The training seeds every variant runs with.
    pub seeds: Vec<u64>,
    /// The metrics analysed; `None`: the task's report metrics.
    pub metrics: Option<Vec<String>>,
    /// Paired bootstrap resamples.
    pub resamples: usize,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Seed of the bootstrap's draws.
    pub bootstrap_seed: u64,
    /// The second test set, if any.
    pub transfer: Option<TransferSet>,
}

/// `[compare.transfer]`: another dataset of the experiment's layout that
/// every run is also evaluated on.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferSet {
    /// Prefix of its figures in tables (`real/error`).
    #[serde(default = "default_transfer_name")]
    pub name: String,
    /// Its dataset root.
    pub root: PathBuf,
    /// The split evaluated.
    #[serde(default = "default_split")]
    pub split: String,
}

fn default_transfer_name() -> String {
    "transfer".into()
}

fn default_split() -> String {
    "test".into()
}

/// The keys of `[compare]` besides `variants` and `transfer`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    baseline: Option<String>,
    #[serde(default)]
    seeds: Option<Seeds>,
    metrics: Option<Vec<String>>,
    #[serde(default = "default_resamples")]
    resamples: usize,
    #[serde(default = "default_confidence")]
    confidence: f64,
    #[serde(default = "default_bootstrap_seed")]
    bootstrap_seed: u64,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Seeds {
    Count(u64),
    List(Vec<u64>),
}

/// The default number of seeds.
pub const DEFAULT_SEEDS: u64 = 5;

fn default_resamples() -> usize {
    10_000
}

fn default_confidence() -> f64 {
    0.95
}

fn default_bootstrap_seed() -> u64 {
    1
}

fn config_error(message: String) -> Error {
    Error::Config(message)
}

/// Removes `[compare]` from `experiment` and parses it; `None` if there is none.
pub fn take_compare(experiment: &mut toml::Table) -> Result<Option<CompareConfig>> {
    match experiment.remove("compare") {
        Some(section) => parse_compare(&section).map(Some),
        None => Ok(None),
    }
}

/// Parses the value of `[compare]`.
pub fn parse_compare(section: &toml::Value) -> Result<CompareConfig> {
    let mut table = section
        .as_table()
        .cloned()
        .ok_or_else(|| config_error("[compare] must be a table".into()))?;
    let variants = table.remove("variants").ok_or_else(|| {
        config_error(
            "[compare] has no [compare.variants]: list the variants, e.g. `frontend = \
             [{ name = \"mel\", kind = \"mel\" }, { name = \"gabor\", kind = \"gabor\" }]`"
                .into(),
        )
    })?;
    let transfer = table
        .remove("transfer")
        .map(|t| {
            TransferSet::deserialize(t)
                .map_err(|e| config_error(format!("compare.transfer: {}", one_line(&e))))
        })
        .transpose()?;
    let settings = Settings::deserialize(toml::Value::Table(table))
        .map_err(|e| config_error(format!("compare: {}", one_line(&e))))?;
    let variants = parse_variants(&variants)?;
    let names: Vec<String> = variants.levels.iter().map(|l| variant_name(l)).collect();
    let baseline = match &settings.baseline {
        None => 0,
        Some(b) => names.iter().position(|n| n == b).ok_or_else(|| {
            config_error(format!(
                "compare.baseline = \"{b}\" is not a variant; the variants are: {}",
                names.join(", ")
            ))
        })?,
    };
    if names.len() < 2 {
        return Err(config_error(
            "[compare.variants] lists one variant: a comparison needs two or more".into(),
        ));
    }
    let seeds = match settings.seeds {
        None => (1..=DEFAULT_SEEDS).collect(),
        Some(Seeds::Count(n)) => (1..=n).collect(),
        Some(Seeds::List(list)) => list,
    };
    if seeds.len() < 2 {
        return Err(config_error(format!(
            "compare.seeds gives {} seed(s): paired tests need two or more (5 is the default)",
            seeds.len()
        )));
    }
    let mut sorted = seeds.clone();
    sorted.sort_unstable();
    if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(config_error(format!(
            "compare.seeds lists {} twice: each seed pairs the variants once",
            w[0]
        )));
    }
    if settings.resamples < 100 {
        return Err(config_error(format!(
            "compare.resamples = {}: use at least 100 (10000 is the default)",
            settings.resamples
        )));
    }
    if !(settings.confidence > 0.5 && settings.confidence < 1.0) {
        return Err(config_error(format!(
            "compare.confidence = {}: give a level between 0.5 and 1, e.g. 0.95",
            settings.confidence
        )));
    }
    Ok(CompareConfig {
        variants,
        names,
        baseline,
        seeds,
        metrics: settings.metrics,
        resamples: settings.resamples,
        confidence: settings.confidence,
        bootstrap_seed: settings.bootstrap_seed,
        transfer,
    })
}

/// The variants' one axis, parsed with the sweep syntax; errors name
/// `compare.variants` instead of `sweep`.
fn parse_variants(section: &toml::Value) -> Result<Axis> {
    let renamed = |e: Error| match e {
        Error::Config(m) => Error::Config(
            m.replace("[[sweep.zip]]", "[[compare.variants.zip]]")
                .replace("[sweep]", "[compare.variants]")
                .replace("sweep.", "compare.variants.")
                .replace("sweep:", "compare.variants:"),
        ),
        other => other,
    };
    if section.get("plot").is_some() {
        return Err(config_error(
            "compare.variants.plot: a comparison draws its own figures; remove it".into(),
        ));
    }
    let parsed = parse_sweep(section).map_err(renamed)?;
    let mut axes = parsed.axes;
    if axes.len() != 1 {
        let keys: Vec<String> = axes.iter().flat_map(|a| a.keys.clone()).collect();
        return Err(config_error(format!(
            "[compare.variants] sets {} independent keys ({}): the variants are one list; \
             put keys that change together in [[compare.variants.zip]], and leave the \
             seeds to compare.seeds",
            axes.len(),
            keys.join(", ")
        )));
    }
    let axis = axes.remove(0);
    if axis.keys.iter().any(|k| k == "seed") {
        return Err(config_error(
            "[compare.variants] varies `seed`: the seeds are compare.seeds, shared by every \
             variant"
                .into(),
        ));
    }
    Ok(axis)
}

/// A variant's name: its values' labels, joined by `,` when keys are zipped.
fn variant_name(level: &[AxisValue]) -> String {
    level
        .iter()
        .map(|v| v.label.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn one_line(e: &impl std::fmt::Display) -> String {
    e.to_string().trim_end().replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<CompareConfig> {
        let mut table: toml::Table = text.parse().unwrap();
        Ok(take_compare(&mut table)?.expect("a [compare]"))
    }

    #[test]
    fn defaults_and_names() {
        let c = parse(
            "[compare]\nbaseline = \"mel\"\n[compare.variants]\nfrontend = [{ kind = \"gabor\" }, \
             { name = \"mel\", kind = \"mel\" }]\n",
        )
        .unwrap();
        assert_eq!(c.names, ["gabor", "mel"]);
        assert_eq!(c.baseline, 1);
        assert_eq!(c.seeds, [1, 2, 3, 4, 5]);
        assert_eq!(
            (c.resamples, c.confidence, c.bootstrap_seed),
            (10_000, 0.95, 1)
        );
        assert_eq!(c.metrics, None);
        assert_eq!(c.transfer, None);
        let c = parse(
            "[compare]\nseeds = [3, 1]\n[compare.variants]\n\"train.learning_rate\" = [1e-3, 3e-4]\n\
             [compare.transfer]\nroot = \"real\"\n",
        )
        .unwrap();
        assert_eq!(c.names, ["0.001", "0.0003"]);
        assert_eq!((c.baseline, c.seeds.as_slice()), (0, &[3u64, 1][..]));
        let t = c.transfer.unwrap();
        assert_eq!((t.name.as_str(), t.split.as_str()), ("transfer", "test"));
        // Zipped keys are one variant axis, named by both labels.
        let c = parse(
            "[compare]\nseeds = 2\n[compare.variants]\n[[compare.variants.zip]]\n\
             \"frontend.kind\" = [\"mel\", \"gabor\"]\n\"train.frontend_lr_scale\" = [1, 10]\n",
        )
        .unwrap();
        assert_eq!(c.names, ["mel,1", "gabor,10"]);
    }

    #[test]
    fn bad_sections_are_explained() {
        for (text, want) in [
            ("[compare]\nseeds = 3\n", "has no [compare.variants]"),
            (
                "[compare]\nbaseline = \"x\"\n[compare.variants]\nfrontend = [{ kind = \"mel\" }, { kind = \"gabor\" }]\n",
                "compare.baseline = \"x\" is not a variant; the variants are: mel, gabor",
            ),
            (
                "[compare]\n[compare.variants]\nfrontend = [{ kind = \"mel\" }]\n",
                "lists one variant",
            ),
            (
                "[compare]\nseeds = 1\n[compare.variants]\nseed = [1, 2]\n",
                "varies `seed`",
            ),
            (
                "[compare]\nseeds = [1]\n[compare.variants]\n\"train.epochs\" = [1, 2]\n",
                "gives 1 seed(s)",
            ),
            (
                "[compare]\nseeds = [1, 2, 1]\n[compare.variants]\n\"train.epochs\" = [1, 2]\n",
                "lists 1 twice",
            ),
            (
                "[compare]\n[compare.variants]\n\"train.epochs\" = [1, 2]\n\"train.batch_size\" = [8, 16]\n",
                "sets 2 independent keys",
            ),
            (
                "[compare]\n[compare.variants]\n\"train.epochs\" = 3\n",
                "compare.variants: `train.epochs` = 3",
            ),
            (
                "[compare]\nresample = 5\n[compare.variants]\n\"train.epochs\" = [1, 2]\n",
                "compare: unknown field `resample`",
            ),
            (
                "[compare]\nconfidence = 95\n[compare.variants]\n\"train.epochs\" = [1, 2]\n",
                "compare.confidence = 95",
            ),
            (
                "[compare]\n[compare.variants]\n\"train.epochs\" = [1, 2]\n[compare.transfer]\nsplit = \"test\"\n",
                "compare.transfer: missing field `root`",
            ),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text}\n→ {e}");
        }
    }
}
