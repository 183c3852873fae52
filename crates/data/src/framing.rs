//! Frame arithmetic of a frontend: frame `i` covers samples
//! `i * hop .. i * hop + frame_length` and has the timestamp `i / fps` with
//! `fps = sample_rate / hop` (the Jamendo convention, LITERATURE.md §4).
//!
//! Written once here and used wherever frames, samples and seconds are
//! converted: labelling frames, cutting excerpts and chunks, padding songs.

/// How a frontend cuts a waveform into frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framing {
    /// Samples per frame.
    pub frame_length: usize,
    /// Samples between consecutive frames.
    pub hop: usize,
    /// Sample rate in Hz.
    pub sample_rate: u32,
}

impl Framing {
    /// Frames produced from `samples` samples (0 if shorter than one frame).
    pub fn frames(&self, samples: usize) -> usize {
        if samples < self.frame_length {
            0
        } else {
            1 + (samples - self.frame_length) / self.hop
        }
    }

    /// Samples needed for exactly `frames` frames (at least one frame's worth).
    pub fn samples_for(&self, frames: usize) -> usize {
        self.frame_length + frames.saturating_sub(1) * self.hop
    }

    /// Frames per second.
    pub fn fps(&self) -> f64 {
        self.sample_rate as f64 / self.hop as f64
    }

    /// Seconds spanned by `frames` frames.
    pub fn seconds_for(&self, frames: usize) -> f64 {
        self.samples_for(frames) as f64 / self.sample_rate as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVD: Framing = Framing {
        frame_length: 1024,
        hop: 315,
        sample_rate: 22050,
    };

    #[test]
    fn frames_and_samples_invert_each_other() {
        assert_eq!(SVD.frames(1023), 0);
        assert_eq!(SVD.frames(1024), 1);
        assert_eq!(SVD.frames(1024 + 314), 1);
        assert_eq!(SVD.frames(1024 + 315), 2);
        for frames in 1..300 {
            let samples = SVD.samples_for(frames);
            assert_eq!(SVD.frames(samples), frames);
            assert_eq!(SVD.frames(samples - 1), frames - 1);
        }
        // 115 frames of the SVD CNN: 36,934 samples, about 1.67 s.
        assert_eq!(SVD.samples_for(115), 36_934);
        assert!((SVD.fps() - 70.0).abs() < 1e-12);
    }
}
