//! Overlapping windows over a long signal, for a frontend (and a network
//! after it) that must give every frame what a pass over the whole signal
//! gives, in bounded memory.
//!
//! Each window *keeps* up to `span` consecutive frames (the windows tile the
//! signal's frames); its results for them need the features of `need.0`
//! frames before and `need.1` after (a network's receptive field: half an
//! excerpt either side), padded with silence beyond the signal as the
//! whole-signal pass pads; and each of those feature frames needs the
//! frontend's context ([`FrameContext`]) either side. So a window runs the
//! frontend on
//!
//! ```text
//! computed = [features.start - before, features.end + after) ∩ [0, frames)
//! features = [kept.start - need.0, kept.end + need.1) ∩ [0, frames)
//! ```
//!
//! i.e. on samples `computed.start * hop ..` up to the end of frame
//! `computed.end - 1`, or to the signal's end where `computed` was cut by
//! it (so the last frames see the same trailing samples as the whole pass).
//!
//! A window can be placed before the signal's length is known: when the
//! samples known so far reach past the end of its uncut `computed` range,
//! it is an interior window whatever the length; otherwise it waits for
//! more samples or the end. The windows are thus a function of the signal
//! alone, never of how its samples arrived ([`WindowPlan::window`]).

use std::ops::Range;

use cochlea_data::Framing;
use cochlea_frontend::FrameContext;

/// How a signal is cut into windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowPlan {
    /// The frontend's framing.
    pub framing: Framing,
    /// Frames kept per window (at least 1).
    pub span: usize,
    /// Feature frames needed before and after the kept ones.
    pub need: (usize, usize),
    /// The frontend's context.
    pub context: FrameContext,
}

/// One window of a [`WindowPlan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Frames whose results the window gives.
    pub kept: Range<usize>,
    /// Feature frames the results use (inside the signal).
    pub features: Range<usize>,
    /// Frames the frontend computes.
    pub computed: Range<usize>,
    /// Samples the frontend is run on (`computed.start * hop ..`).
    pub samples: Range<usize>,
    /// Silent feature frames before and after `features` (beyond the signal).
    pub silence: (usize, usize),
}

impl Window {
    /// `features` relative to `computed`: which frontend frames to use.
    pub fn used(&self) -> Range<usize> {
        self.features.start - self.computed.start..self.features.end - self.computed.start
    }
}

/// What [`WindowPlan::window`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// The window, whose samples are all known.
    Ready(Window),
    /// More samples are needed to place it.
    Wait,
    /// No frames are left: the signal's windows are done.
    Done,
}

impl WindowPlan {
    /// The window keeping frames from `first`, when `available` samples of
    /// the signal are known and `length` is its length once it is known.
    pub fn window(&self, first: usize, available: usize, length: Option<usize>) -> Placement {
        let (left, right) = self.need;
        let FrameContext { before, after } = self.context;
        let span = self.span.max(1);
        let uncut_end = first + span + right + after;
        // An interior window: everything it needs lies inside the signal.
        let frames = if self.framing.samples_for(uncut_end) <= available {
            uncut_end
        } else if let Some(len) = length {
            self.framing.frames(len)
        } else {
            return Placement::Wait;
        };
        if first >= frames {
            return Placement::Done;
        }
        let kept = first..(first + span).min(frames);
        let features = first.saturating_sub(left)..(kept.end + right).min(frames);
        let computed = features.start.saturating_sub(before)..(features.end + after).min(frames);
        let cut = computed.end < features.end + after;
        let end = match length {
            Some(len) if cut => len,
            _ => self.framing.samples_for(computed.end),
        };
        Placement::Ready(Window {
            samples: computed.start * self.framing.hop..end,
            silence: (
                (features.start + left) - kept.start,
                (kept.end + right) - features.end,
            ),
            kept,
            features,
            computed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAMING: Framing = Framing {
        frame_length: 8,
        hop: 3,
        sample_rate: 100,
    };

    /// Every window of a signal of `len` samples, placing each as soon as
    /// the known samples allow, with samples arriving `step` at a time.
    fn windows(plan: &WindowPlan, len: usize, step: usize) -> Vec<Window> {
        let mut out = Vec::new();
        let (mut first, mut available) = (0, 0);
        loop {
            let length = (available == len).then_some(len);
            match plan.window(first, available, length) {
                Placement::Ready(w) => {
                    assert!(w.samples.end <= available, "{w:?} beyond {available}");
                    first = w.kept.end;
                    out.push(w);
                }
                Placement::Wait => available = (available + step).min(len),
                Placement::Done => return out,
            }
        }
    }

    #[test]
    fn windows_tile_the_frames_with_their_needs_and_context() {
        for (span, need, context) in [
            (
                5,
                (2, 1),
                FrameContext {
                    before: 3,
                    after: 2,
                },
            ),
            (1, (0, 0), FrameContext::default()),
            (
                7,
                (4, 3),
                FrameContext {
                    before: 0,
                    after: 6,
                },
            ),
            (
                100,
                (2, 2),
                FrameContext {
                    before: 1,
                    after: 1,
                },
            ),
        ] {
            let plan = WindowPlan {
                framing: FRAMING,
                span,
                need,
                context,
            };
            for len in [0, 7, 8, 9, 10, 11, 40, 41, 42, 43, 97] {
                let frames = FRAMING.frames(len);
                let ws = windows(&plan, len, 1);
                let kept: Vec<usize> = ws.iter().flat_map(|w| w.kept.clone()).collect();
                assert_eq!(kept, (0..frames).collect::<Vec<_>>(), "{plan:?} {len}");
                for w in &ws {
                    assert!(w.kept.len() <= span);
                    // The features and silence make up kept ± need exactly.
                    assert_eq!(
                        w.silence.0 + w.features.len() + w.silence.1,
                        w.kept.len() + need.0 + need.1
                    );
                    assert_eq!(w.features.start, w.kept.start.saturating_sub(need.0));
                    // Context either side, unless the signal ends first.
                    assert_eq!(
                        w.computed.start,
                        w.features.start.saturating_sub(context.before)
                    );
                    assert!(
                        w.computed.end == (w.features.end + context.after).min(frames)
                            && w.features.end == (w.kept.end + need.1).min(frames)
                    );
                    // The samples give exactly the computed frames.
                    assert_eq!(w.samples.start, w.computed.start * FRAMING.hop);
                    assert_eq!(FRAMING.frames(w.samples.len()), w.computed.len());
                    assert!(w.samples.end <= len);
                    assert_eq!(w.used().len(), w.features.len());
                }
            }
        }
    }

    #[test]
    fn windows_do_not_depend_on_how_the_samples_arrive() {
        let plan = WindowPlan {
            framing: FRAMING,
            span: 4,
            need: (3, 2),
            context: FrameContext {
                before: 2,
                after: 3,
            },
        };
        for len in [8, 30, 31, 32, 33, 100] {
            let one = windows(&plan, len, 1);
            for step in [2, 5, 17, 1000] {
                assert_eq!(windows(&plan, len, step), one, "len {len}, step {step}");
            }
            // Knowing the length from the start changes nothing either.
            let mut first = 0;
            let mut known = Vec::new();
            while let Placement::Ready(w) = plan.window(first, len, Some(len)) {
                first = w.kept.end;
                known.push(w);
            }
            assert_eq!(known, one, "len {len}");
        }
    }

    #[test]
    fn the_last_window_runs_to_the_end_of_the_signal() {
        let plan = WindowPlan {
            framing: FRAMING,
            span: 3,
            need: (0, 0),
            context: FrameContext {
                before: 0,
                after: 2,
            },
        };
        // 41 samples: 12 frames (the last ends at sample 41), 1 sample spare after 40.
        let ws = windows(&plan, 42, 1);
        let last = ws.last().unwrap();
        assert_eq!(last.kept, 9..12);
        assert_eq!(last.computed, 9..12);
        assert_eq!(last.samples, 27..42);
        // An interior window stops at its last computed frame's end.
        assert_eq!(ws[0].computed, 0..5);
        assert_eq!(ws[0].samples, 0..FRAMING.samples_for(5));
    }
}
