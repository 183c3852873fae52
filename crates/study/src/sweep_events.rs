//! What a sweep reports while it runs: the plan, each point as it starts,
//! is skipped or finishes, with the runs done of the total and an estimate
//! of the time left. The library never prints: a [`SweepObserver`] (which
//! also receives every training event of the point being trained) decides
//! how to show them.
//!
//! The estimate is the mean duration of the points done so far times the
//! points still to train: a point trained from scratch in this invocation
//! counts with its wall time (data loading, epochs, evaluation); a point
//! finished earlier or resumed counts with its epochs' logged seconds
//! (see [`crate::run_time`]). Before any point is done there is none.

use std::collections::BTreeMap;
use std::path::Path;

use cochlea_trainer::events::{Event, Observer};

/// What the runner does with a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointAction {
    /// No run yet: train from scratch.
    Train,
    /// A run was started but not finished: resume it from its newest checkpoint.
    Resume,
    /// The run is finished: nothing to do.
    Skip,
}

/// Something that happened in a sweep.
pub enum SweepEvent<'a> {
    /// The sweep folder is ready and every run's state is known.
    Planned {
        /// The sweep folder.
        dir: &'a Path,
        /// Points in the grid.
        total: usize,
        /// Points already finished.
        finished: usize,
        /// Points to resume.
        resume: usize,
        /// Points to train from scratch.
        train: usize,
    },
    /// A point's training starts (or resumes).
    PointStarted {
        /// 1-based point number.
        index: usize,
        /// Points in the grid.
        total: usize,
        /// The point's name.
        name: &'a str,
        /// Train or resume.
        action: PointAction,
        /// Points finished so far.
        done: usize,
        /// Estimated seconds until the sweep ends, if there is an estimate.
        left_seconds: Option<f64>,
    },
    /// A finished point is skipped.
    PointSkipped {
        /// 1-based point number.
        index: usize,
        /// Points in the grid.
        total: usize,
        /// The point's name.
        name: &'a str,
    },
    /// A point's run finished and was evaluated.
    PointFinished {
        /// 1-based point number.
        index: usize,
        /// Points in the grid.
        total: usize,
        /// The point's name.
        name: &'a str,
        /// Wall seconds this invocation spent on it.
        seconds: f64,
        /// Its test metrics.
        metrics: &'a BTreeMap<String, f64>,
        /// Points finished so far (this one included).
        done: usize,
        /// Estimated seconds until the sweep ends.
        left_seconds: Option<f64>,
    },
    /// A point's training diverged (non-finite loss): recorded as the
    /// run's `diverged.txt`, the point counts as done without figures, and
    /// the sweep goes on.
    PointDiverged {
        /// 1-based point number.
        index: usize,
        /// Points in the grid.
        total: usize,
        /// The point's name.
        name: &'a str,
        /// What the trainer said.
        message: &'a str,
    },
    /// Every point is finished.
    Finished {
        /// Points trained or resumed by this invocation.
        trained: usize,
        /// Points skipped as finished before.
        skipped: usize,
        /// Wall seconds of this invocation.
        seconds: f64,
    },
}

/// Receives sweep events, and the training events of each point.
pub trait SweepObserver: Observer {
    /// Called for every sweep event, in order.
    fn sweep(&mut self, event: SweepEvent<'_>);
}

/// An observer that ignores everything (for tests and library use).
pub struct SilentSweep;

impl Observer for SilentSweep {
    fn event(&mut self, _: Event<'_>) {}
}

impl SweepObserver for SilentSweep {
    fn sweep(&mut self, _: SweepEvent<'_>) {}
}

/// The time-left estimate (see the module docs).
#[derive(Debug, Default, Clone)]
pub struct Eta {
    durations: Vec<f64>,
}

impl Eta {
    /// Records the duration of a point that is done.
    pub fn record(&mut self, seconds: f64) {
        if seconds.is_finite() && seconds >= 0.0 {
            self.durations.push(seconds);
        }
    }

    /// Seconds for `remaining` more points; `None` before any is recorded.
    pub fn left(&self, remaining: usize) -> Option<f64> {
        if self.durations.is_empty() {
            return None;
        }
        let mean = self.durations.iter().sum::<f64>() / self.durations.len() as f64;
        Some(mean * remaining as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_is_the_mean_duration_times_the_points_left() {
        let mut eta = Eta::default();
        assert_eq!(eta.left(3), None);
        eta.record(10.0);
        eta.record(20.0);
        eta.record(f64::NAN);
        assert_eq!(eta.left(3), Some(45.0));
        assert_eq!(eta.left(0), Some(0.0));
    }
}
