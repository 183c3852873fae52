//! Clip-level multi-label tagging metrics: per tag ROC-AUC
//! ([`super::auroc`], sklearn's `roc_auc_score`), PR-AUC
//! ([`super::average_precision`], sklearn's `average_precision_score`) and
//! F1 at a threshold chosen per tag on the validation split
//! ([`super::best_f1_threshold`]), plus their macro means over tags, the
//! figures reported for MagnaTagATune and MTG-Jamendo (Won et al., SMC 2020;
//! Bogdanov et al., "The MTG-Jamendo dataset for automatic music tagging",
//! ICML 2019 workshop).
//!
//! A tag without a positive or without a negative clip in the split has no
//! defined ranking figure: its ROC-AUC, PR-AUC, precision, recall and F1 are
//! `None`, it is listed in [`TaggingMetrics::undefined`] and left out of
//! every macro mean (sklearn's `roc_auc_score(average='macro')` raises
//! there instead). No NaN is ever produced.
//!
//! Checked against `tests/fixtures/tagging_metrics_sklearn.json`
//! (`make_tagging_metrics.py`).

use serde::{Deserialize, Serialize};

use super::auroc::auroc;
use super::average_precision::average_precision;
use super::f1_threshold::{best_f1_threshold, precision_recall_f1};

/// Figures of one tag on one split.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TagMetrics {
    /// the tag's name
    pub name: String,
    /// clips carrying the tag
    pub positives: usize,
    /// clips without it
    pub negatives: usize,
    /// `roc_auc_score`; `None` without a positive or a negative
    pub roc_auc: Option<f64>,
    /// `average_precision_score`; `None` without a positive or a negative
    pub pr_auc: Option<f64>,
    /// clips with `score > threshold` are predicted positive; chosen on the
    /// validation split, `None` when validation had only one class
    pub threshold: Option<f32>,
    /// `tp / (tp + fp)` at `threshold` (0 when nothing is predicted
    /// positive); `None` without a threshold, a positive or a negative
    pub precision: Option<f64>,
    /// `tp / (tp + fn)` at `threshold`; `None` as `precision`
    pub recall: Option<f64>,
    /// `2 tp / (2 tp + fp + fn)` at `threshold`; `None` as `precision`
    pub f1: Option<f64>,
}

/// Figures of every tag on one split and their macro means.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TaggingMetrics {
    /// one entry per tag, in the order of the tag list
    pub tags: Vec<TagMetrics>,
    /// mean ROC-AUC over the tags with both classes; `None` if there is none
    pub macro_roc_auc: Option<f64>,
    /// mean PR-AUC over the tags with both classes; `None` if there is none
    pub macro_pr_auc: Option<f64>,
    /// mean F1 over the tags with both classes and a threshold; `None` if
    /// there is none
    pub macro_f1: Option<f64>,
    /// number of clips in the split
    pub clips: usize,
    /// tags with no positive or no negative in the split, left out of the
    /// macro means
    pub undefined: Vec<String>,
}

/// Column `tag` of a row-major `[clips, tags]` slice.
fn column<T: Copy>(values: &[T], tags: usize, tag: usize) -> Vec<T> {
    values.iter().skip(tag).step_by(tags).copied().collect()
}

/// Checks the `[clips, tags]` layout and returns the number of clips.
fn clips_of(labels: &[bool], scores: &[f32], tags: usize) -> usize {
    assert_eq!(
        labels.len(),
        scores.len(),
        "tagging metrics: {} labels but {} scores",
        labels.len(),
        scores.len()
    );
    if tags == 0 {
        assert!(labels.is_empty(), "tagging metrics: values but no tag");
        return 0;
    }
    assert_eq!(
        labels.len() % tags,
        0,
        "tagging metrics: {} values are not [clips, {tags} tags]",
        labels.len()
    );
    labels.len() / tags
}

/// Mean of the values, `None` when there is none.
fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// The binary cross-entropy of one probability `s` against a hard label,
/// with `s` clamped to `[1e-7, 1 - 1e-7]` (the tagging report's `loss` is
/// its mean over every clip and tag).
pub fn bce_term(y: bool, s: f32) -> f64 {
    let s = (s as f64).clamp(1e-7, 1.0 - 1e-7);
    if y { -s.ln() } else { -(1.0 - s).ln() }
}

/// The best-F1 threshold of each tag (see [`best_f1_threshold`]) on a
/// validation split given row-major `[clips, tags]` `labels` and `scores`;
/// `None` for a tag with only one class there. `O(n log n)` per tag.
///
/// # Panics
///
/// If `labels` and `scores` differ in length or are not a multiple of
/// `tags` long (a programming error).
pub fn validation_thresholds(labels: &[bool], scores: &[f32], tags: usize) -> Vec<Option<f32>> {
    clips_of(labels, scores, tags);
    (0..tags)
        .map(|j| best_f1_threshold(&column(labels, tags, j), &column(scores, tags, j)))
        .collect()
}

/// Per-tag and macro figures of row-major `[clips, tags]` `labels` and
/// `scores`, `tags.len()` columns, `clips = labels.len() / tags.len()`.
///
/// `thresholds` holds one threshold per tag chosen on the validation split
/// ([`validation_thresholds`]); with `None` each tag's threshold is chosen
/// on these clips themselves (right for the validation split, optimistic
/// for any other). `O(n log n)` per tag.
///
/// # Panics
///
/// If `labels` and `scores` differ in length, are not a multiple of
/// `tags.len()` long, or `thresholds` does not hold one entry per tag (all
/// programming errors).
pub fn tagging_metrics(
    tags: &[String],
    labels: &[bool],
    scores: &[f32],
    thresholds: Option<&[Option<f32>]>,
) -> TaggingMetrics {
    let clips = clips_of(labels, scores, tags.len());
    if let Some(t) = thresholds {
        assert_eq!(
            t.len(),
            tags.len(),
            "tagging metrics: {} thresholds for {} tags",
            t.len(),
            tags.len()
        );
    }
    let mut per_tag = Vec::with_capacity(tags.len());
    let mut undefined = Vec::new();
    for (j, name) in tags.iter().enumerate() {
        let y = column(labels, tags.len(), j);
        let s = column(scores, tags.len(), j);
        let positives = y.iter().filter(|&&l| l).count();
        let negatives = clips - positives;
        let threshold = match thresholds {
            Some(t) => t[j],
            None => best_f1_threshold(&y, &s),
        };
        let mut m = TagMetrics {
            name: name.clone(),
            positives,
            negatives,
            roc_auc: None,
            pr_auc: None,
            threshold,
            precision: None,
            recall: None,
            f1: None,
        };
        if positives > 0 && negatives > 0 {
            m.roc_auc = auroc(&y, &s);
            m.pr_auc = average_precision(&y, &s);
            if let Some(t) = threshold {
                let r = precision_recall_f1(&y, &s, t);
                (m.precision, m.recall, m.f1) = (Some(r.precision), Some(r.recall), Some(r.f1));
            }
        } else {
            undefined.push(name.clone());
        }
        per_tag.push(m);
    }
    TaggingMetrics {
        macro_roc_auc: mean(per_tag.iter().filter_map(|m| m.roc_auc)),
        macro_pr_auc: mean(per_tag.iter().filter_map(|m| m.pr_auc)),
        macro_f1: mean(per_tag.iter().filter_map(|m| m.f1)),
        tags: per_tag,
        clips,
        undefined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Fixture {
        tagging: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        tag_names: Vec<String>,
        validation_labels: Vec<u8>,
        validation_scores: Vec<f32>,
        test_labels: Vec<u8>,
        test_scores: Vec<f32>,
        thresholds: Vec<Option<f32>>,
        validation: TaggingMetrics,
        test: TaggingMetrics,
    }

    fn bools(v: &[u8]) -> Vec<bool> {
        v.iter().map(|&l| l == 1).collect()
    }

    fn assert_close(got: Option<f64>, expected: Option<f64>, what: &str) {
        match (got, expected) {
            (Some(g), Some(e)) => assert!((g - e).abs() <= 1e-9, "{what}: got {g}, sklearn {e}"),
            (g, e) => assert_eq!(g, e, "{what}"),
        }
    }

    fn assert_matches(got: &TaggingMetrics, expected: &TaggingMetrics, split: &str) {
        assert_eq!(got.clips, expected.clips, "{split}");
        assert_eq!(got.undefined, expected.undefined, "{split}");
        assert_eq!(got.tags.len(), expected.tags.len(), "{split}");
        for (g, e) in got.tags.iter().zip(&expected.tags) {
            let what = format!("{split} {}", e.name);
            assert_eq!(g.name, e.name, "{what}");
            assert_eq!(
                (g.positives, g.negatives),
                (e.positives, e.negatives),
                "{what}"
            );
            assert_eq!(g.threshold, e.threshold, "{what}");
            assert_close(g.roc_auc, e.roc_auc, &format!("{what} roc_auc"));
            assert_close(g.pr_auc, e.pr_auc, &format!("{what} pr_auc"));
            assert_close(g.precision, e.precision, &format!("{what} precision"));
            assert_close(g.recall, e.recall, &format!("{what} recall"));
            assert_close(g.f1, e.f1, &format!("{what} f1"));
        }
        assert_close(
            got.macro_roc_auc,
            expected.macro_roc_auc,
            &format!("{split} macro roc"),
        );
        assert_close(
            got.macro_pr_auc,
            expected.macro_pr_auc,
            &format!("{split} macro pr"),
        );
        assert_close(
            got.macro_f1,
            expected.macro_f1,
            &format!("{split} macro f1"),
        );
    }

    /// Fails if ties were broken instead of grouped (mutation run by hand:
    /// the `all_equal` tag of `edge_tags` got threshold 0.7, which predicts
    /// nothing positive, instead of 0.6999999), if a one-class tag entered a
    /// macro mean, or if a test-split threshold were chosen on the test split.
    #[test]
    fn matches_sklearn_fixture() {
        let fixture: Fixture = crate::metrics::read_fixture("tagging_metrics_sklearn.json");
        assert_eq!(fixture.tagging.len(), 2);
        for case in &fixture.tagging {
            let tags = case.tag_names.len();
            let (vl, tl) = (bools(&case.validation_labels), bools(&case.test_labels));
            let thresholds = validation_thresholds(&vl, &case.validation_scores, tags);
            assert_eq!(thresholds, case.thresholds, "{}", case.name);

            let v = tagging_metrics(&case.tag_names, &vl, &case.validation_scores, None);
            assert_matches(&v, &case.validation, &format!("{} validation", case.name));
            let t = tagging_metrics(&case.tag_names, &tl, &case.test_scores, Some(&thresholds));
            assert_matches(&t, &case.test, &format!("{} test", case.name));
        }
        // the edge case really has tags left out, the realistic one is 1000 clips
        assert_eq!(
            fixture.tagging[0].test.undefined,
            ["no_positive", "no_negative"]
        );
        assert_eq!(fixture.tagging[1].test.clips, 1000);
    }

    #[test]
    fn one_class_tags_are_none_and_left_out() {
        let tags: Vec<String> = ["a", "never", "always"].map(String::from).to_vec();
        // [clips = 4, tags = 3]
        let labels = [
            true, false, true, //
            false, false, true, //
            true, false, true, //
            false, false, true,
        ];
        let scores = [
            0.9, 0.1, 0.2, //
            0.2, 0.5, 0.3, //
            0.8, 0.3, 0.4, //
            0.1, 0.7, 0.5,
        ];
        let m = tagging_metrics(&tags, &labels, &scores, None);
        assert_eq!(m.clips, 4);
        assert_eq!(m.undefined, ["never", "always"]);
        assert_eq!(m.tags[0].roc_auc, Some(1.0));
        assert_eq!(m.tags[0].f1, Some(1.0));
        assert_eq!(m.tags[0].threshold, Some(0.5));
        for t in &m.tags[1..] {
            assert_eq!(
                (t.roc_auc, t.pr_auc, t.threshold, t.f1),
                (None, None, None, None)
            );
        }
        assert_eq!((m.tags[1].positives, m.tags[2].negatives), (0, 0));
        assert_eq!(
            (m.macro_roc_auc, m.macro_pr_auc, m.macro_f1),
            (Some(1.0), Some(1.0), Some(1.0))
        );
        let text = serde_json::to_string(&m).unwrap();
        assert!(!text.contains("NaN") && !text.contains("nan"));
        let back: TaggingMetrics = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m);

        let empty = tagging_metrics(&[], &[], &[], None);
        assert_eq!(
            (empty.clips, empty.macro_roc_auc, empty.macro_f1),
            (0, None, None)
        );
        assert!(validation_thresholds(&[], &[], 0).is_empty());
    }

    #[test]
    #[should_panic(expected = "not [clips, 3 tags]")]
    fn mismatched_layout_panics() {
        let tags: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        tagging_metrics(&tags, &[true; 4], &[0.5; 4], None);
    }
}
