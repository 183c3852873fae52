//! Training throughput of cochlea against PyTorch, side by side in one run:
//! excerpts per second of one training step (forward from the waveform,
//! binary cross-entropy on the logits, backward, Adam) on the same batch
//! shape, the same model and the same number of threads.
//!
//! Models: the SVD CNN (batch 32 excerpts of 115 frames at 22,050 Hz) and
//! the short-chunk tagging CNN (batch 16 chunks of 231 frames at 16 kHz; the
//! quickstart's narrow channels and Won et al.'s full 128-512 channels),
//! each with the mel frontend and with the learned Gabor frontend
//! (centres, bandwidths and averaging learned, log1p compression).
//!
//! For each model the bench trains a one-batch run with the `cochlea`
//! binary (from the quickstart configs, so the synthetic datasets are made
//! once under `datasets/`) and exports it. Then, taking turns: cochlea times
//! its step in this process on the run's config, and
//! `scripts/training_peer.py` times PyTorch's on the exported model
//! (`python/cochlea_torch.py`, the same layers). Both use random waveforms
//! made before timing, so the data path is not in either figure (it is in
//! the `augment` bench). The ratio is the median of the per-turn ratios, so
//! that a busy spell of a shared machine does not favour one side. cochlea's
//! step is split into frontend forward, backbone and head forward, loss,
//! backward and the optimiser update (each timed after the previous one
//! finished: Flex computes eagerly).
//!
//! PyTorch runs twice per turn: as users run it (glibc's malloc defaults)
//! and with the heap settings `cochlea` gives itself
//! (`cochlea_frontend::heap`), which speed PyTorch up as well; both ratios
//! are printed. Without an importable `torch` the PyTorch figures measured
//! last on the reference machine are printed instead, marked as quoted.
//!
//! Prints a table and writes `target/bench-results/training.json`; never
//! asserts. Environment: `COCHLEA_BENCH_STEPS` (timed steps per turn,
//! default 8), `COCHLEA_BENCH_TURNS` (default 3), `COCHLEA_BENCH_THREADS`
//! (PyTorch's threads; default rayon's, which Flex uses),
//! `COCHLEA_BENCH_MODELS` (e.g. `svd-mel,tagging-mel`; default all).
//!
//! Like `cochlea`, the bench restarts itself with glibc's malloc settings
//! of `cochlea_frontend::heap` (`COCHLEA_SYSTEM_MALLOC=1`: the defaults).
//!
//! Run: `cargo bench -p cochlea --bench training`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use burn::optim::GradientsParams;
use burn::tensor::{Distribution, Tensor, TensorData};
use cochlea_trainer::ExperimentConfig;
use cochlea_trainer::checkpoint::adam;
use cochlea_trainer::learning_rate::learning_rates;
use cochlea_trainer::loss::bce_with_logits;
use cochlea_trainer::run::build_classifier;

/// The learned Gabor frontend, as a `--set` of the whole `[frontend]` table.
fn gabor(window: usize, hop: usize, bands: usize, fmin: f64, fmax: f64) -> String {
    format!(
        "frontend={{kind = \"gabor\", bands = {bands}, fmin = {fmin:.1}, fmax = {fmax:.1}, \
         window = {window}, hop = {hop}, averaging = \"fixed\", learn_centres = true, \
         learn_bandwidths = true, learn_averaging = true, compression = \"log1p\"}}"
    )
}

/// A benchmarked model: a quickstart config and overrides.
struct Model {
    name: &'static str,
    config: &'static str,
    overrides: Vec<String>,
}

fn models() -> Vec<Model> {
    let won = [
        "model.channels=[128, 128, 256, 256, 256, 256, 512]".to_string(),
        "model.dense=512".to_string(),
    ];
    vec![
        Model {
            name: "svd-mel",
            config: "experiments/quickstart.toml",
            overrides: vec![],
        },
        Model {
            name: "svd-gabor",
            config: "experiments/quickstart.toml",
            overrides: vec![gabor(1024, 315, 80, 27.5, 8000.0)],
        },
        Model {
            name: "tagging-mel",
            config: "experiments/tagging-quickstart.toml",
            overrides: vec![],
        },
        Model {
            name: "tagging-gabor",
            config: "experiments/tagging-quickstart.toml",
            overrides: vec![gabor(512, 256, 128, 0.0, 8000.0)],
        },
        Model {
            name: "tagging-won-mel",
            config: "experiments/tagging-quickstart.toml",
            overrides: won.to_vec(),
        },
    ]
}

const QUOTED_SOURCE: &str = "quoted (torch 2.15.0, 2026-12-02, glibc defaults)";

/// PyTorch's excerpts/s measured last on the reference machine (2 threads,
/// torch 2.15.0, 2026-12-02, glibc's malloc defaults): printed, marked as
/// quoted, without torch.
fn quoted(name: &str) -> Option<f64> {
    // Only the models measured under glibc's defaults; the others print "-".
    match name {
        "svd-mel" => Some(53.7),
        "tagging-mel" => Some(130.9),
        _ => None,
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn env_usize(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Trains a one-batch run of `model` and exports it; returns the run's
/// config and the exported weights.
fn prepare(model: &Model, dir: &Path) -> Result<(ExperimentConfig, PathBuf), String> {
    let run = dir.join(model.name);
    let weights = dir.join(format!("{}.safetensors", model.name));
    let mut train = Command::new(env!("CARGO_BIN_EXE_cochlea"));
    train
        .current_dir(root())
        .arg("train")
        .arg(model.config)
        .arg("--out")
        .arg(&run);
    for set in model
        .overrides
        .iter()
        .map(String::as_str)
        .chain(["train.epochs=1", "train.batches_per_epoch=1"])
    {
        train.arg("--set").arg(set);
    }
    let output = train.output().map_err(|e| format!("cochlea train: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cochlea train {}: {}",
            model.name,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let output = Command::new(env!("CARGO_BIN_EXE_cochlea"))
        .arg("export")
        .arg(&run)
        .arg("--out")
        .arg(&weights)
        .output()
        .map_err(|e| format!("cochlea export: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cochlea export {}: {}",
            model.name,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let config = ExperimentConfig::load(&run.join("config.toml"), &[])
        .map_err(|e| format!("{}: {e}", run.display()))?;
    Ok((config, weights))
}

/// Median seconds of each part of cochlea's step.
#[derive(Debug, Clone, Copy, Default)]
struct Parts {
    frontend: f64,
    backbone: f64,
    loss: f64,
    backward: f64,
    optimiser: f64,
}

impl Parts {
    fn total(&self) -> f64 {
        self.frontend + self.backbone + self.loss + self.backward + self.optimiser
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// cochlea's training step on `config`'s model: medians over `steps`.
fn time_cochlea(config: &ExperimentConfig, steps: usize) -> Result<(Parts, f64), String> {
    let device = config
        .backend
        .autodiff_device()
        .map_err(|e| format!("backend: {e}"))?;
    let mut model = build_classifier(config, &device).map_err(|e| e.to_string())?;
    let mut optimizer = adam(config.train.weight_decay);
    let rates = learning_rates(
        &model,
        config.train.learning_rate,
        config.train.frontend_lr_scale,
    );
    let batch = config.train.batch_size;
    let frames = model.excerpt_frames();
    let samples = model.frontend.frame_length() + (frames - 1) * model.frontend.hop();
    let outputs = model.outputs();
    let wave = Tensor::<2>::random([batch, samples], Distribution::Uniform(-0.5, 0.5), &device);
    let targets: Vec<f32> = (0..batch * outputs)
        .map(|i| (i % 3 == 0) as u8 as f32)
        .collect();
    let targets = Tensor::<2>::from_data(TensorData::new(targets, [batch, outputs]), &device);
    let mut parts: Vec<Parts> = Vec::new();
    let mut totals = Vec::new();
    for step in 0..steps + 1 {
        let started = Instant::now();
        let features = model.frontend.forward(wave.clone()); // [batch, bands, frames]
        let _ = features.clone().slice([0..1, 0..1, 0..1]).into_data();
        let t1 = Instant::now();
        let logits = model.forward_features(features); // [batch, outputs]
        let _ = logits.clone().into_data();
        let t2 = Instant::now();
        let loss = bce_with_logits(logits, targets.clone());
        let _ = loss.clone().into_data();
        let t3 = Instant::now();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let t4 = Instant::now();
        model = optimizer.step(rates.clone(), model, grads);
        let t5 = Instant::now();
        if step > 0 {
            // The first step warms caches and allocations.
            let secs = |a: Instant, b: Instant| (b - a).as_secs_f64();
            parts.push(Parts {
                frontend: secs(started, t1),
                backbone: secs(t1, t2),
                loss: secs(t2, t3),
                backward: secs(t3, t4),
                optimiser: secs(t4, t5),
            });
            totals.push(secs(started, t5));
        }
    }
    let pick = |f: fn(&Parts) -> f64| median(parts.iter().map(f).collect());
    Ok((
        Parts {
            frontend: pick(|p| p.frontend),
            backbone: pick(|p| p.backbone),
            loss: pick(|p| p.loss),
            backward: pick(|p| p.backward),
            optimiser: pick(|p| p.optimiser),
        },
        batch as f64 / median(totals),
    ))
}

/// PyTorch's excerpts/s on the exported model, or why not. `heap`: with
/// the glibc settings `cochlea` runs under (`cochlea_frontend::heap`), which
/// speed PyTorch up too; else as users run it, with glibc's defaults.
fn time_torch(
    weights: &Path,
    batch: usize,
    steps: usize,
    threads: usize,
    heap: bool,
) -> Result<(f64, String), String> {
    let mut cmd = Command::new("python3");
    if heap {
        cmd.envs(cochlea_frontend::heap::SETTINGS);
    } else {
        for (key, _) in cochlea_frontend::heap::SETTINGS {
            cmd.env_remove(key);
        }
    }
    let output = cmd
        .arg(root().join("scripts/training_peer.py"))
        .arg(weights)
        .args(["--batch", &batch.to_string()])
        .args(["--steps", &steps.to_string()])
        .args(["--threads", &threads.to_string()])
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    let line = String::from_utf8_lossy(&output.stdout);
    let value: serde_json::Value =
        serde_json::from_str(line.trim()).map_err(|e| format!("peer output {line:?}: {e}"))?;
    let eps = value["excerpts_per_second"]
        .as_f64()
        .ok_or_else(|| format!("peer output without excerpts_per_second: {line}"))?;
    let version = value["torch"].as_str().unwrap_or("?").to_string();
    Ok((eps, version))
}

/// One model's result.
struct Row {
    name: String,
    batch: usize,
    cochlea: f64,
    torch: f64,
    torch_heap: f64,
    torch_source: String,
    ratio: f64,
    ratio_heap: f64,
    parts: Parts,
}

fn main() {
    cochlea_frontend::heap::keep_freed_memory();
    let steps = env_usize("COCHLEA_BENCH_STEPS", 8).max(1);
    let turns = env_usize("COCHLEA_BENCH_TURNS", 3).max(1);
    let threads = env_usize("COCHLEA_BENCH_THREADS", rayon_threads());
    let only: Option<Vec<String>> = std::env::var("COCHLEA_BENCH_MODELS")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut rows = Vec::new();
    for model in models() {
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|n| n == model.name))
        {
            continue;
        }
        let (config, weights) = match prepare(&model, dir.path()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{}: skipped: {e}", model.name);
                continue;
            }
        };
        let batch = config.train.batch_size;
        let mut ours = Vec::new();
        let (mut theirs, mut theirs_heap) = (Vec::new(), Vec::new());
        let (mut ratios, mut ratios_heap) = (Vec::new(), Vec::new());
        let mut all_parts = Vec::new();
        let mut source = String::new();
        for turn in 0..turns {
            let (parts, eps) = match time_cochlea(&config, steps) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{}: cochlea failed: {e}", model.name);
                    break;
                }
            };
            ours.push(eps);
            all_parts.push(parts);
            let peer = match time_torch(&weights, batch, steps, threads, false) {
                Ok((t, version)) => {
                    source = format!("measured, torch {version}");
                    Some(t)
                }
                Err(e) => {
                    if turn == 0 {
                        eprintln!(
                            "{}: PyTorch not run ({e}); quoting the last measured figure",
                            model.name
                        );
                    }
                    source = QUOTED_SOURCE.into();
                    quoted(model.name)
                }
            };
            let peer_heap = if peer.is_some() && source != QUOTED_SOURCE {
                time_torch(&weights, batch, steps, threads, true)
                    .ok()
                    .map(|r| r.0)
            } else {
                None
            };
            if let Some(t) = peer {
                theirs.push(t);
                ratios.push(eps / t);
            }
            if let Some(t) = peer_heap {
                theirs_heap.push(t);
                ratios_heap.push(eps / t);
            }
            let show = |v: Option<f64>| v.map_or("-".into(), |t| format!("{t:.1}"));
            eprintln!(
                "{} turn {}: cochlea {eps:.1} excerpts/s, PyTorch {} (with cochlea's heap settings {})",
                model.name,
                turn + 1,
                show(peer),
                show(peer_heap),
            );
        }
        if ours.is_empty() {
            continue;
        }
        let mid = all_parts.len() / 2;
        all_parts.sort_by(|a, b| a.total().total_cmp(&b.total()));
        let middle = |v: Vec<f64>| if v.is_empty() { f64::NAN } else { median(v) };
        rows.push(Row {
            name: model.name.to_string(),
            batch,
            cochlea: median(ours),
            torch: middle(theirs),
            torch_heap: middle(theirs_heap),
            torch_source: source,
            ratio: middle(ratios),
            ratio_heap: middle(ratios_heap),
            parts: all_parts[mid],
        });
    }
    print_table(&rows, threads, steps, turns);
    write_json(&rows, threads);
}

/// The threads of rayon's global pool, which Flex computes on.
fn rayon_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

fn print_table(rows: &[Row], threads: usize, steps: usize, turns: usize) {
    println!(
        "\ntraining step, excerpts/s ({threads} threads, median of {steps} steps x {turns} turns)"
    );
    println!(
        "{:<16} {:>5} {:>9} {:>9} {:>7} {:>9} {:>7}   cochlea ms: frontend / backbone / loss / backward / Adam   PyTorch",
        "model", "batch", "cochlea", "PyTorch", "ratio", "PT+heap", "ratio"
    );
    for r in rows {
        let p = r.parts;
        println!(
            "{:<16} {:>5} {:>9.1} {:>9.1} {:>6.2}x {:>9.1} {:>6.2}x   {:.0} / {:.0} / {:.1} / {:.0} / {:.1}   {}",
            r.name,
            r.batch,
            r.cochlea,
            r.torch,
            r.ratio,
            r.torch_heap,
            r.ratio_heap,
            p.frontend * 1e3,
            p.backbone * 1e3,
            p.loss * 1e3,
            p.backward * 1e3,
            p.optimiser * 1e3,
            r.torch_source
        );
    }
}

fn write_json(rows: &[Row], threads: usize) {
    let dir = root().join("target/bench-results");
    let models: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "model": r.name,
                "batch": r.batch,
                "cochlea_excerpts_per_second": r.cochlea,
                "pytorch_excerpts_per_second": r.torch,
                "pytorch_source": r.torch_source,
                "ratio": r.ratio,
                "pytorch_with_cochlea_heap_settings_excerpts_per_second": r.torch_heap,
                "ratio_with_cochlea_heap_settings": r.ratio_heap,
                "cochlea_ms": {
                    "frontend_forward": r.parts.frontend * 1e3,
                    "backbone_forward": r.parts.backbone * 1e3,
                    "loss": r.parts.loss * 1e3,
                    "backward": r.parts.backward * 1e3,
                    "optimiser": r.parts.optimiser * 1e3,
                },
            })
        })
        .collect();
    let json = serde_json::json!({ "threads": threads, "models": models });
    let written = std::fs::create_dir_all(&dir).and_then(|_| {
        std::fs::write(
            dir.join("training.json"),
            serde_json::to_string_pretty(&json).unwrap_or_default(),
        )
    });
    match written {
        Ok(()) => println!("wrote {}", dir.join("training.json").display()),
        Err(e) => eprintln!("could not write {}: {e}", dir.display()),
    }
}
