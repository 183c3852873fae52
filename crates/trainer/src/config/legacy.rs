//! Configs written before the task seam (cochlea 0.1 run directories and
//! experiment files): they had no `[task]` section, and kept the singing-voice
//! settings in `[train]` (`excerpt_frames`, `label_smoothing`) and `[eval]`
//! (`median_filter`, `chunk_seconds`). [`migrate`] moves those keys into
//! `[task]` (kind `singing-voice`) so that such configs still load, with the
//! same meaning, and old runs still evaluate and inspect.

/// Keys that moved, as `(old section, key)`; all go to `[task]`.
const MOVED: [(&str, &str); 4] = [
    ("train", "excerpt_frames"),
    ("train", "label_smoothing"),
    ("eval", "median_filter"),
    ("eval", "chunk_seconds"),
];

/// Rewrites a pre-task table in place; a table with a `[task]` section is
/// left alone except for an `[eval]` section, which no longer exists and is
/// reported by deserialisation.
pub fn migrate(table: &mut toml::Table) {
    if table.contains_key("task") {
        return;
    }
    let mut task = toml::Table::new();
    for (section, key) in MOVED {
        let value = table
            .get_mut(section)
            .and_then(toml::Value::as_table_mut)
            .and_then(|s| s.remove(key));
        if let Some(value) = value {
            task.insert(key.into(), value);
        }
    }
    let eval_is_empty = table
        .get("eval")
        .and_then(toml::Value::as_table)
        .is_some_and(toml::Table::is_empty);
    if eval_is_empty {
        table.remove("eval");
    }
    if !task.is_empty() {
        task.insert("kind".into(), "singing-voice".into());
        table.insert("task".into(), toml::Value::Table(task));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_singing_voice_keys_move_into_the_task() {
        let mut t: toml::Table = "[train]\nexcerpt_frames = 40\nepochs = 2\n\
                                  [eval]\nmedian_filter = 5\nchunk_seconds = 60.0\n"
            .parse()
            .unwrap();
        migrate(&mut t);
        assert_eq!(t["task"]["kind"].as_str(), Some("singing-voice"));
        assert_eq!(t["task"]["excerpt_frames"].as_integer(), Some(40));
        assert_eq!(t["task"]["median_filter"].as_integer(), Some(5));
        assert_eq!(t["train"]["epochs"].as_integer(), Some(2));
        assert!(!t.contains_key("eval"));
        assert!(
            !t["train"]
                .as_table()
                .unwrap()
                .contains_key("excerpt_frames")
        );
    }

    #[test]
    fn a_config_with_a_task_is_left_alone() {
        let text = "[task]\nkind = \"tagging\"\n[train]\nexcerpt_frames = 3\n";
        let mut t: toml::Table = text.parse().unwrap();
        let before = t.clone();
        migrate(&mut t);
        assert_eq!(t, before);
    }
}
