//! CSV as RFC 4180 writes it: fields separated by commas, records ended by
//! CRLF, and a field that holds a comma, a double quote, CR or LF enclosed
//! in double quotes with each inner quote doubled.

use std::borrow::Cow;

/// `field` as it appears in a record.
pub fn field(field: &str) -> Cow<'_, str> {
    if field.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

/// One record, CRLF included.
pub fn record<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_quotes_doubled() {
        assert_eq!(field("plain 1.5"), "plain 1.5");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("cr\r"), "\"cr\r\"");
        assert_eq!(field(""), "");
        assert_eq!(
            record(&["seed", "frontend=a,b", "x\"y"]),
            "seed,\"frontend=a,b\",\"x\"\"y\"\r\n"
        );
    }

    /// Python's csv module reads back what was written (the reference reader).
    #[test]
    fn python_csv_reads_the_records_back() {
        let rows = [
            vec!["key", "value"],
            vec!["a,b", "say \"hi\""],
            vec!["two\nlines", ""],
        ];
        let text: String = rows.iter().map(|r| record(r)).collect();
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import csv, io, json, sys; \
                 f = io.TextIOWrapper(sys.stdin.buffer, newline=''); \
                 print(json.dumps(list(csv.reader(f, strict=True))))",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(text.as_bytes())?;
                child.wait_with_output()
            })
            .expect("python3 runs (the tests need Python 3)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
        let want: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(read, want);
    }
}
