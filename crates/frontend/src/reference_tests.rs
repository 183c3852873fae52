//! The log-mel frontend against librosa (fixture made by
//! `tests/fixtures/make_mel.py`), on both DFT formulations, and its gradient
//! with respect to the waveform against finite differences.

use burn::tensor::{Device, Tensor, TensorData};

use crate::dft::DftMethod;
use crate::log_mel::LogMelConfig;
use crate::mel_scale::mel_filters;
use crate::test_support::{
    FiniteDifference, loss_weights, mel_fixture as fixture, scalar, to_host, two_tones_and_noise,
    wave,
};

fn log_mel(signal: &[f32], method: DftMethod, device: &Device) -> (Vec<f32>, usize, usize) {
    let module = LogMelConfig::default().init(22050, method, device);
    let out = module.unstandardized(wave(signal, device));
    let [_, bands, frames] = out.dims();
    (to_host(out), bands, frames)
}

#[test]
fn mel_filters_match_librosa() {
    let f = fixture();
    let ours = mel_filters(22050.0, 1024, 80, 27.5, 8000.0);
    let mut dense = vec![vec![0.0; 513]; 80];
    for &(b, k, v) in &f.filters {
        dense[b][k] = v;
    }
    let mut worst = 0f64;
    for b in 0..80 {
        for k in 0..513 {
            worst = worst.max((ours[b][k] - dense[b][k]).abs());
        }
    }
    // The fixture keeps 7 significant digits.
    assert!(worst < 1e-6, "max |filter difference| = {worst}");
}

/// Max |ours - librosa| over values within 80 dB (magnitude) of the maximum.
fn worst_log_mel_difference(method: DftMethod, device: &Device) -> f64 {
    let f = fixture();
    let (ours, bands, frames) = log_mel(&f.signal, method, device);
    assert_eq!((bands, frames), (f.log_mel.len(), f.log_mel[0].len()));
    let max = f.log_mel.iter().flatten().cloned().fold(f64::MIN, f64::max);
    let floor = max - 4.0 * 10f64.ln(); // 80 dB of magnitude = factor 1e4
    let mut worst = 0f64;
    let mut compared = 0;
    for b in 0..bands {
        for t in 0..frames {
            let want = f.log_mel[b][t];
            if want >= floor {
                worst = worst.max((ours[b * frames + t] as f64 - want).abs());
                compared += 1;
            }
        }
    }
    assert!(
        compared > bands * frames / 2,
        "too few values compared: {compared}"
    );
    worst
}

#[test]
fn log_mel_matches_librosa_with_the_fft() {
    let worst = worst_log_mel_difference(DftMethod::Fft, &Device::flex());
    assert!(worst <= 1e-3, "max |log-mel difference| = {worst}");
}

#[test]
#[allow(deprecated)]
fn log_mel_matches_librosa_with_the_dft_matrix_on_ndarray() {
    let worst = worst_log_mel_difference(DftMethod::Matrix, &Device::ndarray());
    assert!(worst <= 1e-3, "max |log-mel difference| = {worst}");
}

#[test]
fn magnitude_matches_librosa_stft() {
    let f = fixture();
    let device = Device::flex();
    let module = LogMelConfig::default().init(22050, DftMethod::Fft, &device);
    let wave = Tensor::<2>::from_data(
        TensorData::new(f.signal.clone(), [1, f.signal.len()]),
        &device,
    );
    let mag = module.magnitude(wave); // [1, frames, bins]
    let [_, frames, bins] = mag.dims();
    let ours = to_host(mag);
    let peak = f.magnitude.iter().flatten().cloned().fold(0.0, f64::max);
    let mut worst = 0f64;
    for t in 0..frames {
        for k in 0..bins {
            worst = worst.max((ours[t * bins + k] as f64 - f.magnitude[t][k]).abs());
        }
    }
    assert!(
        worst / peak < 1e-5,
        "max |magnitude difference| / peak = {}",
        worst / peak
    );
}

#[test]
fn gradient_with_respect_to_the_waveform_matches_finite_differences() {
    for method in [DftMethod::Fft, DftMethod::Matrix] {
        check_waveform_gradient(method);
    }
}

fn check_waveform_gradient(method: DftMethod) {
    let device = Device::flex().autodiff();
    // A signal well above the log floor everywhere, so the loss is smooth.
    let signal = two_tones_and_noise(4000, 22050.0);
    let module = LogMelConfig::default().init(22050, method, &device);
    let n = signal.len();
    // A fixed projection of the features makes a scalar loss.
    let frames = 1 + (n - 1024) / 315;
    let w = loss_weights([1, 80, frames], &device);
    let loss = |x: Vec<f32>, track: bool| {
        let mut wave = Tensor::<2>::from_data(TensorData::new(x, [1, n]), &device);
        if track {
            wave = wave.require_grad();
        }
        (
            (module.unstandardized(wave.clone()) * w.clone()).sum(),
            wave,
        )
    };
    let (l, wave) = loss(signal.clone(), true);
    let grads = l.backward();
    let g = wave.grad(&grads).expect("gradient for the waveform");
    let g = to_host(g);
    assert!(g.iter().all(|v| v.is_finite()), "non-finite gradient");
    // Directional derivative along the gradient itself (scaled to a maximum of
    // 1), where it is largest, so that f32 finite differences resolve it.
    let eps = 1e-3f32;
    let (numeric, analytic, rel) =
        FiniteDifference::new(signal, |x| scalar(loss(x, false).0)).along_scaled_gradient(&g, eps);
    assert!(
        rel < 2e-2,
        "{method:?}: numeric {numeric} vs autodiff {analytic} (rel {rel})"
    );
}
