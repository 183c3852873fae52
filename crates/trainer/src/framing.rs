//! The framing of a classifier's frontend ([`cochlea_data::Framing`]), the
//! one place where the trainer turns a frontend's frame length and hop into
//! frame arithmetic.

use cochlea_data::Framing;
use cochlea_model::Classifier;

/// How `model`'s frontend cuts audio at `sample_rate` into frames.
pub fn framing_of(model: &Classifier, sample_rate: u32) -> Framing {
    Framing {
        frame_length: model.frontend.frame_length(),
        hop: model.frontend.hop(),
        sample_rate,
    }
}
