//! `cochlea evaluate`: the run's kept model evaluated on a split by its
//! task's protocol, on the run's own dataset or another folder of the same
//! layout.

use std::path::Path;

use cochlea_data::DataError;

use crate::error::{Error, Result};
use crate::run::RunDir;
use crate::tasks::Report;

/// Evaluates the final model of `run` on `split` of `data` (default: the
/// run's own dataset).
pub fn evaluate_run(run: &RunDir, data: Option<&Path>, split: &str) -> Result<Box<dyn Report>> {
    let mut config = run.load_config()?;
    let device = config.backend.device().map_err(Error::Config)?;
    let model = run.load_model(&config, &device)?;
    if let Some(d) = data {
        if !d.is_dir() {
            return Err(Error::Data(DataError::MissingDatasetFolder {
                path: d.to_path_buf(),
                what: "dataset root",
            }));
        }
        config.data.root = d.to_path_buf();
        config.data.synthetic = None;
        config.data.cache_dir = None;
        config.resolve_paths()?;
    }
    let previous = std::fs::read_to_string(run.final_metrics()).ok();
    let task = config.task.build(&config.data, config.label_noise.as_ref());
    task.evaluate(&model, split, previous.as_deref())
}
