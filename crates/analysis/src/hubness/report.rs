//! One hubness analysis of an embedding space: the measures of the
//! primary k-NN graph and of the graphs after each reduction, with the
//! k-NN classification figure of each (accuracy for one class per item,
//! macro ROC-AUC of neighbour votes for tags), as JSON and a table.
//!
//! Exact: every distance is computed. Empirical Mutual Proximity costs
//! `O(n³)`, so a split with more than `max_items` items is analysed on an
//! evenly spaced subset of `max_items` (every ⌈n / max_items⌉-th item), and
//! the report says so.

use serde::Serialize;

use cochlea_trainer::embeddings::{Embeddings, ItemLabels};

use super::{
    DistanceMatrix, HubnessMeasures, Metric, Neighbours, local_scaling, majority_accuracy,
    mutual_proximity_empiric, mutual_proximity_gaussian, tag_vote_roc_auc,
};

/// Settings of an analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HubnessSettings {
    /// Neighbours per point (scikit-hubness's default 10).
    pub k: usize,
    /// The primary distance.
    pub metric: Metric,
    /// Local scaling's neighbour rank (scikit-hubness's default 5).
    pub local_scaling_k: usize,
    /// Most items analysed (the rest is subsampled evenly).
    pub max_items: usize,
}

impl Default for HubnessSettings {
    fn default() -> Self {
        Self {
            k: 10,
            metric: Metric::Euclidean,
            local_scaling_k: 5,
            max_items: 5000,
        }
    }
}

/// The figures of one space (primary or after a reduction).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpaceFigures {
    /// `primary`, `mutual proximity (empiric)`, `mutual proximity (Gaussian)` or `local scaling`.
    pub space: String,
    /// Its hubness measures.
    pub measures: HubnessMeasures,
    /// Leave-one-out k-NN accuracy (items with one class).
    pub knn_accuracy: Option<f64>,
    /// Macro ROC-AUC of k-NN tag votes (tagged items).
    pub knn_tag_roc_auc: Option<f64>,
    /// The items most often among the others' neighbours, with their
    /// `N_k`, largest first (ties by item order), at most 10.
    pub top_hubs: Vec<(String, usize)>,
}

/// A whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HubnessReport {
    /// The settings.
    pub settings: HubnessSettings,
    /// Items embedded.
    pub items_embedded: usize,
    /// Items analysed (`items_embedded`, or `max_items` of them).
    pub items: usize,
    /// Every how many items one was kept (1: all).
    pub subsample_step: usize,
    /// Embedding width.
    pub dim: usize,
    /// Primary first, then each reduction.
    pub spaces: Vec<SpaceFigures>,
}

/// Analyses `embeddings` with `settings`.
pub fn analyse(
    embeddings: &Embeddings,
    settings: HubnessSettings,
) -> Result<HubnessReport, String> {
    if settings.k == 0 {
        return Err("-k must be at least 1 neighbour".into());
    }
    let total = embeddings.items.len();
    let step = total.div_ceil(settings.max_items.max(1)).max(1);
    let keep: Vec<usize> = (0..total).step_by(step).collect();
    let n = keep.len();
    if n <= settings.k.max(settings.local_scaling_k) {
        return Err(format!(
            "{n} items is too few for k = {} neighbours (and local scaling's k = {}): use a larger split or a smaller -k",
            settings.k, settings.local_scaling_k
        ));
    }
    let dim = embeddings.dim;
    let vectors: Vec<f32> = keep
        .iter()
        .flat_map(|&i| embeddings.vectors[i * dim..(i + 1) * dim].iter().copied())
        .collect();
    let primary = DistanceMatrix::between(&vectors, dim, settings.metric);
    let figures = |space: &str, d: &DistanceMatrix| {
        let nn = Neighbours::of(d, settings.k);
        let (knn_accuracy, knn_tag_roc_auc) = match &embeddings.labels {
            ItemLabels::Classes { of_item, .. } => {
                let classes: Vec<usize> = keep.iter().map(|&i| of_item[i]).collect();
                (Some(majority_accuracy(&nn, &classes)), None)
            }
            ItemLabels::Tags { of_item, .. } => {
                let tags: Vec<Vec<bool>> = keep.iter().map(|&i| of_item[i].clone()).collect();
                (None, tag_vote_roc_auc(&nn, &tags))
            }
        };
        let occurrence = nn.k_occurrence();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| occurrence[b].cmp(&occurrence[a]).then(a.cmp(&b)));
        let top_hubs = order
            .iter()
            .take(10)
            .map(|&i| (embeddings.items[keep[i]].clone(), occurrence[i]))
            .collect();
        SpaceFigures {
            space: space.into(),
            measures: HubnessMeasures::of(&nn),
            knn_accuracy,
            knn_tag_roc_auc,
            top_hubs,
        }
    };
    let mut spaces = vec![figures("primary", &primary)];
    spaces.push(figures(
        "mutual proximity (empiric)",
        &mutual_proximity_empiric(&primary),
    ));
    spaces.push(figures(
        "mutual proximity (Gaussian)",
        &mutual_proximity_gaussian(&primary),
    ));
    spaces.push(figures(
        "local scaling",
        &local_scaling(&primary, settings.local_scaling_k),
    ));
    Ok(HubnessReport {
        settings,
        items_embedded: total,
        items: n,
        subsample_step: step,
        dim,
        spaces,
    })
}

impl HubnessReport {
    /// A Markdown table, one row per space.
    pub fn table(&self) -> String {
        let knn = if self.spaces.iter().any(|s| s.knn_accuracy.is_some()) {
            "k-NN accuracy"
        } else {
            "k-NN tag ROC-AUC"
        };
        let mut s = format!(
            "{} items ({} dimensions), k = {}, {} distance\n| space | skewness | hub occ. | hubs | anti-hub occ. | Robin Hood | Gini | max N_k | {knn} |\n|---|---|---|---|---|---|---|---|---|\n",
            self.items,
            self.dim,
            self.settings.k,
            self.settings.metric.name()
        );
        for f in &self.spaces {
            let m = &f.measures;
            let skew = m
                .k_skewness
                .map_or("undefined".into(), |v| format!("{v:.3}"));
            let downstream = f
                .knn_accuracy
                .or(f.knn_tag_roc_auc)
                .map_or("undefined".into(), |v| format!("{v:.4}"));
            s += &format!(
                "| {} | {skew} | {:.4} | {} | {:.4} | {:.4} | {:.4} | {} | {downstream} |\n",
                f.space,
                m.hub_occurrence,
                m.hubs,
                m.antihub_occurrence,
                m.robinhood,
                m.gini,
                m.max_k_occurrence
            );
        }
        if self.subsample_step > 1 {
            s += &format!(
                "(every {}th of {} items: exact empirical Mutual Proximity costs n^3; --max-items raises the limit)\n",
                self.subsample_step, self.items_embedded
            );
        }
        s
    }
}
