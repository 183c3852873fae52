//! Keeps freed memory in the process heap (glibc only).
//!
//! burn allocates and frees many tensors of tens of megabytes per training
//! step. With glibc's defaults each of them is a fresh `mmap` that the kernel
//! zero-fills page by page, and freed memory goes back to the system; on the
//! quickstart that made a training step 1.6x slower (23.3 against 36.7
//! excerpts/s, same results). glibc reads its malloc settings only at
//! start-up, so the process replaces itself (same PID, same arguments) with
//! the settings in its environment. `COCHLEA_SYSTEM_MALLOC=1` keeps the
//! defaults. The `cochlea` binary and the benches call it first thing, so
//! that what the benches time is what training runs.

/// Larger than any tensor: never `mmap` an allocation, never trim the heap.
pub const SETTINGS: [(&str, &str); 2] = [
    ("MALLOC_MMAP_THRESHOLD_", "4294967296"),
    ("MALLOC_TRIM_THRESHOLD_", "17179869184"),
];

/// Re-executes the program with [`SETTINGS`] unless they are in effect
/// already; returns (and the program goes on unchanged) if that fails.
#[cfg(all(unix, target_env = "gnu"))]
pub fn keep_freed_memory() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("COCHLEA_SYSTEM_MALLOC").is_some()
        || SETTINGS
            .iter()
            .all(|(key, _)| std::env::var_os(key).is_some())
    {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    // `exec` returns only if it failed; then run with the defaults.
    let _ = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .envs(SETTINGS)
        .exec();
}

/// Other platforms keep their allocator's behaviour.
#[cfg(not(all(unix, target_env = "gnu")))]
pub fn keep_freed_memory() {
    let _ = SETTINGS;
}
