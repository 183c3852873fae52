//! The downstream effect of hubness: leave-one-out k-NN classification over
//! the neighbour lists (each point's k neighbours, itself excluded).
//! - Single-label ([`majority_accuracy`]): the most frequent class among
//!   the neighbours, ties to the lowest class index (scikit-learn's uniform
//!   vote), against the point's own class.
//! - Multi-label ([`tag_vote_roc_auc`]): a tag's score is the share of the
//!   neighbours with it; ROC-AUC per tag, macro mean over the tags with both
//!   classes.

use cochlea_trainer::metrics::auroc;

use super::Neighbours;

/// Share of points whose neighbours' majority class is their own.
pub fn majority_accuracy(neighbours: &Neighbours, classes: &[usize]) -> f64 {
    let classes_n = classes.iter().max().map_or(0, |&c| c + 1);
    let mut votes = vec![0usize; classes_n];
    let correct = classes
        .iter()
        .enumerate()
        .filter(|&(i, &own)| {
            votes.iter_mut().for_each(|v| *v = 0);
            for &j in neighbours.of_point(i) {
                votes[classes[j]] += 1;
            }
            let best = votes.iter().copied().max().unwrap_or(0);
            votes.iter().position(|&v| v == best) == Some(own)
        })
        .count();
    correct as f64 / classes.len().max(1) as f64
}

/// Macro ROC-AUC of neighbour-vote tag scores; `tags[i]` holds point `i`'s
/// flags. `None` if no tag has both classes.
pub fn tag_vote_roc_auc(neighbours: &Neighbours, tags: &[Vec<bool>]) -> Option<f64> {
    let tag_count = tags.first().map_or(0, Vec::len);
    let k = neighbours.k as f32;
    let aucs: Vec<f64> = (0..tag_count)
        .filter_map(|t| {
            let labels: Vec<bool> = tags.iter().map(|row| row[t]).collect();
            let scores: Vec<f32> = (0..tags.len())
                .map(|i| {
                    neighbours
                        .of_point(i)
                        .iter()
                        .filter(|&&j| tags[j][t])
                        .count() as f32
                        / k
                })
                .collect();
            auroc(&labels, &scores)
        })
        .collect();
    (!aucs.is_empty()).then(|| aucs.iter().sum::<f64>() / aucs.len() as f64)
}
