//! The compute backend, chosen explicitly by the experiment config.
//!
//! `flex` (default): burn's pure-Rust CPU backend; `ndarray`: burn's older CPU
//! backend (deprecated in burn 0.22, 15–40x slower for our convolutions, kept
//! for comparison); `wgpu`: GPUs of any vendor through WebGPU/Vulkan, only
//! when cochlea is built with the cargo feature `wgpu`.
//!
//! Determinism: on Flex and ndarray, the same seed gives bit-identical runs
//! (host-side sampling, seeded dropout, deterministic kernels at a fixed thread
//! count); wgpu is not promised to be.

use burn::tensor::Device;
use cochlea_frontend::DftMethod;
use serde::{Deserialize, Serialize};

/// A compute backend (`backend = "..."` in the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// burn-flex, the default CPU backend.
    #[default]
    Flex,
    /// burn-ndarray (CPU, slower; no FFT).
    Ndarray,
    /// burn-wgpu (GPU; needs the `wgpu` cargo feature).
    Wgpu,
}

impl Backend {
    /// The inference device of this backend, or an error saying how to get it.
    pub fn device(self) -> Result<Device, String> {
        match self {
            Backend::Flex => Ok(Device::flex()),
            #[allow(deprecated)]
            Backend::Ndarray => Ok(Device::ndarray()),
            Backend::Wgpu => wgpu_device(),
        }
    }

    /// The training device (the inference device with autodiff).
    pub fn autodiff_device(self) -> Result<Device, String> {
        Ok(self.device()?.autodiff())
    }

    /// How frontends compute DFTs here: burn's FFT where it exists.
    pub fn dft_method(self) -> DftMethod {
        match self {
            Backend::Ndarray => DftMethod::Matrix,
            Backend::Flex | Backend::Wgpu => DftMethod::Fft,
        }
    }

    /// Whether runs on this backend repeat bit for bit.
    pub fn deterministic(self) -> bool {
        !matches!(self, Backend::Wgpu)
    }
}

#[cfg(feature = "wgpu")]
fn wgpu_device() -> Result<Device, String> {
    Ok(Device::wgpu(burn::tensor::DeviceKind::DefaultDevice))
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device() -> Result<Device, String> {
    Err(
        "backend = \"wgpu\" needs cochlea built with the wgpu feature: \
         cargo run --release -p cochlea --features wgpu -- ..."
            .into(),
    )
}
