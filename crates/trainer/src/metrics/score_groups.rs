//! Clips grouped by equal score, highest score first: the sweep shared by
//! [`super::average_precision`], [`super::best_f1_threshold`] and
//! [`super::RankedScores`]. Grouping
//! equal scores is what makes a threshold sweep tie-correct: every clip of a
//! group is on the same side of any threshold, as in scikit-learn's
//! `_binary_clf_curve` (`np.diff(y_score) != 0` over the sorted scores).

/// The clips sharing one score value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ScoreGroup {
    /// the common score
    pub score: f32,
    /// positive clips with this score
    pub positives: usize,
    /// negative clips with this score
    pub negatives: usize,
}

/// Groups of equal scores in descending order of score. Scores are sorted by
/// [`f32::total_cmp`] (a positive NaN first, a negative NaN last); two scores
/// are in one group when they are `==` (so `-0.0` joins `0.0`) or have the
/// same bits (so equal NaNs group too). `O(n log n)`.
///
/// # Panics
///
/// If `labels` and `scores` differ in length (a programming error).
pub(crate) fn score_groups(labels: &[bool], scores: &[f32]) -> Vec<ScoreGroup> {
    assert_eq!(
        labels.len(),
        scores.len(),
        "metrics: {} labels but {} scores",
        labels.len(),
        scores.len()
    );
    let (order, group_ends) = sorted_descending_groups(scores);
    let mut start = 0;
    group_ends
        .iter()
        .map(|&end| {
            let members = &order[start..end];
            let positives = members.iter().filter(|&&i| labels[i]).count();
            start = end;
            ScoreGroup {
                score: scores[members[0]],
                positives,
                negatives: members.len() - positives,
            }
        })
        .collect()
}

/// The item indices in descending order of score (by [`f32::total_cmp`]),
/// and one past the last position of each group of equal scores in that
/// order (grouped as in [`score_groups`]).
pub(crate) fn sorted_descending_groups(scores: &[f32]) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut group_ends = Vec::new();
    let mut group_score = None::<f32>;
    for (position, &i) in order.iter().enumerate() {
        let score = scores[i];
        match group_score {
            Some(g) if g == score || g.to_bits() == score.to_bits() => {}
            _ => {
                if position > 0 {
                    group_ends.push(position);
                }
                group_score = Some(score);
            }
        }
    }
    if !order.is_empty() {
        group_ends.push(order.len());
    }
    (order, group_ends)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_equal_scores_in_descending_order() {
        let g = score_groups(
            &[true, false, true, false, true],
            &[0.5, 0.9, 0.5, -0.0, 0.0],
        );
        let summary: Vec<(f32, usize, usize)> = g
            .iter()
            .map(|g| (g.score, g.positives, g.negatives))
            .collect();
        assert_eq!(summary, vec![(0.9, 0, 1), (0.5, 2, 0), (0.0, 1, 1)]);
        assert!(score_groups(&[], &[]).is_empty());
    }
}
