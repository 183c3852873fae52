//! The experiment config of one sweep point.
//!
//! Precedence, lowest first: the experiment file (without `[sweep]`), then
//! the point's axis values (a section alternative replaces the whole
//! section; shorter keys are applied first, so `frontend = [{...}]` and
//! `"frontend.bands" = [...]` combine), then every `--set key=value` of the
//! command, applied to every point alike (so `--set frontend.bands=40`
//! changes every frontend alternative). The result goes through
//! [`ExperimentConfig::parse`] like any config, so a key that does not exist
//! is caught there; the error then names the point and the axis at fault.

use cochlea_trainer::ExperimentConfig;

use crate::error::{Error, Result};
use crate::grid::Point;
use crate::sweep_config::AxisValue;

/// Sets `value` at the dotted `key` of `table`, creating missing sections.
pub fn set_dotted(
    table: &mut toml::Table,
    key: &str,
    value: toml::Value,
) -> std::result::Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!("`{key}` has an empty key segment"));
    }
    let mut node = table;
    for part in &parts[..parts.len() - 1] {
        let entry = node
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        node = entry
            .as_table_mut()
            .ok_or_else(|| format!("`{part}` in `{key}` is a value, not a section"))?;
    }
    node.insert(parts[parts.len() - 1].to_string(), value);
    Ok(())
}

/// `experiment` with `values` applied, shorter keys first.
pub fn point_table(
    experiment: &toml::Table,
    values: &[AxisValue],
) -> std::result::Result<toml::Table, String> {
    let mut ordered: Vec<&AxisValue> = values.iter().collect();
    ordered.sort_by_key(|v| v.key.split('.').count());
    let mut table = experiment.clone();
    for v in ordered {
        set_dotted(&mut table, &v.key, v.value.clone())?;
    }
    Ok(table)
}

/// Parses `table` with `set` applied on top; `origin` names it in errors.
fn parse_table(
    table: &toml::Table,
    set: &[String],
    origin: &str,
) -> std::result::Result<ExperimentConfig, String> {
    let text = toml::to_string(table).map_err(|e| format!("{origin}: {e}"))?;
    ExperimentConfig::parse(&text, set, origin).map_err(|e| e.to_string())
}

/// The config of `point` of `total` (relative paths not yet resolved).
pub fn point_config(
    experiment: &toml::Table,
    point: &Point,
    total: usize,
    set: &[String],
    origin: &str,
) -> Result<ExperimentConfig> {
    let here = format!("sweep point {}/{total} `{}`", point.index + 1, point.name);
    let parsed =
        point_table(experiment, &point.values).and_then(|table| parse_table(&table, set, origin));
    let message = match parsed {
        Ok(config) => return Ok(config),
        Err(message) => message,
    };
    // Which part is at fault: the experiment itself, one axis, or only the
    // combination of several.
    if let Err(e) = parse_table(experiment, set, origin) {
        return Err(Error::Config(format!(
            "{origin} without its [sweep] axes: {e}"
        )));
    }
    for v in &point.values {
        let alone = point_table(experiment, std::slice::from_ref(v))
            .and_then(|table| parse_table(&table, set, origin));
        if let Err(e) = alone {
            return Err(Error::Config(format!(
                "{here}: sweep axis `{}` = {}: {e}",
                v.key, v.label
            )));
        }
    }
    Err(Error::Config(format!(
        "{here}: the combination of its values: {message}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;
    use crate::sweep_config::take_sweep;

    const BASE: &str = "seed = 9\n[data]\nroot = \"d\"\n[frontend]\nkind = \"mel\"\nbands = 40\n\
                        [train]\nepochs = 3\n";

    fn points(sweep: &str) -> (toml::Table, Grid) {
        let mut table: toml::Table = format!("{BASE}{sweep}").parse().unwrap();
        let axes = take_sweep(&mut table).unwrap().unwrap().axes;
        (table, Grid::new(axes).unwrap())
    }

    #[test]
    fn set_overrides_axes_which_override_the_experiment() {
        let (table, grid) = points(
            "[sweep]\nseed = [1, 2]\n\"train.epochs\" = [5]\n\
             frontend = [{ kind = \"mel\", bands = 32 }, { kind = \"learnable-mel\", name = \"l\" }]\n",
        );
        assert_eq!(grid.points.len(), 4);
        let set = ["frontend.fmax=6000.0".to_string()];
        let configs: Vec<ExperimentConfig> = grid
            .points
            .iter()
            .map(|p| point_config(&table, p, 4, &set, "exp.toml").unwrap())
            .collect();
        // Axis over experiment.
        assert_eq!(
            configs.iter().map(|c| c.seed).collect::<Vec<_>>(),
            [1, 2, 1, 2]
        );
        assert!(configs.iter().all(|c| c.train.epochs == 5));
        // The alternative replaces the whole section: `l` has the default bands.
        let mel = configs[0].to_toml().unwrap();
        let learnable = configs[2].to_toml().unwrap();
        assert!(mel.contains("bands = 32"), "{mel}");
        assert!(
            learnable.contains("kind = \"learnable-mel\""),
            "{learnable}"
        );
        assert!(learnable.contains("bands = 80"), "{learnable}");
        // --set on top of every alternative.
        for text in [mel, learnable] {
            assert!(text.contains("fmax = 6000.0"), "{text}");
        }
    }

    #[test]
    fn a_section_alternative_is_applied_before_keys_inside_it() {
        let (table, grid) = points(
            "[sweep]\n\"frontend.bands\" = [32, 48]\nfrontend = [{ kind = \"learnable-mel\" }]\n",
        );
        let bands: Vec<usize> = grid
            .points
            .iter()
            .map(|p| {
                point_config(&table, p, 2, &[], "t")
                    .unwrap()
                    .frontend
                    .bands()
            })
            .collect();
        assert_eq!(bands, [32, 48]);
    }

    #[test]
    fn errors_name_the_point_and_the_axis() {
        let (table, grid) = points("[sweep]\nseed = [1, 2]\n\"train.epochz\" = [1]\n");
        let e = point_config(&table, &grid.points[1], 2, &[], "exp.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("sweep point 2/2 `seed=2,epochz=1`")
                && e.contains("sweep axis `train.epochz` = 1")
                && e.contains("epochz"),
            "{e}"
        );
        // A bad experiment is blamed on the experiment, not on an axis.
        let (table, grid) = points("[sweep]\nseed = [1]\n");
        let e = point_config(
            &table,
            &grid.points[0],
            1,
            &["train.x=1".into()],
            "exp.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("exp.toml without its [sweep] axes"), "{e}");
        // An axis through a value is named.
        let (table, grid) = points("[sweep]\n\"seed.x\" = [1]\n");
        let e = point_config(&table, &grid.points[0], 1, &[], "exp.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`seed` in `seed.x` is a value"), "{e}");
    }
}
