//! `cochlea hubness` on trained runs of both tasks: the items it embeds,
//! the report's shape and figures' ranges, and clear errors for a bad
//! layer or too few items. The figures themselves are checked against
//! kiez and numpy in `crates/analysis` (`hubness/tests.rs`).

use std::path::Path;

use serde_json::Value;

use crate::common::{assert_fails_with, run_in, small_dataset, text, write};
use crate::predict::voice_run;
use crate::tagging::{small_tagging_dataset, tiny_tagging_config};

fn report(dir: &Path, args: &[&str], out: &str) -> Value {
    let mut all = vec!["hubness"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out]);
    let o = run_in(dir, &all);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("| mutual proximity (empiric) |"),
        "{}",
        text(&o)
    );
    serde_json::from_str(&std::fs::read_to_string(dir.join(out)).unwrap()).unwrap()
}

fn check_ranges(r: &Value, items: usize) {
    assert_eq!(r["items"].as_u64().unwrap() as usize, items);
    let spaces = r["spaces"].as_array().unwrap();
    let names: Vec<&str> = spaces
        .iter()
        .map(|s| s["space"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "primary",
            "mutual proximity (empiric)",
            "mutual proximity (Gaussian)",
            "local scaling"
        ]
    );
    for s in spaces {
        let m = &s["measures"];
        assert_eq!(m["n"].as_u64().unwrap() as usize, items);
        for key in ["hub_occurrence", "antihub_occurrence", "robinhood", "gini"] {
            let v = m[key].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&v), "{key} = {v}");
        }
    }
}

#[test]
fn hubness_embeds_every_spaced_excerpt_of_the_test_songs() {
    let dir = voice_run();
    let r = report(dir, &["run", "--spacing", "0.1"], "h-voice.json");
    // Items are named song@start, starts 0.1 s apart (to the frame) within each song.
    let o = run_in(
        dir,
        &[
            "hubness",
            "run",
            "--spacing",
            "0.1",
            "--layer",
            "frontend",
            "--metric",
            "cosine",
            "--out",
            "h-front.json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let front: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("h-front.json")).unwrap()).unwrap();
    let items = r["items"].as_u64().unwrap() as usize;
    assert!(items > 20, "{items} items");
    check_ranges(&r, items);
    check_ranges(&front, items);
    assert_eq!(
        front["dim"].as_u64(),
        Some(40),
        "one value per mel band of the tiny config"
    );
    assert_eq!(r["settings"]["k"].as_u64(), Some(10));
    assert!(r["spaces"][0]["knn_accuracy"].as_f64().is_some());
    // Every test song contributes its excerpts, named song@start.
    let test_songs = std::fs::read_to_string(small_dataset().join("filelists/test")).unwrap();
    let stems: Vec<String> = test_songs
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            Path::new(l.trim())
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(!stems.is_empty());
    for hub in r["spaces"][0]["top_hubs"].as_array().unwrap() {
        let (name, count) = (hub[0].as_str().unwrap(), hub[1].as_u64().unwrap());
        let (song, start) = name.split_once('@').unwrap();
        assert!(
            stems.iter().any(|s| s == song),
            "{name} is not a test song's excerpt"
        );
        let start: f64 = start.parse().unwrap();
        let steps = start / 0.1;
        assert!(
            (steps - steps.round()).abs() < 0.05,
            "{name} does not start on the 0.1 s grid"
        );
        assert!(count >= 1);
    }
    // Subsampling keeps every ⌈n / max⌉-th item and says so.
    let sub = report(
        dir,
        &["run", "--spacing", "0.1", "--max-items", "20"],
        "h-sub.json",
    );
    let step = items.div_ceil(20);
    assert_eq!(sub["subsample_step"].as_u64().unwrap() as usize, step);
    assert_eq!(
        sub["items"].as_u64().unwrap() as usize,
        items.div_ceil(step)
    );
}

#[test]
fn hubness_of_a_tagging_run_embeds_each_test_clip_with_its_tags() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "exp.toml",
        &tiny_tagging_config(small_tagging_dataset(), 1),
    );
    let o = run_in(tmp.path(), &["train", "exp.toml", "--out", "run"]);
    assert!(o.status.success(), "{}", text(&o));
    // The test clips, as the evaluation saw them: the items of every track.
    let units: Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("run/test-predictions.json")).unwrap(),
    )
    .unwrap();
    let clips: usize = units["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["items"].as_array().unwrap().len())
        .sum();
    let r = report(tmp.path(), &["run", "-k", "3"], "h.json");
    check_ranges(&r, clips);
    assert!(r["spaces"][0]["knn_accuracy"].is_null());
    assert!(r["spaces"][0]["knn_tag_roc_auc"].as_f64().is_some());
}

#[test]
fn hubness_names_a_bad_layer_metric_or_too_small_a_split() {
    let dir = voice_run();
    assert_fails_with(
        &run_in(dir, &["hubness", "run", "--layer", "head"]),
        &["--layer", "penultimate or frontend"],
    );
    assert_fails_with(
        &run_in(dir, &["hubness", "run", "--metric", "manhattan"]),
        &["--metric", "euclidean or cosine"],
    );
    assert_fails_with(
        &run_in(dir, &["hubness", "run", "-k", "0"]),
        &["-k must be at least 1"],
    );
    assert_fails_with(
        &run_in(dir, &["hubness", "run", "--max-items", "5"]),
        &["too few", "-k"],
    );
}
