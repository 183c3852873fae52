//! Training, evaluation and feature extraction driven by experiment configs.

pub mod atomic;
pub mod backend;
pub mod checkpoint;
pub mod config;
pub mod error;
pub mod evaluate;
pub mod features;
pub mod filter_plot;
pub mod inspect;
pub mod learning_rate;
pub mod loss;
pub mod metrics;
pub mod npy;
pub mod predict;
pub mod progress;
pub mod run;
pub mod sampler;
pub mod songs;
pub mod tensorboard;
pub mod train;

pub use backend::Backend;
pub use config::ExperimentConfig;
pub use error::{Error, Result};
pub use run::RunDir;
