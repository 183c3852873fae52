//! The Gabor frontend's constraints under absurd optimiser steps: every
//! constrained parameter stays in range and the output finite, while the
//! raw parameters are pushed out of their ranges both ways.

use burn::module::Param;
use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::{Device, Tensor, TensorData};

use crate::compression::{Compression, CompressionKind, LOG1P_EXPONENT_LIMIT};
use crate::gabor::GaborConfig;
use crate::gabor_bank::FWHM_FACTOR;
use crate::test_support::{loss_weights, to_host, tones_and_noise};
use crate::time_averaging::TimeAveraging;

/// Adam with a huge step on a fully learned frontend, minimising `sign * L`;
/// asserts after every step that the output is finite and every constrained
/// parameter is in range. Returns, per parameter kind, whether a raw value
/// left its range at some step.
fn huge_steps(compression: CompressionKind, sign: f64) -> Vec<(&'static str, bool)> {
    let device = Device::flex().autodiff();
    let config = GaborConfig {
        bands: 16,
        learn_centres: true,
        learn_bandwidths: true,
        learn_averaging: true,
        learn_compression: true,
        compression,
        ..GaborConfig::default()
    };
    let mut module = config.init(22_050, &device);
    let signal = tones_and_noise(4000);
    let frames = 1 + (signal.len() - config.window) / config.hop;
    let w = loss_weights([1, 16, frames], &device).mul_scalar(sign);
    let wave =
        || Tensor::<2>::from_data(TensorData::new(signal.clone(), [1, signal.len()]), &device);
    // The documented range `[4 z, W z]`, z = sqrt(2 ln 2) / pi.
    let (width_lo, width_hi) = (4.0 * FWHM_FACTOR, config.window as f64 * FWHM_FACTOR);
    let (avg_lo, avg_hi) = TimeAveraging::width_range(config.window);
    let pi = std::f32::consts::PI;
    let mut optim = AdamConfig::new().init();
    let mut outside = vec![
        ("centres", false),
        ("widths", false),
        ("averaging", false),
        ("pcen s", false),
        ("pcen alpha", false),
        ("pcen delta", false),
        ("pcen r", false),
        ("log1p a", false),
    ];
    for step in 0..8 {
        let loss = (module.forward(wave()) * w.clone()).sum();
        let grads = GradientsParams::from_grads(loss.backward(), &module);
        module = optim.step(300.0, module, grads);

        let out = to_host(module.forward(wave()));
        assert!(
            out.iter().all(|v| v.is_finite()),
            "{compression:?} sign {sign} step {step}: non-finite output"
        );
        let (omega, sigma) = module.bank.constrained();
        for (b, w) in to_host(omega).into_iter().enumerate() {
            assert!(
                (0.0..=pi).contains(&w),
                "step {step}: centre {b} at {w} rad/sample"
            );
        }
        for (b, s) in to_host(sigma).into_iter().enumerate() {
            let s = s as f64;
            assert!(
                s > 0.0 && s >= width_lo * (1.0 - 1e-6) && s <= width_hi * (1.0 + 1e-6),
                "step {step}: width {b} is {s} samples, outside [{width_lo}, {width_hi}]"
            );
        }
        for (b, s) in to_host(module.averaging.constrained())
            .into_iter()
            .enumerate()
        {
            let s = s as f64;
            assert!(
                s >= avg_lo * (1.0 - 1e-6) && s <= avg_hi * (1.0 + 1e-6),
                "step {step}: averaging width {b} is {s}, outside [{avg_lo}, {avg_hi}]"
            );
        }
        let raw_out = |p: &Param<Tensor<1>>, lo: f32, hi: f32| {
            to_host(p.val()).iter().any(|&v| v < lo || v > hi)
        };
        outside[0].1 |= raw_out(&module.bank.centres, 0.0, pi);
        outside[1].1 |= raw_out(&module.bank.widths, width_lo as f32, width_hi as f32);
        outside[2].1 |= raw_out(&module.averaging.widths, avg_lo as f32, avg_hi as f32);
        if let Compression::Log1p(c) = &module.compression {
            let limit = LOG1P_EXPONENT_LIMIT as f32;
            outside[7].1 |= raw_out(&c.exponent, -limit, limit);
        }
        if let Compression::Pcen(p) = &module.compression {
            let (s, alpha, delta, r) = p.constrained();
            let check = |name: &str, t: Tensor<1>, lo: f32, hi: f32| {
                for (b, v) in to_host(t).into_iter().enumerate() {
                    assert!(
                        v >= lo && v <= hi,
                        "step {step}: PCEN {name} of band {b} is {v}, outside [{lo}, {hi}]"
                    );
                }
            };
            check("s", s, 0.01, 0.99);
            check("alpha", alpha, 0.0, 1.0);
            check("delta", delta, 1e-3, f32::INFINITY);
            check("r", r, 0.05, 1.0);
            outside[3].1 |= raw_out(&p.smoothing, 0.01, 0.99);
            outside[4].1 |= raw_out(&p.alpha, 0.0, 1.0);
            outside[5].1 |= raw_out(&p.delta, 1e-3, f32::INFINITY);
            outside[6].1 |= raw_out(&p.root, 0.05, 1.0);
        }
    }
    println!("{compression:?}, sign {sign}: raw values outside their ranges: {outside:?}");
    if compression == CompressionKind::Pcen {
        outside.truncate(7);
    } else {
        let exponent = outside[7];
        outside.truncate(3);
        outside.push(exponent);
    }
    outside
}

#[test]
fn constraints_hold_under_huge_adam_steps() {
    for compression in [CompressionKind::Log1p, CompressionKind::Pcen] {
        // Minimising the loss and its negation push parameters both ways;
        // together they must have taken every raw parameter out of range.
        let plus = huge_steps(compression, 1.0);
        let minus = huge_steps(compression, -1.0);
        for ((name, a), (_, b)) in plus.iter().zip(&minus) {
            assert!(
                a | b,
                "{compression:?}: the raw {name} never left their range, \
                 so the constraint was not exercised"
            );
        }
    }
}
