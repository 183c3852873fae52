//! Runs every point of a sweep, each in its own run directory of the sweep
//! folder, and survives being killed: the state is the run directories
//! themselves.
//!
//! Per point: a run with its final report (`metrics.json`) is finished and
//! skipped; a run that has a `config.toml` but no report was interrupted
//! and is resumed from its newest checkpoint (`train --resume`'s guarantee:
//! it ends bit-identical to an uninterrupted run on Flex and ndarray); no
//! run yet is trained from scratch. Before anything is trained, the sweep
//! folder's identity is checked ([`SweepDir::prepare`]) and every existing
//! run's stored config is compared with its point's ([`config_difference`]):
//! a run of another config is an error, never silently reused. A finished
//! sweep run again trains nothing. A point whose training diverges (a
//! non-finite loss) is a result, not a failure: its run gets `diverged.txt`
//! with the trainer's message, counts as finished without figures, and the
//! sweep goes on. A point whose training fails otherwise stops the sweep
//! with an error naming it; the points before it stay finished.

use std::time::Instant;

use cochlea_trainer::train;

use crate::config_match::config_difference;
use cochlea_data::atomic::write_string_atomically;

use crate::error::{Error, IoContext, Result};
use crate::run_time::train_seconds;
use crate::sweep::Sweep;
use crate::sweep_dir::SweepDir;
use crate::sweep_events::{Eta, PointAction, SweepEvent, SweepObserver};

/// What one invocation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepOutcome {
    /// Points trained from scratch.
    pub trained: usize,
    /// Points resumed.
    pub resumed: usize,
    /// Points skipped as finished.
    pub skipped: usize,
    /// Points whose training diverged in this invocation.
    pub diverged: usize,
}

/// What to do with each point of `sweep` in `dir`, after checking that every
/// existing run is its point's.
pub fn plan(sweep: &Sweep, dir: &SweepDir) -> Result<Vec<PointAction>> {
    let total = sweep.grid.points.len();
    sweep
        .grid
        .points
        .iter()
        .zip(&sweep.configs)
        .map(|(point, config)| {
            let run = dir.run(point);
            let action = if run.final_metrics().is_file() || run.diverged().is_file() {
                PointAction::Skip
            } else if run.config().is_file() {
                PointAction::Resume
            } else {
                return Ok(PointAction::Train);
            };
            let stored = run.load_config()?;
            if let Some(d) = config_difference(config, &stored)? {
                return Err(Error::SweepDir {
                    path: dir.path.clone(),
                    message: format!(
                        "its run {} was trained with another config than point {}/{total} \
                         gives now ({d}); runs are never reused for another config: use \
                         another --out",
                        SweepDir::run_relative(point),
                        point.index + 1
                    ),
                });
            }
            Ok(action)
        })
        .collect()
}

/// Runs (or continues) `sweep` in `dir`.
pub fn run_sweep(
    sweep: &Sweep,
    dir: &SweepDir,
    observer: &mut dyn SweepObserver,
) -> Result<SweepOutcome> {
    let started = Instant::now();
    dir.prepare(&sweep.text, &sweep.manifest())?;
    let actions = plan(sweep, dir)?;
    let total = actions.len();
    let count = |a: PointAction| actions.iter().filter(|&&x| x == a).count();
    let mut outcome = SweepOutcome {
        trained: 0,
        resumed: 0,
        skipped: count(PointAction::Skip),
        diverged: 0,
    };
    observer.sweep(SweepEvent::Planned {
        dir: &dir.path,
        total,
        finished: outcome.skipped,
        resume: count(PointAction::Resume),
        train: count(PointAction::Train),
    });
    let mut to_train = total - outcome.skipped;
    let mut done = 0;
    let mut eta = Eta::default();
    // Finished points first, so that the first estimate can use them.
    for (point, _) in sweep
        .grid
        .points
        .iter()
        .zip(&actions)
        .filter(|(_, a)| **a == PointAction::Skip)
    {
        eta.record(train_seconds(&dir.run(point))?);
    }
    for ((point, config), &action) in sweep.grid.points.iter().zip(&sweep.configs).zip(&actions) {
        let index = point.index + 1;
        let run = dir.run(point);
        if action == PointAction::Skip {
            done += 1;
            observer.sweep(SweepEvent::PointSkipped {
                index,
                total,
                name: &point.name,
            });
            continue;
        }
        observer.sweep(SweepEvent::PointStarted {
            index,
            total,
            name: &point.name,
            action,
            done,
            left_seconds: eta.left(to_train),
        });
        let point_started = Instant::now();
        let trained = match action {
            PointAction::Resume => train::resume(run.clone(), &mut *observer),
            _ => train::train_new(config.clone(), run.clone(), &mut *observer),
        };
        let trained = match trained {
            Err(cochlea_trainer::Error::Diverged(message)) => {
                let path = run.diverged();
                write_string_atomically(&path, &format!("{message}\n")).at(&path)?;
                outcome.diverged += 1;
                done += 1;
                to_train -= 1;
                observer.sweep(SweepEvent::PointDiverged {
                    index,
                    total,
                    name: &point.name,
                    message: &message,
                });
                continue;
            }
            other => other.map_err(|e| Error::Point {
                index,
                name: point.name.clone(),
                message: e.to_string(),
            })?,
        };
        let seconds = point_started.elapsed().as_secs_f64();
        match action {
            PointAction::Resume => {
                outcome.resumed += 1;
                eta.record(train_seconds(&run)?);
            }
            _ => {
                outcome.trained += 1;
                eta.record(seconds);
            }
        }
        done += 1;
        to_train -= 1;
        observer.sweep(SweepEvent::PointFinished {
            index,
            total,
            name: &point.name,
            seconds,
            metrics: &trained.report.metrics(),
            done,
            left_seconds: eta.left(to_train),
        });
    }
    observer.sweep(SweepEvent::Finished {
        trained: outcome.trained + outcome.resumed,
        skipped: outcome.skipped,
        seconds: started.elapsed().as_secs_f64(),
    });
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPERIMENT: &str = "[data]\nroot = \"d\"\n[sweep]\nseed = [1, 2, 3]\n";

    #[test]
    fn existing_runs_are_skipped_resumed_or_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let sweep = Sweep::parse(EXPERIMENT, &[], "exp.toml").unwrap();
        let dir = SweepDir::new(tmp.path().join("s"));
        assert_eq!(plan(&sweep, &dir).unwrap(), [PointAction::Train; 3]);
        // Point 1 finished, point 2 started.
        for (i, finished) in [(0, true), (1, false)] {
            let run = dir.run(&sweep.grid.points[i]);
            std::fs::create_dir_all(&run.path).unwrap();
            std::fs::write(run.config(), sweep.configs[i].to_toml().unwrap()).unwrap();
            if finished {
                std::fs::write(run.final_metrics(), "{}").unwrap();
            }
        }
        assert_eq!(
            plan(&sweep, &dir).unwrap(),
            [PointAction::Skip, PointAction::Resume, PointAction::Train]
        );
        // A run that diverged counts as finished.
        let diverged = dir.run(&sweep.grid.points[2]);
        std::fs::create_dir_all(&diverged.path).unwrap();
        std::fs::write(diverged.config(), sweep.configs[2].to_toml().unwrap()).unwrap();
        std::fs::write(diverged.diverged(), "loss became NaN\n").unwrap();
        assert_eq!(plan(&sweep, &dir).unwrap()[2], PointAction::Skip);
        // A run of another config is refused, naming the key.
        let run = dir.run(&sweep.grid.points[1]);
        std::fs::write(run.config(), sweep.configs[2].to_toml().unwrap()).unwrap();
        let e = plan(&sweep, &dir).unwrap_err().to_string();
        assert!(
            e.contains("its run runs/seed=2 was trained with another config than point 2/3")
                && e.contains("`seed` = 2 for this point, = 3 in the run's config.toml")
                && e.contains("use another --out"),
            "{e}"
        );
    }
}
