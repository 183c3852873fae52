//! Excerpts packed into shared FFT buffers against the same excerpts one by one.

use burn::tensor::{Device, Tensor, TensorData};

use crate::filter_plan::FilterPlan;
use crate::gabor::GaborConfig;
use crate::test_support::{to_host, tones_and_noise};

#[test]
fn a_packed_batch_equals_its_excerpts_one_by_one() {
    let device = Device::flex();
    let samples = 8_000;
    let signal = tones_and_noise(samples * 5);
    // A wide support, so that what is compared is the packing, not the
    // decimation (buffers of other lengths decimate differently, which at
    // the default support moves quiet values by up to a few per cent).
    let support = 5.0;
    let gabor = GaborConfig {
        support,
        ..GaborConfig::default()
    }
    .init(22_050, &device);
    let plan = FilterPlan::new(
        (5, samples, gabor.hop()),
        &gabor.bank.constrained_host().unwrap().1,
        &gabor.averaging.std_samples_host().unwrap(),
        support,
    );
    assert!(
        plan.packing.excerpts > 1,
        "the test needs a packed batch: {:?}",
        plan.packing
    );
    let batch: Tensor<2> =
        Tensor::from_data(TensorData::new(signal.clone(), [5, samples]), &device);
    let together = to_host(gabor.energies(batch));
    let per_excerpt = together.len() / 5;
    for j in 0..5 {
        let one: Tensor<2> = Tensor::from_data(
            TensorData::new(
                signal[j * samples..(j + 1) * samples].to_vec(),
                [1, samples],
            ),
            &device,
        );
        let alone = to_host(gabor.energies(one));
        let peak = alone.iter().cloned().fold(0f32, f32::max);
        for (i, (a, b)) in alone
            .iter()
            .zip(&together[j * per_excerpt..(j + 1) * per_excerpt])
            .enumerate()
        {
            assert!(
                (a - b).abs() <= 1e-4 * a.abs() + 1e-7 * peak,
                "excerpt {j}, value {i}: alone {a}, packed {b}, peak {peak}"
            );
        }
    }
}
