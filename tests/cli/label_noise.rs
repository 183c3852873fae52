//! Label noise end to end: a tiny tagging run with `[label_noise]` given by
//! `--set`, its audit, the corrupted annotations in MagnaTagATune's own
//! format, `inspect` and `evaluate` on it, and the noise seed's
//! independence from the training seed.

use std::path::Path;

use crate::common::{assert_fails_with, run_in, text, write};
use crate::tagging::{json, small_tagging_dataset, tiny_tagging_config};

const DROP_ON_TRAIN_AND_VALID: [&str; 6] = [
    "--set",
    "label_noise.kind=drop",
    "--set",
    "label_noise.rate=0.5",
    "--set",
    "label_noise.splits=[\"train\", \"valid\"]",
];

fn train(dir: &Path, config: &Path, out: &str, extra: &[&str]) {
    let mut args = vec!["train", config.to_str().unwrap(), "--out", out];
    args.extend(DROP_ON_TRAIN_AND_VALID);
    args.extend(extra);
    let out = run_in(dir, &args);
    assert!(out.status.success(), "{}", text(&out));
}

/// The annotations' lines, split into fields.
fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .split("\r\n")
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

#[test]
fn a_noisy_tagging_run_records_its_audit_and_labels_and_inspect_shows_them() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_tagging_dataset();
    let config = write(tmp.path(), "tags.toml", &tiny_tagging_config(data, 1));
    train(tmp.path(), &config, "noisy", &[]);
    let run = tmp.path().join("noisy");

    // The audit: the request, both seeds, what was corrupted, per split.
    let audit = json(&run.join("label-noise/audit.json"));
    assert_eq!(audit["requested"]["kind"], "drop");
    assert_eq!(audit["requested"]["rate"], 0.5);
    assert_eq!(
        (
            audit["noise_seed"].as_u64(),
            audit["training_seed"].as_u64()
        ),
        (Some(1), Some(3))
    );
    assert_eq!(
        audit["corrupted_splits"],
        serde_json::json!(["train", "valid"])
    );
    assert_eq!(audit["clean_splits"], serde_json::json!(["test"]));
    assert_eq!(audit["validation_corrupted"], true);
    let splits = audit["per_split"].as_array().unwrap();
    assert_eq!(splits.len(), 2);
    let mut dropped = 0;
    for (split, name) in splits.iter().zip(["train", "valid"]) {
        assert_eq!(split["split"], name);
        assert_eq!(split["labels"], "tags");
        let all = &split["all_tags"];
        assert_eq!(all["added"], 0, "drop adds nothing");
        assert_eq!(all["requested_drop"], 0.5);
        dropped += all["dropped"].as_u64().unwrap();
    }
    assert!(dropped > 0);
    let audit_text = std::fs::read_to_string(run.join("label-noise/audit.txt")).unwrap();
    assert!(
        audit_text.contains("validation labels were corrupted"),
        "{audit_text}"
    );

    // The corrupted annotations: same lines as the dataset's except rows of
    // train/valid clips (folders 0-c), where only 1s became 0s.
    let clean = std::fs::read(data.join("annotations_final.csv")).unwrap();
    let noisy = std::fs::read(run.join("label-noise/annotations_final.csv")).unwrap();
    let (clean, noisy) = (rows(&clean), rows(&noisy));
    assert_eq!(clean.len(), noisy.len());
    let mut changed_fields = 0;
    for (a, b) in clean.iter().zip(&noisy) {
        if a == b {
            continue;
        }
        let folder = a.last().unwrap().trim_matches('"').chars().next().unwrap();
        assert!(!"def".contains(folder), "a test row changed: {a:?}");
        for (x, y) in a.iter().zip(b) {
            if x != y {
                assert_eq!((x.as_str(), y.as_str()), ("\"1\"", "\"0\""));
                changed_fields += 1;
            }
        }
    }
    assert_eq!(
        changed_fields, dropped,
        "the file holds exactly the audited drops"
    );

    // inspect shows the audit; evaluate re-derives the same noisy validation
    // labels for its thresholds and reproduces the report.
    let out = run_in(tmp.path(), &["inspect", "noisy"]);
    assert!(out.status.success(), "{}", text(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "label noise (label-noise/audit.json):",
        "kind = \"drop\", rate = 0.5 (noise seed 1, training seed 3)",
        "corrupted splits: train, valid; clean: test",
        "split train:",
        " all tags |",
    ] {
        assert!(
            summary.contains(needle),
            "inspect lacks {needle:?}\n{summary}"
        );
    }
    let out = run_in(tmp.path(), &["evaluate", "noisy", "--out", "again.json"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        json(&tmp.path().join("again.json"))["metrics"],
        json(&run.join("metrics.json"))["metrics"]
    );

    // Another training seed: the same corruption; another noise seed: another.
    train(tmp.path(), &config, "other-seed", &["--set", "seed=4"]);
    let other = tmp.path().join("other-seed/label-noise");
    assert_eq!(
        std::fs::read(other.join("annotations_final.csv")).unwrap(),
        std::fs::read(run.join("label-noise/annotations_final.csv")).unwrap()
    );
    let again = json(&other.join("audit.json"));
    assert_eq!(again["per_split"], audit["per_split"]);
    assert_eq!(again["training_seed"], 4);
    train(
        tmp.path(),
        &config,
        "other-noise",
        &["--set", "label_noise.seed=2"],
    );
    assert_ne!(
        std::fs::read(
            tmp.path()
                .join("other-noise/label-noise/annotations_final.csv")
        )
        .unwrap(),
        std::fs::read(run.join("label-noise/annotations_final.csv")).unwrap()
    );

    // Test labels are never corrupted: asking is an error naming the key.
    let out = run_in(
        tmp.path(),
        &[
            "train",
            config.to_str().unwrap(),
            "--set",
            "label_noise.kind=drop",
            "--set",
            "label_noise.rate=0.1",
            "--set",
            "label_noise.splits=[\"test\"]",
        ],
    );
    assert_fails_with(
        &out,
        &["tags.toml", "label_noise.splits", "never corrupted"],
    );
}
