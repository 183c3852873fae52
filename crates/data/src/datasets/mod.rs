//! Dataset layouts: one file per layout, each listing a split's files and
//! labels as they are distributed.

pub mod jamendo;

pub use jamendo::{JamendoDataset, SongFiles};
