//! A classifier's weights under the names and layouts of the equivalent
//! PyTorch modules (`python/cochlea_torch.py`), as safetensors bytes, and
//! back into a classifier.
//!
//! burn-store's `BurnToPyTorchAdapter` transposes every `Linear` weight
//! from burn's `[in, out]` to PyTorch's `[out, in]` and renames batch norm's
//! `gamma`/`beta` to `weight`/`bias`; with `skip_enum_variants` the names
//! leave out the module tree's enum variants (`Frontend::Gabor`,
//! `Backbone::SvdCnn`, `Compression::Pcen`), so each tensor is named by the
//! fields that lead to it, as PyTorch names a module's attributes:
//! `frontend.bank.centres`, `frontend.compression.smoothing`,
//! `frontend.standardize.mean`, `backbone.conv1.weight`,
//! `backbone.blocks.0.norm.running_var`, `head.weight`. What else differs:
//!
//! - batch norm: burn's `running_mean` and `running_var` already carry
//!   PyTorch's names, but PyTorch's state dict also holds
//!   `num_batches_tracked`; each batch norm gets one (int64, shape `[]`),
//!   the number of training batches behind the weights. (burn updates the
//!   running variance with the biased batch variance, PyTorch with the
//!   unbiased one: this matters only to further training.)
//! - convolutions: both keep `[out, in, kh, kw]`; unchanged.
//! - constants that are not parameters (the STFT window, the fixed mel
//!   filters, the PCEN kernel) are not in burn's module tree and are not
//!   written: they follow from the sidecar.
//!
//! Everything else is float32, as burn holds it.

use std::collections::HashMap;
use std::path::Path;

use burn::store::{BurnToPyTorchAdapter, ModuleSnapshot, PyTorchToBurnAdapter, SafetensorsStore};
use burn::tensor::DType;
use cochlea_model::Classifier;
use safetensors::tensor::{Dtype, TensorView};

use crate::error::{Error, Result};

/// The suffix of a batch norm's running mean, whose module gets a
/// `num_batches_tracked`.
const RUNNING_MEAN: &str = ".running_mean";
/// The batch norm counter PyTorch keeps beside the running statistics.
pub const BATCHES_TRACKED: &str = "num_batches_tracked";

/// One tensor ready to be written.
struct Named {
    name: String,
    dtype: Dtype,
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

/// The model's tensors under PyTorch's names, plus a `num_batches_tracked`
/// of `batches` for every batch norm, sorted by name.
fn pytorch_tensors(model: &Classifier, batches: usize) -> Result<Vec<Named>> {
    let mut out = Vec::new();
    for tensor in model.collect(None, Some(Box::new(BurnToPyTorchAdapter)), true) {
        let (name, dtype, shape, _, bytes) = tensor
            .into_parts()
            .map_err(|e| Error::Other(format!("cannot read a model tensor for export: {e}")))?;
        if dtype != DType::F32 {
            return Err(Error::Other(format!(
                "{name} is {dtype:?}; the export writes float32 models only"
            )));
        }
        if let Some(module) = name.strip_suffix(RUNNING_MEAN) {
            out.push(Named {
                name: format!("{module}.{BATCHES_TRACKED}"),
                dtype: Dtype::I64,
                shape: Vec::new(),
                bytes: (batches as i64).to_le_bytes().to_vec(),
            });
        }
        out.push(Named {
            name,
            dtype: Dtype::F32,
            shape: shape.to_vec(),
            bytes: bytes.to_vec(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(w) = out.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(Error::Other(format!(
            "two model tensors would both be named {} in the export",
            w[0].name
        )));
    }
    Ok(out)
}

/// The model as safetensors bytes under PyTorch's names (see the module
/// doc), with `batches` as every batch norm's `num_batches_tracked`;
/// returns the bytes and the tensor names.
pub fn pytorch_safetensors(model: &Classifier, batches: usize) -> Result<(Vec<u8>, Vec<String>)> {
    let tensors = pytorch_tensors(model, batches)?;
    let views = tensors
        .iter()
        .map(|t| {
            TensorView::new(t.dtype, t.shape.clone(), &t.bytes)
                .map(|view| (t.name.clone(), view))
                .map_err(|e| Error::Other(format!("cannot export {}: {e}", t.name)))
        })
        .collect::<Result<Vec<_>>>()?;
    let metadata = HashMap::from([("format".to_string(), "pt".to_string())]);
    let bytes = safetensors::serialize(views, Some(metadata))
        .map_err(|e| Error::Other(format!("cannot serialise the export: {e}")))?;
    Ok((bytes, tensors.into_iter().map(|t| t.name).collect()))
}

/// Loads PyTorch-named weights written by [`pytorch_safetensors`] into
/// `skeleton` (a classifier of the same configuration); every parameter must
/// be in the file, and the file may hold nothing else but the batch norms'
/// `num_batches_tracked`.
pub fn load_pytorch_safetensors(skeleton: Classifier, path: &Path) -> Result<Classifier> {
    let mut model = skeleton;
    let mut store = SafetensorsStore::from_file(path)
        .with_from_adapter(PyTorchToBurnAdapter)
        .skip_enum_variants(true);
    let result = model
        .load_from(&mut store)
        .map_err(|e| Error::Other(format!("cannot load {}: {e}", path.display())))?;
    let unexpected: Vec<&String> = result
        .unused
        .iter()
        .filter(|name| !name.ends_with(BATCHES_TRACKED))
        .collect();
    if !unexpected.is_empty() || !result.errors.is_empty() {
        return Err(Error::Other(format!(
            "{} does not fit the model its sidecar describes (unexpected tensors {unexpected:?}, \
             errors {:?}); export the run again",
            path.display(),
            result.errors
        )));
    }
    Ok(model)
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, Tensor, TensorData};
    use cochlea_frontend::{DftMethod, FrontendConfig, GaborConfig};
    use cochlea_model::{BackboneConfig, ShortChunkCnnConfig};

    use super::*;
    use cochlea_frontend::host::to_f32_vec;

    fn host_values(t: Tensor<2>) -> Vec<f32> {
        to_f32_vec(t, "logits").unwrap()
    }

    /// A small Gabor + short-chunk classifier initialised from `seed`.
    fn classifier(seed: u64, device: &Device) -> Classifier {
        let frontend = FrontendConfig::Gabor(GaborConfig {
            bands: 16,
            compression: cochlea_frontend::CompressionKind::Pcen,
            ..GaborConfig::default()
        })
        .init(22_050, DftMethod::Fft, device);
        BackboneConfig::ShortChunkCnn(ShortChunkCnnConfig {
            channels: vec![4, 4],
            dense: 8,
            dropout: 0.5,
        })
        .init_classifier(frontend, 16, 3, seed, device)
    }

    #[test]
    fn weights_written_under_pytorch_names_load_back_into_an_equal_model() {
        let device = Device::flex();
        let model = classifier(1, &device);
        let (bytes, names) = pytorch_safetensors(&model, 42).unwrap();
        assert!(names.contains(&"backbone.norm.num_batches_tracked".to_string()));
        assert!(names.contains(&"frontend.compression.smoothing".to_string()));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.safetensors");
        std::fs::write(&path, &bytes).unwrap();
        // A model from another seed takes on the written weights exactly:
        // every tensor under burn's own names holds the same bytes.
        let loaded = load_pytorch_safetensors(classifier(2, &device), &path).unwrap();
        let burn_tensors = |m: &Classifier| -> Vec<(String, Vec<u8>)> {
            m.collect(None, None, false)
                .into_iter()
                .map(|t| {
                    let (name, _, _, _, bytes) = t.into_parts().unwrap();
                    (name, bytes.to_vec())
                })
                .collect()
        };
        assert_eq!(burn_tensors(&loaded), burn_tensors(&model));
        // The fresh model's head weight is a transposed view, the loaded one's
        // is not, so a matrix product may round differently: 1e-6 relative.
        let samples = 22_050 / 2;
        let wave: Vec<f32> = (0..2 * samples)
            .map(|i| (i as f32 * 0.013).sin() * (1.0 + (i % 977) as f32 / 977.0))
            .collect();
        let wave = Tensor::<2>::from_data(TensorData::new(wave, [2, samples]), &device);
        let want = host_values(model.forward(wave.clone()));
        let got = host_values(loaded.forward(wave.clone()));
        let scale = want.iter().fold(0f32, |m, v| m.max(v.abs()));
        let worst = got
            .iter()
            .zip(&want)
            .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
        assert!(worst <= 1e-6 * scale, "{got:?} vs {want:?}");
        let other = host_values(classifier(2, &device).forward(wave));
        let apart = other
            .iter()
            .zip(&want)
            .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
        assert!(apart > 1e-3 * scale, "the two seeds give the same model");
    }

    #[test]
    fn a_file_that_lacks_a_parameter_is_refused() {
        let device = Device::flex();
        let (bytes, _) = pytorch_safetensors(&classifier(1, &device), 0).unwrap();
        let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        let kept: Vec<(String, TensorView)> = file
            .tensors()
            .into_iter()
            .filter(|(name, _)| name != "head.bias")
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.safetensors");
        std::fs::write(&path, safetensors::serialize(kept, None).unwrap()).unwrap();
        let err = load_pytorch_safetensors(classifier(1, &device), &path)
            .expect_err("a missing tensor must fail")
            .to_string();
        assert!(
            err.contains("head.bias") && err.contains("m.safetensors"),
            "{err}"
        );
    }
}
