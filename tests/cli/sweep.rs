//! Sweeps end to end: a 2 × 2 grid (frontend alternatives × seeds) on the
//! small synthetic SVD set run to the end; the same sweep killed inside its
//! second point and run again (it skips the first point, resumes the second
//! and ends with the same table); a finished sweep run again trains nothing;
//! and the errors a user meets first.

use std::path::Path;
use std::time::SystemTime;

use crate::common::{
    assert_fails_with, killed_once_exists, run_in, small_dataset, text, tiny_config, write,
};

const SWEEP: &str = r#"
[sweep]
seed = [1, 2]
frontend = [{ kind = "mel", bands = 40 }, { name = "lmel", kind = "learnable-mel", bands = 40 }]

[sweep.plot]
metric = "error"
x = "frontend"
"#;

/// The points' run directories, in grid order.
const RUNS: [&str; 4] = [
    "runs/frontend=mel,seed=1",
    "runs/frontend=mel,seed=2",
    "runs/frontend=lmel,seed=1",
    "runs/frontend=lmel,seed=2",
];

fn sweep_config(dir: &Path) -> std::path::PathBuf {
    let config = format!("{}{SWEEP}", tiny_config(small_dataset(), 2));
    write(dir, "exp.toml", &config)
}

/// The records of an RFC 4180 file (quoted fields may hold commas and quotes).
fn csv_records(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && record.is_empty(), "no final CRLF");
    records
}

/// The table without its `train_seconds` column.
fn without_times(records: &[Vec<String>]) -> Vec<Vec<String>> {
    let column = records[0]
        .iter()
        .position(|c| c == "train_seconds")
        .unwrap();
    records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.remove(column);
            r
        })
        .collect()
}

fn epoch_logs(sweep: &Path) -> Vec<(Vec<u8>, SystemTime)> {
    RUNS.iter()
        .map(|run| {
            let path = sweep.join(run).join("metrics.jsonl");
            (
                std::fs::read(&path).unwrap(),
                std::fs::metadata(&path).unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_sweep_killed_mid_run_resumes_to_the_same_table_and_a_finished_one_trains_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let config = sweep_config(tmp.path());
    let config = config.to_str().unwrap();

    // Uninterrupted.
    let out = run_in(tmp.path(), &["sweep", config, "--out", "straight"]);
    assert!(out.status.success(), "{}", text(&out));
    let straight = tmp.path().join("straight");
    for file in [
        "sweep.toml",
        "points.json",
        "results.csv",
        "summary.md",
        "summary.csv",
        "error-vs-frontend.svg",
    ] {
        assert!(
            straight.join(file).is_file(),
            "missing {file}\n{}",
            text(&out)
        );
    }
    for run in RUNS {
        assert!(straight.join(run).join("metrics.json").is_file(), "{run}");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("| frontend | n | error | auroc | f1 |")
            && stdout.contains("| mel | 2 |")
            && stdout.contains("| lmel | 2 |")
            && stdout.contains("straight/results.csv")
            && stdout.contains("straight/error-vs-frontend.svg"),
        "{}",
        text(&out)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("4 points, 0 finished, 0 to resume, 4 to train")
            && stderr.contains("[4/4] frontend=lmel,seed=2: done in")
            && stderr.contains("4 of 4 done")
            && stderr.contains("left)"),
        "{}",
        text(&out)
    );
    let table = csv_records(&straight.join("results.csv"));
    assert_eq!(
        table[0],
        [
            "frontend",
            "seed",
            "auroc",
            "error",
            "f1",
            "precision",
            "recall",
            "specificity",
            "threshold",
            "status",
            "train_seconds",
            "run"
        ]
    );
    assert_eq!(table.len(), 5);
    for (row, (frontend, seed)) in
        table[1..]
            .iter()
            .zip([("mel", "1"), ("mel", "2"), ("lmel", "1"), ("lmel", "2")])
    {
        assert_eq!((row[0].as_str(), row[1].as_str()), (frontend, seed));
        let metrics: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(straight.join(&row[11]).join("metrics.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(row[3].parse::<f64>().unwrap(), metrics["metrics"]["error"]);
        assert_eq!(row[9], "finished");
        assert!(row[10].parse::<f64>().unwrap() > 0.0);
    }
    // Each point's config: its alternative replaced [frontend], its seed set.
    let lmel = std::fs::read_to_string(straight.join(RUNS[3]).join("config.toml")).unwrap();
    assert!(
        lmel.contains("seed = 2") && lmel.contains("kind = \"learnable-mel\""),
        "{lmel}"
    );

    // Killed during the second point's second epoch, then run again.
    let killed = tmp.path().join("killed");
    killed_once_exists(
        tmp.path(),
        &["sweep", config, "--out", "killed"],
        &killed
            .join(RUNS[1])
            .join("checkpoints/epoch-0001/state.json"),
    );
    assert!(
        !killed.join(RUNS[1]).join("metrics.json").exists(),
        "the point finished before the kill; make the test run longer"
    );
    let out = run_in(tmp.path(), &["sweep", config, "--out", "killed"]);
    assert!(out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("4 points, 1 finished, 1 to resume, 2 to train")
            && stderr.contains("[1/4] frontend=mel,seed=1: finished earlier, skipped")
            && stderr.contains("[2/4] frontend=mel,seed=2: resuming"),
        "{}",
        text(&out)
    );
    let resumed = csv_records(&killed.join("results.csv"));
    assert_eq!(without_times(&resumed), without_times(&table));
    assert_eq!(
        std::fs::read(killed.join("summary.csv")).unwrap(),
        std::fs::read(straight.join("summary.csv")).unwrap()
    );

    // Finished: run again, nothing is trained and no epoch log changes.
    let before = epoch_logs(&killed);
    let out = run_in(tmp.path(), &["sweep", config, "--out", "killed"]);
    assert!(out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("4 points, 4 finished, 0 to resume, 0 to train")
            && !stderr.contains("epoch"),
        "{}",
        text(&out)
    );
    assert_eq!(epoch_logs(&killed), before);
    assert_eq!(csv_records(&killed.join("results.csv")), resumed);
}

#[test]
fn sweep_mistakes_are_named_before_anything_is_trained() {
    let tmp = tempfile::tempdir().unwrap();
    let config = sweep_config(tmp.path());
    let config = config.to_str().unwrap();
    // `cochlea train` points to `cochlea sweep`.
    let out = run_in(tmp.path(), &["train", config, "--out", "t"]);
    assert_fails_with(&out, &["declares [sweep]", "cochlea sweep"]);
    // An unknown key in an axis names the point and the axis.
    let bad = format!(
        "{}{}",
        tiny_config(small_dataset(), 1),
        "[sweep]\nseed = [1, 2]\n\"train.epochz\" = [1]\n"
    );
    let bad = write(tmp.path(), "bad.toml", &bad);
    let out = run_in(
        tmp.path(),
        &["sweep", bad.to_str().unwrap(), "--out", "bad"],
    );
    assert_fails_with(
        &out,
        &["sweep point 1/2", "sweep axis `train.epochz` = 1", "epochz"],
    );
    assert!(!tmp.path().join("bad").exists(), "a folder was created");
    // --set may not replace an axis.
    let out = run_in(
        tmp.path(),
        &["sweep", config, "--out", "s", "--set", "seed=3"],
    );
    assert_fails_with(&out, &["--set seed=3 overrides the sweep axis `seed`"]);
    // A sweep folder continues only with its own experiment.
    let quick = [
        "--set",
        "train.batches_per_epoch=1",
        "--set",
        "train.epochs=1",
    ];
    let mut args = vec!["sweep", config, "--out", "s"];
    args.extend(quick);
    let out = run_in(tmp.path(), &args);
    assert!(out.status.success(), "{}", text(&out));
    let out = run_in(tmp.path(), &["sweep", config, "--out", "s"]);
    assert_fails_with(&out, &["was started with --set", "use another --out"]);
    let changed = std::fs::read_to_string(config)
        .unwrap()
        .replace("seed = [1, 2]", "seed = [1, 3]");
    let changed = write(tmp.path(), "changed.toml", &changed);
    let mut args = vec!["sweep", changed.to_str().unwrap(), "--out", "s"];
    args.extend(quick);
    let out = run_in(tmp.path(), &args);
    assert_fails_with(
        &out,
        &["holds a sweep of another experiment", "`sweep.seed`"],
    );
}
