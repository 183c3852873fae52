//! An SVG figure of a frontend's filters before vs after training
//! (`cochlea inspect --filters out.svg`), drawn with plotters.
//!
//! One panel per [`BandSeries`] the frontend reports (value against band
//! index, y axis in the series' unit), then one panel overlaying the
//! magnitude responses (gain against frequency in Hz). "before" is drawn
//! wide and light, "after" thin with markers, so that the two stay visible
//! where training left a filter unchanged. Panels are laid out two per row
//! from the list, whatever number of series the frontend has.

use std::path::Path;

use cochlea_frontend::{BandResponse, BandSeries, FilterSummary};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot_style::{DrawResult, draw_legend, padded, tick};

use crate::error::{Error, Result};
use cochlea_data::atomic::write_string_atomically;

const PANEL_WIDTH: u32 = 620;
const PANEL_HEIGHT: u32 = 400;
const COLUMNS: usize = 2;
const TITLE_HEIGHT: u32 = 40;
const BEFORE: RGBColor = RGBColor(31, 119, 180);
const AFTER: RGBColor = RGBColor(230, 100, 0);

/// Draws the figure and writes it to `path` atomically.
pub fn write_filter_plot(before: &FilterSummary, after: &FilterSummary, path: &Path) -> Result<()> {
    let svg = filter_plot_svg(before, after)?;
    write_string_atomically(path, &svg).map_err(|e| {
        Error::Other(format!(
            "cannot write {}: {e}; pass --filters a file in an existing, writable folder",
            path.display()
        ))
    })
}

/// The figure as an SVG document.
pub fn filter_plot_svg(before: &FilterSummary, after: &FilterSummary) -> Result<String> {
    let panels = before.series.len() + 1;
    let columns = COLUMNS.min(panels);
    let rows = panels.div_ceil(columns);
    let size = (
        PANEL_WIDTH * columns as u32,
        PANEL_HEIGHT * rows as u32 + TITLE_HEIGHT,
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&root, before, after, rows, columns)
            .map_err(|e| Error::Other(format!("cannot draw the filter plot: {e}")))?;
        root.present()
            .map_err(|e| Error::Other(format!("cannot draw the filter plot: {e}")))?;
    }
    Ok(svg)
}

fn draw(
    root: &DrawingArea<SVGBackend, Shift>,
    before: &FilterSummary,
    after: &FilterSummary,
    rows: usize,
    columns: usize,
) -> DrawResult {
    root.fill(&WHITE)?;
    let title = format!(
        "{} frontend filters (sample rate {} Hz): before vs after training",
        before.kind, before.sample_rate
    );
    let body = root.titled(&title, ("sans-serif", 22))?;
    let areas = body.split_evenly((rows, columns));
    for (series, area) in before.series.iter().zip(&areas) {
        draw_series_panel(area, series, after.series(&series.name))?;
    }
    if let Some(area) = areas.get(before.series.len()) {
        draw_response_panel(area, &before.responses, &after.responses)?;
    }
    Ok(())
}

/// One series: value against band index.
fn draw_series_panel(
    area: &DrawingArea<SVGBackend, Shift>,
    before: &BandSeries,
    after: Option<&BandSeries>,
) -> DrawResult {
    let after_values = after.map_or(&[][..], |a| &a.values[..]);
    let bands = before.values.len().max(after_values.len()).max(2);
    let y = padded(before.values.iter().chain(after_values).copied());
    let mut chart = ChartBuilder::on(area)
        .caption(&before.name, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..(bands - 1) as f64, y)?;
    chart
        .configure_mesh()
        .x_desc("band")
        .y_desc(&before.unit)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 15))
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            finite_points(&before.values),
            BEFORE.mix(0.5).stroke_width(4),
        ))?
        .label("before")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BEFORE.mix(0.5).stroke_width(4)));
    if let Some(after) = after {
        chart
            .draw_series(
                LineSeries::new(finite_points(&after.values), AFTER.stroke_width(1)).point_size(2),
            )?
            .label("after")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], AFTER.stroke_width(2)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

/// All responses overlaid: gain against frequency.
fn draw_response_panel(
    area: &DrawingArea<SVGBackend, Shift>,
    before: &[BandResponse],
    after: &[BandResponse],
) -> DrawResult {
    let all = || before.iter().chain(after);
    let max_freq = all()
        .flat_map(|r| r.freqs_hz.iter().copied())
        .filter(|f| f.is_finite())
        .fold(1.0, f64::max);
    let max_gain = all()
        .flat_map(|r| r.gain.iter().copied())
        .filter(|g| g.is_finite())
        .fold(1.0, f64::max);
    let bands: Vec<String> = before.iter().map(|r| r.band.to_string()).collect();
    let caption = format!("responses of bands {}", bands.join(", "));
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..max_freq, 0.0..max_gain * 1.05)?;
    chart
        .configure_mesh()
        .x_desc("frequency (Hz)")
        .y_desc("gain")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 15))
        .draw()?;
    for (i, response) in before.iter().enumerate() {
        let drawn = chart.draw_series(LineSeries::new(
            response_points(response),
            BEFORE.mix(0.5).stroke_width(3),
        ))?;
        if i == 0 {
            drawn.label("before").legend(|(x, y)| {
                PathElement::new([(x, y), (x + 20, y)], BEFORE.mix(0.5).stroke_width(3))
            });
        }
    }
    for (i, response) in after.iter().enumerate() {
        let drawn = chart.draw_series(LineSeries::new(
            response_points(response),
            AFTER.stroke_width(1),
        ))?;
        if i == 0 {
            drawn
                .label("after")
                .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], AFTER.stroke_width(2)));
        }
    }
    // Upper right: low bands crowd the left, and the top of the range is
    // often above the highest filter.
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// `(band, value)` for every finite value.
fn finite_points(values: &[f64]) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, v)| (i as f64, *v))
        .collect()
}

/// `(frequency, gain)` for every finite pair.
fn response_points(response: &BandResponse) -> Vec<(f64, f64)> {
    response
        .freqs_hz
        .iter()
        .zip(&response.gain)
        .filter(|(f, g)| f.is_finite() && g.is_finite())
        .map(|(f, g)| (*f, *g))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(centres: Vec<f64>) -> FilterSummary {
        FilterSummary {
            kind: "test".into(),
            sample_rate: 16000.0,
            series: vec![
                BandSeries {
                    name: "centre frequency".into(),
                    unit: "Hz".into(),
                    values: centres,
                },
                BandSeries {
                    name: "bandwidth (FWHM)".into(),
                    unit: "Hz".into(),
                    values: vec![50.0, 60.0, 70.0],
                },
                BandSeries {
                    name: "averaging width".into(),
                    unit: "ms".into(),
                    values: vec![10.0, 10.0, 10.0],
                },
            ],
            responses: vec![BandResponse {
                band: 1,
                freqs_hz: vec![0.0, 500.0, 1000.0],
                gain: vec![0.0, 1.0, 0.0],
            }],
        }
    }

    #[test]
    fn every_series_gets_a_titled_panel_and_a_legend() {
        let svg = filter_plot_svg(
            &summary(vec![100.0, 500.0, 2000.0]),
            &summary(vec![120.0, 450.0, f64::NAN]),
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        assert!(svg.trim_end().ends_with("</svg>"));
        for text in [
            "centre frequency",
            "bandwidth (FWHM)",
            "averaging width",
            "ms",
            "responses of bands 1",
            "frequency (Hz)",
        ] {
            assert!(svg.contains(text), "the figure lacks {text:?}");
        }
        // A legend in each of the four panels, and the figure's title.
        assert_eq!(svg.matches("before").count(), 5);
        assert_eq!(svg.matches("after").count(), 5);
    }

    #[test]
    fn ticks_drop_trailing_zeros() {
        assert_eq!(tick(&2000.0), "2000");
        assert_eq!(tick(&0.25), "0.25");
        assert_eq!(tick(&(0.1 + 0.2)), "0.3");
        assert_eq!(tick(&-0.0), "0");
    }

    #[test]
    fn ranges_pad_and_survive_constants_and_nans() {
        assert_eq!(padded([0.0, 10.0]), -0.5..10.5);
        assert_eq!(padded([10.0, 10.0]), 5.0..15.0);
        assert_eq!(padded([f64::NAN]), 0.0..1.0);
    }
}
