//! `cochlea`: train and evaluate audio classifiers with learnable frontends.
//!
//! The binary parses arguments, calls the library crates (one module per
//! subcommand in `commands/`) and prints; every error is printed with its
//! context and the process exits with status 1.

mod commands;
mod progress;
mod sweep_progress;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use cochlea_data::synth::{SynthSvdOptions, SynthTaggingOptions};

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
    /// Train every point of an experiment's [sweep] grid, then tabulate and plot the results.
    Sweep {
        /// Experiment config (.toml) with a [sweep] section.
        config: PathBuf,
        /// Sweep folder (default: runs/<config>-sweep; running the same command again continues it).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override a config value in every point: --set train.epochs=2 (TOML values; repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Train every variant of an experiment's [compare] with every seed, then test the differences.
    Compare {
        /// Experiment config (.toml) with a [compare] section.
        config: PathBuf,
        /// Comparison folder (default: runs/<config>-compare; running the same command again continues it).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override a config value in every run: --set train.epochs=2 (TOML values; repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Evaluate a trained run on a dataset split (its task's protocol).
    Evaluate {
        /// Run directory written by `cochlea train`.
        run: PathBuf,
        /// Dataset folder (default: the run's own dataset).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Split to evaluate.
        #[arg(long, default_value = "test")]
        split: String,
        /// Where to write the JSON report (default: <run>/evaluation-<split>.json, or
        /// <run>/evaluation-<dataset folder name>-<split>.json with --data).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Hubness of a trained run's embeddings on a split (k-occurrence skewness, hub and
    /// anti-hub occurrence, Robin Hood and Gini indices, k-NN figures), before and after
    /// Mutual Proximity (empiric and Gaussian) and local scaling.
    Hubness {
        /// Run directory written by `cochlea train`.
        run: PathBuf,
        /// Dataset folder of the same layout (default: the run's own dataset).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Split whose items are embedded.
        #[arg(long, default_value = "test")]
        split: String,
        /// Embedding: penultimate (the backbone's output) or frontend (features averaged over time).
        #[arg(long, default_value = "penultimate")]
        layer: String,
        /// Neighbours per item.
        #[arg(short = 'k', default_value_t = 10)]
        k: usize,
        /// Distance: euclidean or cosine.
        #[arg(long, default_value = "euclidean")]
        metric: String,
        /// Singing voice: seconds between the starts of embedded excerpts.
        #[arg(long, default_value_t = 1.0)]
        spacing: f64,
        /// Most items analysed; more are subsampled evenly (exact Mutual Proximity costs n^3).
        #[arg(long, default_value_t = 5000)]
        max_items: usize,
        /// Where to write the JSON report (default: <run>/hubness-<split>-<layer>.json).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Predict audio files of any length with a trained run (singing voice: frame
    /// probabilities and .lab segments; tagging: tag scores per chunk and per file).
    Predict {
        /// Run directory written by `cochlea train`.
        run: PathBuf,
        /// Audio files, folders (searched recursively) or file lists (.txt, .lst, .list,
        /// .m3u: one path per line, relative to the list's folder).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output folder (default: <run>/predictions); results mirror the inputs'
        /// folders below it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Export a trained run's model for PyTorch: safetensors weights and a JSON sidecar.
    Export {
        /// Run directory written by `cochlea train`.
        run: PathBuf,
        /// Weights file to write (.safetensors); the sidecar goes beside it as .json.
        #[arg(long)]
        out: PathBuf,
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
    /// Multi-label music tagging dataset in the MagnaTagATune layout (WAV files).
    Tagging {
        /// Folder to create (must not exist or be empty).
        dir: PathBuf,
        /// Generator seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of clips (at least 16, one per folder 0..f).
        #[arg(long, default_value_t = 800)]
        clips: usize,
        /// Length of every clip in seconds (MagnaTagATune's: 29.1).
        #[arg(long, default_value_t = 29.1)]
        clip_seconds: f64,
    },
}

fn main() -> ExitCode {
    cochlea_frontend::heap::keep_freed_memory();
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
        } => commands::train::run(config, out, &set, resume),
        Command::Sweep { config, out, set } => commands::sweep::run(&config, out, &set),
        Command::Compare { config, out, set } => commands::compare::run(&config, out, &set),
        Command::Hubness {
            run,
            data,
            split,
            layer,
            k,
            metric,
            spacing,
            max_items,
            out,
        } => {
            let Some(layer) = cochlea_trainer::embeddings::EmbeddingLayer::parse(&layer) else {
                anyhow::bail!("--layer {layer:?}: use penultimate or frontend");
            };
            let settings = cochlea_analysis::hubness::report::HubnessSettings {
                k,
                metric: commands::hubness::metric(&metric)?,
                max_items,
                ..Default::default()
            };
            let request = cochlea_analysis::hubness_run::HubnessRequest {
                run,
                data,
                split,
                layer,
                spacing,
                settings,
            };
            commands::hubness::run(request, out)
        }
        Command::Evaluate {
            run,
            data,
            split,
            out,
        } => commands::evaluate::run(run, data, &split, out),
        Command::Export { run, out } => commands::export::run(run, &out),
        Command::Predict { run, inputs, out } => commands::predict::run(run, &inputs, out),
        Command::Features {
            source,
            audio,
            out,
            set,
        } => commands::features::run(source, audio, out, &set),
        Command::Inspect { run, filters } => commands::inspect::run(run, filters),
        Command::Synth {
            kind:
                SynthKind::Tagging {
                    dir,
                    seed,
                    clips,
                    clip_seconds,
                },
        } => commands::synth::tagging(
            &dir,
            &SynthTaggingOptions {
                seed,
                clips,
                clip_seconds,
                ..SynthTaggingOptions::default()
            },
        ),
        Command::Synth {
            kind:
                SynthKind::Svd {
                    dir,
                    seed,
                    songs,
                    min_seconds,
                    max_seconds,
                },
        } => commands::synth::svd(
            &dir,
            &SynthSvdOptions {
                seed,
                songs,
                min_seconds,
                max_seconds,
                ..SynthSvdOptions::default()
            },
        ),
    }
}
