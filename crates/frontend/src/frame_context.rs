//! How far a frontend frame reaches: the frames either side of a frame
//! whose samples its value depends on. A frontend run on a stretch of a long
//! signal that starts `before` frames ahead of the first frame kept and
//! ends `after` frames beyond the last gives the kept frames as a pass over
//! the whole signal does, so long recordings can be processed in
//! overlapping windows of bounded length. (The Gabor frontend's FFT length
//! follows its input's, and its evaluation in the frequency domain depends
//! on that length to within its fidelity to the direct definition: 1e-5 at
//! `support = 5`, about 1e-3 within 30 dB of a band's peak at 3.5.)
//!
//! - mel and learnable mel: every frame is the spectrum of its own
//!   `n_fft` samples, so nothing either side;
//! - Gabor: the filters' and the averaging windows' reach
//!   ([`crate::filter_plan::FilterPlan::margin`] samples around the frame's
//!   centre) on both sides; with PCEN, the smoother's history before
//!   ([`crate::compression::Compression::history_frames`]: twice its
//!   kernel, which is cut at 1e-7 of its peak, so that the smoother's state
//!   at the first kept frame no longer depends on where the stretch began).

/// Frames of context a frame needs on each side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FrameContext {
    /// Frames before.
    pub before: usize,
    /// Frames after.
    pub after: usize,
}
