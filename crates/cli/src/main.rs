//! `cochlea`: train and evaluate audio classifiers with learnable frontends.
//!
//! The binary only parses arguments and calls the library crates; every
//! error is printed with its context and the process exits with status 1.

mod heap;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use cochlea_data::synth::{SynthSvdOptions, generate_svd};
use cochlea_trainer::{ExperimentConfig, RunDir, train};

#[derive(Parser)]
#[command(
    name = "cochlea",
    version,
    about = "Audio classifiers with learnable frontends"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a model from an experiment config, then evaluate it on the test split.
    Train {
        /// Experiment config (.toml); omit with --resume.
        config: Option<PathBuf>,
        /// Run directory to create (default: runs/<config>-<time>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override a config value: --set train.epochs=2 (TOML values; repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Continue an interrupted run from its newest checkpoint.
        #[arg(long, value_name = "RUN_DIR", conflicts_with_all = ["config", "out", "set"])]
        resume: Option<PathBuf>,
    },
    /// Evaluate a trained run on a dataset split (SVD protocol).
    Evaluate {
        /// Run directory written by `cochlea train`.
        run: PathBuf,
        /// Dataset folder (default: the run's own dataset).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Split to evaluate.
        #[arg(long, default_value = "test")]
        split: String,
        /// Where to write the JSON report (default: <run>/evaluation-<split>.json).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a frontend's output for one audio file as a [bands, frames] float32 .npy.
    Features {
        /// An experiment config (.toml) or a trained run directory.
        source: PathBuf,
        /// The audio file.
        audio: PathBuf,
        /// Output .npy file.
        #[arg(long)]
        out: PathBuf,
        /// Override a config value (only with a config file).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Summarise a run: settings, epochs, test metrics, filters before vs after training.
    Inspect {
        /// Run directory written by `cochlea train`.
        run: PathBuf,
        /// Also plot the filters before vs after training to this SVG file.
        #[arg(long, value_name = "OUT.svg")]
        filters: Option<PathBuf>,
    },
    /// Generate a synthetic dataset.
    Synth {
        #[command(subcommand)]
        kind: SynthKind,
    },
}

#[derive(Subcommand)]
enum SynthKind {
    /// Singing voice detection dataset in the Jamendo layout.
    Svd {
        /// Folder to create (must not exist or be empty).
        dir: PathBuf,
        /// Generator seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of songs (at least 3).
        #[arg(long, default_value_t = 24)]
        songs: usize,
        /// Shortest song in seconds.
        #[arg(long, default_value_t = 30.0)]
        min_seconds: f64,
        /// Longest song in seconds.
        #[arg(long, default_value_t = 60.0)]
        max_seconds: f64,
    },
}

fn main() -> ExitCode {
    heap::keep_freed_memory();
    // burn materialises restored optimizer state on its default device, which
    // is wgpu whenever that feature is compiled in; keep it on the CPU (it
    // moves to each parameter's device at the next step). Set before any
    // thread starts.
    #[cfg(feature = "wgpu")]
    if std::env::var_os("BURN_DEVICE").is_none() {
        // SAFETY: single-threaded at this point.
        unsafe { std::env::set_var("BURN_DEVICE", "flex") };
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The causes, except those the message already quotes (errors
            // such as "I/O error on <file>: <cause>" include their source).
            let mut message = e.to_string();
            for cause in e.chain().skip(1) {
                let cause = cause.to_string();
                if !message.contains(&cause) {
                    message = format!("{message}: {cause}");
                }
            }
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Train {
            config,
            out,
            set,
            resume,
        } => {
            if let Some(run_dir) = resume {
                train::resume(RunDir::new(run_dir))?;
                return Ok(());
            }
            let Some(path) = config else {
                bail!(
                    "give an experiment config (e.g. experiments/quickstart.toml) or --resume <run-dir>"
                );
            };
            let config = ExperimentConfig::load(&path, &set)?;
            let run = out
                .map(RunDir::new)
                .unwrap_or_else(|| RunDir::fresh_default(&path));
            eprintln!("run directory: {}", run.path.display());
            train::train_new(config, run)?;
        }
        Command::Evaluate {
            run,
            data,
            split,
            out,
        } => {
            let run = RunDir::new(run);
            let evaluation =
                cochlea_trainer::evaluate::evaluate_run(&run, data.as_deref(), &split)?;
            let path = out.unwrap_or_else(|| run.path.join(format!("evaluation-{split}.json")));
            let json = serde_json::to_string_pretty(&evaluation)?;
            cochlea_trainer::atomic::write_string_atomically(&path, &json)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("{}", cochlea_trainer::evaluate::render_table(&evaluation));
            eprintln!(
                "predicted {:.0} s of audio in {:.1} s; report written to {}",
                evaluation.audio_seconds,
                evaluation.predict_seconds,
                path.display()
            );
        }
        Command::Features {
            source,
            audio,
            out,
            set,
        } => {
            let f = cochlea_trainer::features::extract(&source, &set, &audio, &out)?;
            eprintln!(
                "wrote {} ({} bands x {} frames, {})",
                out.display(),
                f.bands,
                f.frames,
                if f.standardized {
                    "standardised with the run's training statistics"
                } else {
                    "not standardised: no training statistics in a config"
                }
            );
        }
        Command::Inspect { run, filters } => {
            let inspection = cochlea_trainer::inspect::inspect(&RunDir::new(run))?;
            print!("{}", inspection.render());
            if let Some(path) = filters {
                cochlea_trainer::filter_plot::write_filter_plot(
                    &inspection.before,
                    &inspection.after,
                    &path,
                )?;
                eprintln!("filter plot written to {}", path.display());
            }
        }
        Command::Synth {
            kind:
                SynthKind::Svd {
                    dir,
                    seed,
                    songs,
                    min_seconds,
                    max_seconds,
                },
        } => {
            let opts = SynthSvdOptions {
                seed,
                songs,
                min_seconds,
                max_seconds,
                ..SynthSvdOptions::default()
            };
            let summary = generate_svd(&dir, &opts)
                .with_context(|| format!("cannot generate a dataset in {}", dir.display()))?;
            eprintln!(
                "wrote {} songs ({:.0} s, {:.1} % sung) to {}",
                songs,
                summary.total_seconds(),
                100.0 * summary.sung_fraction(),
                dir.display()
            );
        }
    }
    Ok(())
}
