use burn::tensor::signal::{irfft, rfft};
use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
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
    println!("{name:<50} {:8.1} ms", v[2]);
}

fn main() {
    let dev = Device::flex().autodiff();
    let x: Tensor<2> = Tensor::random([32, 32769], Distribution::Default, &dev);
    let n = 26 * 4097;
    let idx: Vec<i64> = (0..n).map(|i| ((i * 7) % 32769) as i64).collect();
    let idx = Tensor::<1, Int>::from_data(TensorData::new(idx, [n]), &dev);
    t("select fwd+bwd [32,32769]->[32,26*4097]", || {
        let xr = x.clone().require_grad();
        let y = xr.clone().select(1, idx.clone()).sum();
        let g = y.backward();
        xr.grad(&g).unwrap().sum().into_scalar::<f32>()
    });
    let s: Tensor<3> = Tensor::random([32, 26, 4097], Distribution::Default, &dev);
    t("irfft fwd [32,26,4097]->8192", || {
        irfft(s.clone(), s.clone(), 2, Some(8192))
            .sum()
            .into_scalar::<f32>()
    });
    t("irfft fwd+bwd [32,26,4097]->8192", || {
        let a = s.clone().require_grad();
        let y = irfft(a.clone(), s.clone(), 2, Some(8192)).sum();
        let g = y.backward();
        a.grad(&g).unwrap().sum().into_scalar::<f32>()
    });
    let e: Tensor<3> = Tensor::random([32, 26, 8192], Distribution::Default, &dev);
    t("mul self fwd+bwd [32,26,8192]", || {
        let a = e.clone().require_grad();
        let y = (a.clone() * a.clone()).sum();
        let g = y.backward();
        a.grad(&g).unwrap().sum().into_scalar::<f32>()
    });
    t("square fwd+bwd [32,26,8192]", || {
        let a = e.clone().require_grad();
        let y = a.clone().square().sum();
        let g = y.backward();
        a.grad(&g).unwrap().sum().into_scalar::<f32>()
    });
    t("powi2 fwd+bwd [32,26,8192]", || {
        let a = e.clone().require_grad();
        let y = a.clone().powi_scalar(2).sum();
        let g = y.backward();
        a.grad(&g).unwrap().sum().into_scalar::<f32>()
    });
    let gain: Tensor<3> = Tensor::random([1, 26, 4097], Distribution::Default, &dev);
    t(
        "mul bcast fwd+bwd [32,26,4097]x[1,26,4097] (both grads)",
        || {
            let a = s.clone().require_grad();
            let gg = gain.clone().require_grad();
            let y = (a.clone() * gg.clone()).sum();
            let g = y.backward();
            a.grad(&g).unwrap().sum().into_scalar::<f32>()
                + gg.grad(&g).unwrap().sum().into_scalar::<f32>()
        },
    );
    let w: Tensor<2> = Tensor::random([32, 65536], Distribution::Default, &dev);
    t("rfft fwd+bwd [32,65536]", || {
        let a = w.clone().require_grad();
        let (r, i) = rfft(a.clone(), 1, None);
        let y = (r + i).sum();
        let g = y.backward();
        a.grad(&g).unwrap().sum().into_scalar::<f32>()
    });
    let ee: Tensor<3> = Tensor::random([32, 26, 5000], Distribution::Default, &dev);
    t("unfold+matmul pool fwd+bwd", || {
        let a = ee.clone().require_grad();
        let u = a.clone().unfold::<4, _>(2, 400, 315);
        let m: Tensor<4> = Tensor::random([1, 26, 400, 8], Distribution::Default, &dev);
        let y = u.matmul(m).sum();
        let g = y.backward();
        a.grad(&g).unwrap().sum().into_scalar::<f32>()
    });
}
