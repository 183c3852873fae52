//! A run's training time: the sum of the `seconds` of its epoch records in
//! `metrics.jsonl` (training and validation of each epoch). A run that was
//! interrupted and resumed keeps the records of the epochs its checkpoint
//! covers, so it still reports the time its epochs took; data loading and
//! the final evaluation are not included.

use cochlea_trainer::RunDir;
use cochlea_trainer::epoch_log;

use crate::error::Result;

/// Seconds the epochs of `run` took (0 for a run without epochs).
pub fn train_seconds(run: &RunDir) -> Result<f64> {
    Ok(epoch_log::read(&run.epoch_log())?
        .iter()
        .map(|r| r.seconds)
        .sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epochs_seconds_are_summed() {
        let tmp = tempfile::tempdir().unwrap();
        let run = RunDir::new(tmp.path());
        assert_eq!(train_seconds(&run).unwrap(), 0.0);
        let line = |epoch: usize, seconds: f64| {
            format!(
                "{{\"epoch\":{epoch},\"learning_rate\":0.001,\"train_loss\":0.5,\"valid\":{{}},\
                 \"excerpts_per_second\":10.0,\"seconds\":{seconds}}}\n"
            )
        };
        std::fs::write(run.epoch_log(), line(1, 1.5) + &line(2, 2.25)).unwrap();
        assert_eq!(train_seconds(&run).unwrap(), 3.75);
    }
}
