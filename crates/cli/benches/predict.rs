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
//! While a child runs, its memory is read from `/proc` every 20 ms
//! (`support::measure`): `VmHWM` (peak resident memory; the kernel keeps
//! the maximum) and the largest `RssAnon` seen (resident memory that is
//! not file-backed). It
//! prints a table and writes `target/bench-results/predict.json`; it never
//! asserts (a failed child is reported with its status).
//!
//! Environment: `COCHLEA_BENCH_MINUTES` (default `1,60`),
//! `COCHLEA_BENCH_COMMANDS` (default `predict,evaluate,features`).
//!
//! Run: `cargo bench --workspace --bench predict`

mod support;

use std::io::Write;
use std::path::Path;

use support::{cochlea, measure, results_path, write, write_wav};

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
            if let Err(e) = write_wav(&wav, m * 60.0, RATE) {
                println!("cannot write {}: {e}", wav.display());
                continue;
            }
        }
        for command in commands.split(',').map(str::trim) {
            for (label, args) in commands_for(&dir, command, &wav, m) {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let used = measure(&dir, &args);
                let (seconds, peak_mb, anon_mb, status) =
                    (used.seconds, used.peak_mb, used.anon_mb, used.status);
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
    let written = results_path("predict.json").and_then(|path| {
        let mut f = std::fs::File::create(&path)?;
        writeln!(f, "{{\n  \"runs\": [\n{}\n  ]\n}}", json.join(",\n"))?;
        Ok(path)
    });
    match written {
        Ok(path) => println!("\nwrote {}", path.display()),
        Err(e) => println!("\ncannot write target/bench-results/predict.json: {e}"),
    }
}
