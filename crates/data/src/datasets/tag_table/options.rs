//! The `[data.tag_table]` options (see the parent module for the TOML shape).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// `[data.tag_table]`: the table file, its columns and how splits are given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagTableOptions {
    /// The table, relative to the dataset root.
    #[serde(default = "default_table")]
    pub table: PathBuf,
    /// The field separator.
    #[serde(default)]
    pub delimiter: Delimiter,
    /// The column with each clip's audio path.
    #[serde(default = "default_path_column")]
    pub path_column: String,
    /// The column with each clip's id; `None`: the id is the path as written.
    #[serde(default)]
    pub id_column: Option<String>,
    /// The column naming each clip's independent unit (say, the track or
    /// recording several clips were cut from), which comparisons resample as
    /// a whole; `None`: every clip is its own unit.
    #[serde(default)]
    pub group_column: Option<String>,
    /// The folder relative audio paths start from, relative to the dataset
    /// root; `None`: the root itself.
    #[serde(default)]
    pub audio_dir: Option<PathBuf>,
    /// Where the tags are.
    #[serde(default)]
    pub tags: TagSource,
    /// Where the splits are.
    #[serde(default)]
    pub split: SplitSource,
}

fn default_table() -> PathBuf {
    PathBuf::from("tags.csv")
}

fn default_path_column() -> String {
    "path".into()
}

fn default_tags_column() -> String {
    "tags".into()
}

fn default_separator() -> String {
    ";".into()
}

fn default_split_column() -> String {
    "split".into()
}

impl Default for TagTableOptions {
    fn default() -> Self {
        TagTableOptions {
            table: default_table(),
            delimiter: Delimiter::default(),
            path_column: default_path_column(),
            id_column: None,
            group_column: None,
            audio_dir: None,
            tags: TagSource::default(),
            split: SplitSource::default(),
        }
    }
}

/// The table's field separator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delimiter {
    /// From the file extension: `.csv` comma, `.tsv` or `.tab` TAB.
    #[default]
    Auto,
    /// `,`
    Comma,
    /// TAB
    Tab,
}

/// Where a table's tags are (`[data.tag_table.tags]`, chosen by `format`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "kebab-case", deny_unknown_fields)]
pub enum TagSource {
    /// One column per tag holding `0` or `1`.
    Columns {
        /// The tag columns, in vocabulary order; `None`: every column except
        /// the path, id and split columns, in header order.
        #[serde(default)]
        columns: Option<Vec<String>>,
    },
    /// One column listing each row's tags, e.g. `rock;guitar`.
    List {
        /// The list column.
        #[serde(default = "default_tags_column")]
        column: String,
        /// The text between two tags.
        #[serde(default = "default_separator")]
        separator: String,
    },
}

impl Default for TagSource {
    fn default() -> Self {
        TagSource::Columns { columns: None }
    }
}

/// Where a table's splits are (`[data.tag_table.split]`, chosen by `from`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case", deny_unknown_fields)]
pub enum SplitSource {
    /// A column with `train`, `valid` (`validation`, `val`) or `test`.
    Column {
        /// The split column.
        #[serde(default = "default_split_column")]
        column: String,
    },
    /// Split files listing one path or id per line, relative to the root.
    Files {
        /// The training clips.
        train: PathBuf,
        /// The validation clips; `None`: no validation split.
        #[serde(default)]
        valid: Option<PathBuf>,
        /// The test clips; `None`: no test split.
        #[serde(default)]
        test: Option<PathBuf>,
    },
}

impl Default for SplitSource {
    fn default() -> Self {
        SplitSource::Column {
            column: default_split_column(),
        }
    }
}
