//! Validity analyses of trained cochlea models (issue "the validity
//! toolkit"). So far: hubness of a model's embedding space and its
//! reduction by Mutual Proximity and local scaling ([`hubness`]).

pub mod hubness;
pub mod hubness_run;
