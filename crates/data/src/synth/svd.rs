//! A synthetic singing-voice-detection dataset on disk, in the Jamendo
//! layout (LITERATURE.md §4):
//!
//! ```text
//! dir/audio/song000.wav        mono 16-bit PCM at `sample_rate` (44.1 kHz)
//! dir/labels/song000.lab       `start end sing|nosing`, seconds, contiguous
//! dir/filelists/{train,valid,test}   one audio file name per line
//! dir/README.txt               seed, song count, generator version (for people)
//! dir/manifest.json            the generator and its settings (for programs)
//! ```
//!
//! Label boundaries are whole milliseconds and whole samples at once, so the
//! three-decimal times are exact. The file lists are written last, into
//! `filelists.tmp/` renamed to `filelists/`: a directory without
//! `filelists/` was not completed. The same seed and options give the same
//! bytes (songs are rendered in parallel from independent random streams).

use std::fs;
use std::io::Write;
use std::path::Path;

use super::arrangement::quantum;
use super::error::SynthError;
use super::manifest::Manifest;
use super::parallel::render_all;
use super::rng::Rng;
use super::song::song;
use super::wav::write_wav_i16;

/// Identifies the synthesis algorithm; bump it whenever the bytes a seed
/// produces change.
pub const GENERATOR_VERSION: &str = "cochlea-synth-svd/1";

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthSvdOptions {
    /// Seed of every random choice; the same seed gives the same bytes.
    pub seed: u64,
    /// Number of songs, at least 3 (one per split).
    pub songs: usize,
    /// Sample rate of the WAV files in Hz; a multiple of 25 in 8000..=192000.
    pub sample_rate: u32,
    /// Shortest song in seconds (at least 2).
    pub min_seconds: f64,
    /// Longest song in seconds (at least `min_seconds`, at most 600).
    pub max_seconds: f64,
}

impl Default for SynthSvdOptions {
    fn default() -> Self {
        SynthSvdOptions {
            seed: 0,
            songs: 24,
            sample_rate: 44_100,
            min_seconds: 30.0,
            max_seconds: 60.0,
        }
    }
}

impl SynthSvdOptions {
    fn validate(&self) -> Result<(), SynthError> {
        let bad = |field, reason: String| Err(SynthError::InvalidOption { field, reason });
        if self.songs < 3 {
            return bad(
                "songs",
                format!("need at least 3 songs (one per split), got {}", self.songs),
            );
        }
        if !(8_000..=192_000).contains(&self.sample_rate) || !self.sample_rate.is_multiple_of(25) {
            return bad(
                "sample_rate",
                format!(
                    "must be a multiple of 25 Hz between 8000 and 192000, got {}",
                    self.sample_rate
                ),
            );
        }
        if !self.min_seconds.is_finite() || self.min_seconds < 2.0 {
            return bad(
                "min_seconds",
                format!("must be at least 2, got {}", self.min_seconds),
            );
        }
        if !self.max_seconds.is_finite()
            || self.max_seconds < self.min_seconds
            || self.max_seconds > 600.0
        {
            return bad(
                "max_seconds",
                format!(
                    "must lie between min_seconds ({}) and 600, got {}",
                    self.min_seconds, self.max_seconds
                ),
            );
        }
        Ok(())
    }
}

/// One generated song.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthSong {
    /// Audio file name, e.g. `song007.wav` (its label file is `song007.lab`).
    pub name: String,
    /// Length in seconds.
    pub seconds: f64,
    /// Seconds labelled `sing`.
    pub sung_seconds: f64,
    /// What was drawn for it: tempo, key, voice range and level, lead
    /// instruments, accompaniment.
    pub description: String,
}

/// What [`generate_svd`] wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthSummary {
    /// Every song, in index order.
    pub songs: Vec<SynthSong>,
    /// Audio file names per split, sorted.
    pub train: Vec<String>,
    pub valid: Vec<String>,
    pub test: Vec<String>,
}

impl SynthSummary {
    pub fn total_seconds(&self) -> f64 {
        self.songs.iter().map(|s| s.seconds).sum()
    }

    /// Fraction of all audio labelled `sing`.
    pub fn sung_fraction(&self) -> f64 {
        self.songs.iter().map(|s| s.sung_seconds).sum::<f64>() / self.total_seconds()
    }
}

/// Writes a synthetic singing-voice-detection dataset into `dir`, which must
/// not exist or be empty. See the module documentation for the layout.
pub fn generate_svd(dir: &Path, opts: &SynthSvdOptions) -> Result<SynthSummary, SynthError> {
    opts.validate()?;
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(SynthError::io(dir))?;
        if entries.next().is_some() {
            return Err(SynthError::NotEmpty {
                dir: dir.to_path_buf(),
            });
        }
    }
    let audio_dir = dir.join("audio");
    let label_dir = dir.join("labels");
    fs::create_dir_all(&audio_dir).map_err(SynthError::io(&audio_dir))?;
    fs::create_dir_all(&label_dir).map_err(SynthError::io(&label_dir))?;

    let width = opts.songs.saturating_sub(1).to_string().len().max(3);
    let names: Vec<String> = (0..opts.songs)
        .map(|i| format!("song{i:0width$}"))
        .collect();

    // Render and write songs in parallel; each song has its own stream.
    let songs = render_all(opts.songs, |i| {
        write_song(i, &names[i], &audio_dir, &label_dir, opts)
    })?;

    // Splits: 20 % valid, 20 % test (at least one each), the rest train.
    let mut order: Vec<usize> = (0..opts.songs).collect();
    let mut rng = Rng::stream(opts.seed, u64::MAX);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let n = opts.songs;
    let n_valid = ((n as f64 * 0.2).round() as usize).max(1);
    let n_test = ((n as f64 * 0.2).round() as usize).max(1);
    let list = |idx: &[usize]| {
        let mut v: Vec<String> = idx.iter().map(|&i| songs[i].name.clone()).collect();
        v.sort();
        v
    };
    let valid = list(&order[..n_valid]);
    let test = list(&order[n_valid..n_valid + n_test]);
    let train = list(&order[n_valid + n_test..]);
    let summary = SynthSummary {
        songs,
        train,
        valid,
        test,
    };

    write_readme(dir, opts, &summary)?;
    write_manifest(dir, opts)?;
    let tmp = dir.join("filelists.tmp");
    fs::create_dir_all(&tmp).map_err(SynthError::io(&tmp))?;
    for (split, names) in [
        ("train", &summary.train),
        ("valid", &summary.valid),
        ("test", &summary.test),
    ] {
        let path = tmp.join(split);
        let text: String = names.iter().map(|n| format!("{n}\n")).collect();
        fs::write(&path, text).map_err(SynthError::io(&path))?;
    }
    let lists = dir.join("filelists");
    fs::rename(&tmp, &lists).map_err(SynthError::io(&lists))?;
    Ok(summary)
}

/// Renders song `index` and writes its WAV and label files.
fn write_song(
    index: usize,
    stem: &str,
    audio_dir: &Path,
    label_dir: &Path,
    opts: &SynthSvdOptions,
) -> Result<SynthSong, SynthError> {
    let sr = opts.sample_rate;
    let q = quantum(sr) as f64;
    let mut rng = Rng::stream(opts.seed, index as u64);
    let lo = (opts.min_seconds * f64::from(sr) / q).ceil();
    let hi = (opts.max_seconds * f64::from(sr) / q).floor().max(lo);
    let units = (lo + (hi - lo + 1.0) * rng.uniform()).floor().min(hi);
    let len = (units * q) as usize;
    let song = song(&mut rng, sr, len);

    let wav_path = audio_dir.join(format!("{stem}.wav"));
    write_wav_i16(&wav_path, sr, &song.audio)?;

    let srf = f64::from(sr);
    let mut lab = String::new();
    let mut sung = 0usize;
    for s in &song.segments {
        let label = if s.sung { "sing" } else { "nosing" };
        lab.push_str(&format!(
            "{:.3} {:.3} {label}\n",
            s.start as f64 / srf,
            s.end as f64 / srf
        ));
        if s.sung {
            sung += s.len();
        }
    }
    let lab_path = label_dir.join(format!("{stem}.lab"));
    fs::write(&lab_path, lab).map_err(SynthError::io(&lab_path))?;
    Ok(SynthSong {
        name: format!("{stem}.wav"),
        seconds: len as f64 / srf,
        sung_seconds: sung as f64 / srf,
        description: song.description,
    })
}

/// Name of the singing-voice generator in `manifest.json`.
pub const SVD_GENERATOR: &str = "cochlea synth svd";
/// Its version in `manifest.json` (the `/1` of [`GENERATOR_VERSION`]).
pub const SVD_VERSION: u32 = 1;

/// The settings `manifest.json` records for `opts`, one key per option.
pub fn svd_settings(opts: &SynthSvdOptions) -> serde_json::Map<String, serde_json::Value> {
    let mut settings = serde_json::Map::new();
    settings.insert("seed".into(), opts.seed.into());
    settings.insert("songs".into(), opts.songs.into());
    settings.insert("sample_rate".into(), opts.sample_rate.into());
    settings.insert("min_seconds".into(), opts.min_seconds.into());
    settings.insert("max_seconds".into(), opts.max_seconds.into());
    settings
}

/// Writes `manifest.json`: the generator and every setting it was run with,
/// for [`crate::synthetic`] to compare with what a config declares.
fn write_manifest(dir: &Path, opts: &SynthSvdOptions) -> Result<(), SynthError> {
    let manifest = Manifest {
        generator: SVD_GENERATOR.into(),
        version: SVD_VERSION,
        settings: svd_settings(opts),
    };
    super::manifest::write(dir, &manifest)
}

fn write_readme(dir: &Path, opts: &SynthSvdOptions, s: &SynthSummary) -> Result<(), SynthError> {
    let path = dir.join("README.txt");
    let mut f = fs::File::create(&path).map_err(SynthError::io(&path))?;
    let text = format!(
        "Synthetic singing-voice detection dataset (Jamendo layout), made by cochlea-data's\n\
         synth::generate_svd. Regenerate it from the seed instead of copying it.\n\
         \n\
         generator: {GENERATOR_VERSION}\n\
         seed: {}\n\
         songs: {} (train {}, valid {}, test {})\n\
         sample_rate: {} Hz, mono, 16-bit PCM\n\
         song length: {}..{} s requested, {:.1} s in total, {:.1} % labelled sing\n\
         \n\
         audio/<name>.wav         the mixes\n\
         labels/<name>.lab        `start end sing|nosing` in seconds, contiguous, exact\n\
         filelists/{{train,valid,test}}  audio file names, one per line (written last)\n\
         \n\
         per song (name, split, length, sung share, what was drawn):\n",
        opts.seed,
        s.songs.len(),
        s.train.len(),
        s.valid.len(),
        s.test.len(),
        opts.sample_rate,
        opts.min_seconds,
        opts.max_seconds,
        s.total_seconds(),
        100.0 * s.sung_fraction(),
    );
    let split_of = |name: &String| {
        if s.valid.contains(name) {
            "valid"
        } else if s.test.contains(name) {
            "test"
        } else {
            "train"
        }
    };
    let mut text = text;
    for song in &s.songs {
        text.push_str(&format!(
            "{} {:5} {:5.1} s, {:4.1} % sung: {}\n",
            song.name,
            split_of(&song.name),
            song.seconds,
            100.0 * song.sung_seconds / song.seconds,
            song.description
        ));
    }
    f.write_all(text.as_bytes()).map_err(SynthError::io(&path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A fresh, empty scratch directory path, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let p =
                std::env::temp_dir().join(format!("cochlea-synth-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&p);
            Scratch(p)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    use crate::testdir::tree;

    fn small(seed: u64) -> SynthSvdOptions {
        SynthSvdOptions {
            seed,
            songs: 3,
            sample_rate: 44_100,
            min_seconds: 4.0,
            max_seconds: 6.0,
        }
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_audio() {
        let (a, b, c) = (Scratch::new("a"), Scratch::new("b"), Scratch::new("c"));
        generate_svd(&a.0, &small(11)).unwrap();
        generate_svd(&b.0, &small(11)).unwrap();
        generate_svd(&c.0, &small(12)).unwrap();
        let (ta, tb, tc) = (tree(&a.0), tree(&b.0), tree(&c.0));
        // 3 songs, 3 labels, 3 filelists, README.txt and manifest.json.
        assert_eq!(ta.len(), 3 + 3 + 3 + 2);
        assert!(ta == tb, "same seed gave different files");
        let wav =
            |t: &[(String, Vec<u8>)]| t.iter().find(|f| f.0.ends_with("song000.wav")).cloned();
        assert_ne!(wav(&ta), wav(&tc), "different seeds gave the same audio");
    }

    #[test]
    fn layout_labels_and_durations_are_consistent() {
        let dir = Scratch::new("layout");
        let opts = small(5);
        let summary = generate_svd(&dir.0, &opts).unwrap();
        assert!(dir.0.join("README.txt").is_file());
        assert!(!dir.0.join("filelists.tmp").exists());
        let readme = fs::read_to_string(dir.0.join("README.txt")).unwrap();
        assert!(readme.contains("seed: 5") && readme.contains(GENERATOR_VERSION));
        let manifest = super::super::manifest::read(&dir.0)
            .unwrap()
            .expect("a manifest.json");
        assert_eq!(manifest.generator, SVD_GENERATOR);
        assert_eq!(manifest.version, SVD_VERSION);
        assert_eq!(manifest.settings["seed"], 5);
        assert_eq!(manifest.settings["songs"], opts.songs);
        assert_eq!(manifest.settings["min_seconds"], opts.min_seconds);

        let mut listed = Vec::new();
        for split in ["train", "valid", "test"] {
            let text = fs::read_to_string(dir.0.join("filelists").join(split)).unwrap();
            let names: Vec<&str> = text.lines().collect();
            assert!(!names.is_empty(), "{split} is empty");
            listed.extend(names.iter().map(|s| s.to_string()));
        }
        listed.sort();
        let mut all: Vec<String> = summary.songs.iter().map(|s| s.name.clone()).collect();
        all.sort();
        assert_eq!(listed, all, "every song in exactly one split");

        for song in &summary.songs {
            let wav = dir.0.join("audio").join(&song.name);
            let reader = hound::WavReader::open(&wav).unwrap();
            let spec = reader.spec();
            assert_eq!(
                (spec.channels, spec.sample_rate, spec.bits_per_sample),
                (1, 44_100, 16)
            );
            let samples = reader.duration() as usize;
            let seconds = samples as f64 / 44_100.0;
            assert!(
                (opts.min_seconds..=opts.max_seconds).contains(&seconds),
                "{seconds}"
            );
            assert!((seconds - song.seconds).abs() < 1e-9);

            let stem = song.name.trim_end_matches(".wav");
            let lab = fs::read_to_string(dir.0.join("labels").join(format!("{stem}.lab"))).unwrap();
            let segs: Vec<(f64, f64, bool)> = lab
                .lines()
                .map(|l| {
                    let f: Vec<&str> = l.split_whitespace().collect();
                    assert_eq!(f.len(), 3, "{l}");
                    assert!(f[2] == "sing" || f[2] == "nosing", "{l}");
                    (f[0].parse().unwrap(), f[1].parse().unwrap(), f[2] == "sing")
                })
                .collect();
            assert_eq!(segs[0].0, 0.0);
            assert_eq!(
                segs.last().unwrap().1,
                seconds,
                "labels cover the song exactly"
            );
            for w in segs.windows(2) {
                assert_eq!(w[0].1, w[1].0, "contiguous");
                assert_ne!(w[0].2, w[1].2, "alternating");
            }
            // Boundaries are whole samples.
            for s in &segs {
                let n = s.0 * 44_100.0;
                assert!((n - n.round()).abs() < 1e-6);
            }
            // Sung fraction of 70 fps frames.
            let frames = (seconds * 70.0) as usize;
            let sung = (0..frames)
                .filter(|&i| {
                    let t = i as f64 / 70.0;
                    segs.iter().any(|s| s.2 && t >= s.0 && t < s.1)
                })
                .count();
            let f = sung as f64 / frames as f64;
            assert!((0.4..=0.6).contains(&f), "{}: sung fraction {f}", song.name);
            assert!((song.sung_seconds / song.seconds - f).abs() < 0.02);

            // Not silent, not clipped.
            let peak = hound::WavReader::open(&wav)
                .unwrap()
                .samples::<i16>()
                .map(|s| i32::from(s.unwrap()).abs())
                .max()
                .unwrap();
            assert!((8_000..32_767).contains(&peak), "peak {peak}");
        }
    }

    #[test]
    fn refuses_bad_options_and_non_empty_directories() {
        let dir = Scratch::new("refuse");
        let few = SynthSvdOptions {
            songs: 2,
            ..small(0)
        };
        assert!(matches!(
            generate_svd(&dir.0, &few),
            Err(SynthError::InvalidOption { field: "songs", .. })
        ));
        let short = SynthSvdOptions {
            max_seconds: 3.0,
            ..small(0)
        };
        assert!(matches!(
            generate_svd(&dir.0, &short),
            Err(SynthError::InvalidOption {
                field: "max_seconds",
                ..
            })
        ));
        fs::create_dir_all(&dir.0).unwrap();
        fs::write(dir.0.join("keep.txt"), "x").unwrap();
        assert!(matches!(
            generate_svd(&dir.0, &small(0)),
            Err(SynthError::NotEmpty { .. })
        ));
        assert!(!dir.0.join("audio").exists());
    }

    #[test]
    fn default_options_are_the_documented_ones() {
        let d = SynthSvdOptions::default();
        assert_eq!(
            (d.sample_rate, d.min_seconds, d.max_seconds),
            (44_100, 30.0, 60.0)
        );
        assert!(d.validate().is_ok());
    }
}
