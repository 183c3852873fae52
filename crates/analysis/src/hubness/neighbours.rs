//! The k nearest neighbours of every point, itself excluded, nearest first;
//! equal distances are ordered by index, so the lists (and every measure of
//! them) are deterministic. Secondary distances such as empirical Mutual
//! Proximity take few distinct values, so this rule matters there;
//! scikit-hubness shuffles tied neighbours at random instead.

use rayon::prelude::*;

use super::DistanceMatrix;

/// `k` neighbour indices per point, `[n, k]` row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbours {
    /// Neighbours per point.
    pub k: usize,
    /// `n * k` indices.
    pub indices: Vec<usize>,
}

impl Neighbours {
    /// The `k` nearest other points of each point of `d` (`k < n`).
    pub fn of(d: &DistanceMatrix, k: usize) -> Self {
        assert!(k >= 1 && k < d.n, "k must be in 1..n");
        let mut indices = vec![0usize; d.n * k];
        indices.par_chunks_mut(k).enumerate().for_each(|(i, out)| {
            let row = d.row(i);
            let mut order: Vec<usize> = (0..d.n).filter(|&j| j != i).collect();
            let by = |a: &usize, b: &usize| row[*a].total_cmp(&row[*b]).then(a.cmp(b));
            order.select_nth_unstable_by(k - 1, by);
            order.truncate(k);
            order.sort_unstable_by(by);
            out.copy_from_slice(&order);
        });
        Self { k, indices }
    }

    /// Points.
    pub fn len(&self) -> usize {
        self.indices.len() / self.k
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// The neighbours of point `i`, nearest first.
    pub fn of_point(&self, i: usize) -> &[usize] {
        &self.indices[i * self.k..(i + 1) * self.k]
    }

    /// `N_k(x)`: how often each point is among the others' neighbours.
    pub fn k_occurrence(&self) -> Vec<usize> {
        let mut counts = vec![0usize; self.len()];
        for &j in &self.indices {
            counts[j] += 1;
        }
        counts
    }
}
