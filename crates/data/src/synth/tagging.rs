//! A synthetic multi-label music-tagging dataset on disk, in the
//! MagnaTagATune layout (LITERATURE.md §4):
//!
//! ```text
//! dir/0/ .. dir/f/                    the clips, mono 16-bit PCM WAV
//!   <artist>-<album>-<track>-<title>-<start>-<end>.wav
//! dir/annotations_final.csv           clip_id, one 0/1 column per tag, mp3_path
//! dir/manifest.json                   generator, version and every option
//! dir/README.txt                      the same for people, tag counts, clips
//! ```
//!
//! `annotations_final.csv` is written exactly like MagnaTagATune's: TAB
//! separated despite its name, every field (header included) in double
//! quotes, every line (the last one too) ended by CR LF, rows in increasing
//! `clip_id`. The public readers of the original file rely on exactly this,
//! e.g. the Theano-era `tagatune.py` reader strips two characters of line
//! ending and the quotes of each field (`tok[1:-1] for tok in
//! line[:-2].split('\t')`), and pandas readers use `sep="\t"`. `mp3_path`
//! names the `.wav` file (nothing here encodes MP3), relative to `dir`.
//!
//! Clip ids are integers increasing in file order with gaps, assigned in a
//! random order of the clips so that folders interleave, as in the original.
//! Folders hold equal numbers of clips (±1), so MagnaTagATune's split by
//! folder (`0`–`b` train, `c` valid, `d`–`f` test) gives 12/16, 1/16 and
//! 3/16 of the clips; all clips of one album are in one folder. The CSV is
//! written last (to a temporary name, then renamed): a directory without it
//! was not completed. The same seed and options give the same bytes.
//!
//! What is drawn per album and clip, and how it is rendered, is in
//! `tagging_clip.rs`; how tags follow from it, in `tag_vocabulary.rs`.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::error::SynthError;
use super::manifest::{self, Manifest};
use super::parallel::render_all;
use super::rng::Rng;
use super::tag_vocabulary::{TAGS, annotate};
use super::tagging_clip::{Recipe, describe, render};
use super::wav::write_wav_i16;

/// The generator's name in `manifest.json`.
pub const TAGGING_GENERATOR: &str = "cochlea synth tagging";
/// Its version; bumped whenever the bytes a seed produces change.
pub const TAGGING_VERSION: u32 = 1;
/// The annotation file's name (the real one's, despite being TAB-separated).
pub const ANNOTATIONS_FILE: &str = "annotations_final.csv";
/// The sixteen audio folders, in MagnaTagATune's order.
pub const FOLDERS: [&str; 16] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f",
];

/// Stream indices of the album recipes start here (clips use `0..clips`).
const ALBUM_STREAMS: u64 = 1 << 40;

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthTaggingOptions {
    /// Seed of every random choice; the same seed gives the same bytes.
    pub seed: u64,
    /// Number of clips, at least 16 (one per folder).
    pub clips: usize,
    /// Length of every clip in seconds (MagnaTagATune's: 29.1), 1 to 600.
    pub clip_seconds: f64,
    /// Sample rate of the WAV files in Hz, 8000 to 48000.
    pub sample_rate: u32,
    /// Most clips per album (1 to 64); album sizes are drawn from
    /// `1..=max_album_clips` and cut where a folder is full.
    pub max_album_clips: usize,
}

impl Default for SynthTaggingOptions {
    fn default() -> Self {
        SynthTaggingOptions {
            seed: 0,
            clips: 800,
            clip_seconds: 29.1,
            sample_rate: 16_000,
            max_album_clips: 8,
        }
    }
}

impl SynthTaggingOptions {
    fn validate(&self) -> Result<(), SynthError> {
        let bad = |field, reason: String| Err(SynthError::InvalidOption { field, reason });
        if self.clips < FOLDERS.len() {
            return bad(
                "clips",
                format!(
                    "need at least 16 clips (one per folder), got {}",
                    self.clips
                ),
            );
        }
        if !self.clip_seconds.is_finite() || !(1.0..=600.0).contains(&self.clip_seconds) {
            return bad(
                "clip_seconds",
                format!("must lie between 1 and 600, got {}", self.clip_seconds),
            );
        }
        if !(8_000..=48_000).contains(&self.sample_rate) {
            return bad(
                "sample_rate",
                format!(
                    "must lie between 8000 and 48000 Hz, got {}",
                    self.sample_rate
                ),
            );
        }
        if !(1..=64).contains(&self.max_album_clips) {
            return bad(
                "max_album_clips",
                format!("must lie between 1 and 64, got {}", self.max_album_clips),
            );
        }
        Ok(())
    }

    /// Samples per clip.
    pub fn clip_samples(&self) -> usize {
        (self.clip_seconds * f64::from(self.sample_rate)).round() as usize
    }

    /// The options as `manifest.json` settings, one key per field.
    pub fn settings(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        m.insert("seed".into(), self.seed.into());
        m.insert("clips".into(), self.clips.into());
        m.insert("clip_seconds".into(), self.clip_seconds.into());
        m.insert("sample_rate".into(), self.sample_rate.into());
        m.insert("max_album_clips".into(), self.max_album_clips.into());
        m
    }
}

/// One generated clip.
#[derive(Clone, Debug, PartialEq)]
pub struct TaggingClip {
    /// Its `clip_id` in the annotations.
    pub clip_id: u64,
    /// Its `mp3_path`: folder and file name, e.g. `c/artist_003-...-0-29.wav`.
    pub path: String,
    /// Index of its album.
    pub album: usize,
    /// Its tags, in vocabulary order.
    pub tags: Vec<String>,
    /// What was drawn for it (genre, tempo, loudness, voice, parts).
    pub description: String,
}

/// What [`generate_tagging`] wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct TaggingSummary {
    /// Number of clips.
    pub clips: usize,
    /// The tag columns, in file order.
    pub tags: Vec<String>,
    /// Clips carrying each tag (same order as `tags`).
    pub tag_counts: Vec<usize>,
    /// Seconds of audio in all.
    pub total_seconds: f64,
    /// Number of albums.
    pub albums: usize,
    /// Clips per folder `0`..`f`.
    pub folder_counts: [usize; 16],
    /// Every clip, in increasing `clip_id`.
    pub clip_list: Vec<TaggingClip>,
}

impl TaggingSummary {
    /// Clips in the MagnaTagATune train (`0`–`b`), valid (`c`) and test
    /// (`d`–`f`) folders.
    pub fn split_counts(&self) -> (usize, usize, usize) {
        let f = &self.folder_counts;
        (f[..12].iter().sum(), f[12], f[13..].iter().sum())
    }

    /// The `n` most frequent tags (ties broken by column order), like the
    /// usual top-50 selection.
    pub fn top_tags(&self, n: usize) -> Vec<String> {
        let mut idx: Vec<usize> = (0..self.tags.len()).collect();
        idx.sort_by_key(|&i| std::cmp::Reverse(self.tag_counts[i]));
        idx.into_iter()
            .take(n)
            .map(|i| self.tags[i].clone())
            .collect()
    }
}

/// Where a clip goes, decided before anything is rendered.
struct Slot {
    folder: usize,
    album: usize,
    file: String,
}

/// Assigns clips to folders (equal counts) and albums (random sizes, cut at
/// folder ends), and names them.
fn layout(opts: &SynthTaggingOptions) -> (Vec<Slot>, usize) {
    let n = opts.clips;
    let mut rng = Rng::stream(opts.seed, u64::MAX - 1);
    let mut slots = Vec::with_capacity(n);
    let mut album = 0usize;
    let secs = opts.clip_seconds;
    for (f, _) in FOLDERS.iter().enumerate() {
        let count = n / 16 + usize::from(f < n % 16);
        let mut left = count;
        while left > 0 {
            let size = (1 + rng.below(opts.max_album_clips)).min(left);
            let artist = album / 2 + rng.below(2);
            let mut track = 1usize;
            let mut k = 0usize;
            for _ in 0..size {
                let (start, end) = ((k as f64 * secs).round(), ((k + 1) as f64 * secs).round());
                slots.push(Slot {
                    folder: f,
                    album,
                    file: format!(
                        "synth_artist_{artist:03}-synth_album_{album:04}-{track:02}-piece_{}-{start}-{end}.wav",
                        rng.below(100)
                    ),
                });
                // Tracks of one to three clips.
                k += 1;
                if rng.chance(0.4) {
                    track += 1;
                    k = 0;
                }
            }
            album += 1;
            left -= size;
        }
    }
    (slots, album)
}

/// Writes a synthetic tagging dataset into `dir`, which must not exist or
/// be empty. See the module documentation for the layout.
pub fn generate_tagging(
    dir: &Path,
    opts: &SynthTaggingOptions,
) -> Result<TaggingSummary, SynthError> {
    opts.validate()?;
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(SynthError::io(dir))?;
        if entries.next().is_some() {
            return Err(SynthError::NotEmpty {
                dir: dir.to_path_buf(),
            });
        }
    }
    for f in FOLDERS {
        let d = dir.join(f);
        fs::create_dir_all(&d).map_err(SynthError::io(&d))?;
    }
    let (slots, albums) = layout(opts);
    let recipes: Vec<Recipe> = (0..albums)
        .map(|a| Recipe::random(&mut Rng::stream(opts.seed, ALBUM_STREAMS + a as u64)))
        .collect();

    // Render and write clips in parallel; each clip has its own stream.
    let n = opts.clips;
    let rendered = render_all(n, |i| {
        write_clip(i, &slots[i], &recipes[slots[i].album], dir, opts)
    })?;

    // Clip ids: increasing with gaps, in a random order of the clips.
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = Rng::stream(opts.seed, u64::MAX);
    for i in (1..n).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut id = rng.below(3) as u64;
    let mut clip_list = Vec::with_capacity(n);
    let mut tag_counts = vec![0usize; TAGS.len()];
    let mut rows = Vec::with_capacity(n);
    for &i in &order {
        id += 1 + rng.below(3) as u64;
        let (flags, description) = &rendered[i];
        let path = format!("{}/{}", FOLDERS[slots[i].folder], slots[i].file);
        for (c, &on) in tag_counts.iter_mut().zip(flags) {
            *c += usize::from(on);
        }
        clip_list.push(TaggingClip {
            clip_id: id,
            path: path.clone(),
            album: slots[i].album,
            tags: TAGS
                .iter()
                .zip(flags)
                .filter(|p| *p.1)
                .map(|p| p.0.to_string())
                .collect(),
            description: description.clone(),
        });
        rows.push((id, flags, path));
    }
    let mut folder_counts = [0usize; 16];
    for s in &slots {
        folder_counts[s.folder] += 1;
    }
    let summary = TaggingSummary {
        clips: n,
        tags: TAGS.iter().map(|t| t.to_string()).collect(),
        tag_counts,
        total_seconds: n as f64 * opts.clip_samples() as f64 / f64::from(opts.sample_rate),
        albums,
        folder_counts,
        clip_list,
    };

    write_readme(dir, opts, &summary)?;
    manifest::write(
        dir,
        &Manifest {
            generator: TAGGING_GENERATOR.into(),
            version: TAGGING_VERSION,
            settings: opts.settings(),
        },
    )?;
    let mut csv = String::new();
    let quoted = |s: &str| format!("\"{s}\"");
    let header: Vec<String> = std::iter::once("clip_id")
        .chain(TAGS.iter().copied())
        .chain(std::iter::once("mp3_path"))
        .map(quoted)
        .collect();
    csv.push_str(&header.join("\t"));
    csv.push_str("\r\n");
    for (id, flags, path) in rows {
        csv.push_str(&quoted(&id.to_string()));
        for &on in flags {
            csv.push_str(if on { "\t\"1\"" } else { "\t\"0\"" });
        }
        csv.push('\t');
        csv.push_str(&quoted(&path));
        csv.push_str("\r\n");
    }
    let tmp = dir.join(format!("{ANNOTATIONS_FILE}.tmp"));
    fs::write(&tmp, csv).map_err(SynthError::io(&tmp))?;
    let path = dir.join(ANNOTATIONS_FILE);
    fs::rename(&tmp, &path).map_err(SynthError::io(&path))?;
    Ok(summary)
}

/// Renders clip `index` of album `recipe`, writes its WAV and returns its
/// tag flags and description.
fn write_clip(
    index: usize,
    slot: &Slot,
    recipe: &Recipe,
    dir: &Path,
    opts: &SynthTaggingOptions,
) -> Result<(Vec<bool>, String), SynthError> {
    let sr = opts.sample_rate;
    let mut rng = Rng::stream(opts.seed, index as u64);
    let mut plan = recipe.clip(&mut rng);
    let audio = render(&mut plan, sr, opts.clip_samples(), &mut rng.fork());
    let flags = annotate(&plan, &mut rng.fork());

    let wav_path = dir.join(FOLDERS[slot.folder]).join(&slot.file);
    write_wav_i16(&wav_path, sr, &audio)?;
    Ok((flags, describe(&plan)))
}

fn write_readme(
    dir: &Path,
    opts: &SynthTaggingOptions,
    s: &TaggingSummary,
) -> Result<(), SynthError> {
    let path = dir.join("README.txt");
    let (train, valid, test) = s.split_counts();
    let mut text = format!(
        "Synthetic music-tagging dataset (MagnaTagATune layout), made by cochlea-data's\n\
         synth::generate_tagging. Regenerate it from the seed instead of copying it.\n\
         \n\
         generator: {TAGGING_GENERATOR} version {TAGGING_VERSION}\n\
         seed: {}\n\
         clips: {} in {} albums (train 0-b {train}, valid c {valid}, test d-f {test})\n\
         clip length: {} s, sample_rate: {} Hz, mono, 16-bit PCM WAV\n\
         \n\
         annotations_final.csv  TAB-separated, quoted fields, CRLF: clip_id, {} tags, mp3_path\n\
         0/ .. f/               the clips; mp3_path names the .wav\n\
         manifest.json          generator and options, machine-readable\n\
         \n\
         Tags are weak labels: each true attribute is tagged only with some probability.\n\
         \n\
         clips per tag:\n",
        opts.seed,
        s.clips,
        s.albums,
        opts.clip_seconds,
        opts.sample_rate,
        s.tags.len(),
    );
    let mut idx: Vec<usize> = (0..s.tags.len()).collect();
    idx.sort_by_key(|&i| std::cmp::Reverse(s.tag_counts[i]));
    for i in idx {
        text.push_str(&format!(
            "{:6} {:5.1} % {}\n",
            s.tag_counts[i],
            100.0 * s.tag_counts[i] as f64 / s.clips as f64,
            s.tags[i]
        ));
    }
    text.push_str("\nper clip (clip_id, path, what was drawn):\n");
    for c in &s.clip_list {
        text.push_str(&format!("{} {}: {}\n", c.clip_id, c.path, c.description));
    }
    let mut f = fs::File::create(&path).map_err(SynthError::io(&path))?;
    f.write_all(text.as_bytes()).map_err(SynthError::io(&path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::tag_vocabulary::VOICE_TAGS;
    use crate::testdir::TestDir;
    use std::collections::{BTreeMap, BTreeSet};

    use crate::testdir::tree;

    fn small(seed: u64) -> SynthTaggingOptions {
        SynthTaggingOptions {
            seed,
            clips: 32,
            clip_seconds: 2.05,
            sample_rate: 16_000,
            max_album_clips: 5,
        }
    }

    /// Parses the annotations the way the Theano-era `tagatune.py` reader
    /// of the original file does: drop the two-byte line ending, split at
    /// TAB, strip one quote from each end of every field.
    fn parse_like_tagatune_py(text: &str) -> Vec<Vec<String>> {
        text.split_inclusive('\n')
            .map(|line| {
                let body = &line[..line.len() - 2];
                body.split('\t')
                    .map(|tok| {
                        assert!(
                            tok.starts_with('"') && tok.ends_with('"') && tok.len() >= 2,
                            "{tok:?}"
                        );
                        tok[1..tok.len() - 1].to_string()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_audio() {
        let (a, b, c) = (
            TestDir::new("tag-a"),
            TestDir::new("tag-b"),
            TestDir::new("tag-c"),
        );
        let opts = SynthTaggingOptions {
            clips: 16,
            ..small(7)
        };
        generate_tagging(&a, &opts).unwrap();
        generate_tagging(&b, &opts).unwrap();
        generate_tagging(
            &c,
            &SynthTaggingOptions {
                seed: 8,
                ..opts.clone()
            },
        )
        .unwrap();
        let (ta, tb, tc) = (tree(&a), tree(&b), tree(&c));
        assert_eq!(ta.len(), 16 + 3, "clips, CSV, manifest, README");
        assert!(ta == tb, "same seed gave different files");
        let csv = |t: &[(String, Vec<u8>)]| t.iter().find(|f| f.0 == ANNOTATIONS_FILE).cloned();
        assert!(csv(&ta).is_some());
        let wavs = |t: &[(String, Vec<u8>)]| -> Vec<Vec<u8>> {
            t.iter()
                .filter(|f| f.0.ends_with(".wav"))
                .map(|f| f.1.clone())
                .collect()
        };
        let (wa, wc) = (wavs(&ta), wavs(&tc));
        assert!(
            wa.iter().all(|w| !wc.contains(w)),
            "different seeds gave the same audio"
        );
    }

    #[test]
    fn layout_is_magnatagatunes() {
        let dir = TestDir::new("tag-layout");
        let opts = small(3);
        let summary = generate_tagging(&dir, &opts).unwrap();
        let text = fs::read_to_string(dir.join(ANNOTATIONS_FILE)).unwrap();
        // CR LF after every line, the last one too, and nowhere a bare LF or CR.
        assert!(text.ends_with("\"\r\n"));
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert_eq!(text.matches('\r').count(), text.matches("\r\n").count());
        let rows = parse_like_tagatune_py(&text);
        assert_eq!(rows.len(), 1 + opts.clips);
        let header = &rows[0];
        assert_eq!(header[0], "clip_id");
        assert_eq!(header.last().unwrap(), "mp3_path");
        assert_eq!(&header[1..header.len() - 1], &summary.tags[..]);
        assert!(
            summary.tags.len() > 50,
            "top-50 selection must drop some tags"
        );
        let unique: BTreeSet<&String> = header.iter().collect();
        assert_eq!(unique.len(), header.len(), "duplicate column");

        let mut last_id = 0u64;
        let mut folder_of_album: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        let mut per_folder = BTreeMap::new();
        for (row, clip) in rows[1..].iter().zip(&summary.clip_list) {
            assert_eq!(row.len(), header.len());
            let id: u64 = row[0].parse().expect("clip_id is an integer");
            assert!(id > last_id, "clip ids increase");
            last_id = id;
            assert_eq!(id, clip.clip_id);
            assert!(row[1..row.len() - 1].iter().all(|v| v == "0" || v == "1"));
            let on: Vec<String> = header[1..header.len() - 1]
                .iter()
                .zip(&row[1..row.len() - 1])
                .filter(|p| p.1 == "1")
                .map(|p| p.0.clone())
                .collect();
            assert_eq!(on, clip.tags);
            let path = row.last().unwrap();
            assert_eq!(path, &clip.path);
            let (folder, file) = path.split_once('/').unwrap();
            assert!(FOLDERS.contains(&folder), "{path}");
            // <artist>-<album>-<track>-<title>-<start>-<end>.wav
            let stem = file.strip_suffix(".wav").unwrap();
            let fields: Vec<&str> = stem.split('-').collect();
            assert_eq!(fields.len(), 6, "{file}");
            let (s, e): (f64, f64) = (fields[4].parse().unwrap(), fields[5].parse().unwrap());
            assert!((e - s - opts.clip_seconds).abs() <= 1.0, "{file}");
            assert!(dir.join(path).is_file());
            folder_of_album
                .entry(clip.album)
                .or_default()
                .insert(folder.to_string());
            *per_folder.entry(folder.to_string()).or_insert(0usize) += 1;
        }
        assert!(
            folder_of_album.values().all(|f| f.len() == 1),
            "an album spans folders"
        );
        assert_eq!(per_folder.len(), 16);
        assert!(per_folder.values().all(|&c| c == 2), "{per_folder:?}");
        assert_eq!(summary.split_counts(), (24, 2, 6));
        // Folders interleave in clip-id order.
        let folders: Vec<&str> = summary.clip_list.iter().map(|c| &c.path[..1]).collect();
        assert!(folders.windows(2).filter(|w| w[0] != w[1]).count() > 8);

        let m = manifest::read(&dir).unwrap().unwrap();
        assert_eq!(m.generator, TAGGING_GENERATOR);
        assert_eq!(m.version, TAGGING_VERSION);
        assert_eq!(m.settings, opts.settings());
        assert_eq!(m.settings["clip_seconds"], 2.05);
        let readme = fs::read_to_string(dir.join("README.txt")).unwrap();
        assert!(readme.contains("seed: 3") && readme.contains(TAGGING_GENERATOR));
        assert!(!dir.join(format!("{ANNOTATIONS_FILE}.tmp")).exists());

        // Uneven counts: folders differ by at most one clip.
        let dir2 = TestDir::new("tag-uneven");
        let s2 = generate_tagging(
            &dir2,
            &SynthTaggingOptions {
                clips: 37,
                ..small(4)
            },
        )
        .unwrap();
        let (lo, hi) = (
            s2.folder_counts.iter().min().unwrap(),
            s2.folder_counts.iter().max().unwrap(),
        );
        assert_eq!((*lo, *hi), (2, 3));
        assert_eq!(s2.folder_counts.iter().sum::<usize>(), 37);
    }

    #[test]
    fn audio_has_the_requested_length_and_rate_and_tags_follow_it() {
        let dir = TestDir::new("tag-audio");
        let opts = SynthTaggingOptions {
            sample_rate: 22_050,
            clip_seconds: 1.5,
            ..small(9)
        };
        let summary = generate_tagging(&dir, &opts).unwrap();
        assert_eq!(opts.clip_samples(), 33_075);
        assert!((summary.total_seconds - 32.0 * 1.5).abs() < 1e-9);
        for clip in &summary.clip_list {
            let reader = hound::WavReader::open(dir.join(&clip.path)).unwrap();
            let spec = reader.spec();
            assert_eq!(
                (spec.channels, spec.sample_rate, spec.bits_per_sample),
                (1, 22_050, 16)
            );
            assert_eq!(
                reader.duration() as usize,
                opts.clip_samples(),
                "{}",
                clip.path
            );
            let peak = reader
                .into_samples::<i16>()
                .map(|s| i32::from(s.unwrap()).abs())
                .max()
                .unwrap();
            assert!(
                (1_000..=32_767).contains(&peak),
                "{}: peak {peak}",
                clip.path
            );
            if clip.description.contains("voice none") {
                let voiced: Vec<&String> = clip
                    .tags
                    .iter()
                    .filter(|t| VOICE_TAGS.contains(&t.as_str()))
                    .collect();
                assert!(
                    voiced.is_empty(),
                    "{}: {voiced:?} without a voice",
                    clip.path
                );
            }
        }
    }

    #[test]
    fn refuses_bad_options_and_non_empty_directories() {
        let dir = TestDir::new("tag-refuse");
        let few = SynthTaggingOptions {
            clips: 15,
            ..small(0)
        };
        assert!(matches!(
            generate_tagging(&dir, &few),
            Err(SynthError::InvalidOption { field: "clips", .. })
        ));
        let short = SynthTaggingOptions {
            clip_seconds: 0.5,
            ..small(0)
        };
        assert!(matches!(
            generate_tagging(&dir, &short),
            Err(SynthError::InvalidOption {
                field: "clip_seconds",
                ..
            })
        ));
        fs::write(dir.join("keep.txt"), "x").unwrap();
        assert!(matches!(
            generate_tagging(&dir, &small(0)),
            Err(SynthError::NotEmpty { .. })
        ));
        assert!(!dir.join("0").exists());
    }

    #[test]
    fn default_options_are_the_documented_ones() {
        let d = SynthTaggingOptions::default();
        assert_eq!((d.sample_rate, d.clip_seconds), (16_000, 29.1));
        assert_eq!(d.clip_samples(), 465_600);
        assert!(d.validate().is_ok());
    }
}
