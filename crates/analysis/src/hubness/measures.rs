//! Hubness measures of the k-occurrence `N_k` over `n` points, with
//! scikit-hubness's definitions (hubs: `N_k ≥ 2k`):
//! - skewness: `m₃ / m₂^{3/2}` of `N_k`, central moments with divisor `n`
//!   (scipy.stats.skew); undefined when every `N_k` is equal;
//! - hub occurrence: `Σ_{hubs} N_k / (k n)`, the share of all neighbour slots
//!   taken by hubs;
//! - anti-hub occurrence: the share of points with `N_k = 0`;
//! - Robin Hood index: `½ Σ |N_k − k| / (k n)`, the share of neighbour slots
//!   that would have to move for every point to have `N_k = k`;
//! - Gini index: `Σ_ij |N_i − N_j| / (2 n Σ N_k)`.

use serde::Serialize;

use super::Neighbours;

/// The measures of one neighbour graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HubnessMeasures {
    /// Neighbours per point.
    pub k: usize,
    /// Points.
    pub n: usize,
    /// Skewness of `N_k`; `None` if all points have the same `N_k`.
    pub k_skewness: Option<f64>,
    /// Share of neighbour slots taken by hubs (`N_k ≥ 2k`).
    pub hub_occurrence: f64,
    /// Number of hubs.
    pub hubs: usize,
    /// Share of points that are nobody's neighbour.
    pub antihub_occurrence: f64,
    /// Robin Hood index.
    pub robinhood: f64,
    /// Gini index of `N_k`.
    pub gini: f64,
    /// The largest `N_k`.
    pub max_k_occurrence: usize,
}

impl HubnessMeasures {
    /// The measures of `neighbours`.
    pub fn of(neighbours: &Neighbours) -> Self {
        let k = neighbours.k;
        let occurrence = neighbours.k_occurrence();
        let n = occurrence.len();
        let values: Vec<f64> = occurrence.iter().map(|&c| c as f64).collect();
        let total: f64 = values.iter().sum(); // = k n
        let mean = total / n as f64;
        let m2 = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        let m3 = values.iter().map(|v| (v - mean).powi(3)).sum::<f64>() / n as f64;
        let k_skewness = (m2 > 0.0).then(|| m3 / m2.powf(1.5));
        let hub = |c: usize| c as f64 >= 2.0 * k as f64;
        let hub_slots: usize = occurrence.iter().filter(|&&c| hub(c)).sum();
        let mut sorted = occurrence.clone();
        sorted.sort_unstable();
        // Σ_ij |N_i − N_j| = 2 Σ_i (2i − n + 1) N_(i), over sorted N (0-based i).
        let pair_sum: f64 = sorted
            .iter()
            .enumerate()
            .map(|(i, &c)| (2.0 * i as f64 - n as f64 + 1.0) * c as f64)
            .sum::<f64>()
            * 2.0;
        Self {
            k,
            n,
            k_skewness,
            hub_occurrence: hub_slots as f64 / (k * n) as f64,
            hubs: occurrence.iter().filter(|&&c| hub(c)).count(),
            antihub_occurrence: occurrence.iter().filter(|&&c| c == 0).count() as f64 / n as f64,
            robinhood: 0.5 * values.iter().map(|v| (v - mean).abs()).sum::<f64>() / total,
            gini: pair_sum / (2.0 * n as f64 * total),
            max_k_occurrence: sorted.last().copied().unwrap_or(0),
        }
    }
}
