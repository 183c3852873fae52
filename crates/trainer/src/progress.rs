//! Progress output: a progress bar on a terminal, plain log lines otherwise
//! (CI logs, files, pipes).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Reports batches within an epoch.
pub struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    epoch: usize,
    epochs: usize,
}

impl Progress {
    /// Starts reporting epoch `epoch` (1-based) of `epochs`, with `total` batches.
    pub fn epoch(epoch: usize, epochs: usize, total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "epoch {prefix} [{bar:30}] {pos}/{len} batches {msg} ({elapsed}, eta {eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_prefix(format!("{epoch}/{epochs}"));
            bar
        });
        Self {
            bar,
            total,
            epoch,
            epochs,
        }
    }

    /// One batch done with running mean loss `loss`.
    pub fn batch(&self, done: usize, loss: f64) {
        match &self.bar {
            Some(bar) => {
                bar.set_position(done as u64);
                bar.set_message(format!("loss {loss:.4}"));
            }
            None => {
                let step = (self.total / 4).max(1);
                if done.is_multiple_of(step) && done < self.total {
                    eprintln!(
                        "epoch {}/{}: {done}/{} batches, loss {loss:.4}",
                        self.epoch, self.epochs, self.total
                    );
                }
            }
        }
    }

    /// Ends the epoch's bar.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
