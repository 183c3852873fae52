"""Checks that python/cochlea_torch.py computes what cochlea computed.

    python3 python/check_export.py EXPORT.safetensors CASE_DIR [--tolerance 1e-4]

``CASE_DIR`` holds float32 ``.npy`` files written by cochlea
(``tests/cli/export.rs``): the inputs ``wave.npy`` (a batch of network
inputs, ``[batch, input_samples]``) and ``long.npy`` (one longer waveform,
``[1, samples]``), and cochlea's outputs on them: ``unstandardized.npy`` and
``features.npy`` (``[batch, bands, frames]``), ``logits.npy``
(``[batch, outputs]``) and ``long_features.npy``. The export is loaded with
``load_state_dict(strict=True)``; each output is compared by its relative
difference ``max |torch - cochlea| / max |cochlea|``. Prints one JSON line
with the differences and exits with status 1 if any exceeds the tolerance.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cochlea_torch  # noqa: E402


def relative_difference(got, want):
    scale = float(np.abs(want).max())
    return float(np.abs(got - want).max()) / scale if scale > 0 else float(np.abs(got).max())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("weights")
    parser.add_argument("case")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    case = Path(args.case)
    model = cochlea_torch.load(args.weights)
    wave = torch.from_numpy(np.load(case / "wave.npy"))
    long = torch.from_numpy(np.load(case / "long.npy"))
    with torch.no_grad():
        got = {
            "unstandardized": model.frontend.unstandardized(wave),
            "features": model.frontend(wave),
            "logits": model(wave),
            "long_features": model.frontend(long),
        }
    report = {}
    for name, tensor in got.items():
        want = np.load(case / f"{name}.npy")
        if tuple(tensor.shape) != want.shape:
            report[name] = f"shape {tuple(tensor.shape)} instead of {want.shape}"
        else:
            report[name] = relative_difference(tensor.numpy(), want)
    print(json.dumps(report))
    bad = {k: v for k, v in report.items() if isinstance(v, str) or v > args.tolerance}
    if bad:
        print(f"differences above {args.tolerance}: {bad}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
