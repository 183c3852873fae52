//! Tagging end to end: a synthetic MagnaTagATune-layout dataset, a tiny
//! short-chunk CNN, training with model selection on the validation loss,
//! evaluation, inspection, resume after a kill, and bad input.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::{
    assert_fails_with, cochlea, copy_dataset, run_in, text, train_killed_after_first_checkpoint,
    write,
};

/// A small synthetic tagging dataset (32 clips of 4 s), generated once per
/// test process and shared read-only; copy it before modifying.
pub(crate) fn small_tagging_dataset() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("tags");
        let out = cochlea()
            .args(["synth", "tagging"])
            .arg(&path)
            .args(["--seed", "5", "--clips", "32", "--clip-seconds", "4"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        (tmp, path)
    });
    path
}

/// A fast tagging config on `data`.
pub(crate) fn tiny_tagging_config(data: &Path, epochs: usize) -> String {
    format!(
        r#"seed = 3

[task]
kind = "tagging"
chunk_frames = 32
eval_chunks = 4

[data]
layout = "magnatagatune"
root = "{}"

[frontend]
kind = "mel"
bands = 32

[model]
kind = "short-chunk-cnn"
channels = [4, 8, 8]
dense = 8

[train]
batch_size = 4
batches_per_epoch = 3
epochs = {epochs}
learning_rate = 1e-3
"#,
        data.display()
    )
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_tagging_run_trains_evaluates_and_inspects() {
    let tmp = tempfile::tempdir().unwrap();
    let config = write(
        tmp.path(),
        "tags.toml",
        &tiny_tagging_config(small_tagging_dataset(), 2),
    );
    let out = run_in(
        tmp.path(),
        &["train", config.to_str().unwrap(), "--out", "run"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("split test"), "{stdout}");
    assert!(stdout.contains("macro mean"), "{stdout}");
    let run = tmp.path().join("run");

    // The task's defaults filled what the config left out, and the tags were recorded.
    let resolved: toml::Table = std::fs::read_to_string(run.join("config.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(resolved["data"]["sample_rate"].as_integer(), Some(16000));
    assert_eq!(resolved["frontend"]["n_fft"].as_integer(), Some(512));
    assert_eq!(resolved["frontend"]["hop"].as_integer(), Some(256));
    assert_eq!(resolved["train"]["batch_size"].as_integer(), Some(4));
    assert_eq!(resolved["train"]["weight_decay"].as_float(), Some(1e-4));
    assert_eq!(
        resolved["train"]["model_selection"].as_str(),
        Some("best-validation-loss")
    );
    let tags = resolved["task"]["tags"].as_array().unwrap();
    assert!(!tags.is_empty() && tags.len() <= 50, "{tags:?}");

    // Epoch records hold the task's named metrics; the report holds per-tag metrics.
    let epochs: Vec<serde_json::Value> = std::fs::read_to_string(run.join("metrics.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(epochs.len(), 2);
    for e in &epochs {
        assert!(e["valid"]["loss"].as_f64().unwrap().is_finite(), "{e}");
        assert!(e["valid"]["roc_auc"].as_f64().is_some(), "{e}");
    }
    let report = json(&run.join("metrics.json"));
    assert_eq!(report["split"], "test");
    assert_eq!(
        report["metrics"]["tags"].as_array().unwrap().len(),
        tags.len()
    );
    let auc = report["metrics"]["macro_roc_auc"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&auc), "{auc}");
    assert!(report["thresholds_from_validation"].as_bool().unwrap());
    // The kept model is the best epoch's and it is the one evaluated.
    let best = epochs
        .iter()
        .min_by(|a, b| {
            a["valid"]["loss"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["valid"]["loss"].as_f64().unwrap())
        })
        .unwrap();
    let best_epoch = best["epoch"].as_u64().unwrap();
    assert!(
        run.join(format!("best/epoch-{best_epoch:04}.bpk"))
            .is_file()
    );

    // `evaluate` on the valid split and on test reproduces the report.
    let out = run_in(tmp.path(), &["evaluate", "run", "--out", "again.json"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        json(&tmp.path().join("again.json"))["metrics"],
        report["metrics"]
    );
    let out = run_in(tmp.path(), &["evaluate", "run", "--split", "valid"]);
    assert!(out.status.success(), "{}", text(&out));
    let valid = json(&run.join("evaluation-valid.json"));
    let valid_loss = valid["loss"].as_f64().unwrap();
    let logged = best["valid"]["loss"].as_f64().unwrap();
    assert!(
        (valid_loss - logged).abs() < 1e-5,
        "the kept model's validation loss {valid_loss} is not the best epoch's {logged}"
    );

    // `inspect` and `features` work on a tagging run.
    let out = run_in(tmp.path(), &["inspect", "run"]);
    assert!(out.status.success(), "{}", text(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "task: tagging (",
        "short-chunk-cnn",
        "macro mean",
        "validation roc_auc",
    ] {
        assert!(
            summary.contains(needle),
            "inspect lacks {needle:?}\n{summary}"
        );
    }
    let clip = first_clip(small_tagging_dataset());
    let out = run_in(
        tmp.path(),
        &["features", "run", clip.to_str().unwrap(), "--out", "f.npy"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("32 bands"));
}

/// The audio file of the first clip listed in the annotations.
fn first_clip(data: &Path) -> PathBuf {
    let text = std::fs::read_to_string(data.join("annotations_final.csv")).unwrap();
    let row = text.lines().nth(1).unwrap();
    let path = row.split('\t').next_back().unwrap().trim_matches('"');
    data.join(path)
}

#[test]
fn a_tagging_run_killed_after_a_checkpoint_and_resumed_ends_bit_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tiny_tagging_config(small_tagging_dataset(), 3)
        .replace("batches_per_epoch = 3", "batches_per_epoch = 8");
    let cfg = write(tmp.path(), "tags.toml", &config);
    let out = run_in(
        tmp.path(),
        &["train", cfg.to_str().unwrap(), "--out", "straight"],
    );
    assert!(out.status.success(), "{}", text(&out));

    let run = train_killed_after_first_checkpoint(tmp.path(), &cfg, "killed");
    let out = run_in(tmp.path(), &["train", "--resume", "killed"]);
    assert!(out.status.success(), "{}", text(&out));

    let a = std::fs::read(tmp.path().join("straight/model.safetensors")).unwrap();
    let b = std::fs::read(run.join("model.safetensors")).unwrap();
    let (a, b) = (
        safetensors::SafeTensors::deserialize(&a).unwrap(),
        safetensors::SafeTensors::deserialize(&b).unwrap(),
    );
    let mut names: Vec<String> = a.names().into_iter().map(str::to_string).collect();
    names.sort();
    assert!(!names.is_empty());
    for name in &names {
        assert!(
            a.tensor(name).unwrap().data() == b.tensor(name).unwrap().data(),
            "{name} differs after resume"
        );
    }
    assert_eq!(
        json(&tmp.path().join("straight/metrics.json"))["metrics"],
        json(&run.join("metrics.json"))["metrics"]
    );
}

#[test]
fn tagging_bad_input_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_tagging_dataset();
    let base = tiny_tagging_config(data, 1);

    // A singing-voice layout for tagging.
    let c = write(
        tmp.path(),
        "a.toml",
        &base.replace("layout = \"magnatagatune\"", "layout = \"jamendo\""),
    );
    let out = run_in(tmp.path(), &["train", c.to_str().unwrap()]);
    assert_fails_with(&out, &["a.toml", "task.kind = \"tagging\"", "data.layout"]);

    // Too few bands for the poolings.
    let c = write(
        tmp.path(),
        "b.toml",
        &base.replace("bands = 32", "bands = 4"),
    );
    let out = run_in(tmp.path(), &["train", c.to_str().unwrap()]);
    assert_fails_with(&out, &["b.toml", "frontend.bands >= 8"]);

    // An unknown key of the layout's own table.
    let c = write(
        tmp.path(),
        "c.toml",
        &format!("{base}\n[data.magnatagatune]\ntop_tag = 5\n"),
    );
    let out = run_in(tmp.path(), &["train", c.to_str().unwrap()]);
    assert_fails_with(&out, &["c.toml", "top_tag"]);

    // An unreadable clip: an error naming it and its table line, or skipped on request.
    let copy = tmp.path().join("data");
    copy_dataset(data, &copy);
    let clip = first_clip(&copy);
    std::fs::write(&clip, b"not audio at all").unwrap();
    let config = tiny_tagging_config(&copy, 1);
    let c = write(tmp.path(), "d.toml", &config);
    let out = run_in(tmp.path(), &["train", c.to_str().unwrap(), "--out", "bad"]);
    assert_fails_with(
        &out,
        &[
            "annotations_final.csv:2",
            &clip.file_name().unwrap().to_string_lossy(),
            "skip_unreadable",
        ],
    );
    assert!(!tmp.path().join("bad").exists());
    let c = write(
        tmp.path(),
        "e.toml",
        &config.replace("[frontend]", "skip_unreadable = true\n\n[frontend]"),
    );
    let out = run_in(
        tmp.path(),
        &["train", c.to_str().unwrap(), "--out", "skipping"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 unreadable clips skipped"),
        "{}",
        text(&out)
    );
    let listed = std::fs::read_to_string(tmp.path().join("skipping/skipped-files.tsv")).unwrap();
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(listed.contains(&*clip.file_name().unwrap().to_string_lossy()));
}
