//! Peak memory and time of streaming long recordings: `cochlea predict`,
//! `cochlea evaluate` and `cochlea features` on a 1-minute and a 60-minute
//! 44.1 kHz stereo WAV, each run as a child process of this bench.
//!
//! The bench trains two small singing-voice runs once (the default SVD CNN
//! on the default 80-band mel frontend, one epoch of two batches on a
//! 3-song synthetic dataset: the weights do not matter, the model's size
//! does), one with `task.chunk_seconds = 120` and one with the default 60,
//! writes the WAVs (a tone with vibrato and bursts of noise), and runs
//! - `predict <run> <file>` with each run: peak memory is that of one
//!   window of `chunk_seconds`, so with 60 the 1-minute file (one window)
//!   and the 60-minute one (sixty) need the same, and with 120 a file
//!   reaches that plateau at 2 minutes;
//! - `evaluate <run> --data <dataset>` (chunk 60), a Jamendo-layout folder
//!   whose test split is the one file (its cache is written first, from the
//!   stream);
//! - `features <gabor.toml> <file>`, the default Gabor frontend (windows of
//!   30 s; its output, 80 bands of float32 per frame, is held whole).
//!
//! While a child runs, its `/proc/<pid>/status` is read every 20 ms:
//! `VmHWM` (peak resident memory; the kernel keeps the maximum) and the
//! largest `RssAnon` seen (resident memory that is not file-backed). It
//! prints a table and writes `target/bench-results/predict.json`; it never
//! asserts (a failed child is reported with its status).
//!
//! Environment: `COCHLEA_BENCH_MINUTES` (default `1,60`),
//! `COCHLEA_BENCH_COMMANDS` (default `predict,evaluate,features`).
//!
//! Run: `cargo bench --workspace --bench predict`

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RATE: u32 = 44_100;

/// One measured child process.
struct Measurement {
    command: String,
    minutes: f64,
    seconds: f64,
    peak_mb: f64,
    anon_mb: f64,
    status: String,
}

fn cochlea() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cochlea"))
}

/// Runs `cochlea <args>` in `dir`, polling its memory; `Err` with its
/// output if it could not start or failed.
fn measure(dir: &Path, args: &[&str]) -> (f64, f64, f64, String) {
    let started = Instant::now();
    let mut child = match cochlea()
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return (0.0, 0.0, 0.0, format!("cannot start: {e}")),
    };
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let (mut peak_kb, mut anon_kb) = (0u64, 0u64);
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            peak_kb = peak_kb.max(field_kb(&text, "VmHWM:"));
            anon_kb = anon_kb.max(field_kb(&text, "RssAnon:"));
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return (0.0, 0.0, 0.0, format!("wait failed: {e}")),
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    let outcome = if status.success() {
        "ok".to_string()
    } else {
        format!("{status}: {}", stderr.trim().lines().last().unwrap_or(""))
    };
    (
        seconds,
        peak_kb as f64 / 1024.0,
        anon_kb as f64 / 1024.0,
        outcome,
    )
}

/// The value in kB of a `/proc/<pid>/status` line such as `VmHWM:  1234 kB`.
fn field_kb(status: &str, name: &str) -> u64 {
    status
        .lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A 44.1 kHz stereo 16-bit WAV of `minutes`: a tone with vibrato in one
/// channel, another in the other, and a burst of noise every 2 s.
fn write_wav(path: &Path, minutes: f64) -> hound::Result<()> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec)?;
    let n = (minutes * 60.0 * f64::from(RATE)) as usize;
    let mut state = 1u32;
    let (mut phase_l, mut phase_r) = (0f64, 0f64);
    for i in 0..n {
        let t = i as f64 / f64::from(RATE);
        phase_l +=
            2.0 * std::f64::consts::PI * 220.0 * (1.0 + 0.02 * (5.0 * t).sin()) / f64::from(RATE);
        phase_r += 2.0 * std::f64::consts::PI * 330.0 / f64::from(RATE);
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise =
            (f64::from(state) / f64::from(u32::MAX) - 0.5) * if t % 2.0 < 0.2 { 0.5 } else { 0.0 };
        w.write_sample((12_000.0 * (0.5 * phase_l.sin() + noise)) as i16)?;
        w.write_sample((12_000.0 * (0.5 * phase_r.sin() + noise)) as i16)?;
    }
    w.finalize()
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Trains the bench's run `name` in `dir` with `chunk_seconds` (once: kept
/// between bench runs).
fn prepare_run(dir: &Path, name: &str, chunk_seconds: f64) -> Result<(), String> {
    if dir.join(name).join("model.bpk").is_file() {
        return Ok(());
    }
    let data = dir.join("svd");
    if !data.exists() {
        let out = cochlea()
            .args(["synth", "svd"])
            .arg(&data)
            .args(["--songs", "3", "--min-seconds", "6", "--max-seconds", "8"])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
    }
    let config = format!("{name}.toml");
    write(
        &dir.join(&config),
        &format!(
            "[data]\nroot = \"{}\"\n\n[task]\nchunk_seconds = {chunk_seconds:?}\n\n\
             [train]\nbatch_size = 4\nbatches_per_epoch = 2\nepochs = 1\n",
            data.display()
        ),
    );
    let out = cochlea()
        .current_dir(dir)
        .args(["train", &config, "--out", name])
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// A Jamendo-layout dataset in `root` whose test split is `wav` alone.
fn dataset_of(root: &Path, wav: &Path, minutes: f64) -> std::io::Result<()> {
    for sub in ["audio", "labels", "filelists"] {
        std::fs::create_dir_all(root.join(sub))?;
    }
    let audio = root.join("audio/long.wav");
    if !audio.exists() {
        std::fs::hard_link(wav, &audio).or_else(|_| std::fs::copy(wav, &audio).map(|_| ()))?;
    }
    let half = minutes * 30.0;
    std::fs::write(
        root.join("labels/long.lab"),
        format!("0 {half} nosing\n{half} {} sing\n", 2.0 * half),
    )?;
    std::fs::write(root.join("filelists/test"), "long.wav\n")
}

/// The commands measured on a file of `m` minutes: labels and arguments.
fn commands_for(dir: &Path, command: &str, wav: &Path, m: f64) -> Vec<(String, Vec<String>)> {
    let wav_arg = wav.display().to_string();
    match command {
        "predict" => ["120", "60"]
            .iter()
            .map(|chunk| {
                (
                    format!("predict (mel, chunk {chunk} s)"),
                    vec![
                        "predict".into(),
                        format!("run-{chunk}"),
                        wav_arg.clone(),
                        "--out".into(),
                        format!("predictions-{chunk}-{m}min"),
                    ],
                )
            })
            .collect(),
        "evaluate" => {
            let data = dir.join(format!("data-{m}min"));
            // Without its cache, so that evaluate streams the file into it.
            let _ = std::fs::remove_dir_all(data.join(".cochlea-cache"));
            if let Err(e) = dataset_of(&data, wav, m) {
                println!("cannot write the dataset {}: {e}", data.display());
                return Vec::new();
            }
            vec![(
                "evaluate (mel, chunk 60 s)".into(),
                vec![
                    "evaluate".into(),
                    "run-60".into(),
                    "--data".into(),
                    data.display().to_string(),
                ],
            )]
        }
        "features" => vec![(
            "features (gabor)".into(),
            vec![
                "features".into(),
                "gabor.toml".into(),
                wav_arg,
                "--out".into(),
                format!("gabor-{m}min.npy"),
            ],
        )],
        other => {
            println!("unknown command {other} in COCHLEA_BENCH_COMMANDS");
            Vec::new()
        }
    }
}

fn main() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("predict-bench");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let minutes: Vec<f64> = std::env::var("COCHLEA_BENCH_MINUTES")
        .unwrap_or_else(|_| "1,60".into())
        .split(',')
        .filter_map(|m| m.trim().parse().ok())
        .collect();
    let commands = std::env::var("COCHLEA_BENCH_COMMANDS")
        .unwrap_or_else(|_| "predict,evaluate,features".into());
    println!("training the bench's runs in {} ...", dir.display());
    for (name, chunk) in [("run-120", 120.0), ("run-60", 60.0)] {
        if let Err(e) = prepare_run(&dir, name, chunk) {
            println!("cannot train the bench's run {name}: {e}");
            return;
        }
    }
    write(
        &dir.join("gabor.toml"),
        &format!(
            "[data]\nroot = \"{}\"\n\n[frontend]\nkind = \"gabor\"\n",
            dir.display()
        ),
    );
    let mut rows = Vec::new();
    for &m in &minutes {
        let wav = dir.join(format!("long-{m}min.wav"));
        if !wav.exists() {
            println!("writing {} ...", wav.display());
            if let Err(e) = write_wav(&wav, m) {
                println!("cannot write {}: {e}", wav.display());
                continue;
            }
        }
        for command in commands.split(',').map(str::trim) {
            for (label, args) in commands_for(&dir, command, &wav, m) {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let (seconds, peak_mb, anon_mb, status) = measure(&dir, &args);
                println!(
                    "{label:<28} {m:>4} min: {seconds:8.1} s, peak RSS {peak_mb:8.1} MB, \
                     peak RssAnon {anon_mb:8.1} MB ({status})"
                );
                rows.push(Measurement {
                    command: label,
                    minutes: m,
                    seconds,
                    peak_mb,
                    anon_mb,
                    status,
                });
            }
        }
    }
    println!(
        "\n| command | audio | wall s | × real time | peak RSS (VmHWM) MB | peak RssAnon MB |"
    );
    println!("|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} min | {:.1} | {:.0} | {:.0} | {:.0} |{}",
            r.command,
            r.minutes,
            r.seconds,
            r.minutes * 60.0 / r.seconds.max(1e-9),
            r.peak_mb,
            r.anon_mb,
            if r.status == "ok" {
                String::new()
            } else {
                format!(" {}", r.status)
            }
        );
    }
    let json: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "    {{\"command\": {:?}, \"minutes\": {}, \"seconds\": {:.2}, \"peak_rss_mb\": {:.1}, \"peak_rss_anon_mb\": {:.1}, \"status\": {:?}}}",
                r.command, r.minutes, r.seconds, r.peak_mb, r.anon_mb, r.status
            )
        })
        .collect();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-results");
    let written = std::fs::create_dir_all(&out).and_then(|_| {
        let mut f = std::fs::File::create(out.join("predict.json"))?;
        writeln!(f, "{{\n  \"runs\": [\n{}\n  ]\n}}", json.join(",\n"))
    });
    match written {
        Ok(()) => println!("\nwrote {}", out.join("predict.json").display()),
        Err(e) => println!("\ncannot write {}: {e}", out.join("predict.json").display()),
    }
}
