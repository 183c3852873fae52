//! `cochlea inspect`: the text summary of a trained run, the SVG plot of its
//! filters, the fall-back to the newest checkpoint, and clean errors.

use std::path::{Path, PathBuf};

use crate::common::{assert_fails_with, run_in, small_dataset, text, tiny_config, write};

/// Trains a one-epoch run into `dir/run`.
fn trained_run(dir: &Path) -> PathBuf {
    let config = write(dir, "tiny.toml", &tiny_config(small_dataset(), 1));
    let out = run_in(dir, &["train", config.to_str().unwrap(), "--out", "run"]);
    assert!(out.status.success(), "{}", text(&out));
    dir.join("run")
}

fn stdout_of_success(dir: &Path, args: &[&str]) -> String {
    let out = run_in(dir, args);
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn inspect_summarises_a_run_and_plots_its_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let run = trained_run(tmp.path());

    let summary = stdout_of_success(tmp.path(), &["inspect", "run"]);
    for needle in [
        "frontend: mel (",
        "bands = 40",
        "sample rate 22050 Hz",
        "backbone: svd-cnn (",
        "epochs: 1 of 1 completed",
        "(final model)",
        "test metrics (metrics.json)",
        "| AUROC ",
        "centre frequency (Hz) before",
        "bandwidth (FWHM) (Hz) before",
    ] {
        assert!(
            summary.contains(needle),
            "summary lacks {needle:?}\n{summary}"
        );
    }
    // The first and last bands are listed, and the mel filters are fixed, so
    // training leaves both series unchanged.
    assert!(
        summary
            .lines()
            .any(|l| l.trim_start().starts_with("|       0 |")),
        "{summary}"
    );
    assert!(
        summary
            .lines()
            .any(|l| l.trim_start().starts_with("|      39 |")),
        "{summary}"
    );
    let change = summary
        .lines()
        .find(|l| l.starts_with("| max |Δ|"))
        .unwrap_or_else(|| panic!("no change row\n{summary}"));
    let cells: Vec<&str> = change
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(cells, ["max", "Δ", "0", "0"], "{change}");

    let plot_summary =
        stdout_of_success(tmp.path(), &["inspect", "run", "--filters", "filters.svg"]);
    assert_eq!(plot_summary, summary);
    let svg = std::fs::read_to_string(tmp.path().join("filters.svg")).unwrap();
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "not an SVG: {}",
        &svg[..svg.len().min(200)]
    );
    assert!(svg.trim_end().ends_with("</svg>"), "truncated SVG");
    for needle in [
        "centre frequency",
        "bandwidth (FWHM)",
        "frequency (Hz)",
        "gain",
        "Hz",
    ] {
        assert!(svg.contains(needle), "the plot lacks {needle:?}");
    }
    // A legend per panel (two series, one response panel) plus the title.
    assert_eq!(svg.matches("before").count(), 4, "legends");
    assert_eq!(svg.matches("after").count(), 4, "legends");
    // No temporary file is left next to it.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // An output in a folder that does not exist: a clean error naming it.
    let out = run_in(
        tmp.path(),
        &["inspect", "run", "--filters", "missing/filters.svg"],
    );
    assert_fails_with(&out, &["missing/filters.svg", "writable folder"]);

    // Without the final model, the newest checkpoint stands in.
    std::fs::remove_file(run.join("model.bpk")).unwrap();
    let summary = stdout_of_success(tmp.path(), &["inspect", "run"]);
    assert!(
        summary.contains("checkpoint after epoch 1"),
        "no checkpoint fall-back\n{summary}"
    );
    assert!(summary.contains("epoch-0001"), "{summary}");

    // Without any weights, a clean error that says what to do.
    std::fs::remove_dir_all(run.join("checkpoints")).unwrap();
    let out = run_in(tmp.path(), &["inspect", "run"]);
    assert_fails_with(
        &out,
        &["run", "neither model.bpk nor a checkpoint", "--resume"],
    );
}

#[test]
fn inspect_refuses_a_folder_that_is_not_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("holiday-photos")).unwrap();
    let out = run_in(tmp.path(), &["inspect", "holiday-photos"]);
    assert_fails_with(&out, &["holiday-photos", "no config.toml", "cochlea train"]);

    let out = run_in(tmp.path(), &["inspect", "nowhere", "--filters", "f.svg"]);
    assert_fails_with(&out, &["nowhere", "is not a folder"]);
    assert!(!tmp.path().join("f.svg").exists());
}

/// A run directory written before the task seam: `[train] excerpt_frames`,
/// `label_smoothing` and an `[eval]` section in config.toml, `valid_*` fields
/// in metrics.jsonl. It still evaluates (same metrics) and inspects.
#[test]
fn a_run_from_before_the_task_seam_still_evaluates_and_inspects() {
    let tmp = tempfile::tempdir().unwrap();
    let run = trained_run(tmp.path());
    let config = std::fs::read_to_string(run.join("config.toml")).unwrap();
    let mut table: toml::Table = config.parse().unwrap();
    // Rewrite the resolved config in the old shape.
    let mut task = table.remove("task").unwrap().as_table().unwrap().clone();
    let train = table["train"].as_table_mut().unwrap();
    for key in ["excerpt_frames", "label_smoothing"] {
        train.insert(key.into(), task.remove(key).unwrap());
    }
    let mut eval = toml::Table::new();
    for key in ["median_filter", "chunk_seconds"] {
        eval.insert(key.into(), task.remove(key).unwrap());
    }
    table.insert("eval".into(), toml::Value::Table(eval));
    for key in ["weight_decay", "model_selection"] {
        table["train"].as_table_mut().unwrap().remove(key);
    }
    table["data"]
        .as_table_mut()
        .unwrap()
        .remove("skip_unreadable");
    let old = toml::to_string(&table).unwrap();
    assert!(!old.contains("[task]"), "{old}");
    std::fs::write(run.join("config.toml"), &old).unwrap();
    let record: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(run.join("metrics.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let v = &record["valid"];
    let legacy = format!(
        "{{\"epoch\":1,\"learning_rate\":{},\"train_loss\":{},\"valid_loss\":{},\"valid_error\":{},\
         \"valid_auroc\":{},\"valid_threshold\":{},\"excerpts_per_second\":{},\"seconds\":{}}}\n",
        record["learning_rate"],
        record["train_loss"],
        v["loss"],
        v["error"],
        v["auroc"],
        v["threshold"],
        record["excerpts_per_second"],
        record["seconds"]
    );
    std::fs::write(run.join("metrics.jsonl"), legacy).unwrap();

    let out = run_in(tmp.path(), &["evaluate", "run", "--out", "again.json"]);
    assert!(out.status.success(), "{}", text(&out));
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("metrics.json")).unwrap()).unwrap();
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("again.json")).unwrap())
            .unwrap();
    assert_eq!(again["metrics"], stored["metrics"]);
    let summary = stdout_of_success(tmp.path(), &["inspect", "run"]);
    assert!(summary.contains("task: singing-voice ("), "{summary}");
    assert!(summary.contains("validation error"), "{summary}");
}
