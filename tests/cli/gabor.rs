//! The Gabor frontend end to end: tiny runs with everything learned and PCEN
//! (then `evaluate` and `features` on the run) and with log1p compression,
//! checked for finite losses and metrics; and its configuration errors.

use std::path::Path;

use crate::common::{assert_fails_with, run_in, small_dataset, text, tiny_config, write};
use crate::features::read_npy;

/// `tiny_config` with its mel frontend replaced by a small Gabor frontend
/// (`settings` are extra `[frontend]` lines).
fn gabor_config(data: &Path, epochs: usize, settings: &str) -> String {
    tiny_config(data, epochs).replace(
        "[frontend]\nkind = \"mel\"\nbands = 40\n",
        &format!("[frontend]\nkind = \"gabor\"\nbands = 32\n{settings}"),
    )
}

/// Trains `config` into `dir/run` and returns the lines of `metrics.jsonl`.
fn train(dir: &Path, config: &str) -> Vec<serde_json::Value> {
    write(dir, "exp.toml", config);
    let out = run_in(dir, &["train", "exp.toml", "--out", "run"]);
    assert!(out.status.success(), "{}", text(&out));
    std::fs::read_to_string(dir.join("run/metrics.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn finite(value: &serde_json::Value, what: &str) {
    let x = value
        .as_f64()
        .unwrap_or_else(|| panic!("{what} is not a number: {value}"));
    assert!(x.is_finite(), "{what} = {x}");
}

/// Every epoch's losses and validation figures and every test metric are finite.
fn assert_finite_run(run: &Path, epochs: &[serde_json::Value]) {
    assert!(!epochs.is_empty(), "no epoch logged");
    for e in epochs {
        finite(
            &e["train_loss"],
            &format!("epoch {} train_loss", e["epoch"]),
        );
        for key in ["loss", "error", "auroc"] {
            finite(
                &e["valid"][key],
                &format!("epoch {} valid {key}", e["epoch"]),
            );
        }
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("metrics.json")).unwrap()).unwrap();
    for key in ["error", "precision", "recall", "specificity", "f1", "auroc"] {
        finite(&m["metrics"][key], &format!("test {key}"));
    }
}

#[test]
fn gabor_with_everything_learned_and_pcen_trains_evaluates_and_extracts_features() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let config = gabor_config(
        small_dataset(),
        2,
        "learn_centres = true\nlearn_bandwidths = true\nlearn_averaging = true\n\
         compression = \"pcen\"\n",
    )
    .replace("[train]\n", "[train]\nfrontend_lr_scale = 0.1\n");
    let epochs = train(dir, &config);
    assert_eq!(epochs.len(), 2);
    let run = dir.join("run");
    assert_finite_run(&run, &epochs);
    let resolved = std::fs::read_to_string(run.join("config.toml")).unwrap();
    for needle in [
        "kind = \"gabor\"",
        "compression = \"pcen\"",
        "frontend_lr_scale = 0.1",
    ] {
        assert!(resolved.contains(needle), "{needle} not in\n{resolved}");
    }

    let evaluated = run_in(dir, &["evaluate", "run", "--out", "eval.json"]);
    assert!(evaluated.status.success(), "{}", text(&evaluated));
    let e: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("eval.json")).unwrap()).unwrap();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("metrics.json")).unwrap()).unwrap();
    assert_eq!(e["metrics"], m["metrics"], "evaluate disagrees with train");

    let mut songs: Vec<_> = std::fs::read_dir(small_dataset().join("audio"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    songs.sort();
    let wav = songs.first().expect("the small dataset has audio");
    let features = run_in(
        dir,
        &["features", "run", wav.to_str().unwrap(), "--out", "f.npy"],
    );
    assert!(features.status.success(), "{}", text(&features));
    let f = read_npy(&dir.join("f.npy"));
    assert_eq!(f.shape.len(), 2, "{:?}", f.shape);
    assert_eq!(f.shape[0], 32, "bands");
    assert!(f.shape[1] > 100, "only {} frames", f.shape[1]);
    assert!(
        f.values.iter().all(|v| v.is_finite()),
        "non-finite features"
    );
}

#[test]
fn gabor_with_log1p_compression_trains_to_finite_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let config = gabor_config(
        small_dataset(),
        1,
        "averaging = \"fixed\"\ncompression = \"log1p\"\nlearn_compression = true\n",
    );
    let epochs = train(tmp.path(), &config);
    assert_finite_run(&tmp.path().join("run"), &epochs);
}

#[test]
fn gabor_on_ndarray_says_which_backends_have_its_fft() {
    let tmp = tempfile::tempdir().unwrap();
    let config =
        gabor_config(small_dataset(), 1, "").replace("backend = \"flex\"", "backend = \"ndarray\"");
    write(tmp.path(), "exp.toml", &config);
    let out = run_in(tmp.path(), &["train", "exp.toml", "--out", "run"]);
    assert_fails_with(&out, &["exp.toml", "gabor", "flex", "wgpu"]);
    assert!(!tmp.path().join("run").exists(), "a run folder was created");
}

#[test]
fn unknown_gabor_key_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let config = gabor_config(small_dataset(), 1, "averagin = \"fixed\"\n");
    write(tmp.path(), "exp.toml", &config);
    let out = run_in(tmp.path(), &["train", "exp.toml", "--out", "run"]);
    assert_fails_with(&out, &["exp.toml", "averagin"]);
}
