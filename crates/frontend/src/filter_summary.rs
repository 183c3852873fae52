//! A host-side description of what a frontend's filters look like, for
//! plotting (`cochlea inspect --filters`) and for reports.
//!
//! Every frontend describes itself as per-band series (centre frequency,
//! bandwidth as full width at half maximum, and whatever else it learns) plus
//! the magnitude responses of a few bands, all in physical units (Hz, ms).

/// One value per band, e.g. the centre frequencies.
#[derive(Debug, Clone, PartialEq)]
pub struct BandSeries {
    /// What is plotted, e.g. "centre frequency".
    pub name: String,
    /// Unit of the values, e.g. "Hz".
    pub unit: String,
    /// One value per band, in band order.
    pub values: Vec<f64>,
}

/// The magnitude response of one band on a frequency grid.
#[derive(Debug, Clone, PartialEq)]
pub struct BandResponse {
    /// Band index.
    pub band: usize,
    /// Frequencies in Hz.
    pub freqs_hz: Vec<f64>,
    /// Linear gain at each frequency (peak 1 for Gabor filters).
    pub gain: Vec<f64>,
}

/// What a frontend's filters look like.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterSummary {
    /// The frontend kind, as in the config (`mel`, `gabor`, ...).
    pub kind: String,
    /// Sample rate the filters are defined for.
    pub sample_rate: f64,
    /// Per-band series; the first two are always "centre frequency" and
    /// "bandwidth (FWHM)" in Hz.
    pub series: Vec<BandSeries>,
    /// Responses of a few bands spread over the range.
    pub responses: Vec<BandResponse>,
}

impl FilterSummary {
    /// The series called `name`, if the frontend has it.
    pub fn series(&self, name: &str) -> Option<&BandSeries> {
        self.series.iter().find(|s| s.name == name)
    }
}

/// Indices of `count` bands spread evenly over `bands` (first and last included).
pub fn spread_bands(bands: usize, count: usize) -> Vec<usize> {
    if bands == 0 || count == 0 {
        return Vec::new();
    }
    let count = count.min(bands);
    if count == 1 {
        return vec![0];
    }
    let mut picked: Vec<usize> = (0..count)
        .map(|i| (i * (bands - 1) + (count - 1) / 2) / (count - 1))
        .collect();
    picked.dedup();
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_bands_covers_both_ends_without_repeats() {
        assert_eq!(spread_bands(80, 5), vec![0, 20, 40, 59, 79]);
        assert_eq!(spread_bands(3, 8), vec![0, 1, 2]);
        assert_eq!(spread_bands(10, 1), vec![0]);
        assert!(spread_bands(0, 4).is_empty());
    }
}
