//! Log-mel throughput without gradients, in seconds of audio per second,
//! against librosa and torchaudio on the same audio and parameters, side by
//! side in one run.
//!
//! Parameters: cochlea's `[frontend] kind = "mel"` defaults (22,050 Hz,
//! `n_fft` 1024, hop 315, 80 HTK bands from 27.5 to 8000 Hz with unit-sum
//! triangles, magnitude, periodic Hann, no centring, `log(max(·, 1e-7))`),
//! on Flex without autodiff. Two shapes: a training batch (32 excerpts of
//! 36,934 samples, 53.6 s of audio) and one long recording (60 s as a
//! single row, as `predict` and the feature cache see it). The audio is a
//! deterministic sweep with harmonics and noise, written to a temporary
//! file that `scripts/logmel_peer.py` reads, so all three compute on the
//! same samples; the bench also prints cochlea's largest difference to
//! librosa's features on it.
//!
//! The peers run with glibc's malloc defaults, as users run them; cochlea
//! with its own heap settings, as `cochlea` runs (see BENCHMARKS.md for the
//! peers under the same settings). Turns alternate cochlea and the peers; each ratio is the median of the
//! per-turn ratios (cochlea's seconds of audio per second over the peer's).
//! Without `python3` and librosa no peer figure is printed. Writes
//! `target/bench-results/logmel.json`; never asserts.
//!
//! Environment: `COCHLEA_BENCH_ITERS` (calls timed per turn, default 10),
//! `COCHLEA_BENCH_TURNS` (default 3), `COCHLEA_BENCH_THREADS` (torch's
//! threads; default the machine's, as Flex's rayon uses).
//!
//! Like `cochlea`, the bench restarts itself with glibc's malloc settings
//! of `cochlea_frontend::heap` (`COCHLEA_SYSTEM_MALLOC=1`: the defaults).
//!
//! Run: `cargo bench -p cochlea-frontend --bench logmel`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use burn::tensor::{Device, Tensor, TensorData};
use cochlea_frontend::{DftMethod, FrontendConfig, LogMelConfig, to_f32_vec};

const SAMPLE_RATE: u32 = 22_050;

/// One input shape.
struct Shape {
    name: &'static str,
    rows: usize,
    samples: usize,
}

const SHAPES: [Shape; 2] = [
    Shape {
        name: "batch 32 x 1.7 s",
        rows: 32,
        samples: 36_934,
    },
    Shape {
        name: "one 60 s recording",
        rows: 1,
        samples: 60 * SAMPLE_RATE as usize,
    },
];

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A sweep from 60 Hz to 6 kHz over each 10 s, with two harmonics and noise.
fn audio(n: usize) -> Vec<f32> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|i| {
            let t = (i % (10 * SAMPLE_RATE as usize)) as f64 / SAMPLE_RATE as f64;
            let phase = 2.0 * std::f64::consts::PI * (60.0 * t + 297.0 * t * t);
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            (0.3 * phase.sin()
                + 0.1 * (2.0 * phase).sin()
                + 0.05 * (3.0 * phase).sin()
                + 0.02 * noise) as f32
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median seconds of one cochlea log-mel call on `rows x samples`.
fn time_cochlea(wave: &[f32], shape: &Shape, iters: usize) -> Result<(f64, Vec<f32>), String> {
    let device = Device::flex();
    let frontend =
        FrontendConfig::Mel(LogMelConfig::default()).init(SAMPLE_RATE, DftMethod::Fft, &device);
    let run = || {
        let x = Tensor::<2>::from_data(
            TensorData::new(wave.to_vec(), [shape.rows, shape.samples]),
            &device,
        );
        to_f32_vec(frontend.forward(x), "the log-mel features").map_err(|e| e.to_string())
    };
    let features = run()?;
    let mut seconds = Vec::new();
    for _ in 0..iters {
        let started = Instant::now();
        run()?;
        seconds.push(started.elapsed().as_secs_f64());
    }
    Ok((median(seconds), features))
}

/// The peers' medians (`librosa`, `torchaudio`) and versions, or why not.
struct Peers {
    librosa: Option<f64>,
    torchaudio: Option<f64>,
    versions: String,
    note: String,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn time_peers(
    audio: &Path,
    features: Option<&Path>,
    shape: &Shape,
    iters: usize,
    threads: usize,
) -> Result<Peers, String> {
    let mut cmd = Command::new("python3");
    // The peers as users run them: glibc's malloc defaults, not the heap
    // settings this bench restarted itself with (which speed torch up 3-4x).
    for (key, _) in cochlea_frontend::heap::SETTINGS {
        cmd.env_remove(key);
    }
    cmd.arg(root().join("scripts/logmel_peer.py"))
        .arg(audio)
        .args(["--rows", &shape.rows.to_string()])
        .args(["--iters", &iters.to_string()])
        .args(["--threads", &threads.to_string()]);
    if let Some(path) = features {
        cmd.arg("--features-out").arg(path);
    }
    let output = cmd.output().map_err(|e| format!("python3: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    let line = String::from_utf8_lossy(&output.stdout);
    let v: serde_json::Value =
        serde_json::from_str(line.trim()).map_err(|e| format!("peer output {line:?}: {e}"))?;
    let seconds = |lib: &str| v[lib]["median_seconds"].as_f64();
    let version = |lib: &str| v[lib]["version"].as_str().unwrap_or("?").to_string();
    let mut versions = format!("librosa {}", version("librosa"));
    let mut note = String::new();
    match v["torchaudio"]["error"].as_str() {
        Some(e) => note = format!("torchaudio {e}"),
        None => versions += &format!(", torchaudio {}", version("torchaudio")),
    }
    Ok(Peers {
        librosa: seconds("librosa"),
        torchaudio: seconds("torchaudio"),
        versions,
        note,
    })
}

fn read_f32(path: &Path) -> Option<Vec<f32>> {
    let bytes = std::fs::read(path).ok()?;
    Some(
        bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
    )
}

/// Largest absolute difference of two log-mel tensors (log units).
fn max_difference(a: &[f32], b: &[f32]) -> Option<f64> {
    (a.len() == b.len()).then(|| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs() as f64)
            .fold(0.0, f64::max)
    })
}

/// One shape's result.
struct Row {
    shape: &'static str,
    audio_seconds: f64,
    cochlea: f64,
    librosa: Option<f64>,
    torchaudio: Option<f64>,
    vs_librosa: Option<f64>,
    vs_torchaudio: Option<f64>,
    difference: Option<f64>,
}

fn main() {
    cochlea_frontend::heap::keep_freed_memory();
    let iters = env_or("COCHLEA_BENCH_ITERS", 10usize).max(1);
    let turns = env_or("COCHLEA_BENCH_TURNS", 3usize).max(1);
    let threads = env_or(
        "COCHLEA_BENCH_THREADS",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut rows = Vec::new();
    let mut versions = String::from("no peer ran");
    println!(
        "log-mel without gradients, seconds of audio per second (median of {iters} x {turns} turns)\n"
    );
    for shape in &SHAPES {
        let wave = audio(shape.rows * shape.samples);
        let audio_path = dir.path().join("audio.f32");
        let features_path = dir.path().join("librosa.f32");
        let bytes: Vec<u8> = wave.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(&audio_path, bytes).expect("write the bench audio");
        let audio_seconds = wave.len() as f64 / SAMPLE_RATE as f64;
        let (mut ours, mut libs, mut tas) = (Vec::new(), Vec::new(), Vec::new());
        let (mut r_lib, mut r_ta) = (Vec::new(), Vec::new());
        let mut difference = None;
        for turn in 0..turns {
            let (secs, features) = match time_cochlea(&wave, shape, iters) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{}: cochlea failed: {e}", shape.name);
                    return;
                }
            };
            ours.push(audio_seconds / secs);
            let features_out = (turn == 0).then_some(features_path.as_path());
            match time_peers(&audio_path, features_out, shape, iters, threads) {
                Ok(peers) => {
                    if turn == 0 {
                        difference = read_f32(&features_path)
                            .and_then(|theirs| max_difference(&features, &theirs));
                        versions = peers.versions.clone();
                        if !peers.note.is_empty() {
                            eprintln!("{}", peers.note);
                        }
                    }
                    if let Some(t) = peers.librosa {
                        libs.push(audio_seconds / t);
                        r_lib.push(t / secs);
                    }
                    if let Some(t) = peers.torchaudio {
                        tas.push(audio_seconds / t);
                        r_ta.push(t / secs);
                    }
                }
                Err(e) if turn == 0 => eprintln!("peers not run: {e}"),
                Err(_) => {}
            }
        }
        let pick = |v: Vec<f64>| (!v.is_empty()).then(|| median(v));
        rows.push(Row {
            shape: shape.name,
            audio_seconds,
            cochlea: median(ours),
            librosa: pick(libs),
            torchaudio: pick(tas),
            vs_librosa: pick(r_lib),
            vs_torchaudio: pick(r_ta),
            difference,
        });
    }
    print_table(&rows, threads, &versions);
    write_json(&rows, threads, &versions);
}

fn show(v: Option<f64>, ratio: bool) -> String {
    match (v, ratio) {
        (Some(v), true) => format!("{v:.2}x"),
        (Some(v), false) => format!("{v:.0}"),
        (None, _) => "-".into(),
    }
}

fn print_table(rows: &[Row], threads: usize, versions: &str) {
    println!(
        "{:<20} {:>9} {:>9} {:>11} {:>10} {:>14}   max |cochlea - librosa|",
        "input", "cochlea", "librosa", "torchaudio", "/ librosa", "/ torchaudio"
    );
    for r in rows {
        println!(
            "{:<20} {:>9.0} {:>9} {:>11} {:>10} {:>14}   {}",
            r.shape,
            r.cochlea,
            show(r.librosa, false),
            show(r.torchaudio, false),
            show(r.vs_librosa, true),
            show(r.vs_torchaudio, true),
            r.difference
                .map_or("-".into(), |d| format!("{d:.1e} (log units)")),
        );
    }
    println!("({threads} threads for cochlea and torch; librosa's FFT uses one; {versions})");
}

fn write_json(rows: &[Row], threads: usize, versions: &str) {
    let dir = root().join("target/bench-results");
    let shapes: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "input": r.shape,
                "audio_seconds": r.audio_seconds,
                "cochlea_audio_seconds_per_second": r.cochlea,
                "librosa_audio_seconds_per_second": r.librosa,
                "torchaudio_audio_seconds_per_second": r.torchaudio,
                "ratio_to_librosa": r.vs_librosa,
                "ratio_to_torchaudio": r.vs_torchaudio,
                "max_abs_difference_to_librosa": r.difference,
            })
        })
        .collect();
    let json = serde_json::json!({ "threads": threads, "peers": versions, "inputs": shapes });
    let written = std::fs::create_dir_all(&dir).and_then(|_| {
        std::fs::write(
            dir.join("logmel.json"),
            serde_json::to_string_pretty(&json).unwrap_or_default(),
        )
    });
    match written {
        Ok(()) => println!("wrote {}", dir.join("logmel.json").display()),
        Err(e) => eprintln!("could not write {}: {e}", dir.display()),
    }
}
