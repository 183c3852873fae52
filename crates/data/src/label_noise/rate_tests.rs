//! The achieved rates of every kind against the requested ones on large
//! generated fixtures (20,000 clips × 10 tags; 2,000 songs × 20 segments).
//!
//! A count `k` of `n` independent trials with probability `p` is accepted
//! within `Z` standard deviations, `|k/n − p| <= Z sqrt(p (1 − p) / n)`
//! (normal approximation; every `n` here is in the thousands). `Z = 4`
//! (two-sided 6e-5 per comparison) rather than the 99.9 % point 3.3, since
//! each test makes up to about a hundred comparisons. `p = 0` and `p = 1`
//! must be met exactly. The draws are deterministic, so a pass is a pass
//! for good; what the bound guards against is a wrong rate, direction or
//! scope (a rate applied twice, to the wrong direction, to a split not
//! listed), each of which moves `k/n` by far more than 4 sd.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::audit::{SplitAudit, TagSplitAudit};
use super::config::LabelNoiseConfig;
use super::draws::Draws;
use super::segments::{SongChanges, changed_seconds, corrupt_segments};
use super::tags::corrupt_tag_flags;
use crate::datasets::{RowOrigin, TaggedClip, TaggedDataset};
use crate::labels::Segment;

const Z: f64 = 4.0;
const TAGS: usize = 10;

/// `k / n` is within `Z` sd of `p` (exactly `p` for 0 and 1).
fn assert_binomial(k: usize, n: usize, p: f64, what: &str) {
    assert!(n > 0, "{what}: no trials");
    let got = k as f64 / n as f64;
    if p == 0.0 || p == 1.0 {
        assert_eq!(got, p, "{what}: {k} / {n}");
        return;
    }
    let sd = (p * (1.0 - p) / n as f64).sqrt();
    assert!(
        (got - p).abs() <= Z * sd,
        "{what}: {k} / {n} = {got:.4}, requested {p} (sd {sd:.4})"
    );
}

fn tag_name(t: usize) -> String {
    format!("t{t}")
}

fn clips(split: &str, n: usize) -> Vec<TaggedClip> {
    (0..n)
        .map(|i| {
            let id = format!("{split}-{i}");
            let tags = (0..TAGS)
                .map(|t| {
                    // Tag t on 5 % ... 86 % of the clips.
                    let prevalence = 0.05 + 0.09 * t as f64;
                    Draws::new(12345, "fixture", &id, &tag_name(t)).chance(prevalence)
                })
                .collect();
            TaggedClip {
                audio: PathBuf::from(format!("{id}.wav")),
                group: id.clone(),
                id,
                tags,
                origin: RowOrigin {
                    file: PathBuf::from("tags.csv"),
                    line: i + 2,
                },
            }
        })
        .collect()
}

/// 20,000 training, 3,000 validation and 3,000 test clips with 10 tags.
fn fixture() -> TaggedDataset {
    TaggedDataset {
        tags: (0..TAGS).map(tag_name).collect(),
        train: clips("train", 20_000),
        valid: clips("valid", 3_000),
        test: clips("test", 3_000),
    }
}

fn config(text: &str) -> LabelNoiseConfig {
    toml::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Per tag (clean negatives, added, clean positives, dropped), recounted
/// from the two datasets.
fn recount(clean: &[TaggedClip], noisy: &[TaggedClip]) -> Vec<[usize; 4]> {
    let mut out = vec![[0; 4]; TAGS];
    for (c, n) in clean.iter().zip(noisy) {
        assert_eq!(c.id, n.id);
        for (t, row) in out.iter_mut().enumerate() {
            if c.tags[t] {
                row[2] += 1;
                row[3] += usize::from(!n.tags[t]);
            } else {
                row[0] += 1;
                row[1] += usize::from(n.tags[t]);
            }
        }
    }
    out
}

fn tag_audit(audits: &[SplitAudit], split: &str) -> TagSplitAudit {
    audits
        .iter()
        .find_map(|a| match a {
            SplitAudit::Tags(t) if t.split == split => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no audit of {split}"))
}

/// Checks each tag's achieved rates against `rates` (add, drop per tag),
/// and that the audit's counts are the recounted ones.
fn check_flip_kind(text: &str, rates: impl Fn(usize) -> (f64, f64)) {
    let clean = fixture();
    let c = config(text);
    let (noisy, audits) = corrupt_tag_flags(&clean, &c).unwrap();
    assert_eq!(noisy.test, clean.test, "{text}: test labels changed");
    assert_eq!(noisy.valid, clean.valid, "{text}: valid labels changed");
    let audit = tag_audit(&audits, "train");
    assert_eq!(audits.len(), 1);
    for (t, counts) in recount(&clean.train, &noisy.train).into_iter().enumerate() {
        let [negatives, added, positives, dropped] = counts;
        let (add, drop) = rates(t);
        let what = format!("{text}: tag {t}");
        assert_binomial(added, negatives, add, &format!("{what} 0→1"));
        assert_binomial(dropped, positives, drop, &format!("{what} 1→0"));
        let row = &audit.tags[t];
        assert_eq!(row.tag, tag_name(t));
        assert_eq!(
            (row.negatives, row.added, row.positives, row.dropped),
            (negatives, added, positives, dropped),
            "{what}: audit counts"
        );
        assert_eq!(
            (row.requested_add, row.requested_drop),
            (Some(add), Some(drop))
        );
        assert_eq!(row.achieved_add, Some(added as f64 / negatives as f64));
    }
    let all = &audit.all_tags;
    assert_eq!(all.negatives + all.positives, 20_000 * TAGS);
}

#[test]
fn symmetric_drop_add_and_asymmetric_rates_are_achieved() {
    check_flip_kind("kind = \"symmetric\"\nrate = 0.2", |_| (0.2, 0.2));
    check_flip_kind("kind = \"drop\"\nrate = 0.3", |_| (0.0, 0.3));
    check_flip_kind("kind = \"add\"\nrate = 0.1\nseed = 9", |_| (0.1, 0.0));
    check_flip_kind(
        "kind = \"asymmetric\"\nadd_rate = 0.05\ndrop_rate = 0.4",
        |_| (0.05, 0.4),
    );
    check_flip_kind("kind = \"symmetric\"\nrate = 0", |_| (0.0, 0.0));
    check_flip_kind("kind = \"symmetric\"\nrate = 1", |_| (1.0, 1.0));
}

#[test]
fn per_tag_rates_are_achieved_with_rate_for_the_tags_not_listed() {
    check_flip_kind(
        "kind = \"per-tag\"\nrate = 0.02\n[rates]\nt0 = 0.5\nt3 = 0.1\nt9 = 0",
        |t| match t {
            0 => (0.5, 0.5),
            3 => (0.1, 0.1),
            9 => (0.0, 0.0),
            _ => (0.02, 0.02),
        },
    );
    check_flip_kind("kind = \"per-tag\"\n[rates]\nt4 = 0.3", |t| {
        if t == 4 { (0.3, 0.3) } else { (0.0, 0.0) }
    });
}

#[test]
fn confusion_moves_go_only_to_listed_tags_in_proportion_to_the_weights() {
    let clean = fixture();
    let c = config(
        "kind = \"confusion\"\nrate = 0.5\n[confusion]\nt0 = { t1 = 2, t2 = 1 }\nt5 = { t6 = 1, t9 = 3 }",
    );
    let (noisy, audits) = corrupt_tag_flags(&clean, &c).unwrap();
    assert_eq!(noisy.test, clean.test);
    let audit = tag_audit(&audits, "train");
    let counts = recount(&clean.train, &noisy.train);
    // Tags outside the table never change; row tags only lose positives,
    // destinations only gain them.
    for t in [3, 4, 7, 8] {
        assert_eq!((counts[t][1], counts[t][3]), (0, 0), "tag {t} changed");
    }
    for row in [0, 5] {
        assert_eq!(counts[row][1], 0, "row tag {row} gained positives");
    }
    for destination in [1, 2, 6, 9] {
        assert_eq!(
            counts[destination][3], 0,
            "destination {destination} lost positives"
        );
    }
    // Each clip: every moved positive became 0 at its row and 1 somewhere
    // in the row's destinations.
    let mut moves: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (a, b) in clean.train.iter().zip(&noisy.train) {
        for (row, destinations) in [(0, [1, 2]), (5, [6, 9])] {
            if a.tags[row] && !b.tags[row] {
                assert!(
                    destinations.iter().any(|&d| b.tags[d]),
                    "{} lost {row} without a move",
                    a.id
                );
            }
        }
    }
    assert_eq!(audit.moves.len(), 2);
    for m in &audit.moves {
        let row: usize = m.from[1..].parse().unwrap();
        assert_eq!(m.positives, counts[row][2]);
        // A row tag that is no destination loses exactly its moves.
        assert_eq!(m.moved, counts[row][3], "{}", m.from);
        assert_binomial(m.moved, m.positives, 0.5, &format!("moves of {}", m.from));
        let total: f64 = m.to.iter().map(|d| d.weight).sum();
        let mut sum = 0;
        for d in &m.to {
            let to: usize = d.tag[1..].parse().unwrap();
            moves.insert((row, to), d.moves);
            assert_eq!(d.expected_share, d.weight / total);
            assert_binomial(
                d.moves,
                m.moved,
                d.weight / total,
                &format!("{} → {}", m.from, d.tag),
            );
            sum += d.moves;
        }
        assert_eq!(sum, m.moved);
    }
    assert_eq!(moves.len(), 4);
    // The audit's requested rates say what is a rate and what follows from the moves.
    assert_eq!(audit.tags[0].requested_drop, Some(0.5));
    assert_eq!(audit.tags[0].requested_add, Some(0.0));
    assert_eq!(audit.tags[1].requested_add, None);
    assert_eq!(audit.tags[3].requested_drop, Some(0.0));
}

#[test]
fn validation_is_corrupted_only_when_listed_and_test_never() {
    let clean = fixture();
    let c = config("kind = \"symmetric\"\nrate = 0.2\nsplits = [\"train\", \"valid\"]");
    let (noisy, audits) = corrupt_tag_flags(&clean, &c).unwrap();
    assert_eq!(audits.len(), 2);
    assert_eq!(noisy.test, clean.test);
    for (t, [negatives, added, positives, dropped]) in
        recount(&clean.valid, &noisy.valid).into_iter().enumerate()
    {
        assert_binomial(added, negatives, 0.2, &format!("valid tag {t} 0→1"));
        assert_binomial(dropped, positives, 0.2, &format!("valid tag {t} 1→0"));
    }
    let c = config("kind = \"symmetric\"\nrate = 0.2\nsplits = [\"valid\"]");
    let (noisy, audits) = corrupt_tag_flags(&clean, &c).unwrap();
    assert_eq!(noisy.train, clean.train);
    assert_eq!(noisy.test, clean.test);
    assert_ne!(noisy.valid, clean.valid);
    assert_eq!(tag_audit(&audits, "valid").clips, 3_000);
}

#[test]
fn the_noise_seed_alone_decides_and_a_flag_does_not_depend_on_the_other_tags_or_clips() {
    let clean = fixture();
    let run = |seed: u64, data: &TaggedDataset| {
        corrupt_tag_flags(
            data,
            &config(&format!("kind = \"symmetric\"\nrate = 0.3\nseed = {seed}")),
        )
        .unwrap()
        .0
    };
    assert_eq!(run(3, &clean), run(3, &clean));
    assert_ne!(run(3, &clean).train, run(4, &clean).train);
    // Fewer tags (another top_tags) and fewer clips in another order: the
    // flags that remain are corrupted the same way.
    let mut smaller = clean.clone();
    smaller.tags.remove(4);
    smaller.train.truncate(500);
    smaller.train.reverse();
    for c in &mut smaller.train {
        c.tags.remove(4);
    }
    let full = run(3, &clean);
    let part = run(3, &smaller);
    for clip in &part.train {
        let i: usize = clip.id["train-".len()..].parse().unwrap();
        let mut want = full.train[i].tags.clone();
        want.remove(4);
        assert_eq!(clip.tags, want, "{}", clip.id);
    }
}

/// 2,000 songs of 20 touching segments of 1–10 s, alternating labels.
fn songs() -> Vec<(String, Vec<Segment>)> {
    (0..2_000)
        .map(|i| {
            let name = format!("song{i:04}");
            let mut draws = Draws::new(777, "fixture", &name, "");
            let mut t = 0.0;
            let segments = (0..20)
                .map(|k| {
                    let length = 1.0 + 9.0 * draws.uniform();
                    let s = Segment {
                        start: t,
                        end: t + length,
                        sung: (k + i) % 2 == 0,
                    };
                    t += length;
                    s
                })
                .collect();
            (name, segments)
        })
        .collect()
}

fn corrupt_all(text: &str) -> (SongChanges, f64, f64) {
    let c = config(text);
    let mut total = SongChanges::default();
    let (mut changed, mut signed) = (0.0, 0.0);
    for (name, clean) in songs() {
        let (noisy, ch) = corrupt_segments(&clean, &c, "train", &name);
        let end = clean.last().unwrap().end;
        let (a, b) = changed_seconds(&clean, &noisy, end);
        changed += a + b;
        for (x, y) in clean.iter().zip(&noisy).skip(1) {
            signed += y.start - x.start;
        }
        total.sung += ch.sung;
        total.sung_flipped += ch.sung_flipped;
        total.unsung += ch.unsung;
        total.unsung_flipped += ch.unsung_flipped;
        total.boundaries += ch.boundaries;
        total.moved += ch.moved;
        total.total_abs_shift += ch.total_abs_shift;
    }
    (total, changed, signed)
}

#[test]
fn segment_flips_are_achieved_in_both_directions() {
    let (c, _, _) = corrupt_all("kind = \"segments\"\nrate = 0.25");
    assert_eq!((c.sung, c.unsung), (20_000, 20_000));
    assert_binomial(c.sung_flipped, c.sung, 0.25, "sing→nosing");
    assert_binomial(c.unsung_flipped, c.unsung, 0.25, "nosing→sing");
    assert_eq!(c.boundaries, 0);
}

#[test]
fn boundary_moves_are_achieved_with_uniform_shifts() {
    let max_shift = 0.5;
    let (c, changed, signed) = corrupt_all(&format!(
        "kind = \"boundaries\"\nrate = 0.3\nmax_shift = {max_shift}"
    ));
    assert_eq!(c.boundaries, 2_000 * 19);
    assert_binomial(c.moved, c.boundaries, 0.3, "boundaries moved");
    // Segments are at least 1 s and shifts at most 0.5 s: nothing is clamped,
    // so |shift| is uniform on [0, max_shift] (mean max/2, sd max/sqrt(12))
    // and the shift itself has mean 0.
    let sd = max_shift / 12f64.sqrt() / (c.moved as f64).sqrt();
    let mean_abs = c.total_abs_shift / c.moved as f64;
    assert!(
        (mean_abs - max_shift / 2.0).abs() <= Z * sd,
        "mean |shift| {mean_abs}"
    );
    let shift_sd = max_shift / 3f64.sqrt() / (c.moved as f64).sqrt();
    let mean_shift = signed / c.moved as f64;
    assert!(mean_shift.abs() <= Z * shift_sd, "mean shift {mean_shift}");
    // Each moved boundary relabels exactly |shift| seconds.
    assert!(
        (changed - c.total_abs_shift).abs() < 1e-6,
        "{changed} vs {}",
        c.total_abs_shift
    );
}
