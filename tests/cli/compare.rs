//! `cochlea compare` end to end on the small synthetic SVD set: two
//! variants × two seeds with a transfer set, the report's sections and
//! notes, the paired differences against the runs' own reports, the
//! per-run test predictions, and a finished comparison run again training
//! nothing.

use crate::common::{assert_fails_with, run_in, small_dataset, text, tiny_config, write};

const COMPARE: &str = r#"
[compare]
baseline = "mel"
seeds = [1, 2]
resamples = 200

[compare.variants]
frontend = [{ kind = "mel", bands = 40 }, { name = "lmel", kind = "learnable-mel", bands = 40 }]
"#;

/// The runs, seeds outermost.
const RUNS: [&str; 4] = [
    "runs/seed=1,frontend=mel",
    "runs/seed=1,frontend=lmel",
    "runs/seed=2,frontend=mel",
    "runs/seed=2,frontend=lmel",
];

fn error_of(run: &std::path::Path) -> f64 {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("metrics.json")).unwrap()).unwrap();
    json["metrics"]["error"].as_f64().unwrap()
}

#[test]
fn a_comparison_trains_every_variant_with_every_seed_and_tests_the_differences() {
    let tmp = tempfile::tempdir().unwrap();
    let transfer = format!(
        "[compare.transfer]\nname = \"again\"\nroot = \"{}\"\n",
        small_dataset().display()
    );
    let config = format!("{}{COMPARE}{transfer}", tiny_config(small_dataset(), 1));
    let config = write(tmp.path(), "cmp.toml", &config);
    let config = config.to_str().unwrap();
    let out = run_in(tmp.path(), &["compare", config, "--out", "cmp"]);
    assert!(out.status.success(), "{}", text(&out));
    let dir = tmp.path().join("cmp");
    for file in [
        "report.md",
        "results.csv",
        "comparisons.csv",
        "error.svg",
        "again-error.svg",
        "filters-mel.svg",
        "filters-lmel.svg",
    ] {
        assert!(dir.join(file).is_file(), "missing {file}\n{}", text(&out));
    }
    for run in RUNS {
        let run = dir.join(run);
        assert!(
            run.join("test-predictions.json").is_file(),
            "{}",
            run.display()
        );
        assert!(run.join("transfer-again.json").is_file());
        assert!(run.join("transfer-again-predictions.json").is_file());
    }
    // The paired difference is the mean of the per-seed differences of the runs' reports.
    let d: Vec<f64> = [(1, 0), (3, 2)]
        .iter()
        .map(|&(v, b)| error_of(&dir.join(RUNS[v])) - error_of(&dir.join(RUNS[b])))
        .collect();
    let mean = (d[0] + d[1]) / 2.0;
    let csv = std::fs::read_to_string(dir.join("comparisons.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let error_rows: Vec<&Vec<&str>> = rows
        .iter()
        .filter(|r| r[col("metric")] == "error" && r[col("variant")] == "lmel")
        .collect();
    assert_eq!(error_rows.len(), 2, "{csv}");
    for row in &error_rows {
        let got: f64 = row[col("difference")].parse().unwrap();
        assert!((got - mean).abs() < 1e-12, "{got} vs {mean}");
        assert_eq!(row[col("seeds")], "2");
        let (low, high): (f64, f64) = (
            row[col("ci_low")].parse().unwrap(),
            row[col("ci_high")].parse().unwrap(),
        );
        assert!(low <= high);
    }
    // The transfer set is the training dataset itself: the same figures.
    assert_eq!(error_rows[0][col("set")], "test");
    assert_eq!(error_rows[1][col("set")], "again");
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    for needle in [
        "# Comparison:",
        "baseline **mel**",
        "## Per variant on the test set",
        "## Per variant on the again set",
        "## Cost per variant",
        "| lmel | 42 |",
        "## Against mel on the test set",
        "lmel vs mel: error",
        "(Holm)",
        "**Too few seeds for the Wilcoxon test.** With 2 seeds",
        "6 seeds would let it",
        "**Few independent units.**",
        "## Methods",
    ] {
        assert!(report.contains(needle), "missing {needle:?} in\n{report}");
    }
    assert!(
        !report.contains("In-distribution test set only"),
        "{report}"
    );

    // Finished: run again, nothing is trained.
    let out = run_in(tmp.path(), &["compare", config, "--out", "cmp"]);
    assert!(out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("4 points, 4 finished, 0 to resume, 0 to train")
            && !stderr.contains("epoch"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("comparisons.csv")).unwrap(),
        csv
    );
}

#[test]
fn compare_mistakes_are_named_before_anything_is_trained() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tiny_config(small_dataset(), 1);
    let config = write(tmp.path(), "cmp.toml", &format!("{base}{COMPARE}"));
    let out = run_in(
        tmp.path(),
        &["train", config.to_str().unwrap(), "--out", "t"],
    );
    assert_fails_with(&out, &["declares [compare]", "cochlea compare"]);
    let bad = write(
        tmp.path(),
        "bad.toml",
        &format!(
            "{base}{}",
            COMPARE.replace("baseline = \"mel\"", "baseline = \"mfcc\"")
        ),
    );
    let out = run_in(
        tmp.path(),
        &["compare", bad.to_str().unwrap(), "--out", "bad"],
    );
    assert_fails_with(
        &out,
        &["compare.baseline = \"mfcc\" is not a variant", "mel, lmel"],
    );
    assert!(!tmp.path().join("bad").exists(), "a folder was created");
}
