//! Atomic file writes: the bytes go to a uniquely named temporary file in
//! the target's folder, are flushed to disk (`fsync`), and the file is
//! renamed onto the target, so that a reader (or a resumed run) sees either
//! the old file or the complete new one, never a partial file. Concurrent
//! writers of the same path each write complete files and the last rename
//! wins.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh temporary path next to `path` (unique within and across processes).
pub fn temporary_sibling(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    path.with_file_name(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Writes `path` atomically, `write` filling a buffered writer.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = temporary_sibling(path);
    let result = (|| {
        let file = File::options().write(true).create_new(true).open(&tmp)?;
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    // Make the rename itself durable; not all platforms can fsync a folder.
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Ok(d) = File::open(dir.unwrap_or(Path::new("."))) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically.
pub fn write_bytes_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically(path, |f| f.write_all(bytes))
}

/// Writes `text` to `path` atomically.
pub fn write_string_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    write_bytes_atomically(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::TestDir;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = TestDir::new("atomic");
        let path = dir.join("a.json");
        write_string_atomically(&path, "one").unwrap();
        write_string_atomically(&path, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(&*dir).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "a temporary file was left behind");
    }

    #[test]
    fn a_failing_writer_keeps_the_old_file() {
        let dir = TestDir::new("atomic-fail");
        let path = dir.join("a.txt");
        write_string_atomically(&path, "old").unwrap();
        let err = write_atomically(&path, |_| Err(std::io::Error::other("disk full")));
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(&*dir).unwrap().count(), 1);
    }
}
