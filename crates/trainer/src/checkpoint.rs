//! Checkpoints: model weights, Adam state and the training position, written
//! atomically after every epoch.
//!
//! A checkpoint is a folder `checkpoints/epoch-NNNN/` holding `model.bpk` and
//! `optimizer.bpk` (burnpack, which keeps parameter ids so that Adam's moments
//! re-attach to their parameters on load) and `state.json`. It is assembled in
//! a hidden temporary folder and renamed into place only when complete, so a
//! run killed at any moment leaves either the previous checkpoint or the new
//! one. Only the newest `keep` checkpoints are kept.

use std::path::{Path, PathBuf};

use burn::module::Module;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::{AdamConfig, ModuleOptimizer};
use cochlea_model::Classifier;
use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};
use cochlea_data::atomic::write_string_atomically;

/// Where training stands after a finished epoch.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrainingState {
    /// Epochs completed (1-based count).
    pub epochs_done: usize,
    /// Optimiser steps taken.
    pub steps: usize,
    /// The epoch with the lowest validation loss so far, when the run keeps
    /// the best model (its weights are `<run>/best-model.bpk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<BestEpoch>,
}

/// The best epoch so far by validation loss.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BestEpoch {
    /// 1-based epoch.
    pub epoch: usize,
    /// Its validation loss.
    pub loss: f64,
}

/// The Adam optimiser as configured for all cochlea runs (PyTorch's epsilon),
/// with PyTorch's L2 `weight_decay` added to the gradients when positive.
pub fn adam(weight_decay: f64) -> ModuleOptimizer {
    let config = AdamConfig::new().with_epsilon(1e-8);
    let config = if weight_decay > 0.0 {
        config.with_weight_decay(Some(WeightDecayConfig::new(weight_decay as f32)))
    } else {
        config
    };
    config.init()
}

fn folder_name(epoch: usize) -> String {
    format!("epoch-{epoch:04}")
}

/// Writes the checkpoint after `state.epochs_done` epochs into `dir`.
pub fn save(
    dir: &Path,
    model: &Classifier,
    optimizer: &ModuleOptimizer,
    state: &TrainingState,
    keep: usize,
) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).at(dir)?;
    let name = folder_name(state.epochs_done);
    let tmp = dir.join(format!(".{name}.partial"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).at(&tmp)?;
    }
    std::fs::create_dir_all(&tmp).at(&tmp)?;
    // burn keeps a batch norm's newest running statistics in a pending
    // update until the module is next used or converted; converting syncs
    // them, so the checkpoint holds the statistics of the last step.
    let _ = model.valid();
    model
        .clone()
        .save_file(tmp.join("model.bpk"))
        .map_err(|e| {
            Error::Other(format!(
                "cannot write checkpoint model in {}: {e}",
                tmp.display()
            ))
        })?;
    optimizer.save(tmp.join("optimizer.bpk")).map_err(|e| {
        Error::Other(format!(
            "cannot write optimizer state in {}: {e}",
            tmp.display()
        ))
    })?;
    let json = serde_json::to_string_pretty(state)
        .map_err(|e| Error::Other(format!("cannot write the training state: {e}")))?;
    write_string_atomically(&tmp.join("state.json"), &json).at(tmp.join("state.json"))?;
    let target = dir.join(&name);
    if target.exists() {
        std::fs::remove_dir_all(&target).at(&target)?;
    }
    std::fs::rename(&tmp, &target).at(&target)?;
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
    prune(dir, keep)?;
    Ok(target)
}

/// Complete checkpoints in `dir`, oldest first, as `(epochs_done, folder)`.
pub fn list(dir: &Path) -> Vec<(usize, PathBuf)> {
    let mut found: Vec<(usize, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let epoch = name.strip_prefix("epoch-")?.parse().ok()?;
            let path = e.path();
            path.join("state.json").is_file().then_some((epoch, path))
        })
        .collect();
    found.sort();
    found
}

fn prune(dir: &Path, keep: usize) -> Result<()> {
    let all = list(dir);
    for (_, path) in all.iter().take(all.len().saturating_sub(keep)) {
        std::fs::remove_dir_all(path).at(path)?;
    }
    Ok(())
}

/// The training position of the checkpoint in `folder`.
fn read_state(folder: &Path) -> Result<TrainingState> {
    let path = folder.join("state.json");
    let text = std::fs::read_to_string(&path).at(&path)?;
    serde_json::from_str(&text).map_err(|e| Error::Other(format!("{}: {e}", path.display())))
}

/// The training position of the newest complete checkpoint in `dir`, if any.
pub fn latest_state(dir: &Path) -> Result<Option<TrainingState>> {
    list(dir)
        .pop()
        .map(|(_, path)| read_state(&path))
        .transpose()
}

/// A loaded checkpoint.
pub struct Checkpoint {
    /// The model with its parameter ids.
    pub model: Classifier,
    /// The optimiser with its state.
    pub optimizer: ModuleOptimizer,
    /// The training position.
    pub state: TrainingState,
}

/// Loads the newest complete checkpoint, if any, into `skeleton`.
pub fn load_latest(
    dir: &Path,
    skeleton: Classifier,
    weight_decay: f64,
) -> Result<Option<Checkpoint>> {
    let Some((_, path)) = list(dir).pop() else {
        return Ok(None);
    };
    let state = read_state(&path)?;
    let model = skeleton
        .try_load_file(path.join("model.bpk"))
        .map_err(|e| {
            Error::Other(format!(
                "cannot load {}: {e}",
                path.join("model.bpk").display()
            ))
        })?;
    let optimizer = adam(weight_decay)
        .load(path.join("optimizer.bpk"))
        .map_err(|e| {
            Error::Other(format!(
                "cannot load {}: {e}",
                path.join("optimizer.bpk").display()
            ))
        })?;
    Ok(Some(Checkpoint {
        model,
        optimizer,
        state,
    }))
}
