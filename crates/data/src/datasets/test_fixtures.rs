//! Test support: the fixtures of `tests/fixtures/tagging/` (written by
//! `tests/fixtures/make_tagging.py`) and their expected clips.

use std::path::{Path, PathBuf};

use super::TaggedDataset;

/// `tests/fixtures/tagging/<name>`.
pub(crate) fn root(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/tagging")
        .join(name)
}

/// Asserts that `ds` is `expected.json`'s entry `key`: same tags, and per
/// split the same ids, audio paths (relative to `audio_dir`), tag flags
/// and line numbers in `table_dir/<file>`.
pub(crate) fn assert_expected(ds: &TaggedDataset, key: &str, audio_dir: &Path) {
    let text = std::fs::read_to_string(root("expected.json")).unwrap();
    let all: serde_json::Value = serde_json::from_str(&text).unwrap();
    let want = &all[key];
    let tags: Vec<String> = serde_json::from_value(want["tags"].clone()).unwrap();
    assert_eq!(ds.tags, tags, "{key}: tags");
    for split in ["train", "valid", "test"] {
        let clips = ds.split(split).unwrap();
        let expected = want[split].as_array().unwrap();
        let ids: Vec<&str> = clips.iter().map(|c| c.id.as_str()).collect();
        let want_ids: Vec<&str> = expected.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, want_ids, "{key}: {split} ids");
        for (clip, e) in clips.iter().zip(expected) {
            assert_eq!(
                clip.audio,
                audio_dir.join(e["audio"].as_str().unwrap()),
                "{key}"
            );
            let flags: Vec<bool> = serde_json::from_value(e["tags"].clone()).unwrap();
            assert_eq!(clip.tags, flags, "{key}: tags of {}", clip.id);
            assert_eq!(
                clip.origin.line as u64,
                e["line"].as_u64().unwrap(),
                "{key}"
            );
        }
    }
}
