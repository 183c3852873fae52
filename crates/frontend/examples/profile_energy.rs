use burn::tensor::signal::{irfft, rfft};
use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
use cochlea_frontend::filter_plan::{FilterPlan, spectral_slice};
use cochlea_frontend::*;
use std::time::Instant;

fn main() {
    let dev = Device::flex().autodiff();
    let wave: Tensor<2> = Tensor::random([32, 36934], Distribution::Normal(0.0, 0.1), &dev);
    let mut c = GaborConfig::default();
    c.learn_centres = true;
    c.learn_bandwidths = true;
    c.learn_averaging = true;
    let g = c.init(22050, &dev);
    let (omega, sigma) = g.bank.constrained();
    let oh = cochlea_frontend::gabor_bank::host_values(omega.clone());
    let sh = cochlea_frontend::gabor_bank::host_values(sigma.clone());
    let plan = FilterPlan::new(36934, &sh, &g.averaging.std_samples_host(), 3.5);
    println!(
        "groups {:?}",
        plan.groups
            .iter()
            .map(|g| (g.bins, g.bands.len()))
            .collect::<Vec<_>>()
    );
    for _ in 0..3 {
        let mut tm = vec![0f64; 8];
        let (omega, sigma) = g.bank.constrained();
        let wave = wave.clone().require_grad();
        let t = Instant::now();
        let (re, im) = rfft(wave.clone(), 1, Some(plan.padded));
        let im_signed = Tensor::cat(vec![im.clone(), im.neg()], 1);
        tm[0] += t.elapsed().as_secs_f64();
        let half = plan.padded / 2 + 1;
        let mut outs = vec![];
        for group in &plan.groups {
            let t = Instant::now();
            let (bands, bins) = (group.bands.len(), group.bins);
            let width = bins + 1;
            let mut sre = vec![];
            let mut sim = vec![];
            let mut fr = vec![];
            for &b in &group.bands {
                let s = spectral_slice(oh[b], bins, plan.padded);
                for q in 0..width {
                    sre.push(s.source[q] as i64);
                    sim.push(if s.conjugate[q] {
                        (s.source[q] + half) as i64
                    } else {
                        s.source[q] as i64
                    });
                    fr.push(s.frequency[q] as f32);
                }
            }
            let count = bands * width;
            let index =
                |v: Vec<i64>| Tensor::<1, Int>::from_data(TensorData::new(v, [count]), &dev);
            let members = Tensor::<1, Int>::from_data(
                TensorData::new(
                    group.bands.iter().map(|&b| b as i64).collect::<Vec<_>>(),
                    [bands],
                ),
                &dev,
            );
            let frequency: Tensor<2> = Tensor::from_data(TensorData::new(fr, [bands, width]), &dev);
            let ir = index(sre);
            let ii = index(sim);
            tm[1] += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let centre = omega.clone().select(0, members.clone()).reshape([bands, 1]);
            let ws = sigma.clone().select(0, members).reshape([bands, 1]);
            let gain = ((frequency - centre) * ws)
                .square()
                .mul_scalar(-0.5)
                .exp()
                .reshape([1, bands, width]);
            tm[2] += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let a = re.clone().select(1, ir).reshape([32, bands, width]);
            let b = im_signed.clone().select(1, ii).reshape([32, bands, width]);
            tm[3] += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let a = a * gain.clone();
            let b = b * gain;
            tm[4] += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let r = irfft(a, b, 2, Some(2 * bins));
            tm[5] += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let e = r.clone() * r;
            tm[6] += t.elapsed().as_secs_f64();
            outs.push(e.sum());
        }
        let t = Instant::now();
        let loss = Tensor::cat(outs, 0).sum();
        let grads = loss.backward();
        let _ = wave.grad(&grads).unwrap().sum().into_scalar::<f32>();
        tm[7] += t.elapsed().as_secs_f64();
        println!(
            "rfft {:.1} host {:.1} gain {:.1} select {:.1} mul {:.1} irfft {:.1} square {:.1} | backward {:.1}",
            tm[0] * 1e3,
            tm[1] * 1e3,
            tm[2] * 1e3,
            tm[3] * 1e3,
            tm[4] * 1e3,
            tm[5] * 1e3,
            tm[6] * 1e3,
            tm[7] * 1e3
        );
    }
}
