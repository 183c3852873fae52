//! What the frontend crate's tests share: reading the reference fixtures of
//! `tests/fixtures/`, deterministic test signals, tensor helpers, and a
//! finite-difference checker for autodiff gradients.

mod finite_difference;
mod fixtures;
mod signals;
mod tensors;

pub(crate) use finite_difference::FiniteDifference;
pub(crate) use fixtures::{floats, mel_fixture, read_fixture};
pub(crate) use signals::{tones_and_noise, two_tones_and_noise};
pub(crate) use tensors::{loss_weights, param, scalar, to_host, wave};
