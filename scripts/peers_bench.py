#!/usr/bin/env python3
"""Forward + backward cost of the PyTorch peers, relative to a PyTorch mel spectrogram.

Times LEAF and EfficientLEAF from the official CPJKU/EfficientLEAF code
(imported at run time from a checkout the user provides; none of its code is
copied here) and a plain-PyTorch log-mel spectrogram on the same batch as
cochlea's frontend bench (crates/frontend/benches/frontends.rs), and prints
each peer's median time divided by the mel spectrogram's median time.

Usage:
  python3 scripts/peers_bench.py --efficientleaf DIR [--batch 32] [--samples 36934]
                                 [--iters 10] [--threads 2] [--only NAME ...]

DIR is a checkout of https://github.com/CPJKU/EfficientLEAF, or a folder that
holds one as EfficientLEAF/. Needs torch and numpy. The Rust bench calls this
script when COCHLEA_PEERS is set:
  COCHLEA_PEERS=/path/to/folder cargo bench -p cochlea-frontend --bench frontends

Output: stdout has exactly one line per peer, `<name> <ratio_to_mel>`, for
efficientleaf-default, efficientleaf-best and leaf (in that order); absolute
milliseconds, the torch version, the machine load and the frontends' derived
settings go to stderr. Exit status 1, with the reason on stderr, if torch or
the EfficientLEAF code cannot be imported or the arguments are wrong.

Common settings (cochlea's frontend): 22,050 Hz, 80 filters initialised as a
mel filterbank from 27.5 to 8000 Hz, window 1025 taps, hop 315 samples (115
frames for 36,934 samples with the mel spectrogram); float32; input a batch
of N(0, 0.1) noise (batch x samples, seed 0); torch.set_num_threads(2);
modules in training mode; the waveform and every frontend parameter require
gradients; one run is `loss = (out * w).sum(); loss.backward()` with a fixed
random `w` of the output's shape; parameter and input gradients are reset to
None between runs (not timed); 2 warm-up runs, then the median of --iters.
The mel spectrogram is small (tens of ms) and, on a loaded 2-core machine,
its time swings far more than the peers' large convolutions do, so it is
timed in a block of --iters runs before each peer and once more at the end,
and the ratios use the median of all those mel runs pooled. The ratios are
still only meaningful on a quiet machine: check the load average on stderr.

LEAF/EfficientLEAF take the window and stride in milliseconds and convert them
as `int(sample_rate * ms / 1000)` (the window made odd by adding 1 if even).
1024 / 22.05 = 46.4399 ms lands on 1023.99.. or 1024 depending on rounding, so
we pass window_len = 1024.5 / 22.05 ms (-> int 1024 -> 1025 taps) and
window_stride = 315.5 / 22.05 ms (-> 315 samples); the script asserts both.

Peers:
  mel (the baseline, not printed): torch.stft(n_fft=1024, hop_length=315,
      periodic Hann window, center=False, return_complex=True), magnitude
      (|X|), times an 80-band triangular HTK-mel matrix (27.5-8000 Hz, each
      filter scaled to unit sum, as in cochlea's LogMelConfig) via matmul,
      then log(max(x, 1e-7)). Gradient for the waveform only (no parameters).
  leaf: model.leaf.Leaf with its default compression, i.e. PCEN(s=0.04,
      alpha=0.96, delta=2, r=0.5, eps=1e-12, learn_logs=False, clamp=1e-5) as
      in the LEAF paper; full-rate complex Gabor convolution with 1025 taps,
      squared modulus, Gaussian lowpass pooling 1025 taps with stride 315.
      Learnable: centre frequencies, bandwidths, pooling widths, PCEN's
      s/alpha/delta/r (80 each).
  efficientleaf-default: model.efficientleaf.EfficientLeaf with the
      constructor's defaults for everything but the common settings above:
      num_groups=4, conv_win_factor=4.77, stride_factor=1,
      compression='logtbn' (LogTBN: log1p(10**a * x) with a=5 trainable per
      band, median over time appended as a second channel, temporal batch
      norm per channel). This is the paper's "Gabor 4G" configuration
      (experiments.sh: eleaf4-wf475-tbn-a5perband-medfiltapp).
  efficientleaf-best: the configuration the README recommends as "Gabor
      8G-opt" (its reuse example; experiments.sh: eleaf8-wf6-sf16-tbn-
      a5perband-medfiltapp), the fastest setting the authors evaluated for
      accuracy and kept: num_groups=8, conv_win_factor=6, stride_factor=16,
      same LogTBN compression as above. The README notes that a smaller window
      factor or a larger stride factor would be faster still but produces
      artifacts, so we do not go further.
"""

import argparse
import os
import statistics
import sys
import time

SR = 22050
N_FFT = 1024
HOP = 315
BANDS = 80
FMIN, FMAX = 27.5, 8000.0
WINDOW_MS = 1024.5 / 22.05  # int(22050 * ms / 1000) = 1024 -> made odd: 1025
STRIDE_MS = 315.5 / 22.05  # int(22050 * ms / 1000) = 315
PEERS = ("efficientleaf-default", "efficientleaf-best", "leaf")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def fail(msg):
    log(f"peers_bench.py: {msg}")
    sys.exit(1)


def find_repo(folder):
    """The EfficientLEAF checkout: `folder` itself or a child holding model/efficientleaf.py."""
    folder = os.path.abspath(os.path.expanduser(folder))
    if not os.path.isdir(folder):
        fail(f"--efficientleaf {folder}: not a folder")
    candidates = [folder, os.path.join(folder, "EfficientLEAF")]
    candidates += sorted(
        os.path.join(folder, d) for d in os.listdir(folder)
        if os.path.isdir(os.path.join(folder, d)) and d.lower() == "efficientleaf"
    )
    for c in candidates:
        if os.path.isfile(os.path.join(c, "model", "efficientleaf.py")) and os.path.isfile(
            os.path.join(c, "model", "leaf.py")
        ):
            return c
    fail(
        f"--efficientleaf {folder}: neither it nor {folder}/EfficientLEAF holds a checkout "
        "of CPJKU/EfficientLEAF (model/leaf.py, model/efficientleaf.py)"
    )


def mel_matrix(torch):
    """(1 + n_fft/2, 80) triangular HTK-mel filters, 27.5-8000 Hz, each scaled to unit sum."""
    import numpy as np

    def hz_to_mel(f):
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def mel_to_hz(m):
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    fft_freqs = np.linspace(0, SR / 2, 1 + N_FFT // 2)
    edges = mel_to_hz(np.linspace(hz_to_mel(FMIN), hz_to_mel(FMAX), BANDS + 2))
    lower = (fft_freqs[None, :] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None])
    upper = (edges[2:, None] - fft_freqs[None, :]) / (edges[2:, None] - edges[1:-1, None])
    fb = np.maximum(0, np.minimum(lower, upper))
    sums = fb.sum(axis=1, keepdims=True)
    fb = np.where(sums > 0, fb / np.where(sums > 0, sums, 1), 0)
    return torch.tensor(fb.T, dtype=torch.float32)


def make_mel(torch):
    window = torch.hann_window(N_FFT, periodic=True)
    fb = mel_matrix(torch)

    def mel(x):
        spec = torch.stft(x, N_FFT, hop_length=HOP, window=window, center=False,
                          return_complex=True).abs()  # (batch, 513, frames)
        return torch.log(torch.clamp(spec.transpose(1, 2) @ fb, min=1e-7))  # (batch, frames, 80)

    return mel, []


def make_peer(name, torch, leaf_mod, eleaf_mod):
    common = dict(n_filters=BANDS, min_freq=FMIN, max_freq=FMAX, sample_rate=SR,
                  window_len=WINDOW_MS, window_stride=STRIDE_MS)
    if name == "leaf":
        m = leaf_mod.Leaf(**common)
        fb = m.filterbank
        assert fb.filter_size == 1025 and fb.pool_size == 1025, fb.filter_size
        assert fb.pool_stride == HOP, fb.pool_stride
        desc = f"filter_size {fb.filter_size}, pool_stride {fb.pool_stride}, compression PCEN"
    else:
        if name == "efficientleaf-default":
            m = eleaf_mod.EfficientLeaf(**common)
        elif name == "efficientleaf-best":
            m = eleaf_mod.EfficientLeaf(num_groups=8, conv_win_factor=6, stride_factor=16,
                                        compression="logtbn", **common)
        else:
            raise ValueError(name)
        fb = m.filterbank
        assert fb.pool_size == 1025, fb.pool_size
        assert fb.pool_stride == HOP, fb.pool_stride
        desc = (f"num_groups {fb.num_groups}, conv_win_factor {fb.conv_win_factor}, "
                f"stride_factor {fb.stride_factor}, pool_size {fb.pool_size}, "
                f"pool_stride {fb.pool_stride}, compression {type(m.compression).__name__}; "
                f"groups (kernel, conv stride, pool stride): {eleaf_groups(fb)}")
    m.train()
    return m, list(m.parameters()), desc


def eleaf_groups(fb):
    """Per-group kernel size and strides as GroupedGaborFilterbank.forward derives them."""
    import numpy as np

    splits = np.arange(fb.num_groups + 1) * fb.n_filters // fb.num_groups
    out = []
    for a, b in zip(splits[:-1], splits[1:]):
        conv_stride, pool_stride = fb.get_stride(fb.center_freqs[a:b].detach().max().item())
        k = int(max(fb.bandwidths[a:b].detach()) * fb.conv_win_factor)
        k += 1 - k % 2
        out.append((k, conv_stride, pool_stride))
    return out


def time_runs(torch, forward, params, x, warmup, iters):
    with torch.no_grad():
        out_shape = forward(x).shape
    g = torch.Generator().manual_seed(1)
    w = torch.randn(out_shape, generator=g)

    def one():
        x.grad = None
        for p in params:
            p.grad = None
        t0 = time.perf_counter()
        loss = (forward(x) * w).sum()
        loss.backward()
        dt = time.perf_counter() - t0
        assert x.grad is not None and all(p.grad is not None for p in params)
        return dt

    for _ in range(warmup):
        one()
    return [one() * 1e3 for _ in range(iters)], tuple(out_shape)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--efficientleaf", required=True, metavar="DIR",
                    help="checkout of CPJKU/EfficientLEAF, or a folder holding EfficientLEAF/")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--samples", type=int, default=36934)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", nargs="+", choices=PEERS, default=list(PEERS),
                    help="time only these peers (default: all)")
    args = ap.parse_args()
    if args.batch < 1 or args.samples < N_FFT or args.iters < 1 or args.warmup < 0:
        fail("need --batch >= 1, --samples >= 1024, --iters >= 1, --warmup >= 0")

    repo = find_repo(args.efficientleaf)
    try:
        import numpy  # noqa: F401
        import torch
    except ImportError as e:
        fail(f"cannot import {e.name}: install PyTorch and numpy (pip install torch numpy)")
    sys.path.insert(0, repo)
    try:
        import model.leaf as leaf_mod
        import model.efficientleaf as eleaf_mod
    except Exception as e:  # noqa: BLE001
        fail(f"cannot import the EfficientLEAF code from {repo}: {type(e).__name__}: {e}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    log(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"load average {load}, EfficientLEAF from {repo}")
    log(f"batch {args.batch} x {args.samples} samples, {args.warmup} warm-ups, "
        f"median of {args.iters}")

    wave = (torch.randn(args.batch, args.samples) * 0.1).requires_grad_(True)
    mel, mel_params = make_mel(torch)
    mel_times = []

    def time_mel():
        times, shape = time_runs(torch, mel, mel_params, wave, args.warmup, args.iters)
        mel_times.extend(times)
        log(f"torch-mel: {statistics.median(times):.2f} ms (median of this block), output {shape}")

    peer_ms = {}
    for name in [p for p in PEERS if p in args.only]:
        time_mel()
        try:
            module, params, desc = make_peer(name, torch, leaf_mod, eleaf_mod)
            log(f"{name}: {desc}")
            times, shape = time_runs(torch, module, params, wave, args.warmup, args.iters)
        except Exception as e:  # noqa: BLE001
            log(f"{name}: failed: {type(e).__name__}: {e}")
            continue
        peer_ms[name] = statistics.median(times)
        log(f"{name}: {peer_ms[name]:.1f} ms, output {shape}")
    time_mel()
    mel_ms = statistics.median(mel_times)
    log(f"torch-mel: {mel_ms:.2f} ms (median of all {len(mel_times)} mel runs), "
        f"load average now {os.getloadavg()}")
    if not peer_ms:
        fail("no peer could be timed")
    for name, ms in peer_ms.items():
        log(f"{name}: {ms:.1f} ms = {ms / mel_ms:.1f}x mel")
        print(f"{name} {ms / mel_ms:.1f}", flush=True)

if __name__ == "__main__":
    main()
