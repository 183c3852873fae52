//! A comparison as loaded from an experiment file with `[compare]`: the
//! parsed section ([`crate::compare_config`]) and the sweep that trains it,
//! a grid of seeds × variants (seeds outermost, so that a comparison
//! stopped half-way holds complete pairs of the first seeds), run by the
//! sweep runner ([`crate::runner`]) with its guarantees: finished runs are
//! skipped, interrupted ones resumed, a run of another config refused.
//!
//! Pairing by seed is sound because a seed fixes the same things in every
//! variant: the backbone's initialisation is drawn from the seed alone, and
//! the batches (which excerpts), the dropout masks and the augmentation
//! each come from their own stream derived from the seed and the epoch
//! (`cochlea_trainer::seeds`), so two variants with one seed train on the
//! same excerpts in the same order.

use std::path::Path;

use cochlea_trainer::ExperimentConfig;
use cochlea_trainer::config::overrides::apply_override;

use crate::compare_config::{CompareConfig, take_compare};
use crate::error::{Error, IoContext, Result};
use crate::grid::Grid;
use crate::sweep::Sweep;
use crate::sweep_config::{Axis, AxisValue};

/// A loaded comparison.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// `[compare]`.
    pub config: CompareConfig,
    /// The runs: seeds × variants.
    pub sweep: Sweep,
    /// The metrics analysed, in report order.
    pub metrics: Vec<String>,
}

impl Comparison {
    /// Reads an experiment file with `[compare]`, applies `set` to every
    /// run and resolves relative paths against the current directory.
    pub fn load(path: &Path, set: &[String]) -> Result<Self> {
        let text = std::fs::read_to_string(path).at(path)?;
        let mut comparison = Self::parse(&text, set, &path.display().to_string())?;
        for config in &mut comparison.sweep.configs {
            config.resolve_paths()?;
        }
        if let Some(t) = &mut comparison.config.transfer {
            t.root = std::path::absolute(&t.root).at(&t.root)?;
            if !t.root.is_dir() {
                return Err(Error::Config(format!(
                    "{}: compare.transfer.root = {} is not a folder: build the transfer set \
                     first (for the real recordings: python3 scripts/transfer_set.py), or \
                     remove [compare.transfer]",
                    path.display(),
                    t.root.display()
                )));
            }
        }
        Ok(comparison)
    }

    /// Parses experiment text; `origin` names it in errors. `--set` items
    /// under `compare.` change the `[compare]` section (`--set
    /// compare.seeds=8`); the others apply to every run.
    pub fn parse(text: &str, set: &[String], origin: &str) -> Result<Self> {
        let mut experiment: toml::Table = text
            .parse()
            .map_err(|e| Error::Config(format!("{origin}: {e}")))?;
        let (own, set): (Vec<String>, Vec<String>) = set
            .iter()
            .cloned()
            .partition(|item| item.trim_start().starts_with("compare."));
        let set = set.as_slice();
        if experiment.contains_key("compare") {
            for item in &own {
                apply_override(&mut experiment, item)
                    .map_err(|e| Error::Config(format!("--set {item}: {e}")))?;
            }
        }
        let in_origin = |e: Error| match e {
            Error::Config(m) => Error::Config(format!("{origin}: {m}")),
            other => other,
        };
        if experiment.contains_key("sweep") {
            return Err(Error::Config(format!(
                "{origin} declares both [sweep] and [compare]: a comparison's runs are its \
                 variants × seeds; move the sweep to a file of its own"
            )));
        }
        let Some(config) = take_compare(&mut experiment).map_err(in_origin)? else {
            return Err(Error::Config(format!(
                "{origin} has no [compare] section: declare the variants (e.g. \
                 `[compare.variants]` then `frontend = [{{ kind = \"mel\" }}, {{ kind = \
                 \"gabor\" }}]`), or train one run with `cochlea train {origin}`"
            )));
        };
        let seeds = Axis {
            keys: vec!["seed".into()],
            levels: config
                .seeds
                .iter()
                .map(|&s| {
                    vec![AxisValue {
                        key: "seed".into(),
                        label: s.to_string(),
                        value: toml::Value::Integer(s as i64),
                    }]
                })
                .collect(),
        };
        let grid = Grid::new(vec![seeds, config.variants.clone()]).map_err(in_origin)?;
        let sweep = Sweep::assemble(origin, text, experiment, grid, None, set)?;
        let task = &sweep.configs[0].task;
        for (point, c) in sweep.grid.points.iter().zip(&sweep.configs) {
            if c.task.name() != task.name() {
                return Err(Error::Config(format!(
                    "{origin}: variant `{}` trains the {} task, the others the {} task: \
                     compare variants of one task",
                    point.name,
                    c.task.name(),
                    task.name()
                )));
            }
        }
        let reported = task.report_metrics();
        let metrics: Vec<String> = match &config.metrics {
            None => reported
                .iter()
                .filter(|&&m| m != "threshold")
                .map(|m| m.to_string())
                .collect(),
            Some(list) => {
                for m in list {
                    if !reported.contains(&m.as_str()) || m == "threshold" {
                        return Err(Error::Config(format!(
                            "{origin}: compare.metrics lists \"{m}\", which the {} task does \
                             not report as a test figure; it reports: {}",
                            task.name(),
                            reported
                                .iter()
                                .filter(|&&r| r != "threshold")
                                .copied()
                                .collect::<Vec<_>>()
                                .join(", ")
                        )));
                    }
                }
                list.clone()
            }
        };
        Ok(Self {
            config,
            sweep,
            metrics,
        })
    }

    /// Number of variants.
    pub fn variants(&self) -> usize {
        self.config.names.len()
    }

    /// The grid index of the run of seed number `seed` (an index into
    /// `config.seeds`) and variant `variant`.
    pub fn point(&self, seed: usize, variant: usize) -> usize {
        seed * self.variants() + variant
    }

    /// The config of the run of seed number `seed` and variant `variant`.
    pub fn run_config(&self, seed: usize, variant: usize) -> &ExperimentConfig {
        &self.sweep.configs[self.point(seed, variant)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[data]\nroot = \"d\"\n[train]\nepochs = 3\n";

    fn kind(f: &cochlea_frontend::FrontendConfig) -> &'static str {
        use cochlea_frontend::FrontendConfig::*;
        match f {
            Mel(_) => "mel",
            Gabor(_) => "gabor",
            LearnableMel(_) => "learnable-mel",
        }
    }

    fn parse(compare: &str, set: &[&str]) -> Result<Comparison> {
        let set: Vec<String> = set.iter().map(|s| s.to_string()).collect();
        Comparison::parse(&format!("{BASE}{compare}"), &set, "exp.toml")
    }

    #[test]
    fn runs_are_seeds_times_variants_seeds_outermost() {
        let c = parse(
            "[compare]\nseeds = [7, 8]\nbaseline = \"mel\"\n[compare.variants]\n\
             frontend = [{ kind = \"gabor\" }, { name = \"mel\", kind = \"mel\" }, \
             { name = \"lmel\", kind = \"learnable-mel\" }]\n",
            &["train.epochs=2"],
        )
        .unwrap();
        assert_eq!(c.variants(), 3);
        assert_eq!(c.sweep.configs.len(), 6);
        let got: Vec<(u64, &str)> = c
            .sweep
            .configs
            .iter()
            .map(|x| (x.seed, kind(&x.frontend)))
            .collect();
        assert_eq!(
            got,
            [
                (7, "gabor"),
                (7, "mel"),
                (7, "learnable-mel"),
                (8, "gabor"),
                (8, "mel"),
                (8, "learnable-mel")
            ]
        );
        assert_eq!(c.run_config(1, 2).seed, 8);
        // `--set compare.*` changes [compare]; other items every run.
        let again = parse(
            "[compare]\nseeds = [7, 8]\n[compare.variants]\n\"train.epochs\" = [1, 2]\n",
            &["compare.seeds=[1, 2, 3]", "train.batch_size=4"],
        )
        .unwrap();
        assert_eq!(again.config.seeds, [1, 2, 3]);
        assert!(again.sweep.configs.iter().all(|x| x.train.batch_size == 4));
        assert_eq!(again.sweep.set, ["train.batch_size=4"]);
        assert!(c.sweep.configs.iter().all(|x| x.train.epochs == 2));
        // Singing voice: every report figure but the threshold.
        assert_eq!(
            c.metrics,
            ["error", "precision", "recall", "specificity", "f1", "auroc"]
        );
    }

    #[test]
    fn bad_experiments_are_explained() {
        let variants =
            "[compare.variants]\nfrontend = [{ kind = \"mel\" }, { kind = \"gabor\" }]\n";
        for (text, want) in [
            ("", "exp.toml has no [compare] section"),
            (
                &format!("[compare]\nmetrics = [\"roc_auc\"]\n{variants}") as &str,
                "compare.metrics lists \"roc_auc\", which the singing-voice task",
            ),
            (
                &format!("[compare]\nmetrics = [\"threshold\"]\n{variants}"),
                "\"threshold\"",
            ),
            (
                &format!("[sweep]\nseed = [1]\n[compare]\n{variants}"),
                "both [sweep] and [compare]",
            ),
            (
                "[compare]\n[compare.variants]\n\"task.kind\" = [\"singing-voice\", \"tagging\"]\n",
                "compare variants of one task",
            ),
        ] {
            let e = parse(text, &[]).unwrap_err().to_string();
            assert!(e.contains(want), "{text}\n→ {e}");
        }
    }

    /// Every experiment file with [compare] loads, and its test split is
    /// named in the report's figures.
    #[test]
    fn every_compare_experiment_loads() {
        let found = crate::experiments_with("compare");
        for (path, text) in &found {
            let c = Comparison::parse(text, &[], path).unwrap_or_else(|e| panic!("{e}"));
            assert!(c.variants() >= 2 && c.config.seeds.len() >= 5);
        }
        assert!(
            found.len() >= 2,
            "expected compare-dorfler and compare-tagging"
        );
    }
}
