use super::*;
use crate::datasets::test_fixtures as fixtures;
use crate::testdir::TestDir;

fn options(top_tags: usize) -> MagnaTagATuneOptions {
    MagnaTagATuneOptions {
        top_tags,
        ..MagnaTagATuneOptions::default()
    }
}

/// A dataset folder with `annotations_final.csv` = the quoted, CRLF rows
/// (header `clip_id`, `no voice`, `singer`, `mp3_path`), and audio files for
/// every mp3 path in `audio`.
fn dataset(tag: &str, rows: &[&str], audio: &[&str]) -> TestDir {
    let root = TestDir::new(&format!("mtat-{tag}"));
    let mut text = String::from("\"clip_id\"\t\"no voice\"\t\"singer\"\t\"mp3_path\"\r\n");
    for row in rows {
        let quoted: Vec<String> = row.split('\t').map(|f| format!("\"{f}\"")).collect();
        text.push_str(&quoted.join("\t"));
        text.push_str("\r\n");
    }
    std::fs::write(root.join("annotations_final.csv"), text).unwrap();
    for a in audio {
        let p = root.join(a);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"").unwrap();
    }
    root
}

fn error(root: &Path, options: &MagnaTagATuneOptions) -> (String, String) {
    let path = root.join("annotations_final.csv").display().to_string();
    (open(root, options).unwrap_err().to_string(), path)
}

#[test]
fn fixture_top3_breaks_the_tie_by_column_order_and_drops_clips() {
    let root = fixtures::root("magnatagatune");
    let ds = open(&root, &options(3)).unwrap();
    // harpsichord 5, no voice 4, then singer and sitar both 3: singer comes first in the file.
    assert_eq!(ds.tags, ["harpsichord", "no voice", "singer"]);
    assert_eq!((ds.train.len(), ds.valid.len(), ds.test.len()), (4, 1, 3));
    fixtures::assert_expected(&ds, "magnatagatune_top3", &root);
    // Clip 19 (c/, only `sitar`) and 29 (0/, no tag) are dropped; 35644 is a known-empty mp3.
    let all: Vec<&str> = ds
        .train
        .iter()
        .chain(&ds.valid)
        .chain(&ds.test)
        .map(|c| c.id.as_str())
        .collect();
    assert!(!all.contains(&"19") && !all.contains(&"29") && !all.contains(&"35644"));
    let first = &ds.test[0];
    assert_eq!(first.id, "2");
    assert_eq!(first.tags, [true, false, true]);
    assert_eq!(
        first.origin,
        RowOrigin {
            file: root.join("annotations_final.csv"),
            line: 2
        }
    );
}

#[test]
fn fixture_all_tags_keeps_the_sitar_clip() {
    let root = fixtures::root("magnatagatune");
    let ds = open(&root, &options(12)).unwrap();
    assert_eq!(ds.tags.len(), 12);
    assert_eq!((ds.train.len(), ds.valid.len(), ds.test.len()), (4, 2, 3));
    fixtures::assert_expected(&ds, "magnatagatune_top12", &root);
}

#[test]
fn audio_dir_is_relative_to_the_root() {
    let root = dataset("audio-dir", &["7\t1\t0\tc/x.mp3"], &["mp3/c/x.mp3"]);
    let opts = MagnaTagATuneOptions {
        audio_dir: Some("mp3".into()),
        top_tags: 1,
        ..MagnaTagATuneOptions::default()
    };
    let ds = open(&root, &opts).unwrap();
    assert_eq!(ds.valid[0].audio, root.join("mp3/c/x.mp3"));
    // Without audio_dir the file is looked for under the root.
    let (msg, path) = error(&root, &options(1));
    assert!(msg.starts_with(&format!("{path}:2: audio file")), "{msg}");
    assert!(
        msg.contains(&root.join("c/x.mp3").display().to_string()),
        "{msg}"
    );
}

#[test]
fn options_from_toml() {
    let o: MagnaTagATuneOptions = toml::from_str("top_tags = 10").unwrap();
    assert_eq!(
        o,
        MagnaTagATuneOptions {
            top_tags: 10,
            ..MagnaTagATuneOptions::default()
        }
    );
    assert_eq!(o.annotations, PathBuf::from("annotations_final.csv"));
    let err = toml::from_str::<MagnaTagATuneOptions>("top_tag = 10").unwrap_err();
    assert!(err.to_string().contains("top_tag"), "{err}");
}

#[test]
fn top_tags_out_of_range() {
    let root = dataset("top", &["7\t1\t0\tc/x.mp3"], &["c/x.mp3"]);
    let msg = open(&root, &options(0)).unwrap_err().to_string();
    assert!(msg.contains("[data.magnatagatune] top_tags = 0"), "{msg}");
    let msg = open(&root, &options(50)).unwrap_err().to_string();
    assert!(
        msg.contains("top_tags = 50") && msg.contains("only 2 tag columns"),
        "{msg}"
    );
}

#[test]
fn wrong_field_count_names_line_and_counts() {
    let root = dataset(
        "fields",
        &["7\t1\t0\tc/x.mp3", "8\t1\tc/y.mp3"],
        &["c/x.mp3", "c/y.mp3"],
    );
    let (msg, path) = error(&root, &options(1));
    assert!(
        msg.starts_with(&format!(
            "{path}:3: the row has 3 fields but the header (line 1) has 4"
        )),
        "{msg}"
    );
}

#[test]
fn non_binary_tag_names_line_and_column() {
    let root = dataset(
        "value",
        &["7\t1\t0\tc/x.mp3", "8\t1\tyes\tc/y.mp3"],
        &["c/x.mp3", "c/y.mp3"],
    );
    let (msg, path) = error(&root, &options(1));
    assert!(
        msg.starts_with(&format!(
            "{path}:3: column 'singer': 'yes' is not a tag flag"
        )),
        "{msg}"
    );
}

#[test]
fn missing_header_columns() {
    for (header, missing) in [
        ("\"id\"\t\"singer\"\t\"mp3_path\"", "clip_id"),
        ("\"clip_id\"\t\"singer\"\t\"path\"", "mp3_path"),
    ] {
        let root = TestDir::new("mtat-header");
        std::fs::write(
            root.join("annotations_final.csv"),
            format!("{header}\r\n\"1\"\t\"1\"\t\"c/x.mp3\"\r\n"),
        )
        .unwrap();
        let (msg, path) = error(&root, &options(1));
        assert!(
            msg.starts_with(&format!("{path}:1: the header has no column '{missing}'")),
            "{msg}"
        );
    }
    let root = TestDir::new("mtat-empty");
    std::fs::write(root.join("annotations_final.csv"), "\r\n").unwrap();
    let (msg, path) = error(&root, &options(1));
    assert!(msg.starts_with(&format!("{path} is empty")), "{msg}");
}

#[test]
fn mp3_path_outside_the_sixteen_folders() {
    for bad in ["g/x.mp3", "x.mp3", "C/x.mp3", "0/"] {
        let root = dataset(
            "folder",
            &["7\t1\t0\tc/x.mp3", &format!("8\t1\t0\t{bad}")],
            &["c/x.mp3"],
        );
        let (msg, path) = error(&root, &options(1));
        assert!(
            msg.starts_with(&format!(
                "{path}:3: mp3_path '{bad}' is not in one of the folders"
            )),
            "{msg}"
        );
    }
}

#[test]
fn empty_mp3_path_and_duplicate_clip_id() {
    let root = dataset("empty", &["7\t1\t0\t"], &[]);
    let (msg, path) = error(&root, &options(1));
    assert!(
        msg.starts_with(&format!("{path}:2: column 'mp3_path' is empty")),
        "{msg}"
    );

    let root = dataset(
        "dup",
        &["7\t1\t0\tc/x.mp3", "7\t0\t1\td/y.mp3"],
        &["c/x.mp3", "d/y.mp3"],
    );
    let (msg, path) = error(&root, &options(1));
    assert!(
        msg.starts_with(&format!("{path}:3: '7' is already listed at {path}:2")),
        "{msg}"
    );
}

#[test]
fn missing_audio_names_table_line_and_path() {
    let root = dataset(
        "audio",
        &["7\t1\t0\tc/x.mp3", "8\t0\t1\tf/y.mp3"],
        &["c/x.mp3"],
    );
    let (msg, path) = error(&root, &options(2));
    let audio = root.join("f/y.mp3").display().to_string();
    assert!(
        msg.starts_with(&format!("{path}:3: audio file {audio} does not exist")),
        "{msg}"
    );
    // A clip without any kept tag is dropped before its audio is looked for.
    let ds = open(&root, &options(1)).unwrap();
    assert_eq!(ds.tags, ["no voice"]);
    assert_eq!(ds.valid.len() + ds.test.len(), 1);
}

#[test]
fn folder_split_table() {
    let got: String = "0123456789abcdef"
        .chars()
        .map(|c| match folder_split(&format!("{c}/x.mp3")) {
            Some(SplitName::Train) => 'T',
            Some(SplitName::Valid) => 'V',
            Some(SplitName::Test) => 'S',
            None => '?',
        })
        .collect();
    assert_eq!(got, "TTTTTTTTTTTTVSSS");
}

#[test]
fn clips_cut_from_one_track_form_one_group() {
    let root = fixtures::root("magnatagatune");
    let ds = open(&root, &options(12)).unwrap();
    let group = |id: &str| {
        ds.test
            .iter()
            .chain(&ds.train)
            .chain(&ds.valid)
            .find(|c| c.id == id)
            .map(|c| c.group.as_str())
    };
    // Clips 2 and 6 are seconds 30-59 and 146-175 of the same aria.
    let aria = "f/american_bach_soloists-j_s__bach_solo_cantatas-01-bwv54__i_aria";
    assert_eq!(group("2"), Some(aria));
    assert_eq!(group("6"), Some(aria));
    assert_eq!(
        group("224"),
        Some("d/electric_frankenstein-sick_songs-01-action_high")
    );
    // A file name without the seconds suffix keeps the clip as its own unit.
    assert_eq!(track_of("f/no_suffix.mp3"), None);
    assert_eq!(track_of("f/title-30-.mp3"), None);
    assert_eq!(track_of("f/title-x-59.mp3"), None);
    assert_eq!(track_of("-30-59.mp3"), None);
    assert_eq!(track_of("a/t-1-2"), Some("a/t"));
}
