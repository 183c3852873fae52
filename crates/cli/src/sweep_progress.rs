//! How `cochlea sweep` shows its progress on stderr: a line when the plan is
//! known, one per point as it starts, is skipped or finishes (runs done of
//! the total, the estimated time left, the point's test metrics), and each
//! point's training as `cochlea train` shows it.

use cochlea_study::sweep_events::{PointAction, SweepEvent, SweepObserver};
use cochlea_trainer::events::{Event, Observer};

use crate::progress::Console;

/// Prints sweep and training events to stderr.
#[derive(Default)]
pub struct SweepConsole {
    training: Console,
}

impl Observer for SweepConsole {
    fn event(&mut self, event: Event<'_>) {
        self.training.event(event);
    }
}

impl SweepObserver for SweepConsole {
    fn sweep(&mut self, event: SweepEvent<'_>) {
        match event {
            SweepEvent::Planned {
                dir,
                total,
                finished,
                resume,
                train,
            } => eprintln!(
                "sweep folder {}: {total} points, {finished} finished, {resume} to resume, \
                 {train} to train",
                dir.display()
            ),
            SweepEvent::PointSkipped { index, total, name } => {
                eprintln!("[{index}/{total}] {name}: finished earlier, skipped");
            }
            SweepEvent::PointStarted {
                index,
                total,
                name,
                action,
                done,
                left_seconds,
            } => eprintln!(
                "[{index}/{total}] {name}: {} ({done} of {total} done{})",
                match action {
                    PointAction::Resume => "resuming",
                    _ => "training",
                },
                left(left_seconds)
            ),
            SweepEvent::PointFinished {
                index,
                total,
                name,
                seconds,
                metrics,
                done,
                left_seconds,
            } => {
                let figures: Vec<String> = metrics
                    .iter()
                    .map(|(name, value)| format!("{name} {value:.4}"))
                    .collect();
                eprintln!(
                    "[{index}/{total}] {name}: done in {} ({}); {done} of {total} done{}",
                    duration(seconds),
                    figures.join(", "),
                    left(left_seconds)
                );
            }
            SweepEvent::PointDiverged {
                index,
                total,
                name,
                message,
            } => eprintln!(
                "[{index}/{total}] {name}: training diverged ({message}); recorded, the sweep goes on"
            ),
            SweepEvent::Finished {
                trained,
                skipped,
                seconds,
            } => eprintln!(
                "sweep finished: {trained} runs trained, {skipped} finished before, in {}",
                duration(seconds)
            ),
        }
    }
}

/// `, about 3 min 20 s left`, or nothing without an estimate.
fn left(seconds: Option<f64>) -> String {
    match seconds {
        Some(s) if s > 0.0 => format!(", about {} left", duration(s)),
        _ => String::new(),
    }
}

/// `42 s`, `3 min 20 s`, `2 h 05 min`.
fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match s {
        0..60 => format!("{:.1} s", seconds.max(0.0)),
        60..3600 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}
