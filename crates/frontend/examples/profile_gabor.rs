use burn::tensor::{Device, Distribution, Tensor};
use cochlea_frontend::filter_plan::FilterPlan;
use cochlea_frontend::gabor_energy::band_energies;
use cochlea_frontend::*;
use std::time::Instant;

fn main() {
    let plain = Device::flex();
    let dev = plain.clone().autodiff();
    let wave: Tensor<2> = Tensor::random([32, 36934], Distribution::Normal(0.0, 0.1), &dev);
    for adaptive in [false, true] {
        let mut c = GaborConfig::default();
        c.learn_centres = true;
        c.learn_bandwidths = true;
        c.learn_averaging = true;
        c.compression = CompressionKind::Log1p;
        c.averaging = if adaptive {
            AveragingKind::Adaptive
        } else {
            AveragingKind::Fixed
        };
        let g = c.init(22050, &dev);
        let (omega, sigma) = g.bank.constrained();
        let oh = cochlea_frontend::gabor_bank::host_values(omega.clone());
        let sh = cochlea_frontend::gabor_bank::host_values(sigma.clone());
        let plan = FilterPlan::new(36934, &sh, &g.averaging.std_samples_host(), 4.0);
        println!(
            "adaptive {adaptive}: M {} groups {:?}",
            plan.padded,
            plan.groups
                .iter()
                .map(|g| (g.bins, g.bands.len()))
                .collect::<Vec<_>>()
        );
        for _ in 0..3 {
            let wr = wave.clone().require_grad();
            let t0 = Instant::now();
            let (omega, sigma) = g.bank.constrained();
            let e = band_energies(wr.clone(), &plan, omega, sigma, &oh);
            let t1 = Instant::now();
            let p = g.averaging.pool(e, &plan, 36934);
            let t2 = Instant::now();
            let out = g.compression.forward(p);
            let loss = out.sum();
            let t3 = Instant::now();
            let grads = loss.backward();
            let t4 = Instant::now();
            let _ = wr.grad(&grads).unwrap().sum().into_scalar::<f32>();
            println!(
                "  energies {:6.1}  pool {:6.1}  compress {:6.1}  backward {:6.1} ms",
                (t1 - t0).as_secs_f64() * 1e3,
                (t2 - t1).as_secs_f64() * 1e3,
                (t3 - t2).as_secs_f64() * 1e3,
                (t4 - t3).as_secs_f64() * 1e3
            );
        }
    }
    let mel = LogMelConfig::default().init(22050, DftMethod::Fft, &dev);
    for _ in 0..3 {
        let wr = wave.clone().require_grad();
        let t0 = Instant::now();
        let out = mel.forward(wr.clone()).sum();
        let t1 = Instant::now();
        let grads = out.backward();
        let t2 = Instant::now();
        let _ = wr.grad(&grads).unwrap().sum().into_scalar::<f32>();
        println!(
            "mel fwd {:6.1} bwd {:6.1}",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3
        );
    }
}
