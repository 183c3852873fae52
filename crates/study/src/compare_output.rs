//! What a finished comparison writes into its folder, rewritten from the
//! run directories every time (atomically):
//! - `report.md`: the tables, sentences and notes ([`crate::compare_report`]);
//! - `results.csv`: one row per run (the sweep's table, [`crate::results`]);
//! - `comparisons.csv`: one row per variant, metric and test set against
//!   the baseline, with every test's figures;
//! - `<metric>.svg` (`<set>-<metric>.svg` for the transfer set): the metric
//!   per variant with its interval ([`crate::compare_plot`]);
//! - `filters-<variant>.svg`: each variant's filters before and after
//!   training, from its first seed's run, as `cochlea inspect --filters`
//!   draws them.

use std::path::PathBuf;

use cochlea_data::atomic::write_string_atomically;
use cochlea_trainer::filter_plot::write_filter_plot;
use cochlea_trainer::inspect::inspect;

use crate::compare::Comparison;
use crate::compare_analysis::{Analysis, analyse};
use crate::compare_cost::frontend_costs;
use crate::compare_plot::{MetricFigure, write_metric_plot};
use crate::compare_report::render_report;
use crate::compare_runs::gather;
use crate::csv::record;
use crate::error::{IoContext, Result};
use crate::point_name::file_safe;
use crate::results::{collect, results_csv};
use crate::sweep_dir::SweepDir;

/// What was written.
#[derive(Debug, Clone)]
pub struct CompareFiles {
    /// `report.md`.
    pub report: PathBuf,
    /// `results.csv`.
    pub results: PathBuf,
    /// `comparisons.csv`.
    pub comparisons: PathBuf,
    /// The figures.
    pub figures: Vec<PathBuf>,
    /// The report's text.
    pub text: String,
}

/// Analyses every run of `comparison` in `dir` and writes the files.
pub fn write_compare_report(comparison: &Comparison, dir: &SweepDir) -> Result<CompareFiles> {
    let runs = gather(comparison, dir)?;
    let analysis = analyse(comparison, &runs);
    let configs: Vec<_> = (0..comparison.variants())
        .map(|v| comparison.run_config(0, v))
        .collect();
    let costs = frontend_costs(&configs)?;
    let text = render_report(comparison, &analysis, &costs);
    let report = dir.path.join("report.md");
    write_string_atomically(&report, &text).at(&report)?;
    let results = dir.results();
    let table = results_csv(
        &comparison.sweep.grid,
        &collect(&comparison.sweep.grid, dir)?,
    );
    write_string_atomically(&results, &table).at(&results)?;
    let comparisons = dir.path.join("comparisons.csv");
    let csv = comparisons_csv(comparison, &analysis);
    write_string_atomically(&comparisons, &csv).at(&comparisons)?;
    let mut figures = Vec::new();
    for (set, info) in analysis.sets.iter().enumerate() {
        for metric in &comparison.metrics {
            let name = if set == 0 {
                format!("{}.svg", file_safe(metric))
            } else {
                format!("{}-{}.svg", file_safe(&info.name), file_safe(metric))
            };
            let path = dir.path.join(name);
            write_metric_plot(
                &MetricFigure {
                    analysis: &analysis,
                    names: &comparison.config.names,
                    baseline: comparison.config.baseline,
                    metric,
                    set,
                    confidence: comparison.config.confidence,
                },
                &path,
            )?;
            figures.push(path);
        }
    }
    for (v, name) in comparison.config.names.iter().enumerate() {
        let point = &comparison.sweep.grid.points[comparison.point(0, v)];
        let inspection = inspect(&dir.run(point))?;
        let path = dir.path.join(format!("filters-{}.svg", file_safe(name)));
        write_filter_plot(&inspection.before, &inspection.after, &path)?;
        figures.push(path);
    }
    Ok(CompareFiles {
        report,
        results,
        comparisons,
        figures,
        text,
    })
}

/// One row per variant, metric and test set against the baseline.
fn comparisons_csv(c: &Comparison, a: &Analysis) -> String {
    let header = [
        "set",
        "variant",
        "baseline",
        "metric",
        "difference",
        "ci_low",
        "ci_high",
        "bootstrap_p",
        "bootstrap_p_holm",
        "bootstrap_resamples",
        "t",
        "t_p",
        "t_p_holm",
        "wilcoxon_statistic",
        "wilcoxon_p",
        "wilcoxon_p_holm",
        "cohens_dz",
        "seeds",
    ];
    let mut out = record(&header);
    let num = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    for p in &a.pairs {
        let b = p.bootstrap;
        out.push_str(&record(&[
            a.sets[p.set].name.clone(),
            c.config.names[p.variant].clone(),
            c.config.names[c.config.baseline].clone(),
            p.metric.clone(),
            num(b.map(|b| b.observed)),
            num(b.map(|b| b.low)),
            num(b.map(|b| b.high)),
            num(b.map(|b| b.p)),
            num(p.bootstrap_holm),
            b.map_or(String::new(), |b| b.resamples.to_string()),
            num(p.t_test.map(|t| t.t)),
            num(p.t_test.map(|t| t.p)),
            num(p.t_holm),
            num(p.wilcoxon.map(|w| w.statistic)),
            num(p.wilcoxon.map(|w| w.p)),
            num(p.wilcoxon_holm),
            num(p.t_test.map(|t| t.cohens_dz)),
            p.differences.len().to_string(),
        ]));
    }
    out
}
