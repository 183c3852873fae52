//! A sweep as loaded from an experiment file: its text (copied into the
//! sweep folder), the experiment without `[sweep]`, the grid, the plot, the
//! `--set` items, and every point's parsed config. Loading checks
//! everything that can be checked before training: each point's config
//! parses ([`crate::point_config`]), no `--set` item overrides an axis (its
//! points would all be equal), and the plot's metric is one the task
//! reports.

use std::path::Path;

use cochlea_trainer::ExperimentConfig;

use crate::error::{Error, IoContext, Result};
use crate::grid::Grid;
use crate::point_config::point_config;
use crate::sweep_config::{PlotConfig, take_sweep};
use crate::sweep_dir::Manifest;

/// A loaded sweep.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The experiment file as named on the command line.
    pub origin: String,
    /// Its text.
    pub text: String,
    /// The experiment without `[sweep]`.
    pub experiment: toml::Table,
    /// The points.
    pub grid: Grid,
    /// `[sweep.plot]`, if given.
    pub plot: Option<PlotConfig>,
    /// The `--set` items, applied to every point.
    pub set: Vec<String>,
    /// The config of every point, in grid order.
    pub configs: Vec<ExperimentConfig>,
}

impl Sweep {
    /// Reads an experiment file with `[sweep]`, applies `set` to every point
    /// and resolves relative paths against the current directory (as
    /// `cochlea train` does).
    pub fn load(path: &Path, set: &[String]) -> Result<Self> {
        let text = std::fs::read_to_string(path).at(path)?;
        let mut sweep = Self::parse(&text, set, &path.display().to_string())?;
        for config in &mut sweep.configs {
            config.resolve_paths()?;
        }
        Ok(sweep)
    }

    /// Parses experiment text; `origin` names it in errors. Paths stay as
    /// written.
    pub fn parse(text: &str, set: &[String], origin: &str) -> Result<Self> {
        let mut experiment: toml::Table = text
            .parse()
            .map_err(|e| Error::Config(format!("{origin}: {e}")))?;
        let in_origin = |e: Error| match e {
            Error::Config(m) => Error::Config(format!("{origin}: {m}")),
            other => other,
        };
        let Some(sweep) = take_sweep(&mut experiment).map_err(in_origin)? else {
            return Err(Error::Config(format!(
                "{origin} has no [sweep] section: declare its axes (e.g. `[sweep]` then \
                 `seed = [1, 2, 3]`), or train the single run with `cochlea train {origin}`"
            )));
        };
        let grid = Grid::new(sweep.axes).map_err(in_origin)?;
        let sweep = Self::assemble(origin, text, experiment, grid, sweep.plot, set)?;
        if let Some(plot) = &sweep.plot {
            for (point, config) in sweep.grid.points.iter().zip(&sweep.configs) {
                let names = config.task.report_metrics();
                if !names.contains(&plot.metric.as_str()) {
                    return Err(Error::Config(format!(
                        "{origin}: sweep.plot.metric = \"{}\" is not reported by the {} task \
                         (point `{}`); it reports: {}",
                        plot.metric,
                        config.task.name(),
                        point.name,
                        names.join(", ")
                    )));
                }
            }
        }
        Ok(sweep)
    }

    /// The sweep of `grid` over `experiment` (the file's table without its
    /// study section) with `set` on every point: every point's config is
    /// built and checked here.
    pub fn assemble(
        origin: &str,
        text: &str,
        experiment: toml::Table,
        grid: Grid,
        plot: Option<PlotConfig>,
        set: &[String],
    ) -> Result<Self> {
        check_set(&grid, set)?;
        let total = grid.points.len();
        let configs = grid
            .points
            .iter()
            .map(|p| point_config(&experiment, p, total, set, origin))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            origin: origin.to_string(),
            text: text.to_string(),
            experiment,
            grid,
            plot,
            set: set.to_vec(),
            configs,
        })
    }

    /// What `points.json` records.
    pub fn manifest(&self) -> Manifest {
        Manifest::new(&self.grid, &self.set)
    }
}

/// Refuses `--set` items that replace an axis (or the section holding one).
fn check_set(grid: &Grid, set: &[String]) -> Result<()> {
    for item in set {
        let Some((key, _)) = item.split_once('=') else {
            continue; // ExperimentConfig::parse explains the form
        };
        let key = key.trim();
        for axis in grid.keys() {
            if axis == key || axis.starts_with(&format!("{key}.")) {
                return Err(Error::Config(format!(
                    "--set {item} overrides the sweep axis `{axis}` in every point, so the \
                     points would not differ in it: change the axis in [sweep] instead"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[data]\nroot = \"d\"\n[train]\nepochs = 3\n";

    fn parse(sweep: &str, set: &[&str]) -> Result<Sweep> {
        let set: Vec<String> = set.iter().map(|s| s.to_string()).collect();
        Sweep::parse(&format!("{BASE}{sweep}"), &set, "exp.toml")
    }

    #[test]
    fn every_point_gets_its_config() {
        let s = parse(
            "[sweep]\nseed = [1, 2]\n\"train.epochs\" = [1, 2]\n[sweep.plot]\nmetric = \"error\"\nx = \"train.epochs\"\n",
            &["train.batch_size=8", "train.learning_rate=5e-4"],
        )
        .unwrap();
        assert_eq!(s.configs.len(), 4);
        let got: Vec<(u64, usize, usize)> = s
            .configs
            .iter()
            .map(|c| (c.seed, c.train.epochs, c.train.batch_size))
            .collect();
        assert_eq!(got, [(1, 1, 8), (1, 2, 8), (2, 1, 8), (2, 2, 8)]);
        assert!(!s.experiment.contains_key("sweep"));
        assert_eq!(
            s.manifest().set,
            ["train.batch_size=8", "train.learning_rate=5e-4"]
        );
    }

    #[test]
    fn set_may_not_replace_an_axis_but_may_reach_inside_one() {
        for set in ["seed=3", "train=1", " train.epochs = 2"] {
            let e = parse(
                "[sweep]\nseed = [1, 2]\n\"train.epochs\" = [1, 2]\n",
                &[set],
            )
            .unwrap_err()
            .to_string();
            assert!(e.contains("overrides the sweep axis"), "{set}: {e}");
        }
        let s = parse(
            "[sweep]\nfrontend = [{ kind = \"mel\" }, { kind = \"learnable-mel\" }]\n",
            &["frontend.bands=40"],
        )
        .unwrap();
        assert!(s.configs.iter().all(|c| c.frontend.bands() == 40));
    }

    #[test]
    fn the_plot_metric_must_be_the_tasks() {
        let e = parse(
            "[sweep]\nseed = [1]\n[sweep.plot]\nmetric = \"roc_auc\"\nx = \"seed\"\n",
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("sweep.plot.metric = \"roc_auc\" is not reported by the singing-voice task")
                && e.contains("error, precision, recall"),
            "{e}"
        );
    }

    #[test]
    fn errors_name_the_file() {
        let e = Sweep::parse(BASE, &[], "exp.toml").unwrap_err().to_string();
        assert!(
            e.contains("exp.toml has no [sweep]") && e.contains("cochlea train exp.toml"),
            "{e}"
        );
        let e = parse("[sweep]\nseed = 1\n", &[]).unwrap_err().to_string();
        assert!(e.contains("exp.toml: sweep: `seed` = 1"), "{e}");
    }

    /// Every experiment file with a [sweep] expands and every point parses.
    #[test]
    fn every_sweep_experiment_loads() {
        let found = crate::experiments_with("sweep");
        for (path, text) in &found {
            let s = Sweep::parse(text, &[], path).unwrap_or_else(|e| panic!("{e}"));
            assert!(!s.configs.is_empty());
        }
        assert!(found.len() >= 2, "expected the sweep experiments");
    }
}
