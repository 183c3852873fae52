//! The fixed numbers of each frontend's computation, by name, for exports:
//! a reimplementation elsewhere (`python/cochlea_torch.py`) reads them from
//! the export's sidecar instead of repeating them, so the two cannot drift
//! apart. Each value is the one the computation uses (an `f32` constant as
//! its exact `f64` widening), and each name says where it comes from:
//!
//! - `stft_power_epsilon`: added under the STFT magnitude's square root ([`crate::stft`]);
//! - `mel_per_neper`, `min_flank_bins`, `sum_epsilon`: the learnable mel
//!   triangles ([`crate::learnable_mel`]);
//! - `gabor_min_width`, `gabor_max_width`: the range of the filter widths
//!   ([`crate::gabor_bank`]); `averaging_min_width`, `averaging_max_width`:
//!   that of the averaging widths ([`crate::time_averaging`]);
//! - `margin_sigmas`, `window_reach`, `min_bins`: the frequency-domain plan
//!   ([`crate::filter_plan`]); `min_block_frames`: the pooling blocks
//!   ([`crate::time_averaging`]);
//! - `log1p_exponent_limit`, `pcen_*`: the compressions ([`crate::compression`]).

use std::collections::BTreeMap;

use crate::FrontendConfig;
use crate::compression::{
    CompressionKind, KERNEL_CUTOFF, LOG1P_EXPONENT_LIMIT, PCEN_ALPHA_RANGE, PCEN_DELTA_MIN,
    PCEN_EPS, PCEN_ROOT_RANGE, PCEN_SMOOTHING_RANGE,
};
use crate::filter_plan::{MARGIN_SIGMAS, MIN_BINS, WINDOW_REACH};
use crate::gabor_bank::GaborBank;
use crate::learnable_mel::{MEL_PER_NEPER, MIN_FLANK_BINS, SUM_EPSILON};
use crate::stft::POWER_EPSILON;
use crate::time_averaging::{MIN_BLOCK_FRAMES, TimeAveraging};

/// The constants the frontend of `config` computes with, by name.
pub fn named_constants(config: &FrontendConfig) -> BTreeMap<&'static str, f64> {
    let stft = [("stft_power_epsilon", f64::from(POWER_EPSILON))];
    let mut out = BTreeMap::new();
    match config {
        FrontendConfig::Mel(_) => out.extend(stft),
        FrontendConfig::LearnableMel(_) => {
            out.extend(stft);
            out.extend([
                ("mel_per_neper", MEL_PER_NEPER),
                ("min_flank_bins", f64::from(MIN_FLANK_BINS)),
                ("sum_epsilon", f64::from(SUM_EPSILON)),
            ]);
        }
        FrontendConfig::Gabor(c) => {
            let (min_width, max_width) = GaborBank::width_range(c.window);
            let (min_average, max_average) = TimeAveraging::width_range(c.window);
            out.extend([
                ("gabor_min_width", min_width),
                ("gabor_max_width", max_width),
                ("averaging_min_width", min_average),
                ("averaging_max_width", max_average),
                ("margin_sigmas", MARGIN_SIGMAS),
                ("window_reach", WINDOW_REACH),
                ("min_bins", MIN_BINS as f64),
                ("min_block_frames", MIN_BLOCK_FRAMES as f64),
            ]);
            match c.compression {
                CompressionKind::Log => {}
                CompressionKind::Log1p => {
                    out.insert("log1p_exponent_limit", LOG1P_EXPONENT_LIMIT);
                }
                CompressionKind::Pcen => out.extend([
                    ("pcen_epsilon", PCEN_EPS),
                    ("pcen_kernel_cutoff", KERNEL_CUTOFF),
                    ("pcen_smoothing_min", PCEN_SMOOTHING_RANGE.0),
                    ("pcen_smoothing_max", PCEN_SMOOTHING_RANGE.1),
                    ("pcen_alpha_min", PCEN_ALPHA_RANGE.0),
                    ("pcen_alpha_max", PCEN_ALPHA_RANGE.1),
                    ("pcen_delta_min", PCEN_DELTA_MIN),
                    ("pcen_root_min", PCEN_ROOT_RANGE.0),
                    ("pcen_root_max", PCEN_ROOT_RANGE.1),
                ]),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GaborConfig, LogMelConfig};

    #[test]
    fn each_frontend_names_the_constants_it_uses() {
        let mel = named_constants(&FrontendConfig::Mel(LogMelConfig::default()));
        assert_eq!(
            mel.keys().copied().collect::<Vec<_>>(),
            ["stft_power_epsilon"]
        );
        // The f32 epsilon, widened exactly: it narrows back to the same f32.
        assert_eq!(mel["stft_power_epsilon"] as f32, 1e-20f32);
        let pcen = named_constants(&FrontendConfig::Gabor(GaborConfig {
            compression: CompressionKind::Pcen,
            ..GaborConfig::default()
        }));
        assert_eq!(pcen["window_reach"], 5.0);
        assert_eq!(pcen["pcen_delta_min"], 1e-3);
        assert_eq!(pcen["averaging_min_width"], 2.0 / 1025.0);
        // 4 z with z = sqrt(2 ln 2) / pi.
        let z = (2.0 * 2f64.ln()).sqrt() / std::f64::consts::PI;
        assert!((pcen["gabor_min_width"] - 4.0 * z).abs() < 1e-15);
        assert!(!pcen.contains_key("log1p_exponent_limit"));
        assert!(!pcen.contains_key("stft_power_epsilon"));
    }
}
