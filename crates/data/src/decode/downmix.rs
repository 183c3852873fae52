//! Interleaved frames averaged into mono, every sample checked to be
//! finite: a NaN or infinity is [`DataError::NonFiniteSample`] naming its
//! frame and channel. The mono samples go to whatever buffer the caller
//! hands each [`Downmix::push`], so a decoder can stream them block by block.

use std::path::{Path, PathBuf};

use crate::error::{DataError, Result};

/// Averages interleaved frames into mono, checking every sample is finite.
pub(super) struct Downmix {
    path: PathBuf,
    channels: usize,
    /// Complete frames mixed so far (the index of the frame being mixed).
    frames: usize,
    acc: f64,
    channel: usize,
}

impl Downmix {
    /// A mix of `channels` channels for `path`.
    pub(super) fn new(path: &Path, channels: usize) -> Self {
        Downmix {
            path: path.to_owned(),
            channels,
            frames: 0,
            acc: 0.0,
            channel: 0,
        }
    }

    /// Adds the next interleaved sample; a completed frame's mean goes to `out`.
    #[inline]
    pub(super) fn push(&mut self, sample: f32, out: &mut Vec<f32>) -> Result<()> {
        if !sample.is_finite() {
            return Err(DataError::NonFiniteSample {
                path: self.path.clone(),
                index: self.frames,
                channel: self.channel,
            });
        }
        self.acc += f64::from(sample);
        self.channel += 1;
        if self.channel == self.channels {
            out.push((self.acc / self.channels as f64) as f32);
            self.frames += 1;
            self.acc = 0.0;
            self.channel = 0;
        }
        Ok(())
    }

    /// Whether the last frame is incomplete.
    pub(super) fn partial(&self) -> bool {
        self.channel != 0
    }

    /// Channels per frame.
    pub(super) fn channels(&self) -> usize {
        self.channels
    }

    /// Complete frames mixed so far.
    pub(super) fn frames(&self) -> usize {
        self.frames
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode_file;
    use super::super::testing::{spec, tempdir, write_wav};
    use super::*;

    #[test]
    fn frames_are_averaged_and_an_unfinished_frame_is_seen() {
        let path = Path::new("x.wav");
        let mut mix = Downmix::new(path, 3);
        let mut out = Vec::new();
        for s in [0.25f32, 0.5, -0.75, 1.0, 1.0] {
            mix.push(s, &mut out).unwrap();
        }
        assert!(mix.partial());
        mix.push(0.25, &mut out).unwrap();
        assert!(!mix.partial());
        assert_eq!(mix.channels(), 3);
        assert_eq!(mix.frames(), 2);
        assert_eq!(out, vec![0.0, 0.75]);
    }

    #[test]
    fn nan_and_inf_samples_are_errors_with_their_index() {
        let dir = tempdir("nan");
        let path = dir.join("n.wav");
        // stereo frames: (0,0) (0.5,0.5) (0.1, NaN)
        let data = [0.0f32, 0.0, 0.5, 0.5, 0.1, f32::NAN];
        write_wav(&path, spec(2, 32, hound::SampleFormat::Float), &data);
        let err = decode_file(&path).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::NonFiniteSample {
                    index: 2,
                    channel: 1,
                    ..
                }
            ),
            "{err}"
        );
        let data = [0.0f32, f32::NEG_INFINITY];
        write_wav(&path, spec(1, 32, hound::SampleFormat::Float), &data);
        let err = decode_file(&path).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::NonFiniteSample {
                    index: 1,
                    channel: 0,
                    ..
                }
            ),
            "{err}"
        );
    }
}
