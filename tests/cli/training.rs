//! Training end to end: the run directory's contents, TensorBoard events read
//! back by TensorBoard itself, evaluation, resume after a kill, and ndarray.

use std::path::Path;
use std::process::Command;

use crate::common::{
    run_in, small_dataset, tensors, text, tiny_config, train_killed_after_first_checkpoint, write,
};

fn train(dir: &Path, config: &str, out: &str, extra: &[&str]) {
    let cfg = write(dir, &format!("{out}.toml"), config);
    let mut args = vec!["train", cfg.to_str().unwrap(), "--out", out];
    args.extend_from_slice(extra);
    let result = run_in(dir, &args);
    assert!(result.status.success(), "{}", text(&result));
}

#[test]
fn a_run_leaves_config_metrics_events_checkpoints_and_model() {
    let tmp = tempfile::tempdir().unwrap();
    train(
        tmp.path(),
        &tiny_config(small_dataset(), 2),
        "run",
        &["--set", "train.keep_checkpoints=1"],
    );
    let run = tmp.path().join("run");
    for file in [
        "config.toml",
        "metrics.jsonl",
        "model.bpk",
        "model.safetensors",
        "metrics.json",
    ] {
        assert!(run.join(file).is_file(), "missing {file}");
    }
    // The resolved config has the override and absolute paths.
    let config = std::fs::read_to_string(run.join("config.toml")).unwrap();
    assert!(config.contains("keep_checkpoints = 1"), "{config}");
    assert!(
        config.contains(&format!("root = \"{}\"", small_dataset().display())),
        "{config}"
    );
    // One JSON line per epoch, with decaying learning rates.
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(run.join("metrics.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let lr: Vec<f64> = lines
        .iter()
        .map(|l| l["learning_rate"].as_f64().unwrap())
        .collect();
    assert!(
        (lr[0] - 1e-3).abs() < 1e-12 && (lr[1] - 0.85e-3).abs() < 1e-12,
        "{lr:?}"
    );
    assert!(lines[1]["valid"]["error"].as_f64().is_some());
    // Only the newest checkpoint is kept, complete.
    let checkpoints: Vec<String> = std::fs::read_dir(run.join("checkpoints"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(checkpoints, ["epoch-0002"]);
    for file in ["model.bpk", "optimizer.bpk", "state.json"] {
        assert!(run.join("checkpoints/epoch-0002").join(file).is_file());
    }
    // The final evaluation has every metric.
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("metrics.json")).unwrap()).unwrap();
    for key in ["error", "precision", "recall", "specificity", "f1", "auroc"] {
        assert!(
            m["metrics"][key].is_number(),
            "metrics.json lacks {key}: {m}"
        );
    }
    assert_eq!(m["threshold_source"], "validation");
    tensorboard_reads_the_events(&run, &lines);
    evaluate_reproduces_the_final_metrics(tmp.path(), &run, &m);
}

/// TensorBoard's own reader finds the scalars we wrote, with our values.
fn tensorboard_reads_the_events(run: &Path, lines: &[serde_json::Value]) {
    let script = r#"
import json, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
acc = EventAccumulator(sys.argv[1]); acc.Reload()
print(json.dumps({t: [[e.step, e.value] for e in acc.Scalars(t)] for t in acc.Tags()["scalars"]}))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(run.join("tensorboard"))
        .output()
        .expect("python3 is needed to read TensorBoard events (see .ci/run)");
    assert!(
        out.status.success(),
        "TensorBoard could not read the events (pip install tensorboard):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scalars: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let series = |tag: &str| scalars[tag].as_array().cloned().unwrap_or_default();
    assert_eq!(series("train/loss").len(), 6, "{scalars}"); // 2 epochs x 3 batches
    let lr = series("train/learning_rate");
    assert_eq!(lr.len(), 2, "{scalars}");
    for (point, line) in lr.iter().zip(lines) {
        let logged = point[1].as_f64().unwrap();
        let want = line["learning_rate"].as_f64().unwrap();
        assert!((logged - want).abs() < 1e-9, "lr {logged} vs {want}");
    }
    let err = series("valid/error");
    assert_eq!(err.len(), 2, "{scalars}");
    let logged = err[1][1].as_f64().unwrap();
    let want = lines[1]["valid"]["error"].as_f64().unwrap();
    assert!(
        (logged - want).abs() < 1e-6,
        "valid error {logged} vs {want}"
    );
}

/// `cochlea evaluate` on the run's own dataset gives `train`'s numbers; on a
/// dataset without a validation split it uses the stored threshold.
fn evaluate_reproduces_the_final_metrics(
    dir: &Path,
    run: &Path,
    train_metrics: &serde_json::Value,
) {
    let out = run_in(
        dir,
        &["evaluate", run.to_str().unwrap(), "--out", "eval.json"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("AUROC") && stdout.contains("specificity"),
        "{stdout}"
    );
    let e: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("eval.json")).unwrap()).unwrap();
    assert_eq!(e["metrics"], train_metrics["metrics"]);
    assert_eq!(e["threshold"], train_metrics["threshold"]);

    let no_valid = dir.join("no-valid");
    crate::common::copy_dataset(small_dataset(), &no_valid);
    std::fs::remove_file(no_valid.join("filelists/valid")).unwrap();
    let out = run_in(
        dir,
        &[
            "evaluate",
            run.to_str().unwrap(),
            "--data",
            no_valid.to_str().unwrap(),
            "--out",
            "e2.json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let e: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("e2.json")).unwrap()).unwrap();
    assert_eq!(e["threshold_source"], "run");
    assert_eq!(e["threshold"], train_metrics["threshold"]);
    assert_eq!(e["metrics"], train_metrics["metrics"]);
}

#[test]
fn a_run_killed_after_a_checkpoint_and_resumed_ends_bit_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let config =
        tiny_config(small_dataset(), 3).replace("batches_per_epoch = 3", "batches_per_epoch = 6");
    train(tmp.path(), &config, "straight", &[]);

    let cfg = write(tmp.path(), "killed.toml", &config);
    let run = train_killed_after_first_checkpoint(tmp.path(), &cfg, "killed");
    let out = run_in(tmp.path(), &["train", "--resume", "killed"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("resuming"));

    let a = tensors(&tmp.path().join("straight/model.safetensors"));
    let b = tensors(&run.join("model.safetensors"));
    assert_eq!(a.len(), b.len());
    for ((name_a, bytes_a), (name_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(name_a, name_b);
        assert!(bytes_a == bytes_b, "{name_a} differs after resume");
    }
    let metrics = |p: &str| -> serde_json::Value {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(tmp.path().join(p)).unwrap()).unwrap();
        v["metrics"].clone()
    };
    assert_eq!(
        metrics("straight/metrics.json"),
        metrics("killed/metrics.json")
    );
    let epochs = std::fs::read_to_string(run.join("metrics.jsonl")).unwrap();
    assert_eq!(epochs.lines().count(), 3, "{epochs}");
}

/// A learned frontend with its own learning rate resumes exactly: the
/// frontend's parameter group is rebuilt from the checkpoint's parameter ids.
#[test]
fn a_run_with_a_scaled_frontend_learning_rate_resumes_bit_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tiny_config(small_dataset(), 2)
        .replace("kind = \"mel\"", "kind = \"learnable-mel\"")
        .replace("[train]\n", "[train]\nfrontend_lr_scale = 10.0\n");
    train(tmp.path(), &config, "run", &[]);
    let run = tmp.path().join("run");
    let straight = tensors(&run.join("model.safetensors"));

    // Back to the state after epoch 1, as if killed during epoch 2.
    std::fs::remove_dir_all(run.join("checkpoints/epoch-0002")).unwrap();
    for file in ["model.bpk", "model.safetensors", "metrics.json"] {
        std::fs::remove_file(run.join(file)).unwrap();
    }
    let out = run_in(tmp.path(), &["train", "--resume", "run"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("after epoch 1"));
    let resumed = tensors(&run.join("model.safetensors"));
    assert_eq!(straight.len(), resumed.len());
    for ((name, a), (_, b)) in straight.iter().zip(&resumed) {
        assert!(a == b, "{name} differs after resume");
    }
}

#[test]
fn ndarray_trains_a_small_pass() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tiny_config(small_dataset(), 1)
        .replace("batches_per_epoch = 3", "batches_per_epoch = 1")
        .replace("backend = \"flex\"", "backend = \"ndarray\"");
    train(
        tmp.path(),
        &config,
        "nd",
        &["--set", "train.validate_every_epoch=false"],
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("nd/metrics.json")).unwrap())
            .unwrap();
    assert!(m["metrics"]["auroc"].is_number(), "{m}");
}
