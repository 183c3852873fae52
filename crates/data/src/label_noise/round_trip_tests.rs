//! The corrupted labels a run writes, in each dataset's own format: read
//! back by the project's own readers they give exactly the corrupted
//! labels, and every line that did not change is byte-identical to the
//! dataset's (MagnaTagATune, MTG-Jamendo, tag tables in both tag formats,
//! Jamendo `.lab` files).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::config::LabelNoiseConfig;
use super::draws::Draws;
use super::record::LabelNoiseRecord;
use super::segments::corrupt_segments;
use super::{NoiseAudit, corrupt_tagged};
use crate::cache::AudioLoader;
use crate::data_config::{DataConfig, Layout};
use crate::datasets::{
    JamendoDataset, MagnaTagATuneOptions, MtgJamendoOptions, TagSource, TagTableOptions,
    TaggedDataset, magnatagatune, mtg_jamendo, tag_table,
};
use crate::framing::Framing;
use crate::labels::{frame_labels, parse_lab, read_lab};
use crate::songs::load_songs;
use crate::testdir::TestDir;

fn config(text: &str) -> LabelNoiseConfig {
    toml::from_str(text).unwrap()
}

fn data(layout: Layout, root: &Path) -> DataConfig {
    DataConfig {
        layout,
        root: root.to_owned(),
        sample_rate: 8000,
        cache_dir: None,
        skip_unreadable: false,
        min_clip_seconds: None,
        synthetic: None,
        magnatagatune: None,
        mtg_jamendo: None,
        tag_table: None,
    }
}

/// Whether clip `id` has tag `t` in a generated fixture (about 35 %).
fn has(id: &str, t: &str) -> bool {
    Draws::new(42, "fixture", id, t).chance(0.35)
}

fn touch(root: &Path, relative: &str) {
    let p = root.join(relative);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, b"").unwrap();
}

/// Clip id → positive tag names, over all three splits.
fn positives(ds: &TaggedDataset) -> BTreeMap<String, BTreeSet<String>> {
    ds.train
        .iter()
        .chain(&ds.valid)
        .chain(&ds.test)
        .map(|c| {
            let tags = ds
                .tags
                .iter()
                .zip(&c.tags)
                .filter(|(_, f)| **f)
                .map(|(t, _)| t.clone())
                .collect();
            (c.id.clone(), tags)
        })
        .collect()
}

/// The 1-based lines of the rows whose flags changed.
fn changed_lines(clean: &TaggedDataset, noisy: &TaggedDataset, file: &Path) -> BTreeSet<usize> {
    let all = |d: &TaggedDataset| {
        d.train
            .iter()
            .chain(&d.valid)
            .chain(&d.test)
            .cloned()
            .collect::<Vec<_>>()
    };
    all(clean)
        .iter()
        .zip(all(noisy))
        .filter(|(c, n)| c.tags != n.tags && c.origin.file == file)
        .map(|(c, _)| c.origin.line)
        .collect()
}

/// Every line of `written` equals `original`'s except `changed` ones, which differ.
fn assert_only_lines_differ(original: &[u8], written: &[u8], changed: &BTreeSet<usize>) {
    let a: Vec<&[u8]> = original.split(|&b| b == b'\n').collect();
    let b: Vec<&[u8]> = written.split(|&b| b == b'\n').collect();
    assert_eq!(a.len(), b.len(), "line count");
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        let line = i + 1;
        if changed.contains(&line) {
            assert_ne!(x, y, "line {line} should have changed");
        } else {
            assert_eq!(
                String::from_utf8_lossy(x),
                String::from_utf8_lossy(y),
                "line {line} changed"
            );
        }
    }
}

/// Writes the record's files into `run` and returns them by relative path.
fn written(record: &LabelNoiseRecord, run: &Path) -> BTreeMap<String, Vec<u8>> {
    record.write(run, 11).unwrap();
    let json = std::fs::read_to_string(run.join("audit.json")).unwrap();
    let mut want = record.audit.clone();
    want.training_seed = Some(11);
    assert_eq!(json, serde_json::to_string_pretty(&want).unwrap() + "\n");
    let back: NoiseAudit = serde_json::from_str(&json).unwrap();
    assert_eq!(back.corrupted_splits, want.corrupted_splits);
    record
        .files()
        .unwrap()
        .into_iter()
        .map(|f| {
            let on_disk = std::fs::read(run.join(&f.relative)).unwrap();
            assert_eq!(on_disk, f.bytes);
            (f.relative.display().to_string(), f.bytes)
        })
        .collect()
}

const MTAT_TAGS: [&str; 6] = ["no voice", "singer", "rock", "piano", "drums", "choir"];

fn mtat_table(audio: &Path) -> String {
    let mut text = String::from("\"clip_id\"");
    for t in MTAT_TAGS {
        text.push_str(&format!("\t\"{t}\""));
    }
    text.push_str("\t\"mp3_path\"\r\n");
    for i in 0..320 {
        let id = (i * 7 + 2).to_string();
        let mp3 = format!("{:x}/clip-{id}.mp3", i % 16);
        touch(audio, &mp3);
        text.push_str(&format!("\"{id}\""));
        for t in MTAT_TAGS {
            let flag = i != 5 && has(&id, t);
            text.push_str(&format!("\t\"{}\"", u8::from(flag)));
        }
        text.push_str(&format!("\t\"{mp3}\"\r\n"));
    }
    text
}

#[test]
fn magnatagatune_annotations_round_trip_and_keep_unchanged_lines() {
    let root = TestDir::new("noise-mtat");
    let table = mtat_table(&root);
    std::fs::write(root.join("annotations_final.csv"), &table).unwrap();
    let top = MagnaTagATuneOptions {
        top_tags: 4,
        ..MagnaTagATuneOptions::default()
    };
    let clean = magnatagatune::open(&root, &top).unwrap();
    let c = config("kind = \"symmetric\"\nrate = 0.3\nseed = 2\nsplits = [\"train\", \"valid\"]");
    let noisy = corrupt_tagged(&clean, &c, &data(Layout::Magnatagatune, &root)).unwrap();
    let run = TestDir::new("noise-mtat-run");
    let files = written(&noisy.record, &run);
    assert_eq!(files.keys().collect::<Vec<_>>(), ["annotations_final.csv"]);
    let out = &files["annotations_final.csv"];
    let path = root.join("annotations_final.csv");
    let changed = changed_lines(&clean, &noisy.dataset, &path);
    assert!(changed.len() > 50, "{}", changed.len());
    assert_only_lines_differ(table.as_bytes(), out, &changed);
    // In a changed line only the changed flags differ, and keep their quotes.
    let text = String::from_utf8(out.clone()).unwrap();
    for (a, b) in table.split("\r\n").zip(text.split("\r\n")) {
        for (x, y) in a.split('\t').zip(b.split('\t')) {
            assert!(
                x == y || (x == "\"0\"" && y == "\"1\"") || (x == "\"1\"" && y == "\"0\""),
                "{x} {y}"
            );
        }
    }
    // Read back with every tag column: the vocabulary's flags are the
    // corrupted ones, the other columns the clean ones, and the clips left
    // without any tag are the ones the reader drops.
    let back_root = TestDir::new("noise-mtat-back");
    std::fs::write(back_root.join("annotations_final.csv"), out).unwrap();
    let all = MagnaTagATuneOptions {
        top_tags: 6,
        audio_dir: Some(root.to_path_buf()),
        ..MagnaTagATuneOptions::default()
    };
    let back = positives(&magnatagatune::open(&back_root, &all).unwrap());
    let full = positives(&magnatagatune::open(&root, &all).unwrap());
    let corrupted = positives(&noisy.dataset);
    let mut want: BTreeMap<String, BTreeSet<String>> = full
        .iter()
        .map(|(id, tags)| {
            let mut tags: BTreeSet<String> = tags
                .iter()
                .filter(|t| !clean.tags.contains(t))
                .cloned()
                .collect();
            tags.extend(corrupted.get(id).into_iter().flatten().cloned());
            (id.clone(), tags)
        })
        .collect();
    want.retain(|_, tags| !tags.is_empty());
    assert_eq!(back, want);
}

const MTG_TAGS: [&str; 5] = [
    "genre---rock",
    "genre---pop",
    "instrument---piano",
    "instrument---guitar",
    "mood/theme---happy",
];

fn mtg_checkout(root: &Path) -> Vec<String> {
    let files = mtg_jamendo::split_files(root, 0, Default::default());
    std::fs::create_dir_all(files[0].parent().unwrap()).unwrap();
    let mut texts = Vec::new();
    for (s, path) in files.iter().enumerate() {
        let mut text = String::from("TRACK_ID\tARTIST_ID\tALBUM_ID\tPATH\tDURATION\tTAGS\r\n");
        for i in 0..80 {
            let id = format!("track_{s}{i:04}");
            let audio = format!("{:02}/{s}{i}.mp3", i % 100);
            touch(&root.join("audio"), &audio);
            let mut tags: Vec<&str> = MTG_TAGS.iter().copied().filter(|t| has(&id, t)).collect();
            if tags.is_empty() {
                tags.push(MTG_TAGS[i % 5]);
            }
            text.push_str(&format!(
                "{id}\tartist_{i}\talbum_{i}\t{audio}\t{}.5\t{}\r\n",
                30 + i,
                tags.join("\t")
            ));
        }
        std::fs::write(path, &text).unwrap();
        texts.push(text);
    }
    texts
}

#[test]
fn mtg_jamendo_split_files_round_trip_even_when_a_track_loses_every_tag() {
    let root = TestDir::new("noise-mtg");
    let texts = mtg_checkout(&root);
    let options = MtgJamendoOptions {
        audio_dir: Some("audio".into()),
        ..MtgJamendoOptions::default()
    };
    let clean = mtg_jamendo::open(&root, &options).unwrap();
    let c = config("kind = \"drop\"\nrate = 0.6\nsplits = [\"train\", \"valid\"]");
    let mut d = data(Layout::MtgJamendo, &root);
    d.mtg_jamendo = Some(options.clone());
    let noisy = corrupt_tagged(&clean, &c, &d).unwrap();
    assert!(noisy.dataset.train.iter().any(|c| !c.tags.contains(&true)));
    let run = TestDir::new("noise-mtg-run");
    let files = written(&noisy.record, &run);
    let paths = mtg_jamendo::split_files(&root, 0, Default::default());
    for (path, original) in paths.iter().zip(&texts) {
        let relative = path.strip_prefix(&*root).unwrap().display().to_string();
        let out = &files[&relative];
        assert_only_lines_differ(
            original.as_bytes(),
            out,
            &changed_lines(&clean, &noisy.dataset, path),
        );
    }
    assert_eq!(
        files[&paths[2].strip_prefix(&*root).unwrap().display().to_string()],
        texts[2].as_bytes()
    );
    // Read back from a checkout holding the written files.
    let back_root = TestDir::new("noise-mtg-back");
    for (relative, bytes) in &files {
        let p = back_root.join(relative);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let back_options = MtgJamendoOptions {
        audio_dir: Some(root.join("audio")),
        ..options
    };
    let back = mtg_jamendo::open(&back_root, &back_options).unwrap();
    assert_eq!(positives(&back), positives(&noisy.dataset));
}

#[test]
fn tag_tables_in_list_and_column_format_round_trip() {
    // A CSV list column, quoted and not, with a tag holding the delimiter.
    let root = TestDir::new("noise-table-list");
    let vocabulary = ["rock", "pop", "hard, rock", "jazz"];
    let mut text = String::from("path,split,tags\r\n");
    for i in 0..150 {
        let path = format!("a/{i}.wav");
        touch(&root, &path);
        let tags: Vec<&str> = vocabulary
            .iter()
            .copied()
            .filter(|t| has(&path, t))
            .collect();
        let list = tags.join(";");
        let field = if list.contains(',') || i % 3 == 0 {
            format!("\"{list}\"")
        } else {
            list
        };
        let split = ["train", "valid", "test"][i % 3];
        text.push_str(&format!("{path},{split},{field}\r\n"));
    }
    std::fs::write(root.join("tags.csv"), &text).unwrap();
    let options = TagTableOptions {
        tags: TagSource::List {
            column: "tags".into(),
            separator: ";".into(),
        },
        ..TagTableOptions::default()
    };
    check_table(
        &root,
        &text,
        options,
        "kind = \"add\"\nrate = 0.4\nsplits = [\"train\", \"valid\"]",
    );

    // A TSV with 0/1 columns, an id column, padded and quoted values.
    let root = TestDir::new("noise-table-columns");
    let mut text = String::from("track\tpath\tsplit\tguitar\t\"female voice\"\tdrums\n");
    for i in 0..150 {
        let path = format!("b/{i}.wav");
        touch(&root, &path);
        let flag = |t: &str| u8::from(has(&path, t));
        text.push_str(&format!(
            "t{i}\t{path}\t{}\t {} \t\"{}\"\t{}\n",
            ["train", "valid", "test"][i % 3],
            flag("guitar"),
            flag("female voice"),
            flag("drums")
        ));
    }
    std::fs::write(root.join("tags.tsv"), &text).unwrap();
    let options = TagTableOptions {
        table: "tags.tsv".into(),
        id_column: Some("track".into()),
        ..TagTableOptions::default()
    };
    check_table(&root, &text, options, "kind = \"symmetric\"\nrate = 0.3");
}

fn check_table(root: &Path, text: &str, options: TagTableOptions, noise: &str) {
    let clean = tag_table::open(root, &options).unwrap();
    let mut d = data(Layout::TagTable, root);
    d.tag_table = Some(options.clone());
    let c = config(noise);
    let noisy = corrupt_tagged(&clean, &c, &d).unwrap();
    // The splits not listed keep their labels (so their rows stay as they are).
    assert_eq!(noisy.dataset.test, clean.test);
    if !c.applies_to("valid") {
        assert_eq!(noisy.dataset.valid, clean.valid);
    }
    let run = TestDir::new("noise-table-run");
    let files = written(&noisy.record, &run);
    let name = options.table.display().to_string();
    let out = &files[&name];
    let changed = changed_lines(&clean, &noisy.dataset, &root.join(&options.table));
    assert!(changed.len() > 10, "{noise}: {}", changed.len());
    assert_only_lines_differ(text.as_bytes(), out, &changed);
    std::fs::write(root.join(&options.table), out).unwrap();
    let back = tag_table::open(root, &options).unwrap();
    assert_eq!(positives(&back), positives(&noisy.dataset), "{noise}");
}

fn write_wav(path: &Path, seconds: f64) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(8000.0 * seconds) as usize {
        w.write_sample(((i % 50) as i16 - 25) * 100).unwrap();
    }
    w.finalize().unwrap();
}

/// A Jamendo folder: songs a, b, c (train), d (valid), e (test) of 6 s.
fn jamendo(root: &Path) {
    for d in ["audio", "filelists", "labels"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    for (i, song) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        write_wav(&root.join(format!("audio/{song}.wav")), 6.0);
        let lab = match i {
            0 => "0 1.25 nosing\r\n1.25 2.5 sing\r\n2.5 4 nosing\r\n4 6 sing\r\n".to_string(),
            1 => "\u{feff}3\t4.5\tsing\n0 1.5 sing\n1.5 3 nosing\n\n4.5 6 nosing".to_string(),
            _ => "0 0.75 sing\n0.75 2 nosing\n2 3.5 sing\n3.5 5 nosing\n5 6 sing\n".to_string(),
        };
        std::fs::write(root.join(format!("labels/{song}.lab")), lab).unwrap();
    }
    std::fs::write(root.join("filelists/train"), "a.wav\nb.wav\nc.wav\n").unwrap();
    std::fs::write(root.join("filelists/valid"), "d.wav\n").unwrap();
    std::fs::write(root.join("filelists/test"), "e.wav\n").unwrap();
}

#[test]
fn jamendo_labels_round_trip_and_the_clean_splits_stay_byte_identical() {
    let root = TestDir::new("noise-jamendo");
    jamendo(&root);
    let dataset = JamendoDataset::open(&root).unwrap();
    let loader = AudioLoader::new(8000, root.join(".cache"));
    let framing = Framing {
        frame_length: 256,
        hop: 80,
        sample_rate: 8000,
    };
    for noise in [
        "kind = \"segments\"\nrate = 0.5\nseed = 3",
        "kind = \"boundaries\"\nrate = 0.8\nmax_shift = 0.7\nseed = 3",
    ] {
        let c = config(noise);
        let train = load_songs(&dataset, "train", &loader, framing, Some(&c)).unwrap();
        let valid = load_songs(&dataset, "valid", &loader, framing, Some(&c)).unwrap();
        let clean_valid = load_songs(&dataset, "valid", &loader, framing, None).unwrap();
        assert!(valid.noise.is_none());
        assert_eq!(valid.songs[0].labels, clean_valid.songs[0].labels);
        let split = train.noise.clone().unwrap();
        assert_eq!(split.files.len(), 3);
        let mut any_change = false;
        for (song, file) in train.songs.iter().zip(&split.files) {
            let clean = read_lab(&root.join(&file.relative)).unwrap();
            let (noisy, _) = corrupt_segments(&clean, &c, "train", &song.name);
            // What training used is what the file says.
            let back = parse_lab(&file.bytes, &file.relative).unwrap();
            assert_eq!(back, noisy, "{noise}: {}", song.name);
            assert_eq!(
                song.labels,
                frame_labels(&noisy, song.labels.len(), framing.fps())
            );
            any_change |= back != clean;
        }
        assert!(any_change, "{noise}: nothing changed");
        let audit = &split.audit;
        assert_eq!(audit.songs, 3);
        assert_eq!(
            audit.frames,
            train.songs.iter().map(|s| s.labels.len()).sum::<usize>()
        );
        assert!(audit.fraction_of_frames_changed.unwrap() > 0.0);
        let record = LabelNoiseRecord::for_songs(&c, &dataset, vec![split]).unwrap();
        let run = TestDir::new("noise-jamendo-run");
        let files = written(&record, &run);
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            [
                "labels/a.lab",
                "labels/b.lab",
                "labels/c.lab",
                "labels/d.lab",
                "labels/e.lab"
            ]
        );
        for song in ["d", "e"] {
            let original = std::fs::read(root.join(format!("labels/{song}.lab"))).unwrap();
            assert_eq!(files[&format!("labels/{song}.lab")], original, "{song}");
        }
        // b.lab lists its segments out of order, with a BOM and a blank line:
        // its unchanged lines are kept as they are.
        let original = std::fs::read(root.join("labels/b.lab")).unwrap();
        let out = &files["labels/b.lab"];
        assert!(out.starts_with("\u{feff}".as_bytes()));
        let lines = |b: &[u8]| b.split(|&c| c == b'\n').count();
        assert_eq!(lines(out), lines(&original));
        let text = std::fs::read_to_string(run.join("audit.txt")).unwrap();
        assert!(text.contains("split train: 3 songs"), "{text}");
        assert!(
            text.contains("validation and test labels are clean"),
            "{text}"
        );
    }
}
