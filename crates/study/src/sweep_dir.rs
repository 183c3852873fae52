//! The sweep folder: its layout, and the two files that identify the sweep
//! it belongs to.
//!
//! ```text
//! <out>/sweep.toml            copy of the experiment file, [sweep] included
//! <out>/points.json           the grid: the --set items, the axes, every point's values and run directory
//! <out>/runs/<point-name>/    one run directory per point (see cochlea_trainer::run)
//! <out>/results.csv           one row per run (written after the runs)
//! <out>/summary.md, summary.csv, <metric>-vs-<x>.svg   with [sweep.plot]
//! ```
//!
//! Both identity files are written atomically when a sweep starts. A sweep
//! folder is continued only by the same experiment (compared as TOML, so
//! comments and layout may change) with the same `--set` items: anything
//! else is refused, naming the first difference, so that runs of different
//! experiments never mix in one table.

use std::path::{Path, PathBuf};

use cochlea_data::atomic::write_string_atomically;
use cochlea_trainer::RunDir;
use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};
use crate::grid::{Grid, Point};
use crate::point_name::file_safe;
use crate::table_diff::first_difference;

/// Paths inside one sweep folder.
#[derive(Debug, Clone)]
pub struct SweepDir {
    /// The sweep folder itself.
    pub path: PathBuf,
}

/// `points.json`: what the sweep runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The `--set` items applied to every point.
    pub set: Vec<String>,
    /// The keys of each axis, in grid order.
    pub axes: Vec<Vec<String>>,
    /// Every point, in run order.
    pub points: Vec<ManifestPoint>,
}

/// One point in `points.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestPoint {
    /// Its run directory, relative to the sweep folder.
    pub run: String,
    /// `[key, label]` of every value it sets.
    pub values: Vec<[String; 2]>,
}

impl Manifest {
    /// The manifest of `grid` with `set`.
    pub fn new(grid: &Grid, set: &[String]) -> Self {
        Self {
            set: set.to_vec(),
            axes: grid.axes.iter().map(|a| a.keys.clone()).collect(),
            points: grid
                .points
                .iter()
                .map(|p| ManifestPoint {
                    run: SweepDir::run_relative(p),
                    values: p
                        .values
                        .iter()
                        .map(|v| [v.key.clone(), v.label.clone()])
                        .collect(),
                })
                .collect(),
        }
    }
}

impl SweepDir {
    /// Wraps an existing or future sweep folder.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// `runs/<config-stem>-sweep`: the same for the same command, so that
    /// running it again continues the sweep.
    pub fn default_for(config_path: &Path) -> Self {
        let stem = config_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "experiment".into());
        Self::new(PathBuf::from("runs").join(format!("{stem}-sweep")))
    }

    /// The copy of the experiment.
    pub fn experiment(&self) -> PathBuf {
        self.path.join("sweep.toml")
    }
    /// The grid.
    pub fn manifest(&self) -> PathBuf {
        self.path.join("points.json")
    }
    /// The folder of the run directories.
    pub fn runs(&self) -> PathBuf {
        self.path.join("runs")
    }
    /// The run directory of `point`, relative to the sweep folder.
    pub fn run_relative(point: &Point) -> String {
        format!("runs/{}", point.name)
    }
    /// The run directory of `point`.
    pub fn run(&self, point: &Point) -> RunDir {
        RunDir::new(self.runs().join(&point.name))
    }
    /// One row per run.
    pub fn results(&self) -> PathBuf {
        self.path.join("results.csv")
    }
    /// The summary table as Markdown.
    pub fn summary_markdown(&self) -> PathBuf {
        self.path.join("summary.md")
    }
    /// The summary table as CSV.
    pub fn summary_csv(&self) -> PathBuf {
        self.path.join("summary.csv")
    }
    /// The plot of `metric` against `x`.
    pub fn plot(&self, metric: &str, x: &str) -> PathBuf {
        self.path
            .join(format!("{}-vs-{}.svg", file_safe(metric), file_safe(x)))
    }

    /// Starts the sweep folder for `experiment_text` (the file's text) and
    /// `manifest`, or checks that an existing one belongs to them.
    pub fn prepare(&self, experiment_text: &str, manifest: &Manifest) -> Result<()> {
        let experiment: toml::Table = experiment_text
            .parse()
            .map_err(|e| Error::Config(format!("the experiment: {e}")))?;
        let copy = self.experiment();
        if copy.is_file() {
            let text = std::fs::read_to_string(&copy).at(&copy)?;
            let stored: toml::Table = text.parse().map_err(|e| {
                self.error(format!(
                    "sweep.toml is not TOML ({e}); use another --out, or restore it"
                ))
            })?;
            if let Some(d) = first_difference(&experiment, &stored, "now", "in its sweep.toml") {
                return Err(self.error(format!(
                    "holds a sweep of another experiment ({d}): use another --out for the \
                     changed experiment, or restore the experiment to continue this sweep"
                )));
            }
        } else {
            if self.path.is_dir() && !is_empty(&self.path)? {
                return Err(self.error(
                    "exists and is not a sweep folder (it has no sweep.toml): choose another --out"
                        .into(),
                ));
            }
            std::fs::create_dir_all(&self.path).at(&self.path)?;
            write_string_atomically(&copy, experiment_text).at(&copy)?;
        }
        let file = self.manifest();
        if file.is_file() {
            let text = std::fs::read_to_string(&file).at(&file)?;
            let stored: Manifest = serde_json::from_str(&text).map_err(|e| {
                self.error(format!(
                    "points.json cannot be read ({e}); use another --out"
                ))
            })?;
            self.check_manifest(&stored, manifest)?;
        } else {
            let json = serde_json::to_string_pretty(manifest)
                .map_err(|e| Error::Other(format!("cannot write points.json: {e}")))?;
            write_string_atomically(&file, &(json + "\n")).at(&file)?;
        }
        Ok(())
    }

    fn check_manifest(&self, stored: &Manifest, now: &Manifest) -> Result<()> {
        if stored.set != now.set {
            return Err(self.error(format!(
                "was started with --set {:?}, this command gives {:?}: repeat the same --set \
                 items to continue it, or use another --out",
                stored.set, now.set
            )));
        }
        if stored != now {
            let at = stored
                .points
                .iter()
                .zip(&now.points)
                .position(|(a, b)| a != b)
                .map(|i| {
                    format!(
                        "point {} is {} in points.json, {} now",
                        i + 1,
                        stored.points[i].run,
                        now.points[i].run
                    )
                })
                .unwrap_or_else(|| {
                    format!(
                        "{} points in points.json, {} now",
                        stored.points.len(),
                        now.points.len()
                    )
                });
            return Err(self.error(format!(
                "its points.json lists another grid than this experiment gives ({at}); it was \
                 probably made by another version of cochlea: use another --out"
            )));
        }
        Ok(())
    }

    fn error(&self, message: String) -> Error {
        Error::SweepDir {
            path: self.path.clone(),
            message,
        }
    }
}

/// Whether `dir` holds nothing but hidden files (such as a temporary file
/// of an interrupted atomic write).
fn is_empty(dir: &Path) -> Result<bool> {
    for entry in std::fs::read_dir(dir).at(dir)? {
        let entry = entry.at(dir)?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep_config::take_sweep;

    const EXPERIMENT: &str = "seed = 1\n[data]\nroot = \"d\"\n[sweep]\nseed = [1, 2]\n";

    fn manifest(text: &str, set: &[&str]) -> Manifest {
        let mut table: toml::Table = text.parse().unwrap();
        let grid = Grid::new(take_sweep(&mut table).unwrap().unwrap().axes).unwrap();
        let set: Vec<String> = set.iter().map(|s| s.to_string()).collect();
        Manifest::new(&grid, &set)
    }

    #[test]
    fn a_folder_is_continued_only_by_the_same_experiment_and_set() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = SweepDir::new(tmp.path().join("s"));
        let m = manifest(EXPERIMENT, &["train.epochs=1"]);
        dir.prepare(EXPERIMENT, &m).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.experiment()).unwrap(),
            EXPERIMENT
        );
        let stored: Manifest =
            serde_json::from_str(&std::fs::read_to_string(dir.manifest()).unwrap()).unwrap();
        assert_eq!(stored, m);
        assert_eq!(stored.points[1].run, "runs/seed=2");
        // The same experiment with a comment continues.
        let commented = format!("# a note\n{EXPERIMENT}");
        dir.prepare(&commented, &m).unwrap();
        // Another value does not.
        let changed = EXPERIMENT.replace("seed = 1\n", "seed = 5\n");
        let e = dir.prepare(&changed, &m).unwrap_err().to_string();
        assert!(
            e.contains("another experiment") && e.contains("`seed` = 5 now, = 1 in its sweep.toml"),
            "{e}"
        );
        // Other --set items do not.
        let e = dir
            .prepare(EXPERIMENT, &manifest(EXPERIMENT, &[]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("was started with --set [\"train.epochs=1\"]"),
            "{e}"
        );
        // A folder that holds something else is not taken over.
        let other = SweepDir::new(tmp.path());
        let e = other.prepare(EXPERIMENT, &m).unwrap_err().to_string();
        assert!(e.contains("is not a sweep folder"), "{e}");
    }

    #[test]
    fn a_missing_manifest_is_rewritten_and_a_changed_one_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = SweepDir::new(tmp.path().join("s"));
        let m = manifest(EXPERIMENT, &[]);
        dir.prepare(EXPERIMENT, &m).unwrap();
        std::fs::remove_file(dir.manifest()).unwrap();
        dir.prepare(EXPERIMENT, &m).unwrap();
        assert!(dir.manifest().is_file());
        let mut other = m.clone();
        other.points[1].run = "runs/seed=3".into();
        let e = dir.prepare(EXPERIMENT, &other).unwrap_err().to_string();
        assert!(
            e.contains("point 2 is runs/seed=2 in points.json, runs/seed=3 now"),
            "{e}"
        );
    }

    #[test]
    fn default_folder_and_plot_names() {
        let d = SweepDir::default_for(Path::new("experiments/noise-tagging.toml"));
        assert_eq!(d.path, Path::new("runs/noise-tagging-sweep"));
        assert_eq!(
            d.plot("roc_auc", "label_noise.rate"),
            Path::new("runs/noise-tagging-sweep/roc_auc-vs-label_noise.rate.svg")
        );
    }
}
