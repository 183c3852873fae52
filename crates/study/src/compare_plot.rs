//! A comparison's figures: for one metric on one test set, every variant
//! at 0, 1, 2, … in list order, its per-seed values as small grey dots, its
//! mean as a coloured dot and its confidence interval of the mean
//! (Student t over seeds) as an error bar; the baseline's mean as a dashed
//! line across. Drawn with plotters as SVG text elements (no fonts needed).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::compare_analysis::Analysis;
use crate::error::{Error, Result};
use crate::plot::COLOURS;
use cochlea_data::atomic::write_string_atomically;
use cochlea_trainer::plot_style::{DrawResult, padded, tick};

const WIDTH: u32 = 900;
const HEIGHT: u32 = 520;

/// What one figure shows.
pub struct MetricFigure<'a> {
    /// The analysis.
    pub analysis: &'a Analysis,
    /// The variants' names.
    pub names: &'a [String],
    /// The baseline's index.
    pub baseline: usize,
    /// The metric.
    pub metric: &'a str,
    /// The test set's index.
    pub set: usize,
    /// The confidence level, for the title.
    pub confidence: f64,
}

/// Draws the figure and writes it to `path` atomically.
pub fn write_metric_plot(figure: &MetricFigure<'_>, path: &Path) -> Result<()> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, figure)
            .and_then(|()| root.present().map_err(Into::into))
            .map_err(|e| Error::Other(format!("cannot draw {}: {e}", path.display())))?;
    }
    write_string_atomically(path, &svg)
        .map_err(|e| Error::Other(format!("cannot write {}: {e}", path.display())))
}

fn draw(root: &DrawingArea<SVGBackend, Shift>, f: &MetricFigure<'_>) -> DrawResult {
    root.fill(&WHITE)?;
    let rows: Vec<_> = (0..f.names.len())
        .filter_map(|v| f.analysis.variant(v, f.set, f.metric))
        .collect();
    let y_range = padded(rows.iter().flat_map(|r| {
        let ends = r.interval.map(|i| [i.low, i.high]).unwrap_or([f64::NAN; 2]);
        r.values.iter().flatten().copied().chain(ends)
    }));
    let x_range = -0.5..f.names.len() as f64 - 0.5;
    let names = f.names.to_vec();
    let category = move |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < names.len() {
            names[i as usize].clone()
        } else {
            String::new()
        }
    };
    let set = &f.analysis.sets[f.set];
    let title = format!(
        "{} on {} (mean, {:.0} % CI over seeds; dots: seeds)",
        f.metric,
        set.name,
        100.0 * f.confidence
    );
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(x_range.clone(), y_range)?;
    chart
        .configure_mesh()
        .x_labels(f.names.len() + 1)
        .x_label_formatter(&category)
        .disable_x_mesh()
        .y_desc(f.metric)
        .y_label_formatter(&tick)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()?;
    if let Some(base) = f
        .analysis
        .variant(f.baseline, f.set, f.metric)
        .and_then(|r| r.interval)
    {
        chart.draw_series(DashedLineSeries::new(
            [(x_range.start, base.mean), (x_range.end, base.mean)],
            6,
            4,
            COLOURS[7].stroke_width(1),
        ))?;
    }
    for row in &rows {
        let x = row.variant as f64;
        let colour = COLOURS[row.variant % COLOURS.len()];
        let seeds = row.values.iter().flatten().count().max(1);
        chart.draw_series(row.values.iter().flatten().enumerate().map(|(k, &y)| {
            let dx = 0.12 * ((k as f64 + 0.5) / seeds as f64 - 0.5);
            Circle::new((x + 0.18 + dx, y), 3, RGBColor(150, 150, 150).filled())
        }))?;
        if let Some(i) = row.interval {
            let style = colour.stroke_width(2);
            let cap = 0.06;
            chart.draw_series([
                PathElement::new(vec![(x, i.low), (x, i.high)], style),
                PathElement::new(vec![(x - cap, i.low), (x + cap, i.low)], style),
                PathElement::new(vec![(x - cap, i.high), (x + cap, i.high)], style),
            ])?;
            chart.draw_series(std::iter::once(Circle::new(
                (x, i.mean),
                5,
                colour.filled(),
            )))?;
        }
    }
    Ok(())
}
