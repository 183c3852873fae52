//! Reading the JSON fixtures of `tests/fixtures/` (made by the
//! `make_*.py` scripts next to them, see `tests/fixtures/README.md`).

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The fixture `tests/fixtures/<name>`, parsed.
pub(crate) fn read_fixture<T: DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("fixture {path} is not valid: {e}"))
}

/// `tests/fixtures/mel_librosa.json` (`make_mel.py`): librosa's log-mel
/// spectrogram of a 0.8 s test signal.
#[derive(Deserialize)]
pub(crate) struct MelFixture {
    /// The float32 test signal at 22,050 Hz.
    pub(crate) signal: Vec<f32>,
    /// Nonzero entries of the mel filter matrix, `[band, bin, value]`.
    pub(crate) filters: Vec<(usize, usize, f64)>,
    /// STFT magnitude, `[frames][bins]`.
    pub(crate) magnitude: Vec<Vec<f64>>,
    /// `log(max(filters @ magnitude, 1e-7))`, `[bands][frames]`.
    pub(crate) log_mel: Vec<Vec<f64>>,
}

/// The librosa mel fixture.
pub(crate) fn mel_fixture() -> MelFixture {
    read_fixture("mel_librosa.json")
}

/// A JSON array of numbers as `f64`s.
pub(crate) fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("a JSON array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}
