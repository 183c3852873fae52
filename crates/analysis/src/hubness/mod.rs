//! Hubness: in high-dimensional spaces a few points ("hubs") are among the
//! k nearest neighbours of very many others, and many ("anti-hubs") of none
//! (Radovanović et al., JMLR 2010). Measured from the k-occurrence `N_k(x)`
//! with scikit-hubness's definitions ([`measures`]), reduced by Mutual
//! Proximity and local scaling (Schnitzer et al., JMLR 2012;
//! [`reduction`]), with the k-NN classification figures before and after
//! as the downstream effect ([`knn_vote`]). Checked against kiez, numpy and
//! scikit-learn on `tests/fixtures/hubness_reference.json`
//! (`make_hubness.py`).

pub mod distance;
pub mod knn_vote;
pub mod measures;
pub mod neighbours;
pub mod reduction;
pub mod report;

pub use distance::{DistanceMatrix, Metric};
pub use knn_vote::{majority_accuracy, tag_vote_roc_auc};
pub use measures::HubnessMeasures;
pub use neighbours::Neighbours;
pub use reduction::{local_scaling, mutual_proximity_empiric, mutual_proximity_gaussian};

#[cfg(test)]
mod tests;
