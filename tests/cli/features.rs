//! `cochlea features`: the log-mel of a config against librosa (on both DFT
//! paths), and the features of a trained run as the config's features
//! standardised per band.

use std::path::Path;

use crate::common::{
    assert_fails_with, run_in, small_dataset, text, tiny_config, write, write_wav_f32,
};

/// A `[rows, cols]` float32 array read from a `.npy` file.
pub(crate) struct Npy {
    pub(crate) shape: Vec<usize>,
    pub(crate) values: Vec<f32>,
}

impl Npy {
    fn at(&self, row: usize, col: usize) -> f32 {
        self.values[row * self.shape[1] + col]
    }
}

/// Reads a NumPy `.npy` file of little-endian float32 in C order.
pub(crate) fn read_npy(path: &Path) -> Npy {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[..6], b"\x93NUMPY", "not an .npy file");
    let (header_len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => panic!("unknown .npy version {v}"),
    };
    let header = std::str::from_utf8(&bytes[start..start + header_len]).unwrap();
    let data = &bytes[start + header_len..];
    assert_eq!(
        (start + header_len) % 64,
        0,
        "header not padded to 64 bytes: {header:?}"
    );
    assert!(header.contains("'descr': '<f4'"), "{header}");
    assert!(header.contains("'fortran_order': False"), "{header}");
    let open = header.find("'shape': (").expect("a shape") + "'shape': (".len();
    let close = open + header[open..].find(')').unwrap();
    let shape: Vec<usize> = header[open..close]
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let n: usize = shape.iter().product();
    assert_eq!(
        data.len(),
        4 * n,
        "data length does not match shape {shape:?}"
    );
    let values = data
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Npy { shape, values }
}

/// The librosa log-mel fixture: its signal and `log_mel` as [bands][frames].
fn mel_fixture() -> (Vec<f32>, Vec<Vec<f64>>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/mel_librosa.json"
    );
    let text = std::fs::read_to_string(path).expect("tests/fixtures/mel_librosa.json");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (key, want) in [
        ("sample_rate", 22050.0),
        ("n_fft", 1024.0),
        ("hop", 315.0),
        ("n_mels", 80.0),
        ("fmin", 27.5),
        ("fmax", 8000.0),
    ] {
        assert_eq!(json[key].as_f64(), Some(want), "fixture parameter {key}");
    }
    // As serde_json reads an f32: via f64.
    let signal = json["signal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    let log_mel = json["log_mel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    (signal, log_mel)
}

/// Runs `features exp.toml signal.wav --out <out> <extra>` and returns the
/// largest |ours - librosa| over entries within 80 dB of the maximum.
fn worst_difference_to_librosa(extra: &[&str], out: &str) -> f64 {
    let (signal, want) = mel_fixture();
    let tmp = tempfile::tempdir().unwrap();
    write_wav_f32(&tmp.path().join("signal.wav"), 22050, &signal);
    // The dataset folder is not read by `features`; it only has to exist.
    let config = format!(
        "[data]\nroot = \"{}\"\n\n[frontend]\nkind = \"mel\"\n",
        tmp.path().display()
    );
    write(tmp.path(), "exp.toml", &config);
    let mut args = vec!["features", "exp.toml", "signal.wav", "--out", out];
    args.extend_from_slice(extra);
    let result = run_in(tmp.path(), &args);
    assert!(result.status.success(), "{}", text(&result));
    let got = read_npy(&tmp.path().join(out));
    let (bands, frames) = (want.len(), want[0].len());
    assert_eq!(got.shape, vec![bands, frames], "shape [bands, frames]");

    let max = want.iter().flatten().copied().fold(f64::MIN, f64::max);
    // 80 dB of magnitude is a factor 1e4: ln(1e4) = 80 / 20 * ln(10).
    let floor = max - 80.0 / 20.0 * 10f64.ln();
    let mut worst = 0f64;
    let mut compared = 0;
    for (b, row) in want.iter().enumerate() {
        for (t, &w) in row.iter().enumerate() {
            if w >= floor {
                worst = worst.max((f64::from(got.at(b, t)) - w).abs());
                compared += 1;
            }
        }
    }
    assert!(
        compared > bands * frames / 2,
        "only {compared} of {} values are within 80 dB of the maximum",
        bands * frames
    );
    worst
}

#[test]
fn features_of_a_config_match_librosa_with_the_fft() {
    let worst = worst_difference_to_librosa(&[], "f.npy");
    assert!(
        worst <= 1e-3,
        "flex (FFT): max |log-mel difference to librosa| = {worst:e}"
    );
}

#[test]
fn features_of_a_config_match_librosa_with_the_matrix_dft() {
    let worst = worst_difference_to_librosa(&["--set", "backend=ndarray"], "f.npy");
    assert!(
        worst <= 1e-3,
        "ndarray (matrix DFT): max |log-mel difference to librosa| = {worst:e}"
    );
}

/// Least-squares fit of `y ≈ a x + c`; returns (a, c, max |residual|).
fn affine_fit(x: &[f64], y: &[f64]) -> (f64, f64, f64) {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let sxx: f64 = x.iter().map(|v| (v - mx).powi(2)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let a = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let c = my - a * mx;
    let worst = x
        .iter()
        .zip(y)
        .map(|(xv, yv)| (yv - (a * xv + c)).abs())
        .fold(0.0, f64::max);
    (a, c, worst)
}

#[test]
fn features_of_a_run_are_the_configs_standardised_per_band() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "exp.toml", &tiny_config(small_dataset(), 1));
    let trained = run_in(dir, &["train", "exp.toml", "--out", "run"]);
    assert!(trained.status.success(), "{}", text(&trained));

    let mut songs: Vec<_> = std::fs::read_dir(small_dataset().join("audio"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    songs.sort();
    let wav = songs.first().expect("the small dataset has audio").clone();
    let wav = wav.to_str().unwrap();
    let from_run = run_in(dir, &["features", "run", wav, "--out", "g.npy"]);
    assert!(from_run.status.success(), "{}", text(&from_run));
    assert!(
        String::from_utf8_lossy(&from_run.stderr).contains("standardised with the run's"),
        "{}",
        text(&from_run)
    );
    let from_config = run_in(
        dir,
        &[
            "features",
            "exp.toml",
            wav,
            "--out",
            "h.npy",
            "--set",
            "frontend.bands=40",
        ],
    );
    assert!(from_config.status.success(), "{}", text(&from_config));

    let g = read_npy(&dir.join("g.npy"));
    let h = read_npy(&dir.join("h.npy"));
    assert_eq!(g.shape, h.shape);
    let [bands, frames] = g.shape[..] else {
        panic!("not 2-D: {:?}", g.shape)
    };
    assert_eq!(bands, 40);
    assert!(frames > 100, "only {frames} frames");

    // g[b] = (h[b] - m) / s  <=>  g[b] = a h[b] + c with s = 1/a, m = -c/a.
    let mut max_shift = 0f64;
    for b in 0..bands {
        let x: Vec<f64> = (0..frames).map(|t| f64::from(h.at(b, t))).collect();
        let y: Vec<f64> = (0..frames).map(|t| f64::from(g.at(b, t))).collect();
        let (a, c, worst) = affine_fit(&x, &y);
        assert!(
            a > 0.0,
            "band {b}: run features are not an increasing affine map of the config's (slope {a})"
        );
        assert!(
            worst < 1e-3,
            "band {b}: max residual {worst:e} of g = (h - m) / s with s = {:.4}, m = {:.4}",
            1.0 / a,
            -c / a
        );
        max_shift = max_shift.max((c / a).abs());
    }
    assert!(
        max_shift > 1e-2,
        "every band mean m_b is ~0 (max |m_b| = {max_shift:e}): statistics not applied"
    );

    // --set cannot change a trained run's frontend.
    let refused = run_in(
        dir,
        &[
            "features",
            "run",
            wav,
            "--out",
            "z.npy",
            "--set",
            "frontend.bands=20",
        ],
    );
    assert_fails_with(&refused, &["--set frontend.bands=20", "run"]);
    assert!(!dir.join("z.npy").exists());
}
