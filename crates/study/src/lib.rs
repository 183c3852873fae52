//! Studies over many trainings: the sweep (`[sweep]`, `cochlea sweep`) and
//! the comparison of variants with statistics (`[compare]`, `cochlea compare`).
//!
//! Two halves that know little of each other. The **runner** expands the
//! grid ([`sweep_config`], [`grid`], [`point_name`]), builds each point's
//! config ([`point_config`]) and trains every point into its own run
//! directory inside the sweep folder ([`sweep_dir`], [`runner`]), skipping
//! finished runs and resuming interrupted ones. The **aggregation** reads the
//! finished run directories back ([`results`]) and analyses them
//! ([`stats`], [`summary`], [`plot`], [`sweep_report`]). A comparison
//! ([`compare`]) is a sweep of seeds × variants run by the same runner,
//! with its own analysis: the runs' figures and predictions
//! ([`compare_runs`]), the paired statistics ([`compare_analysis`]), the
//! frontends' cost ([`compare_cost`]) and the report, table and figures
//! ([`compare_report`], [`compare_output`], [`compare_plot`]). Nothing here
//! prints: progress goes to a [`sweep_events::SweepObserver`].

pub mod compare;
pub mod compare_analysis;
pub mod compare_config;
pub mod compare_cost;
pub mod compare_output;
pub mod compare_plot;
pub mod compare_report;
pub mod compare_runs;
pub mod config_match;
pub mod csv;
pub mod error;
pub mod grid;
pub mod plot;
pub mod point_config;
pub mod point_name;
pub mod results;
pub mod run_time;
pub mod runner;
pub mod stats;
pub mod summary;
pub mod sweep;
pub mod sweep_config;
pub mod sweep_dir;
pub mod sweep_events;
pub mod sweep_report;
pub mod table_diff;

pub use error::{Error, Result};

/// The experiment files in `experiments/` that hold `section`, as (path, text).
#[cfg(test)]
pub(crate) fn experiments_with(section: &str) -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../experiments");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let table: toml::Table = text.parse().unwrap();
        if table.contains_key(section) {
            found.push((path.display().to_string(), text));
        }
    }
    found.sort();
    found
}
pub use sweep::Sweep;
pub use sweep_dir::SweepDir;
