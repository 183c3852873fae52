//! Cost of each augmentation per training batch: 32 singing-voice excerpts
//! (115 frames at hop 315, 36,934 samples at 22,050 Hz) and 16 tagging
//! chunks (231 frames at hop 256, 59,392 samples at 16 kHz), drawn from
//! small synthetic datasets (generated once under cargo's bench temporary
//! folder), each augmentation alone and all together, on one thread and on
//! all the threads training uses. Prints the median and the mean of
//! `BATCHES` batches in milliseconds ("none" is the plain copy of the
//! excerpts).
//!
//! Run: `cargo bench -p cochlea-data --bench augment`

use std::path::Path;
use std::time::Instant;

use cochlea_data::augment::{AugmentConfig, augmented_batch_with_threads, available_threads};
use cochlea_data::{
    ChunkSampler, ClipRules, DataConfig, ExcerptSampler, ExcerptSource, Framing, JamendoDataset,
    ensure_generated, load_clips, load_songs,
};
use rand::SeedableRng;
use rand::rngs::StdRng;

const BATCHES: usize = 15;

fn data_config(text: &str) -> DataConfig {
    let config: DataConfig = toml::from_str(text).expect("bench data config");
    ensure_generated(&config).expect("cannot generate the bench dataset");
    config
}

/// The variants timed: name and config.
fn variants() -> Vec<(&'static str, AugmentConfig)> {
    let off = AugmentConfig::default();
    let all = AugmentConfig {
        pitch_shift: 0.3,
        time_stretch: 0.3,
        speed: 0.3,
        filter_db: 10.0,
        gain_db: 6.0,
        noise_snr_db: Some(20.0),
        noise_probability: 1.0,
        mix_snr_db: Some(6.0),
        mix_probability: 1.0,
    };
    vec![
        ("none", off.clone()),
        (
            "pitch_shift = 0.3",
            AugmentConfig {
                pitch_shift: 0.3,
                ..off.clone()
            },
        ),
        (
            "time_stretch = 0.3",
            AugmentConfig {
                time_stretch: 0.3,
                ..off.clone()
            },
        ),
        (
            "speed = 0.3",
            AugmentConfig {
                speed: 0.3,
                ..off.clone()
            },
        ),
        (
            "filter_db = 10",
            AugmentConfig {
                filter_db: 10.0,
                ..off.clone()
            },
        ),
        (
            "gain_db = 6",
            AugmentConfig {
                gain_db: 6.0,
                ..off.clone()
            },
        ),
        (
            "noise_snr_db = 20",
            AugmentConfig {
                noise_snr_db: Some(20.0),
                ..off.clone()
            },
        ),
        (
            "mix_snr_db = 6",
            AugmentConfig {
                mix_snr_db: Some(6.0),
                ..off.clone()
            },
        ),
        ("all of the above", all),
    ]
}

/// Median and mean milliseconds per batch.
fn time(
    source: &dyn ExcerptSource,
    config: &AugmentConfig,
    batch: usize,
    threads: usize,
) -> (f64, f64) {
    let mut order = StdRng::seed_from_u64(1);
    let mut augment = StdRng::seed_from_u64(2);
    let mut time_one = || {
        let started = Instant::now();
        std::hint::black_box(augmented_batch_with_threads(
            source,
            config,
            &mut order,
            &mut augment,
            batch,
            threads,
        ));
        started.elapsed().as_secs_f64() * 1e3
    };
    // One batch to warm caches and page in the mapped audio.
    time_one();
    let mut ms: Vec<f64> = (0..BATCHES).map(|_| time_one()).collect();
    let mean = ms.iter().sum::<f64>() / ms.len() as f64;
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], mean)
}

fn report(title: &str, source: &dyn ExcerptSource, batch: usize) {
    let threads = available_threads();
    println!(
        "\n{title}: batch of {batch} × {} samples",
        source.excerpt_samples()
    );
    println!("| augmentation | 1 thread: median ms (mean) | {threads} threads: median ms (mean) |");
    println!("|---|---|---|");
    for (name, config) in variants() {
        let (m1, a1) = time(source, &config, batch, 1);
        let (mn, an) = time(source, &config, batch, threads);
        println!("| {name} | {m1:.2} ({a1:.2}) | {mn:.2} ({an:.2}) |");
    }
}

fn main() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("augment-bench");
    let svd = data_config(&format!(
        "layout = \"jamendo\"\nroot = \"{}\"\nsample_rate = 22050\n\
         [synthetic]\nkind = \"svd\"\nseed = 1\nsongs = 10\nmin_seconds = 20\nmax_seconds = 30\n",
        dir.join("svd").display()
    ));
    let framing = Framing {
        frame_length: 1024,
        hop: 315,
        sample_rate: 22050,
    };
    let dataset = JamendoDataset::open(&svd.root).expect("bench SVD dataset");
    let songs = load_songs(&dataset, "train", &svd.loader(), framing, None)
        .expect("bench songs")
        .songs;
    let sampler = ExcerptSampler::new(&songs, framing, 115).expect("songs long enough");
    report("singing voice (22,050 Hz)", &sampler, 32);

    let tagging = data_config(&format!(
        "layout = \"magnatagatune\"\nroot = \"{}\"\nsample_rate = 16000\n\
         [synthetic]\nkind = \"tagging\"\nseed = 1\nclips = 48\nclip_seconds = 10\n",
        dir.join("tagging").display()
    ));
    let listed = tagging.open_tagged().expect("bench tagging dataset");
    let clips = load_clips(
        listed.split("train").expect("a train split"),
        &tagging.loader(),
        ClipRules::default(),
    )
    .expect("bench clips");
    let chunk = Framing {
        frame_length: 512,
        hop: 256,
        sample_rate: 16000,
    }
    .samples_for(231);
    let sampler = ChunkSampler::new(&clips.clips, chunk).expect("clips");
    report("tagging (16,000 Hz)", &sampler, 16);
}
