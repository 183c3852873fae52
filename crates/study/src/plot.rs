//! The sweep's figure (`<metric>-vs-<x>.svg`), drawn with plotters from the
//! [`Summary`]: the metric's mean against the x axis, one line per value of
//! the `lines` axis, with ±1 sample standard deviation over the other axes
//! as error bars (and, for a numeric x axis, a light band between them).
//! A categorical x axis (frontend alternatives, say) puts its values at
//! 0, 1, 2, … in list order, the lines slightly apart so that their bars do
//! not overlap. Text is written as SVG text elements; no fonts are needed.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::summary::{Summary, SummaryRow};
use cochlea_data::atomic::write_string_atomically;
use cochlea_trainer::plot_style::{DrawResult, draw_legend, padded, tick};

const WIDTH: u32 = 900;
const HEIGHT: u32 = 560;
/// Line colours (matplotlib's tab10).
pub(crate) const COLOURS: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// Draws the figure and writes it to `path` atomically.
pub fn write_plot(summary: &Summary, path: &Path) -> Result<()> {
    let svg = plot_svg(summary)?;
    write_string_atomically(path, &svg)
        .map_err(|e| Error::Other(format!("cannot write {}: {e}", path.display())))
}

/// The figure as an SVG document.
pub fn plot_svg(summary: &Summary) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, summary)
            .map_err(|e| Error::Other(format!("cannot draw the sweep plot: {e}")))?;
        root.present()
            .map_err(|e| Error::Other(format!("cannot draw the sweep plot: {e}")))?;
    }
    Ok(svg)
}

/// The rows of each line, in order of first appearance.
fn lines(summary: &Summary) -> Vec<(Option<&str>, Vec<&SummaryRow>)> {
    let mut out: Vec<(Option<&str>, Vec<&SummaryRow>)> = Vec::new();
    for row in &summary.rows {
        let line = row.line.as_deref();
        match out.iter_mut().find(|(l, _)| *l == line) {
            Some((_, rows)) => rows.push(row),
            None => out.push((line, vec![row])),
        }
    }
    out
}

fn draw(root: &DrawingArea<SVGBackend, Shift>, summary: &Summary) -> DrawResult {
    root.fill(&WHITE)?;
    let lines = lines(summary);
    let categories = summary.x_labels.len();
    // The x position of a row on line `j` of `count`.
    let dodge = |j: usize, count: usize| {
        if summary.numeric_x || count < 2 {
            0.0
        } else {
            0.3 * (j as f64 / (count - 1) as f64 - 0.5)
        }
    };
    let position = |row: &SummaryRow, j: usize| match row.x_value {
        Some(x) => x,
        None => row.x_level as f64 + dodge(j, lines.len()),
    };
    let x_range = if summary.numeric_x {
        padded(summary.rows.iter().filter_map(|r| r.x_value))
    } else {
        -0.5..categories.max(1) as f64 - 0.5
    };
    let y_range = padded(summary.rows.iter().flat_map(|r| {
        let sd = r.spread.sd.unwrap_or(0.0);
        [r.spread.mean - sd, r.spread.mean + sd]
    }));
    // Room at the top for the legend.
    let y_range = y_range.start..y_range.end + 0.15 * (y_range.end - y_range.start);
    let cap = 0.008 * (x_range.end - x_range.start);
    let over = if summary.over.is_empty() {
        "one run per point".to_string()
    } else {
        format!("mean ± 1 sd over {}", summary.over.join(", "))
    };
    let title = format!("{} vs {} ({over})", summary.metric, summary.x);
    let labels = summary.x_labels.clone();
    let category = move |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
            labels[i as usize].clone()
        } else {
            String::new()
        }
    };
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(x_range, y_range)?;
    {
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(summary.x.as_str())
            .y_desc(summary.metric.as_str())
            .y_label_formatter(&tick)
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16));
        if summary.numeric_x {
            mesh.x_label_formatter(&tick);
        } else {
            mesh.x_labels(categories + 1)
                .x_label_formatter(&category)
                .disable_x_mesh();
        }
        mesh.draw()?;
    }
    for (j, (line, rows)) in lines.iter().enumerate() {
        let colour = COLOURS[j % COLOURS.len()];
        let at = |r: &SummaryRow| position(r, j);
        if summary.numeric_x && rows.len() > 1 {
            let upper = rows
                .iter()
                .map(|r| (at(r), r.spread.mean + r.spread.sd.unwrap_or(0.0)));
            let lower = rows
                .iter()
                .rev()
                .map(|r| (at(r), r.spread.mean - r.spread.sd.unwrap_or(0.0)));
            chart.draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                colour.mix(0.15).filled(),
            )))?;
        }
        for r in rows.iter().filter(|r| r.spread.sd.is_some()) {
            let (x, m, sd) = (at(r), r.spread.mean, r.spread.sd.unwrap_or(0.0));
            let style = colour.stroke_width(1);
            chart.draw_series([
                PathElement::new(vec![(x, m - sd), (x, m + sd)], style),
                PathElement::new(vec![(x - cap, m - sd), (x + cap, m - sd)], style),
                PathElement::new(vec![(x - cap, m + sd), (x + cap, m + sd)], style),
            ])?;
        }
        let label = match (&summary.lines, line) {
            (Some(key), Some(value)) => format!("{key} = {value}"),
            _ => "mean ± 1 sd".to_string(),
        };
        chart
            .draw_series(
                LineSeries::new(
                    rows.iter().map(|r| (at(r), r.spread.mean)),
                    colour.stroke_width(2),
                )
                .point_size(3),
            )?
            .label(label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Spread;

    /// The contents of the figure's text elements.
    fn texts(svg: &str) -> Vec<&str> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| t.split_once('>'))
            .filter_map(|(_, rest)| rest.split_once("</text>"))
            .map(|(content, _)| content.trim())
            .collect()
    }

    fn row(
        line: Option<&str>,
        x: &str,
        x_value: Option<f64>,
        level: usize,
        sd: Option<f64>,
    ) -> SummaryRow {
        let spread = Spread {
            n: 3,
            mean: 0.5 + level as f64 * 0.1,
            sd,
        };
        SummaryRow {
            line: line.map(String::from),
            x: x.into(),
            x_value,
            x_level: level,
            runs: 3,
            spread,
            metrics: std::collections::BTreeMap::from([("roc_auc".to_string(), spread)]),
        }
    }

    #[test]
    fn a_numeric_axis_gets_lines_bands_bars_labels_and_a_legend() {
        let summary = Summary {
            metric: "roc_auc".into(),
            x: "label_noise.rate".into(),
            lines: Some("label_noise.kind".into()),
            over: vec!["seed".into()],
            x_labels: vec!["0".into(), "0.25".into()],
            numeric_x: true,
            rows: vec![
                row(Some("drop"), "0", Some(0.0), 0, Some(0.02)),
                row(Some("drop"), "0.25", Some(0.25), 1, Some(0.05)),
                row(Some("symmetric"), "0", Some(0.0), 0, None),
                row(Some("symmetric"), "0.25", Some(0.25), 1, Some(0.01)),
            ],
        };
        let svg = plot_svg(&summary).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        let texts = texts(&svg);
        for text in [
            "roc_auc vs label_noise.rate (mean ± 1 sd over seed)",
            "label_noise.kind = drop",
            "label_noise.kind = symmetric",
            "label_noise.rate",
            "roc_auc",
            "0.25",
        ] {
            assert!(
                texts.contains(&text),
                "the figure lacks {text:?}: {texts:?}"
            );
        }
        // One band per line.
        assert_eq!(svg.matches("<polygon").count(), 2, "{svg}");
    }

    #[test]
    fn a_categorical_axis_is_labelled_by_its_values() {
        let summary = Summary {
            metric: "error".into(),
            x: "frontend".into(),
            lines: None,
            over: vec!["seed".into()],
            x_labels: vec!["mel".into(), "gabor".into(), "leaf".into()],
            numeric_x: false,
            rows: vec![
                row(None, "mel", None, 0, Some(0.01)),
                row(None, "gabor", None, 1, Some(0.02)),
                row(None, "leaf", None, 2, None),
            ],
        };
        let svg = plot_svg(&summary).unwrap();
        let texts = texts(&svg);
        for text in ["mel", "gabor", "leaf", "mean ± 1 sd", "frontend", "error"] {
            assert!(
                texts.contains(&text),
                "the figure lacks {text:?}: {texts:?}"
            );
        }
        // Ticks only at the categories.
        let ticks = texts
            .iter()
            .filter(|t| ["mel", "gabor", "leaf"].contains(t))
            .count();
        assert_eq!(ticks, 3, "{texts:?}");
        assert_eq!(svg.matches("<polygon").count(), 0);
    }

    #[test]
    fn ranges_pad_and_survive_constants_and_nans() {
        assert_eq!(padded([0.0, 10.0].into_iter()), -0.5..10.5);
        assert_eq!(padded([2.0].into_iter()), 1.0..3.0);
        assert_eq!(padded([f64::NAN].into_iter()), 0.0..1.0);
    }
}
