//! `cochlea export`: PyTorch names and layouts, the sidecar, PyTorch parity
//! (`python/check_export.py` runs `python/cochlea_torch.py` on the export
//! and compares with what cochlea computed, within 1e-4 relative), an
//! export read back into cochlea, and bad input.
//!
//! Five tiny trained runs cover both backbones, the mel, learnable-mel and
//! Gabor frontends and each Gabor compression (log, log1p, PCEN), both
//! averaging kinds with learned widths, learned centres and bandwidths,
//! and both tasks.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use burn::tensor::{Tensor, TensorData};
use cochlea_frontend::host::to_f32_vec;
use cochlea_model::Classifier;
use cochlea_trainer::RunDir;
use cochlea_trainer::export_import::load_export;
use cochlea_trainer::npy::write_npy_f32;

use crate::common::{assert_fails_with, run_in, small_dataset, text, tiny_config, write};
use crate::tagging::{json, small_tagging_dataset, tiny_tagging_config};

/// How PyTorch is installed for the parity test (CI's `.ci/run` does it).
const PIP_INSTALL: &str = "python3 -m pip install torch safetensors numpy";

/// One trained and exported run.
struct Case {
    name: &'static str,
    run: PathBuf,
    weights: PathBuf,
}

/// A tiny singing-voice config with `frontend` and `model` tables.
fn svd_config(frontend: &str, model: &str) -> String {
    tiny_config(small_dataset(), 2)
        .replace("[frontend]\nkind = \"mel\"\nbands = 40\n", frontend)
        .replace("[model]\nkind = \"svd-cnn\"\n", model)
}

/// A tiny tagging config with the `frontend` table.
fn tagging_config(frontend: &str) -> String {
    tiny_tagging_config(small_tagging_dataset(), 2)
        .replace("[frontend]\nkind = \"mel\"\nbands = 32\n", frontend)
}

/// The runs, trained and exported once per test process.
fn cases() -> &'static [Case] {
    static CASES: OnceLock<(tempfile::TempDir, Vec<Case>)> = OnceLock::new();
    let (_, cases) = CASES.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let short_chunk = "[model]\nkind = \"short-chunk-cnn\"\nchannels = [4, 8, 8]\ndense = 8\n";
        let configs = [
            ("mel-svd-cnn", tiny_config(small_dataset(), 2)),
            (
                "learnable-mel-short-chunk-tagging",
                tagging_config("[frontend]\nkind = \"learnable-mel\"\nbands = 32\n"),
            ),
            (
                "gabor-log-learned-svd-cnn",
                svd_config(
                    "[frontend]\nkind = \"gabor\"\nbands = 40\nlearn_centres = true\n\
                     learn_bandwidths = true\nlearn_averaging = true\n",
                    "[model]\nkind = \"svd-cnn\"\n",
                ),
            ),
            (
                "gabor-pcen-fixed-short-chunk",
                svd_config(
                    "[frontend]\nkind = \"gabor\"\nbands = 40\ncompression = \"pcen\"\n\
                     averaging = \"fixed\"\nlearn_centres = true\n",
                    short_chunk,
                ),
            ),
            (
                "gabor-log1p-short-chunk-tagging",
                tagging_config(
                    "[frontend]\nkind = \"gabor\"\nbands = 32\ncompression = \"log1p\"\n\
                     averaging = \"fixed\"\nlearn_averaging = true\nlearn_bandwidths = true\n",
                ),
            ),
        ];
        let cases = configs
            .into_iter()
            .map(|(name, config)| {
                let path = write(tmp.path(), &format!("{name}.toml"), &config);
                // A larger learning rate moves every learned parameter well
                // away from its initial value within the few steps.
                let out = run_in(
                    tmp.path(),
                    &[
                        "train",
                        path.to_str().unwrap(),
                        "--out",
                        name,
                        "--set",
                        "train.learning_rate=0.01",
                    ],
                );
                assert!(out.status.success(), "{name}: {}", text(&out));
                let weights = tmp
                    .path()
                    .join("exports")
                    .join(format!("{name}.safetensors"));
                let out = run_in(
                    tmp.path(),
                    &["export", name, "--out", weights.to_str().unwrap()],
                );
                assert!(out.status.success(), "{name}: {}", text(&out));
                Case {
                    name,
                    run: tmp.path().join(name),
                    weights,
                }
            })
            .collect();
        (tmp, cases)
    });
    cases
}

/// The run's own model on the device its config names.
fn run_model(run: &Path) -> Classifier {
    let run = RunDir::new(run);
    let config = run.load_config().unwrap();
    let device = config.backend.device().unwrap();
    run.load_model(&config, &device).unwrap()
}

/// A fixed test waveform of `samples` samples: two tones, a chirp, a burst
/// and low noise (deterministic, no RNG crate).
fn waveform(samples: usize) -> Vec<f32> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..samples)
        .map(|n| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            let t = n as f64 / 22_050.0;
            let burst = if (n / 3000) % 4 == 1 { 0.4 } else { 0.0 };
            (0.3 * (2.0 * std::f64::consts::PI * 440.0 * t).sin()
                + 0.2 * (2.0 * std::f64::consts::PI * (150.0 + 900.0 * t) * t).sin()
                + burst * (2.0 * std::f64::consts::PI * 3100.0 * t).sin()
                + 0.02 * noise) as f32
        })
        .collect()
}

/// `rows` network inputs cut from one waveform at different offsets, `[rows, input_samples]`.
fn input_batch(model: &Classifier, sample_rate: u32, rows: usize) -> (Vec<f32>, usize) {
    let framing = cochlea_trainer::framing::framing_of(model, sample_rate);
    let samples = framing.samples_for(model.excerpt_frames());
    let wave = waveform(samples + 997 * rows);
    let batch = (0..rows)
        .flat_map(|r| wave[997 * r..997 * r + samples].to_vec())
        .collect();
    (batch, samples)
}

/// Writes a tensor's values as float32 `.npy`.
fn save<const D: usize>(dir: &Path, name: &str, t: Tensor<D>) {
    let shape = t.dims().to_vec();
    let values = to_f32_vec(t, "a test output").unwrap();
    write_npy_f32(&dir.join(format!("{name}.npy")), &shape, &values).unwrap();
}

/// Writes the inputs and cochlea's outputs on them for `check_export.py`.
fn write_case(case: &Case, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let model = run_model(&case.run);
    let config = RunDir::new(&case.run).load_config().unwrap();
    let device = model.frontend.standardize().device();
    let (batch, samples) = input_batch(&model, config.data.sample_rate, 3);
    let wave = Tensor::<2>::from_data(TensorData::new(batch, [3, samples]), &device);
    let long = waveform(4 * 22_050 + 123);
    let long_len = long.len();
    let long = Tensor::<2>::from_data(TensorData::new(long, [1, long_len]), &device);
    save(dir, "wave", wave.clone());
    save(dir, "long", long.clone());
    save(
        dir,
        "unstandardized",
        model.frontend.unstandardized(wave.clone()),
    );
    save(dir, "features", model.frontend.forward(wave.clone()));
    save(dir, "logits", model.forward(wave));
    save(dir, "long_features", model.frontend.forward(long));
}

/// The repository's `python/` folder.
fn python_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../python")
}

/// Fails (never skips) when PyTorch cannot be imported, naming the install.
fn require_torch() {
    let out = Command::new("python3")
        .args(["-c", "import torch, safetensors, numpy"])
        .output()
        .expect("cannot start python3: install Python 3");
    assert!(
        out.status.success(),
        "PyTorch is needed for the export parity test and python3 cannot import it \
         ({}); install it with `{PIP_INSTALL}` (.ci/run does)",
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .unwrap_or("")
    );
}

#[test]
fn pytorch_computes_what_cochlea_computes_for_every_frontend_and_backbone() {
    require_torch();
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in cases() {
        let dir = tmp.path().join(case.name);
        write_case(case, &dir);
        let out = Command::new("python3")
            // No __pycache__ in the source tree.
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .arg(python_dir().join("check_export.py"))
            .arg(&case.weights)
            .arg(&dir)
            .args(["--tolerance", "1e-4"])
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout).trim().to_string();
        eprintln!("{}: {report}", case.name);
        if !out.status.success() {
            failures.push(format!("{}: {}", case.name, text(&out)));
            continue;
        }
        // Every figure was reported and is a small number, not a message.
        let figures: serde_json::Value = serde_json::from_str(&report).unwrap();
        for key in ["unstandardized", "features", "logits", "long_features"] {
            assert!(figures[key].as_f64().is_some(), "{}: {report}", case.name);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_export_read_back_into_cochlea_predicts_exactly_what_the_run_predicts() {
    for case in cases() {
        let model = run_model(&case.run);
        let config = RunDir::new(&case.run).load_config().unwrap();
        let (imported, sidecar) = load_export(&case.weights, config.backend).unwrap();
        assert_eq!(sidecar.outputs, model.outputs(), "{}", case.name);
        let device = model.frontend.standardize().device();
        let (batch, samples) = input_batch(&model, config.data.sample_rate, 3);
        let wave = Tensor::<2>::from_data(TensorData::new(batch, [3, samples]), &device);
        let want = to_f32_vec(model.forward(wave.clone()), "logits").unwrap();
        let got = to_f32_vec(imported.forward(wave), "logits").unwrap();
        assert_eq!(
            got, want,
            "{}: the read-back export's logits differ",
            case.name
        );
        // Not a vacuous equality: the logits vary across the batch.
        assert!(
            want.iter().any(|v| *v != want[0]),
            "{}: {want:?}",
            case.name
        );
    }
}

#[test]
fn the_export_uses_pytorch_names_and_layouts_and_describes_the_run() {
    for case in cases() {
        let file = std::fs::read(&case.weights).unwrap();
        let tensors = safetensors::SafeTensors::deserialize(&file).unwrap();
        let names = tensors.names();
        for variant in [
            "Mel",
            "LearnableMel",
            "Gabor",
            "SvdCnn",
            "ShortChunkCnn",
            "Log",
            "Pcen",
        ] {
            assert!(
                names
                    .iter()
                    .all(|n| !n.split('.').any(|part| part == variant)),
                "{}: an enum variant in {names:?}",
                case.name
            );
        }
        assert!(
            names
                .iter()
                .all(|n| !n.contains("gamma") && !n.contains("beta"))
        );
        // The head is PyTorch's [outputs, embedding], the transpose of burn's.
        let burn_file = std::fs::read(case.run.join("model.safetensors")).unwrap();
        let burn = safetensors::SafeTensors::deserialize(&burn_file).unwrap();
        let head = tensors.tensor("head.weight").unwrap();
        let burn_head = burn.tensor("head.weight").unwrap();
        let [rows, cols] = [head.shape()[0], head.shape()[1]];
        assert_eq!(burn_head.shape(), [cols, rows], "{}", case.name);
        let value =
            |data: &[u8], i: usize| f32::from_le_bytes(data[4 * i..4 * i + 4].try_into().unwrap());
        for r in 0..rows {
            for c in 0..cols {
                assert_eq!(
                    value(head.data(), r * cols + c),
                    value(burn_head.data(), c * rows + r)
                );
            }
        }
        let sidecar = json(&case.weights.with_extension("json"));
        let config = RunDir::new(&case.run).load_config().unwrap();
        let batches = 2 * config.train.batches_per_epoch as i64;
        assert_eq!(sidecar["training"]["batches"], batches, "{}", case.name);
        // Every batch norm has PyTorch's full state, the counter included.
        let norms: Vec<&str> = names
            .iter()
            .filter(|n| n.ends_with(".running_mean"))
            .copied()
            .collect();
        let short_chunk = sidecar["model"]["kind"] == "short-chunk-cnn";
        assert_eq!(!norms.is_empty(), short_chunk, "{}: {names:?}", case.name);
        for norm in norms {
            let module = norm.trim_end_matches(".running_mean");
            for part in ["weight", "bias", "running_var"] {
                let name = format!("{module}.{part}");
                assert!(names.contains(&name.as_str()), "{name} missing");
            }
            let counter = tensors
                .tensor(&format!("{module}.num_batches_tracked"))
                .unwrap();
            assert_eq!(counter.dtype(), safetensors::Dtype::I64);
            assert!(counter.shape().is_empty());
            assert_eq!(
                i64::from_le_bytes(counter.data().try_into().unwrap()),
                batches
            );
        }
        // The sidecar's statistics are the weights' ones.
        let mean = tensors.tensor("frontend.standardize.mean").unwrap();
        let listed: Vec<f32> = sidecar["standardization"]["mean"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        let stored: Vec<f32> = (0..listed.len()).map(|i| value(mean.data(), i)).collect();
        assert_eq!(listed, stored, "{}", case.name);
        // The settings are the run's resolved ones.
        assert_eq!(
            sidecar["frontend"],
            serde_json::to_value(&config.frontend).unwrap()
        );
        assert_eq!(
            sidecar["model"],
            serde_json::to_value(&config.model).unwrap()
        );
        assert_eq!(sidecar["sample_rate"], config.data.sample_rate);
        // The task: labels per output and the run's own threshold.
        let metrics = json(&case.run.join("metrics.json"));
        let outputs = sidecar["outputs"].as_u64().unwrap() as usize;
        assert_eq!(sidecar["task"]["labels"].as_array().unwrap().len(), outputs);
        assert_eq!(
            sidecar["task"]["thresholds"].as_array().unwrap().len(),
            outputs
        );
        if sidecar["task"]["kind"] == "singing-voice" {
            assert_eq!(sidecar["task"]["thresholds"][0], metrics["threshold"]);
            assert_eq!(sidecar["task"]["median_filter"], metrics["median_filter"]);
        } else {
            assert_eq!(
                sidecar["task"]["labels"],
                serde_json::json!(config.task.output_labels().unwrap())
            );
            for (t, tag) in metrics["metrics"]["tags"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
            {
                assert_eq!(sidecar["task"]["thresholds"][t], tag["threshold"]);
            }
        }
    }
}

#[test]
fn export_errors_name_the_run_or_the_file_and_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("empty")).unwrap();
    let out = run_in(tmp.path(), &["export", "empty", "--out", "m.safetensors"]);
    assert_fails_with(&out, &["empty", "has no config.toml", "cochlea train"]);
    // A run without its final model (training did not finish).
    let case = &cases()[0];
    let unfinished = tmp.path().join("unfinished");
    std::fs::create_dir_all(&unfinished).unwrap();
    std::fs::copy(case.run.join("config.toml"), unfinished.join("config.toml")).unwrap();
    let out = run_in(
        tmp.path(),
        &["export", "unfinished", "--out", "m.safetensors"],
    );
    assert_fails_with(&out, &["unfinished", "has no model.bpk", "--resume"]);
    let run = case.run.to_str().unwrap();
    let out = run_in(tmp.path(), &["export", run, "--out", "m.json"]);
    assert_fails_with(&out, &["m.json", "<name>.safetensors"]);
    assert!(!tmp.path().join("m.json").exists());
    let out = run_in(tmp.path(), &["export", run, "--out", "empty"]);
    assert_fails_with(&out, &["empty", "is a folder"]);
}
