//! `[label_noise]`: which artificial label corruption a run applies, to
//! which splits, with which seed.
//!
//! ```toml
//! [label_noise]
//! kind = "asymmetric"      # see NoiseKind
//! add_rate = 0.02          # 0 -> 1 among negatives
//! drop_rate = 0.3          # 1 -> 0 among positives
//! seed = 1                 # the noise's own seed (default 1), not the training seed
//! splits = ["train"]       # default; "valid" may be added; "test" is refused
//! ```
//!
//! Artificial corruption of curated labels quantifies how much label noise a
//! learner tolerates (Prinz, Flexer & Widmer, "The Impact of Label Noise on a
//! Music Tagger", arXiv 2008.06273, 2020); in weakly labelled tagging data a
//! 0 often means "nobody said so", so dropping positives is offered apart
//! from adding them (reference/LITERATURE.md §3). The checks that need the
//! task ([`LabelNoiseConfig::validate`]) run with the config; those that
//! need the dataset's tags (unknown tag names) run when it is read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What the noise corrupts, as the task reads its labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoiseTarget {
    /// One flag per tag and clip (tagging).
    Tags,
    /// `.lab` segments of songs (singing voice).
    Segments,
}

/// `label_noise.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoiseKind {
    /// Each tag flag flips (0 → 1 or 1 → 0) with probability `rate`.
    Symmetric,
    /// Each positive becomes 0 with probability `rate`.
    Drop,
    /// Each negative becomes 1 with probability `rate`.
    Add,
    /// Negatives become 1 with `add_rate`, positives 0 with `drop_rate`.
    Asymmetric,
    /// Symmetric flips with a rate per tag (`rates`; others `rate`, default 0).
    PerTag,
    /// Each positive of a row tag of `confusion` moves, with `rate`, to a
    /// column tag drawn in proportion to the row's weights.
    Confusion,
    /// Singing voice: each `.lab` segment's label flips with `rate`.
    Segments,
    /// Singing voice: each boundary between two touching segments with
    /// different labels moves, with `rate`, by a uniform shift in
    /// `[-max_shift, max_shift]` seconds.
    Boundaries,
}

impl NoiseKind {
    /// The name in configs.
    pub fn name(self) -> &'static str {
        match self {
            NoiseKind::Symmetric => "symmetric",
            NoiseKind::Drop => "drop",
            NoiseKind::Add => "add",
            NoiseKind::Asymmetric => "asymmetric",
            NoiseKind::PerTag => "per-tag",
            NoiseKind::Confusion => "confusion",
            NoiseKind::Segments => "segments",
            NoiseKind::Boundaries => "boundaries",
        }
    }

    /// What the kind corrupts.
    pub fn target(self) -> NoiseTarget {
        match self {
            NoiseKind::Segments | NoiseKind::Boundaries => NoiseTarget::Segments,
            _ => NoiseTarget::Tags,
        }
    }
}

/// The `[label_noise]` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelNoiseConfig {
    /// Which corruption.
    pub kind: NoiseKind,
    /// The probability of the kind's one corruption per label (0..=1);
    /// `per-tag`: the rate of tags that `rates` does not list (default 0);
    /// not used by `asymmetric`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// `asymmetric`: probability that a negative becomes 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_rate: Option<f64>,
    /// `asymmetric`: probability that a positive becomes 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_rate: Option<f64>,
    /// `per-tag`: tag name → flip rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<BTreeMap<String, f64>>,
    /// `confusion`: row tag → (column tag → weight).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confusion: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    /// `boundaries`: the largest shift of a boundary, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_shift: Option<f64>,
    /// The noise's own seed, independent of the training seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// The splits whose labels are corrupted: `"train"` and/or `"valid"`.
    #[serde(default = "default_splits")]
    pub splits: Vec<String>,
}

fn default_seed() -> u64 {
    1
}

fn default_splits() -> Vec<String> {
    vec!["train".into()]
}

/// The per-label probabilities of one tag: `add` for 0 → 1, `drop` for 1 → 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TagRates {
    /// Probability that a negative becomes positive.
    pub add: f64,
    /// Probability that a positive becomes negative.
    pub drop: f64,
}

/// One row of the confusion table as vocabulary indices.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfusionRow {
    /// The row tag.
    pub from: usize,
    /// Its destinations and their weights, in the table's order.
    pub to: Vec<(usize, f64)>,
}

impl LabelNoiseConfig {
    /// Whether `split` is corrupted.
    pub fn applies_to(&self, split: &str) -> bool {
        self.splits.iter().any(|s| s == split)
    }

    /// Whether the validation labels are corrupted.
    pub fn corrupts_validation(&self) -> bool {
        self.applies_to("valid")
    }

    /// Checks the section for a task whose labels are `target`; the message
    /// names the key and what to do.
    pub fn validate(&self, target: NoiseTarget) -> Result<(), String> {
        let kind = self.kind.name();
        if self.kind.target() != target {
            let (what, kinds) = match target {
                NoiseTarget::Tags => (
                    "task.kind = \"tagging\"",
                    "symmetric, drop, add, asymmetric, per-tag or confusion",
                ),
                NoiseTarget::Segments => {
                    ("task.kind = \"singing-voice\"", "segments or boundaries")
                }
            };
            return Err(format!(
                "label_noise.kind = \"{kind}\" does not apply to {what}: use {kinds}"
            ));
        }
        self.check_splits()?;
        let unused = |key: &str, given: bool| -> Result<(), String> {
            if given {
                Err(format!(
                    "label_noise.{key} is not used by label_noise.kind = \"{kind}\": remove it"
                ))
            } else {
                Ok(())
            }
        };
        let uses = |key: &str| match key {
            "rate" => self.kind != NoiseKind::Asymmetric,
            "add_rate" | "drop_rate" => self.kind == NoiseKind::Asymmetric,
            "rates" => self.kind == NoiseKind::PerTag,
            "confusion" => self.kind == NoiseKind::Confusion,
            "max_shift" => self.kind == NoiseKind::Boundaries,
            _ => false,
        };
        for (key, given) in [
            ("add_rate", self.add_rate.is_some()),
            ("drop_rate", self.drop_rate.is_some()),
            ("rates", self.rates.is_some()),
            ("confusion", self.confusion.is_some()),
            ("max_shift", self.max_shift.is_some()),
        ] {
            if !uses(key) {
                unused(key, given)?;
            }
        }
        if self.kind == NoiseKind::Asymmetric {
            if self.rate.is_some() {
                return Err(
                    "label_noise.rate is not used by label_noise.kind = \"asymmetric\": \
                     give label_noise.add_rate (0 -> 1) and label_noise.drop_rate (1 -> 0) instead"
                        .into(),
                );
            }
            check_probability("label_noise.add_rate", self.add_rate, kind)?;
            check_probability("label_noise.drop_rate", self.drop_rate, kind)?;
        } else if self.kind == NoiseKind::PerTag {
            if let Some(rate) = self.rate {
                check_probability("label_noise.rate", Some(rate), kind)?;
            }
            let Some(rates) = &self.rates else {
                return Err(
                    "label_noise.kind = \"per-tag\" needs a label_noise.rates table \
                     (tag name = rate), e.g. [label_noise.rates] rock = 0.2"
                        .into(),
                );
            };
            for (tag, &rate) in rates {
                check_probability(&format!("label_noise.rates.\"{tag}\""), Some(rate), kind)?;
            }
        } else {
            check_probability("label_noise.rate", self.rate, kind)?;
        }
        if self.kind == NoiseKind::Confusion {
            self.check_confusion()?;
        }
        if self.kind == NoiseKind::Boundaries {
            match self.max_shift {
                Some(s) if s > 0.0 && s.is_finite() => {}
                Some(s) => {
                    return Err(format!(
                        "label_noise.max_shift = {s} must be a positive number of seconds"
                    ));
                }
                None => {
                    return Err(
                        "label_noise.kind = \"boundaries\" needs label_noise.max_shift \
                         (the largest shift in seconds, e.g. 0.5)"
                            .into(),
                    );
                }
            }
        }
        Ok(())
    }

    fn check_splits(&self) -> Result<(), String> {
        if self.splits.is_empty() {
            return Err(
                "label_noise.splits is empty: list \"train\" and/or \"valid\", or remove [label_noise]"
                    .into(),
            );
        }
        for (i, split) in self.splits.iter().enumerate() {
            match split.as_str() {
                "train" | "valid" => {}
                "test" => {
                    return Err(
                        "label_noise.splits lists \"test\": test labels are never corrupted, so \
                         that every run is judged against the clean labels; list \"train\" and/or \"valid\""
                            .into(),
                    );
                }
                other => {
                    return Err(format!(
                        "label_noise.splits lists \"{other}\": the splits that can be corrupted \
                         are \"train\" and \"valid\""
                    ));
                }
            }
            if self.splits[..i].contains(split) {
                return Err(format!(
                    "label_noise.splits lists \"{split}\" twice: list it once"
                ));
            }
        }
        Ok(())
    }

    fn check_confusion(&self) -> Result<(), String> {
        let Some(table) = &self.confusion else {
            return Err(
                "label_noise.kind = \"confusion\" needs a label_noise.confusion table, e.g. \
                 [label_noise.confusion] rock = { metal = 2, punk = 1 }"
                    .into(),
            );
        };
        if table.is_empty() {
            return Err("label_noise.confusion is empty: give at least one row tag".into());
        }
        for (from, row) in table {
            let key = format!("label_noise.confusion.\"{from}\"");
            if row.is_empty() {
                return Err(format!(
                    "{key} lists no destination tag: give tag = weight pairs"
                ));
            }
            for (to, &weight) in row {
                if to == from {
                    return Err(format!(
                        "{key} lists \"{to}\" itself: a positive can only move to another tag"
                    ));
                }
                if !(weight > 0.0 && weight.is_finite()) {
                    return Err(format!(
                        "{key}.\"{to}\" = {weight} must be a positive weight"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The add and drop probabilities of each tag of `vocabulary` for the
    /// flip kinds (`confusion` has none: its moves are drawn per row tag);
    /// a tag named in `rates` that `vocabulary` lacks is an error message.
    pub fn tag_rates(&self, vocabulary: &[String]) -> Result<Vec<TagRates>, String> {
        let rate = self.rate.unwrap_or(0.0);
        let same = |p: f64| TagRates { add: p, drop: p };
        let all = |r: TagRates| Ok(vec![r; vocabulary.len()]);
        match self.kind {
            NoiseKind::Symmetric => all(same(rate)),
            NoiseKind::Drop => all(TagRates {
                add: 0.0,
                drop: rate,
            }),
            NoiseKind::Add => all(TagRates {
                add: rate,
                drop: 0.0,
            }),
            NoiseKind::Asymmetric => all(TagRates {
                add: self.add_rate.unwrap_or(0.0),
                drop: self.drop_rate.unwrap_or(0.0),
            }),
            NoiseKind::PerTag => {
                let rates = self.rates.clone().unwrap_or_default();
                check_tags("label_noise.rates", rates.keys(), vocabulary)?;
                Ok(vocabulary
                    .iter()
                    .map(|t| same(rates.get(t).copied().unwrap_or(rate)))
                    .collect())
            }
            NoiseKind::Confusion | NoiseKind::Segments | NoiseKind::Boundaries => all(same(0.0)),
        }
    }

    /// The confusion table as vocabulary indices: for each row tag, its
    /// destinations with their weights (in the table's order); a tag the
    /// vocabulary lacks is an error message.
    pub fn confusion_rows(&self, vocabulary: &[String]) -> Result<Vec<ConfusionRow>, String> {
        let Some(table) = &self.confusion else {
            return Ok(Vec::new());
        };
        check_tags("label_noise.confusion", table.keys(), vocabulary)?;
        let index = |t: &str| vocabulary.iter().position(|v| v == t);
        let mut rows = Vec::with_capacity(table.len());
        for (from, row) in table {
            check_tags(
                &format!("label_noise.confusion.\"{from}\""),
                row.keys(),
                vocabulary,
            )?;
            let to = row
                .iter()
                .filter_map(|(to, &w)| index(to).map(|i| (i, w)))
                .collect();
            if let Some(from) = index(from) {
                rows.push(ConfusionRow { from, to });
            }
        }
        Ok(rows)
    }
}

fn check_probability(key: &str, value: Option<f64>, kind: &str) -> Result<(), String> {
    match value {
        Some(p) if (0.0..=1.0).contains(&p) => Ok(()),
        Some(p) => Err(format!("{key} = {p} must be a probability in 0..=1")),
        None => Err(format!(
            "label_noise.kind = \"{kind}\" needs {key} (a probability in 0..=1)"
        )),
    }
}

/// Errs naming the first of `named` that is not in `vocabulary`, listing it.
fn check_tags<'a>(
    key: &str,
    mut named: impl Iterator<Item = &'a String>,
    vocabulary: &[String],
) -> Result<(), String> {
    match named.find(|t| !vocabulary.contains(t)) {
        Some(tag) => Err(format!(
            "{key} names the tag \"{tag}\", which the dataset does not have; its tags are: {}",
            vocabulary.join(", ")
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> LabelNoiseConfig {
        toml::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn error(text: &str, target: NoiseTarget) -> String {
        parse(text).validate(target).unwrap_err()
    }

    #[test]
    fn defaults_are_seed_1_and_the_training_split() {
        let c = parse("kind = \"symmetric\"\nrate = 0.1\n");
        assert_eq!(c.seed, 1);
        assert_eq!(c.splits, ["train"]);
        assert!(c.applies_to("train") && !c.applies_to("valid") && !c.applies_to("test"));
        assert!(!c.corrupts_validation());
        c.validate(NoiseTarget::Tags).unwrap();
        // Integer weights and rates are read as numbers.
        let c =
            parse("kind = \"confusion\"\nrate = 1\n[confusion]\nrock = { metal = 2, punk = 1 }\n");
        c.validate(NoiseTarget::Tags).unwrap();
        assert_eq!(c.confusion.unwrap()["rock"]["metal"], 2.0);
    }

    #[test]
    fn each_bad_value_names_its_key() {
        let tags = NoiseTarget::Tags;
        for (text, needles) in [
            (
                "kind = \"symmetric\"",
                &["label_noise.rate", "symmetric"][..],
            ),
            (
                "kind = \"drop\"\nrate = 1.5",
                &["label_noise.rate = 1.5", "0..=1"],
            ),
            ("kind = \"add\"\nrate = -0.1", &["label_noise.rate"]),
            (
                "kind = \"asymmetric\"\nrate = 0.1\nadd_rate = 0.1\ndrop_rate = 0.2",
                &["label_noise.rate is not used", "add_rate", "drop_rate"],
            ),
            (
                "kind = \"asymmetric\"\nadd_rate = 0.1",
                &["label_noise.drop_rate"],
            ),
            ("kind = \"per-tag\"\nrate = 0.1", &["label_noise.rates"]),
            (
                "kind = \"per-tag\"\n[rates]\nrock = 2",
                &["label_noise.rates.\"rock\" = 2"],
            ),
            (
                "kind = \"confusion\"\nrate = 0.1",
                &["label_noise.confusion"],
            ),
            (
                "kind = \"confusion\"\nrate = 0.1\n[confusion]\nrock = { rock = 1 }",
                &["\"rock\" itself"],
            ),
            (
                "kind = \"confusion\"\nrate = 0.1\n[confusion]\nrock = { metal = 0 }",
                &["label_noise.confusion.\"rock\".\"metal\" = 0"],
            ),
            (
                "kind = \"symmetric\"\nrate = 0.1\nmax_shift = 1",
                &["label_noise.max_shift is not used"],
            ),
            (
                "kind = \"symmetric\"\nrate = 0.1\nsplits = [\"train\", \"test\"]",
                &["\"test\"", "never corrupted"],
            ),
            (
                "kind = \"symmetric\"\nrate = 0.1\nsplits = [\"validation\"]",
                &["\"validation\"", "\"valid\""],
            ),
            (
                "kind = \"symmetric\"\nrate = 0.1\nsplits = [\"train\", \"train\"]",
                &["twice"],
            ),
            ("kind = \"symmetric\"\nrate = 0.1\nsplits = []", &["empty"]),
            (
                "kind = \"segments\"\nrate = 0.1",
                &["task.kind = \"tagging\"", "segments"],
            ),
        ] {
            let e = error(text, tags);
            for n in needles {
                assert!(e.contains(n), "{text}: {e} lacks {n}");
            }
        }
        let svd = NoiseTarget::Segments;
        let e = error("kind = \"drop\"\nrate = 0.1", svd);
        assert!(
            e.contains("label_noise.kind = \"drop\"") && e.contains("singing-voice"),
            "{e}"
        );
        let e = error("kind = \"boundaries\"\nrate = 0.1", svd);
        assert!(e.contains("label_noise.max_shift"), "{e}");
        let e = error("kind = \"boundaries\"\nrate = 0.1\nmax_shift = 0", svd);
        assert!(e.contains("label_noise.max_shift = 0"), "{e}");
        parse("kind = \"boundaries\"\nrate = 0.1\nmax_shift = 0.5\nsplits = [\"valid\"]")
            .validate(svd)
            .unwrap();
        assert!(toml::from_str::<LabelNoiseConfig>("kind = \"flip\"").is_err());
        let e = toml::from_str::<LabelNoiseConfig>("kind = \"drop\"\nrat = 0.1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("rat"), "{e}");
    }

    fn vocabulary() -> Vec<String> {
        ["metal", "punk", "rock"].map(String::from).to_vec()
    }

    #[test]
    fn tag_rates_per_kind() {
        let v = vocabulary();
        let rates = |text: &str| parse(text).tag_rates(&v).unwrap();
        let r = |add, drop| TagRates { add, drop };
        assert_eq!(
            rates("kind = \"symmetric\"\nrate = 0.2"),
            vec![r(0.2, 0.2); 3]
        );
        assert_eq!(rates("kind = \"drop\"\nrate = 0.2"), vec![r(0.0, 0.2); 3]);
        assert_eq!(rates("kind = \"add\"\nrate = 0.2"), vec![r(0.2, 0.0); 3]);
        assert_eq!(
            rates("kind = \"asymmetric\"\nadd_rate = 0.1\ndrop_rate = 0.3"),
            vec![r(0.1, 0.3); 3]
        );
        assert_eq!(
            rates("kind = \"per-tag\"\n[rates]\npunk = 0.4"),
            vec![r(0.0, 0.0), r(0.4, 0.4), r(0.0, 0.0)]
        );
        assert_eq!(
            rates("kind = \"per-tag\"\nrate = 0.1\n[rates]\npunk = 0.4"),
            vec![r(0.1, 0.1), r(0.4, 0.4), r(0.1, 0.1)]
        );
    }

    #[test]
    fn unknown_tags_are_errors_listing_the_vocabulary() {
        let v = vocabulary();
        let e = parse("kind = \"per-tag\"\n[rates]\njazz = 0.4")
            .tag_rates(&v)
            .unwrap_err();
        assert!(
            e.contains("label_noise.rates") && e.contains("\"jazz\""),
            "{e}"
        );
        assert!(e.contains("metal, punk, rock"), "{e}");
        let c = "kind = \"confusion\"\nrate = 0.5\n[confusion]\nrock = { jazz = 1 }";
        let e = parse(c).confusion_rows(&v).unwrap_err();
        assert!(
            e.contains("label_noise.confusion.\"rock\"") && e.contains("\"jazz\""),
            "{e}"
        );
        let c = "kind = \"confusion\"\nrate = 0.5\n[confusion]\njazz = { rock = 1 }";
        let e = parse(c).confusion_rows(&v).unwrap_err();
        assert!(e.contains("\"jazz\""), "{e}");
        let c = "kind = \"confusion\"\nrate = 0.5\n[confusion]\nrock = { punk = 1, metal = 2 }";
        assert_eq!(
            parse(c).confusion_rows(&v).unwrap(),
            vec![ConfusionRow {
                from: 2,
                to: vec![(0, 2.0), (1, 1.0)]
            }]
        );
    }
}
