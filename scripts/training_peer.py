"""PyTorch's side of the training bench (``crates/cli/benches/training.rs``).

Trains an exported cochlea model (``cochlea export``: the same frontend and
backbone, defined in ``python/cochlea_torch.py``) in plain PyTorch, as our
users' scripts would: waveform batches in, the frontend from the waveform,
dropout, binary cross-entropy on the logits, Adam (lr 1e-3), on
``--threads`` threads. The batches are random waveforms (uniform in ±0.5)
and random 0/1 labels made once before timing, so only the training step
is timed: forward, backward and the optimiser update. Prints one JSON
object: the median and every step's seconds, and excerpts per second from
the median.

    python3 scripts/training_peer.py model.safetensors --batch 32 --steps 10 --threads 2
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
import cochlea_torch  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", help="an exported model.safetensors (its .json beside it)")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=10, help="timed steps")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = cochlea_torch.load(args.weights).train()
    sidecar = model.sidecar
    samples, outputs = sidecar["input_samples"], sidecar["outputs"]
    wave = torch.rand(args.batch, samples) - 0.5
    labels = (torch.rand(args.batch, outputs) < 0.5).float()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def step():
        optimiser.zero_grad(set_to_none=True)
        loss = loss_fn(model(wave), labels)
        loss.backward()
        optimiser.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    seconds = []
    for _ in range(args.steps):
        started = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": args.threads,
        "batch": args.batch,
        "median_seconds": median,
        "seconds": seconds,
        "excerpts_per_second": args.batch / median,
    }))


if __name__ == "__main__":
    main()
