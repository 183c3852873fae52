//! Reads a [`SampleSource`] and hands out the windows of a [`WindowPlan`]
//! with their samples, keeping only what the current and later windows
//! need: memory is one window's samples plus one block of the source,
//! whatever the signal's length.

use cochlea_data::SampleSource;

use crate::error::Result;
use crate::frame_windows::{Placement, Window, WindowPlan};

/// The windows of a signal, in order.
pub struct FrameStream<'a> {
    plan: WindowPlan,
    source: &'a mut dyn SampleSource,
    /// Samples from `offset` on.
    buffer: Vec<f32>,
    offset: usize,
    /// The signal's length, once the source has ended.
    length: Option<usize>,
    /// First frame of the next window.
    next: usize,
}

impl<'a> FrameStream<'a> {
    /// The windows of `source` cut as `plan` says.
    pub fn new(plan: WindowPlan, source: &'a mut dyn SampleSource) -> Self {
        Self {
            plan,
            source,
            buffer: Vec::new(),
            offset: 0,
            length: None,
            next: 0,
        }
    }

    /// The next window and its samples; `None` after the last.
    pub fn next_window(&mut self) -> Result<Option<(Window, &[f32])>> {
        loop {
            let available = self.offset + self.buffer.len();
            match self.plan.window(self.next, available, self.length) {
                Placement::Ready(window) => {
                    // Later windows start no earlier: drop what lies before this one.
                    self.buffer.drain(..window.samples.start - self.offset);
                    self.offset = window.samples.start;
                    self.next = window.kept.end;
                    let samples = &self.buffer[..window.samples.len()];
                    return Ok(Some((window, samples)));
                }
                Placement::Done => return Ok(None),
                Placement::Wait => {
                    if !self.source.read(&mut self.buffer)? {
                        self.length = Some(self.offset + self.buffer.len());
                    }
                }
            }
        }
    }

    /// The signal's length in samples, once the last window was handed out.
    pub fn length(&self) -> Option<usize> {
        self.length
    }
}
