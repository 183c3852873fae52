//! Label noise on tag flags: the tagging kinds of [`NoiseKind`] applied to
//! the clips of the corrupted splits of a [`TaggedDataset`].
//!
//! Each (clip, tag) pair draws from its own stream
//! ([`Draws::new`]`(seed, split, clip id, tag)`), so a flag's fate depends
//! only on the noise seed, the split, the clip's id and the tag's name.
//! - flip kinds (`symmetric`, `drop`, `add`, `asymmetric`, `per-tag`): one
//!   uniform `u` per flag; a positive becomes 0 if `u < drop`, a negative
//!   becomes 1 if `u < add` (the tag's [`TagRates`]);
//! - `confusion`: for each clean positive of a row tag, `u < rate` moves it,
//!   and a second uniform picks the destination in proportion to the row's
//!   weights. All moves of a clip are decided on its clean flags, then
//!   applied together: the moved row tags become 0, then the destinations 1
//!   (so a destination that is itself a moved row tag ends up 1).

use super::audit::{ConfusionMoves, MoveDestination, SplitAudit, TagFlips, TagSplitAudit};
use super::config::{ConfusionRow, LabelNoiseConfig, NoiseKind, TagRates};
use super::draws::Draws;
use crate::datasets::TaggedDataset;
use crate::datasets::tagged::SplitName;
use crate::error::{DataError, Result};

/// The dataset with the corrupted splits' flags replaced, and one audit per
/// corrupted split (train before valid). Test labels are never touched.
pub fn corrupt_tag_flags(
    clean: &TaggedDataset,
    config: &LabelNoiseConfig,
) -> Result<(TaggedDataset, Vec<SplitAudit>)> {
    let vocabulary = &clean.tags;
    let invalid = |message: String| DataError::LabelNoise { message };
    let rates = config.tag_rates(vocabulary).map_err(invalid)?;
    let rows = config.confusion_rows(vocabulary).map_err(invalid)?;
    let rate = config.rate.unwrap_or(0.0);
    let mut noisy = clean.clone();
    let mut audits = Vec::new();
    for split in [SplitName::Train, SplitName::Valid] {
        let name = split_name(split);
        if !config.applies_to(name) {
            continue;
        }
        let mut flips = requested_rows(config, vocabulary, &rates, &rows);
        let mut moves = confusion_rows_audit(vocabulary, &rows, rate);
        for clip in noisy.clips_mut(split).iter_mut() {
            let before = clip.tags.clone();
            clip.tags = match config.kind {
                NoiseKind::Confusion => confuse(
                    &before,
                    config.seed,
                    name,
                    &clip.id,
                    vocabulary,
                    &rows,
                    rate,
                    &mut moves,
                ),
                _ => flip(&before, config.seed, name, &clip.id, vocabulary, &rates),
            };
            for (row, (&c, &n)) in flips.iter_mut().zip(before.iter().zip(&clip.tags)) {
                row.count(c, n);
            }
        }
        flips.iter_mut().for_each(TagFlips::finish);
        for m in &mut moves {
            m.achieved = (m.positives > 0).then(|| m.moved as f64 / m.positives as f64);
            for d in &mut m.to {
                d.share = (m.moved > 0).then(|| d.moves as f64 / m.moved as f64);
            }
        }
        audits.push(SplitAudit::Tags(TagSplitAudit {
            split: name.into(),
            clips: noisy.clips(split).len(),
            all_tags: TagFlips::total("all tags", &flips),
            tags: flips,
            moves,
        }));
    }
    Ok((noisy, audits))
}

fn split_name(split: SplitName) -> &'static str {
    match split {
        SplitName::Train => "train",
        SplitName::Valid => "valid",
        SplitName::Test => "test",
    }
}

/// The flip kinds: one draw per flag.
fn flip(
    clean: &[bool],
    seed: u64,
    split: &str,
    clip: &str,
    vocabulary: &[String],
    rates: &[TagRates],
) -> Vec<bool> {
    clean
        .iter()
        .zip(vocabulary)
        .zip(rates)
        .map(|((&flag, tag), r)| {
            let u = Draws::new(seed, split, clip, tag).uniform();
            if flag { u >= r.drop } else { u < r.add }
        })
        .collect()
}

/// `confusion`: moves decided on the clean flags, applied together.
#[allow(clippy::too_many_arguments)]
fn confuse(
    clean: &[bool],
    seed: u64,
    split: &str,
    clip: &str,
    vocabulary: &[String],
    rows: &[ConfusionRow],
    rate: f64,
    audit: &mut [ConfusionMoves],
) -> Vec<bool> {
    let mut moved = Vec::new();
    for (
        ConfusionRow {
            from,
            to: destinations,
        },
        audit,
    ) in rows.iter().zip(audit.iter_mut())
    {
        if !clean[*from] {
            continue;
        }
        audit.positives += 1;
        let mut draws = Draws::new(seed, split, clip, &vocabulary[*from]);
        if !draws.chance(rate) {
            continue;
        }
        let weights: Vec<f64> = destinations.iter().map(|&(_, w)| w).collect();
        let pick = draws.weighted(&weights);
        audit.moved += 1;
        audit.to[pick].moves += 1;
        moved.push((*from, destinations[pick].0));
    }
    let mut noisy = clean.to_vec();
    for &(from, _) in &moved {
        noisy[from] = false;
    }
    for &(_, to) in &moved {
        noisy[to] = true;
    }
    noisy
}

/// One audit row per tag with its requested rates.
fn requested_rows(
    config: &LabelNoiseConfig,
    vocabulary: &[String],
    rates: &[TagRates],
    rows: &[ConfusionRow],
) -> Vec<TagFlips> {
    vocabulary
        .iter()
        .enumerate()
        .map(|(i, tag)| {
            if config.kind == NoiseKind::Confusion {
                let row = rows.iter().any(|r| r.from == i);
                let destination = rows.iter().any(|r| r.to.iter().any(|&(to, _)| to == i));
                let rate = config.rate.unwrap_or(0.0);
                // A destination gains positives at a rate that follows from
                // the other tags' frequencies; a row tag that is also a
                // destination may get a moved positive back.
                let drop = match (row, destination) {
                    (false, _) => Some(0.0),
                    (true, false) => Some(rate),
                    (true, true) => None,
                };
                TagFlips::new(tag, (!destination).then_some(0.0), drop)
            } else {
                TagFlips::new(tag, Some(rates[i].add), Some(rates[i].drop))
            }
        })
        .collect()
}

fn confusion_rows_audit(
    vocabulary: &[String],
    rows: &[ConfusionRow],
    rate: f64,
) -> Vec<ConfusionMoves> {
    rows.iter()
        .map(
            |ConfusionRow {
                 from,
                 to: destinations,
             }| {
                let total: f64 = destinations.iter().map(|&(_, w)| w).sum();
                ConfusionMoves {
                    from: vocabulary[*from].clone(),
                    positives: 0,
                    moved: 0,
                    requested: rate,
                    achieved: None,
                    to: destinations
                        .iter()
                        .map(|&(to, weight)| MoveDestination {
                            tag: vocabulary[to].clone(),
                            weight,
                            expected_share: weight / total,
                            moves: 0,
                            share: None,
                        })
                        .collect(),
                }
            },
        )
        .collect()
}
