//! `--set section.key=value` overrides on an experiment's TOML table.
//!
//! The value is TOML (`2`, `1e-3`, `"flex"`, `[0.02, 0.96]`); a bare word is
//! taken as a string (`--set backend=ndarray`). Missing sections are created;
//! unknown keys are left for deserialisation to reject, naming them.

use crate::error::{Error, Result};

/// Applies one `section.key=value` override to `table`.
pub fn apply_override(table: &mut toml::Table, item: &str) -> Result<()> {
    let (key, raw) = item.split_once('=').ok_or_else(|| {
        Error::Config(format!(
            "--set {item}: expected key=value, e.g. --set train.epochs=2"
        ))
    })?;
    let key = key.trim();
    let raw = raw.trim();
    let value = match format!("v = {raw}").parse::<toml::Table>() {
        Ok(mut t) => t.remove("v").unwrap_or(toml::Value::String(raw.into())),
        Err(_) => toml::Value::String(raw.into()),
    };
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(Error::Config(format!(
            "--set {item}: empty key segment in `{key}`"
        )));
    }
    let mut node = table;
    for part in &parts[..parts.len() - 1] {
        let entry = node
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        node = entry.as_table_mut().ok_or_else(|| {
            Error::Config(format!("--set {item}: `{part}` is a value, not a section"))
        })?;
    }
    node.insert(parts[parts.len() - 1].to_string(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_toml_and_bare_words_are_strings() {
        let mut t = toml::Table::new();
        apply_override(&mut t, "train.epochs=3").unwrap();
        apply_override(&mut t, "backend=ndarray").unwrap();
        apply_override(&mut t, "task.label_smoothing=[0.1, 0.8]").unwrap();
        assert_eq!(t["train"]["epochs"].as_integer(), Some(3));
        assert_eq!(t["backend"].as_str(), Some("ndarray"));
        assert_eq!(t["task"]["label_smoothing"][1].as_float(), Some(0.8));
    }

    #[test]
    fn malformed_items_are_explained() {
        let mut t = toml::Table::new();
        let e = apply_override(&mut t, "train.epochs")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected key=value"), "{e}");
        let e = apply_override(&mut t, "train..epochs=1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("empty key segment"), "{e}");
        apply_override(&mut t, "seed=1").unwrap();
        let e = apply_override(&mut t, "seed.x=1").unwrap_err().to_string();
        assert!(e.contains("`seed` is a value"), "{e}");
    }
}
