//! How the Gabor bank is evaluated for one input length: zero-padded FFT
//! length, and bands grouped by the decimated length their output needs.
//!
//! The squared modulus `|x * g_b|^2` of a band-limited filter output needs
//! far fewer samples than the waveform. Band `b`'s response is a Gaussian of
//! standard deviation `M / (2 pi sigma_b)` bins on an `M`-point DFT grid; we
//! keep `L_b` bins around its centre, enough for `support` standard
//! deviations on each side plus the bins the time-averaging window needs
//! (its own Gaussian, `support` standard deviations of `M / (2 pi s_b)` bins
//! for an averaging window of `s_b` samples), rounded up to a power of two
//! for burn's inverse FFT. Bands with the same `L` form one group, computed
//! in one batched inverse FFT of length `2 L` (see [`crate::gabor_energy`]).
//!
//! The plan depends on the parameters only through rounding (centre bins, the
//! power of two), so it is built from detached values; the gradients flow
//! through the Gaussian weights, not through the plan.

/// Bands that share one decimated length.
#[derive(Debug, Clone, PartialEq)]
pub struct BandGroup {
    /// Band indices, ascending.
    pub bands: Vec<usize>,
    /// `L`: DFT bins kept per band (a power of two); the band's output has
    /// `2 L` samples spaced `M / (2 L)` input samples apart.
    pub bins: usize,
}

/// The evaluation plan for one input length.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPlan {
    /// `M`: zero-padded FFT length (a power of two).
    pub padded: usize,
    /// Zeros put before the first excerpt, so that no filter output the
    /// averaging reads wraps around the circular buffer.
    pub offset: usize,
    /// How the batch's excerpts share FFT buffers.
    pub packing: Packing,
    /// Each band's averaging window (standard deviation in samples) the plan
    /// was made for, so the averaging need not read it from the device again.
    pub averaging_std: Vec<f64>,
    /// Band groups, by increasing `L`.
    pub groups: Vec<BandGroup>,
}

/// Several excerpts of a batch laid end to end in one FFT buffer, separated
/// by zeros, so that less of every transform is padding: excerpt `j` of a
/// buffer starts `offset + j * stride` samples in, and `stride` is a whole
/// number of hops, so all its frames lie on one frame grid of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packing {
    /// Excerpts per buffer.
    pub excerpts: usize,
    /// Samples from one excerpt's start to the next one's (a multiple of the hop).
    pub stride: usize,
    /// Buffers for the whole batch (the last may hold empty slots).
    pub buffers: usize,
}

impl Packing {
    /// The packing with the least transform work for `batch` excerpts of
    /// `samples` samples that need `margin` zeros on either side.
    fn choose(batch: usize, samples: usize, margin: usize, hop: usize) -> (Self, usize) {
        let stride = (samples + margin).next_multiple_of(hop);
        let smallest = (margin + stride).next_power_of_two();
        (0..4)
            .map(|doubling| smallest << doubling)
            .filter_map(|padded| {
                let excerpts = ((padded - margin) / stride).clamp(1, batch.max(1));
                let buffers = batch.max(1).div_ceil(excerpts);
                let packing = Self {
                    excerpts,
                    stride,
                    buffers,
                };
                (margin + excerpts * stride <= padded).then_some((packing, padded))
            })
            .min_by_key(|(p, padded)| (p.buffers * padded, *padded))
            .expect("the smallest buffer holds one excerpt")
    }
}

/// Smallest number of bins kept per band.
pub const MIN_BINS: usize = 16;

/// Standard deviations of the widest filter's envelope left as zeros on
/// either side of the signal (the envelope is below `exp(-18)` there).
pub const MARGIN_SIGMAS: f64 = 6.0;

/// Standard deviations of each averaging window that the plan makes room
/// for, on each side of a frame's centre; the averaging
/// ([`crate::time_averaging`]) sums over exactly this reach.
pub const WINDOW_REACH: f64 = 5.0;

impl FilterPlan {
    /// Plans a batch of `batch` inputs of `samples` samples, framed every
    /// `hop` samples, for filters of widths `sigma` (samples) averaged by
    /// Gaussian windows of `averaging_std` samples; `support` is the number
    /// of standard deviations kept on each side of every Gaussian.
    pub fn new(
        (batch, samples, hop): (usize, usize, usize),
        sigma: &[f64],
        averaging_std: &[f64],
        support: f64,
    ) -> Self {
        let margin = Self::margin(sigma, averaging_std);
        let (packing, padded) = Packing::choose(batch, samples, margin, hop);
        let m = padded as f64;
        let two_pi = 2.0 * std::f64::consts::PI;
        let mut groups: Vec<BandGroup> = Vec::new();
        for (b, (&s, &a)) in sigma.iter().zip(averaging_std).enumerate() {
            let filter_bins = m / (two_pi * s);
            let averaging_bins = m / (two_pi * a);
            let needed = Self::bins_needed(filter_bins, averaging_bins, support);
            // At most M / 2 bins, so the output grid is never finer than the input.
            let bins = needed.next_power_of_two().clamp(MIN_BINS, padded / 2);
            match groups.iter_mut().find(|g| g.bins == bins) {
                Some(group) => group.bands.push(b),
                None => groups.push(BandGroup {
                    bands: vec![b],
                    bins,
                }),
            }
        }
        groups.sort_by_key(|g| g.bins);
        Self {
            padded,
            offset: margin,
            packing,
            averaging_std: averaging_std.to_vec(),
            groups,
        }
    }

    /// Samples around a frame's centre that its value depends on: six
    /// standard deviations of the widest filter (its envelope is below
    /// exp(-18) there) plus the averaging window's reach
    /// ([`WINDOW_REACH`] standard deviations of the longest), plus one. The
    /// plan leaves this much room of zeros before and after the signal, so
    /// that the circular convolution of the FFT equals the linear one also
    /// where the averaging windows reach past either end.
    pub fn margin(sigma: &[f64], averaging_std: &[f64]) -> usize {
        let widest = sigma.iter().cloned().fold(0.0, f64::max);
        let longest = averaging_std.iter().cloned().fold(0.0, f64::max);
        (MARGIN_SIGMAS * widest + WINDOW_REACH * longest).ceil() as usize + 1
    }

    /// Bins needed around a band centre: `support` standard deviations of
    /// the filter's response on each side (cutting it at fewer makes its
    /// time response ring, which leaks energy into quiet frames), and room
    /// for the decimated
    /// `|y|^2` under the averaging window: its carrier term sits at the
    /// grid's Nyquist rate with the spectrum of `y^2` (standard deviation
    /// `sqrt 2` times the filter's) widened by the window's, and must not
    /// reach zero frequency. (Adding the two widths, rather than their
    /// squares, is what the numpy comparison shows is needed at quiet frames.)
    fn bins_needed(filter_bins: f64, averaging_bins: f64, support: f64) -> usize {
        let slice = 2.0 * support * filter_bins;
        let carrier = support * (std::f64::consts::SQRT_2 * filter_bins + averaging_bins);
        slice.max(carrier).ceil() as usize
    }

    /// Whether the groups, concatenated, list the bands in order.
    pub fn is_in_band_order(&self) -> bool {
        self.groups
            .iter()
            .flat_map(|g| g.bands.iter())
            .enumerate()
            .all(|(i, &b)| i == b)
    }

    /// For each band, its row in the concatenation of the groups' outputs.
    pub fn rows_of_bands(&self) -> Vec<usize> {
        let total: usize = self.groups.iter().map(|g| g.bands.len()).sum();
        let mut rows = vec![0; total];
        for (row, &b) in self.groups.iter().flat_map(|g| g.bands.iter()).enumerate() {
            rows[b] = row;
        }
        rows
    }
}

/// Where band `b`'s kept bins come from in the half spectrum `X[0..=M/2]` of
/// the real input: bin `j = centre - L/2 + q` for `q = 0..=L`. Bins below 0
/// or above `M/2` are read from their mirror image, conjugated
/// (`X[-j] = conj X[j]`, `X[M-j] = conj X[j]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SpectralSlice {
    /// Index into `X` for each `q`.
    pub source: Vec<usize>,
    /// Whether the bin is conjugated (imaginary part negated).
    pub conjugate: Vec<bool>,
    /// The bin's signed frequency in radians per sample, `2 pi j / M`.
    pub frequency: Vec<f64>,
}

/// The `L + 1` bins kept for a band centred at `omega` (radians per sample).
pub fn spectral_slice(omega: f64, bins: usize, padded: usize) -> SpectralSlice {
    let m = padded as i64;
    let centre = (omega * padded as f64 / (2.0 * std::f64::consts::PI)).round() as i64;
    let first = centre - bins as i64 / 2;
    let mut slice = SpectralSlice {
        source: Vec::with_capacity(bins + 1),
        conjugate: Vec::with_capacity(bins + 1),
        frequency: Vec::with_capacity(bins + 1),
    };
    for q in 0..=bins as i64 {
        let j = first + q;
        let (source, conjugate) = if j < 0 {
            (-j, true)
        } else if j > m / 2 {
            (m - j, true)
        } else {
            (j, false)
        };
        slice.source.push(source as usize);
        slice.conjugate.push(conjugate);
        slice
            .frequency
            .push(2.0 * std::f64::consts::PI * j as f64 / padded as f64);
    }
    slice
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gabor_bank::mel_initialised;

    #[test]
    fn default_bank_on_an_excerpt_gives_few_groups_of_growing_length() {
        let (_, sigma) = mel_initialised(80, 27.5, 8000.0, 22050.0);
        let pooling = vec![145.0; 80];
        let plan = FilterPlan::new((1, 36_934, 315), &sigma, &pooling, 4.0);
        assert_eq!(plan.padded, 65_536);
        assert!(plan.offset > 6 * 240 && 2 * plan.offset + 36_934 <= plan.padded);
        assert_eq!(plan.packing.excerpts, 1);
        assert!(plan.groups.len() <= 5, "{:?}", plan.groups);
        assert!(plan.is_in_band_order());
        let first = &plan.groups[0];
        assert_eq!(first.bands[0], 0);
        assert!(plan.groups.windows(2).all(|w| w[0].bins < w[1].bins));
        let rows = plan.rows_of_bands();
        assert_eq!(rows, (0..80).collect::<Vec<_>>());
    }

    #[test]
    fn a_batch_packs_several_excerpts_per_buffer_when_that_saves_work() {
        let (packing, padded) = Packing::choose(32, 36_934, 2_720, 315);
        assert_eq!(packing.stride % 315, 0);
        assert!(packing.stride >= 36_934 + 2_720);
        assert!(2_720 + packing.excerpts * packing.stride <= padded);
        assert!(packing.excerpts * packing.buffers >= 32);
        // One excerpt per 65,536-sample buffer would be 32 * 65,536 samples.
        assert!(
            packing.buffers * padded < 32 * 65_536,
            "{packing:?} {padded}"
        );
        let (single, padded) = Packing::choose(1, 880_000, 2_720, 315);
        assert_eq!((single.excerpts, single.buffers, padded), (1, 1, 1 << 20));
    }

    #[test]
    fn slices_mirror_below_dc_and_above_nyquist() {
        let below = spectral_slice(0.0, 8, 64);
        assert_eq!(below.source, vec![4, 3, 2, 1, 0, 1, 2, 3, 4]);
        assert_eq!(below.conjugate[..4], [true; 4]);
        assert!(!below.conjugate[4]);
        assert!(below.frequency[0] < 0.0);
        let above = spectral_slice(std::f64::consts::PI, 8, 64);
        assert_eq!(above.source, vec![28, 29, 30, 31, 32, 31, 30, 29, 28]);
        assert_eq!(above.conjugate[5..], [true; 4]);
    }
}
