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

    /// Adds a block of interleaved samples, as [`Downmix::push`] on each in
    /// turn would (the same sums in the same order, so the same bits), with
    /// the finiteness check done first over the block when `check_finite`
    /// (integer samples are always finite).
    pub(super) fn push_block(
        &mut self,
        samples: &[f32],
        check_finite: bool,
        out: &mut Vec<f32>,
    ) -> Result<()> {
        if check_finite && let Some(i) = samples.iter().position(|s| !s.is_finite()) {
            let k = self.channel + i;
            return Err(DataError::NonFiniteSample {
                path: self.path.clone(),
                index: self.frames + k / self.channels,
                channel: k % self.channels,
            });
        }
        // Finish a frame left open by the last block.
        let head = if self.channel == 0 {
            0
        } else {
            (self.channels - self.channel).min(samples.len())
        };
        let (head, rest) = samples.split_at(head);
        for &s in head {
            self.push(s, out)?;
        }
        let whole = rest.len() / self.channels * self.channels;
        let (frames, tail) = rest.split_at(whole);
        let n = self.channels as f64;
        match self.channels {
            1 => out.extend(frames.iter().map(|&s| ((0.0 + f64::from(s)) / n) as f32)),
            2 => out.extend(
                frames
                    .chunks_exact(2)
                    .map(|f| ((0.0 + f64::from(f[0]) + f64::from(f[1])) / n) as f32),
            ),
            c => out.extend(frames.chunks_exact(c).map(|f| {
                let acc = f.iter().fold(0.0, |acc, &s| acc + f64::from(s));
                (acc / n) as f32
            })),
        }
        self.frames += whole / self.channels;
        for &s in tail {
            self.push(s, out)?;
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

    /// The frame and channel a [`DataError::NonFiniteSample`] names.
    fn non_finite_at(err: &DataError) -> Option<(usize, usize)> {
        match err {
            DataError::NonFiniteSample { index, channel, .. } => Some((*index, *channel)),
            _ => None,
        }
    }

    #[test]
    fn blocks_that_split_frames_mix_as_single_pushes_do() {
        let path = Path::new("x.wav");
        let samples: Vec<f32> = (0..23).map(|i| (i as f32 * 0.37).sin()).collect();
        for channels in 1..=4 {
            let (mut one, mut expect) = (Downmix::new(path, channels), Vec::new());
            for &s in &samples {
                one.push(s, &mut expect).unwrap();
            }
            let (mut blocks, mut got) = (Downmix::new(path, channels), Vec::new());
            for block in samples.chunks(5) {
                blocks.push_block(block, true, &mut got).unwrap();
            }
            assert_eq!(got, expect, "{channels} channels");
            assert_eq!(blocks.frames(), one.frames());
            assert_eq!(blocks.partial(), one.partial());
        }
        // A NaN in the second block, sample 7 overall: frame 2, channel 1.
        let mut mix = Downmix::new(path, 3);
        let mut out = Vec::new();
        mix.push_block(&samples[..5], true, &mut out).unwrap();
        let err = mix
            .push_block(&[0.0, 0.0, f32::NAN], true, &mut out)
            .unwrap_err();
        assert_eq!(non_finite_at(&err), Some((2, 1)), "{err}");
    }

    #[test]
    fn nan_and_inf_samples_are_errors_with_their_index() {
        let dir = tempdir("nan");
        let path = dir.join("n.wav");
        // stereo frames: (0,0) (0.5,0.5) (0.1, NaN)
        let data = [0.0f32, 0.0, 0.5, 0.5, 0.1, f32::NAN];
        write_wav(&path, spec(2, 32, hound::SampleFormat::Float), &data);
        let err = decode_file(&path).unwrap_err();
        assert_eq!(non_finite_at(&err), Some((2, 1)), "{err}");
        let data = [0.0f32, f32::NEG_INFINITY];
        write_wav(&path, spec(1, 32, hound::SampleFormat::Float), &data);
        let err = decode_file(&path).unwrap_err();
        assert_eq!(non_finite_at(&err), Some((1, 0)), "{err}");
    }
}
