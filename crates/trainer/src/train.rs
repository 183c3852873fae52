//! The generic training engine: the loop, the optimiser, the learning rate,
//! checkpoints, resume, TensorBoard and progress events, for whatever
//! [`Task`] the config names. The task supplies the batches, the loss, the
//! validation summary and the final evaluation; nothing here knows which
//! task it runs.
//!
//! Per epoch `e` (0-based): Adam at `learning_rate * lr_decay^e` (the
//! frontend at `frontend_lr_scale` times that), `batches_per_epoch` batches,
//! then validation, the epoch's record, and a checkpoint. At the end the run
//! keeps the last epoch's model or the one with the lowest validation loss
//! (`train.model_selection`) and evaluates it on the test split.
//!
//! Reproducibility: the model is initialised from the config seed on the
//! host; each epoch's batches come from a host RNG, their augmentation from a
//! second host RNG, and its dropout masks from the backend RNG, all re-seeded
//! from `(seed, epoch)` at the start of the epoch. A run resumed from the checkpoint after epoch k therefore repeats
//! exactly what the uninterrupted run did, bit for bit on Flex and ndarray.

use std::path::Path;
use std::time::Instant;

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::store::{ModuleSnapshot, SafetensorsStore};
use burn::tensor::{Device, Tensor, TensorData};
use cochlea_data::atomic::{temporary_sibling, write_string_atomically};
use cochlea_data::ensure_generated;
use cochlea_frontend::{BandStatistics, Standardize};
use cochlea_model::Classifier;

use crate::checkpoint::{self, BestEpoch, TrainingState};
use crate::config::{ExperimentConfig, ModelSelection};
use crate::epoch_log::{self, EpochRecord};
use crate::error::{Error, IoContext, Result};
use crate::events::{Event, Observer};
use crate::framing::framing_of;
use crate::learning_rate::learning_rates;
use crate::run::{RunDir, build_classifier, load_classifier};
use crate::seeds::{augment_rng, derive_seed, epoch_rng};
use crate::tasks::{Report, TrainingData};
use crate::tensorboard::Board;
use cochlea_frontend::host::to_f32_vec;

/// What `train` produced.
pub struct TrainOutcome {
    /// The run directory.
    pub run: RunDir,
    /// The test-split evaluation.
    pub report: Box<dyn Report>,
}

/// Starts a new run of `config` in `run` (which must not hold a run yet).
pub fn train_new(
    config: ExperimentConfig,
    run: RunDir,
    observer: &mut dyn Observer,
) -> Result<TrainOutcome> {
    if run.config().exists() {
        return Err(Error::Run {
            path: run.path.clone(),
            message: "already holds a run: continue it with `cochlea train --resume <run-dir>` \
                      or choose another --out"
                .into(),
        });
    }
    train_run(config, run, None, observer)
}

/// Continues the run in `run` from its newest checkpoint.
pub fn resume(run: RunDir, observer: &mut dyn Observer) -> Result<TrainOutcome> {
    let config = run.load_config()?;
    let device = config.backend.autodiff_device().map_err(Error::Config)?;
    let skeleton = build_classifier(&config, &device)?;
    let loaded = checkpoint::load_latest(&run.checkpoints(), skeleton, config.train.weight_decay)?;
    train_run(config, run, loaded, observer)
}

/// Per-band statistics of the frontend's output over the training waveforms.
fn training_statistics(
    model: &Classifier,
    data: &dyn TrainingData,
    device: &Device,
) -> Result<Standardize> {
    let frontend = model.frontend.valid();
    let mut stats = BandStatistics::new(frontend.bands());
    for samples in data.statistics_waves() {
        let wave = Tensor::<2>::from_data(
            TensorData::new(samples.to_vec(), [1, samples.len()]),
            &frontend.standardize().device(),
        );
        let features = frontend.unstandardized(wave); // [1, bands, frames]
        let frames = features.dims()[2];
        stats.add(
            &to_f32_vec(features, "features for the standardisation statistics")?,
            frames,
        );
    }
    let (mean, std) = stats.mean_std();
    Ok(Standardize::from_stats(&mean, &std, device))
}

fn train_run(
    mut config: ExperimentConfig,
    run: RunDir,
    resumed: Option<checkpoint::Checkpoint>,
    observer: &mut dyn Observer,
) -> Result<TrainOutcome> {
    let started = Instant::now();
    let device = config.backend.autodiff_device().map_err(Error::Config)?;
    let preparation = ensure_generated(&config.data)?;
    observer.event(Event::DatasetReady {
        root: &config.data.root,
        preparation: &preparation,
    });
    let task = config.task.build(&config.data, config.label_noise.as_ref());
    config.task = task.resolved()?;
    let (mut model, mut optimizer, mut state) = match resumed {
        Some(c) => {
            observer.event(Event::Resuming {
                run: &run.path,
                epochs_done: c.state.epochs_done,
            });
            (c.model, c.optimizer, c.state)
        }
        None => (
            build_classifier(&config, &device)?,
            checkpoint::adam(config.train.weight_decay),
            TrainingState::default(),
        ),
    };
    let framing = framing_of(&model, config.data.sample_rate);
    let loading = Instant::now();
    let data = task.training_data(framing, &config.augment)?;
    observer.event(Event::DataLoaded {
        description: data.describe(),
        seconds: loading.elapsed().as_secs_f64(),
    });
    if state.epochs_done == 0 {
        let standardize = training_statistics(&model, data.as_ref(), &device)?;
        model.frontend.set_standardize(standardize);
    }
    // The run directory is created only once the data has been read without
    // error, so that a fixed dataset can be retried with the same --out.
    if !run.config().exists() {
        std::fs::create_dir_all(&run.path).at(&run.path)?;
        write_string_atomically(&run.config(), &config.to_toml()?).at(run.config())?;
    }
    write_skipped(&run, data.skipped())?;
    if let Some(noise) = data.label_noise() {
        noise.write(&run.label_noise(), config.seed)?;
    }
    if state.epochs_done == 0 {
        // A fresh start: drop logs of an earlier attempt that died before its first checkpoint.
        let _ = std::fs::remove_file(run.epoch_log());
    } else {
        epoch_log::truncate(&run.epoch_log(), state.epochs_done)?;
    }
    let mut board = Board::open(&run.tensorboard()).at(run.tensorboard())?;
    let t = &config.train;
    let batch = t.batch_size;
    let keep_best = t.model_selection == ModelSelection::BestValidationLoss;

    for epoch in state.epochs_done..t.epochs {
        let epoch_started = Instant::now();
        let lr = t.learning_rate * t.lr_decay.powi(epoch as i32);
        let rates = learning_rates(&model, lr, t.frontend_lr_scale);
        let mut rng = epoch_rng(config.seed, epoch);
        let mut augment = augment_rng(config.seed, epoch);
        device.seed(derive_seed(config.seed, epoch, 2));
        observer.event(Event::EpochStarted {
            epoch: epoch + 1,
            epochs: t.epochs,
            batches: t.batches_per_epoch,
        });
        let mut loss_sum = 0.0;
        for b in 0..t.batches_per_epoch {
            let examples = data.batch(&mut rng, &mut augment, batch);
            let outputs = examples.targets.len() / batch;
            let wave = Tensor::<2>::from_data(
                TensorData::new(examples.waves, [batch, examples.samples]),
                &device,
            ); // [batch, samples]
            let targets = Tensor::<2>::from_data(
                TensorData::new(examples.targets, [batch, outputs]),
                &device,
            ); // [batch, outputs]
            let logits = model.forward(wave); // [batch, outputs]
            let loss = data.loss(logits, targets);
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
            observer.event(Event::Batch {
                done: b + 1,
                mean_loss: loss_sum / (b + 1) as f64,
            });
        }
        let train_seconds = epoch_started.elapsed().as_secs_f64();
        let validation = if t.validate_every_epoch {
            data.validate(&model.valid())?
        } else {
            None
        };
        let previous_best = state.best;
        if let (true, Some(summary)) = (keep_best, &validation)
            && state.best.is_none_or(|b| summary.loss < b.loss)
        {
            std::fs::create_dir_all(run.best_models()).at(run.best_models())?;
            save_model(&model.valid(), &run.best_model(epoch + 1))?;
            state.best = Some(BestEpoch {
                epoch: epoch + 1,
                loss: summary.loss,
            });
        }
        let record = EpochRecord {
            epoch: epoch + 1,
            learning_rate: lr,
            train_loss: loss_sum / t.batches_per_epoch as f64,
            valid: validation
                .as_ref()
                .map(|v| v.metrics.clone())
                .unwrap_or_default(),
            excerpts_per_second: (t.batches_per_epoch * batch) as f64 / train_seconds,
            seconds: epoch_started.elapsed().as_secs_f64(),
        };
        epoch_log::append(&run.epoch_log(), &record)?;
        board.scalar("train/learning_rate", record.learning_rate, record.epoch);
        board.scalar("train/epoch_loss", record.train_loss, record.epoch);
        for (name, value) in &record.valid {
            board.scalar(&format!("valid/{name}"), *value, record.epoch);
        }
        board.flush();
        state.epochs_done = epoch + 1;
        checkpoint::save(
            &run.checkpoints(),
            &model,
            &optimizer,
            &state,
            t.keep_checkpoints,
        )?;
        // The checkpoint now names the new best: the older one can go.
        if let (Some(old), Some(new)) = (previous_best, state.best)
            && old.epoch != new.epoch
        {
            let _ = std::fs::remove_file(run.best_model(old.epoch));
        }
        observer.event(Event::EpochFinished {
            record: &record,
            validation: validation.as_ref().map(|v| v.text.as_str()),
        });
    }
    board.flush();

    // The kept model, for `evaluate`, `features` and Python users.
    let (final_model, selected_epoch) = match (keep_best, state.best) {
        (true, Some(best)) => {
            let inference = config.backend.device().map_err(Error::Config)?;
            let file = run.best_model(best.epoch);
            (load_classifier(&config, &file, &inference)?, best.epoch)
        }
        _ => (model.valid(), state.epochs_done),
    };
    save_model(&final_model, &run.model())?;
    save_safetensors(&final_model, &run.model_safetensors())?;
    let report = task.evaluate(&final_model, "test", None)?;
    if let Some(units) = report.unit_predictions() {
        units.write(&run.test_predictions())?;
    }
    write_string_atomically(&run.final_metrics(), &report.json()?).at(run.final_metrics())?;
    observer.event(Event::Finished {
        seconds: started.elapsed().as_secs_f64(),
        run: &run.path,
        selected_epoch,
    });
    Ok(TrainOutcome { run, report })
}

/// Lists the skipped files in `<run>/skipped-files.tsv` (none: no file).
fn write_skipped(run: &RunDir, skipped: &[cochlea_data::SkippedClip]) -> Result<()> {
    let path = run.skipped_files();
    if skipped.is_empty() {
        return Ok(());
    }
    let mut text = String::from("audio\tlisted_in\treason\n");
    for s in skipped {
        let reason = s.reason.replace(['\t', '\n'], " ");
        text.push_str(&format!(
            "{}\t{}\t{reason}\n",
            s.audio.display(),
            s.listed_in
        ));
    }
    write_string_atomically(&path, &text).at(&path)
}

/// Writes `model` as burnpack to `path` atomically.
pub fn save_model(model: &Classifier, path: &Path) -> Result<()> {
    // burn names the file itself: keep the `.bpk` extension on the temporary.
    let tmp = temporary_sibling(path).with_extension("bpk");
    model
        .clone()
        .save_file(&tmp)
        .map_err(|e| Error::Other(format!("cannot write {}: {e}", path.display())))?;
    std::fs::rename(&tmp, path).at(path)
}

/// Writes the model as safetensors for Python (burn's tensor names), atomically.
pub fn save_safetensors(model: &Classifier, path: &Path) -> Result<()> {
    let tmp = temporary_sibling(path);
    let mut store = SafetensorsStore::from_file(&tmp).overwrite(true);
    model
        .save_into(&mut store)
        .map_err(|e| Error::Other(format!("cannot write {}: {e}", path.display())))?;
    std::fs::rename(&tmp, path).at(path)
}
