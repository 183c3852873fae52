//! A classifier = frontend + backbone + head, from the waveform to logits.
//!
//! `waveform [batch, samples] -> frontend -> [batch, bands, frames] ->
//! backbone -> [batch, embedding] -> dropout -> dense -> [batch, outputs]`.
//! The head's output is a logit per class; the sigmoid lives in the loss and
//! in prediction.

use std::collections::BTreeMap;

use burn::module::{Module, Param};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig};
use burn::tensor::{Device, Tensor};
use cochlea_frontend::Frontend;
use serde::{Deserialize, Serialize};

use crate::orthogonal::orthogonal;
use crate::short_chunk_cnn::{ShortChunkCnn, ShortChunkCnnConfig};
use crate::svd_cnn::{SvdCnn, SvdCnnConfig};

/// Which backbone an experiment uses (`[model] kind = "..."`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum BackboneConfig {
    /// Schlüter & Grill's singing voice detection CNN.
    SvdCnn(SvdCnnConfig),
    /// Won et al.'s short-chunk CNN for music tagging.
    ShortChunkCnn(ShortChunkCnnConfig),
}

impl Default for BackboneConfig {
    fn default() -> Self {
        Self::SvdCnn(SvdCnnConfig::default())
    }
}

impl BackboneConfig {
    /// Checks the settings for `frames x bands` inputs.
    pub fn validate(&self, frames: usize, bands: usize) -> Result<(), String> {
        match self {
            Self::SvdCnn(c) => c.validate(frames, bands),
            Self::ShortChunkCnn(c) => c.validate(frames, bands),
        }
    }

    /// The fixed numbers the backbone computes with, by name, for exports:
    /// the short-chunk CNN's `batch_norm_epsilon` and `batch_norm_momentum`.
    pub fn named_constants(&self) -> BTreeMap<&'static str, f64> {
        match self {
            Self::SvdCnn(_) => BTreeMap::new(),
            Self::ShortChunkCnn(_) => {
                let (epsilon, momentum) = ShortChunkCnnConfig::batch_norm_settings();
                BTreeMap::from([
                    ("batch_norm_epsilon", epsilon),
                    ("batch_norm_momentum", momentum),
                ])
            }
        }
    }

    fn dropout(&self) -> f64 {
        match self {
            Self::SvdCnn(c) => c.dropout,
            Self::ShortChunkCnn(c) => c.dropout,
        }
    }

    /// Builds the whole classifier around `frontend`.
    pub fn init_classifier(
        &self,
        frontend: Frontend,
        frames: usize,
        outputs: usize,
        seed: u64,
        device: &Device,
    ) -> Classifier {
        let bands = frontend.bands();
        let (backbone, embedding) = match self {
            Self::SvdCnn(c) => (
                Backbone::SvdCnn(c.init(frames, bands, seed, device)),
                SvdCnn::EMBEDDING,
            ),
            Self::ShortChunkCnn(c) => {
                let m = c.init(frames, bands, seed, device);
                let embedding = m.embedding();
                (Backbone::ShortChunkCnn(m), embedding)
            }
        };
        let mut head = LinearConfig::new(embedding, outputs).init(device);
        let w = orthogonal(outputs, embedding, 1.0, seed.wrapping_add(100));
        head.weight = Param::from_tensor(
            Tensor::<2>::from_data(
                burn::tensor::TensorData::new(w, [outputs, embedding]),
                device,
            )
            .transpose(),
        );
        head.bias = Some(Param::from_tensor(Tensor::zeros([outputs], device)));
        Classifier {
            frontend,
            backbone,
            dropout: DropoutConfig::new(self.dropout()).init(),
            head,
            frames,
        }
    }
}

/// A backbone of any kind.
// One backbone per model: the variants' size difference does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Backbone {
    /// Schlüter & Grill's singing voice detection CNN.
    SvdCnn(SvdCnn),
    /// Won et al.'s short-chunk CNN for music tagging.
    ShortChunkCnn(ShortChunkCnn),
}

impl Backbone {
    /// `[batch, bands, frames]` -> `[batch, embedding]`.
    pub fn forward(&self, features: Tensor<3>) -> Tensor<2> {
        match self {
            Self::SvdCnn(m) => m.forward(features),
            Self::ShortChunkCnn(m) => m.forward(features),
        }
    }

    /// Embeddings of every excerpt of `excerpt` frames in `[1, bands, frames]`.
    pub fn forward_every_excerpt(&self, sequence: Tensor<3>, excerpt: usize) -> Tensor<2> {
        match self {
            Self::SvdCnn(m) => m.forward_every_excerpt(sequence, excerpt),
            Self::ShortChunkCnn(m) => m.forward_every_excerpt(sequence, excerpt),
        }
    }
}

/// Frontend + backbone + head.
#[derive(Module, Debug)]
pub struct Classifier {
    /// Waveform to features.
    pub frontend: Frontend,
    /// Features to embedding.
    pub backbone: Backbone,
    dropout: Dropout,
    head: Linear,
    /// Excerpt length in frames that the backbone was built for.
    frames: usize,
}

impl Classifier {
    /// Excerpt length in frames.
    pub fn excerpt_frames(&self) -> usize {
        self.frames
    }

    /// Number of outputs (logits per example).
    pub fn outputs(&self) -> usize {
        self.head.weight.dims()[1]
    }

    /// Logits `[batch, outputs]` of waveform excerpts `[batch, excerpt_samples]`.
    pub fn forward(&self, wave: Tensor<2>) -> Tensor<2> {
        self.forward_features(self.frontend.forward(wave))
    }

    /// Logits `[batch, outputs]` of feature excerpts `[batch, bands, frames]`.
    pub fn forward_features(&self, features: Tensor<3>) -> Tensor<2> {
        let embedding = self.backbone.forward(features); // [batch, embedding]
        self.head.forward(self.dropout.forward(embedding)) // [batch, outputs]
    }

    /// Logits `[count, outputs]` for every excerpt of a feature sequence
    /// `[1, bands, frames]`, row `s` for the excerpt starting at frame `s`.
    pub fn forward_every_excerpt(&self, sequence: Tensor<3>) -> Tensor<2> {
        let embedding = self.backbone.forward_every_excerpt(sequence, self.frames);
        self.head.forward(embedding)
    }
}
