//! The data path: how fast audio is decoded, resampled and cached, against
//! soundfile and librosa on the same files, and how much memory training
//! takes as the dataset grows to 10 hours.
//!
//! **Throughput.** The bench writes a recording (`COCHLEA_BENCH_SECONDS`,
//! default 60 s, 44.1 kHz stereo 16-bit WAV: the format of most datasets'
//! sources) and, when `python3` can import soundfile, the same audio as
//! FLAC, Ogg Vorbis and MP3 (`scripts/data_peer.py encode`). For each file
//! it times, as the median of `COCHLEA_BENCH_TURNS` (default 3):
//! - `decode`: [`Decoder`] to mono at the file's rate;
//! - `stream at R`: [`AudioStream`], decode + downmix + resample to R Hz
//!   (22,050 for singing voice, 16,000 for tagging), in bounded memory;
//! - `cache write`: [`AudioLoader::load`] into an empty cache (hash the
//!   file, stream it into a temporary file, `fsync`, rename, map);
//! - `cache hit`: the next load of the same file (hash + map) and a pass
//!   over the mapped samples.
//!
//! The peers (`scripts/data_peer.py time`) are `soundfile.read` (decode,
//! interleaved, no downmix) and `librosa.load(sr=R, mono=True)` (its default
//! `soxr_hq` resampler), the way an MIR script reads a file. All figures are
//! seconds of audio per second of wall time (× real time), with cochlea's
//! ratio to the peer; one thread on both sides (the decoders and resamplers
//! are single-threaded).
//!
//! **Memory while training.** For each task in `COCHLEA_BENCH_TASKS`
//! (default `svd,tagging`) and each size in `COCHLEA_BENCH_HOURS` (default
//! `1,3,10`), a synthetic dataset of that many hours is generated once
//! (`cochlea synth`; kept under cargo's bench temporary folder between
//! runs), and `cochlea train` runs on it as a child process: one epoch of
//! `BATCHES` batches, validation over the whole validation split and the
//! test evaluation, with the quickstart's model. It runs twice: first with
//! the cache folder removed (every file is decoded, resampled and written
//! while the run starts), then with the cache in place. Its memory is read
//! from `/proc` (`support::measure`): peak RSS (`VmHWM`), and the largest
//! `RssAnon`, `RssFile`, `Pss` and `Pss_Anon` seen. The mapped cache's
//! pages count in RSS and PSS as `RssFile`, but the kernel can drop them
//! under pressure; anonymous memory is what the run holds. Target:
//! anonymous memory ≤ 2 GiB and flat as the dataset grows.
//!
//! Prints tables and writes `target/bench-results/data.json`; never asserts.
//!
//! Run: `cargo bench -p cochlea --bench data`

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use cochlea_data::{AudioLoader, AudioStream, Decoder, SampleSource};
use serde_json::{Value, json};
use support::{ChildMemory, cochlea, measure, results_path, write, write_wav};

/// Source rate of the recording.
const SOURCE_RATE: u32 = 44_100;
/// Target rates timed: singing voice's and tagging's.
const RATES: [u32; 2] = [22_050, 16_000];
/// Training batches in the memory runs.
const BATCHES: usize = 40;

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_string())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median seconds of `turns` calls of `f`, after one untimed call.
fn timed<T>(turns: usize, mut f: impl FnMut() -> T) -> f64 {
    std::hint::black_box(f());
    median(
        (0..turns.max(1))
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(f());
                started.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// Samples handed out by `read` until it reports the end.
fn drain(mut read: impl FnMut(&mut Vec<f32>) -> cochlea_data::Result<bool>) -> usize {
    let (mut out, mut total) = (Vec::new(), 0);
    while {
        out.clear();
        let more = read(&mut out).expect("decodable bench file");
        total += out.len();
        more
    } {}
    total
}

fn decode(path: &Path) -> usize {
    let mut decoder = Decoder::open(path).expect("decodable bench file");
    drain(|out| decoder.read(out))
}

fn stream(path: &Path, rate: u32) -> usize {
    let mut source = AudioStream::open(path, rate).expect("decodable bench file");
    drain(|out| source.read(out))
}

/// One file's throughputs (× real time), cochlea's and the peers'.
struct FileRow {
    name: String,
    seconds: f64,
    cochlea: Vec<(String, f64)>,
    peer: Vec<(String, f64)>,
}

/// The compressed copies of `wav` written by soundfile, if it is importable.
fn encoded(wav: &Path, dir: &Path) -> Vec<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/data_peer.py");
    match Command::new("python3")
        .arg(&script)
        .arg("encode")
        .arg(wav)
        .arg(dir)
        .output()
    {
        // The files written are listed even when a later format failed
        // (libsndfile 1.2.2's Vorbis encoder crashed on the 60 s file).
        Ok(out) => {
            if !out.status.success() {
                println!(
                    "soundfile could not write every format ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(PathBuf::from)
                .filter(|p| p.is_file())
                .collect()
        }
        Err(e) => {
            println!("no compressed files: python3: {e}");
            Vec::new()
        }
    }
}

/// The peers' seconds per file and measure, or an empty object.
fn peer_times(files: &[PathBuf], turns: usize) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/data_peer.py");
    let rates: Vec<String> = RATES.iter().map(u32::to_string).collect();
    let out = Command::new("python3")
        .arg(&script)
        .arg("time")
        .args(files)
        .arg("--rates")
        .arg(rates.join(","))
        .arg("--turns")
        .arg(turns.to_string())
        .output();
    match out {
        Ok(out) if out.status.success() => {
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
                println!("unreadable peer output: {e}");
                json!({})
            })
        }
        Ok(out) => {
            println!(
                "peers not timed (python3 with soundfile and librosa): {}",
                String::from_utf8_lossy(&out.stderr)
                    .trim()
                    .lines()
                    .last()
                    .unwrap_or("")
            );
            json!({})
        }
        Err(e) => {
            println!("peers not timed: python3: {e}");
            json!({})
        }
    }
}

fn throughput(dir: &Path) -> Vec<FileRow> {
    let seconds: f64 = env_or("COCHLEA_BENCH_SECONDS", "60")
        .parse()
        .unwrap_or(60.0);
    let turns: usize = env_or("COCHLEA_BENCH_TURNS", "3").parse().unwrap_or(3);
    let files_dir = dir.join(format!("recording-{seconds}s"));
    std::fs::create_dir_all(&files_dir).expect("bench folder");
    let wav = files_dir.join("recording.wav");
    if !wav.exists() {
        write_wav(&wav, seconds, SOURCE_RATE).expect("bench recording");
    }
    let mut files = vec![wav.clone()];
    files.extend(encoded(&wav, &files_dir));
    let peers = peer_times(&files, turns);
    let cache = dir.join("throughput-cache");
    let mut rows = Vec::new();
    for file in &files {
        let mut cochlea = Vec::new();
        cochlea.push(("decode".to_string(), timed(turns, || decode(file))));
        for rate in RATES {
            cochlea.push((
                format!("stream at {rate}"),
                timed(turns, || stream(file, rate)),
            ));
        }
        let loader = AudioLoader::new(RATES[0], &cache);
        let write_seconds = timed(turns, || {
            let _ = std::fs::remove_dir_all(&cache);
            loader.load(file).expect("bench file caches")
        });
        cochlea.push(("cache write".to_string(), write_seconds));
        cochlea.push((
            "cache hit".to_string(),
            timed(turns, || {
                let w = loader.load(file).expect("cached bench file");
                w.samples().iter().sum::<f32>()
            }),
        ));
        let key = file.display().to_string();
        let mut peer = Vec::new();
        if let Some(p) = peers.get(&key) {
            if let Some(s) = p.get("decode").and_then(Value::as_f64) {
                peer.push(("decode".to_string(), s));
            }
            for rate in RATES {
                if let Some(s) = p.get(format!("load_{rate}")).and_then(Value::as_f64) {
                    peer.push((format!("stream at {rate}"), s));
                }
            }
        }
        let to_speed = |v: Vec<(String, f64)>| -> Vec<(String, f64)> {
            v.into_iter()
                .map(|(k, s)| (k, seconds / s.max(1e-12)))
                .collect()
        };
        rows.push(FileRow {
            name: file
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("?")
                .to_string(),
            seconds,
            cochlea: to_speed(cochlea),
            peer: to_speed(peer),
        });
    }
    let _ = std::fs::remove_dir_all(&cache);
    print_throughput(&rows);
    rows
}

fn print_throughput(rows: &[FileRow]) {
    println!(
        "\nthroughput, × real time (seconds of audio per second), one thread; \
         peers: decode = soundfile.read, stream at R = librosa.load(sr=R, mono=True)"
    );
    println!("| file | measure | cochlea | peer | cochlea / peer |");
    println!("|---|---|---|---|---|");
    for r in rows {
        for (measure, speed) in &r.cochlea {
            let peer = r.peer.iter().find(|(m, _)| m == measure).map(|p| p.1);
            let (p, ratio) = match peer {
                Some(p) => (format!("{p:.0}"), format!("{:.2}", speed / p)),
                None => ("–".into(), "–".into()),
            };
            println!(
                "| {} ({} s) | {measure} | {speed:.0} | {p} | {ratio} |",
                r.name, r.seconds
            );
        }
    }
}

/// One memory run.
struct MemoryRow {
    task: String,
    hours: f64,
    cache: &'static str,
    memory: ChildMemory,
}

/// Generates the dataset of `hours` for `task` in `root` unless it is there.
fn generate(task: &str, hours: f64, root: &Path) -> Result<(), String> {
    if root.join("manifest.json").is_file() {
        return Ok(());
    }
    let mut cmd = cochlea();
    cmd.arg("synth").arg(task).arg(root);
    match task {
        // Songs of 30–42 s, 36 s on average.
        "svd" => cmd.args([
            "--songs",
            &((hours * 3600.0 / 36.0).ceil() as usize).to_string(),
            "--min-seconds",
            "30",
            "--max-seconds",
            "42",
        ]),
        // MagnaTagATune's 29.1 s clips.
        _ => cmd.args([
            "--clips",
            &((hours * 3600.0 / 29.1).ceil() as usize)
                .max(16)
                .to_string(),
        ]),
    };
    println!("generating {} ...", root.display());
    let out = cmd.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The training config of `task` on `root`: the quickstart's model, one
/// epoch of [`BATCHES`] batches.
fn train_config(task: &str, root: &Path) -> String {
    let root = root.display();
    match task {
        "svd" => format!(
            "seed = 1\n[task]\nkind = \"singing-voice\"\n\
             [data]\nlayout = \"jamendo\"\nroot = \"{root}\"\nsample_rate = 22050\n\
             [train]\nbatch_size = 32\nbatches_per_epoch = {BATCHES}\nepochs = 1\n"
        ),
        _ => format!(
            "seed = 1\n[task]\nkind = \"tagging\"\nchunk_frames = 231\neval_chunks = 16\n\
             [data]\nlayout = \"magnatagatune\"\nroot = \"{root}\"\nsample_rate = 16000\n\
             [data.magnatagatune]\ntop_tags = 50\n\
             [frontend]\nkind = \"mel\"\nn_fft = 512\nhop = 256\nbands = 128\nfmin = 0.0\nfmax = 8000.0\n\
             [model]\nkind = \"short-chunk-cnn\"\nchannels = [16, 16, 32, 32, 32, 32, 64]\ndense = 64\n\
             [train]\nbatch_size = 16\nbatches_per_epoch = {BATCHES}\nepochs = 1\n"
        ),
    }
}

fn memory(dir: &Path) -> Vec<MemoryRow> {
    let tasks = env_or("COCHLEA_BENCH_TASKS", "svd,tagging");
    let hours: Vec<f64> = env_or("COCHLEA_BENCH_HOURS", "1,3,10")
        .split(',')
        .filter_map(|h| h.trim().parse().ok())
        .collect();
    let mut rows = Vec::new();
    for task in tasks.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if task != "svd" && task != "tagging" {
            println!("unknown task {task} in COCHLEA_BENCH_TASKS (svd, tagging)");
            continue;
        }
        for &h in &hours {
            let root = dir.join(format!("{task}-{h}h"));
            if let Err(e) = generate(task, h, &root) {
                println!("cannot generate {}: {e}", root.display());
                continue;
            }
            let config = format!("{task}-{h}h.toml");
            write(&dir.join(&config), &train_config(task, &root));
            for cache in ["written", "present"] {
                if cache == "written" {
                    let _ = std::fs::remove_dir_all(root.join(".cochlea-cache"));
                }
                let out = format!("run-{task}-{h}h");
                let _ = std::fs::remove_dir_all(dir.join(&out));
                let memory = measure(dir, &["train", &config, "--out", &out]);
                println!(
                    "{task} {h} h, cache {cache}: {:.0} s, VmHWM {:.0} MB, RssAnon {:.0} MB, \
                     RssFile {:.0} MB, Pss {:.0} MB, Pss_Anon {:.0} MB ({})",
                    memory.seconds,
                    memory.peak_mb,
                    memory.anon_mb,
                    memory.file_mb,
                    memory.pss_mb,
                    memory.pss_anon_mb,
                    memory.status
                );
                rows.push(MemoryRow {
                    task: task.to_string(),
                    hours: h,
                    cache,
                    memory,
                });
            }
        }
    }
    print_memory(&rows);
    rows
}

fn print_memory(rows: &[MemoryRow]) {
    println!("\nmemory of `cochlea train` (one epoch of {BATCHES} batches, validation, test), MB");
    println!(
        "| task | audio | cache | wall s | peak RSS (VmHWM) | RssAnon | RssFile | Pss | Pss_Anon |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let m = &r.memory;
        println!(
            "| {} | {} h | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |{}",
            r.task,
            r.hours,
            r.cache,
            m.seconds,
            m.peak_mb,
            m.anon_mb,
            m.file_mb,
            m.pss_mb,
            m.pss_anon_mb,
            if m.status == "ok" {
                String::new()
            } else {
                format!(" {}", m.status)
            }
        );
    }
}

fn as_object(pairs: &[(String, f64)]) -> Value {
    Value::Object(pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

fn main() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("data-bench");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let files = throughput(&dir);
    let runs = memory(&dir);
    let files: Vec<Value> = files
        .iter()
        .map(|r| {
            json!({
                "file": r.name,
                "audio_seconds": r.seconds,
                "cochlea_times_real_time": as_object(&r.cochlea),
                "peer_times_real_time": as_object(&r.peer),
            })
        })
        .collect();
    let runs: Vec<Value> = runs
        .iter()
        .map(|r| {
            let m = &r.memory;
            json!({
                "task": r.task, "hours": r.hours, "cache": r.cache, "seconds": m.seconds,
                "peak_rss_mb": m.peak_mb, "rss_anon_mb": m.anon_mb, "rss_file_mb": m.file_mb,
                "pss_mb": m.pss_mb, "pss_anon_mb": m.pss_anon_mb, "status": m.status,
            })
        })
        .collect();
    let json = json!({ "throughput": files, "training_memory": runs });
    match results_path("data.json").and_then(|p| {
        std::fs::write(&p, serde_json::to_string_pretty(&json).unwrap_or_default())?;
        Ok(p)
    }) {
        Ok(p) => println!("\nwrote {}", p.display()),
        Err(e) => println!("\ncannot write target/bench-results/data.json: {e}"),
    }
}
