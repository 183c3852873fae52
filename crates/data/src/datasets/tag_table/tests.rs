use super::*;
use crate::testdir::TestDir;

/// A root with `name` = `text` and empty audio files `audio`.
fn table(tag: &str, name: &str, text: &str, audio: &[&str]) -> TestDir {
    let root = TestDir::new(&format!("table-{tag}"));
    std::fs::write(root.join(name), text).unwrap();
    for a in audio {
        let p = root.join(a);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"").unwrap();
    }
    root
}

fn ids(clips: &[TaggedClip]) -> Vec<&str> {
    clips.iter().map(|c| c.id.as_str()).collect()
}

fn csv_options() -> TagTableOptions {
    TagTableOptions {
        table: "tags.csv".into(),
        ..TagTableOptions::default()
    }
}

fn err(root: &Path, options: &TagTableOptions) -> String {
    open(root, options).unwrap_err().to_string()
}

const CSV: &str = "\u{feff}path,rock,guitar,split\r\n\"a, b.wav\",1,0,train\r\n\r\nc.wav,0,1,Validation\r\nd/e.wav,1,1,val\r\nf.wav,0,0,TEST\r\n";
const CSV_AUDIO: [&str; 4] = ["a, b.wav", "c.wav", "d/e.wav", "f.wav"];

#[test]
fn csv_with_bom_crlf_quotes_and_all_other_columns_as_tags() {
    let root = table("csv", "tags.csv", CSV, &CSV_AUDIO);
    let ds = open(&root, &csv_options()).unwrap();
    assert_eq!(ds.tags, ["rock", "guitar"]);
    assert_eq!(ids(&ds.train), ["a, b.wav"]);
    assert_eq!(ids(&ds.valid), ["c.wav", "d/e.wav"]);
    assert_eq!(ids(&ds.test), ["f.wav"]);
    assert_eq!(ds.train[0].tags, [true, false]);
    assert_eq!(ds.valid[1].tags, [true, true]);
    assert_eq!(ds.test[0].tags, [false, false]);
    assert_eq!(ds.valid[1].audio, root.join("d/e.wav"));
    assert_eq!(
        ds.valid[0].origin,
        RowOrigin {
            file: root.join("tags.csv"),
            line: 4
        }
    );
}

#[test]
fn listed_columns_id_column_and_audio_dir() {
    let text =
        "track,artist,file,guitar,rock,split\nt1,x,a.wav,1,0,train\nt2,y,/abs/none.wav,0,1,test\n";
    let root = table("listed", "tags.csv", text, &["audio/a.wav"]);
    let options = TagTableOptions {
        path_column: "file".into(),
        id_column: Some("track".into()),
        audio_dir: Some("audio".into()),
        tags: TagSource::Columns {
            columns: Some(vec!["rock".into(), "guitar".into()]),
        },
        ..csv_options()
    };
    let msg = err(&root, &options);
    // Absolute paths are kept as they are.
    let tags_csv = root.join("tags.csv").display().to_string();
    assert!(
        msg.starts_with(&format!(
            "{tags_csv}:3: audio file /abs/none.wav does not exist"
        )),
        "{msg}"
    );
    let root = table(
        "listed2",
        "tags.csv",
        &text.replace("/abs/none.wav", "b.wav"),
        &["audio/a.wav", "audio/b.wav"],
    );
    let ds = open(&root, &options).unwrap();
    assert_eq!(ds.tags, ["rock", "guitar"]);
    assert_eq!(ids(&ds.train), ["t1"]);
    // Without a group column each clip is its own unit; with one, the column names it.
    assert_eq!(ds.train[0].group, "t1");
    let grouped = TagTableOptions {
        group_column: Some("artist".into()),
        ..options.clone()
    };
    let ds = open(&root, &grouped).unwrap();
    assert_eq!(
        (ds.train[0].group.as_str(), ds.test[0].group.as_str()),
        ("x", "y")
    );
    assert_eq!(ds.tags, ["rock", "guitar"]);
    assert_eq!(ds.train[0].tags, [false, true]);
    assert_eq!(ds.test[0].audio, root.join("audio/b.wav"));
    // Without a column list the artist column would be a tag, and 'x' is not 0/1.
    let options = TagTableOptions {
        tags: TagSource::default(),
        ..options
    };
    let msg = err(&root, &options);
    assert!(
        msg.starts_with(&format!(
            "{}:2: column 'artist': 'x' is not a tag flag",
            root.join("tags.csv").display()
        )),
        "{msg}"
    );
}

#[test]
fn tsv_with_a_tag_list_column() {
    let text =
        "path\ttags\tsplit\na.wav\trock; guitar\ttrain\nb.wav\t\ttrain\nc.wav\tjazz;;rock\ttest\n";
    let root = table("list", "labels.tsv", text, &["a.wav", "b.wav", "c.wav"]);
    let options = TagTableOptions {
        table: "labels.tsv".into(),
        tags: TagSource::List {
            column: "tags".into(),
            separator: ";".into(),
        },
        ..TagTableOptions::default()
    };
    let ds = open(&root, &options).unwrap();
    assert_eq!(ds.tags, ["guitar", "jazz", "rock"]);
    assert_eq!(ds.train[0].tags, [true, false, true]);
    assert_eq!(ds.train[1].tags, [false, false, false]);
    assert_eq!(ds.test[0].tags, [false, true, true]);
    assert!(ds.valid.is_empty());
}

#[test]
fn split_files_by_path_or_id() {
    let text = "id,path,rock\nt1,a.wav,1\nt2,b.wav,0\nt3,c.wav,1\n";
    let root = table("files", "tags.csv", text, &["a.wav", "b.wav", "c.wav"]);
    std::fs::create_dir(root.join("splits")).unwrap();
    std::fs::write(
        root.join("splits/train.txt"),
        "\u{feff}a.wav\r\n\r\n t3 \r\n",
    )
    .unwrap();
    std::fs::write(root.join("splits/valid.txt"), "t2\n").unwrap();
    let split = SplitSource::Files {
        train: "splits/train.txt".into(),
        valid: Some("splits/valid.txt".into()),
        test: None,
    };
    let options = TagTableOptions {
        id_column: Some("id".into()),
        split,
        ..csv_options()
    };
    let ds = open(&root, &options).unwrap();
    assert_eq!(ds.tags, ["rock"]);
    assert_eq!(ids(&ds.train), ["t1", "t3"]);
    assert_eq!(ids(&ds.valid), ["t2"]);
    assert!(ds.test.is_empty());

    // An entry naming no row, and an entry naming a row twice.
    std::fs::write(root.join("splits/valid.txt"), "t2\nzz.wav\n").unwrap();
    let msg = err(&root, &options);
    let valid = root.join("splits/valid.txt").display().to_string();
    assert!(
        msg.starts_with(&format!(
            "{valid}:2: 'zz.wav' is neither a path nor an id in {}",
            root.join("tags.csv").display()
        )),
        "{msg}"
    );
    std::fs::write(root.join("splits/valid.txt"), "\nt1\n").unwrap();
    let msg = err(&root, &options);
    let train = root.join("splits/train.txt").display().to_string();
    assert!(
        msg.starts_with(&format!("{valid}:2: 't1' is already listed at {train}:1")),
        "{msg}"
    );

    // Rows no split file names are left out, and their audio is not needed.
    std::fs::write(root.join("splits/valid.txt"), "").unwrap();
    std::fs::remove_file(root.join("b.wav")).unwrap();
    let ds = open(&root, &options).unwrap();
    assert_eq!((ds.train.len(), ds.valid.len()), (2, 0));
}

#[test]
fn unknown_split_value_names_line_and_column() {
    let root = table(
        "split",
        "tags.csv",
        "path,rock,fold\na.wav,1,train\nb.wav,0,dev\n",
        &["a.wav", "b.wav"],
    );
    let options = TagTableOptions {
        split: SplitSource::Column {
            column: "fold".into(),
        },
        ..csv_options()
    };
    let msg = err(&root, &options);
    assert!(
        msg.starts_with(&format!(
            "{}:3: column 'fold': unknown split 'dev'",
            root.join("tags.csv").display()
        )),
        "{msg}"
    );
}

#[test]
fn table_errors_name_file_line_and_column() {
    let cases: [(&str, &str); 6] = [
        (
            "path,rock,split\na.wav,1\n",
            ":2: the row has 2 fields but the header (line 1) has 3",
        ),
        (
            "path,rock,split\na.wav,yes,train\n",
            ":2: column 'rock': 'yes' is not a tag flag",
        ),
        (
            "file,rock,split\na.wav,1,train\n",
            ":1: the header has no column 'path'",
        ),
        (
            "path,rock,split\na.wav,1,train\na.wav,0,test\n",
            ":3: 'a.wav' is already listed at ",
        ),
        ("path,rock,split\n,1,train\n", ":2: column 'path' is empty"),
        (
            "path,rock,rock,split\na.wav,1,1,train\n",
            ":1: the header names column 'rock' twice (columns 2 and 3)",
        ),
    ];
    for (text, want) in cases {
        let root = table("errors", "tags.csv", text, &["a.wav"]);
        let msg = err(&root, &csv_options());
        let expected = format!("{}{want}", root.join("tags.csv").display());
        assert!(msg.starts_with(&expected), "{msg}\nexpected: {expected}");
    }
}

#[test]
fn missing_audio_delimiter_and_no_tags() {
    let root = table(
        "audio",
        "tags.csv",
        "path,rock,split\na.wav,1,train\nb.wav,1,test\n",
        &["a.wav"],
    );
    let msg = err(&root, &csv_options());
    let b = root.join("b.wav").display().to_string();
    assert!(
        msg.starts_with(&format!(
            "{}:3: audio file {b} does not exist",
            root.join("tags.csv").display()
        )),
        "{msg}"
    );

    let root = table("txt", "tags.txt", "path,split\n", &[]);
    let options = TagTableOptions {
        table: "tags.txt".into(),
        ..TagTableOptions::default()
    };
    let msg = err(&root, &options);
    assert!(
        msg.contains("tags.txt") && msg.contains("delimiter = \"comma\""),
        "{msg}"
    );
    let options = TagTableOptions {
        delimiter: Delimiter::Comma,
        ..options
    };
    let msg = err(&root, &options);
    assert!(msg.contains("has no tags"), "{msg}");

    let options = TagTableOptions {
        tags: TagSource::List {
            column: "rock".into(),
            separator: String::new(),
        },
        ..csv_options()
    };
    let msg = err(&root, &options);
    assert!(msg.contains("[data.tag_table.tags] separator"), "{msg}");
}

#[test]
fn options_from_toml() {
    let o: TagTableOptions = toml::from_str("table = \"t.tsv\"").unwrap();
    assert_eq!(
        o,
        TagTableOptions {
            table: "t.tsv".into(),
            ..TagTableOptions::default()
        }
    );
    let text = r#"
        table = "labels.csv"
        delimiter = "tab"
        id_column = "track"
        [tags]
        format = "list"
        separator = ","
        [split]
        from = "files"
        train = "splits/train.txt"
        test = "splits/test.txt"
    "#;
    let o: TagTableOptions = toml::from_str(text).unwrap();
    assert_eq!(o.delimiter, Delimiter::Tab);
    assert_eq!(
        o.tags,
        TagSource::List {
            column: "tags".into(),
            separator: ",".into()
        }
    );
    assert_eq!(
        o.split,
        SplitSource::Files {
            train: "splits/train.txt".into(),
            valid: None,
            test: Some("splits/test.txt".into())
        }
    );
    let o: TagTableOptions = toml::from_str(
        "[tags]\nformat = \"columns\"\ncolumns = [\"a\", \"b\"]\n[split]\nfrom = \"column\"",
    )
    .unwrap();
    assert_eq!(
        o.tags,
        TagSource::Columns {
            columns: Some(vec!["a".into(), "b".into()])
        }
    );
    assert_eq!(o.split, SplitSource::default());
    for bad in [
        "[tags]\nformat = \"list\"\ncolumns = [\"a\"]",
        "[tags]\nformat = \"binary\"",
        "[split]\nfrom = \"files\"",
        "delimiter = \";\"",
        "path = \"x\"",
    ] {
        assert!(
            toml::from_str::<TagTableOptions>(bad).is_err(),
            "accepted: {bad}"
        );
    }
}

#[test]
fn module_doc_example_parses() {
    let doc = include_str!("../tag_table.rs");
    let toml_text: String = doc
        .lines()
        .skip_while(|l| !l.starts_with("//! ```toml"))
        .skip(1)
        .take_while(|l| !l.starts_with("//! ```"))
        .map(|l| l.trim_start_matches("//!").trim_start_matches(' '))
        .collect::<Vec<_>>()
        .join("\n");
    let config: toml::Table = toml::from_str(&toml_text).unwrap();
    let section = config["data"]["tag_table"].clone();
    let o: TagTableOptions = section.try_into().unwrap();
    assert_eq!(o.id_column.as_deref(), Some("clip"));
    assert_eq!(o.group_column.as_deref(), Some("track"));
    assert_eq!(
        o.tags,
        TagSource::Columns {
            columns: Some(vec!["rock".into(), "guitar".into()])
        }
    );
}
