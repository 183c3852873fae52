//! TensorBoard event files (scalars), via tensorboard-rs.
//!
//! Written to `<run>/tensorboard/`; TensorBoard reads them with
//! `tensorboard --logdir <run>/tensorboard`. A resumed run writes a new event
//! file in the same folder; TensorBoard merges them.

use std::path::Path;

use tensorboard_rs::summary_writer::SummaryWriter;

/// Scalar logger.
pub struct Board {
    writer: SummaryWriter,
}

impl Board {
    /// Opens (creating) the event folder.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            writer: SummaryWriter::new(dir),
        })
    }

    /// Records `value` under `tag` at `step`.
    pub fn scalar(&mut self, tag: &str, value: f64, step: usize) {
        if value.is_finite() {
            self.writer.add_scalar(tag, value as f32, step);
        }
    }

    /// Writes pending events to disk.
    pub fn flush(&mut self) {
        self.writer.flush();
    }
}
