"""The peers' side of the log-mel bench (``crates/frontend/benches/logmel.rs``).

Computes the log-mel spectrogram of cochlea's SVD frontend with librosa and,
when it is importable, torchaudio, on the audio the bench wrote, without
gradients, and prints one JSON object with each library's median seconds
per call.

The parameters are cochlea's ``[frontend] kind = "mel"``: magnitude STFT
(``power = 1``) with a periodic Hann window and no centring, an HTK mel
filter bank whose triangles are each scaled to unit sum, and
``log(max(mel, floor))``. librosa: ``librosa.stft`` and
``librosa.filters.mel(htk=True, norm=None)``, rows divided by their sums,
in numpy (float32 input; librosa's FFT is single-threaded). torchaudio:
``torchaudio.transforms.MelSpectrogram(power=1.0, center=False,
mel_scale="htk", norm=None)`` with its filter bank's columns divided by
their sums, on ``--threads`` threads, under ``torch.inference_mode()``.

torchaudio's wheels pin one torch version each; its transforms are plain
Python over ``torch.stft``, so on a newer torch
``pip install --no-deps torchaudio==2.11.1`` works (it did with torch 2.15).

    python3 scripts/logmel_peer.py AUDIO.f32 --rows 32 --iters 10 --threads 2 \\
        [--features-out FEATURES.f32]

``AUDIO.f32`` holds float32 samples, read as ``--rows`` rows of equal length
(a batch of excerpts, or one long recording with ``--rows 1``). With
``--features-out``, librosa's features (``[rows, bands, frames]``, float32)
are written there for the bench to compare with cochlea's.
"""
import argparse
import json
import statistics
import time

import numpy as np


def timed(fn, iters, warmup=1):
    for _ in range(warmup):
        fn()
    seconds = []
    for _ in range(iters):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("audio")
    p.add_argument("--rows", type=int, default=1)
    p.add_argument("--iters", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--sample-rate", type=int, default=22050)
    p.add_argument("--n-fft", type=int, default=1024)
    p.add_argument("--hop", type=int, default=315)
    p.add_argument("--bands", type=int, default=80)
    p.add_argument("--fmin", type=float, default=27.5)
    p.add_argument("--fmax", type=float, default=8000.0)
    p.add_argument("--floor", type=float, default=1e-7)
    p.add_argument("--features-out")
    a = p.parse_args()

    wave = np.fromfile(a.audio, dtype=np.float32).reshape(a.rows, -1)
    out = {"rows": a.rows, "samples_per_row": wave.shape[1], "threads": a.threads}

    import librosa

    mel = librosa.filters.mel(sr=a.sample_rate, n_fft=a.n_fft, n_mels=a.bands,
                              fmin=a.fmin, fmax=a.fmax, htk=True, norm=None)
    mel = (mel / mel.sum(axis=1, keepdims=True)).astype(np.float32)

    def with_librosa():
        spec = np.abs(librosa.stft(wave, n_fft=a.n_fft, hop_length=a.hop,
                                   window="hann", center=False))
        return np.log(np.maximum(mel @ spec, a.floor))

    out["librosa"] = {"version": librosa.__version__,
                      "median_seconds": timed(with_librosa, a.iters)}
    if a.features_out:
        with_librosa().astype(np.float32).tofile(a.features_out)

    try:
        import torch
        import torchaudio
    except Exception as e:  # noqa: BLE001 - any import failure means "not run"
        out["torchaudio"] = {"error": f"not importable: {e}"}
    else:
        torch.set_num_threads(a.threads)
        transform = torchaudio.transforms.MelSpectrogram(
            sample_rate=a.sample_rate, n_fft=a.n_fft, hop_length=a.hop,
            f_min=a.fmin, f_max=a.fmax, n_mels=a.bands, power=1.0,
            center=False, mel_scale="htk", norm=None)
        fb = transform.mel_scale.fb
        fb.div_(fb.sum(dim=0, keepdim=True))
        x = torch.from_numpy(wave)

        def with_torchaudio():
            with torch.inference_mode():
                return torch.log(torch.clamp(transform(x), min=a.floor))

        reference = torch.from_numpy(with_librosa())
        agree = (with_torchaudio() - reference).abs().max().item()
        out["torchaudio"] = {"version": torchaudio.__version__, "torch": torch.__version__,
                             "median_seconds": timed(with_torchaudio, a.iters),
                             "max_abs_difference_to_librosa": agree}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
