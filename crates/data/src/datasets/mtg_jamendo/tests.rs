use super::*;
use crate::datasets::test_fixtures as fixtures;
use crate::testdir::TestDir;

const HEAD: &str = "TRACK_ID\tARTIST_ID\tALBUM_ID\tPATH\tDURATION\tTAGS\n";

fn with_audio_dir(subset: MtgJamendoSubset) -> MtgJamendoOptions {
    MtgJamendoOptions {
        subset,
        audio_dir: Some("audio".into()),
        ..MtgJamendoOptions::default()
    }
}

/// A checkout with split-0 top50 files holding `rows` (LF line ends; the
/// header is added) and empty audio files `audio/<a>`.
fn checkout(tag: &str, train: &str, validation: &str, test: &str, audio: &[&str]) -> TestDir {
    let root = TestDir::new(&format!("mtg-{tag}"));
    let files = split_files(&root, 0, MtgJamendoSubset::Top50);
    std::fs::create_dir_all(files[0].parent().unwrap()).unwrap();
    for (path, rows) in files.iter().zip([train, validation, test]) {
        std::fs::write(path, format!("{HEAD}{rows}")).unwrap();
    }
    for a in audio {
        let p = root.join("audio").join(a);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"").unwrap();
    }
    root
}

const T1: &str = "track_0000001\tartist_1\talbum_1\t01/1.mp3\t30.5\tgenre---rock\n";
const T2: &str =
    "track_0000002\tartist_1\talbum_1\t02/2.mp3\t31.0\tmood/theme---happy\tgenre---pop\n";
const T3: &str = "track_0000003\tartist_2\talbum_2\t03/3.mp3\t45.0\tinstrument---piano\n";
const AUDIO: [&str; 3] = ["01/1.mp3", "02/2.mp3", "03/3.mp3"];

fn error(root: &Path) -> String {
    open(root, &with_audio_dir(MtgJamendoSubset::Top50))
        .unwrap_err()
        .to_string()
}

fn file(root: &Path, which: usize) -> String {
    split_files(root, 0, MtgJamendoSubset::Top50)[which]
        .display()
        .to_string()
}

#[test]
fn fixture_top50_with_crlf_variable_tags_and_low_quality_audio() {
    let root = fixtures::root("mtg-jamendo");
    let ds = open(&root, &with_audio_dir(MtgJamendoSubset::Top50)).unwrap();
    assert_eq!((ds.train.len(), ds.valid.len(), ds.test.len()), (4, 2, 2));
    assert_eq!(ds.tags.len(), 14);
    assert_eq!(
        ds.tags.first().map(String::as_str),
        Some("genre---alternative")
    );
    assert_eq!(
        ds.tags.last().map(String::as_str),
        Some("mood/theme---relaxing")
    );
    fixtures::assert_expected(&ds, "mtg_jamendo_top50tags", &root.join("audio"));
    assert_eq!(ds.train[1].audio, root.join("audio/47/247.low.mp3"));
    assert_eq!(ds.train[0].audio, root.join("audio/41/241.mp3"));
    assert_eq!(
        ds.test[1].origin,
        RowOrigin {
            file: root.join("data/splits/split-0/autotagging_top50tags-test.tsv"),
            line: 3
        }
    );
    assert_eq!(ds.test[1].tags.iter().filter(|&&t| t).count(), 5);
}

#[test]
fn fixture_mood_theme_subset() {
    let root = fixtures::root("mtg-jamendo");
    let ds = open(&root, &with_audio_dir(MtgJamendoSubset::MoodTheme)).unwrap();
    assert_eq!((ds.train.len(), ds.valid.len(), ds.test.len()), (2, 1, 1));
    assert!(
        ds.tags.iter().all(|t| t.starts_with("mood/theme---")),
        "{:?}",
        ds.tags
    );
    fixtures::assert_expected(&ds, "mtg_jamendo_moodtheme", &root.join("audio"));
}

#[test]
fn fixture_without_audio_dir_names_both_candidates() {
    let root = fixtures::root("mtg-jamendo");
    let msg = open(&root, &MtgJamendoOptions::default())
        .unwrap_err()
        .to_string();
    let table = root.join("data/splits/split-0/autotagging_top50tags-train.tsv");
    assert!(
        msg.starts_with(&format!(
            "{}:2: neither {} nor {} exists",
            table.display(),
            root.join("41/241.mp3").display(),
            root.join("41/241.low.mp3").display()
        )),
        "{msg}"
    );
}

#[test]
fn full_quality_wins_and_lf_works() {
    let root = checkout("both", T1, T2, T3, &AUDIO);
    std::fs::write(root.join("audio/01/1.low.mp3"), b"").unwrap();
    let ds = open(&root, &with_audio_dir(MtgJamendoSubset::Top50)).unwrap();
    assert_eq!(
        ds.tags,
        [
            "genre---pop",
            "genre---rock",
            "instrument---piano",
            "mood/theme---happy"
        ]
    );
    assert_eq!(ds.train[0].audio, root.join("audio/01/1.mp3"));
    assert_eq!(ds.valid[0].tags, [true, false, false, true]);
}

#[test]
fn options_from_toml() {
    let o: MtgJamendoOptions =
        toml::from_str("split = 3\nsubset = \"mood-theme\"\naudio_dir = \"/data/mtg\"").unwrap();
    assert_eq!((o.split, o.subset), (3, MtgJamendoSubset::MoodTheme));
    assert_eq!(o.audio_dir, Some(PathBuf::from("/data/mtg")));
    assert_eq!(
        toml::from_str::<MtgJamendoOptions>("").unwrap(),
        MtgJamendoOptions::default()
    );
    assert!(toml::from_str::<MtgJamendoOptions>("subset = \"moodtheme\"").is_err());
    assert!(toml::from_str::<MtgJamendoOptions>("splits = 1").is_err());
}

#[test]
fn split_out_of_range_and_no_checkout() {
    let root = checkout("range", T1, T2, T3, &AUDIO);
    let o = MtgJamendoOptions {
        split: 5,
        ..with_audio_dir(MtgJamendoSubset::Top50)
    };
    let msg = open(&root, &o).unwrap_err().to_string();
    assert!(
        msg.contains("[data.mtg_jamendo] split = 5") && msg.contains("0 to 4"),
        "{msg}"
    );
    let empty = TestDir::new("mtg-none");
    let msg = open(&empty, &MtgJamendoOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains(&empty.join("data/splits").display().to_string())
            && msg.contains("mtg-jamendo-dataset"),
        "{msg}"
    );
    // A missing split file is an I/O error naming it.
    let o = MtgJamendoOptions {
        split: 1,
        ..with_audio_dir(MtgJamendoSubset::Top50)
    };
    let msg = open(&root, &o).unwrap_err().to_string();
    assert!(
        msg.contains("split-1/autotagging_top50tags-train.tsv"),
        "{msg}"
    );
}

#[test]
fn too_few_fields() {
    let root = checkout(
        "few",
        T1,
        "track_0000002\tartist_1\talbum_1\t02/2.mp3\n",
        T3,
        &AUDIO,
    );
    let msg = error(&root);
    assert!(
        msg.starts_with(&format!(
            "{}:2: the row has 4 fields, expected at least 5",
            file(&root, 1)
        )),
        "{msg}"
    );
}

#[test]
fn a_row_without_tags_is_a_track_without_tags() {
    let root = checkout(
        "no-tags",
        T1,
        "track_0000002\tartist_1\talbum_1\t02/2.mp3\t31.0\n",
        T3,
        &AUDIO,
    );
    let ds = open(&root, &with_audio_dir(MtgJamendoSubset::Top50)).unwrap();
    assert_eq!(ds.tags, ["genre---rock", "instrument---piano"]);
    assert_eq!(ds.valid[0].id, "track_0000002");
    assert_eq!(ds.valid[0].tags, [false, false]);
}

#[test]
fn bad_duration() {
    for bad in ["abc", "-1", "NaN", ""] {
        let row = format!("track_0000009\tartist_2\talbum_2\t03/3.mp3\t{bad}\tgenre---rock\n");
        let root = checkout("duration", T1, T2, &format!("{T3}{row}"), &AUDIO);
        let msg = error(&root);
        assert!(
            msg.starts_with(&format!("{}:3: DURATION '{bad}'", file(&root, 2))),
            "{msg}"
        );
    }
}

#[test]
fn tag_without_separator_names_line_and_field() {
    for bad in ["rock", "genre--rock", "---rock", "genre---"] {
        let row = format!("track_0000009\tartist_2\talbum_2\t03/3.mp3\t45.0\tgenre---pop\t{bad}\n");
        let root = checkout("tag", &format!("{T1}{row}"), T2, T3, &AUDIO);
        let msg = error(&root);
        assert!(
            msg.starts_with(&format!("{}:3: field 7: tag '{bad}'", file(&root, 0))),
            "{msg}"
        );
    }
}

#[test]
fn duplicate_track_across_files() {
    let root = checkout("dup", T1, T2, &format!("{T3}{T1}"), &AUDIO);
    let msg = error(&root);
    assert!(
        msg.starts_with(&format!(
            "{}:3: 'track_0000001' is already listed at {}:2",
            file(&root, 2),
            file(&root, 0)
        )),
        "{msg}"
    );
}

#[test]
fn wrong_header() {
    let root = checkout("header", T1, T2, T3, &AUDIO);
    let path = split_files(&root, 0, MtgJamendoSubset::Top50)[0].clone();
    std::fs::write(
        &path,
        format!("TRACK_ID\tARTIST_ID\tALBUM_ID\tFILE\tDURATION\tTAGS\n{T1}"),
    )
    .unwrap();
    let msg = error(&root);
    assert!(
        msg.starts_with(&format!(
            "{}:1: the header has no column 'PATH'",
            path.display()
        )),
        "{msg}"
    );
}

#[test]
fn missing_audio() {
    let root = checkout("audio", T1, T2, T3, &AUDIO[..2]);
    let msg = error(&root);
    let a = root.join("audio/03/3.mp3").display().to_string();
    assert!(
        msg.starts_with(&format!("{}:2: neither {a} nor", file(&root, 2))),
        "{msg}"
    );
    assert!(msg.contains("audio_dir"), "{msg}");
}
