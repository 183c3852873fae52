//! End-to-end tests: they run the `cochlea` binary that cargo built for this
//! test target on small synthetic datasets. One test binary (each links burn).

mod augment;
mod bad_input;
mod common;
mod compare;
mod export;
mod features;
mod gabor;
mod hubness;
mod inspect;
mod label_noise;
mod predict;
mod sweep;
mod tagging;
mod training;
