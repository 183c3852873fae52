use burn::tensor::signal::{irfft, rfft};
use burn::tensor::{Device, Distribution, Tensor};
use burn::tensor::{Int, TensorData};
use cochlea_frontend::*;
use std::time::Instant;

fn t<F: FnMut() -> f32>(name: &str, mut f: F) {
    let _ = f();
    let mut v = vec![];
    for _ in 0..5 {
        let s = Instant::now();
        let _ = f();
        v.push(s.elapsed().as_secs_f64() * 1000.0);
    }
    v.sort_by(f64::total_cmp);
    println!("{name:<40} {:8.1} ms", v[2]);
}

fn main() {
    let dev = Device::flex().autodiff();
    let plain = Device::flex();
    let wave: Tensor<2> = Tensor::random([32, 36934], Distribution::Normal(0.0, 0.1), &plain);
    let c = GaborConfig {
        averaging: AveragingKind::Fixed,
        ..GaborConfig::default()
    };
    let g = c.init(22050, &plain);
    let mel = LogMelConfig::default().init(22050, DftMethod::Fft, &plain);
    t("mel fwd (no grad)", || {
        mel.forward(wave.clone()).sum().into_scalar::<f32>()
    });
    t("gabor-fixed fwd (no grad)", || {
        g.forward(wave.clone()).sum().into_scalar::<f32>()
    });
    t("rfft 32x65536", || {
        let (a, b) = rfft(wave.clone(), 1, Some(65536));
        (a.sum() + b.sum()).into_scalar::<f32>()
    });
    let x: Tensor<2> = Tensor::random([32, 32769], Distribution::Default, &plain);
    let idx: Vec<i64> = (0..80 * 2049).map(|i| ((i * 7) % 32769) as i64).collect();
    let idx = Tensor::<1, Int>::from_data(TensorData::new(idx, [80 * 2049]), &plain);
    t("select 32x(80x2049) from 32x32769", || {
        x.clone().select(1, idx.clone()).sum().into_scalar::<f32>()
    });
    let s: Tensor<3> = Tensor::random([32, 80, 2049], Distribution::Default, &plain);
    t("mul 32x80x2049", || {
        (s.clone() * s.clone()).sum().into_scalar::<f32>()
    });
    t("irfft [32,80,2049]->4096", || {
        irfft(s.clone(), s.clone(), 2, Some(4096))
            .sum()
            .into_scalar::<f32>()
    });
    let e: Tensor<3> = Tensor::random([32, 80, 4096], Distribution::Default, &plain);
    t("square 32x80x4096", || {
        e.clone().square().sum().into_scalar::<f32>()
    });
    let pidx: Vec<i64> = (0..115 * 130).map(|i| ((i * 3) % 4096) as i64).collect();
    let pidx = Tensor::<1, Int>::from_data(TensorData::new(pidx, [115 * 130]), &plain);
    t("select pool 32x80x(115x130)", || {
        e.clone().select(2, pidx.clone()).sum().into_scalar::<f32>()
    });
    let big: Tensor<4> = Tensor::random([32, 80, 115, 130], Distribution::Default, &plain);
    let w: Tensor<4> = Tensor::random([1, 80, 115, 130], Distribution::Default, &plain);
    t("mul+sum pool 32x80x115x130", || {
        (big.clone() * w.clone())
            .sum_dim(3)
            .sum()
            .into_scalar::<f32>()
    });
    // autodiff full
    let c2 = GaborConfig {
        learn_centres: true,
        learn_bandwidths: true,
        learn_averaging: true,
        compression: CompressionKind::Log1p,
        ..GaborConfig::default()
    };
    let gl = c2.init(22050, &dev);
    let wd = wave.clone().to_device(&dev);
    t("gabor-learned fwd (autodiff)", || {
        gl.forward(wd.clone()).sum().into_scalar::<f32>()
    });
    t("gabor-learned fwd+bwd", || {
        let l = gl.forward(wd.clone()).sum();
        let g = l.backward();
        let _ = g;
        0.0
    });
    let wr = wd.clone().require_grad();
    t("gabor-learned fwd+bwd wave grad", || {
        let l = gl.forward(wr.clone()).sum();
        let g = l.backward();
        wr.grad(&g).unwrap().sum().into_scalar::<f32>()
    });
    let meld = LogMelConfig::default().init(22050, DftMethod::Fft, &dev);
    t("mel fwd+bwd wave grad", || {
        let l = meld.forward(wr.clone()).sum();
        let g = l.backward();
        wr.grad(&g).unwrap().sum().into_scalar::<f32>()
    });
}
