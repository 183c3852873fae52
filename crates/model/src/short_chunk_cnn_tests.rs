//! The short-chunk CNN against independent references: the layers written
//! out in numpy (`tests/fixtures/make_short_chunk.py`) in inference and in
//! training mode, burn's batch-norm behaviour (which statistics, the running
//! update, burnpack round trip), the validation messages and the parameter
//! count of Won et al.'s PyTorch model.

use burn::module::{Module, Param, RunningState};
use burn::nn::BatchNorm;
use burn::tensor::{Device, Tensor, TensorData};
use serde_json::Value;

use super::*;
use crate::classifier::BackboneConfig;
use crate::test_support::{floats, relative_error, values};

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/short_chunk_numpy.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("short-chunk fixture"))
        .expect("json")
}

fn dims(v: &Value) -> Vec<usize> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_u64().expect("integer") as usize)
        .collect()
}

fn tensor<const D: usize>(v: &Value, shape: [usize; D], device: &Device) -> Tensor<D> {
    Tensor::from_data(TensorData::new(floats(v), shape), device)
}

fn set_norm(norm: &mut BatchNorm, v: &Value, device: &Device) {
    let n = floats(&v["gamma"]).len();
    norm.gamma = Param::from_tensor(tensor(&v["gamma"], [n], device));
    norm.beta = Param::from_tensor(tensor(&v["beta"], [n], device));
    norm.running_mean = RunningState::new(tensor(&v["running_mean"], [n], device));
    norm.running_var = RunningState::new(tensor(&v["running_var"], [n], device));
}

fn small_config(fx: &Value) -> ShortChunkCnnConfig {
    ShortChunkCnnConfig {
        channels: dims(&fx["channels"]),
        dense: fx["dense"].as_u64().unwrap() as usize,
        dropout: 0.5,
    }
}

/// The fixture's network on `device`, with its weights and statistics.
fn fixture_net(fx: &Value, device: &Device) -> ShortChunkCnn {
    let [_, bands, frames] = <[usize; 3]>::try_from(dims(&fx["input_shape"])).unwrap();
    let mut net = small_config(fx).init(frames, bands, 9, device);
    for (block, v) in net.blocks.iter_mut().zip(fx["blocks"].as_array().unwrap()) {
        let shape = <[usize; 4]>::try_from(dims(&v["weight_shape"])).unwrap();
        block.conv.weight = Param::from_tensor(tensor(&v["weight"], shape, device));
        block.conv.bias = Some(Param::from_tensor(tensor(&v["bias"], [shape[0]], device)));
        set_norm(&mut block.norm, &v["norm"], device);
    }
    let v = &fx["dense_layer"];
    let [out, inp] = <[usize; 2]>::try_from(dims(&v["weight_shape"])).unwrap();
    // numpy [out, in] -> burn's [in, out], transposed on the host so that the
    // tensor is contiguous like a freshly initialised or loaded one.
    let w = floats(&v["weight"]);
    let transposed: Vec<f32> = (0..inp * out)
        .map(|k| w[(k % out) * inp + k / out])
        .collect();
    net.dense.weight = Param::from_tensor(Tensor::from_data(
        TensorData::new(transposed, [inp, out]),
        device,
    ));
    net.dense.bias = Some(Param::from_tensor(tensor(&v["bias"], [out], device)));
    set_norm(&mut net.norm, &v["norm"], device);
    net
}

fn fixture_input(fx: &Value, device: &Device) -> Tensor<3> {
    let shape = <[usize; 3]>::try_from(dims(&fx["input_shape"])).unwrap();
    tensor(&fx["input"], shape, device)
}

/// Every batch norm of the network, in forward order.
fn norms(net: &ShortChunkCnn) -> Vec<&BatchNorm> {
    let mut all: Vec<&BatchNorm> = net.blocks.iter().map(|b| &b.norm).collect();
    all.push(&net.norm);
    all
}

#[test]
fn inference_matches_numpy() {
    let fx = fixture();
    let want = floats(&fx["inference"]);
    assert!(want.iter().filter(|v| **v > 0.0).count() >= want.len() / 2);
    // A plain device takes the inference path; so does `valid()` of a model
    // built on an autodiff device.
    let flex = Device::flex();
    let got = values(fixture_net(&fx, &flex).forward(fixture_input(&fx, &flex)));
    let err = relative_error(&got, &want);
    eprintln!("inference vs numpy: relative error {err:e}");
    assert!(err < 1e-5, "plain device: relative error {err}");

    let autodiff = Device::flex().autodiff();
    let net = fixture_net(&fx, &autodiff).valid();
    let got = values(net.forward(fixture_input(&fx, &flex)));
    let err = relative_error(&got, &want);
    assert!(err < 1e-5, "valid(): relative error {err}");
}

#[test]
fn training_mode_normalises_with_batch_statistics_and_updates_running_ones() {
    let fx = fixture();
    let device = Device::flex().autodiff();
    let net = fixture_net(&fx, &device);
    let got = values(net.forward(fixture_input(&fx, &device)));
    let err = relative_error(&got, &floats(&fx["training"]));
    eprintln!("training mode vs numpy: relative error {err:e}");
    assert!(err < 2e-5, "training output: relative error {err}");

    // Running statistics after one step: (1 - 0.1) old + 0.1 batch, with
    // burn's *biased* batch variance (PyTorch would use count / (count - 1)
    // times it, which the dense norm, over 3 samples, shows clearly).
    let old: Vec<&Value> = fx["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["norm"])
        .chain([&fx["dense_layer"]["norm"]])
        .collect();
    let stats = fx["training_batch_stats"].as_array().unwrap();
    for (i, norm) in norms(&net).into_iter().enumerate() {
        assert_eq!(norm.momentum, 0.1);
        let mean = floats(&stats[i]["mean"]);
        let var = floats(&stats[i]["var"]);
        let count = stats[i]["count"].as_f64().unwrap() as f32;
        let update = |old: &[f32], batch: &[f32]| -> Vec<f32> {
            old.iter()
                .zip(batch)
                .map(|(o, b)| 0.9 * o + 0.1 * b)
                .collect()
        };
        let want_mean = update(&floats(&old[i]["running_mean"]), &mean);
        let want_var = update(&floats(&old[i]["running_var"]), &var);
        let got_mean = values(norm.running_mean.value_sync());
        let got_var = values(norm.running_var.value_sync());
        for (g, w) in got_mean.iter().zip(&want_mean) {
            assert!((g - w).abs() < 1e-5, "norm {i}: running mean {g} vs {w}");
        }
        for (g, w) in got_var.iter().zip(&want_var) {
            assert!(
                (g - w).abs() < 1e-5 * w.abs().max(1.0),
                "norm {i}: running var {g} vs {w}"
            );
        }
        if i == stats.len() - 1 {
            let unbiased: Vec<f32> = var.iter().map(|v| v * count / (count - 1.0)).collect();
            let pytorch = update(&floats(&old[i]["running_var"]), &unbiased);
            let apart = got_var
                .iter()
                .zip(&pytorch)
                .map(|(g, p)| (g - p).abs())
                .fold(0f32, f32::max);
            assert!(apart > 1e-3, "burn now matches PyTorch's unbiased update");
        }
    }

    // valid() switches to the running statistics just updated.
    let trained = net.valid();
    let flex = Device::flex();
    let again = values(trained.forward(fixture_input(&fx, &flex)));
    assert!(relative_error(&again, &got) > 1e-3);
}

fn running_stats(net: &ShortChunkCnn) -> Vec<Vec<f32>> {
    norms(net)
        .into_iter()
        .flat_map(|n| {
            [
                values(n.running_mean.value()),
                values(n.running_var.value()),
            ]
        })
        .collect()
}

fn temp_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cochlea-short-chunk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn running_statistics_survive_a_burnpack_round_trip() {
    let fx = fixture();
    let device = Device::flex().autodiff();
    let net = fixture_net(&fx, &device);
    let x = fixture_input(&fx, &device);
    let _ = net.forward(x.clone());
    let _ = net.forward(x.clone() * 0.5);

    // burn keeps the newest update of a running statistic pending (per
    // thread) until the next forward pass or valid()/train(); saving reads
    // the last synchronised value. Without a sync the file is one step behind.
    let stale = temp_file("stale.bpk");
    net.clone().save_file(&stale).unwrap();
    let skeleton = || small_config(&fx).init(20, 16, 1, &device);
    let loaded = skeleton().try_load_file(&stale).unwrap();
    let synced_now: Vec<Vec<f32>> = norms(&net)
        .into_iter()
        .flat_map(|n| {
            [
                values(n.running_mean.value_sync()),
                values(n.running_var.value_sync()),
            ]
        })
        .collect();
    assert_ne!(running_stats(&loaded), synced_now);

    // After `valid()` (which synchronises the shared state) the file holds
    // the current statistics, bit for bit, and the weights too.
    let _ = net.valid();
    let fresh = temp_file("fresh.bpk");
    net.clone().save_file(&fresh).unwrap();
    let loaded = skeleton().try_load_file(&fresh).unwrap();
    assert_eq!(running_stats(&loaded), running_stats(&net));
    assert_eq!(running_stats(&loaded), synced_now);
    assert_eq!(
        values(loaded.blocks[1].conv.weight.val()),
        values(net.blocks[1].conv.weight.val())
    );
    let flex = Device::flex();
    let a = values(loaded.valid().forward(fixture_input(&fx, &flex)));
    let b = values(net.valid().forward(fixture_input(&fx, &flex)));
    assert_eq!(a, b);
    let _ = std::fs::remove_dir_all(stale.parent().unwrap());
}

#[test]
fn validation_names_the_key_and_the_minimum() {
    let c = ShortChunkCnnConfig::default();
    assert_eq!(c.min_extent(), Some(128));
    assert!(c.validate(231, 128).is_ok());
    assert!(c.validate(128, 256).is_ok());
    let e = c.validate(231, 96).unwrap_err();
    assert!(
        e.contains("frontend.bands >= 128") && e.contains("got 96"),
        "{e}"
    );
    let e = c.validate(127, 128).unwrap_err();
    assert!(
        e.contains("task.chunk_frames") && e.contains("at least 128 frames"),
        "{e}"
    );
    let three = ShortChunkCnnConfig {
        channels: vec![8, 8, 8],
        ..c.clone()
    };
    assert!(three.validate(8, 8).is_ok());
    assert!(three.validate(8, 7).unwrap_err().contains(">= 8"));
    let empty = ShortChunkCnnConfig {
        channels: vec![],
        ..c.clone()
    };
    assert!(
        empty
            .validate(231, 128)
            .unwrap_err()
            .contains("model.channels")
    );
    let zero = ShortChunkCnnConfig {
        channels: vec![8, 0],
        ..c.clone()
    };
    assert!(
        zero.validate(231, 128)
            .unwrap_err()
            .contains("model.channels[1]")
    );
    let dropout = ShortChunkCnnConfig {
        dropout: 1.0,
        ..c.clone()
    };
    assert!(
        dropout
            .validate(231, 128)
            .unwrap_err()
            .contains("model.dropout")
    );
    let deep = ShortChunkCnnConfig {
        channels: vec![1; 70],
        ..c
    };
    assert!(deep.validate(231, 128).is_err());
}

#[test]
fn the_config_is_selected_by_kind_and_rejects_unknown_keys() {
    let c: BackboneConfig = serde_json::from_str(r#"{"kind": "short-chunk-cnn"}"#).unwrap();
    assert_eq!(
        c,
        BackboneConfig::ShortChunkCnn(ShortChunkCnnConfig::default())
    );
    let c: BackboneConfig =
        serde_json::from_str(r#"{"kind": "short-chunk-cnn", "channels": [16, 32], "dense": 64}"#)
            .unwrap();
    let BackboneConfig::ShortChunkCnn(c) = c else {
        panic!("wrong kind")
    };
    assert_eq!((c.channels, c.dense, c.dropout), (vec![16, 32], 64, 0.5));
    assert!(
        serde_json::from_str::<BackboneConfig>(r#"{"kind": "short-chunk-cnn", "width": 3}"#)
            .is_err()
    );
}

#[test]
fn the_default_has_the_papers_parameter_count() {
    // Won et al.'s ShortChunkCNN in PyTorch without the input `spec_bn` and
    // the output layer: conv i has c_in * c_out * 9 + c_out parameters, its
    // batch norm 2 c_out (gamma, beta):
    //   1 -> 128:     1,152 +   128 +   256 =     1,536
    //   128 -> 128: 147,456 +   128 +   256 =   147,840
    //   128 -> 256: 294,912 +   256 +   512 =   295,680
    //   256 -> 256: 589,824 +   256 +   512 =   590,592  (three times)
    //   256 -> 512: 1,179,648 + 512 + 1,024 = 1,181,184
    //   dense 512 -> 512: 262,144 + 512 + 1,024 = 263,680
    //   total 3,661,696; with spec_bn (2) and the 50-tag output layer
    //   (25,650), 3,687,348 for the whole PyTorch model.
    // burn's num_params also counts the running mean and variance (buffers in
    // PyTorch): 2 x (128 + 128 + 4 x 256 + 512 + 512) = 4,608.
    let net = ShortChunkCnnConfig::default().init(231, 128, 0, &Device::flex());
    let trainable: usize = net
        .blocks
        .iter()
        .map(|b| {
            b.conv.weight.shape().num_elements()
                + b.conv.bias.as_ref().unwrap().shape().num_elements()
                + 2 * b.norm.gamma.dims()[0]
        })
        .sum::<usize>()
        + net.dense.weight.shape().num_elements()
        + net.dense.bias.as_ref().unwrap().shape().num_elements()
        + 2 * net.norm.gamma.dims()[0];
    assert_eq!(trainable, 3_661_696);
    assert_eq!(net.num_params(), 3_661_696 + 4_608);
    assert_eq!(net.embedding(), 512);
}

#[test]
fn the_default_turns_a_papers_chunk_into_an_embedding() {
    let device = Device::flex();
    let net = ShortChunkCnnConfig::default().init(231, 128, 0, &device);
    let x = Tensor::<3>::random(
        [2, 128, 128],
        burn::tensor::Distribution::Normal(0.0, 1.0),
        &device,
    );
    let y = net.forward(x);
    assert_eq!(y.dims(), [2, 512]);
    assert!(values(y).iter().all(|v| v.is_finite() && *v >= 0.0));
}

#[test]
fn initialisation_is_pytorchs_default_and_follows_the_seed() {
    let device = Device::flex();
    let c = ShortChunkCnnConfig {
        channels: vec![8, 16],
        dense: 12,
        dropout: 0.5,
    };
    let a = c.init(16, 16, 5, &device);
    let b = c.init(16, 16, 5, &device);
    let other = c.init(16, 16, 6, &device);
    let w = |n: &ShortChunkCnn| values(n.blocks[1].conv.weight.val());
    assert_eq!(w(&a), w(&b));
    assert_ne!(w(&a), w(&other));
    // Conv 8 -> 16: fan_in 72, bound 1/sqrt(72); a uniform's standard
    // deviation is bound / sqrt(3).
    let bound = 1.0 / 72f32.sqrt();
    let weights = w(&a);
    assert!(weights.iter().all(|v| v.abs() <= bound));
    let sd = (weights.iter().map(|v| v * v).sum::<f32>() / weights.len() as f32).sqrt();
    assert!((sd / (bound / 3f32.sqrt()) - 1.0).abs() < 0.1, "sd {sd}");
    // Dense 16 -> 12, burn layout [in, out], bound 1/sqrt(16).
    assert_eq!(a.dense.weight.dims(), [16, 12]);
    let dense = values(a.dense.weight.val());
    assert!(dense.iter().all(|v| v.abs() <= 0.25));
    assert!(dense.iter().any(|v| v.abs() > 0.2));
    assert_eq!(values(a.norm.running_var.value()), vec![1.0; 12]);
}

#[test]
fn every_excerpt_equals_one_forward_per_excerpt() {
    let device = Device::flex();
    let c = ShortChunkCnnConfig {
        channels: vec![4, 8],
        dense: 6,
        dropout: 0.5,
    };
    let (bands, excerpt, frames) = (8, 12, 12 + ShortChunkCnn::WINDOW_BATCH + 3);
    let net = c.init(excerpt, bands, 2, &device);
    let data: Vec<f32> = (0..bands * frames)
        .map(|i| ((i * 2654435761usize) % 1000) as f32 / 500.0 - 1.0)
        .collect();
    let sequence = Tensor::<3>::from_data(TensorData::new(data, [1, bands, frames]), &device);
    let all = net.forward_every_excerpt(sequence.clone(), excerpt);
    let count = frames - excerpt + 1;
    assert_eq!(all.dims(), [count, 6]);
    let all = values(all);
    for s in [0, 7, ShortChunkCnn::WINDOW_BATCH, count - 1] {
        let one = values(net.forward(sequence.clone().slice([0..1, 0..bands, s..s + excerpt])));
        assert!(
            relative_error(&all[s * 6..(s + 1) * 6], &one) < 1e-5,
            "excerpt {s}"
        );
    }
    // A sequence shorter than the excerpt is zero-padded to one excerpt.
    let short = sequence.slice([0..1, 0..bands, 0..excerpt - 2]);
    assert_eq!(net.forward_every_excerpt(short, excerpt).dims(), [1, 6]);
}

/// Throwaway timing for sizing the quickstart (not a timed assertion):
/// `cargo test --release -p cochlea-model time_short_chunk -- --ignored --nocapture`.
#[test]
#[ignore]
fn time_short_chunk() {
    use std::time::Instant;
    let configs = [
        ("default", default_channels(), 512),
        ("32..128", vec![32, 32, 64, 64, 64, 64, 128], 128),
        ("16..64", vec![16, 16, 32, 32, 32, 32, 64], 64),
        ("8..32", vec![8, 8, 16, 16, 16, 16, 32], 32),
    ];
    let runs: usize = std::env::var("COCHLEA_TIME_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    for (name, channels, dense) in configs {
        let c = ShortChunkCnnConfig {
            channels,
            dense,
            dropout: 0.5,
        };
        let device = Device::flex().autodiff();
        let net = c.init(231, 128, 0, &device);
        let x = || {
            Tensor::<3>::random(
                [16, 128, 231],
                burn::tensor::Distribution::Normal(0.0, 1.0),
                &device,
            )
        };
        let valid = net.valid();
        let flex = Device::flex();
        let xv = Tensor::<3>::random(
            [16, 128, 231],
            burn::tensor::Distribution::Normal(0.0, 1.0),
            &flex,
        );
        let mut fwd = Vec::new();
        let mut step = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let _ = values(valid.forward(xv.clone()));
            fwd.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let y = net.forward(x());
            let grads = y.sum().backward();
            let g = net.blocks[0].conv.weight.grad(&grads).unwrap();
            let _ = values(g);
            step.push(t.elapsed().as_secs_f64());
        }
        fwd.sort_by(f64::total_cmp);
        step.sort_by(f64::total_cmp);
        println!(
            "{name}: {} params; batch 16 x 128 x 231 on flex: forward (inference) median {:.3} s, \
             forward+backward (training) median {:.3} s  [{runs} runs: {fwd:.3?} / {step:.3?}]",
            net.num_params(),
            fwd[runs / 2],
            step[runs / 2]
        );
    }
}

#[test]
fn a_classifier_with_this_backbone_has_the_dense_width_as_embedding() {
    use cochlea_frontend::{DftMethod, FrontendConfig, LogMelConfig};
    let device = Device::flex();
    let frontend = FrontendConfig::Mel(LogMelConfig {
        bands: 16,
        ..LogMelConfig::default()
    })
    .init(22_050, DftMethod::Fft, &device);
    let config = BackboneConfig::ShortChunkCnn(ShortChunkCnnConfig {
        channels: vec![4, 8],
        dense: 6,
        dropout: 0.5,
    });
    assert!(config.validate(16, 16).is_ok());
    assert!(config.validate(3, 16).is_err());
    let model = config.init_classifier(frontend, 16, 3, 4, &device);
    let logits = model.forward_features(Tensor::zeros([2, 16, 16], &device));
    assert_eq!(logits.dims(), [2, 3]);
    let every = model.forward_every_excerpt(Tensor::zeros([1, 16, 20], &device));
    assert_eq!(every.dims(), [5, 3]);
}
