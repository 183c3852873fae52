//! The `[sweep]` section of an experiment: its axes, zipped axes and plot.
//!
//! ```toml
//! [sweep]
//! "label_noise.rate" = [0, 0.1, 0.2]    # a dotted key (quoted, or written as a nested table)
//! frontend = [{ kind = "mel" }, { name = "gabor-adaptive", kind = "gabor", averaging = "adaptive" }]
//!
//! [[sweep.zip]]                         # lists that advance together: one axis
//! seed = [1, 2, 3]
//! "label_noise.seed" = [11, 12, 13]
//!
//! [sweep.plot]
//! metric = "roc_auc"                    # a name of the task's Report::metrics
//! x = "label_noise.rate"                # an axis key
//! lines = "label_noise.kind"            # optional: one line per value of this axis
//! ```
//!
//! An axis is a dotted config key and a list of values. A list of tables is a
//! list of alternatives for a whole section: each table replaces the section
//! (an optional `name` key names the alternative and is removed; otherwise it
//! is named by its `kind`, with its 1-based index when a kind repeats). The
//! keys `zip` and `plot` are reserved. Axes are kept in the order of their
//! (first) key's name, which is the order TOML tables are read in, so that
//! the grid does not depend on how the file is laid out.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A parsed `[sweep]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepConfig {
    /// The dimensions of the grid, ordered by their first key.
    pub axes: Vec<Axis>,
    /// What to plot, if anything.
    pub plot: Option<PlotConfig>,
}

/// One dimension of the grid: a single key, or zipped keys that advance
/// together (`[[sweep.zip]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The config keys this axis sets, in name order.
    pub keys: Vec<String>,
    /// The axis' levels in list order; `levels[i][k]` sets `keys[k]`.
    pub levels: Vec<Vec<AxisValue>>,
}

/// One value of one key at one level of an axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisValue {
    /// The dotted config key.
    pub key: String,
    /// How the value is written in names, tables and plots (`0.1`, `drop`,
    /// the alternative's name).
    pub label: String,
    /// The TOML value set at `key` (a whole table for a section alternative).
    pub value: toml::Value,
}

/// `[sweep.plot]`: a metric against one axis, spread over the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlotConfig {
    /// The test metric to plot (a name of the task's report metrics).
    pub metric: String,
    /// The axis key along the x axis.
    pub x: String,
    /// The axis key with one line per value; none: one line.
    #[serde(default)]
    pub lines: Option<String>,
}

const RESERVED: [&str; 2] = ["zip", "plot"];

/// Removes `[sweep]` from `experiment` and parses it; `None` if there is none.
pub fn take_sweep(experiment: &mut toml::Table) -> Result<Option<SweepConfig>> {
    match experiment.remove("sweep") {
        Some(section) => parse_sweep(&section).map(Some),
        None => Ok(None),
    }
}

/// Parses the value of `[sweep]`.
pub fn parse_sweep(section: &toml::Value) -> Result<SweepConfig> {
    let table = section.as_table().ok_or_else(|| {
        config_error("[sweep] must be a table of axes, e.g. `[sweep]` then `seed = [1, 2, 3]`")
    })?;
    let mut axes = Vec::new();
    let mut plot = None;
    for (key, value) in table {
        match key.as_str() {
            "zip" => {
                let zips = value.as_array().ok_or_else(|| {
                    config_error(
                        "sweep.zip must be an array of tables: write each as `[[sweep.zip]]`",
                    )
                })?;
                for (i, zip) in zips.iter().enumerate() {
                    axes.push(parse_zip(zip, i + 1)?);
                }
            }
            "plot" => {
                let parsed = PlotConfig::deserialize(value.clone()).map_err(|e| {
                    config_error(&format!(
                        "sweep.plot: {}",
                        e.to_string().trim_end().replace('\n', " ")
                    ))
                })?;
                plot = Some(parsed);
            }
            _ => {
                for (key, list) in flatten(key, value)? {
                    let levels = parse_values(&key, list)?;
                    axes.push(Axis {
                        keys: vec![key],
                        levels: levels.into_iter().map(|v| vec![v]).collect(),
                    });
                }
            }
        }
    }
    if axes.is_empty() {
        return Err(config_error(
            "[sweep] declares no axis: add a key with a list of values, e.g. `seed = [1, 2, 3]`",
        ));
    }
    let mut seen = BTreeSet::new();
    for key in axes.iter().flat_map(|a| &a.keys) {
        if !seen.insert(key.clone()) {
            return Err(config_error(&format!(
                "sweep: `{key}` is swept twice (as an axis and in a [[sweep.zip]], or in two \
                 zips); give each key one list"
            )));
        }
    }
    axes.sort_by(|a, b| a.keys[0].cmp(&b.keys[0]));
    if let Some(p) = &plot {
        for (field, key) in [("x", Some(&p.x)), ("lines", p.lines.as_ref())] {
            if let Some(key) = key
                && !seen.contains(key)
            {
                return Err(config_error(&format!(
                    "sweep.plot.{field} = \"{key}\" is not a key of the sweep; its keys: {}",
                    seen.iter().cloned().collect::<Vec<_>>().join(", ")
                )));
            }
        }
        if p.lines.as_ref() == Some(&p.x) {
            return Err(config_error(&format!(
                "sweep.plot: x and lines are both \"{}\"; pick another axis for lines, or leave it out",
                p.x
            )));
        }
    }
    Ok(SweepConfig { axes, plot })
}

/// One `[[sweep.zip]]` table (the `number`th) as one axis.
fn parse_zip(zip: &toml::Value, number: usize) -> Result<Axis> {
    let table = zip.as_table().ok_or_else(|| {
        config_error(&format!(
            "[[sweep.zip]] #{number} must be a table of keys with lists of values"
        ))
    })?;
    let mut columns = Vec::new();
    for (key, value) in table {
        for (key, list) in flatten(key, value)? {
            let values = parse_values(&key, list)?;
            columns.push((key, values));
        }
    }
    let Some((first_key, first)) = columns.first() else {
        return Err(config_error(&format!(
            "[[sweep.zip]] #{number} is empty: give two or more keys with equally long lists"
        )));
    };
    let length = first.len();
    for (key, values) in &columns {
        if values.len() != length {
            return Err(config_error(&format!(
                "[[sweep.zip]] #{number}: `{first_key}` has {length} values but `{key}` has {}; \
                 zipped lists advance together and must be equally long",
                values.len()
            )));
        }
    }
    let keys = columns.iter().map(|(k, _)| k.clone()).collect();
    let levels = (0..length)
        .map(|i| {
            columns
                .iter()
                .map(|(_, values)| values[i].clone())
                .collect()
        })
        .collect();
    Ok(Axis { keys, levels })
}

/// The axes under `key`: a list is one axis; a table (a dotted key written
/// unquoted, `label_noise.rate = [...]`) holds axes under `key.<name>`.
fn flatten<'a>(key: &str, value: &'a toml::Value) -> Result<Vec<(String, &'a [toml::Value])>> {
    match value {
        toml::Value::Array(list) => Ok(vec![(key.to_string(), list.as_slice())]),
        toml::Value::Table(table) => {
            let mut out = Vec::new();
            for (inner, value) in table {
                out.extend(flatten(&format!("{key}.{inner}"), value)?);
            }
            Ok(out)
        }
        other => Err(config_error(&format!(
            "sweep: `{key}` = {other}: an axis needs a list of values, e.g. `{key} = [{other}]`"
        ))),
    }
}

/// The labelled values of the axis `key`.
fn parse_values(key: &str, list: &[toml::Value]) -> Result<Vec<AxisValue>> {
    if RESERVED.contains(&key) {
        // Reached only through a nested table such as `[sweep.zip.x]`.
        return Err(config_error(&format!(
            "sweep: `{key}` is reserved (zip, plot)"
        )));
    }
    if list.is_empty() {
        return Err(config_error(&format!(
            "sweep: `{key}` has an empty list; give at least one value"
        )));
    }
    let tables = list.iter().filter(|v| v.is_table()).count();
    let values = if tables == list.len() {
        alternatives(key, list)?
    } else if tables > 0 {
        return Err(config_error(&format!(
            "sweep: `{key}` mixes tables and plain values; give every alternative as a table \
             (to replace the section) or every one as a value"
        )));
    } else {
        list.iter()
            .map(|v| AxisValue {
                key: key.to_string(),
                label: value_label(v),
                value: v.clone(),
            })
            .collect()
    };
    let mut seen = BTreeSet::new();
    for v in &values {
        if !seen.insert(v.label.as_str()) {
            return Err(config_error(&format!(
                "sweep: `{key}` lists `{}` twice; each value gives one run per combination, \
                 so list it once (or name the alternatives apart with `name = \"...\"`)",
                v.label
            )));
        }
    }
    Ok(values)
}

/// Tables that replace the section `key`, named by `name` or their `kind`.
fn alternatives(key: &str, list: &[toml::Value]) -> Result<Vec<AxisValue>> {
    let kind_of = |v: &toml::Value| {
        v.get("kind")
            .and_then(toml::Value::as_str)
            .map(String::from)
    };
    let kinds: Vec<Option<String>> = list.iter().map(kind_of).collect();
    let section = key.rsplit('.').next().unwrap_or(key);
    list.iter()
        .enumerate()
        .map(|(i, v)| {
            let mut table = v.as_table().cloned().unwrap_or_default();
            let label = match table.remove("name") {
                Some(toml::Value::String(name)) if !name.trim().is_empty() => name,
                Some(other) => {
                    return Err(config_error(&format!(
                        "sweep: `{key}` alternative {}: name = {other} must be a non-empty string",
                        i + 1
                    )));
                }
                None => match &kinds[i] {
                    Some(kind)
                        if kinds.iter().filter(|k| k.as_ref() == Some(kind)).count() == 1 =>
                    {
                        kind.clone()
                    }
                    Some(kind) => format!("{kind}-{}", i + 1),
                    None => format!("{section}-{}", i + 1),
                },
            };
            Ok(AxisValue {
                key: key.to_string(),
                label,
                value: toml::Value::Table(table),
            })
        })
        .collect()
}

/// A value as written in names and tables: strings bare, others as TOML.
pub fn value_label(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn config_error(message: &str) -> Error {
    Error::Config(message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SweepConfig> {
        let mut table: toml::Table = text.parse().unwrap();
        Ok(take_sweep(&mut table)?.expect("a [sweep]"))
    }

    fn labels(axis: &Axis) -> Vec<Vec<&str>> {
        axis.levels
            .iter()
            .map(|l| l.iter().map(|v| v.label.as_str()).collect())
            .collect()
    }

    #[test]
    fn dotted_keys_quoted_or_nested_are_axes_in_name_order() {
        let c = parse(
            "[sweep]\nseed = [1, 2]\n\"label_noise.rate\" = [0, 0.1, 0.25]\n\
             augment.pitch_shift = [0, 0.3]\n",
        )
        .unwrap();
        let keys: Vec<&str> = c.axes.iter().map(|a| a.keys[0].as_str()).collect();
        assert_eq!(keys, ["augment.pitch_shift", "label_noise.rate", "seed"]);
        assert_eq!(labels(&c.axes[1]), [["0"], ["0.1"], ["0.25"]]);
        assert_eq!(c.axes[1].levels[1][0].value, toml::Value::Float(0.1));
        assert_eq!(c.axes[2].levels[0][0].value, toml::Value::Integer(1));
        assert_eq!(c.plot, None);
    }

    #[test]
    fn table_alternatives_are_named_by_name_else_kind() {
        let c = parse(
            "[sweep]\nfrontend = [{ kind = \"mel\" }, { kind = \"gabor\", bands = 40 }, \
             { kind = \"gabor\", name = \"wide\", bands = 80 }, { kind = \"gabor\" }, { bands = 3 }]\n",
        )
        .unwrap();
        assert_eq!(
            labels(&c.axes[0]),
            [["mel"], ["gabor-2"], ["wide"], ["gabor-4"], ["frontend-5"]]
        );
        // `name` is removed before the table replaces the section.
        let wide = c.axes[0].levels[2][0].value.as_table().unwrap();
        assert_eq!(wide.get("name"), None);
        assert_eq!(wide["bands"].as_integer(), Some(80));
        let c = parse("[sweep]\nfrontend = [{ kind = \"mel\" }, { kind = \"gabor\" }]\n").unwrap();
        assert_eq!(labels(&c.axes[0]), [["mel"], ["gabor"]]);
    }

    #[test]
    fn zips_advance_together_and_must_be_equally_long() {
        let c = parse(
            "[sweep]\n\"task.x\" = [1, 2]\n[[sweep.zip]]\nseed = [1, 2, 3]\n\
             \"label_noise.seed\" = [11, 12, 13]\n",
        )
        .unwrap();
        assert_eq!(c.axes.len(), 2);
        let zip = &c.axes[0];
        assert_eq!(zip.keys, ["label_noise.seed", "seed"]);
        assert_eq!(labels(zip), [["11", "1"], ["12", "2"], ["13", "3"]]);
        let e = parse("[sweep]\n[[sweep.zip]]\nseed = [1, 2, 3]\n\"a.b\" = [1, 2]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`a.b` has 2 values but `seed` has 3") && e.contains("equally long"),
            "{e}"
        );
    }

    #[test]
    fn the_plot_names_axis_keys() {
        let c = parse(
            "[sweep]\nseed = [1]\nrate = [0, 1]\n[sweep.plot]\nmetric = \"f1\"\nx = \"rate\"\n",
        )
        .unwrap();
        assert_eq!(
            c.plot,
            Some(PlotConfig {
                metric: "f1".into(),
                x: "rate".into(),
                lines: None
            })
        );
        for (text, needle) in [
            (
                "[sweep]\nseed = [1]\n[sweep.plot]\nmetric = \"f1\"\nx = \"rat\"\n",
                "sweep.plot.x = \"rat\" is not a key of the sweep; its keys: seed",
            ),
            (
                "[sweep]\nseed = [1]\n[sweep.plot]\nmetric = \"f1\"\nx = \"seed\"\nlines = \"seed\"\n",
                "x and lines are both \"seed\"",
            ),
            (
                "[sweep]\nseed = [1]\n[sweep.plot]\nmetric = \"f1\"\nx = \"seed\"\ncolour = 1\n",
                "sweep.plot: unknown field `colour`",
            ),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
        }
    }

    #[test]
    fn bad_axes_are_named() {
        for (text, needle) in [
            (
                "[sweep]\nseed = 3\n",
                "`seed` = 3: an axis needs a list of values",
            ),
            ("[sweep]\nseed = []\n", "`seed` has an empty list"),
            ("[sweep]\nseed = [1, 1]\n", "`seed` lists `1` twice"),
            (
                "[sweep]\nfrontend = [{ kind = \"mel\" }, 3]\n",
                "`frontend` mixes tables and plain values",
            ),
            (
                "[sweep]\nfrontend = [{ name = \"a\" }, { name = \"a\" }]\n",
                "`frontend` lists `a` twice",
            ),
            (
                "[sweep]\nfrontend = [{ name = 3 }]\n",
                "alternative 1: name = 3 must be a non-empty string",
            ),
            (
                "[sweep]\nseed = [1]\n[[sweep.zip]]\nseed = [2]\n",
                "`seed` is swept twice",
            ),
            (
                "[sweep]\n[sweep.plot]\nmetric = \"f1\"\nx = \"a\"\n",
                "declares no axis",
            ),
            ("sweep = 1\n", "[sweep] must be a table"),
            ("[sweep]\nzip = 1\n", "sweep.zip must be an array of tables"),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn no_sweep_is_none_and_the_section_is_removed() {
        let mut table: toml::Table = "seed = 1\n".parse().unwrap();
        assert_eq!(take_sweep(&mut table).unwrap(), None);
        let mut table: toml::Table = "seed = 1\n[sweep]\nseed = [1, 2]\n".parse().unwrap();
        assert!(take_sweep(&mut table).unwrap().is_some());
        assert!(!table.contains_key("sweep"));
    }
}
