//! Controlled label noise (`[label_noise]`): artificial corruption of the
//! training (and, on request, validation) labels, never the test labels,
//! for experiments on how much noise a model tolerates (Prinz, Flexer &
//! Widmer 2020; reference/LITERATURE.md §3).
//!
//! The corruption is a pure function of the clean labels, the config, the
//! split and each item's identity ([`draws`]): the same noise seed gives the
//! same corruption whatever the training seed, and `evaluate` re-derives
//! exactly what training used.
//!
//! - [`config`]: the `[label_noise]` section and its checks;
//! - [`tags`]: tagging kinds on a [`TaggedDataset`]'s flags
//!   ([`corrupt_tagged`] also builds the record);
//! - [`segments`]: singing-voice kinds on a song's `.lab` segments (applied
//!   by [`crate::load_songs`] before frame labels are made);
//! - [`audit`], [`audit_text`]: what was requested and achieved;
//! - [`tag_files`], [`lab_files`]: the corrupted labels in the dataset's own
//!   format, changed lines only;
//! - [`record`]: what a run directory keeps (`label-noise/`).

pub mod audit;
pub mod audit_text;
pub mod config;
pub(crate) mod draws;
pub(crate) mod lab_files;
pub mod record;
pub(crate) mod segments;
pub(crate) mod tag_files;
pub mod tags;

#[cfg(test)]
mod rate_tests;
#[cfg(test)]
mod round_trip_tests;

pub use audit::{NoiseAudit, SongSplitAudit, SplitAudit, TagFlips, TagSplitAudit};
pub use audit_text::render_audit;
pub use config::{LabelNoiseConfig, NoiseKind, NoiseTarget};
pub use record::{LabelFile, LabelNoiseRecord, NoisySongSplit};

use crate::data_config::DataConfig;
use crate::datasets::TaggedDataset;
use crate::error::Result;

/// A tagging dataset with its corrupted splits, and the run's record of it.
pub struct NoisyTagged {
    /// The clips with the corrupted flags (the test split clean).
    pub dataset: TaggedDataset,
    /// The audit and the label files.
    pub record: LabelNoiseRecord,
}

/// Corrupts the flags of `clean` (read from `data`) as `config` says.
pub fn corrupt_tagged(
    clean: &TaggedDataset,
    config: &LabelNoiseConfig,
    data: &DataConfig,
) -> Result<NoisyTagged> {
    let (dataset, per_split) = tags::corrupt_tag_flags(clean, config)?;
    let record = LabelNoiseRecord::for_tags(config, data, clean, &dataset, per_split)?;
    Ok(NoisyTagged { dataset, record })
}
