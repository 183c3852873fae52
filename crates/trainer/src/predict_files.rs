//! `cochlea predict`: a trained run on audio files of any length, each
//! streamed from disk ([`cochlea_data::AudioStream`]: decoded, downmixed and
//! resampled as training's data was, a block at a time) through the
//! frontend and network in windows, so memory does not grow with the file.
//!
//! Singing voice, per file `<name>`:
//! - `<name>.csv`: `time,probability,filtered`, one row per frame (time
//!   `i / fps` in seconds; the network's voice probability; the same after
//!   the run's median filter, `task.median_filter`);
//! - `<name>.lab`: the sung and unsung segments (Jamendo format, as
//!   [`cochlea_data::read_lab`] reads it): frames whose filtered
//!   probability exceeds the run's threshold (the one its `metrics.json`
//!   reports, chosen on the validation split; 0.5 with a warning when the
//!   run has none), the last segment ending at the end of the audio. Read
//!   back with [`cochlea_data::frame_labels`] it gives exactly those frames.
//!
//! These are the numbers `evaluate` computes for a dataset's songs: the
//! same windows ([`crate::tasks::SingingVoiceConfig::chunk_frames`]) over
//! the same samples.
//!
//! Tagging, per file (see [`crate::chunk_stream`] for the chunks):
//! - `<name>.windows.csv`: `start,end,<tag>...`, one row per consecutive
//!   chunk of `task.chunk_frames` frames (seconds; sigmoid outputs);
//! - `<name>.tags.csv`: `tag,score`, the mean of the chunks' outputs, in
//!   the run's tag order.
//!
//! `evaluate` scores a clip differently: the mean of 16 evenly spaced
//! chunks (Won et al.'s protocol, `task.eval_chunks`), which overlap on a
//! short clip; on a clip a few chunks long the two agree closely but not
//! exactly.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cochlea_data::atomic::write_string_atomically;
use cochlea_data::{AudioStream, Framing, Segment, format_lab};
use cochlea_model::Classifier;

use crate::chunk_stream::predict_consecutive_chunks;
use crate::config::ExperimentConfig;
use crate::error::{Error, IoContext, Result};
use crate::framing::framing_of;
use crate::metrics::median_filter;
use crate::predict::predict_frames;
use crate::predict_inputs::PredictInput;
use crate::run::RunDir;
use crate::tasks::TaskConfig;
use crate::tasks::singing_voice_report::Evaluation;

/// The threshold used when a run has no `metrics.json` to take it from.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// A run loaded for prediction.
pub struct Predictor {
    model: Classifier,
    framing: Framing,
    task: PredictTask,
    warnings: Vec<String>,
}

/// What the run predicts, with its settings.
enum PredictTask {
    SingingVoice {
        median: usize,
        threshold: f32,
        span: usize,
    },
    Tagging {
        tags: Vec<String>,
        chunk: usize,
    },
}

/// What one file's prediction found.
#[derive(Debug, Clone, PartialEq)]
pub enum Summary {
    /// Singing voice: frames, the share of them sung, the sung segments.
    Voice {
        /// Frames predicted.
        frames: usize,
        /// Fraction of frames above the threshold after filtering.
        sung_fraction: f64,
        /// Sung segments.
        sung_segments: usize,
    },
    /// Tagging: chunks and the highest-scoring tags (at most five).
    Tags {
        /// Chunks predicted.
        chunks: usize,
        /// `(tag, score)`, best first.
        top: Vec<(String, f32)>,
    },
}

/// One file's prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct FileResult {
    /// Seconds of audio.
    pub seconds: f64,
    /// The files written.
    pub outputs: Vec<PathBuf>,
    /// What was found.
    pub summary: Summary,
}

impl Predictor {
    /// Loads the final model of `run` and its prediction settings.
    pub fn open(run: &RunDir) -> Result<Self> {
        let config: ExperimentConfig = run.load_config()?;
        let device = config.backend.device().map_err(Error::Config)?;
        let model = run.load_model(&config, &device)?;
        let framing = framing_of(&model, config.data.sample_rate);
        let mut warnings = Vec::new();
        let task = match &config.task {
            TaskConfig::SingingVoice(c) => {
                let metrics = run.final_metrics();
                let stored = std::fs::read_to_string(&metrics)
                    .ok()
                    .and_then(|json| Evaluation::from_json(&json).ok());
                let threshold = match stored {
                    Some(e) => e.threshold,
                    None => {
                        warnings.push(format!(
                            "{} holds no singing-voice report: using the threshold {DEFAULT_THRESHOLD} \
                             (`cochlea evaluate` on the run writes one)",
                            metrics.display()
                        ));
                        DEFAULT_THRESHOLD
                    }
                };
                PredictTask::SingingVoice {
                    median: c.median_filter,
                    threshold,
                    span: c.chunk_frames(framing),
                }
            }
            TaskConfig::Tagging(c) => PredictTask::Tagging {
                tags: c.tags.clone().ok_or_else(|| Error::Run {
                    path: run.path.clone(),
                    message: "its config.toml lists no task.tags: it was not written by training"
                        .into(),
                })?,
                chunk: framing.samples_for(c.chunk_frames),
            },
        };
        Ok(Self {
            model,
            framing,
            task,
            warnings,
        })
    }

    /// Warnings about the settings (a default threshold).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The settings in one line.
    pub fn describe(&self) -> String {
        match &self.task {
            PredictTask::SingingVoice {
                median, threshold, ..
            } => format!(
                "singing voice at {} Hz: median filter {median} frames, threshold {threshold}",
                self.framing.sample_rate
            ),
            PredictTask::Tagging { tags, chunk } => format!(
                "tagging at {} Hz: {} tags, chunks of {:.2} s",
                self.framing.sample_rate,
                tags.len(),
                *chunk as f64 / f64::from(self.framing.sample_rate)
            ),
        }
    }

    /// Predicts `input` and writes its results under `out`.
    pub fn predict(&self, input: &PredictInput, out: &Path) -> Result<FileResult> {
        let rate = self.framing.sample_rate;
        let mut stream = AudioStream::open(&input.audio, rate)?;
        match &self.task {
            PredictTask::SingingVoice {
                median,
                threshold,
                span,
            } => {
                let predicted = predict_frames(&self.model, self.framing, &mut stream, *span)?;
                let seconds = predicted.samples as f64 / f64::from(rate);
                if predicted.prediction.rows == 0 {
                    return Err(Error::Other(format!(
                        "{} is {} samples long at {rate} Hz, shorter than one frame ({} samples)",
                        input.audio.display(),
                        predicted.samples,
                        self.framing.frame_length
                    )));
                }
                let raw = predicted.prediction.column(0);
                let filtered = median_filter(&raw, *median);
                let fps = self.framing.fps();
                let segments = segments(&filtered, *threshold, fps, seconds);
                let csv = output_path(out, &input.name, "csv");
                write_text(&csv, &frame_csv(&raw, &filtered, fps))?;
                let lab = output_path(out, &input.name, "lab");
                write_text(&lab, &format_lab(&segments))?;
                let sung = filtered.iter().filter(|&&p| p > *threshold).count();
                Ok(FileResult {
                    seconds,
                    outputs: vec![csv, lab],
                    summary: Summary::Voice {
                        frames: raw.len(),
                        sung_fraction: sung as f64 / raw.len() as f64,
                        sung_segments: segments.iter().filter(|s| s.sung).count(),
                    },
                })
            }
            PredictTask::Tagging { tags, chunk } => {
                let predicted = predict_consecutive_chunks(&self.model, &mut stream, *chunk)?;
                let seconds = predicted.samples as f64 / f64::from(rate);
                let scores = predicted.mean();
                let windows = output_path(out, &input.name, "windows.csv");
                let mut text = format!("start,end,{}\n", csv_fields(tags));
                for (row, &start) in predicted.starts.iter().enumerate() {
                    // A recording shorter than a chunk is one padded chunk.
                    let end = (start + chunk).min(predicted.samples);
                    let _ = write!(
                        text,
                        "{:.6},{:.6}",
                        start as f64 / f64::from(rate),
                        end as f64 / f64::from(rate)
                    );
                    let outputs = predicted.prediction.outputs;
                    for value in &predicted.prediction.values[row * outputs..(row + 1) * outputs] {
                        let _ = write!(text, ",{value}");
                    }
                    text.push('\n');
                }
                write_text(&windows, &text)?;
                let track = output_path(out, &input.name, "tags.csv");
                let mut text = String::from("tag,score\n");
                for (tag, score) in tags.iter().zip(&scores) {
                    let _ = writeln!(text, "{},{score}", csv_field(tag));
                }
                write_text(&track, &text)?;
                let mut top: Vec<(String, f32)> = tags.iter().cloned().zip(scores).collect();
                top.sort_by(|a, b| b.1.total_cmp(&a.1));
                top.truncate(5);
                Ok(FileResult {
                    seconds,
                    outputs: vec![track, windows],
                    summary: Summary::Tags {
                        chunks: predicted.starts.len(),
                        top,
                    },
                })
            }
        }
    }
}

/// The sung and unsung segments of frames with `filtered` probabilities:
/// frame `i` (at `i / fps` s) is sung when above `threshold`; segments
/// alternate, the last ends at `seconds` (or after the last frame).
pub fn segments(filtered: &[f32], threshold: f32, fps: f64, seconds: f64) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut start = 0;
    for i in 1..=filtered.len() {
        let sung = filtered[start] > threshold;
        if i == filtered.len() || (filtered[i] > threshold) != sung {
            let end = if i == filtered.len() {
                seconds.max(i as f64 / fps)
            } else {
                i as f64 / fps
            };
            out.push(Segment {
                start: start as f64 / fps,
                end,
                sung,
            });
            start = i;
        }
    }
    out
}

/// `time,probability,filtered` rows.
fn frame_csv(raw: &[f32], filtered: &[f32], fps: f64) -> String {
    let mut text = String::with_capacity(32 * raw.len() + 32);
    text.push_str("time,probability,filtered\n");
    for (i, (p, f)) in raw.iter().zip(filtered).enumerate() {
        let _ = writeln!(text, "{:.6},{p},{f}", i as f64 / fps);
    }
    text
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv_fields(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",")
}

/// `<out>/<name>.<suffix>` (the suffix appended, never replacing part of the name).
pub fn output_path(out: &Path, name: &Path, suffix: &str) -> PathBuf {
    let mut file = out.join(name).into_os_string();
    file.push(".");
    file.push(suffix);
    PathBuf::from(file)
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).at(parent)?;
    }
    write_string_atomically(path, text).at(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cochlea_data::frame_labels;

    #[test]
    fn segments_give_back_the_thresholded_frames() {
        let fps = 70.0;
        let filtered = [0.1f32, 0.9, 0.9, 0.5, 0.50001, 0.2, 0.7];
        let seconds = 0.11;
        let s = segments(&filtered, 0.5, fps, seconds);
        let sung: Vec<bool> = s.iter().map(|s| s.sung).collect();
        assert_eq!(sung, [false, true, false, true, false, true]);
        assert_eq!((s[1].start, s[1].end), (1.0 / fps, 3.0 / fps));
        assert_eq!(s.last().unwrap().end, seconds);
        let labels = frame_labels(&s, filtered.len(), fps);
        let want: Vec<f32> = filtered
            .iter()
            .map(|&p| f32::from(u8::from(p > 0.5)))
            .collect();
        assert_eq!(labels, want);
        // Through the .lab text and back.
        let read = cochlea_data::parse_lab(format_lab(&s).as_bytes(), Path::new("x.lab")).unwrap();
        assert_eq!(frame_labels(&read, filtered.len(), fps), want);
    }

    #[test]
    fn outputs_append_their_suffix_and_fields_are_quoted() {
        let p = output_path(Path::new("out"), Path::new("a/y.OGG"), "tags.csv");
        assert_eq!(p, Path::new("out/a/y.OGG.tags.csv"));
        assert_eq!(csv_field("hard rock"), "hard rock");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
