//! `cochlea predict`: a run's model on audio files of any length; writes
//! each file's results and prints a line per file. A file that cannot be
//! read or decoded is reported and skipped, the others are predicted, and
//! the command then fails naming how many files it skipped.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};
use cochlea_trainer::RunDir;
use cochlea_trainer::predict_files::{Predictor, Summary};
use cochlea_trainer::predict_inputs::resolve_inputs;

/// Runs `cochlea predict`.
pub fn run(run: PathBuf, inputs: &[PathBuf], out: Option<PathBuf>) -> Result<()> {
    let run = RunDir::new(run);
    let files = resolve_inputs(inputs)?;
    let predictor = Predictor::open(&run)?;
    for warning in predictor.warnings() {
        eprintln!("warning: {warning}");
    }
    let out = out.unwrap_or_else(|| run.path.join("predictions"));
    eprintln!(
        "predicting {} file{} ({}) into {}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        predictor.describe(),
        out.display()
    );
    let mut failed = 0;
    for input in &files {
        let started = Instant::now();
        match predictor.predict(input, &out) {
            Ok(result) => {
                let found = match &result.summary {
                    Summary::Voice {
                        frames,
                        sung_fraction,
                        sung_segments,
                    } => format!(
                        "{frames} frames, {:.1} % sung in {sung_segments} segment{}",
                        100.0 * sung_fraction,
                        if *sung_segments == 1 { "" } else { "s" }
                    ),
                    Summary::Tags { chunks, top } => format!(
                        "{chunks} chunk{}, top tags: {}",
                        if *chunks == 1 { "" } else { "s" },
                        top.iter()
                            .map(|(tag, score)| format!("{tag} {score:.3}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                println!(
                    "{}: {:.1} s of audio in {:.1} s; {found} -> {}",
                    input.audio.display(),
                    result.seconds,
                    started.elapsed().as_secs_f64(),
                    result
                        .outputs
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {}: {e}", input.audio.display());
            }
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} files could not be predicted (see above); the others were written",
            files.len()
        );
    }
    Ok(())
}
