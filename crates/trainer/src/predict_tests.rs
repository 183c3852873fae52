//! Streaming in windows against one pass over the whole signal, for every
//! frontend: the features ([`crate::features::band_rows`]) and the
//! frame-wise predictions ([`predict_frames`]) of a signal streamed in
//! small blocks through small windows must equal those of the whole signal
//! at once: with the STFT frontends to float rounding (1e-5), with the
//! Gabor frontend to the accuracy with which its frequency-domain
//! evaluation follows the FFT length (1e-5 at `support = 5`, PCEN included;
//! 5e-3 of the energies within 30 dB of the peak at the default support);
//! and tagging's consecutive chunks must be the chunks cut from the whole
//! signal, bit for bit.

use burn::tensor::activation::sigmoid;
use burn::tensor::{Tensor, TensorData};
use cochlea_data::{SampleSource, SliceSource, chunk_at};
use cochlea_model::Classifier;

use super::*;
use crate::chunk_stream::{CHUNK_BATCH, consecutive_starts, predict_consecutive_chunks};
use crate::config::ExperimentConfig;
use crate::features::band_rows;
use crate::framing::framing_of;
use crate::run::build_classifier;
use cochlea_frontend::host::to_f32_vec;

const RATE: u32 = 22050;

/// An inference-mode singing-voice classifier with this `[frontend]` table.
fn classifier(frontend: &str) -> Classifier {
    let config = ExperimentConfig::parse(
        &format!(
            "[data]\nroot = \"unused\"\n[frontend]\n{frontend}\n[task]\nexcerpt_frames = 40\n"
        ),
        &[],
        "t",
    )
    .unwrap();
    let device = config.backend.device().unwrap();
    build_classifier(&config, &device).unwrap()
}

/// Tones gliding in pitch, noise bursts and a stretch 20 dB quieter.
fn signal(seconds: f64) -> Vec<f32> {
    let n = (seconds * f64::from(RATE)) as usize;
    let mut state = 12345u32;
    (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(RATE);
            let f = 220.0 * (1.0 + 0.5 * (0.3 * t).sin());
            let phase = 2.0 * std::f64::consts::PI * f * t;
            let tone = 0.3 * phase.sin() + 0.1 * (3.0 * phase).sin();
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise =
                (state as f64 / u32::MAX as f64 - 0.5) * if (t % 2.0) < 0.3 { 0.8 } else { 0.01 };
            let level = if (4.0..5.5).contains(&t) { 0.1 } else { 1.0 };
            (level * (tone + noise)) as f32
        })
        .collect()
}

/// The frontend on the whole signal at once, `[bands][frames]`.
fn whole_features(model: &Classifier, samples: &[f32]) -> Vec<Vec<f32>> {
    let device = model.frontend.standardize().device();
    let wave = Tensor::<2>::from_data(
        TensorData::new(samples.to_vec(), [1, samples.len()]),
        &device,
    );
    let features = model.frontend.forward(wave);
    let [_, bands, frames] = features.dims();
    let values = to_f32_vec(features.reshape([bands, frames]), "features").unwrap();
    values.chunks(frames).map(<[f32]>::to_vec).collect()
}

/// Frame-wise probabilities of one pass over the whole signal: its features
/// padded with silence, every excerpt through the network at once.
fn whole_predictions(model: &Classifier, samples: &[f32]) -> Vec<f32> {
    let device = model.frontend.standardize().device();
    let excerpt = model.excerpt_frames();
    let left = excerpt / 2;
    let wave = Tensor::<2>::from_data(
        TensorData::new(samples.to_vec(), [1, samples.len()]),
        &device,
    );
    let features = model.frontend.forward(wave);
    let frames = features.dims()[2];
    let silence = silence_features(model);
    let padded = Tensor::cat(
        vec![
            silence.clone().repeat_dim(2, left),
            features,
            silence.repeat_dim(2, excerpt - 1 - left),
        ],
        2,
    );
    let logits = model.forward_every_excerpt(padded);
    to_f32_vec(sigmoid(logits.slice([0..frames, 0..1])), "predictions").unwrap()
}

/// Largest |a - b| / max(|a|, |b|, 1): relative for values beyond ±1,
/// absolute below (standardised features and probabilities are O(1)).
fn worst_difference(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(&x, &y)| f64::from((x - y).abs()) / f64::from(x.abs().max(y.abs()).max(1.0)))
        .fold(0.0, f64::max)
}

/// Largest difference of log energies (the relative difference of the
/// energies) over the frames within 30 dB of their band's loudest frame.
fn worst_loud_difference(whole: &[Vec<f32>], windowed: &[Vec<f32>]) -> f64 {
    let range = 30.0 / 10.0 * std::f32::consts::LN_10;
    let mut worst = 0f64;
    for (a, b) in whole.iter().zip(windowed) {
        assert_eq!(a.len(), b.len());
        let peak = a.iter().copied().fold(f32::MIN, f32::max);
        for (&x, &y) in a.iter().zip(b) {
            if x > peak - range {
                worst = worst.max(f64::from((x - y).abs()));
            }
        }
    }
    worst
}

fn flat(rows: &[Vec<f32>]) -> Vec<f32> {
    rows.iter().flatten().copied().collect()
}

/// Features `[bands][frames]` (standardised or not) and voice
/// probabilities of `samples` streamed in blocks of `block` through windows
/// keeping `span` frames.
fn streamed(
    model: &Classifier,
    samples: &[f32],
    (block, span): (usize, usize),
    standardized: bool,
) -> (Vec<Vec<f32>>, Vec<f32>) {
    let framing = framing_of(model, RATE);
    let mut source = SliceSource::new(samples, RATE, block);
    let (rows, read) =
        band_rows(&model.frontend, framing, &mut source, standardized, span).unwrap();
    assert_eq!(read, samples.len());
    let mut source = SliceSource::new(samples, RATE, block);
    let predicted = predict_frames(model, framing, &mut source, span).unwrap();
    assert_eq!(predicted.samples, samples.len());
    assert_eq!(predicted.prediction.rows, framing.frames(samples.len()));
    (rows, predicted.prediction.column(0))
}

/// Block sizes and window spans: tiny windows, odd blocks, single samples.
const STREAMS: [(usize, usize); 3] = [(997, 37), (50_000, 200), (1, 5)];

#[test]
fn stft_frontends_stream_as_the_whole_signal() {
    let x = signal(12.0);
    for frontend in [
        "kind = \"mel\"\nbands = 40",
        "kind = \"learnable-mel\"\nbands = 40",
    ] {
        let model = classifier(frontend);
        let features = whole_features(&model, &x);
        let predictions = whole_predictions(&model, &x);
        for stream in STREAMS {
            let (rows, p) = streamed(&model, &x, stream, true);
            // burn's FFT and matrix products round differently for other
            // shapes (up to 1e-6 here); nothing else differs.
            let f = worst_difference(&flat(&features), &flat(&rows));
            let q = worst_difference(&predictions, &p);
            assert!(
                f < 1e-5 && q < 1e-5,
                "{frontend:?} {stream:?}: features {f:e}, predictions {q:e}"
            );
        }
    }
}

#[test]
fn gabor_frontends_stream_as_the_whole_signal_to_their_fidelity() {
    let x = signal(12.0);
    // At support 5 the Gabor energies hardly depend on the FFT length
    // (within 0.04 % of the direct computation everywhere): the windows
    // must then agree with the whole pass where the energies are within
    // 30 dB of their band's peak to the accuracy of the averaging's Riemann
    // sum, whose grid is aligned with each buffer (about 1e-5, see
    // cochlea_frontend::time_averaging; 1.05e-5 measured), with log and with
    // PCEN, and the predictions to 1e-5.
    for frontend in [
        "kind = \"gabor\"\nbands = 40\nsupport = 5.0",
        "kind = \"gabor\"\nbands = 40\nsupport = 5.0\ncompression = \"pcen\"\nlearn_averaging = true",
    ] {
        let model = classifier(frontend);
        let pcen = frontend.contains("pcen");
        for stream in STREAMS.into_iter().take(2) {
            let (rows, p) = streamed(&model, &x, stream, !pcen);
            let whole = if pcen {
                whole_features(&model, &x)
            } else {
                unstandardized(&model, &x)
            };
            let f = if pcen {
                worst_difference(&flat(&whole), &flat(&rows))
            } else {
                worst_loud_difference(&whole, &rows)
            };
            let q = worst_difference(&whole_predictions(&model, &x), &p);
            eprintln!("{frontend:?} {stream:?}: features {f:e}, predictions {q:e}");
            assert!(
                f < 3e-5,
                "{frontend:?} {stream:?}: features differ by {f:e}"
            );
            assert!(
                q < 1e-5,
                "{frontend:?} {stream:?}: predictions differ by {q:e}"
            );
        }
    }
    // At the default support (3.5) a band's energy depends on the FFT
    // length through the truncation of its Gaussian response (the
    // frontend's documented fidelity, 0.2 % within 30 dB of the peak): one
    // window holding the whole signal is the whole pass exactly, smaller
    // windows agree to that fidelity.
    let model = classifier("kind = \"gabor\"\nbands = 40\ncompression = \"log1p\"");
    let (rows, p) = streamed(&model, &x, (4096, 10_000), true);
    assert_eq!(flat(&rows), flat(&whole_features(&model, &x)));
    assert_eq!(p, whole_predictions(&model, &x));
    let model = classifier("kind = \"gabor\"\nbands = 40");
    let (rows, _) = streamed(&model, &x, (997, 37), false);
    let f = worst_loud_difference(&unstandardized(&model, &x), &rows);
    eprintln!("support 3.5, windows of 37 frames: energies within 30 dB differ by {f:e}");
    assert!(f < 5e-3, "{f:e}");
}

/// The frontend's output before standardisation, `[bands][frames]`.
fn unstandardized(model: &Classifier, samples: &[f32]) -> Vec<Vec<f32>> {
    let device = model.frontend.standardize().device();
    let wave = Tensor::<2>::from_data(
        TensorData::new(samples.to_vec(), [1, samples.len()]),
        &device,
    );
    let features = model.frontend.unstandardized(wave);
    let [_, bands, frames] = features.dims();
    let values = to_f32_vec(features.reshape([bands, frames]), "features").unwrap();
    values.chunks(frames).map(<[f32]>::to_vec).collect()
}

#[test]
fn tagging_chunks_stream_as_cut_from_the_whole_signal() {
    let config = ExperimentConfig::parse(
        "[data]\nroot = \"unused\"\n[task]\nkind = \"tagging\"\nchunk_frames = 128\n\
         tags = [\"a\", \"b\", \"c\"]\n[model]\nchannels = [8, 8, 8, 8, 8, 8, 8]\ndense = 16\n",
        &[],
        "t",
    )
    .unwrap();
    let device = config.backend.device().unwrap();
    let model = build_classifier(&config, &device).unwrap();
    let chunk = framing_of(&model, 16000).samples_for(128);
    for len in [
        chunk / 2,
        chunk,
        3 * chunk,
        3 * chunk + 1000,
        20 * chunk - 7,
    ] {
        let x: Vec<f32> = signal(len as f64 / f64::from(RATE))
            .into_iter()
            .take(len)
            .collect();
        // The reference: each chunk cut from the whole signal, in batches.
        let starts = consecutive_starts(x.len(), chunk);
        let mut want = Vec::new();
        for group in starts.chunks(CHUNK_BATCH) {
            let mut waves = Vec::new();
            for &s in group {
                chunk_at(&x, s, chunk, &mut waves);
            }
            let wave =
                Tensor::<2>::from_data(TensorData::new(waves, [group.len(), chunk]), &device);
            want.extend(to_f32_vec(sigmoid(model.forward(wave)), "chunks").unwrap());
        }
        for block in [1, 999, chunk, 1 << 20] {
            let mut source = SliceSource::new(&x, 16000, block);
            let got = predict_consecutive_chunks(&model, &mut source, chunk).unwrap();
            assert_eq!(got.starts, starts, "{len} samples in blocks of {block}");
            assert_eq!(got.samples, x.len());
            assert_eq!(
                got.prediction.values, want,
                "{len} samples in blocks of {block}"
            );
            assert!(!source.read(&mut Vec::new()).unwrap());
        }
    }
}
