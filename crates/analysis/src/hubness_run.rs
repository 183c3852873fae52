//! `cochlea hubness`: the embeddings of a trained run's items on a split
//! ([`cochlea_trainer::embeddings`]), analysed for hubness
//! ([`crate::hubness::report`]), written as JSON next to the run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use cochlea_trainer::RunDir;
use cochlea_trainer::embeddings::EmbeddingLayer;
use cochlea_trainer::error::{Error, Result};
use cochlea_trainer::evaluate::load_run_on;

use crate::hubness::report::{HubnessReport, HubnessSettings, analyse};

/// What to analyse.
#[derive(Debug, Clone)]
pub struct HubnessRequest {
    /// The trained run.
    pub run: PathBuf,
    /// Another dataset folder of the same layout, if not the run's own.
    pub data: Option<PathBuf>,
    /// The split.
    pub split: String,
    /// Where the embeddings are taken.
    pub layer: EmbeddingLayer,
    /// Singing voice: seconds between excerpt starts.
    pub spacing: f64,
    /// Neighbours, distance and limits.
    pub settings: HubnessSettings,
}

/// The JSON written: the request, the report and the time taken.
#[derive(Serialize)]
pub struct HubnessOutput {
    /// The run directory.
    pub run: String,
    /// The split.
    pub split: String,
    /// The layer.
    pub layer: EmbeddingLayer,
    /// Excerpt spacing (singing voice).
    pub spacing_seconds: f64,
    /// Seconds spent embedding.
    pub embed_seconds: f64,
    /// Seconds spent on distances, reductions and measures.
    pub analyse_seconds: f64,
    /// The figures.
    #[serde(flatten)]
    pub report: HubnessReport,
}

/// Runs the analysis.
pub fn hubness_of_run(request: &HubnessRequest) -> Result<HubnessOutput> {
    let run = RunDir::new(&request.run);
    let (config, model) = load_run_on(&run, request.data.as_deref())?;
    let task = config.task.build(&config.data, config.label_noise.as_ref());
    let started = Instant::now();
    let embeddings = task.embeddings(&model, &request.split, request.layer, request.spacing)?;
    let embed_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let report = analyse(&embeddings, request.settings).map_err(Error::Other)?;
    Ok(HubnessOutput {
        run: request.run.display().to_string(),
        split: request.split.clone(),
        layer: request.layer,
        spacing_seconds: request.spacing,
        embed_seconds,
        analyse_seconds: started.elapsed().as_secs_f64(),
        report,
    })
}

/// The default report path: `<run>/hubness-<split>-<layer>.json`.
pub fn default_report_path(run: &Path, split: &str, layer: EmbeddingLayer) -> PathBuf {
    let layer = match layer {
        EmbeddingLayer::Penultimate => "penultimate",
        EmbeddingLayer::Frontend => "frontend",
    };
    run.join(format!("hubness-{split}-{layer}.json"))
}
