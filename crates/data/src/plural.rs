//! A count and its noun for reports: `1 song`, `3 songs` (the noun's plural
//! is its singular with an `s`).

/// `n` and `what`, plural when `n` is not 1.
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(super::count(1, "song"), "1 song");
        assert_eq!(super::count(0, "track"), "0 tracks");
        assert_eq!(super::count(8, "song"), "8 songs");
    }
}
