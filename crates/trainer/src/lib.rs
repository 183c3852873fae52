//! Training, evaluation and feature extraction driven by experiment configs.
//!
//! The engine ([`train`]) runs any [`tasks::Task`]; the run directory
//! ([`run`]) is the interface between `train`, `evaluate`, `predict`,
//! `features`, `inspect` and `export`. Long recordings stream through the
//! frontend and network in windows ([`frame_windows`], [`frame_stream`],
//! [`predict`], [`chunk_stream`]) in bounded memory. Nothing here prints:
//! training reports [`events`] to an
//! observer that the binary provides.

pub mod backend;
pub mod checkpoint;
pub mod chunk_stream;
pub mod config;
pub mod embeddings;
pub mod epoch_log;
pub mod error;
pub mod evaluate;
pub mod events;
pub mod export;
pub mod export_import;
pub mod export_sidecar;
pub mod export_weights;
pub mod features;
pub mod filter_plot;
pub mod frame_stream;
pub mod frame_windows;
pub mod framing;
pub mod inspect;
pub mod learning_rate;
pub mod loss;
pub mod metrics;
pub mod npy;
pub mod plot_style;
pub mod predict;
pub mod predict_files;
pub mod predict_inputs;
pub mod run;
pub mod seeds;
pub mod tasks;
pub mod tensorboard;
pub mod train;
pub mod unit_predictions;

pub use backend::Backend;
pub use config::ExperimentConfig;
pub use error::{Error, Result};
pub use run::RunDir;
