//! The learnable mel frontend: at initialisation it is the fixed (librosa-checked)
//! mel bank; its gradient with respect to the band edges matches finite
//! differences; its constraints hold under absurd optimiser steps; and it runs
//! on ndarray with the DFT matrix.

use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::Device;

use super::{LearnableMel, LearnableMelConfig, hz_to_mel};
use crate::dft::DftMethod;
use crate::log_mel::LogMelConfig;
use crate::mel_scale::mel_filters;
use crate::test_support::{
    FiniteDifference, loss_weights as weights, mel_fixture as fixture, param, scalar,
    to_host as host, two_tones_and_noise as test_signal, wave,
};

/// The same module with its raw parameters replaced by `values`.
fn with_parameters(module: &LearnableMel, values: Vec<f32>, device: &Device) -> LearnableMel {
    LearnableMel {
        lowest_and_spacings: param(values, device),
        ..module.clone()
    }
}

fn max_filter_difference_to_fixed_bank(config: &LearnableMelConfig, sample_rate: u32) -> f64 {
    let module = config.init(sample_rate, DftMethod::Fft, &Device::flex());
    let ours = host(module.filters()); // row-major [bins, bands]
    let fixed = mel_filters(
        sample_rate as f64,
        config.n_fft,
        config.bands,
        config.fmin,
        config.fmax,
    );
    let bins = config.n_fft / 2 + 1;
    let mut worst = 0f64;
    for (b, row) in fixed.iter().enumerate() {
        for (k, want) in row.iter().enumerate() {
            worst = worst.max((ours[k * config.bands + b] as f64 - want).abs());
        }
    }
    assert_eq!(ours.len(), bins * config.bands);
    worst
}

#[test]
fn initial_filters_equal_the_fixed_mel_bank() {
    let default = max_filter_difference_to_fixed_bank(&LearnableMelConfig::default(), 22050);
    // The whole range up to Nyquist, where the top edge meets the clamp.
    let full_range = LearnableMelConfig {
        n_fft: 512,
        bands: 40,
        fmin: 0.0,
        fmax: 8000.0,
        ..LearnableMelConfig::default()
    };
    let full_range = max_filter_difference_to_fixed_bank(&full_range, 16000);
    println!(
        "max |filter difference|: default {default:.2e}, 0-8000 Hz at 16 kHz {full_range:.2e}"
    );
    assert!(
        default < 1e-5,
        "default: max |filter difference| = {default}"
    );
    assert!(
        full_range < 1e-5,
        "0-8000 Hz: max |filter difference| = {full_range}"
    );
}

#[test]
fn initial_output_equals_log_mel_and_librosa() {
    let f = fixture();
    let device = Device::flex();
    let learnable = LearnableMelConfig::default().init(22050, DftMethod::Fft, &device);
    let fixed = LogMelConfig::default().init(22050, DftMethod::Fft, &device);
    let ours = learnable.unstandardized(wave(&f.signal, &device)); // [1, bands, frames]
    let [_, bands, frames] = ours.dims();
    let ours = host(ours);
    let theirs = host(fixed.unstandardized(wave(&f.signal, &device)));
    let to_log_mel = ours
        .iter()
        .zip(&theirs)
        .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    // librosa, over the values within 80 dB of the maximum (as for LogMel).
    assert_eq!((bands, frames), (f.log_mel.len(), f.log_mel[0].len()));
    let max = f.log_mel.iter().flatten().cloned().fold(f64::MIN, f64::max);
    let floor = max - 4.0 * 10f64.ln();
    let mut to_librosa = 0f64;
    for b in 0..bands {
        for t in 0..frames {
            if f.log_mel[b][t] >= floor {
                to_librosa = to_librosa.max((ours[b * frames + t] as f64 - f.log_mel[b][t]).abs());
            }
        }
    }
    println!("max |log-mel difference|: to LogMel {to_log_mel:.2e}, to librosa {to_librosa:.2e}");
    assert!(
        to_log_mel < 1e-4,
        "max |difference to LogMel| = {to_log_mel}"
    );
    assert!(
        to_librosa <= 1e-3,
        "max |difference to librosa| = {to_librosa}"
    );
    assert_eq!(learnable.filter_summary().unwrap().kind, "learnable-mel");
}

#[test]
fn filter_summary_describes_the_initial_mel_bank() {
    let module = LearnableMelConfig::default().init(22050, DftMethod::Fft, &Device::flex());
    let fixed = LogMelConfig::default().init(22050, DftMethod::Fft, &Device::flex());
    let (ours, theirs) = (module.filter_summary().unwrap(), fixed.filter_summary());
    for name in ["centre frequency", "bandwidth (FWHM)"] {
        let (a, b) = (ours.series(name).unwrap(), theirs.series(name).unwrap());
        assert_eq!(a.values.len(), 80);
        for (x, y) in a.values.iter().zip(&b.values) {
            assert!((x - y).abs() < 1e-2, "{name}: {x} vs {y}");
        }
    }
    assert_eq!(ours.responses.len(), theirs.responses.len());
    for (a, b) in ours.responses.iter().zip(&theirs.responses) {
        assert_eq!(a.band, b.band);
        let worst = a
            .gain
            .iter()
            .zip(&b.gain)
            .fold(0f64, |m, (x, y)| m.max((x - y).abs()));
        assert!(
            worst < 1e-4,
            "band {}: max |gain difference| = {worst}",
            a.band
        );
    }
}

#[test]
fn gradient_with_respect_to_the_band_edges_matches_finite_differences() {
    let device = Device::flex().autodiff();
    let signal = test_signal(4000, 22050.0);
    let module = LearnableMelConfig::default().init(22050, DftMethod::Fft, &device);
    let frames = 1 + (signal.len() - 1024) / 315;
    let w = weights([1, 80, frames], &device);
    let loss = |m: &LearnableMel| (m.unstandardized(wave(&signal, &device)) * w.clone()).sum();
    let grads = loss(&module).backward();
    let g = host(
        module
            .lowest_and_spacings
            .grad(&grads)
            .expect("gradient for the band edges"),
    );
    assert!(g.iter().all(|v| v.is_finite()), "non-finite gradient");
    let params = host(module.lowest_and_spacings.val());
    // Directional derivative along the gradient itself (scaled to a maximum of
    // 1 mel), where it is largest, so that f32 finite differences resolve it.
    // The loss has kinks wherever an edge crosses a bin, so the step is small:
    // 3e-3 mel gave rel 2.4e-4; 1e-3 (f32 noise) and 1e-2 (kinks) gave 3.6e-3.
    let eps = 3e-3f32;
    let (numeric, analytic, rel) = FiniteDifference::new(params, |p| {
        scalar(loss(&with_parameters(&module, p, &device)))
    })
    .along_scaled_gradient(&g, eps);
    println!("along the gradient: numeric {numeric:.6} autodiff {analytic:.6} (rel {rel:.2e})");
    assert!(
        rel < 1e-2,
        "numeric {numeric} vs autodiff {analytic} (rel {rel})"
    );
}

#[test]
fn constraints_hold_under_huge_adam_steps() {
    let device = Device::flex().autodiff();
    let config = LearnableMelConfig::default();
    let nyquist = 22050.0 / 2.0;
    let signal = test_signal(2000, 22050.0);
    let mut module = config.init(22050, DftMethod::Fft, &device);
    let frames = 1 + (signal.len() - 1024) / 315;
    let w = weights([1, 80, frames], &device);
    let mut optim = AdamConfig::new().init();
    let (mut spacing_clamped, mut edge_clamped) = (false, false);
    for step in 0..8 {
        let loss = (module.forward(wave(&signal, &device)) * w.clone()).sum();
        let grads = GradientsParams::from_grads(loss.backward(), &module);
        module = optim.step(300.0, module, grads);

        let out = host(module.forward(wave(&signal, &device)));
        assert!(
            out.iter().all(|v| v.is_finite()),
            "step {step}: non-finite output"
        );
        let raw = host(module.lowest_and_spacings.val());
        let edges_mel = host(module.edges_mel());
        for (i, pair) in edges_mel.windows(2).enumerate() {
            let spacing = pair[1] - pair[0];
            assert!(
                spacing >= config.min_spacing as f32 * 0.99,
                "step {step}: spacing {i} is {spacing} mel (raw {})",
                raw[i + 1]
            );
        }
        let edges_hz = module.edges_hz().unwrap();
        for (i, &hz) in edges_hz.iter().enumerate() {
            assert!(
                (0.0..=nyquist).contains(&hz),
                "step {step}: edge {i} at {hz} Hz"
            );
        }
        // Edges strictly inside (0, Nyquist) keep the minimum spacing in Hz too.
        for pair in edges_hz.windows(2) {
            if pair[0] > 0.0 && pair[1] < nyquist {
                let mel = hz_to_mel(pair[1]) - hz_to_mel(pair[0]);
                assert!(
                    mel >= config.min_spacing * 0.99,
                    "step {step}: edges {pair:?} Hz only {mel} mel apart"
                );
            }
        }
        spacing_clamped |= raw[1..].iter().any(|&s| s < config.min_spacing as f32);
        edge_clamped |= edges_mel
            .iter()
            .any(|&m| m < 0.0 || m as f64 > hz_to_mel(nyquist));
    }
    // The steps must have pushed the raw parameters past both constraints.
    assert!(spacing_clamped, "no raw spacing went below min_spacing");
    assert!(edge_clamped, "no edge left [0, Nyquist]");
}

#[test]
#[allow(deprecated)]
fn runs_on_ndarray_with_the_dft_matrix() {
    let config = LearnableMelConfig {
        n_fft: 64,
        hop: 32,
        bands: 8,
        fmin: 50.0,
        fmax: 4000.0,
        ..LearnableMelConfig::default()
    };
    assert_eq!(config.validate(8000, DftMethod::Matrix), Ok(()));
    let signal = test_signal(64 + 3 * 32, 8000.0);
    let run = |device: Device, method: DftMethod| {
        let module = config.init(8000, method, &device);
        // Move the edges away from the initial (equal) spacing.
        let mut params = host(module.lowest_and_spacings.val());
        for (i, p) in params.iter_mut().enumerate() {
            *p += 40.0 * ((i * 5) % 7) as f32 - 120.0;
        }
        let module = with_parameters(&module, params, &device);
        let out = module.unstandardized(wave(&signal, &device)); // [1, 8, 4]
        assert_eq!(out.dims(), [1, 8, 4]);
        let loss = (out.clone() * weights([1, 8, 4], &device)).sum();
        let grads = loss.backward();
        let g = host(module.lowest_and_spacings.grad(&grads).unwrap());
        (host(out), g)
    };
    let (out_nd, grad_nd) = run(Device::ndarray().autodiff(), DftMethod::Matrix);
    let (out_flex, grad_flex) = run(Device::flex().autodiff(), DftMethod::Fft);
    let out_diff = out_nd
        .iter()
        .zip(&out_flex)
        .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    let grad_peak = grad_flex.iter().fold(0f32, |m, v| m.max(v.abs()));
    let grad_diff = grad_nd
        .iter()
        .zip(&grad_flex)
        .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    println!(
        "ndarray vs Flex: max |output difference| {out_diff:.2e}, \
         max |gradient difference| / peak {:.2e}",
        grad_diff / grad_peak
    );
    assert!(out_diff < 1e-4, "max |output difference| = {out_diff}");
    assert!(grad_peak > 0.0, "zero gradient");
    assert!(
        grad_diff / grad_peak < 1e-3,
        "max |gradient difference| / peak = {}",
        grad_diff / grad_peak
    );
}

#[test]
fn validate_names_min_spacing() {
    let ok = LearnableMelConfig::default();
    assert_eq!(ok.validate(22050, DftMethod::Fft), Ok(()));
    for bad in [0.0, -1.0, f64::NAN, 100.0] {
        let config = LearnableMelConfig {
            min_spacing: bad,
            ..ok.clone()
        };
        let err = config.validate(22050, DftMethod::Fft).unwrap_err();
        assert!(err.contains("frontend.min_spacing"), "{bad}: {err}");
    }
    let config = LearnableMelConfig { n_fft: 1000, ..ok };
    let err = config.validate(22050, DftMethod::Fft).unwrap_err();
    assert!(err.contains("frontend.n_fft"), "{err}");
}

#[test]
fn config_is_selected_by_kind_learnable_mel() {
    let parsed: crate::FrontendConfig =
        serde_json::from_str(r#"{"kind": "learnable-mel", "bands": 40, "min_spacing": 2.0}"#)
            .unwrap();
    let want = LearnableMelConfig {
        bands: 40,
        min_spacing: 2.0,
        ..LearnableMelConfig::default()
    };
    assert_eq!(parsed, crate::FrontendConfig::LearnableMel(want));
    let unknown =
        serde_json::from_str::<crate::FrontendConfig>(r#"{"kind": "learnable-mel", "nbands": 4}"#);
    assert!(unknown.is_err(), "an unknown key must be rejected");
}
