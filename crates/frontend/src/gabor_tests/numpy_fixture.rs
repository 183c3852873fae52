//! The Gabor frontend's averaged energies against numpy's direct
//! time-domain computation (`tests/fixtures/make_gabor.py`).

use burn::tensor::{Device, Tensor, TensorData};
use serde_json::Value;

use crate::gabor::GaborConfig;
use crate::gabor_bank::GaborBank;
use crate::test_support::{floats, mel_fixture, read_fixture, to_host};
use crate::time_averaging::TimeAveraging;

#[test]
fn energies_match_the_direct_time_domain_computation() {
    let fx: Value = read_fixture("gabor_numpy.json");
    let samples = fx["samples"].as_u64().unwrap() as usize;
    let signal = mel_fixture().signal[..samples].to_vec();
    let device = Device::flex();
    let wave: Tensor<2> = Tensor::from_data(TensorData::new(signal, [1, samples]), &device);
    // The default support, and a wider one that shows the error is the
    // truncation's and shrinks as it widens.
    for (support, bound) in [(GaborConfig::default().support, 3e-3), (5.0, 5e-4)] {
        for (name, case) in fx["cases"].as_object().unwrap() {
            let (omega, sigma, s) = (
                floats(&case["omega"]),
                floats(&case["sigma"]),
                floats(&case["s"]),
            );
            let mut gabor = GaborConfig {
                support,
                ..GaborConfig::default()
            }
            .init(22_050, &device);
            gabor.bank = GaborBank::new(&omega, &sigma, 1024, false, false, &device);
            gabor.averaging = TimeAveraging::new(&s, 1024, 315, false, &device);
            let ours = gabor.energies(wave.clone());
            let [_, bands, frames] = ours.dims();
            let ours = to_host(ours);
            let expected = case["energies"].as_array().unwrap();
            let (mut worst_rel, mut worst_log) = (0f64, 0f64);
            for b in 0..bands {
                let row = floats(&expected[b]);
                let peak = row.iter().cloned().fold(0.0, f64::max);
                for f in 0..frames {
                    let (o, e) = (ours[b * frames + f] as f64, row[f]);
                    // f32 FFTs: absolute errors of ~1e-7 of the band's peak.
                    assert!(
                        (o - e).abs() <= 2.0 * bound * e + 1e-6 * peak,
                        "{name}: band {b} frame {f}: {o:e} vs {e:e} (peak {peak:e})"
                    );
                    if e > 1e-3 * peak {
                        worst_rel = worst_rel.max((o - e).abs() / e);
                        worst_log = worst_log.max((o.max(1e-30).ln() - e.ln()).abs());
                    }
                }
            }
            println!(
                "support {support}, {name}: max relative error {worst_rel:.2e}, max |d ln| {worst_log:.2e} \
             (values above 1e-3 of the band's peak)"
            );
            assert!(worst_rel < bound, "support {support}, {name}: {worst_rel}");
        }
    }
}
