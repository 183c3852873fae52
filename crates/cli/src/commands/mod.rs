//! One module per subcommand: each parses nothing itself (clap did), calls
//! the libraries and prints the result.

pub mod compare;
pub mod evaluate;
pub mod export;
pub mod features;
pub mod hubness;
pub mod inspect;
pub mod predict;
pub mod sweep;
pub mod synth;
pub mod train;
