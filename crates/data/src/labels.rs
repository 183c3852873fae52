//! Singing-voice segment labels (`.lab` files) and their conversion to frame
//! targets.
//!
//! Format (Jamendo, Ramona et al. 2008; see reference/LITERATURE.md §4): one
//! segment per non-empty line, `start end label`, whitespace separated, times
//! in seconds; label `sing` means the voice is present (1), `nosing` absent
//! (0). Any other label, a line without exactly three fields, a time that is
//! not a finite non-negative number, or a segment ending before it starts is
//! an error naming the file and the 1-based line.
//!
//! Overlap rule: the segments are sorted by start time, then end time
//! (stably, so the file may list them in any order) and each must start at
//! or after the end of the one before it (a zero-length segment overlaps
//! nothing); touching segments (`end == next start`) are fine, gaps are
//! fine (gaps count as "no voice"). [`read_lab`] returns the segments in that
//! sorted order.
//!
//! Frame targets: frame `i` has timestamp `i / fps`; a segment sets every
//! frame whose timestamp lies in `[start, end)`.

use std::path::Path;

use crate::error::{DataError, Result};

/// One labelled time span.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// Start time in seconds (inclusive).
    pub start: f64,
    /// End time in seconds (exclusive).
    pub end: f64,
    /// Whether singing voice is present.
    pub sung: bool,
}

/// Reads a `.lab` file; segments come back sorted by start time.
pub fn read_lab(path: &Path) -> Result<Vec<Segment>> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    parse_lab(&bytes, path)
}

/// Parses the contents of a `.lab` file; `path` is used in errors only.
pub fn parse_lab(bytes: &[u8], path: &Path) -> Result<Vec<Segment>> {
    Ok(parse_lab_lines(bytes, path)?
        .into_iter()
        .map(|(s, _)| s)
        .collect())
}

/// As [`parse_lab`], with the 1-based line each segment was read from
/// (a leading byte-order mark does not count as a line).
pub fn parse_lab_lines(bytes: &[u8], path: &Path) -> Result<Vec<(Segment, usize)>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let malformed = |line: usize, reason: String| DataError::LabMalformed {
        path: path.to_owned(),
        line,
        reason,
    };
    // (segment, 1-based line)
    let mut segments: Vec<(Segment, usize)> = Vec::new();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let text = std::str::from_utf8(raw)
            .map_err(|_| malformed(line, "the line is not valid UTF-8".into()))?;
        let fields: Vec<&str> = text.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [start, end, label] = fields[..] else {
            return Err(malformed(
                line,
                format!("found {} fields instead of 3", fields.len()),
            ));
        };
        let time = |s: &str, what: &str| -> Result<f64> {
            match s.parse::<f64>() {
                Ok(t) if t.is_finite() && t >= 0.0 => Ok(t),
                _ => Err(malformed(
                    line,
                    format!("{what} time '{s}' is not a finite non-negative number"),
                )),
            }
        };
        let start = time(start, "start")?;
        let end = time(end, "end")?;
        let sung = match label {
            "sing" => true,
            "nosing" => false,
            other => {
                return Err(DataError::LabUnknownLabel {
                    path: path.to_owned(),
                    line,
                    label: other.to_owned(),
                });
            }
        };
        if end < start {
            return Err(DataError::LabReversed {
                path: path.to_owned(),
                line,
                start,
                end,
            });
        }
        segments.push((Segment { start, end, sung }, line));
    }
    // By start, then end: a zero-length segment sorts before the one that
    // starts where it is, and overlaps nothing.
    segments.sort_by(|a, b| (a.0.start.total_cmp(&b.0.start)).then(a.0.end.total_cmp(&b.0.end)));
    for pair in segments.windows(2) {
        let ((prev, prev_line), (next, next_line)) = (pair[0], pair[1]);
        if next.start < prev.end {
            return Err(DataError::LabOverlap {
                path: path.to_owned(),
                line: next_line,
                start: next.start,
                other_line: prev_line,
                other_end: prev.end,
            });
        }
    }
    Ok(segments)
}

/// `segments` as the text of a `.lab` file, one `start end sing|nosing`
/// line each; times in Rust's shortest decimal that reads back as the same
/// number, so [`parse_lab`] returns exactly `segments` (sorted).
pub fn format_lab(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| {
            let label = if s.sung { "sing" } else { "nosing" };
            format!("{} {} {label}\n", s.start, s.end)
        })
        .collect()
}

/// Frame targets: frame `i` (timestamp `i / fps` seconds) is 1.0 if it lies
/// in `[start, end)` of a sung segment, else 0.0.
///
/// `fps` must be finite and positive (it comes from the configuration, which
/// should validate it); otherwise every frame is 0.0.
pub fn frame_labels(segments: &[Segment], n_frames: usize, fps: f64) -> Vec<f32> {
    let mut out = vec![0.0f32; n_frames];
    if !(fps.is_finite() && fps > 0.0) {
        return out;
    }
    let ts = |i: usize| i as f64 / fps;
    // First frame index whose timestamp is >= t, exactly per `ts`.
    let first_at_or_after = |t: f64| -> usize {
        let guess = (t * fps).ceil();
        let mut i = if guess <= 0.0 {
            0
        } else if guess >= n_frames as f64 {
            n_frames
        } else {
            guess as usize
        };
        while i > 0 && ts(i - 1) >= t {
            i -= 1;
        }
        while i < n_frames && ts(i) < t {
            i += 1;
        }
        i
    };
    for seg in segments {
        let value = if seg.sung { 1.0 } else { 0.0 };
        let (a, b) = (first_at_or_after(seg.start), first_at_or_after(seg.end));
        if a < b {
            out[a..b].fill(value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Segment>> {
        parse_lab(text.as_bytes(), Path::new("labels/song.lab"))
    }

    fn seg(start: f64, end: f64, sung: bool) -> Segment {
        Segment { start, end, sung }
    }

    #[test]
    fn formatted_segments_read_back_exactly() {
        let segments = vec![
            Segment {
                start: 0.0,
                end: 1.0 / 3.0,
                sung: false,
            },
            Segment {
                start: 1.0 / 3.0,
                end: 12.345678901234567,
                sung: true,
            },
            Segment {
                start: 12.345678901234567,
                end: 30.0,
                sung: false,
            },
        ];
        let text = format_lab(&segments);
        assert!(text.starts_with("0 0.3333333333333333 nosing\n"), "{text}");
        assert_eq!(
            parse_lab(text.as_bytes(), Path::new("x.lab")).unwrap(),
            segments
        );
    }

    #[test]
    fn parses_lines_blank_lines_crlf_and_bom() {
        let text = "\u{feff}0 1.5 nosing\r\n\r\n1.5\t4.25   sing\r\n   \n4.25 10 nosing";
        assert_eq!(
            parse(text).unwrap(),
            vec![
                seg(0.0, 1.5, false),
                seg(1.5, 4.25, true),
                seg(4.25, 10.0, false)
            ]
        );
    }

    #[test]
    fn unordered_lines_are_sorted_by_start() {
        let got = parse("5 6 sing\n0 2 nosing\n2 5 sing\n").unwrap();
        assert_eq!(
            got,
            vec![
                seg(0.0, 2.0, false),
                seg(2.0, 5.0, true),
                seg(5.0, 6.0, true)
            ]
        );
    }

    #[test]
    fn a_zero_length_segment_overlaps_nothing_and_keeps_its_line() {
        let got =
            parse_lab_lines(b"2 5 sing\n2 2 nosing\n0 2 nosing\n", Path::new("x.lab")).unwrap();
        assert_eq!(
            got,
            vec![
                (seg(0.0, 2.0, false), 3),
                (seg(2.0, 2.0, false), 2),
                (seg(2.0, 5.0, true), 1)
            ]
        );
    }

    fn assert_err(text: &str, check: impl Fn(&DataError) -> bool) {
        let err = parse(text).unwrap_err();
        assert!(check(&err), "unexpected error for {text:?}: {err}");
        assert!(err.to_string().contains("labels/song.lab:"), "{err}");
    }

    #[test]
    fn unknown_label_names_line() {
        assert_err(
            "0 1 sing\n\n1 2 Sing\n",
            |e| matches!(e, DataError::LabUnknownLabel { line: 3, label, .. } if label == "Sing"),
        );
    }

    #[test]
    fn malformed_lines_name_line() {
        assert_err("0 1 sing\n1 x sing\n", |e| {
            matches!(e, DataError::LabMalformed { line: 2, .. })
        });
        assert_err("0 1\n", |e| {
            matches!(e, DataError::LabMalformed { line: 1, .. })
        });
        assert_err("0 1 sing extra\n", |e| {
            matches!(e, DataError::LabMalformed { line: 1, .. })
        });
        assert_err("\n\n0 nan sing\n", |e| {
            matches!(e, DataError::LabMalformed { line: 3, .. })
        });
        assert_err("0 inf sing\n", |e| {
            matches!(e, DataError::LabMalformed { line: 1, .. })
        });
        assert_err("-1 2 sing\n", |e| {
            matches!(e, DataError::LabMalformed { line: 1, .. })
        });
        let err = parse_lab(b"0 1 sing\n1 2 \xff\n", Path::new("l.lab")).unwrap_err();
        assert!(
            matches!(err, DataError::LabMalformed { line: 2, .. }),
            "{err}"
        );
    }

    #[test]
    fn reversed_segment_names_line() {
        assert_err("0 1 sing\n3 2 nosing\n", |e| {
            matches!(e, DataError::LabReversed { line: 2, start, end, .. }
                if *start == 3.0 && *end == 2.0)
        });
    }

    #[test]
    fn overlap_names_both_lines() {
        assert_err("0 2 sing\n1.5 3 nosing\n", |e| {
            matches!(
                e,
                DataError::LabOverlap {
                    line: 2,
                    other_line: 1,
                    ..
                }
            )
        });
        // Out of file order: the later-starting segment is on line 1.
        assert_err("5 7 sing\n0 1 nosing\n4 6 sing\n", |e| {
            matches!(
                e,
                DataError::LabOverlap {
                    line: 1,
                    other_line: 3,
                    ..
                }
            )
        });
    }

    #[test]
    fn empty_file_has_no_segments() {
        assert!(parse("").unwrap().is_empty());
        assert!(parse("\n \r\n").unwrap().is_empty());
    }

    #[test]
    fn read_lab_reports_missing_file() {
        let err = read_lab(Path::new("/nonexistent/x.lab")).unwrap_err();
        assert!(matches!(err, DataError::Io { .. }), "{err}");
    }

    #[test]
    fn frame_labels_use_half_open_intervals() {
        // fps 10: frame i at i/10 s.
        let segs = [
            seg(0.2, 0.5, true),
            seg(0.5, 0.7, false),
            seg(0.7, 0.9, true),
        ];
        let y = frame_labels(&segs, 12, 10.0);
        //          0    1    2    3    4    5    6    7    8    9    10   11
        let want = [0., 0., 1., 1., 1., 0., 0., 1., 1., 0., 0., 0.];
        assert_eq!(y, want);
    }

    #[test]
    fn frame_labels_boundaries_that_are_inexact_in_binary() {
        // 0.3 * 10 and 3 / 10 differ in the last bit: the frame at
        // timestamp 3/10 must be included iff 3/10 >= start.
        let fps = 10.0;
        for k in 0..50usize {
            let start = k as f64 / fps; // exactly frame k's timestamp
            let y = frame_labels(&[seg(start, 100.0, true)], 60, fps);
            assert_eq!(y.iter().position(|&v| v == 1.0), Some(k), "k = {k}");
            let y = frame_labels(&[seg(0.0, start, true)], 60, fps);
            assert_eq!(y.iter().filter(|&&v| v == 1.0).count(), k, "k = {k}");
        }
        // Real-valued boundaries with an awkward frame rate.
        let fps = 22050.0 / 315.0; // 70 fps
        let y = frame_labels(&[seg(0.1, 0.3, true)], 30, fps);
        let want: Vec<f32> = (0..30)
            .map(|i| {
                let t = i as f64 / fps;
                if (0.1..0.3).contains(&t) { 1.0 } else { 0.0 }
            })
            .collect();
        assert_eq!(y, want);
    }

    #[test]
    fn frame_labels_clip_to_range_and_reject_bad_fps() {
        let y = frame_labels(&[seg(0.0, 1000.0, true)], 5, 10.0);
        assert_eq!(y, vec![1.0; 5]);
        let y = frame_labels(&[seg(100.0, 1000.0, true)], 5, 10.0);
        assert_eq!(y, vec![0.0; 5]);
        assert_eq!(frame_labels(&[seg(0.0, 1.0, true)], 3, 0.0), vec![0.0; 3]);
        assert_eq!(
            frame_labels(&[seg(0.0, 1.0, true)], 3, f64::NAN),
            vec![0.0; 3]
        );
        assert!(frame_labels(&[seg(0.0, 1.0, true)], 0, 10.0).is_empty());
    }
}
