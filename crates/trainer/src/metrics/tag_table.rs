//! Markdown rendering of [`TaggingMetrics`]: one row per tag (positives,
//! ROC-AUC, PR-AUC, threshold, F1), then the macro means, columns
//! right-aligned to the widest cell as in the other reports
//! (`evaluate::render_table`, `inspect`'s tables).

use super::tagging::{TagMetrics, TaggingMetrics};

/// Why a tag's figures are missing: "n/a (no positive)" or "n/a (no
/// negative)" when the split lacks a class, "n/a (no threshold)" when only
/// the threshold is missing.
fn missing(t: &TagMetrics) -> &'static str {
    if t.positives == 0 {
        "n/a (no positive)"
    } else if t.negatives == 0 {
        "n/a (no negative)"
    } else {
        "n/a (no threshold)"
    }
}

/// A figure in `0..=1` with 4 decimals, or why it is missing.
fn figure(v: Option<f64>, t: &TagMetrics) -> String {
    v.map_or_else(|| missing(t).to_string(), |v| format!("{v:.4}"))
}

/// A threshold with 4 significant digits (scientific below 1e-4).
fn threshold(t: Option<f32>) -> String {
    match t {
        None => "n/a".to_string(),
        Some(0.0) => "0".to_string(),
        Some(t) if t.abs() < 1e-4 || t.abs() >= 1e4 => format!("{t:.3e}"),
        Some(t) => {
            let digits = 3 - f64::from(t.abs()).log10().floor() as i32;
            format!("{t:.*}", digits.max(0) as usize)
        }
    }
}

/// Rows padded on the left to each column's widest cell.
fn aligned(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let padded: Vec<String> = cells
            .zip(&widths)
            .map(|(cell, w)| format!("{}{cell}", " ".repeat(w - cell.chars().count())))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut s = line(&mut header.iter().copied());
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    s.push_str(&format!("|-{}-|\n", rule.join("-|-")));
    for row in rows {
        s.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    s
}

/// The tagging metrics of one split as a markdown table: a summary line,
/// one row per tag (tag, positives, ROC-AUC, PR-AUC, threshold, F1; "n/a
/// (no positive)" / "n/a (no negative)" where a figure is undefined), then
/// the macro means over the tags with both classes.
pub fn render_tagging_table(m: &TaggingMetrics) -> String {
    let mut rows: Vec<Vec<String>> = m
        .tags
        .iter()
        .map(|t| {
            vec![
                t.name.replace('|', "\\|"),
                t.positives.to_string(),
                figure(t.roc_auc, t),
                figure(t.pr_auc, t),
                threshold(t.threshold),
                figure(t.f1, t),
            ]
        })
        .collect();
    let macro_figure = |v: Option<f64>| v.map_or_else(|| "n/a".to_string(), |v| format!("{v:.4}"));
    let defined = m.tags.len() - m.undefined.len();
    rows.push(vec![
        format!(
            "macro mean ({defined} tag{})",
            if defined == 1 { "" } else { "s" }
        ),
        String::new(),
        macro_figure(m.macro_roc_auc),
        macro_figure(m.macro_pr_auc),
        String::new(),
        macro_figure(m.macro_f1),
    ]);

    let mut s = format!("{} clips, {} tags", m.clips, m.tags.len());
    if m.undefined.is_empty() {
        s.push('\n');
    } else {
        s.push_str(&format!(
            "; left out of the macro means (one class only): {}\n",
            m.undefined.join(", ")
        ));
    }
    s.push('\n');
    s.push_str(&aligned(
        &["tag", "positives", "ROC-AUC", "PR-AUC", "threshold", "F1"],
        &rows,
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::super::tagging::tagging_metrics;
    use super::*;

    #[test]
    fn renders_rows_macro_and_undefined_tags() {
        let tags: Vec<String> = ["rock", "never", "al|ways"].map(String::from).to_vec();
        // [clips = 4, tags = 3]
        let labels = [
            true, false, true, //
            false, false, true, //
            true, false, true, //
            false, false, true,
        ];
        let scores = [
            0.9, 0.1, 0.2, //
            0.2, 0.5, 0.3, //
            0.8, 0.3, 0.4, //
            0.1, 0.7, 0.5,
        ];
        let m = tagging_metrics(
            &tags,
            &labels,
            &scores,
            Some(&[Some(0.5), Some(0.25), None]),
        );
        let got = render_tagging_table(&m);
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(
            lines[0],
            "4 clips, 3 tags; left out of the macro means (one class only): never, al|ways"
        );
        assert_eq!(lines[1], "");
        let table = [
            "|                tag | positives |           ROC-AUC |            PR-AUC | threshold |                F1 |",
            "|               rock |         2 |            1.0000 |            1.0000 |    0.5000 |            1.0000 |",
            "|              never |         0 | n/a (no positive) | n/a (no positive) |    0.2500 | n/a (no positive) |",
            "|           al\\|ways |         4 | n/a (no negative) | n/a (no negative) |       n/a | n/a (no negative) |",
            "| macro mean (1 tag) |           |            1.0000 |            1.0000 |           |            1.0000 |",
        ];
        assert_eq!(lines[2], table[0]);
        assert_eq!(&lines[4..], &table[1..]);
        assert_eq!(lines.len(), 8);
        assert!(lines[3].starts_with("|-----") && lines[3].len() == lines[2].len());
    }

    #[test]
    fn thresholds_keep_four_significant_digits() {
        assert_eq!(threshold(Some(0.5)), "0.5000");
        assert_eq!(threshold(Some(0.035)), "0.03500");
        assert_eq!(threshold(Some(12.5)), "12.50");
        assert_eq!(threshold(Some(0.0)), "0");
        assert_eq!(threshold(Some(1e-6)), "1.000e-6");
        assert_eq!(threshold(None), "n/a");
    }
}
