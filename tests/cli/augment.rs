//! Training with `[augment]`: every augmentation on, a run killed after its
//! first checkpoint and resumed ends with the weights of an uninterrupted
//! one; augmenting changes the weights; the resolved config records it; a
//! tagging run trains with every augmentation too.

use std::path::Path;

use crate::common::{
    run_in, small_dataset, tensors, text, tiny_config, train_killed_after_first_checkpoint, write,
};
use crate::tagging::{small_tagging_dataset, tiny_tagging_config};

/// Every augmentation on, mixing and noise for some excerpts only.
const EVERYTHING: &str = "
[augment]
pitch_shift = 0.3
time_stretch = 0.3
speed = 0.1
filter_db = 10.0
gain_db = 6.0
noise_snr_db = 20.0
noise_probability = 0.5
mix_snr_db = 6.0
mix_probability = 0.5
";

fn train(dir: &Path, config: &str, out: &str) {
    let cfg = write(dir, &format!("{out}.toml"), config);
    let result = run_in(dir, &["train", cfg.to_str().unwrap(), "--out", out]);
    assert!(result.status.success(), "{}", text(&result));
}

#[test]
fn an_augmented_run_killed_after_a_checkpoint_and_resumed_ends_bit_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let plain =
        tiny_config(small_dataset(), 3).replace("batches_per_epoch = 3", "batches_per_epoch = 6");
    let config = format!("{plain}{EVERYTHING}");
    train(tmp.path(), &config, "straight");
    train(tmp.path(), &plain, "plain");

    let cfg = write(tmp.path(), "killed.toml", &config);
    let run = train_killed_after_first_checkpoint(tmp.path(), &cfg, "killed");
    let out = run_in(tmp.path(), &["train", "--resume", "killed"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("resuming"));

    let straight = tensors(&tmp.path().join("straight/model.safetensors"));
    let resumed = tensors(&run.join("model.safetensors"));
    for ((name, a), (_, b)) in straight.iter().zip(&resumed) {
        assert!(a == b, "{name} differs after resume");
    }
    let unaugmented = tensors(&tmp.path().join("plain/model.safetensors"));
    assert!(
        straight.iter().zip(&unaugmented).any(|(a, b)| a.1 != b.1),
        "augmentation did not change the weights"
    );
    let resolved = std::fs::read_to_string(run.join("config.toml")).unwrap();
    for line in ["[augment]", "pitch_shift = 0.3", "mix_snr_db = 6.0"] {
        assert!(resolved.contains(line), "{resolved}");
    }
    let out = run_in(tmp.path(), &["inspect", "killed"]);
    assert!(out.status.success(), "{}", text(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains(
            "augmentation: pitch_shift = 0.3, time_stretch = 0.3, speed = 0.1, filter_db = 10, \
             gain_db = 6, noise_snr_db = 20 (probability 0.5), mix_snr_db = 6 (probability 0.5)"
        ),
        "{summary}"
    );
    let out = run_in(tmp.path(), &["inspect", "plain"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("augmentation: off"));
}

#[test]
fn a_tagging_run_trains_with_every_augmentation() {
    let tmp = tempfile::tempdir().unwrap();
    let config = format!(
        "{}{EVERYTHING}",
        tiny_tagging_config(small_tagging_dataset(), 1)
    );
    train(tmp.path(), &config, "run");
    let metrics = std::fs::read_to_string(tmp.path().join("run/metrics.jsonl")).unwrap();
    let epoch: serde_json::Value = serde_json::from_str(metrics.lines().next().unwrap()).unwrap();
    assert!(
        epoch["train_loss"].as_f64().unwrap().is_finite(),
        "{metrics}"
    );
}

#[test]
fn a_bad_augmentation_value_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "bad.toml", &tiny_config(small_dataset(), 1));
    let out = run_in(
        tmp.path(),
        &[
            "train",
            cfg.to_str().unwrap(),
            "--set",
            "augment.time_stretch=0.9",
        ],
    );
    crate::common::assert_fails_with(&out, &["augment.time_stretch", "bad.toml"]);
}
