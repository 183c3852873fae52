//! Dataset layouts: one file per layout, each reading a split's files and
//! labels as they are distributed. Singing voice: [`jamendo`]. Tagging:
//! [`magnatagatune`], [`mtg_jamendo`] and [`tag_table`], which all return a
//! [`TaggedDataset`].

pub(crate) mod delimited;
pub mod jamendo;
pub mod magnatagatune;
pub mod mtg_jamendo;
mod split_files;
pub mod tag_table;
pub mod tagged;

pub use jamendo::{JamendoDataset, SongFiles};
pub use magnatagatune::MagnaTagATuneOptions;
pub use mtg_jamendo::{MtgJamendoOptions, MtgJamendoSubset};
pub use tag_table::{Delimiter, SplitSource, TagSource, TagTableOptions};
pub use tagged::{RowOrigin, TaggedClip, TaggedDataset};

#[cfg(test)]
pub(crate) mod test_fixtures;
