//! `cochlea predict`: what it writes for singing voice and tagging, that it
//! agrees with `evaluate` on a dataset's songs, that it reads any format,
//! rate and channel count, mirrors folders in its output names and skips an
//! unreadable file with an error naming it; and `evaluate --data` naming its
//! report after the dataset.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cochlea_data::{frame_labels, read_lab};

use crate::common::{
    assert_fails_with, copy_dataset, run_in, small_dataset, text, tiny_config, write,
};
use crate::tagging::{json, small_tagging_dataset, tiny_tagging_config};

/// A tiny singing-voice run on the small dataset, trained once per test
/// process (its folder holds `run/`).
pub(crate) fn voice_run() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "exp.toml", &tiny_config(small_dataset(), 1));
        let out = run_in(tmp.path(), &["train", "exp.toml", "--out", "run"]);
        assert!(out.status.success(), "{}", text(&out));
        tmp
    })
    .path()
}

/// Rows of a CSV file after its header, split at commas.
fn csv_rows(path: &Path) -> (String, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The songs listed in a split's filelist, as paths.
fn split_songs(dataset: &Path, split: &str) -> Vec<PathBuf> {
    std::fs::read_to_string(dataset.join("filelists").join(split))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| dataset.join("audio").join(l.trim()))
        .collect()
}

#[test]
fn predict_agrees_with_evaluate_on_the_test_songs() {
    let dir = voice_run();
    let run = dir.join("run");
    let songs = split_songs(small_dataset(), "test");
    assert!(!songs.is_empty());
    let list: String = songs.iter().map(|s| format!("{}\n", s.display())).collect();
    let list = write(dir, "test-songs.txt", &list);
    let out = run_in(
        dir,
        &["predict", "run", list.to_str().unwrap(), "--out", "agree"],
    );
    assert!(out.status.success(), "{}", text(&out));

    // What evaluation saw: median-filtered scores per song and the threshold.
    let units = json(&run.join("test-predictions.json"));
    let threshold = units["thresholds"][0].as_f64().unwrap() as f32;
    let metrics = json(&run.join("metrics.json"));
    assert_eq!(metrics["threshold"].as_f64().unwrap() as f32, threshold);
    let (mut wrong, mut frames) = (0usize, 0usize);
    for song in &songs {
        let stem = song.file_stem().unwrap().to_str().unwrap();
        let unit = units["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == stem)
            .unwrap_or_else(|| panic!("no unit {stem}"));
        let scores: Vec<f32> = unit["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        let labels: Vec<u8> = unit["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u8)
            .collect();
        let (header, rows) = csv_rows(&dir.join(format!("agree/{stem}.csv")));
        assert_eq!(header, "time,probability,filtered");
        let filtered: Vec<f32> = rows.iter().map(|r| r[2].parse().unwrap()).collect();
        assert_eq!(
            filtered, scores,
            "{stem}: predict's filtered scores are evaluate's"
        );
        // Frame i at i / 70 s.
        assert_eq!(rows[70][0], "1.000000");
        // The .lab read back labels exactly the frames above the threshold.
        let segments = read_lab(&dir.join(format!("agree/{stem}.lab"))).unwrap();
        let decided = frame_labels(&segments, scores.len(), 70.0);
        let want: Vec<f32> = scores
            .iter()
            .map(|&s| f32::from(u8::from(s > threshold)))
            .collect();
        assert_eq!(decided, want, "{stem}");
        wrong += decided
            .iter()
            .zip(&labels)
            .filter(|(d, l)| **d != f32::from(**l))
            .count();
        frames += labels.len();
    }
    // So the .lab files give evaluate's error.
    let error = metrics["metrics"]["error"].as_f64().unwrap();
    assert!(
        (wrong as f64 / frames as f64 - error).abs() < 1e-12,
        "error from the .lab files {} vs the report's {error}",
        wrong as f64 / frames as f64
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("% sung in"), "{}", text(&out));
}

#[test]
fn predict_reads_any_format_mirrors_folders_and_skips_bad_files() {
    let dir = voice_run();
    let inputs = tempfile::tempdir().unwrap();
    let d = inputs.path();
    let fixtures = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/audio"
    ));
    std::fs::create_dir_all(d.join("a")).unwrap();
    std::fs::create_dir_all(d.join("b")).unwrap();
    // 44.1 kHz stereo, 16 kHz mono FLAC, MP3, and one stem in two folders.
    std::fs::copy(
        fixtures.join("tone_440hz_44100_stereo.ogg"),
        d.join("a/tone.ogg"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("tone_660hz_16000_mono.flac"),
        d.join("b/tone.flac"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("tone_1000hz_22050_mono.mp3"),
        d.join("b/other.mp3"),
    )
    .unwrap();
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(d.join("a/long.wav"), spec).unwrap();
    for i in 0..44100 * 5 {
        let v = (8000.0 * (i as f64 * 0.05).sin()) as i16;
        w.write_sample(v).unwrap();
        w.write_sample(-v).unwrap();
    }
    w.finalize().unwrap();
    std::fs::write(d.join("b/broken.mp3"), b"this is no audio at all").unwrap();
    std::fs::write(d.join("b/notes.md"), b"not audio, not read").unwrap();

    let out = run_in(
        dir,
        &["predict", "run", d.to_str().unwrap(), "--out", "mixed"],
    );
    assert_fails_with(&out, &["broken.mp3", "1 of 5 files could not be predicted"]);
    let out_dir = dir.join("mixed");
    for (name, seconds) in [
        ("a/tone", 1.0),
        ("b/tone", 0.5),
        ("b/other", 1.07),
        ("a/long", 5.0),
    ] {
        let (_, rows) = csv_rows(&out_dir.join(format!("{name}.csv")));
        let frames = 1 + (seconds * 22050.0 - 1024.0) as usize / 315;
        assert!(
            rows.len().abs_diff(frames) <= 1,
            "{name}: {} rows, ~{frames} expected",
            rows.len()
        );
        let segments = read_lab(&out_dir.join(format!("{name}.lab"))).unwrap();
        let end = segments.last().unwrap().end;
        assert!(
            (end - seconds).abs() < 0.05,
            "{name}: last segment ends at {end}"
        );
    }
    assert!(!out_dir.join("b/broken.csv").exists());
    // A stereo file's two channels cancel here: the model sees silence.
    let (_, rows) = csv_rows(&out_dir.join("a/long.csv"));
    let first = &rows[10][1];
    assert!(
        rows.iter().skip(10).take(100).all(|r| &r[1] == first),
        "not constant: silence"
    );

    // Missing inputs fail before anything is predicted.
    let out = run_in(dir, &["predict", "run", "nope.wav", "--out", "none"]);
    assert_fails_with(&out, &["nope.wav", "does not exist"]);
    assert!(!dir.join("none").exists());
    let out = run_in(dir, &["predict", "nope-run", d.to_str().unwrap()]);
    assert_fails_with(&out, &["nope-run", "config.toml"]);
}

#[test]
fn tagging_predict_writes_chunk_and_file_scores() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "tags.toml",
        &tiny_tagging_config(small_tagging_dataset(), 1),
    );
    let out = run_in(dir, &["train", "tags.toml", "--out", "run"]);
    assert!(out.status.success(), "{}", text(&out));
    let tags: Vec<String> = {
        let config: toml::Table =
            toml::from_str(&std::fs::read_to_string(dir.join("run/config.toml")).unwrap()).unwrap();
        config["task"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect()
    };
    // A clip of the dataset, and the same clip three times over (12 s).
    let original = std::fs::read_dir(small_tagging_dataset().join("0"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "wav"))
        .unwrap();
    let clip = dir.join("clip.wav");
    std::fs::copy(&original, &clip).unwrap();
    let mut reader = hound::WavReader::open(&clip).unwrap();
    let spec = reader.spec();
    let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    let mut w = hound::WavWriter::create(dir.join("long.wav"), spec).unwrap();
    for _ in 0..3 {
        for &s in &samples {
            w.write_sample(s).unwrap();
        }
    }
    w.finalize().unwrap();
    let out = run_in(
        dir,
        &["predict", "run", "clip.wav", "long.wav", "--out", "p"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("top tags: "),
        "{}",
        text(&out)
    );
    // 32 frames at hop 256 and 16 kHz: chunks of 8,448 samples (0.528 s).
    let chunk = 512 + 31 * 256;
    let len = 4 * 16000;
    for (name, length) in [("clip", len), ("long", 3 * len)] {
        let (header, rows) = csv_rows(&dir.join(format!("p/{name}.windows.csv")));
        assert_eq!(header, format!("start,end,{}", tags.join(",")));
        let starts: Vec<usize> = (0..=(length - chunk) / chunk).map(|k| k * chunk).collect();
        let last = length - chunk;
        assert_eq!(
            rows.len(),
            starts.len() + usize::from(!length.is_multiple_of(chunk))
        );
        assert_eq!(rows[1][0], format!("{:.6}", chunk as f64 / 16000.0));
        assert_eq!(
            rows.last().unwrap()[0],
            format!("{:.6}", last as f64 / 16000.0)
        );
        assert_eq!(
            rows.last().unwrap()[1],
            format!("{:.6}", length as f64 / 16000.0)
        );
        let (header, track) = csv_rows(&dir.join(format!("p/{name}.tags.csv")));
        assert_eq!(header, "tag,score");
        assert_eq!(track.len(), tags.len());
        // The file's score of a tag is the mean over its chunks.
        for (t, row) in track.iter().enumerate() {
            assert_eq!(row[0], tags[t]);
            let mean: f64 = rows
                .iter()
                .map(|r| r[2 + t].parse::<f64>().unwrap())
                .sum::<f64>()
                / rows.len() as f64;
            let score: f64 = row[1].parse().unwrap();
            assert!(
                (score - mean).abs() < 1e-6,
                "{name} {}: {score} vs {mean}",
                tags[t]
            );
        }
    }
    // The repeated clip's first chunk is the clip's.
    let (_, one) = csv_rows(&dir.join("p/clip.windows.csv"));
    let (_, three) = csv_rows(&dir.join("p/long.windows.csv"));
    for (a, b) in one[0][2..].iter().zip(&three[0][2..]) {
        let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
}

#[test]
fn evaluate_names_its_report_after_the_dataset() {
    let dir = voice_run();
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("live-set");
    copy_dataset(small_dataset(), &other);
    let own = run_in(dir, &["evaluate", "run"]);
    assert!(own.status.success(), "{}", text(&own));
    let theirs = run_in(dir, &["evaluate", "run", "--data", other.to_str().unwrap()]);
    assert!(theirs.status.success(), "{}", text(&theirs));
    let own = json(&dir.join("run/evaluation-test.json"));
    let theirs = json(&dir.join("run/evaluation-live-set-test.json"));
    // The same songs: the same figures, in two reports.
    assert_eq!(own["metrics"], theirs["metrics"]);
    assert!(
        String::from_utf8_lossy(&assert_ok(run_in(dir, &["evaluate", "--help"])).stdout)
            .contains("evaluation-<dataset folder name>-<split>.json")
    );
}

fn assert_ok(out: std::process::Output) -> std::process::Output {
    assert!(out.status.success(), "{}", text(&out));
    out
}
