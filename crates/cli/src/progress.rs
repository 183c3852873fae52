//! How `cochlea train` shows training events: a progress bar per epoch on a
//! terminal, plain log lines otherwise (CI logs, files, pipes), and one line
//! per finished epoch either way.

use std::io::IsTerminal;

use cochlea_data::Preparation;
use cochlea_trainer::events::{Event, Observer};
use indicatif::{ProgressBar, ProgressStyle};

/// Prints training events to stderr.
#[derive(Default)]
pub struct Console {
    bar: Option<ProgressBar>,
    epoch: usize,
    epochs: usize,
    batches: usize,
}

impl Console {
    fn start_epoch(&mut self, epoch: usize, epochs: usize, batches: usize) {
        self.epoch = epoch;
        self.epochs = epochs;
        self.batches = batches;
        self.bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(batches as u64);
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
    }

    fn batch(&self, done: usize, loss: f64) {
        match &self.bar {
            Some(bar) => {
                bar.set_position(done as u64);
                bar.set_message(format!("loss {loss:.4}"));
            }
            None => {
                let step = (self.batches / 4).max(1);
                if done.is_multiple_of(step) && done < self.batches {
                    eprintln!(
                        "epoch {}/{}: {done}/{} batches, loss {loss:.4}",
                        self.epoch, self.epochs, self.batches
                    );
                }
            }
        }
    }
}

impl Observer for Console {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::DatasetReady { root, preparation } => {
                if let Preparation::Generated { what } = preparation {
                    eprintln!(
                        "generated synthetic dataset ({what}) into {}",
                        root.display()
                    );
                }
            }
            Event::Resuming { run, epochs_done } => {
                eprintln!("resuming {} after epoch {epochs_done}", run.display());
            }
            Event::DataLoaded {
                description,
                seconds,
            } => eprintln!("loaded {description} in {seconds:.1} s"),
            Event::EpochStarted {
                epoch,
                epochs,
                batches,
            } => self.start_epoch(epoch, epochs, batches),
            Event::Batch { done, mean_loss } => self.batch(done, mean_loss),
            Event::EpochFinished { record, validation } => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
                let valid = validation.map(|v| format!(", {v}")).unwrap_or_default();
                eprintln!(
                    "epoch {}: train loss {:.4}{valid}, lr {:.2e}, {:.1} excerpts/s, {:.1} s",
                    record.epoch,
                    record.train_loss,
                    record.learning_rate,
                    record.excerpts_per_second,
                    record.seconds
                );
            }
            Event::Finished {
                seconds,
                run,
                selected_epoch,
            } => {
                if selected_epoch != self.epochs && self.epochs > 0 {
                    eprintln!("kept the model of epoch {selected_epoch} (lowest validation loss)");
                }
                eprintln!(
                    "training and evaluation took {seconds:.1} s; run directory {}",
                    run.display()
                );
            }
        }
    }
}
