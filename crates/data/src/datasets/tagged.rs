//! The common output of the tagging dataset readers
//! ([`magnatagatune`](super::magnatagatune), [`mtg_jamendo`](super::mtg_jamendo),
//! [`tag_table`](super::tag_table)): a tag vocabulary and, for each of the
//! three splits, the clips with one boolean per tag.

use std::path::{Path, PathBuf};

/// Where a clip's row came from (for error messages later, e.g. unreadable audio).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowOrigin {
    /// The table (or split file) the clip was read from.
    pub file: PathBuf,
    /// 1-based line number of the clip's row in `file`.
    pub line: usize,
}

/// One clip of a tagging dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaggedClip {
    /// The clip's identifier in its dataset (MTAT `clip_id`, MTG-Jamendo
    /// `TRACK_ID`, or the generic table's id or path column).
    pub id: String,
    /// The independent unit the clip belongs to, which comparisons resample
    /// as a whole: the track it was cut from (MTAT: the `mp3_path` without
    /// its `-<start>-<end>` suffix; MTG-Jamendo: the track), or the generic
    /// table's group column; the clip's own id when nothing groups clips.
    pub group: String,
    /// The audio file: absolute, or joined onto the dataset's root/audio folder.
    pub audio: PathBuf,
    /// One flag per [`TaggedDataset::tags`] entry, in the same order.
    pub tags: Vec<bool>,
    /// The row the clip was read from.
    pub origin: RowOrigin,
}

/// A tagging dataset: tag names and the clips of each split.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaggedDataset {
    /// The tag vocabulary; every clip's `tags` has this length.
    pub tags: Vec<String>,
    /// Training clips, in file order.
    pub train: Vec<TaggedClip>,
    /// Validation clips, in file order.
    pub valid: Vec<TaggedClip>,
    /// Test clips, in file order.
    pub test: Vec<TaggedClip>,
}

impl TaggedDataset {
    /// The clips of split `name` (`"train"`, `"valid"` or `"test"`); `None`
    /// for any other name.
    pub fn split(&self, name: &str) -> Option<&[TaggedClip]> {
        SplitName::parse(name).map(|s| self.clips(s))
    }

    /// The clips of one split.
    pub(crate) fn clips(&self, split: SplitName) -> &[TaggedClip] {
        match split {
            SplitName::Train => &self.train,
            SplitName::Valid => &self.valid,
            SplitName::Test => &self.test,
        }
    }

    /// The clips of one split, mutable.
    pub(crate) fn clips_mut(&mut self, split: SplitName) -> &mut Vec<TaggedClip> {
        match split {
            SplitName::Train => &mut self.train,
            SplitName::Valid => &mut self.valid,
            SplitName::Test => &mut self.test,
        }
    }
}

/// The three splits every tagging dataset has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum SplitName {
    Train,
    Valid,
    Test,
}

impl SplitName {
    /// All three, in the order train, valid, test.
    pub(crate) const ALL: [SplitName; 3] = [SplitName::Train, SplitName::Valid, SplitName::Test];

    /// `"train"`, `"valid"` or `"test"` (exactly).
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "train" => Some(SplitName::Train),
            "valid" => Some(SplitName::Valid),
            "test" => Some(SplitName::Test),
            _ => None,
        }
    }
}

/// `path` if absolute, else `base/path`.
pub(crate) fn resolve(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_owned()
    } else {
        base.join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(id: &str) -> TaggedClip {
        TaggedClip {
            id: id.into(),
            group: id.into(),
            audio: PathBuf::from(format!("{id}.mp3")),
            tags: vec![true],
            origin: RowOrigin {
                file: "t.csv".into(),
                line: 2,
            },
        }
    }

    #[test]
    fn split_by_name() {
        let ds = TaggedDataset {
            tags: vec!["rock".into()],
            train: vec![clip("a"), clip("b")],
            valid: vec![clip("c")],
            test: vec![],
        };
        assert_eq!(ds.split("train").map(<[_]>::len), Some(2));
        assert_eq!(ds.split("valid").unwrap()[0].id, "c");
        assert_eq!(ds.split("test").map(<[_]>::len), Some(0));
        assert!(ds.split("validation").is_none());
        assert!(ds.split("Train").is_none());
    }

    #[test]
    fn resolve_keeps_absolute_paths() {
        assert_eq!(
            resolve(Path::new("/r"), Path::new("a/b.mp3")),
            PathBuf::from("/r/a/b.mp3")
        );
        assert_eq!(
            resolve(Path::new("/r"), Path::new("/x/b.mp3")),
            PathBuf::from("/x/b.mp3")
        );
    }
}
