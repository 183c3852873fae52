//! The summary of a sweep for `[sweep.plot]`: the metric's mean, sample
//! standard deviation and count at each value of the x axis (and of the
//! `lines` axis), over all runs that share them, i.e. spread over every
//! other axis (seeds, say). Runs whose report leaves the metric out (an
//! undefined AUROC) are not counted. Written as `summary.md` and
//! `summary.csv`.
//!
//! Rows are ordered by line (in the axis' list order), then by x: by value
//! when every x value is a number (the x axis is then numeric in the plot),
//! else in list order (categorical).

use crate::csv::record;
use crate::grid::Grid;
use crate::results::RunResult;
use crate::stats::{Spread, spread};
use crate::sweep_config::PlotConfig;

/// One group of runs.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The `lines` value's label, if there is a `lines` axis.
    pub line: Option<String>,
    /// The x value's label.
    pub x: String,
    /// The x value as a number, when the x axis is numeric.
    pub x_value: Option<f64>,
    /// The x value's position in its axis' list.
    pub x_level: usize,
    /// The metric over the group's runs.
    pub spread: Spread,
}

/// The whole summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The metric.
    pub metric: String,
    /// The x axis key.
    pub x: String,
    /// The lines axis key, if any.
    pub lines: Option<String>,
    /// The keys the spread is over.
    pub over: Vec<String>,
    /// Every x value's label in list order (the categories of a
    /// categorical x axis).
    pub x_labels: Vec<String>,
    /// Whether every x value is a number.
    pub numeric_x: bool,
    /// The groups, ordered (see the module docs).
    pub rows: Vec<SummaryRow>,
}

/// The runs sharing a line value and an x value.
struct Group {
    /// (line level, x level).
    levels: (usize, usize),
    /// The line value's label.
    line: Option<String>,
    /// The metric of each run that reports it.
    values: Vec<f64>,
}

/// Groups `results` of `grid` as `plot` says.
pub fn summarize(grid: &Grid, results: &[RunResult], plot: &PlotConfig) -> Summary {
    let (x_axis, x_pos) = grid.axis_of(&plot.x).unwrap_or((0, 0));
    let x_labels: Vec<String> = grid.axes[x_axis]
        .levels
        .iter()
        .map(|l| l[x_pos].label.clone())
        .collect();
    let number = |v: &toml::Value| match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    };
    let x_numbers: Vec<Option<f64>> = grid.axes[x_axis]
        .levels
        .iter()
        .map(|l| number(&l[x_pos].value))
        .collect();
    let numeric_x = x_numbers.iter().all(Option::is_some);
    let mut groups: Vec<Group> = Vec::new();
    for r in results {
        let point = &grid.points[r.point];
        let Some((x_level, _)) = grid.value_of(point, &plot.x) else {
            continue;
        };
        let line = plot
            .lines
            .as_deref()
            .and_then(|key| grid.value_of(point, key));
        let levels = (line.map_or(0, |(level, _)| level), x_level);
        let value = r.metrics.get(&plot.metric).copied();
        match groups.iter_mut().find(|g| g.levels == levels) {
            Some(group) => group.values.extend(value),
            None => groups.push(Group {
                levels,
                line: line.map(|(_, v)| v.label.clone()),
                values: value.into_iter().collect(),
            }),
        }
    }
    let mut rows: Vec<((usize, usize), SummaryRow)> = groups
        .into_iter()
        .filter_map(|g| {
            let s = spread(&g.values)?;
            Some((
                g.levels,
                SummaryRow {
                    line: g.line,
                    x: x_labels[g.levels.1].clone(),
                    x_value: x_numbers[g.levels.1].filter(|_| numeric_x),
                    x_level: g.levels.1,
                    spread: s,
                },
            ))
        })
        .collect();
    rows.sort_by(|(a, ra), (b, rb)| {
        a.0.cmp(&b.0).then_with(|| match (ra.x_value, rb.x_value) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => a.1.cmp(&b.1),
        })
    });
    let over = grid
        .keys()
        .into_iter()
        .filter(|k| *k != plot.x && Some(*k) != plot.lines.as_deref())
        .map(String::from)
        .collect();
    Summary {
        metric: plot.metric.clone(),
        x: plot.x.clone(),
        lines: plot.lines.clone(),
        over,
        x_labels,
        numeric_x,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    }
}

impl Summary {
    /// One sentence saying what the table holds.
    pub fn caption(&self) -> String {
        let lines = self
            .lines
            .as_ref()
            .map(|l| format!(", one line per `{l}`"))
            .unwrap_or_default();
        let over = if self.over.is_empty() {
            "one run each".to_string()
        } else {
            format!(
                "over {}",
                self.over
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!(
            "test `{}` against `{}`{lines}: mean ± sample sd (n − 1) {over}; n runs per row",
            self.metric, self.x
        )
    }

    /// The table as Markdown, under its caption.
    pub fn markdown(&self) -> String {
        let mut header: Vec<&str> = Vec::new();
        if let Some(l) = &self.lines {
            header.push(l);
        }
        header.extend([self.x.as_str(), "n", "mean", "sd"]);
        let mut s = format!("{}\n\n| {} |\n", self.caption(), header.join(" | "));
        s.push_str(&format!("|{}\n", "---|".repeat(header.len())));
        for r in &self.rows {
            let mut cells: Vec<String> = Vec::new();
            if let Some(line) = &r.line {
                cells.push(line.clone());
            }
            cells.push(r.x.clone());
            cells.push(r.spread.n.to_string());
            cells.push(format!("{:.4}", r.spread.mean));
            cells.push(r.spread.sd.map_or("–".to_string(), |sd| format!("{sd:.4}")));
            let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        s
    }

    /// The table as CSV (full precision; an empty sd for a single run).
    pub fn csv(&self) -> String {
        let mut header: Vec<String> = Vec::new();
        if let Some(l) = &self.lines {
            header.push(l.clone());
        }
        header.extend([self.x.clone(), "n".into(), "mean".into(), "sd".into()]);
        let mut text = record(&header);
        for r in &self.rows {
            let mut row: Vec<String> = Vec::new();
            if let Some(line) = &r.line {
                row.push(line.clone());
            }
            row.push(r.x.clone());
            row.push(r.spread.n.to_string());
            row.push(r.spread.mean.to_string());
            row.push(r.spread.sd.map(|v| v.to_string()).unwrap_or_default());
            text.push_str(&record(&row));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::sweep_config::take_sweep;

    fn grid(text: &str) -> Grid {
        let mut table: toml::Table = text.parse().unwrap();
        Grid::new(take_sweep(&mut table).unwrap().unwrap().axes).unwrap()
    }

    fn results(grid: &Grid, metric: impl Fn(usize) -> Option<f64>) -> Vec<RunResult> {
        grid.points
            .iter()
            .map(|p| RunResult {
                point: p.index,
                metrics: metric(p.index)
                    .map(|v| BTreeMap::from([("f1".to_string(), v)]))
                    .unwrap_or_default(),
                train_seconds: 1.0,
                run: p.name.clone(),
            })
            .collect()
    }

    #[test]
    fn groups_spread_over_the_other_axes() {
        // Points: kind × rate × seed, the last fastest; rates listed unsorted.
        let g = grid("[sweep]\nkind = [\"add\", \"drop\"]\nrate = [0.2, 0]\nseed = [1, 2, 3]\n");
        let values = [
            0.5, 0.6, 0.7, // add, 0.2
            0.25, 0.25, 0.25, // add, 0
            0.1, 0.2, 0.6, // drop, 0.2
            1.0, 2.0, 4.0, // drop, 0
        ];
        let r = results(&g, |i| Some(values[i]));
        let plot = PlotConfig {
            metric: "f1".into(),
            x: "rate".into(),
            lines: Some("kind".into()),
        };
        let s = summarize(&g, &r, &plot);
        assert!(s.numeric_x);
        assert_eq!(s.over, ["seed"]);
        let got: Vec<(Option<&str>, &str, usize)> = s
            .rows
            .iter()
            .map(|r| (r.line.as_deref(), r.x.as_str(), r.spread.n))
            .collect();
        assert_eq!(
            got,
            [
                (Some("add"), "0", 3),
                (Some("add"), "0.2", 3),
                (Some("drop"), "0", 3),
                (Some("drop"), "0.2", 3),
            ]
        );
        // drop, 0: mean 7/3, squared deviations 16/9 + 1/9 + 25/9 = 42/9, sd sqrt(42/18).
        let drop0 = &s.rows[2].spread;
        assert!((drop0.mean - 7.0 / 3.0).abs() < 1e-15);
        assert!((drop0.sd.unwrap() - (42.0f64 / 18.0).sqrt()).abs() < 1e-15);
        assert_eq!(s.rows[0].spread.sd, Some(0.0));
        assert_eq!(
            s.csv().lines().take(2).collect::<Vec<_>>(),
            ["kind,rate,n,mean,sd", "add,0,3,0.25,0"]
        );
        let md = s.markdown();
        assert!(
            md.starts_with(
                "test `f1` against `rate`, one line per `kind`: mean ± sample sd (n − 1) over `seed`"
            ),
            "{md}"
        );
        assert!(
            md.contains("| kind | rate | n | mean | sd |\n|---|---|---|---|---|\n"),
            "{md}"
        );
        assert!(md.contains("| drop | 0 | 3 | 2.3333 | 1.5275 |"), "{md}");
    }

    #[test]
    fn missing_metrics_are_not_counted_and_categories_keep_list_order() {
        let g =
            grid("[sweep]\nfrontend = [{ kind = \"mel\" }, { kind = \"gabor\" }]\nseed = [1, 2]\n");
        let r = results(&g, |i| [Some(0.25), None, Some(0.5), Some(0.75)][i]);
        let plot = PlotConfig {
            metric: "f1".into(),
            x: "frontend".into(),
            lines: None,
        };
        let s = summarize(&g, &r, &plot);
        assert!(!s.numeric_x);
        assert_eq!(s.x_labels, ["mel", "gabor"]);
        let got: Vec<(&str, usize, f64, Option<f64>)> = s
            .rows
            .iter()
            .map(|r| (r.x.as_str(), r.spread.n, r.spread.mean, r.spread.sd))
            .collect();
        assert_eq!(
            got,
            [
                ("mel", 1, 0.25, None),
                ("gabor", 2, 0.625, Some((2.0f64 * 0.125 * 0.125).sqrt()))
            ]
        );
        assert!(s.markdown().contains("| mel | 1 | 0.2500 | – |"));
        assert!(s.csv().contains("mel,1,0.25,\r\n"));
    }
}
