//! The label-noise audit as text (`<run>/label-noise/audit.txt`, and what
//! `cochlea inspect` prints): the request, which splits were corrupted,
//! and per split a table of requested against achieved rates, with the
//! counts `k / n` they come from.

use std::fmt::Write as _;

use super::audit::{NoiseAudit, SongSplitAudit, SplitAudit, TagFlips, TagSplitAudit};
use super::config::LabelNoiseConfig;
use crate::plural::count;

/// The whole audit as text.
pub fn render_audit(audit: &NoiseAudit) -> String {
    let mut s = String::new();
    let seeds = match audit.training_seed {
        Some(t) => format!("noise seed {}, training seed {t}", audit.noise_seed),
        None => format!("noise seed {}", audit.noise_seed),
    };
    let _ = writeln!(s, "label noise: {} ({seeds})", request(&audit.requested));
    let _ = writeln!(
        s,
        "corrupted splits: {}; clean: {}",
        audit.corrupted_splits.join(", "),
        audit.clean_splits.join(", ")
    );
    let _ = writeln!(s, "{}", audit.note);
    for split in &audit.per_split {
        s.push('\n');
        match split {
            SplitAudit::Tags(t) => tags(&mut s, t),
            SplitAudit::Segments(a) => songs(&mut s, a),
        }
    }
    s
}

/// `kind = "...", rate = ..., ...` of the request.
fn request(c: &LabelNoiseConfig) -> String {
    let mut parts = vec![format!("kind = \"{}\"", c.kind.name())];
    for (key, value) in [
        ("rate", c.rate),
        ("add_rate", c.add_rate),
        ("drop_rate", c.drop_rate),
        ("max_shift", c.max_shift),
    ] {
        if let Some(v) = value {
            parts.push(format!("{key} = {v}"));
        }
    }
    if let Some(rates) = &c.rates {
        let r: Vec<String> = rates
            .iter()
            .map(|(t, v)| format!("\"{t}\" = {v}"))
            .collect();
        parts.push(format!("rates = {{ {} }}", r.join(", ")));
    }
    if let Some(table) = &c.confusion {
        let rows: Vec<String> = table
            .iter()
            .map(|(from, row)| {
                let to: Vec<String> = row.iter().map(|(t, w)| format!("\"{t}\" = {w}")).collect();
                format!("\"{from}\" = {{ {} }}", to.join(", "))
            })
            .collect();
        parts.push(format!("confusion = {{ {} }}", rows.join(", ")));
    }
    parts.join(", ")
}

fn tags(s: &mut String, t: &TagSplitAudit) {
    let _ = writeln!(s, "split {}: {}", t.split, count(t.clips, "clip"));
    let header = [
        "tag",
        "0→1 requested",
        "achieved",
        "k / n",
        "1→0 requested",
        "achieved",
        "k / n",
    ];
    let row = |f: &TagFlips| {
        vec![
            f.tag.clone(),
            rate(f.requested_add),
            rate(f.achieved_add),
            format!("{} / {}", f.added, f.negatives),
            rate(f.requested_drop),
            rate(f.achieved_drop),
            format!("{} / {}", f.dropped, f.positives),
        ]
    };
    let mut rows: Vec<Vec<String>> = t.tags.iter().map(row).collect();
    rows.push(row(&t.all_tags));
    s.push_str(&table(&header, &rows));
    if !t.moves.is_empty() {
        let _ = writeln!(s, "confusion moves in split {}:", t.split);
        let header = [
            "from",
            "requested",
            "achieved",
            "k / n",
            "to: share expected → achieved (moves)",
        ];
        let rows: Vec<Vec<String>> = t
            .moves
            .iter()
            .map(|m| {
                let to: Vec<String> =
                    m.to.iter()
                        .map(|d| {
                            format!(
                                "{} {:.3} → {} ({})",
                                d.tag,
                                d.expected_share,
                                d.share.map_or("-".into(), |v| format!("{v:.3}")),
                                d.moves
                            )
                        })
                        .collect();
                vec![
                    m.from.clone(),
                    rate(Some(m.requested)),
                    rate(m.achieved),
                    format!("{} / {}", m.moved, m.positives),
                    to.join(", "),
                ]
            })
            .collect();
        s.push_str(&table(&header, &rows));
    }
}

fn songs(s: &mut String, a: &SongSplitAudit) {
    let _ = writeln!(
        s,
        "split {}: {}, {:.1} s, {} frames",
        a.split,
        count(a.songs, "song"),
        a.seconds,
        a.frames
    );
    if let Some(f) = &a.segments {
        let header = ["segments", "requested", "achieved", "k / n"];
        let rows = vec![
            vec![
                "sing→nosing".into(),
                rate(Some(f.requested)),
                rate(f.achieved_sung_to_unsung),
                format!("{} / {}", f.sung_flipped, f.sung),
            ],
            vec![
                "nosing→sing".into(),
                rate(Some(f.requested)),
                rate(f.achieved_unsung_to_sung),
                format!("{} / {}", f.unsung_flipped, f.unsung),
            ],
        ];
        s.push_str(&table(&header, &rows));
    }
    if let Some(b) = &a.boundaries {
        let _ = writeln!(
            s,
            "boundaries moved: {} / {} (requested {}, achieved {}); max_shift {} s, mean |shift| {}",
            b.moved,
            b.boundaries,
            rate(Some(b.requested)),
            rate(b.achieved),
            b.max_shift,
            b.mean_abs_shift.map_or("-".into(), |v| format!("{v:.4} s"))
        );
    }
    let _ = writeln!(
        s,
        "time relabelled: {:.2} s to sing, {:.2} s to nosing ({} of the time); \
         frames: {} to sing, {} to nosing ({} of the frames)",
        a.seconds_to_sung,
        a.seconds_to_unsung,
        percent(a.fraction_of_time_changed),
        a.frames_to_sung,
        a.frames_to_unsung,
        percent(a.fraction_of_frames_changed)
    );
}

fn rate(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.4}"))
}

fn percent(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:.2} %", 100.0 * v))
}

/// A right-aligned markdown table.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = widths
            .iter()
            .zip(cells)
            .map(|(w, cell)| format!("{}{cell}", " ".repeat(w - cell.chars().count())))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut s = line(header.to_vec());
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let _ = writeln!(s, "|-{}-|", rule.join("-|-"));
    for row in rows {
        s.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    s
}
