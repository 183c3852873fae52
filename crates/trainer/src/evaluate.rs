//! `cochlea evaluate`: the run's kept model evaluated on a split by its
//! task's protocol, on the run's own dataset or another folder of the same
//! layout.
//!
//! The report goes to `<run>/evaluation-<split>.json` for the run's own
//! dataset and to `<run>/evaluation-<dataset>-<split>.json` for another
//! (`--data`; `<dataset>` is the folder's name), so that evaluating several
//! datasets keeps every report ([`report_path`]); `--out` writes it
//! anywhere else.

use std::path::{Path, PathBuf};

use cochlea_data::DataError;

use cochlea_model::Classifier;

use crate::config::ExperimentConfig;
use crate::error::{Error, IoContext, Result};
use crate::run::RunDir;
use crate::tasks::Report;

/// Evaluates the final model of `run` on `split` of `data` (default: the
/// run's own dataset).
pub fn evaluate_run(run: &RunDir, data: Option<&Path>, split: &str) -> Result<Box<dyn Report>> {
    let (config, model) = load_run_on(run, data)?;
    let previous = std::fs::read_to_string(run.final_metrics()).ok();
    let task = config.task.build(&config.data, config.label_noise.as_ref());
    task.evaluate(&model, split, previous.as_deref())
}

/// The run's config and kept model (in inference mode), the config's
/// dataset replaced by the folder `data` if given (same layout).
pub fn load_run_on(run: &RunDir, data: Option<&Path>) -> Result<(ExperimentConfig, Classifier)> {
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
    Ok((config, model))
}

pub fn report_path(run: &RunDir, data: Option<&Path>, split: &str) -> Result<PathBuf> {
    let name = match data {
        None => format!("evaluation-{split}.json"),
        Some(d) => {
            let folder = std::fs::canonicalize(d).at(d)?;
            let dataset = folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "root".into());
            format!("evaluation-{dataset}-{split}.json")
        }
    };
    Ok(run.path.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_named_after_their_dataset() {
        let tmp = tempfile::tempdir().unwrap();
        let run = RunDir::new(tmp.path().join("run"));
        std::fs::create_dir_all(tmp.path().join("sets/jamendo")).unwrap();
        std::fs::create_dir_all(tmp.path().join("other/jamendo-live")).unwrap();
        assert_eq!(
            report_path(&run, None, "test").unwrap(),
            run.path.join("evaluation-test.json")
        );
        let a = report_path(&run, Some(&tmp.path().join("sets/jamendo/")), "test").unwrap();
        assert_eq!(a, run.path.join("evaluation-jamendo-test.json"));
        let b = report_path(
            &run,
            Some(&tmp.path().join("sets/../other/jamendo-live")),
            "test",
        );
        assert_eq!(
            b.unwrap(),
            run.path.join("evaluation-jamendo-live-test.json")
        );
        let err = report_path(&run, Some(&tmp.path().join("missing")), "test").unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
    }
}
