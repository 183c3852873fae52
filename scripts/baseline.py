#!/usr/bin/env python3
"""Frame-level baselines for a singing-voice-detection dataset in the Jamendo layout.

Computes log-mel frames exactly like cochlea's frontend (Schlüter & Grill,
ISMIR 2015): librosa.load(sr=22050) (mono, resampled), |STFT| with n_fft 1024,
hop 315 (70 frames/s), periodic Hann window, center=False; 80 triangular mel
filters 27.5-8000 Hz (librosa.filters.mel, htk=True, norm=None), each scaled
to unit sum; log(max(x, 1e-7)). Frame i has timestamp i/70 and takes the
label of the .lab segment [start, end) containing it.

Reports test-split frame error of
  * majority: always the train split's majority class;
  * logreg:   standardised logistic regression on single frames (no context),
              threshold 0.5 -- the "spectral envelope alone" baseline;
  * context (--context, default on): an MLP on frames with +-N frames of
              context (strided frame stack plus per-band temporal std and mean
              absolute difference), to show the task is learnable;
  * cnn (--cnn, needs torch): a small CNN (a quarter of the ISMIR 2015
              network's channels, 1000 batches of 32, no augmentation) on
              115-frame excerpts; raw and 56-frame-median-filtered error.

Usage: python3 scripts/baseline.py DATASET_DIR [--json out.json] [--no-context] [--cnn]
                                  [--cache frames.npz]
Needs numpy, librosa, scikit-learn (pip install librosa scikit-learn); --cnn also torch.
Generate a dataset with
  cargo run --release -p cochlea-data --example synth_svd -- DIR SEED SONGS
"""

import argparse
import json
import os
import sys
import time

import numpy as np

SR = 22050
N_FFT = 1024
HOP = 315
FPS = SR / HOP  # 70
BANDS = 80
FMIN, FMAX = 27.5, 8000.0


def mel_basis():
    import librosa

    fb = librosa.filters.mel(sr=SR, n_fft=N_FFT, n_mels=BANDS, fmin=FMIN, fmax=FMAX,
                             htk=True, norm=None)
    sums = fb.sum(axis=1, keepdims=True)
    return np.where(sums > 0, fb / np.where(sums > 0, sums, 1), 0).astype(np.float64)


def log_mel(path, fb):
    import librosa

    y, _ = librosa.load(path, sr=SR, mono=True)
    if len(y) < N_FFT:
        return np.zeros((0, BANDS), np.float32)
    spec = np.abs(librosa.stft(y.astype(np.float64), n_fft=N_FFT, hop_length=HOP,
                               window="hann", center=False))
    mel = fb @ spec  # (bands, frames)
    return np.log(np.maximum(mel, 1e-7)).T.astype(np.float32)  # (frames, bands)


def read_lab(path):
    segs = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 3 or parts[2] not in ("sing", "nosing"):
                sys.exit(f"{path}:{n}: expected 'start end sing|nosing', got {line!r}")
            segs.append((float(parts[0]), float(parts[1]), parts[2] == "sing"))
    return segs


def frame_labels(segs, frames):
    """Label per frame (1 sing, 0 nosing, -1 not covered)."""
    t = np.arange(frames) / FPS
    y = np.full(frames, -1, np.int8)
    for start, end, sung in segs:
        y[(t >= start) & (t < end)] = int(sung)
    return y


def load_split(root, split, fb):
    with open(os.path.join(root, "filelists", split)) as f:
        names = [line.strip() for line in f if line.strip()]
    songs = []
    for name in names:
        x = log_mel(os.path.join(root, "audio", name), fb)
        stem = os.path.splitext(name)[0]
        y = frame_labels(read_lab(os.path.join(root, "labels", stem + ".lab")), len(x))
        keep = y >= 0
        songs.append((x[keep], y[keep]))
    return songs


def context_features(x, n=35, stride=7):
    """Per frame: the frames at offsets -n..n step `stride` (edge-padded),
    plus per-band std and mean |first difference| over the +-n window."""
    T = len(x)
    pad = np.pad(x, ((n, n), (0, 0)), mode="edge")
    stack = [pad[n + o:n + o + T] for o in range(-n, n + 1, stride)]
    c = np.cumsum(np.pad(pad, ((1, 0), (0, 0))), axis=0)
    c2 = np.cumsum(np.pad(pad ** 2, ((1, 0), (0, 0))), axis=0)
    w = 2 * n + 1
    mean = (c[w:w + T] - c[:T]) / w
    var = (c2[w:w + T] - c2[:T]) / w - mean ** 2
    d = np.abs(np.diff(pad, axis=0, prepend=pad[:1]))
    cd = np.cumsum(np.pad(d, ((1, 0), (0, 0))), axis=0)
    mad = (cd[w:w + T] - cd[:T]) / w
    return np.concatenate(stack + [np.sqrt(np.maximum(var, 0)), mad], axis=1)


def cnn_error(train, valid, test, seed=0, steps=1000, width=16):
    """A small CNN (the ISMIR 2015 layout with `width`/64 of its channels, no
    augmentation) on 115-frame excerpts labelled by their centre frame.
    Returns the test error at threshold 0.5, raw and after a 56-frame median
    filter of the predictions."""
    import scipy.ndimage
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    allx = np.concatenate([x for x, _ in train])
    mu, sd = allx.mean(0), allx.std(0) + 1e-6
    norm = lambda s: [((x - mu) / sd).astype(np.float32) for x, _ in s]  # noqa: E731
    tx, vx, sx = norm(train), norm(valid), norm(test)
    ctx = 57
    pads = lambda xs: [np.pad(x, ((ctx, ctx), (0, 0))) for x in xs]  # noqa: E731
    tp, sp = pads(tx), pads(sx)
    w = width
    lrelu = lambda: nn.LeakyReLU(0.01)  # noqa: E731
    net = nn.Sequential(
        nn.Conv2d(1, w, 3), lrelu(), nn.Conv2d(w, w // 2, 3), lrelu(), nn.MaxPool2d(3),
        nn.Conv2d(w // 2, 2 * w, 3), lrelu(), nn.Conv2d(2 * w, w, 3), lrelu(), nn.MaxPool2d(3),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(w * 11 * 7, 64), lrelu(), nn.Dropout(0.5),
        nn.Linear(64, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, steps // 10), gamma=0.7)
    lens = np.array([len(x) for x in tx])
    prob = lens / lens.sum()
    lossf = nn.BCEWithLogitsLoss()
    net.train()
    for _ in range(steps):
        songs = rng.choice(len(tx), size=32, p=prob)
        xb, yb = [], []
        for s in songs:
            i = rng.integers(len(tx[s]))
            xb.append(tp[s][i:i + 2 * ctx + 1])
            yb.append(train[s][1][i])
        xb = torch.from_numpy(np.stack(xb))[:, None]
        yb = torch.tensor(yb, dtype=torch.float32) * 0.96 + 0.02
        loss = lossf(net(xb)[:, 0], yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    net.eval()
    errs, errs_med, n = 0, 0, 0
    with torch.no_grad():
        for (x, y), p in zip(test, sp):
            prob = []
            for b in range(0, len(x), 512):
                ii = np.arange(b, min(b + 512, len(x)))
                xb = torch.from_numpy(np.stack([p[i:i + 2 * ctx + 1] for i in ii]))[:, None]
                prob.append(torch.sigmoid(net(xb)[:, 0]).numpy())
            prob = np.concatenate(prob)
            smooth = scipy.ndimage.median_filter(prob, 56, mode="nearest")
            errs += int(((prob > 0.5) != (y == 1)).sum())
            errs_med += int(((smooth > 0.5) != (y == 1)).sum())
            n += len(y)
    return errs / n, errs_med / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dataset")
    ap.add_argument("--json", help="also write the results to this JSON file")
    ap.add_argument("--no-context", action="store_true", help="skip the context MLP")
    ap.add_argument("--cnn", action="store_true", help="also train a small CNN (needs torch)")
    ap.add_argument("--cnn-steps", type=int, default=1000, help="batches of 32 (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", help="npz file to load/save the log-mel frames (speeds up reruns)")
    args = ap.parse_args()

    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    t0 = time.time()
    fb = mel_basis()
    if args.cache and os.path.exists(args.cache):
        z = np.load(args.cache, allow_pickle=True)
        train, valid, test = (list(z[s]) for s in ("train", "valid", "test"))
    else:
        train, valid, test = (load_split(args.dataset, s, fb) for s in ("train", "valid", "test"))
        if args.cache:
            obj = lambda songs: np.array(songs + [None], dtype=object)[:-1]  # noqa: E731
            np.savez(args.cache, train=obj(train), valid=obj(valid), test=obj(test))
    xtr = np.concatenate([x for x, _ in train])
    ytr = np.concatenate([y for _, y in train])
    xte = np.concatenate([x for x, _ in test])
    yte = np.concatenate([y for _, y in test])
    res = {
        "dataset": os.path.abspath(args.dataset),
        "songs": {"train": len(train), "valid": len(valid), "test": len(test)},
        "frames": {"train": int(len(ytr)), "test": int(len(yte))},
        "sung_fraction": {"train": float(ytr.mean()), "test": float(yte.mean())},
    }
    majority = int(ytr.mean() >= 0.5)
    res["majority_error"] = float((yte != majority).mean())

    scaler = StandardScaler().fit(xtr)
    lr = LogisticRegression(max_iter=2000).fit(scaler.transform(xtr), ytr)
    res["logreg_error"] = float((lr.predict(scaler.transform(xte)) != yte).mean())
    res["logreg_train_error"] = float((lr.predict(scaler.transform(xtr)) != ytr).mean())

    if not args.no_context:
        from sklearn.neural_network import MLPClassifier

        ctr = np.concatenate([context_features(x) for x, _ in train])
        cte = np.concatenate([context_features(x) for x, _ in test])
        sc = StandardScaler().fit(ctr)
        mlp = MLPClassifier(hidden_layer_sizes=(256,), alpha=1e-3, max_iter=60,
                            early_stopping=True, random_state=args.seed)
        mlp.fit(sc.transform(ctr), ytr)
        res["context_mlp_error"] = float((mlp.predict(sc.transform(cte)) != yte).mean())
        clr = LogisticRegression(max_iter=2000).fit(sc.transform(ctr), ytr)
        res["context_logreg_error"] = float((clr.predict(sc.transform(cte)) != yte).mean())

    if args.cnn:
        raw, med = cnn_error(train, valid, test, seed=args.seed, steps=args.cnn_steps)
        res["cnn_error"], res["cnn_median_filtered_error"] = raw, med

    res["seconds"] = round(time.time() - t0, 1)
    for k, v in res.items():
        print(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=2)


if __name__ == "__main__":
    main()
