//! Writing a song's corrupted segments back as a `.lab` file (Jamendo;
//! format in [`crate::labels`]) that differs from the original only where a
//! segment changed: every other line, blank lines, a byte-order mark and the
//! line ends are kept byte for byte; in a changed line only the changed
//! fields are replaced (a time by Rust's shortest round-trip decimal, which
//! reads back as the same number; a label by `sing` or `nosing`) and the
//! whitespace between fields stays.

use crate::labels::Segment;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file `original` (whose segments, as [`crate::labels::parse_lab_lines`]
/// read them with their 1-based lines, are `clean`) with the segments
/// `noisy` (the same segments, in the same order, corrupted).
pub(crate) fn render_lab(
    original: &[u8],
    clean: &[(Segment, usize)],
    noisy: &[Segment],
) -> Vec<u8> {
    let (bom, body) = match original.strip_prefix(BOM) {
        Some(rest) => (BOM, rest),
        None => (&b""[..], original),
    };
    let mut changed: Vec<Option<(Segment, Segment)>> = Vec::new();
    for (&(before, line), &after) in clean.iter().zip(noisy) {
        if before != after {
            if changed.len() < line {
                changed.resize(line, None);
            }
            changed[line - 1] = Some((before, after));
        }
    }
    let mut out = bom.to_vec();
    for (i, text) in body.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        match changed.get(i).copied().flatten() {
            Some((before, after)) => out.extend(render_line(text, before, after)),
            None => out.extend_from_slice(text),
        }
    }
    out
}

/// `line` (the text of `before`, without its `\n`) with the fields that
/// differ in `after` replaced.
fn render_line(line: &[u8], before: Segment, after: Segment) -> Vec<u8> {
    // parse_lab_lines read this line as UTF-8 with three fields.
    let Ok(text) = std::str::from_utf8(line) else {
        return line.to_vec();
    };
    let mut fields: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                fields.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let label = |sung: bool| if sung { "sing" } else { "nosing" };
    let replacements = [
        (before.start != after.start).then(|| after.start.to_string()),
        (before.end != after.end).then(|| after.end.to_string()),
        (before.sung != after.sung).then(|| label(after.sung).to_string()),
    ];
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for (&(s, e), new) in fields.iter().zip(&replacements) {
        if let Some(new) = new {
            out.push_str(&text[at..s]);
            out.push_str(new);
            at = e;
        }
    }
    out.push_str(&text[at..]);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::labels::{parse_lab, parse_lab_lines};

    #[test]
    fn only_changed_fields_of_changed_lines_are_rewritten() {
        let original =
            "\u{feff}5.25\t7.5 sing\r\n\r\n0 2.5   nosing\r\n2.5 5.25 sing\r\n7.5 9 nosing";
        let lines = parse_lab_lines(original.as_bytes(), Path::new("a.lab")).unwrap();
        let mut noisy: Vec<Segment> = lines.iter().map(|(s, _)| *s).collect();
        // Sorted: [0, 2.5) line 3, [2.5, 5.25) line 4, [5.25, 7.5) line 1, [7.5, 9) line 5.
        noisy[0].sung = true;
        noisy[0].end = 2.0 + 1.0 / 3.0;
        noisy[1].start = 2.0 + 1.0 / 3.0;
        let written = render_lab(original.as_bytes(), &lines, &noisy);
        let text = String::from_utf8(written.clone()).unwrap();
        assert_eq!(
            text,
            "\u{feff}5.25\t7.5 sing\r\n\r\n0 2.3333333333333335   sing\r\n\
             2.3333333333333335 5.25 sing\r\n7.5 9 nosing"
        );
        assert_eq!(parse_lab(&written, Path::new("a.lab")).unwrap(), noisy);
        // Nothing changed: the same bytes.
        let clean: Vec<Segment> = lines.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            render_lab(original.as_bytes(), &lines, &clean),
            original.as_bytes()
        );
    }
}
