//! The training loop (Schlüter & Grill, ISMIR 2015): random excerpts labelled
//! by their centre frame, smoothed targets `0.02 + 0.96 y`, binary
//! cross-entropy, Adam with the learning rate multiplied by `lr_decay` after
//! every epoch; validation on whole songs, logging, and a checkpoint after
//! every epoch; at the end the final model and the test-split evaluation.
//!
//! Reproducibility: the model is initialised from the config seed on the
//! host; each epoch's batches come from a host RNG and its dropout masks from
//! the backend RNG, both re-seeded from `(seed, epoch)` at the start of the
//! epoch. A run resumed from the checkpoint after epoch k therefore repeats
//! exactly what the uninterrupted run did, bit for bit on Flex and ndarray.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::store::{ModuleSnapshot, SafetensorsStore};
use burn::tensor::{Device, Tensor, TensorData};
use cochlea_data::JamendoDataset;
use cochlea_frontend::{BandStatistics, Standardize};
use cochlea_model::Classifier;
use serde::{Deserialize, Serialize};

use crate::atomic::write_string_atomically;
use crate::checkpoint::{self, TrainingState};
use crate::config::ExperimentConfig;
use crate::error::{Error, IoContext, Result};
use crate::evaluate::{Evaluation, evaluate, mean_bce, pool, predict_songs, render_table};
use crate::learning_rate::learning_rates;
use crate::loss::bce_with_logits;
use crate::metrics::{best_threshold, binary_metrics};
use crate::progress::Progress;
use crate::run::{RunDir, build_classifier};
use crate::sampler::{ExcerptSampler, derive_seed, epoch_rng};
use crate::songs::{Framing, Song, audio_loader, load_split, open_dataset};
use crate::tensorboard::Board;

/// One line of `metrics.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EpochRecord {
    /// Epoch number, 1-based.
    pub epoch: usize,
    /// Learning rate used in this epoch.
    pub learning_rate: f64,
    /// Mean training loss (smoothed targets).
    pub train_loss: f64,
    /// Mean validation cross-entropy on whole songs (unfiltered, hard labels).
    pub valid_loss: Option<f64>,
    /// Validation error at the best threshold after median filtering.
    pub valid_error: Option<f64>,
    /// Validation AUROC after median filtering.
    pub valid_auroc: Option<f64>,
    /// Best validation threshold.
    pub valid_threshold: Option<f32>,
    /// Training throughput.
    pub excerpts_per_second: f64,
    /// Wall seconds for the epoch (training and validation).
    pub seconds: f64,
}

/// What `train` produced.
pub struct TrainOutcome {
    /// The run directory.
    pub run: RunDir,
    /// Test-split evaluation.
    pub evaluation: Evaluation,
}

/// Starts a new run of `config` in `run` (which must not hold a run yet).
pub fn train_new(config: ExperimentConfig, run: RunDir) -> Result<TrainOutcome> {
    if run.config().exists() {
        return Err(Error::Run {
            path: run.path.clone(),
            message: "already holds a run: continue it with `cochlea train --resume <run-dir>` \
                      or choose another --out"
                .into(),
        });
    }
    train_run(config, run, None)
}

/// Continues the run in `run` from its newest checkpoint.
pub fn resume(run: RunDir) -> Result<TrainOutcome> {
    let config = run.load_config()?;
    let device = config.backend.autodiff_device().map_err(Error::Config)?;
    let skeleton = build_classifier(&config, &device);
    let loaded = checkpoint::load_latest(&run.checkpoints(), skeleton)?;
    train_run(config, run, loaded)
}

/// Loaded data splits.
struct Splits {
    train: Vec<Song>,
    valid: Vec<Song>,
}

fn load_splits(
    config: &ExperimentConfig,
    dataset: &JamendoDataset,
    framing: Framing,
) -> Result<Splits> {
    let loader = audio_loader(config);
    let started = Instant::now();
    let train = load_split(dataset, "train", &loader, framing)?;
    let valid = if dataset.has_split("valid") {
        load_split(dataset, "valid", &loader, framing)?
    } else {
        Vec::new()
    };
    eprintln!(
        "loaded {} training and {} validation songs in {:.1} s",
        train.len(),
        valid.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(Splits { train, valid })
}

/// Per-band statistics of the frontend's output over the training songs.
fn training_statistics(model: &Classifier, songs: &[Song], device: &Device) -> Result<Standardize> {
    let frontend = model.frontend.valid();
    let mut stats = BandStatistics::new(frontend.bands());
    for song in songs {
        let samples = song.wave.samples();
        let wave = Tensor::<2>::from_data(
            TensorData::new(samples.to_vec(), [1, samples.len()]),
            &frontend.standardize().device(),
        );
        let features = frontend.unstandardized(wave); // [1, bands, frames]
        let frames = features.dims()[2];
        let values = features
            .into_data()
            .try_into_vec::<f32>()
            .map_err(|e| Error::Other(format!("{e:?}")))?;
        stats.add(&values, frames);
    }
    let (mean, std) = stats.mean_std();
    Ok(Standardize::from_stats(&mean, &std, device))
}

fn train_run(
    config: ExperimentConfig,
    run: RunDir,
    resumed: Option<checkpoint::Checkpoint>,
) -> Result<TrainOutcome> {
    let started = Instant::now();
    let device = config.backend.autodiff_device().map_err(Error::Config)?;
    let dataset = open_dataset(&config)?;
    let (mut model, mut optimizer, mut state) = match resumed {
        Some(c) => {
            eprintln!(
                "resuming {} after epoch {}",
                run.path.display(),
                c.state.epochs_done
            );
            (c.model, c.optimizer, c.state)
        }
        None => (
            build_classifier(&config, &device),
            checkpoint::adam(),
            TrainingState {
                epochs_done: 0,
                steps: 0,
            },
        ),
    };
    let framing = Framing::of(&model, config.data.sample_rate);
    let splits = load_splits(&config, &dataset, framing)?;
    let t = &config.train;
    let sampler =
        ExcerptSampler::new(&splits.train, framing, t.excerpt_frames).ok_or_else(|| {
            Error::Other(format!(
                "no training song in {} is long enough for one excerpt of {} frames ({:.2} s)",
                config.data.root.display(),
                t.excerpt_frames,
                framing.frame_length as f64 / config.data.sample_rate as f64
                    + (t.excerpt_frames - 1) as f64 / framing.fps()
            ))
        })?;
    if state.epochs_done == 0 {
        let standardize = training_statistics(&model, &splits.train, &device)?;
        model.frontend.set_standardize(standardize);
    }
    // The run directory is created only once the data has been read without
    // error, so that a fixed dataset can be retried with the same --out.
    if !run.config().exists() {
        std::fs::create_dir_all(&run.path).at(&run.path)?;
        write_string_atomically(&run.config(), &config.to_toml()).at(run.config())?;
    }
    if state.epochs_done == 0 {
        // A fresh start: drop logs of an earlier attempt that died before its first checkpoint.
        let _ = std::fs::remove_file(run.epoch_log());
    } else {
        truncate_epoch_log(&run.epoch_log(), state.epochs_done)?;
    }
    let mut board = Board::open(&run.tensorboard()).at(run.tensorboard())?;
    let chunk_frames = chunk_frames(&config, framing);
    let excerpt_samples = sampler.excerpt_samples();
    let batch = t.batch_size;
    let [offset, scale] = t.label_smoothing;

    for epoch in state.epochs_done..t.epochs {
        let epoch_started = Instant::now();
        let lr = t.learning_rate * t.lr_decay.powi(epoch as i32);
        let rates = learning_rates(&model, lr, t.frontend_lr_scale);
        let mut rng = epoch_rng(config.seed, epoch);
        device.seed(derive_seed(config.seed, epoch, 2));
        let progress = Progress::epoch(epoch + 1, t.epochs, t.batches_per_epoch);
        let mut loss_sum = 0.0;
        for b in 0..t.batches_per_epoch {
            let (waves, labels) = sampler.batch(&mut rng, batch);
            let targets: Vec<f32> = labels
                .iter()
                .map(|&y| (offset + scale * y as f64) as f32)
                .collect();
            let wave =
                Tensor::<2>::from_data(TensorData::new(waves, [batch, excerpt_samples]), &device);
            let targets = Tensor::<1>::from_data(TensorData::new(targets, [batch]), &device);
            let logits = model.forward(wave).reshape([batch]); // [batch]
            let loss = bce_with_logits(logits, targets);
            let value = loss.clone().into_scalar::<f32>() as f64;
            if !value.is_finite() {
                return Err(Error::Diverged(format!(
                    "loss became {value} in epoch {} batch {}; lower train.learning_rate",
                    epoch + 1,
                    b + 1
                )));
            }
            loss_sum += value;
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(rates.clone(), model, grads);
            state.steps += 1;
            board.scalar("train/loss", value, state.steps);
            progress.batch(b + 1, loss_sum / (b + 1) as f64);
        }
        progress.finish();
        let train_seconds = epoch_started.elapsed().as_secs_f64();
        let train_loss = loss_sum / t.batches_per_epoch as f64;
        let mut record = EpochRecord {
            epoch: epoch + 1,
            learning_rate: lr,
            train_loss,
            valid_loss: None,
            valid_error: None,
            valid_auroc: None,
            valid_threshold: None,
            excerpts_per_second: (t.batches_per_epoch * batch) as f64 / train_seconds,
            seconds: 0.0,
        };
        if t.validate_every_epoch && !splits.valid.is_empty() {
            let (predictions, _) = predict_songs(&model.valid(), &splits.valid, chunk_frames);
            let (labels, scores) = pool(&predictions, config.eval.median_filter);
            let threshold = best_threshold(&labels, &scores);
            let metrics = binary_metrics(&labels, &scores, threshold);
            record.valid_loss = Some(mean_bce(&predictions));
            record.valid_error = Some(metrics.error);
            record.valid_auroc = metrics.auroc;
            record.valid_threshold = Some(threshold);
        }
        record.seconds = epoch_started.elapsed().as_secs_f64();
        log_epoch(&run, &mut board, &record)?;
        state.epochs_done = epoch + 1;
        checkpoint::save(
            &run.checkpoints(),
            &model,
            &optimizer,
            &state,
            t.keep_checkpoints,
        )?;
    }
    board.flush();

    // The final model, for `evaluate`, `features` and Python users.
    let final_model = model.valid();
    final_model
        .clone()
        .save_file(run.model())
        .map_err(|e| Error::Other(format!("cannot write {}: {e}", run.model().display())))?;
    save_safetensors(&final_model, &run.model_safetensors())?;
    let evaluation = evaluate_split(&config, &final_model, &dataset, "test", 0.5, chunk_frames)?;
    let json = serde_json::to_string_pretty(&evaluation).unwrap_or_default();
    write_string_atomically(&run.final_metrics(), &json).at(run.final_metrics())?;
    eprintln!(
        "training and evaluation took {:.1} s; run directory {}",
        started.elapsed().as_secs_f64(),
        run.path.display()
    );
    println!("{}", render_table(&evaluation));
    Ok(TrainOutcome { run, evaluation })
}

/// Frames per network pass when predicting whole songs.
pub fn chunk_frames(config: &ExperimentConfig, framing: Framing) -> usize {
    ((config.eval.chunk_seconds * framing.fps()) as usize).max(1)
}

/// Evaluates `split` of `dataset` with the validation split's best threshold
/// (or `stored_threshold` if the dataset has no validation split).
pub fn evaluate_split(
    config: &ExperimentConfig,
    model: &Classifier,
    dataset: &JamendoDataset,
    split: &str,
    stored_threshold: f32,
    chunk_frames: usize,
) -> Result<Evaluation> {
    let framing = Framing::of(model, config.data.sample_rate);
    let loader = audio_loader(config);
    let songs = load_split(dataset, split, &loader, framing)?;
    let (predictions, seconds) = predict_songs(model, &songs, chunk_frames);
    let other_valid = if split != "valid" && dataset.has_split("valid") {
        let songs = load_split(dataset, "valid", &loader, framing)?;
        Some(predict_songs(model, &songs, chunk_frames).0)
    } else {
        None
    };
    // Evaluating the validation split itself picks its threshold there too.
    let valid_ref = if split == "valid" {
        Some(predictions.as_slice())
    } else {
        other_valid.as_deref()
    };
    let (threshold, source, metrics, validation) = evaluate(
        &predictions,
        valid_ref,
        stored_threshold,
        config.eval.median_filter,
    );
    Ok(Evaluation {
        split: split.to_string(),
        threshold,
        threshold_source: source,
        median_filter: config.eval.median_filter,
        metrics,
        validation,
        songs: songs.len(),
        audio_seconds: songs.iter().map(|s| s.wave.duration_seconds()).sum(),
        predict_seconds: seconds,
    })
}

fn log_epoch(run: &RunDir, board: &mut Board, r: &EpochRecord) -> Result<()> {
    let line = serde_json::to_string(r).unwrap_or_default();
    let path = run.epoch_log();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .at(&path)?;
    writeln!(f, "{line}").at(&path)?;
    f.sync_all().at(&path)?;
    board.scalar("train/learning_rate", r.learning_rate, r.epoch);
    board.scalar("train/epoch_loss", r.train_loss, r.epoch);
    for (tag, v) in [
        ("valid/loss", r.valid_loss),
        ("valid/error", r.valid_error),
        ("valid/auroc", r.valid_auroc),
    ] {
        if let Some(v) = v {
            board.scalar(tag, v, r.epoch);
        }
    }
    board.flush();
    let valid = match (r.valid_error, r.valid_auroc) {
        (Some(e), Some(a)) => format!(", valid error {:.2} %, AUROC {a:.4}", 100.0 * e),
        (Some(e), None) => format!(", valid error {:.2} %", 100.0 * e),
        _ => String::new(),
    };
    eprintln!(
        "epoch {}: train loss {:.4}{valid}, lr {:.2e}, {:.1} excerpts/s, {:.1} s",
        r.epoch, r.train_loss, r.learning_rate, r.excerpts_per_second, r.seconds
    );
    Ok(())
}

/// Keeps the first `epochs` lines of the epoch log (those covered by the checkpoint).
fn truncate_epoch_log(path: &Path, epochs: usize) -> Result<()> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(());
    };
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            serde_json::from_str::<EpochRecord>(l)
                .map(|r| r.epoch <= epochs)
                .unwrap_or(false)
        })
        .collect();
    let mut out = kept.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    write_string_atomically(path, &out).at(path)
}

/// Writes the model as safetensors for Python (burn's tensor names).
pub fn save_safetensors(model: &Classifier, path: &PathBuf) -> Result<()> {
    let mut store = SafetensorsStore::from_file(path).overwrite(true);
    model
        .save_into(&mut store)
        .map_err(|e| Error::Other(format!("cannot write {}: {e}", path.display())))
}
