//! Every figure against `tests/fixtures/hubness_reference.json`
//! (`make_hubness.py`: kiez's hubness measures, numpy's Mutual Proximity and
//! local scaling after hub-toolbox, scikit-learn's neighbours and ROC-AUC).

use serde::Deserialize;
use std::collections::BTreeMap;

use super::*;

#[derive(Deserialize)]
struct Fixture {
    k: usize,
    local_scaling_k: usize,
    dim: usize,
    points: Vec<Vec<f32>>,
    classes: Vec<usize>,
    tags: Vec<Vec<u8>>,
    cases: BTreeMap<String, BTreeMap<String, Case>>,
}

#[derive(Deserialize)]
struct Case {
    matrix: Vec<Vec<f64>>,
    neighbours: Vec<Vec<usize>>,
    measures: BTreeMap<String, serde_json::Value>,
    knn_accuracy: f64,
    knn_tag_roc_auc: f64,
}

fn fixture() -> Fixture {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/hubness_reference.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture JSON")
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol * (1.0 + b.abs()),
        "{what}: {a} vs reference {b}"
    );
}

fn check(name: &str, d: &DistanceMatrix, case: &Case, fx: &Fixture) {
    for (i, row) in case.matrix.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            close(d.at(i, j), v, 1e-9, &format!("{name} [{i}, {j}]"));
        }
    }
    let nn = Neighbours::of(d, fx.k);
    for (i, row) in case.neighbours.iter().enumerate() {
        assert_eq!(nn.of_point(i), row.as_slice(), "{name}: neighbours of {i}");
    }
    let m = HubnessMeasures::of(&nn);
    let reference = |key: &str| case.measures[key].as_f64().unwrap();
    close(
        m.k_skewness.unwrap(),
        reference("k_skewness"),
        1e-9,
        &format!("{name} skewness"),
    );
    close(
        m.hub_occurrence,
        reference("hub_occurrence"),
        1e-12,
        &format!("{name} hub occurrence"),
    );
    close(
        m.antihub_occurrence,
        reference("antihub_occurrence"),
        1e-12,
        &format!("{name} antihubs"),
    );
    close(
        m.robinhood,
        reference("robinhood"),
        1e-12,
        &format!("{name} Robin Hood"),
    );
    close(m.gini, reference("gini"), 1e-12, &format!("{name} Gini"));
    let occurrence: Vec<usize> =
        serde_json::from_value(case.measures["k_occurrence"].clone()).unwrap();
    assert_eq!(nn.k_occurrence(), occurrence, "{name}: k-occurrence");
    close(
        majority_accuracy(&nn, &fx.classes),
        case.knn_accuracy,
        1e-12,
        &format!("{name} k-NN accuracy"),
    );
    let tags: Vec<Vec<bool>> = fx
        .tags
        .iter()
        .map(|r| r.iter().map(|&t| t == 1).collect())
        .collect();
    close(
        tag_vote_roc_auc(&nn, &tags).unwrap(),
        case.knn_tag_roc_auc,
        1e-9,
        &format!("{name} tag ROC-AUC"),
    );
}

#[test]
fn distances_reductions_and_measures_match_the_references() {
    let fx = fixture();
    let flat: Vec<f32> = fx.points.iter().flatten().copied().collect();
    for (metric_name, cases) in &fx.cases {
        let metric = Metric::parse(metric_name).unwrap();
        let d = DistanceMatrix::between(&flat, fx.dim, metric);
        check(metric_name, &d, &cases["distances"], &fx);
        check(
            &format!("{metric_name} MP empiric"),
            &mutual_proximity_empiric(&d),
            &cases["mp_empiric"],
            &fx,
        );
        check(
            &format!("{metric_name} MP Gaussian"),
            &mutual_proximity_gaussian(&d),
            &cases["mp_gaussian"],
            &fx,
        );
        check(
            &format!("{metric_name} local scaling"),
            &local_scaling(&d, fx.local_scaling_k),
            &cases["local_scaling"],
            &fx,
        );
    }
}

#[test]
fn the_reductions_lower_hubness_on_the_fixture() {
    // The point of the reductions, on the reference data: skewness falls.
    let fx = fixture();
    let flat: Vec<f32> = fx.points.iter().flatten().copied().collect();
    let d = DistanceMatrix::between(&flat, fx.dim, Metric::Euclidean);
    let skew = |d: &DistanceMatrix| {
        HubnessMeasures::of(&Neighbours::of(d, fx.k))
            .k_skewness
            .unwrap()
    };
    let before = skew(&d);
    for after in [
        skew(&mutual_proximity_empiric(&d)),
        skew(&mutual_proximity_gaussian(&d)),
        skew(&local_scaling(&d, 5)),
    ] {
        assert!(after < before, "{after} >= {before}");
    }
}

#[test]
fn equal_k_occurrence_has_no_skewness_and_ties_go_to_the_lower_index() {
    // Four points on a unit square: the two sides of each corner are at
    // distance 1, the diagonal at sqrt 2.
    let square = [0.0f32, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
    let d = DistanceMatrix::between(&square, 2, Metric::Euclidean);
    let two = Neighbours::of(&d, 2);
    assert_eq!(two.of_point(0), &[1, 3]);
    assert_eq!(two.k_occurrence(), vec![2, 2, 2, 2]);
    let m = HubnessMeasures::of(&two);
    assert_eq!(m.k_skewness, None);
    assert_eq!((m.robinhood, m.gini, m.antihub_occurrence), (0.0, 0.0, 0.0));
    // One neighbour: each tie goes to the lower index.
    let one = Neighbours::of(&d, 1);
    assert_eq!(one.indices, vec![1, 0, 1, 0]);
    assert_eq!(one.k_occurrence(), vec![2, 2, 0, 0]);
    assert_eq!(HubnessMeasures::of(&one).antihub_occurrence, 0.5);
}
