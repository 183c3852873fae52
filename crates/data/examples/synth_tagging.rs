//! Generates a synthetic music-tagging dataset in the MagnaTagATune layout:
//! `cargo run --release -p cochlea-data --example synth_tagging -- <dir> [seed] [clips] [clip_seconds]`

use std::time::Instant;

use cochlea_data::synth::{SynthTaggingOptions, generate_tagging};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: synth_tagging <dir> [seed] [clips] [clip_seconds]");
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
    let mut opts = SynthTaggingOptions::default();
    if let Some(v) = arg(1, "seed") {
        opts.seed = v as u64;
    }
    if let Some(v) = arg(2, "clips") {
        opts.clips = v as usize;
    }
    if let Some(v) = arg(3, "clip_seconds") {
        opts.clip_seconds = v;
    }
    let t = Instant::now();
    match generate_tagging(dir.as_ref(), &opts) {
        Ok(s) => {
            let (train, valid, test) = s.split_counts();
            println!(
                "{} clips in {} albums, {:.1} s of audio, train/valid/test {train}/{valid}/{test}, {} tags, in {:.2} s",
                s.clips,
                s.albums,
                s.total_seconds,
                s.tags.len(),
                t.elapsed().as_secs_f64()
            );
            let mut idx: Vec<usize> = (0..s.tags.len()).collect();
            idx.sort_by_key(|&i| std::cmp::Reverse(s.tag_counts[i]));
            let line: Vec<String> = idx
                .iter()
                .map(|&i| {
                    format!(
                        "{} {:.1}%",
                        s.tags[i],
                        100.0 * s.tag_counts[i] as f64 / s.clips as f64
                    )
                })
                .collect();
            println!("tags: {}", line.join(", "));
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
