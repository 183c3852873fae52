//! The Gabor frontend against independent references, one concern a file:
//! the direct time-domain computation of numpy ([`numpy_fixture`]), finite
//! differences for the gradients ([`gradients`]), the constraints under
//! absurd optimiser steps ([`constraints`]), the log-mel spectrogram on a
//! synthetic song ([`versus_log_mel`]), and packed batches against their
//! excerpts one by one ([`packing`]). Shared helpers: [`crate::test_support`].

mod constraints;
mod gradients;
mod numpy_fixture;
mod packing;
mod versus_log_mel;
