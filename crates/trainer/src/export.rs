//! `cochlea export <run-dir> --out <file.safetensors>`: a trained run's
//! model for PyTorch. Writes the weights, frontend included, under the
//! names and layouts of the modules in `python/cochlea_torch.py`
//! ([`crate::export_weights`]), and beside them the JSON sidecar
//! `<file>.json` ([`crate::export_sidecar`]) with the settings, the
//! constants of the computation, the task's labels and thresholds and the
//! standardisation statistics. Both files are written atomically (the
//! weights first). [`crate::export_import`] reads an export back.

use std::path::{Path, PathBuf};

use cochlea_data::atomic::{write_bytes_atomically, write_string_atomically};
use cochlea_model::Classifier;

use crate::checkpoint::latest_state;
use crate::config::{ExperimentConfig, ModelSelection};
use crate::error::{Error, IoContext, Result};
use crate::export_sidecar::{
    FORMAT, Sidecar, Standardization, TaskSummary, TrainingSummary, VERSION, sidecar_path,
};
use crate::export_weights::pytorch_safetensors;
use crate::framing::framing_of;
use crate::run::RunDir;

/// What [`export_run`] wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The weights file.
    pub weights: PathBuf,
    /// The sidecar beside it.
    pub sidecar: PathBuf,
    /// Names of the tensors in the weights file, sorted.
    pub tensors: Vec<String>,
}

/// Exports the model of the finished run `run` to `out` and its sidecar.
pub fn export_run(run: &RunDir, out: &Path) -> Result<Exported> {
    let sidecar_file = sidecar_path(out);
    if sidecar_file == out {
        return Err(Error::Other(format!(
            "--out {}: the sidecar is written beside the weights as <name>.json; \
             name the weights file <name>.safetensors",
            out.display()
        )));
    }
    if out.is_dir() {
        return Err(Error::Other(format!(
            "--out {} is a folder; name the weights file, e.g. {}",
            out.display(),
            out.join("model.safetensors").display()
        )));
    }
    let config = run.load_config()?;
    let device = config.backend.device().map_err(Error::Config)?;
    let model = run.load_model(&config, &device)?;
    let sidecar = build_sidecar(run, &config, &model, out)?;
    let (bytes, tensors) = pytorch_safetensors(&model, sidecar.training.batches)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).at(parent)?;
    }
    write_bytes_atomically(out, &bytes).at(out)?;
    write_string_atomically(&sidecar_file, &sidecar.to_json()?).at(&sidecar_file)?;
    Ok(Exported {
        weights: out.to_path_buf(),
        sidecar: sidecar_file,
        tensors,
    })
}

/// The sidecar of `model`, the kept model of `run`, exported to `out`.
fn build_sidecar(
    run: &RunDir,
    config: &ExperimentConfig,
    model: &Classifier,
    out: &Path,
) -> Result<Sidecar> {
    let missing = |what: &str| Error::Run {
        path: run.path.clone(),
        message: format!(
            "has no {what}: training did not finish; resume it with \
             `cochlea train --resume <run-dir>`"
        ),
    };
    let state = latest_state(&run.checkpoints())?.ok_or_else(|| missing("checkpoint"))?;
    let epochs = match (config.train.model_selection, state.best) {
        (ModelSelection::BestValidationLoss, Some(best)) => best.epoch,
        _ => state.epochs_done,
    };
    let report_path = run.final_metrics();
    if !report_path.is_file() {
        return Err(missing("metrics.json"));
    }
    let report_json = std::fs::read_to_string(&report_path).at(&report_path)?;
    let decision = config
        .task
        .build(&config.data, None)
        .read_report(&report_json)?
        .decision();
    let labels = config.task.output_labels().ok_or_else(|| Error::Run {
        path: run.path.clone(),
        message: "its config.toml does not list the task's outputs (task.tags); \
                  it was not written by `cochlea train`"
            .into(),
    })?;
    let outputs = model.outputs();
    if labels.len() != outputs || decision.thresholds.len() != outputs {
        return Err(Error::Run {
            path: run.path.clone(),
            message: format!(
                "its model has {outputs} outputs but config.toml lists {} labels and \
                 metrics.json {} thresholds; train it again",
                labels.len(),
                decision.thresholds.len()
            ),
        });
    }
    let framing = framing_of(model, config.data.sample_rate);
    let frames = model.excerpt_frames();
    let (mean, std) = model.frontend.standardize().statistics()?;
    let mut constants: std::collections::BTreeMap<String, f64> =
        cochlea_frontend::constants::named_constants(&config.frontend)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
    constants.extend(
        config
            .model
            .named_constants()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v)),
    );
    Ok(Sidecar {
        format: FORMAT.into(),
        version: VERSION,
        weights: out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        cochlea_version: env!("CARGO_PKG_VERSION").into(),
        sample_rate: config.data.sample_rate,
        frame_length: framing.frame_length,
        hop: framing.hop,
        input_frames: frames,
        input_samples: framing.samples_for(frames),
        outputs,
        frontend: config.frontend.clone(),
        model: config.model.clone(),
        constants,
        task: TaskSummary {
            kind: config.task.name().into(),
            labels,
            thresholds: decision.thresholds,
            median_filter: decision.median_filter,
            threshold_source: decision.source,
        },
        standardization: Standardization { mean, std },
        training: TrainingSummary {
            seed: config.seed,
            epochs,
            batches: epochs * config.train.batches_per_epoch,
        },
    })
}
