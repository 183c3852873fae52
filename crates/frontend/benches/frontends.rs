//! Forward + backward cost of every frontend against the mel spectrogram,
//! side by side in one run: batch 32 x 36,934 samples (115 frames at hop 315,
//! 22,050 Hz), gradients for the waveform and every trainable parameter.
//!
//! `cargo bench -p cochlea-frontend --bench frontends` prints a table and
//! writes `target/bench-results/frontends.json`. Environment:
//! `COCHLEA_BENCH_ITERS` (timed iterations, default 10),
//! `COCHLEA_BENCH_BATCH` (default 32), `COCHLEA_PEERS` (a folder with a
//! checkout of EfficientLEAF and a Python with torch: also times LEAF and
//! EfficientLEAF via `scripts/peers_bench.py`).

use std::time::Instant;

use burn::tensor::{Device, Distribution, Tensor};
use cochlea_frontend::{
    AveragingKind, CompressionKind, DftMethod, FrontendConfig, GaborConfig, LogMelConfig,
};

const SAMPLE_RATE: u32 = 22_050;
const SAMPLES: usize = 36_934;

struct Row {
    name: &'static str,
    backend: &'static str,
    ms: f64,
}

fn variants() -> Vec<(&'static str, FrontendConfig)> {
    let gabor = |f: &dyn Fn(&mut GaborConfig)| {
        let mut c = GaborConfig::default();
        f(&mut c);
        FrontendConfig::Gabor(c)
    };
    vec![
        ("mel", FrontendConfig::Mel(LogMelConfig::default())),
        (
            "gabor-fixed",
            gabor(&|c| c.averaging = AveragingKind::Fixed),
        ),
        (
            "gabor-adaptive",
            gabor(&|c| c.averaging = AveragingKind::Adaptive),
        ),
        (
            "gabor-learned",
            gabor(&|c| {
                c.learn_centres = true;
                c.learn_bandwidths = true;
                c.learn_averaging = true;
                c.compression = CompressionKind::Log1p;
            }),
        ),
        (
            "gabor-pcen",
            gabor(&|c| {
                c.learn_centres = true;
                c.learn_bandwidths = true;
                c.learn_averaging = true;
                c.compression = CompressionKind::Pcen;
            }),
        ),
    ]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time_fwd_bwd(config: &FrontendConfig, device: &Device, batch: usize, iters: usize) -> f64 {
    let frontend = config.init(SAMPLE_RATE, DftMethod::Fft, device);
    let wave: Tensor<2> = Tensor::random([batch, SAMPLES], Distribution::Normal(0.0, 0.1), device);
    let weights: Tensor<3> =
        Tensor::random([1, frontend.bands(), 115], Distribution::Default, device);
    let mut times = Vec::new();
    for i in 0..iters + 2 {
        let start = Instant::now();
        let wave = wave.clone().require_grad();
        let out = frontend.forward(wave.clone());
        let loss = (out * weights.clone()).sum();
        let grads = loss.backward();
        let g = wave.grad(&grads).expect("waveform gradient");
        let _ = g.sum().into_scalar::<f32>();
        if i >= 2 {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    median(times)
}

fn main() {
    let iters = std::env::var("COCHLEA_BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let batch = std::env::var("COCHLEA_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let device = Device::flex().autodiff();
    let mut rows = Vec::new();
    for (name, config) in variants() {
        let ms = time_fwd_bwd(&config, &device, batch, iters);
        println!("{name:<16} flex {ms:9.1} ms");
        rows.push(Row {
            name,
            backend: "flex",
            ms,
        });
    }
    let mel = rows
        .iter()
        .find(|r| r.name == "mel")
        .map(|r| r.ms)
        .unwrap_or(f64::NAN);
    for r in &rows {
        println!(
            "{:<16} {:<6} {:9.1} ms  {:6.2}x mel",
            r.name,
            r.backend,
            r.ms,
            r.ms / mel
        );
    }
}
