//! Pairwise distances between embeddings, `[n, n]` row-major in f64 from
//! f32 vectors: Euclidean `‖a − b‖`, or cosine `1 − a·b / (‖a‖ ‖b‖)` (a zero
//! vector is at distance 1 from everything but itself).

use rayon::prelude::*;

/// A distance between two vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// `‖a − b‖₂`.
    Euclidean,
    /// `1 − cos(a, b)`.
    Cosine,
}

impl Metric {
    /// Parses `euclidean` or `cosine`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "euclidean" => Some(Self::Euclidean),
            "cosine" => Some(Self::Cosine),
            _ => None,
        }
    }

    /// The name `parse` reads.
    pub fn name(self) -> &'static str {
        match self {
            Self::Euclidean => "euclidean",
            Self::Cosine => "cosine",
        }
    }
}

/// A square matrix of dissimilarities, zero on the diagonal.
#[derive(Debug, Clone, PartialEq)]
pub struct DistanceMatrix {
    /// Points.
    pub n: usize,
    /// `n * n` values, row `i` holding the distances from point `i`.
    pub values: Vec<f64>,
}

impl DistanceMatrix {
    /// The distances between the rows of `vectors` (`[n, dim]` row-major).
    pub fn between(vectors: &[f32], dim: usize, metric: Metric) -> Self {
        assert!(
            dim > 0 && vectors.len().is_multiple_of(dim),
            "vectors must be [n, dim]"
        );
        let n = vectors.len() / dim;
        let rows: Vec<&[f32]> = vectors.chunks_exact(dim).collect();
        let norms: Vec<f64> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&v| (v as f64) * (v as f64))
                    .sum::<f64>()
                    .sqrt()
            })
            .collect();
        let mut values = vec![0.0; n * n];
        values.par_chunks_mut(n).enumerate().for_each(|(i, out)| {
            for (j, d) in out.iter_mut().enumerate() {
                if i == j {
                    continue;
                }
                *d = match metric {
                    Metric::Euclidean => rows[i]
                        .iter()
                        .zip(rows[j])
                        .map(|(&a, &b)| (a as f64 - b as f64).powi(2))
                        .sum::<f64>()
                        .sqrt(),
                    Metric::Cosine => {
                        let dot: f64 = rows[i]
                            .iter()
                            .zip(rows[j])
                            .map(|(&a, &b)| a as f64 * b as f64)
                            .sum();
                        let norm = norms[i] * norms[j];
                        if norm > 0.0 { 1.0 - dot / norm } else { 1.0 }
                    }
                };
            }
        });
        Self { n, values }
    }

    /// Row `i`: the distances from point `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.n..(i + 1) * self.n]
    }

    /// The distance from `i` to `j`.
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.n + j]
    }
}
