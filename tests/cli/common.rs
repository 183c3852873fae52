//! Shared helpers: running the binary, small synthetic datasets and configs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The `cochlea` binary built for this test target.
pub fn cochlea() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cochlea"))
}

/// Runs the binary with `args` in `cwd`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    cochlea()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("cannot start the cochlea binary")
}

/// Stdout and stderr as text, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Asserts a clean failure: exit status 1, no panic, and stderr containing every needle.
pub fn assert_fails_with(out: &Output, needles: &[&str]) {
    let all = text(out);
    assert_eq!(out.status.code(), Some(1), "expected exit status 1\n{all}");
    assert!(!all.contains("panicked"), "the binary panicked\n{all}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for n in needles {
        assert!(stderr.contains(n), "stderr lacks {n:?}\n{all}");
    }
}

/// A small synthetic SVD dataset (3 songs of 6–8 s), generated once per test
/// process and shared read-only; copy it before modifying.
pub fn small_dataset() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("svd");
        let out = cochlea()
            .args(["synth", "svd"])
            .arg(&path)
            .args([
                "--seed",
                "3",
                "--songs",
                "3",
                "--min-seconds",
                "6",
                "--max-seconds",
                "8",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        (tmp, path)
    });
    path
}

/// Copies a dataset folder (without its cache) to `to`.
pub fn copy_dataset(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == ".cochlea-cache" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dataset(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fast experiment config on `data` (small excerpts, bands and batches).
pub fn tiny_config(data: &Path, epochs: usize) -> String {
    format!(
        r#"seed = 7
backend = "flex"

[data]
root = "{}"

[frontend]
kind = "mel"
bands = 40

[task]
kind = "singing-voice"
excerpt_frames = 40

[model]
kind = "svd-cnn"

[train]
batch_size = 4
batches_per_epoch = 3
epochs = {epochs}
"#,
        data.display()
    )
}

/// Starts `cochlea <args>` in `dir` and kills it (SIGKILL) as soon as
/// `file` exists; panics if the command ends first.
pub fn killed_once_exists(dir: &Path, args: &[&str], file: &Path) {
    let mut child = cochlea()
        .current_dir(dir)
        .args(args)
        .stderr(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !file.exists() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(300),
            "{} did not appear",
            file.display()
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "`cochlea {}` ended ({status}) before it could be killed",
                args.join(" ")
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Starts `cochlea train <config> --out <out>` in `dir` and kills it
/// (SIGKILL) as soon as its first checkpoint is complete; returns the run
/// folder, which has no final model.
pub fn train_killed_after_first_checkpoint(dir: &Path, config: &Path, out: &str) -> PathBuf {
    let run = dir.join(out);
    killed_once_exists(
        dir,
        &["train", config.to_str().unwrap(), "--out", out],
        &run.join("checkpoints/epoch-0001/state.json"),
    );
    assert!(
        !run.join("model.bpk").exists(),
        "the run finished before the kill; make the test run longer"
    );
    run
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Writes a mono WAV of 16-bit integer samples.
pub fn write_wav_i16(path: &Path, sample_rate: u32, samples: &[i16]) {
    write_wav(path, sample_rate, 16, hound::SampleFormat::Int, samples);
}

/// Writes a mono WAV of 32-bit float samples.
pub fn write_wav_f32(path: &Path, sample_rate: u32, samples: &[f32]) {
    write_wav(path, sample_rate, 32, hound::SampleFormat::Float, samples);
}

fn write_wav<S: hound::Sample + Copy>(
    path: &Path,
    sample_rate: u32,
    bits_per_sample: u16,
    sample_format: hound::SampleFormat,
    samples: &[S],
) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample,
        sample_format,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
}

/// Every tensor of a safetensors file as (name, raw bytes), sorted by name
/// (the file's header order is not deterministic).
pub fn tensors(path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut all: Vec<(String, Vec<u8>)> = file
        .tensors()
        .into_iter()
        .map(|(name, view)| (name, view.data().to_vec()))
        .collect();
    all.sort();
    assert!(all.len() >= 10, "too few tensors in {}", path.display());
    all
}
