//! What the SVG figures share (`cochlea inspect --filters`, the sweeps'
//! plots): tick labels without rounding noise and the legend box.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// What drawing a figure returns.
pub type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// Draws the series labels at `position`: 14 px sans-serif on a
/// translucent white box with a black border.
pub fn draw_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    position: SeriesLabelPosition,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

/// A tick label without trailing zeros or rounding noise (`2000`, `0.25`).
pub fn tick(v: &f64) -> String {
    let rounded = (v * 1e6).round() / 1e6;
    if rounded == 0.0 {
        "0".into()
    } else {
        rounded.to_string()
    }
}
