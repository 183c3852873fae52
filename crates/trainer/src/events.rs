//! What training reports while it runs. The library never prints: it hands
//! each [`Event`] to an [`Observer`], and the binary decides how to show it
//! (a progress bar on a terminal, log lines otherwise).

use std::path::Path;

use cochlea_data::Preparation;

use crate::epoch_log::EpochRecord;

/// Something that happened during training.
pub enum Event<'a> {
    /// The dataset was checked or generated.
    DatasetReady {
        /// The dataset folder.
        root: &'a Path,
        /// What was done.
        preparation: &'a Preparation,
    },
    /// Training resumes from a checkpoint.
    Resuming {
        /// The run directory.
        run: &'a Path,
        /// Epochs the checkpoint covers.
        epochs_done: usize,
    },
    /// Training and validation data are in memory.
    DataLoaded {
        /// e.g. `24 training and 8 validation songs`.
        description: String,
        /// Seconds it took.
        seconds: f64,
    },
    /// An epoch starts.
    EpochStarted {
        /// 1-based epoch.
        epoch: usize,
        /// Planned epochs.
        epochs: usize,
        /// Batches in the epoch.
        batches: usize,
    },
    /// A batch was trained.
    Batch {
        /// Batches done in this epoch.
        done: usize,
        /// Running mean of the training loss.
        mean_loss: f64,
    },
    /// An epoch ended (after validation and its checkpoint).
    EpochFinished {
        /// The epoch's record, as logged.
        record: &'a EpochRecord,
        /// The task's validation summary, if it validated.
        validation: Option<&'a str>,
    },
    /// The model was chosen and evaluated on the test split.
    Finished {
        /// Wall seconds of the whole run (this process).
        seconds: f64,
        /// The run directory.
        run: &'a Path,
        /// The epoch whose model the run kept.
        selected_epoch: usize,
    },
}

/// Receives training events.
pub trait Observer {
    /// Called for every event, in order.
    fn event(&mut self, event: Event<'_>);
}

/// An observer that ignores everything (for tests and library use).
pub struct Silent;

impl Observer for Silent {
    fn event(&mut self, _: Event<'_>) {}
}
