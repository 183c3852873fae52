//! Bad input: each test runs the binary on a copy of the small dataset (or a
//! config) with one defect and checks that it stops before training with
//! exit status 1, no panic, and a message naming the file (and line) and the
//! offending key or value.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{
    assert_fails_with, copy_dataset, run_in, small_dataset, tiny_config, write, write_wav_f32,
    write_wav_i16,
};

/// A temp folder holding `data/` (a copy of the small dataset) and
/// `exp.toml` (a tiny config on it).
struct Case {
    tmp: tempfile::TempDir,
    data: PathBuf,
}

impl Case {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        copy_dataset(small_dataset(), &data);
        write(tmp.path(), "exp.toml", &tiny_config(&data, 1));
        Case { tmp, data }
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// `cochlea train exp.toml --out run <extra>` in the temp folder.
    fn train(&self, extra: &[&str]) -> Output {
        let mut args = vec!["train", "exp.toml", "--out", "run"];
        args.extend_from_slice(extra);
        run_in(self.dir(), &args)
    }

    /// Replaces the config by `text`.
    fn set_config(&self, text: &str) {
        write(self.dir(), "exp.toml", text);
    }

    fn filelist(&self) -> PathBuf {
        self.data.join("filelists").join("train")
    }

    /// The audio file name of the first training song (defects go into the
    /// training split, which is read before training starts).
    fn train_song(&self) -> String {
        let text = std::fs::read_to_string(self.filelist()).unwrap();
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .expect("the training filelist names a song")
            .to_owned()
    }

    fn train_audio(&self) -> PathBuf {
        self.data.join("audio").join(self.train_song())
    }

    fn train_labels(&self) -> PathBuf {
        let song = self.train_song();
        let stem = Path::new(&song)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        self.data.join("labels").join(format!("{stem}.lab"))
    }
}

fn show(p: &Path) -> String {
    p.display().to_string()
}

/// Deterministic pseudo-random bytes (xorshift64*).
fn noise_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

#[test]
fn unknown_config_key_names_key_and_file() {
    let c = Case::new();
    // tiny_config ends in [train], so the key lands there.
    c.set_config(&format!("{}epochz = 2\n", tiny_config(&c.data, 1)));
    assert_fails_with(&c.train(&[]), &["exp.toml", "epochz", "unknown field"]);
}

#[test]
fn wrongly_typed_config_value_names_key() {
    let c = Case::new();
    let text = tiny_config(&c.data, 1).replace("epochs = 1", "epochs = \"two\"");
    c.set_config(&text);
    assert_fails_with(&c.train(&[]), &["exp.toml", "epochs", "two"]);
}

#[test]
fn unknown_key_in_set_is_named() {
    let c = Case::new();
    assert_fails_with(
        &c.train(&["--set", "train.nope=1"]),
        &["nope", "unknown field"],
    );
}

#[test]
fn frontend_lr_scale_that_is_not_positive_and_finite_is_named() {
    let c = Case::new();
    for bad in ["0", "-0.5", "nan", "inf"] {
        assert_fails_with(
            &c.train(&["--set", &format!("train.frontend_lr_scale={bad}")]),
            &["exp.toml", "train.frontend_lr_scale", "positive and finite"],
        );
    }
    // In the file, too.
    c.set_config(&format!(
        "{}frontend_lr_scale = -1.0\n",
        tiny_config(&c.data, 1)
    ));
    assert_fails_with(&c.train(&[]), &["exp.toml", "train.frontend_lr_scale"]);
}

#[test]
fn set_without_equals_sign_is_explained() {
    let c = Case::new();
    assert_fails_with(
        &c.train(&["--set", "train.epochs"]),
        &["--set train.epochs", "key=value"],
    );
}

// ---- the dataset's folders and filelists ----

#[test]
fn missing_dataset_folder_suggests_a_dataset_or_a_synthetic_one() {
    let c = Case::new();
    let missing = c.dir().join("no-such-dataset");
    c.set_config(&tiny_config(&missing, 1));
    assert_fails_with(
        &c.train(&[]),
        &[
            &show(&missing),
            "does not exist",
            "put a real dataset there",
            "synthetic",
        ],
    );
}

#[test]
fn filelist_naming_a_missing_audio_file_names_filelist_and_line() {
    let c = Case::new();
    let song = c.train_song();
    std::fs::write(c.filelist(), format!("{song}\nghost.wav\n")).unwrap();
    assert_fails_with(
        &c.train(&[]),
        &[
            &format!("{}:2:", show(&c.filelist())),
            "ghost.wav",
            "does not exist",
        ],
    );
}

#[test]
fn missing_lab_file_is_named() {
    let c = Case::new();
    let lab = c.train_labels();
    std::fs::remove_file(&lab).unwrap();
    assert_fails_with(
        &c.train(&[]),
        &[
            &format!("{}:1:", show(&c.filelist())),
            &show(&lab),
            "does not exist",
        ],
    );
}

// ---- audio files ----

#[test]
fn empty_audio_is_named() {
    let c = Case::new();
    let audio = c.train_audio();
    write_wav_i16(&audio, 44100, &[]);
    assert_fails_with(&c.train(&[]), &[&show(&audio), "no audio samples"]);
    // No run directory is left behind, so the same --out works once fixed.
    assert!(
        !c.dir().join("run").exists(),
        "a failed start left a run directory"
    );
}

#[test]
fn truncated_audio_is_named() {
    let c = Case::new();
    let audio = c.train_audio();
    let bytes = std::fs::read(&audio).unwrap();
    std::fs::write(&audio, &bytes[..bytes.len() * 6 / 10]).unwrap();
    assert_fails_with(&c.train(&[]), &[&show(&audio), "truncated"]);
}

#[test]
fn undecodable_wav_is_named() {
    let c = Case::new();
    let audio = c.train_audio();
    std::fs::write(&audio, noise_bytes(50_000, 11)).unwrap();
    assert_fails_with(&c.train(&[]), &[&show(&audio), "cannot be decoded"]);
}

#[test]
fn undecodable_ogg_is_named() {
    let c = Case::new();
    let wav = c.train_audio();
    let song = c.train_song();
    let stem = Path::new(&song)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let ogg = c.data.join("audio").join(format!("{stem}.ogg"));
    std::fs::remove_file(&wav).unwrap();
    std::fs::write(&ogg, noise_bytes(50_000, 12)).unwrap();
    std::fs::write(c.filelist(), format!("{stem}.ogg\n")).unwrap();
    assert_fails_with(&c.train(&[]), &[&show(&ogg), "cannot be decoded"]);
}

#[test]
fn nan_sample_is_named_with_its_position() {
    let c = Case::new();
    let audio = c.train_audio();
    let mut samples: Vec<f32> = (0..22050).map(|i| (i as f32 * 0.05).sin() * 0.5).collect();
    samples[1000] = f32::NAN;
    write_wav_f32(&audio, 22050, &samples);
    assert_fails_with(
        &c.train(&[]),
        &[&show(&audio), "non-finite sample", "sample frame 1000"],
    );
}

#[test]
fn sample_rate_beyond_the_resampler_is_named() {
    // The resampler accepts ratios up to 1:256 (crates/data/src/resample.rs);
    // 10 Hz to 22050 Hz is far beyond.
    let c = Case::new();
    let audio = c.train_audio();
    write_wav_i16(&audio, 10, &[1000; 200]);
    assert_fails_with(&c.train(&[]), &[&show(&audio), "10 Hz", "not supported"]);
}

// ---- .lab files ----

/// Writes `text` as the training song's labels and checks that the error
/// names the .lab file, `line` and every needle.
fn assert_lab_rejected(text: &str, line: usize, needles: &[&str]) {
    let c = Case::new();
    let lab = c.train_labels();
    std::fs::write(&lab, text).unwrap();
    let located = format!("{}:{line}:", show(&lab));
    let mut all = vec![located.as_str()];
    all.extend_from_slice(needles);
    assert_fails_with(&c.train(&[]), &all);
}

#[test]
fn malformed_lab_line_is_named() {
    assert_lab_rejected("0.0 1.0 nosing\n1.0 abc sing\n", 2, &["'abc'"]);
}

#[test]
fn reversed_lab_segment_is_named() {
    assert_lab_rejected(
        "0 1 nosing\n5.0 2.0 sing\n",
        2,
        &["before it starts", "(5 s)"],
    );
}

#[test]
fn overlapping_lab_segments_are_named() {
    assert_lab_rejected("0 3 nosing\n2 5 sing\n", 2, &["overlaps", "line 1"]);
}

#[test]
fn unknown_lab_label_is_named() {
    assert_lab_rejected("0 1 nosing\n\n1 2 singing\n", 3, &["'singing'", "sing"]);
}

// ---- run folders and `features` ----

#[test]
fn resume_of_a_folder_that_is_not_a_run_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("notarun")).unwrap();
    let out = run_in(tmp.path(), &["train", "--resume", "notarun"]);
    assert_fails_with(&out, &["notarun", "config.toml", "cochlea train"]);
}

#[test]
fn evaluate_of_a_folder_that_is_not_a_run_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("notarun")).unwrap();
    let out = run_in(tmp.path(), &["evaluate", "notarun"]);
    assert_fails_with(&out, &["notarun", "config.toml", "cochlea train"]);
}

#[test]
fn features_of_a_missing_audio_file_names_it() {
    let c = Case::new();
    let out = run_in(
        c.dir(),
        &["features", "exp.toml", "missing.wav", "--out", "x.npy"],
    );
    assert_fails_with(&out, &["missing.wav", "No such file"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("No such file").count(),
        1,
        "the cause is repeated:\n{stderr}"
    );
    assert!(!c.dir().join("x.npy").exists());
}

// ---- backends ----

#[test]
#[cfg(not(feature = "wgpu"))]
fn wgpu_backend_without_the_feature_says_how_to_build_it() {
    let c = Case::new();
    let text = tiny_config(&c.data, 1).replace("backend = \"flex\"", "backend = \"wgpu\"");
    c.set_config(&text);
    assert_fails_with(&c.train(&[]), &["wgpu", "--features wgpu"]);
}

#[test]
fn synthetic_folder_generated_with_other_settings_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // The shared dataset was generated with seed 3, 3 songs of 6-8 s.
    let config = tiny_config(small_dataset(), 1).replace(
        "[frontend]",
        "[data.synthetic]\nkind = \"svd\"\nseed = 3\nsongs = 4\nmin_seconds = 6\nmax_seconds = 8\n\n[frontend]",
    );
    let path = write(tmp.path(), "exp.toml", &config);
    let out = run_in(tmp.path(), &["train", show(&path).as_str(), "--out", "run"]);
    assert_fails_with(
        &out,
        &[
            "songs 3 (data.synthetic.songs = 4)",
            "delete the folder",
            &small_dataset().display().to_string(),
        ],
    );
    assert!(!tmp.path().join("run").exists());
    // Declared as generated, it is accepted.
    let matching = config.replace("songs = 4", "songs = 3");
    let path = write(tmp.path(), "same.toml", &matching);
    let out = run_in(
        tmp.path(),
        &[
            "train",
            show(&path).as_str(),
            "--out",
            "run2",
            "--set",
            "train.epochs=1",
        ],
    );
    assert!(out.status.success(), "{}", crate::common::text(&out));
}
