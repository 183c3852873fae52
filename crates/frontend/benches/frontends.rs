//! Forward + backward cost of every frontend against the mel spectrogram,
//! side by side in one run: a batch of 32 excerpts of 36,934 samples (115
//! frames at hop 315, 22,050 Hz), gradients for the waveform and for every
//! trainable parameter, median of repeated runs.
//!
//! `cargo bench -p cochlea-frontend --bench frontends` prints a table of
//! milliseconds and ratios to `mel` on the same backend (the frontends take
//! turns, and the ratio is the median of the per-turn ratios, so that a
//! busy spell of a shared machine does not favour one of them), and writes
//! `target/bench-results/frontends.json`. With `--features wgpu` the same
//! runs on the GPU too, after a parity check of every frontend's output and
//! gradients against Flex.
//!
//! The bench restarts itself with glibc's `MALLOC_MMAP_THRESHOLD_` and
//! `MALLOC_TRIM_THRESHOLD_` raised, as `cochlea` does, so that timings
//! measure computation, not the kernel zero-filling fresh pages
//! (`cochlea_frontend::heap`; `COCHLEA_SYSTEM_MALLOC=1` turns this off).
//!
//! Environment: `COCHLEA_BENCH_ITERS` (timed runs, default 10),
//! `COCHLEA_BENCH_BATCH` (default 32), `COCHLEA_BENCH_BACKENDS` (e.g.
//! `flex,wgpu`; default every compiled one), `COCHLEA_PEERS` (a folder with a
//! checkout of CPJKU/EfficientLEAF, and `python3` with torch: also times LEAF
//! and EfficientLEAF in PyTorch on the same batch through
//! `scripts/peers_bench.py`; otherwise the published figures are printed,
//! marked as quoted).

use std::path::{Path, PathBuf};
use std::process::Command;

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::{Device, Distribution, Gradients, Tensor, TensorData};
use cochlea_frontend::{
    AveragingKind, CompressionKind, DftMethod, Frontend, FrontendConfig, GaborConfig,
    HostReadError, LearnableMelConfig, LogMelConfig, cost, to_f32_vec,
};

const SAMPLE_RATE: u32 = 22_050;
const SAMPLES: usize = 36_934;
const FRAMES: usize = 115;

/// One measured frontend.
struct Row {
    name: String,
    backend: String,
    ms: f64,
    ratio: f64,
}

/// The frontends, named by kind.
fn variants() -> Vec<(&'static str, FrontendConfig)> {
    let gabor = |f: &dyn Fn(&mut GaborConfig)| {
        let mut c = GaborConfig::default();
        f(&mut c);
        FrontendConfig::Gabor(c)
    };
    vec![
        ("mel", FrontendConfig::Mel(LogMelConfig::default())),
        (
            "learnable-mel",
            FrontendConfig::LearnableMel(LearnableMelConfig::default()),
        ),
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
            "gabor-leaf",
            gabor(&|c| {
                c.learn_centres = true;
                c.learn_bandwidths = true;
                c.learn_averaging = true;
                c.compression = CompressionKind::Pcen;
            }),
        ),
    ]
}

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The backends compiled in and selected by `COCHLEA_BENCH_BACKENDS`.
fn backends() -> Vec<(&'static str, Device)> {
    let wanted = std::env::var("COCHLEA_BENCH_BACKENDS").unwrap_or_default();
    let take = |name: &str| wanted.is_empty() || wanted.split(',').any(|w| w.trim() == name);
    let mut list = Vec::new();
    if take("flex") {
        list.push(("flex", Device::flex().autodiff()));
    }
    #[cfg(feature = "wgpu")]
    if take("wgpu") {
        list.push((
            "wgpu",
            Device::wgpu(burn::tensor::DeviceKind::DefaultDevice).autodiff(),
        ));
    }
    list
}

/// Deterministic inputs: waveforms and the weights of the scalar loss.
fn inputs(batch: usize, bands: usize) -> Result<(Vec<f32>, Vec<f32>), HostReadError> {
    let device = Device::flex();
    device.seed(7);
    let wave: Tensor<2> = Tensor::random([batch, SAMPLES], Distribution::Normal(0.0, 0.1), &device);
    let weights: Tensor<2> = Tensor::random([bands, FRAMES], Distribution::Default, &device);
    Ok((
        to_f32_vec(wave, "the bench waveforms")?,
        to_f32_vec(weights, "the bench loss weights")?,
    ))
}

/// Features, the waveform gradient and every parameter gradient, flattened.
struct Pass {
    features: Vec<f32>,
    gradients: Vec<f32>,
}

/// One forward + backward pass; with `read`, the results come back to the host.
fn pass(
    frontend: &Frontend,
    wave: &[f32],
    weights: &[f32],
    device: &Device,
    read: bool,
) -> Result<Option<Pass>, HostReadError> {
    let batch = wave.len() / SAMPLES;
    if !read {
        cost::forward_backward(frontend, wave, batch, Some(weights), device)?;
        return Ok(None);
    }
    let wave: Tensor<2> =
        Tensor::<2>::from_data(TensorData::new(wave.to_vec(), [batch, SAMPLES]), device)
            .require_grad();
    let features = frontend.forward(wave.clone());
    let grads = cost::weighted_loss(features.clone(), Some(weights), device).backward();
    let wave_grad = wave.grad(&grads).expect("the waveform has a gradient");
    let mut gradients = to_f32_vec(wave_grad, "the waveform gradient")?;
    let mut collector = GradientCollector {
        grads: &grads,
        values: Ok(Vec::new()),
    };
    frontend.visit(&mut collector);
    gradients.extend(collector.values?);
    Ok(Some(Pass {
        features: to_f32_vec(features, "the features")?,
        gradients,
    }))
}

/// Collects the gradient of every trainable parameter, in visiting order
/// (or the first that could not be read).
struct GradientCollector<'a> {
    grads: &'a Gradients,
    values: Result<Vec<f32>, HostReadError>,
}

impl ModuleVisitor for GradientCollector<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if let (Some(grad), Ok(values)) = (param.grad(self.grads), &mut self.values) {
            match to_f32_vec(grad, "a parameter gradient") {
                Ok(g) => values.extend(g),
                Err(e) => self.values = Err(e),
            }
        }
    }
}

/// Times every frontend `iters` times, round-robin ([`cost::round_robin`]);
/// returns per frontend the median milliseconds and the median of its
/// per-round ratios to the first (mel).
fn time_round_robin(
    frontends: &[(&'static str, Frontend)],
    inputs: &[(Vec<f32>, Vec<f32>)],
    device: &Device,
    iters: usize,
) -> Result<Vec<(f64, f64)>, HostReadError> {
    let timings = cost::round_robin(frontends.len(), iters, |i| {
        pass(&frontends[i].1, &inputs[i].0, &inputs[i].1, device, false).map(|_| ())
    })?;
    Ok(timings.iter().map(|t| (t.ms, t.ratio_to_first)).collect())
}

/// Largest difference relative to the largest magnitude.
fn relative_difference(a: &[f32], b: &[f32]) -> f64 {
    let scale = a.iter().fold(0f32, |m, v| m.max(v.abs())).max(1e-30) as f64;
    let worst = a.iter().zip(b).fold(0f32, |m, (x, y)| m.max((x - y).abs())) as f64;
    worst / scale
}

fn workspace_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target")
}

fn write_json(rows: &[Row], peers: &[(String, f64, &'static str)]) {
    let dir = workspace_target().join("bench-results");
    let frontends: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "    {{\"name\": \"{}\", \"backend\": \"{}\", \"ms\": {:.3}, \"ratio_to_mel\": {:.3}}}",
                r.name, r.backend, r.ms, r.ratio
            )
        })
        .collect();
    let peers: Vec<String> = peers
        .iter()
        .map(|(name, ratio, source)| {
            format!("    {{\"name\": \"{name}\", \"ratio_to_mel\": {ratio:.2}, \"source\": \"{source}\"}}")
        })
        .collect();
    let text = format!(
        "{{\n  \"batch\": {},\n  \"samples\": {SAMPLES},\n  \"frontends\": [\n{}\n  ],\n  \"peers\": [\n{}\n  ]\n}}\n",
        env_or("COCHLEA_BENCH_BATCH", 32usize),
        frontends.join(",\n"),
        peers.join(",\n")
    );
    let path = dir.join("frontends.json");
    let written = std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(dir.join("frontends.json.tmp"), text))
        .and_then(|_| std::fs::rename(dir.join("frontends.json.tmp"), &path));
    match written {
        Ok(()) => println!("\nwrote {}", path.display()),
        Err(e) => eprintln!("\ncould not write {}: {e}", path.display()),
    }
}

/// LEAF and EfficientLEAF in PyTorch, measured if `COCHLEA_PEERS` is set,
/// else the published figures.
fn peers(batch: usize, iters: usize) -> Vec<(String, f64, &'static str)> {
    if let Ok(dir) = std::env::var("COCHLEA_PEERS") {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/peers_bench.py");
        let out = Command::new("python3")
            .arg(script)
            .args(["--efficientleaf", &dir])
            .args([
                "--batch",
                &batch.to_string(),
                "--samples",
                &SAMPLES.to_string(),
            ])
            .args(["--iters", &iters.to_string()])
            .output();
        match out {
            Ok(out) if out.status.success() => {
                let text = String::from_utf8_lossy(&out.stdout);
                let measured: Vec<(String, f64, &'static str)> = text
                    .lines()
                    .filter_map(|line| {
                        let (name, ratio) = line.split_once(' ')?;
                        Some((
                            name.to_string(),
                            ratio.trim().parse().ok()?,
                            "measured (PyTorch)",
                        ))
                    })
                    .collect();
                if !measured.is_empty() {
                    return measured;
                }
                eprintln!("scripts/peers_bench.py printed no ratios:\n{text}");
            }
            Ok(out) => eprintln!(
                "scripts/peers_bench.py failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => eprintln!("could not run python3: {e}"),
        }
    }
    vec![
        (
            "efficientleaf-best".into(),
            5.0,
            "quoted: issue #4, PyTorch, 2 threads, this machine",
        ),
        (
            "efficientleaf-default".into(),
            87.0,
            "quoted: issue #4, PyTorch, 2 threads, this machine",
        ),
        (
            "leaf".into(),
            425.0,
            "quoted: issue #4, PyTorch, 2 threads, this machine",
        ),
        (
            "efficientleaf-readme".into(),
            10.0,
            "quoted: EfficientLEAF README",
        ),
        ("leaf-readme".into(), 300.0, "quoted: EfficientLEAF README"),
    ]
}

fn main() {
    cochlea_frontend::heap::keep_freed_memory();
    if let Err(e) = run() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

/// Times every frontend on every selected backend and writes the results.
fn run() -> Result<(), HostReadError> {
    let iters = env_or("COCHLEA_BENCH_ITERS", 10usize).max(1);
    let batch = env_or("COCHLEA_BENCH_BATCH", 32usize).max(1);
    println!("frontend forward + backward, batch {batch} x {SAMPLES} samples, median of {iters}\n");
    let backends = backends();
    let mut rows: Vec<Row> = Vec::new();
    for (backend, device) in &backends {
        let mut frontends = Vec::new();
        let mut data = Vec::new();
        for (name, config) in variants() {
            let frontend = config.init(SAMPLE_RATE, DftMethod::Fft, device);
            let (wave, weights) = inputs(batch, frontend.bands())?;
            if *backend != "flex" {
                let flex = Device::flex().autodiff();
                let reference = config.init(SAMPLE_RATE, DftMethod::Fft, &flex);
                let (ours, theirs) = (
                    pass(&frontend, &wave, &weights, device, true)?,
                    pass(&reference, &wave, &weights, &flex, true)?,
                );
                if let (Some(a), Some(b)) = (ours, theirs) {
                    println!(
                        "  parity {name} {backend} vs flex: features {:.1e}, gradients {:.1e} \
                         (relative to the largest value)",
                        relative_difference(&b.features, &a.features),
                        relative_difference(&b.gradients, &a.gradients)
                    );
                }
            }
            frontends.push((name, frontend));
            data.push((wave, weights));
        }
        for ((name, _), (ms, ratio)) in frontends
            .iter()
            .zip(time_round_robin(&frontends, &data, device, iters)?)
        {
            println!("{name:<16} {backend:<6} {ms:9.1} ms {ratio:7.2} x mel");
            rows.push(Row {
                name: name.to_string(),
                backend: backend.to_string(),
                ms,
                ratio,
            });
        }
    }
    let peers = peers(batch, iters);
    println!("\npeers (PyTorch), times the mel spectrogram:");
    for (name, ratio, source) in &peers {
        println!("{name:<22} {ratio:7.1} x mel   ({source})");
    }
    write_json(&rows, &peers);
    Ok(())
}
