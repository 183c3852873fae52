//! What the `cochlea` benches that run the binary share: running it as a
//! child process while reading its memory from `/proc`, and writing a test
//! recording.
//!
//! Memory is read every 20 ms while the child runs:
//! - `/proc/<pid>/status`: `VmHWM` (peak resident memory; the kernel keeps
//!   the maximum), and the largest `RssAnon` (resident memory that is not
//!   file-backed: heap, stacks) and `RssFile` (resident pages of mapped
//!   files, such as the waveform cache, which the kernel can drop) seen;
//! - `/proc/<pid>/smaps_rollup`, every fifth reading: the largest `Pss`
//!   (proportional set size: shared pages divided among their users) and
//!   `Pss_Anon` seen.

// Each bench that includes this module uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The built `cochlea` binary.
pub fn cochlea() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cochlea"))
}

/// What one child process used.
#[derive(Debug, Clone, Default)]
pub struct ChildMemory {
    /// Wall time in seconds.
    pub seconds: f64,
    /// Peak resident memory (`VmHWM`), MB.
    pub peak_mb: f64,
    /// Largest `RssAnon` seen, MB.
    pub anon_mb: f64,
    /// Largest `RssFile` seen, MB.
    pub file_mb: f64,
    /// Largest `Pss` seen, MB.
    pub pss_mb: f64,
    /// Largest `Pss_Anon` seen, MB.
    pub pss_anon_mb: f64,
    /// `"ok"`, or the exit status and the last line of standard error.
    pub status: String,
}

/// Runs `cochlea <args>` in `dir` with standard output discarded, reading
/// its memory until it exits.
pub fn measure(dir: &Path, args: &[&str]) -> ChildMemory {
    let failed = |status: String| ChildMemory {
        status,
        ..ChildMemory::default()
    };
    let started = Instant::now();
    let mut child = match cochlea()
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return failed(format!("cannot start: {e}")),
    };
    // Standard error is drained on its own thread, so that a chatty child
    // never blocks on a full pipe while it is being measured.
    let stderr = child.stderr.take().map(|mut e| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut e, &mut text);
            text
        })
    });
    let proc_dir = PathBuf::from(format!("/proc/{}", child.id()));
    let kb = 1.0 / 1024.0;
    let mut m = ChildMemory::default();
    let mut readings = 0u64;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(proc_dir.join("status")) {
            m.peak_mb = m.peak_mb.max(field_kb(&text, "VmHWM:") as f64 * kb);
            m.anon_mb = m.anon_mb.max(field_kb(&text, "RssAnon:") as f64 * kb);
            m.file_mb = m.file_mb.max(field_kb(&text, "RssFile:") as f64 * kb);
        }
        if readings.is_multiple_of(5)
            && let Ok(text) = std::fs::read_to_string(proc_dir.join("smaps_rollup"))
        {
            m.pss_mb = m.pss_mb.max(field_kb(&text, "Pss:") as f64 * kb);
            m.pss_anon_mb = m.pss_anon_mb.max(field_kb(&text, "Pss_Anon:") as f64 * kb);
        }
        readings += 1;
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return failed(format!("wait failed: {e}")),
        }
    };
    m.seconds = started.elapsed().as_secs_f64();
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    m.status = if status.success() {
        "ok".to_string()
    } else {
        format!("{status}: {}", stderr.trim().lines().last().unwrap_or(""))
    };
    m
}

/// The value in kB of a `/proc` line such as `VmHWM:  1234 kB`.
fn field_kb(text: &str, name: &str) -> u64 {
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A 16-bit stereo WAV of `seconds` at `rate` Hz: a tone with vibrato in
/// one channel, another in the other, and a burst of noise every 2 s.
pub fn write_wav(path: &Path, seconds: f64, rate: u32) -> hound::Result<()> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec)?;
    let rate = f64::from(rate);
    let n = (seconds * rate) as usize;
    let mut state = 1u32;
    let (mut phase_l, mut phase_r) = (0f64, 0f64);
    for i in 0..n {
        let t = i as f64 / rate;
        phase_l += 2.0 * std::f64::consts::PI * 220.0 * (1.0 + 0.02 * (5.0 * t).sin()) / rate;
        phase_r += 2.0 * std::f64::consts::PI * 330.0 / rate;
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

/// Writes `text` to `path`, or stops the bench naming the file.
pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// `target/bench-results/<name>`, its folder created.
pub fn results_path(name: &str) -> std::io::Result<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-results");
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join(name))
}
