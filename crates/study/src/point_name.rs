//! Run directory names of sweep points, built from their values:
//! `kind=drop,rate=0.1,seed=2`.
//!
//! Each key is shortened to its shortest dotted suffix that no other key of
//! the sweep ends in (`label_noise.rate` → `rate`, but `seed` and
//! `label_noise.seed` stay whole), so names stay short and still say which
//! value is which. Characters outside `A-Z a-z 0-9 . _ + -` in a value become
//! `_` (so `=` and `,` only separate). A name longer than [`MAX_NAME`]
//! bytes, or one that would equal another (also ignoring case, for
//! case-insensitive file systems), becomes a readable prefix plus
//! `-` and 8 hex digits of the BLAKE3 hash of the unshortened values.

use std::collections::BTreeMap;

/// The longest name kept whole, in bytes.
pub const MAX_NAME: usize = 96;
/// Bytes of the readable prefix of a hashed name.
const PREFIX: usize = 80;

/// Shortest unambiguous form of each key: its shortest dotted suffix that is
/// not the same suffix of any other key (the whole key if there is none).
pub fn short_keys(keys: &[String]) -> BTreeMap<String, String> {
    let segments: Vec<Vec<&str>> = keys.iter().map(|k| k.split('.').collect()).collect();
    let suffix = |parts: &[&str], n: usize| parts[parts.len().saturating_sub(n)..].join(".");
    let mut out = BTreeMap::new();
    for (i, parts) in segments.iter().enumerate() {
        let mut chosen = keys[i].clone();
        for n in 1..=parts.len() {
            let candidate = suffix(parts, n);
            let clash = segments
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && suffix(other, n) == candidate);
            if !clash {
                chosen = candidate;
                break;
            }
        }
        out.insert(keys[i].clone(), chosen);
    }
    out
}

/// `text` with every character outside `A-Z a-z 0-9 . _ + -` replaced by `_`.
pub fn file_safe(text: &str) -> String {
    let mut s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._+-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.ends_with('.') {
        s.push('_');
    }
    s
}

/// The names of points given as `(key, label)` lists over the same `keys`.
pub fn point_names(keys: &[String], points: &[Vec<(String, String)>]) -> Vec<String> {
    let short = short_keys(keys);
    let full: Vec<String> = points
        .iter()
        .map(|values| {
            values
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    let mut names: Vec<String> = points
        .iter()
        .zip(&full)
        .map(|(values, full)| {
            let name = values
                .iter()
                .map(|(k, v)| format!("{}={}", file_safe(&short[k]), file_safe(v)))
                .collect::<Vec<_>>()
                .join(",");
            if name.len() > MAX_NAME {
                hashed(&name, full)
            } else {
                name
            }
        })
        .collect();
    // Names that collide (after replacing characters, or ignoring case) get
    // the hash too; the full values differ, so the hashes do.
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for n in &names {
        *count.entry(n.to_lowercase()).or_default() += 1;
    }
    for (name, full) in names.iter_mut().zip(&full) {
        if count[&name.to_lowercase()] > 1 {
            *name = hashed(name, full);
        }
    }
    names
}

/// A readable prefix of `name` and the hash of `full`.
fn hashed(name: &str, full: &str) -> String {
    let mut end = name.len().min(PREFIX);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let hash = blake3::hash(full.as_bytes()).to_hex();
    format!("{}-{}", name[..end].trim_end_matches(','), &hash[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn point(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn keys_shorten_to_their_shortest_unambiguous_suffix() {
        let k = keys(&[
            "label_noise.kind",
            "label_noise.rate",
            "seed",
            "label_noise.seed",
            "frontend.kind",
            "frontend",
        ]);
        let s = short_keys(&k);
        assert_eq!(s["label_noise.rate"], "rate");
        assert_eq!(s["seed"], "seed");
        assert_eq!(s["label_noise.seed"], "label_noise.seed");
        assert_eq!(s["label_noise.kind"], "label_noise.kind");
        assert_eq!(s["frontend.kind"], "frontend.kind");
        assert_eq!(s["frontend"], "frontend");
        let s = short_keys(&keys(&["a.x.rate", "b.x.rate", "c"]));
        assert_eq!(s["a.x.rate"], "a.x.rate");
        assert_eq!(s["c"], "c");
    }

    #[test]
    fn names_are_readable_safe_and_unique() {
        let k = keys(&["label_noise.kind", "label_noise.rate", "seed"]);
        let names = point_names(
            &k,
            &[
                point(&[
                    ("label_noise.kind", "drop"),
                    ("label_noise.rate", "0.1"),
                    ("seed", "2"),
                ]),
                point(&[
                    ("label_noise.kind", "a/b c"),
                    ("label_noise.rate", "[0.02, 0.96]"),
                    ("seed", "2"),
                ]),
            ],
        );
        assert_eq!(names[0], "kind=drop,rate=0.1,seed=2");
        assert_eq!(names[1], "kind=a_b_c,rate=_0.02__0.96_,seed=2");
        // Values that only differ in replaced characters, or in case, get hashes.
        let names = point_names(
            &keys(&["tag"]),
            &[
                point(&[("tag", "a b")]),
                point(&[("tag", "a/b")]),
                point(&[("tag", "A_b")]),
                point(&[("tag", "c")]),
            ],
        );
        assert_eq!(names[3], "tag=c");
        for n in &names[..3] {
            assert!(
                n.starts_with("tag=") && n.len() == "tag=a_b".len() + 9,
                "{n}"
            );
        }
        let lower: std::collections::BTreeSet<String> =
            names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), names.len(), "{names:?}");
        for n in &names {
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._+-=,".contains(c))
            );
        }
    }

    #[test]
    fn long_names_keep_a_prefix_and_a_hash() {
        let long = "x".repeat(200);
        let names = point_names(
            &keys(&["a", "b"]),
            &[
                point(&[("a", &long), ("b", "1")]),
                point(&[("a", &long), ("b", "2")]),
            ],
        );
        assert_ne!(names[0], names[1]);
        for n in &names {
            assert!(n.len() <= MAX_NAME, "{n}");
            assert!(n.starts_with("a=xxxx"), "{n}");
        }
        // Deterministic.
        let again = point_names(&keys(&["a", "b"]), &[point(&[("a", &long), ("b", "1")])]);
        assert_eq!(again[0], names[0]);
    }

    #[test]
    fn a_trailing_dot_is_not_left() {
        assert_eq!(file_safe("1."), "1._");
        assert_eq!(file_safe("1e-3"), "1e-3");
    }
}
