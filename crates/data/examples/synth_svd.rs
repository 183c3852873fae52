//! Generates a synthetic singing-voice-detection dataset:
//! `cargo run --release -p cochlea-data --example synth_svd -- <dir> [seed] [songs] [min_s] [max_s]`

use std::time::Instant;

use cochlea_data::synth::{SynthSvdOptions, generate_svd};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: synth_svd <dir> [seed] [songs] [min_seconds] [max_seconds]");
        std::process::exit(2);
    };
    let arg = |i: usize, what: &str| {
        args.get(i).map(|s| {
            s.parse::<f64>().unwrap_or_else(|_| {
                eprintln!("{what} must be a number, got {s:?}");
                std::process::exit(2)
            })
        })
    };
    let mut opts = SynthSvdOptions::default();
    if let Some(v) = arg(1, "seed") {
        opts.seed = v as u64;
    }
    if let Some(v) = arg(2, "songs") {
        opts.songs = v as usize;
    }
    if let Some(v) = arg(3, "min_seconds") {
        opts.min_seconds = v;
    }
    if let Some(v) = arg(4, "max_seconds") {
        opts.max_seconds = v;
    }
    let t = Instant::now();
    match generate_svd(dir.as_ref(), &opts) {
        Ok(s) => println!(
            "{} songs, {:.1} s of audio, {:.1} % sung, train/valid/test {}/{}/{}, in {:.2} s",
            s.songs.len(),
            s.total_seconds(),
            100.0 * s.sung_fraction(),
            s.train.len(),
            s.valid.len(),
            s.test.len(),
            t.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
