//! Writing a generated signal as a mono 16-bit PCM WAV file: samples in
//! [-1, 1] scaled by 32,767, rounded and clipped to the 16-bit range.

use std::path::Path;

use super::error::SynthError;

/// Writes `samples` at `sample_rate` Hz to `path`.
pub(crate) fn write_wav_i16(
    path: &Path,
    sample_rate: u32,
    samples: &[f32],
) -> Result<(), SynthError> {
    let wav_err = |source| SynthError::Wav {
        path: path.to_path_buf(),
        source,
    };
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).map_err(wav_err)?;
    for &x in samples {
        let v = (x * 32_767.0).round().clamp(-32_768.0, 32_767.0) as i16;
        w.write_sample(v).map_err(wav_err)?;
    }
    w.finalize().map_err(wav_err)
}
