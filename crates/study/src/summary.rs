//! The summary of a sweep for `[sweep.plot]`: at each value of the x axis
//! (and of the `lines` axis), over all runs that share them, i.e. spread
//! over every other axis (seeds, say), the mean, sample standard deviation
//! and count of the plotted metric and of every other test metric the runs
//! report. Runs whose report leaves a metric out (an undefined AUROC) are
//! not counted for it. Written as `summary.md` and `summary.csv`.
//!
//! Rows are ordered by line (in the axis' list order), then by x: by value
//! when every x value is a number (the x axis is then numeric in the plot),
//! else in list order (categorical).

use std::collections::BTreeMap;

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
    /// Runs in the group.
    pub runs: usize,
    /// The plotted metric over the group's runs.
    pub spread: Spread,
    /// Every metric over the group's runs that report it (the plotted one too).
    pub metrics: BTreeMap<String, Spread>,
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
    /// Runs in the group.
    runs: usize,
    /// Each metric of each run that reports it.
    values: BTreeMap<String, Vec<f64>>,
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
        let group = match groups.iter().position(|g| g.levels == levels) {
            Some(i) => &mut groups[i],
            None => {
                groups.push(Group {
                    levels,
                    line: line.map(|(_, v)| v.label.clone()),
                    runs: 0,
                    values: BTreeMap::new(),
                });
                groups.last_mut().expect("just pushed")
            }
        };
        group.runs += 1;
        for (name, value) in &r.metrics {
            group.values.entry(name.clone()).or_default().push(*value);
        }
    }
    let mut rows: Vec<((usize, usize), SummaryRow)> = groups
        .into_iter()
        .filter_map(|g| {
            let s = spread(g.values.get(&plot.metric)?)?;
            let metrics = g
                .values
                .iter()
                .filter_map(|(name, values)| Some((name.clone(), spread(values)?)))
                .collect();
            Some((
                g.levels,
                SummaryRow {
                    line: g.line,
                    x: x_labels[g.levels.1].clone(),
                    x_value: x_numbers[g.levels.1].filter(|_| numeric_x),
                    x_level: g.levels.1,
                    runs: g.runs,
                    spread: s,
                    metrics,
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
    /// The metric names of the table's columns: the plotted one first, then
    /// the others in name order.
    pub fn columns(&self) -> Vec<&str> {
        let mut names: Vec<&str> = vec![self.metric.as_str()];
        for r in &self.rows {
            for name in r.metrics.keys() {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        names[1..].sort_unstable();
        names
    }

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
            "test metrics against `{}`{lines} (the plot shows `{}`): mean ± sample sd \
             (n − 1) {over}; n runs per row, and a metric's own count in brackets where \
             fewer runs report it",
            self.x, self.metric
        )
    }

    /// The table as Markdown, under its caption.
    pub fn markdown(&self) -> String {
        let columns = self.columns();
        let mut header: Vec<&str> = Vec::new();
        if let Some(l) = &self.lines {
            header.push(l);
        }
        header.extend([self.x.as_str(), "n"]);
        header.extend(columns.iter().copied());
        let mut s = format!("{}\n\n| {} |\n", self.caption(), header.join(" | "));
        s.push_str(&format!("|{}\n", "---|".repeat(header.len())));
        for r in &self.rows {
            let mut cells: Vec<String> = Vec::new();
            if let Some(line) = &r.line {
                cells.push(line.clone());
            }
            cells.push(r.x.clone());
            cells.push(r.runs.to_string());
            for name in &columns {
                cells.push(match r.metrics.get(*name) {
                    None => "–".to_string(),
                    Some(m) => {
                        let mut cell = match m.sd {
                            Some(sd) => format!("{:.4} ± {sd:.4}", m.mean),
                            None => format!("{:.4}", m.mean),
                        };
                        if m.n != r.runs {
                            cell.push_str(&format!(" ({})", m.n));
                        }
                        cell
                    }
                });
            }
            let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        s
    }

    /// The table as CSV (full precision): per metric its mean, sample sd
    /// (empty for a single run) and count.
    pub fn csv(&self) -> String {
        let columns = self.columns();
        let mut header: Vec<String> = Vec::new();
        if let Some(l) = &self.lines {
            header.push(l.clone());
        }
        header.extend([self.x.clone(), "n".into()]);
        for name in &columns {
            header.extend([
                format!("{name}_mean"),
                format!("{name}_sd"),
                format!("{name}_n"),
            ]);
        }
        let mut text = record(&header);
        for r in &self.rows {
            let mut row: Vec<String> = Vec::new();
            if let Some(line) = &r.line {
                row.push(line.clone());
            }
            row.push(r.x.clone());
            row.push(r.runs.to_string());
            for name in &columns {
                match r.metrics.get(*name) {
                    Some(m) => row.extend([
                        m.mean.to_string(),
                        m.sd.map(|v| v.to_string()).unwrap_or_default(),
                        m.n.to_string(),
                    ]),
                    None => row.extend([String::new(), String::new(), "0".into()]),
                }
            }
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
                diverged: false,
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
        let mut r = results(&g, |i| Some(values[i]));
        r[6].metrics.insert("loss".into(), 1.0);
        r[7].metrics.insert("loss".into(), 2.0);
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
            [
                "kind,rate,n,f1_mean,f1_sd,f1_n,loss_mean,loss_sd,loss_n",
                "add,0,3,0.25,0,3,,,0"
            ]
        );
        let md = s.markdown();
        assert!(
            md.starts_with(
                "test metrics against `rate`, one line per `kind` (the plot shows `f1`): mean ± \
                 sample sd (n − 1) over `seed`"
            ),
            "{md}"
        );
        assert!(
            md.contains("| kind | rate | n | f1 | loss |\n|---|---|---|---|---|\n"),
            "{md}"
        );
        assert!(
            md.contains("| drop | 0 | 3 | 2.3333 ± 1.5275 | – |"),
            "{md}"
        );
        // Another metric, reported by two of the three runs of (drop, 0.2).
        assert!(
            md.contains("| drop | 0.2 | 3 | 0.3000 ± 0.2646 | 1.5000 ± 0.7071 (2) |"),
            "{md}"
        );
        let drop02 = &s.rows[3].metrics["loss"];
        assert_eq!((drop02.n, drop02.mean), (2, 1.5));
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
        assert!(
            s.markdown().contains("| mel | 2 | 0.2500 (1) |"),
            "{}",
            s.markdown()
        );
        assert!(s.csv().contains("mel,2,0.25,,1\r\n"), "{}", s.csv());
    }
}
