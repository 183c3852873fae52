"""PyTorch definitions of cochlea's models, for runs exported with
``cochlea export <run-dir> --out model.safetensors``.

The export is two files: ``model.safetensors`` (every weight, the frontend's
included, named as the modules below name them) and ``model.json`` (the
sidecar: sample rate, frontend and backbone settings, the constants of the
computation, the task's labels and thresholds, and the standardisation
statistics). ::

    import cochlea_torch
    model = cochlea_torch.load("model.safetensors")      # reads model.json too
    logits = model(wave)                   # wave: float32 [batch, input_samples]
    features = model.frontend(wave)        # standardised [batch, bands, frames]

Each module computes what cochlea computes, operation for operation, so
that outputs agree with cochlea's to float rounding (the parity test,
``tests/cli/export.rs``, requires 1e-4 relative): the STFT frontends frame
without centring and use a periodic Hann window; the Gabor frontend uses
cochlea's frequency-domain plan (``crates/frontend/src/filter_plan.rs``): the
same zero-padded FFT length, excerpt packing, band groups, kept bins and
pooling taps, so its truncation of each Gaussian is cochlea's too. Every
constraint is applied in the forward pass as in cochlea, so the modules can
be fine-tuned. Depends on torch, numpy and safetensors only.
"""

import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

FORMAT = "cochlea-export"
VERSION = 1


# --------------------------------------------------------------------------
# Loading


def sidecar_path(weights):
    """The sidecar of a weights file: the same path with ``.json``."""
    return Path(weights).with_suffix(".json")


def read_sidecar(path):
    """The sidecar as a dict; ``path`` is the sidecar or its weights file."""
    path = Path(path)
    if path.suffix != ".json":
        path = sidecar_path(path)
    sidecar = json.loads(path.read_text())
    if sidecar.get("format") != FORMAT or sidecar.get("version") != VERSION:
        raise ValueError(
            f"{path} is not a {FORMAT} sidecar of version {VERSION} "
            f"(format {sidecar.get('format')!r}, version {sidecar.get('version')!r}); "
            "export the run again with this version of cochlea"
        )
    return sidecar


def load(weights, device="cpu"):
    """The exported classifier of ``weights`` (a ``.safetensors`` file with
    its ``.json`` sidecar beside it), in eval mode, weights loaded strictly."""
    from safetensors.torch import load_file

    model = Classifier(read_sidecar(weights))
    model.load_state_dict(load_file(str(weights), device=str(device)), strict=True)
    return model.to(device).eval()


# --------------------------------------------------------------------------
# Shared pieces


class Standardize(nn.Module):
    """Per-band ``(x - mean_b) / std_b`` with training-set statistics
    (``crates/frontend/src/standardize.rs``). Not trained: buffers."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))

    def forward(self, x):  # [batch, bands, frames]
        return (x - self.mean[None, :, None]) / self.std[None, :, None]


def hann_periodic(n):
    """``0.5 - 0.5 cos(2 pi t / n)``, computed in float64 (``dft.rs``)."""
    t = np.arange(n, dtype=np.float64)
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * t / n)


class Stft(nn.Module):
    """``|X[k]| = sqrt(Re^2 + Im^2 + eps)`` of frames of ``n_fft`` samples
    every ``hop`` samples, no centring, periodic Hann window (``stft.rs``)."""

    def __init__(self, n_fft, hop, power_epsilon):
        super().__init__()
        self.n_fft, self.hop, self.power_epsilon = n_fft, hop, power_epsilon
        window = torch.tensor(hann_periodic(n_fft), dtype=torch.float32)
        self.register_buffer("window", window, persistent=False)

    def forward(self, wave):  # [batch, samples] -> [batch, frames, bins]
        frames = wave.unfold(1, self.n_fft, self.hop)  # [batch, frames, n_fft]
        spectrum = torch.fft.rfft(frames * self.window, dim=-1)
        re, im = spectrum.real, spectrum.imag
        return torch.sqrt(re * re + im * im + self.power_epsilon)


def hz_to_mel(hz):
    """HTK mel scale, ``2595 log10(1 + f / 700)`` (``mel_scale.rs``)."""
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def mel_to_hz(mel):
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


def mel_points(count, fmin, fmax):
    lo, hi = hz_to_mel(fmin), hz_to_mel(fmax)
    step = (hi - lo) / (count - 1) if count > 1 else 0.0
    return mel_to_hz(lo + step * np.arange(count, dtype=np.float64))


def mel_filters(sample_rate, n_fft, bands, fmin, fmax):
    """Unit-sum triangular HTK mel filters, ``[bins, bands]`` float64."""
    bins = n_fft // 2 + 1
    points = mel_points(bands + 2, fmin, fmax)
    freq = np.arange(bins, dtype=np.float64) * sample_rate / n_fft
    out = np.zeros((bins, bands))
    for b in range(bands):
        left, centre, right = points[b], points[b + 1], points[b + 2]
        rising = (freq - left) / (centre - left)
        falling = (right - freq) / (right - centre)
        row = np.maximum(np.minimum(rising, falling), 0.0)
        total = row.sum()
        out[:, b] = row / total if total > 0.0 else row
    return out


# --------------------------------------------------------------------------
# STFT frontends


class LogMel(nn.Module):
    """``log(max(mel(|STFT|), floor))``, standardised (``log_mel.rs``)."""

    def __init__(self, sidecar):
        super().__init__()
        c, k = sidecar["frontend"], sidecar["constants"]
        self.floor = c["floor"]
        self.stft = Stft(c["n_fft"], c["hop"], k["stft_power_epsilon"])
        filters = mel_filters(sidecar["sample_rate"], c["n_fft"], c["bands"], c["fmin"], c["fmax"])
        self.register_buffer("filters", torch.tensor(filters, dtype=torch.float32), persistent=False)
        s = sidecar["standardization"]
        self.standardize = Standardize(s["mean"], s["std"])

    def unstandardized(self, wave):  # [batch, samples] -> [batch, bands, frames]
        mel = self.stft(wave) @ self.filters  # [batch, frames, bands]
        return mel.clamp_min(self.floor).log().transpose(1, 2)

    def forward(self, wave):
        return self.standardize(self.unstandardized(wave))


class LearnableMel(nn.Module):
    """Log mel spectrogram whose triangles are learned: ``bands + 2`` numbers
    in mel, the lowest edge then the spacings (``learnable_mel.rs``)."""

    def __init__(self, sidecar):
        super().__init__()
        c, k = sidecar["frontend"], sidecar["constants"]
        self.bands, self.floor, self.min_spacing = c["bands"], c["floor"], c["min_spacing"]
        self.n_fft, self.sample_rate = c["n_fft"], float(sidecar["sample_rate"])
        self.mel_per_neper = k["mel_per_neper"]
        self.min_flank_bins, self.sum_epsilon = k["min_flank_bins"], k["sum_epsilon"]
        self.stft = Stft(c["n_fft"], c["hop"], k["stft_power_epsilon"])
        self.lowest_and_spacings = nn.Parameter(torch.zeros(self.bands + 2))
        s = sidecar["standardization"]
        self.standardize = Standardize(s["mean"], s["std"])

    def edges_bins(self):
        """The ``bands + 2`` edges as fractional FFT bins in ``[0, n_fft / 2]``."""
        raw = self.lowest_and_spacings
        spacings = raw[1:].clamp_min(self.min_spacing)
        mel = torch.cat([raw[:1], spacings]).cumsum(0)
        nyquist = self.sample_rate / 2.0
        top = self.mel_per_neper * math.log1p(nyquist / 700.0)
        mel = mel.clamp(0.0, top)
        hz = ((mel / self.mel_per_neper).exp() - 1.0) * 700.0
        return (hz * (self.n_fft / self.sample_rate)).clamp(0.0, self.n_fft / 2.0)

    def filters(self):  # [bins, bands]
        b = self.bands
        edges = self.edges_bins()
        left, centre, right = edges[:b][None], edges[1 : b + 1][None], edges[2 : b + 2][None]
        bin_ = torch.arange(self.n_fft // 2 + 1, dtype=edges.dtype, device=edges.device)[:, None]
        rising = (bin_ - left) / (centre - left).clamp_min(self.min_flank_bins)
        falling = (right - bin_) / (right - centre).clamp_min(self.min_flank_bins)
        triangles = torch.minimum(rising, falling).clamp_min(0.0)
        return triangles / (triangles.sum(0, keepdim=True) + self.sum_epsilon)

    def unstandardized(self, wave):
        mel = self.stft(wave) @ self.filters()  # [batch, frames, bands]
        return mel.clamp_min(self.floor).log().transpose(1, 2)

    def forward(self, wave):
        return self.standardize(self.unstandardized(wave))


# --------------------------------------------------------------------------
# Gabor frontend: filter bank, the frequency-domain plan, energies, pooling


class GaborBank(nn.Module):
    """Centres ``omega_b`` (radians per sample) and widths ``sigma_b``
    (samples), constrained in the forward pass (``gabor_bank.rs``)."""

    def __init__(self, bands, min_width, max_width, learn_centres, learn_widths):
        super().__init__()
        self.centres = nn.Parameter(torch.zeros(bands), requires_grad=learn_centres)
        self.widths = nn.Parameter(torch.ones(bands), requires_grad=learn_widths)
        self.min_width, self.max_width = min_width, max_width

    def constrained(self):
        return self.centres.clamp(0.0, math.pi), self.widths.clamp(self.min_width, self.max_width)


class TimeAveraging(nn.Module):
    """Per-band Gaussian window widths ``s_b`` as fractions of ``W / 2``
    (``time_averaging.rs``)."""

    def __init__(self, bands, window, lo, hi, learn):
        super().__init__()
        self.widths = nn.Parameter(torch.ones(bands), requires_grad=learn)
        self.window, self.lo, self.hi = window, lo, hi

    def constrained(self):
        return self.widths.clamp(self.lo, self.hi)

    def std_samples_host(self):
        half = self.window / 2.0
        return [s * half for s in self.constrained().detach().double().tolist()]


def next_power_of_two(n):
    return 1 if n <= 1 else 1 << (n - 1).bit_length()


def round_half_away(x):
    """Rust's ``f64::round`` (half away from zero)."""
    r = math.floor(abs(x))
    r = r + 1 if abs(x) - r >= 0.5 else r
    return int(math.copysign(r, x))


def choose_packing(batch, samples, margin, hop):
    """``Packing::choose``: excerpts per FFT buffer with the least work."""
    stride = -(-(samples + margin) // hop) * hop
    smallest = next_power_of_two(margin + stride)
    best = None
    for doubling in range(4):
        padded = smallest << doubling
        excerpts = min(max((padded - margin) // stride, 1), max(batch, 1))
        buffers = -(-max(batch, 1) // excerpts)
        if margin + excerpts * stride <= padded:
            key = (buffers * padded, padded)
            if best is None or key < best[0]:
                best = (key, dict(excerpts=excerpts, stride=stride, buffers=buffers), padded)
    return best[1], best[2]


def filter_plan(batch, samples, hop, sigma, averaging_std, support, k):
    """``FilterPlan::new``: FFT length, packing and band groups (float64
    arithmetic in cochlea's order, so every rounding comes out the same)."""
    widest = max([0.0] + list(sigma))
    longest = max([0.0] + list(averaging_std))
    margin = math.ceil(k["margin_sigmas"] * widest + k["window_reach"] * longest) + 1
    packing, padded = choose_packing(batch, samples, margin, hop)
    m, two_pi = float(padded), 2.0 * math.pi
    groups = []
    for b, (s, a) in enumerate(zip(sigma, averaging_std)):
        filter_bins = m / (two_pi * s)
        averaging_bins = m / (two_pi * a)
        slice_ = 2.0 * support * filter_bins
        carrier = support * (math.sqrt(2.0) * filter_bins + averaging_bins)
        needed = math.ceil(max(slice_, carrier))
        bins = min(max(next_power_of_two(needed), int(k["min_bins"])), padded // 2)
        for g in groups:
            if g["bins"] == bins:
                g["bands"].append(b)
                break
        else:
            groups.append(dict(bands=[b], bins=bins))
    groups.sort(key=lambda g: g["bins"])
    return dict(padded=padded, offset=margin, packing=packing, averaging_std=list(averaging_std), groups=groups)


def spectral_slice(omega, bins, padded):
    """The ``bins + 1`` half-spectrum bins kept around ``omega``: source
    index, conjugation sign and signed frequency (``spectral_slice``)."""
    centre = round_half_away(omega * padded / (2.0 * math.pi))
    first = centre - bins // 2
    source, sign, freq = [], [], []
    for q in range(bins + 1):
        j = first + q
        # Bins below 0 or above M/2 are their mirror images, conjugated.
        mirrored = -j if j < 0 else padded - j if j > padded // 2 else None
        source.append(j if mirrored is None else mirrored)
        sign.append(1.0 if mirrored is None else -1.0)
        freq.append(2.0 * math.pi * j / padded)
    return source, sign, freq


def pack(wave, plan):
    """Excerpts laid into FFT buffers: ``offset`` zeros, then each excerpt
    followed by zeros up to the stride (``gabor_energy.rs``)."""
    batch, samples = wave.shape
    p = plan["packing"]
    slots = p["buffers"] * p["excerpts"]
    if slots > batch:
        wave = torch.cat([wave, wave.new_zeros(slots - batch, samples)])
    wave = F.pad(wave, (0, p["stride"] - samples)).reshape(p["buffers"], p["excerpts"] * p["stride"])
    return F.pad(wave, (plan["offset"], 0))


def band_signals(wave, plan, omega, sigma, omega_host):
    """Per group ``r``: the Gabor outputs decimated to ``2 L`` samples as
    real signals (one irfft per group), ``[buffers, group bands, 2 L]``."""
    spectrum = torch.fft.rfft(pack(wave, plan), n=plan["padded"], dim=1)
    re, im = spectrum.real, spectrum.imag  # [buffers, M/2 + 1]
    out = []
    for group in plan["groups"]:
        bands, bins = group["bands"], group["bins"]
        source, sign, freq = [], [], []
        for b in bands:
            s, g, f = spectral_slice(omega_host[b], bins, plan["padded"])
            source += s
            sign += g
            freq += f
        device = wave.device
        source = torch.tensor(source, device=device)
        sign = torch.tensor(sign, dtype=wave.dtype, device=device).reshape(len(bands), bins + 1)
        freq = torch.tensor(freq, dtype=wave.dtype, device=device).reshape(len(bands), bins + 1)
        members = torch.tensor(bands, device=device)
        centre, width = omega[members][:, None], sigma[members][:, None]
        gain = (((freq - centre) * width) ** 2 * -0.5).exp()  # [bands, L + 1]
        shape = (re.shape[0], len(bands), bins + 1)
        slice_re = re[:, source].reshape(shape) * gain
        slice_im = im[:, source].reshape(shape) * (gain * sign)
        out.append(torch.fft.irfft(torch.complex(slice_re, slice_im), n=2 * bins, dim=2))
    return out


def frame_blocks(plan, bins, window, hop, frames, reach, min_block_frames):
    """``FrameBlocks::new``: frames in blocks with one tap pattern on the
    group's grid, and each tap's offset from its frame's centre."""
    spacing = max(plan["padded"] // (2 * bins), 1)
    minimal = spacing // math.gcd(hop, spacing)
    per_block = minimal * -(-min_block_frames // minimal)
    per_block = min(per_block, -(-frames // minimal) * minimal)
    step = per_block * hop // spacing
    h = float(spacing)

    def centre(f):
        return float(plan["offset"] + f * hop) + window / 2.0

    first = max(math.floor((centre(0) - reach) / h), 0)
    last = math.ceil((centre(per_block - 1) + reach) / h)
    depth = -(-(last + 1 - first) // step)
    at = (first + np.arange(depth)[None, :, None] * step + np.arange(step)[:, None, None]) * h
    centres = np.array([centre(f) for f in range(per_block)])[None, None, :]
    offset = (at - centres).astype(np.float32).reshape(step, depth * per_block)
    weight = h * 2.0 * (bins / plan["padded"]) ** 2
    return dict(
        frames=per_block, count=-(-frames // per_block), step=step, depth=depth, first=first, offset=offset, weight=weight
    )


def pool(signals, plan, widths, window, hop, batch, samples, k):
    """The Gaussian time-averaging of ``r^2`` into ``[batch, bands, frames]``
    (``TimeAveraging::pool``), block by block as cochlea sums it."""
    frames = 1 + (samples - window) // hop
    p = plan["packing"]
    per_excerpt = p["stride"] // hop
    grid_frames = p["excerpts"] * per_excerpt
    half_window = window / 2.0
    outputs = []
    for group, signal in zip(plan["groups"], signals):
        buffers, bands, length = signal.shape
        widest = max(plan["averaging_std"][b] for b in group["bands"])
        blk = frame_blocks(
            plan, group["bins"], window, hop, grid_frames, k["window_reach"] * widest, int(k["min_block_frames"])
        )
        chunks = blk["count"] + blk["depth"] - 1
        span = chunks * blk["step"]
        inside = max(min(length - blk["first"], span), 0)
        part = signal[:, :, blk["first"] : blk["first"] + inside]
        part = F.pad(part, (0, span - inside)).transpose(0, 1)  # [bands, buffers, span]
        energy = (part * part).reshape(bands, buffers * chunks, blk["step"])
        offset = torch.from_numpy(blk["offset"]).to(signal.device)[None]
        members = torch.tensor(group["bands"], device=signal.device)
        std = (widths[members] * half_window).reshape(bands, 1, 1)
        taps = ((offset / std) ** 2 * -0.5).exp() * blk["weight"]  # [bands, step, depth * frames]
        parts = (energy @ taps).reshape(bands, buffers, chunks, blk["depth"], blk["frames"])
        pooled = parts[:, :, 0 : blk["count"], 0:1]
        for d in range(1, blk["depth"]):
            pooled = pooled + parts[:, :, d : d + blk["count"], d : d + 1]
        pooled = pooled.reshape(bands, buffers, blk["count"] * blk["frames"])[:, :, :grid_frames]
        pooled = pooled.reshape(bands, buffers * p["excerpts"], per_excerpt)[:, :batch, :frames]
        outputs.append(pooled.transpose(0, 1))
    all_ = torch.cat(outputs, 1)  # [batch, bands in group order, frames]
    order = [b for g in plan["groups"] for b in g["bands"]]
    rows = [0] * len(order)
    for row, b in enumerate(order):
        rows[b] = row
    if rows == list(range(len(rows))):
        return all_
    return all_[:, torch.tensor(rows, device=all_.device)]


class LogCompression(nn.Module):
    def __init__(self, floor):
        super().__init__()
        self.floor = floor

    def forward(self, x):
        return (x + self.floor).log()


class Log1pCompression(nn.Module):
    """``ln(1 + 10^a_b x)``, ``|a_b|`` kept at most the limit."""

    def __init__(self, bands, limit, learn):
        super().__init__()
        self.exponent = nn.Parameter(torch.zeros(bands), requires_grad=learn)
        self.limit = limit

    def forward(self, x):
        gain = (self.exponent.clamp(-self.limit, self.limit) * math.log(10.0)).exp()
        return (x * gain[None, :, None]).log1p()


class Pcen(nn.Module):
    """Per-channel energy normalisation with the smoother as a causal
    depthwise convolution plus the initial state (``compression.rs``)."""

    def __init__(self, bands, k, learn):
        super().__init__()
        for name in ("smoothing", "alpha", "delta", "root"):
            setattr(self, name, nn.Parameter(torch.zeros(bands), requires_grad=learn))
        self.k = k

    def constrained(self):
        k = self.k
        return (
            self.smoothing.clamp(k["pcen_smoothing_min"], k["pcen_smoothing_max"]),
            self.alpha.clamp(k["pcen_alpha_min"], k["pcen_alpha_max"]),
            self.delta.clamp_min(k["pcen_delta_min"]),
            self.root.clamp(k["pcen_root_min"], k["pcen_root_max"]),
        )

    def smooth(self, x, s):
        _, bands, frames = x.shape
        slowest = min([1.0] + s.detach().double().tolist())
        taps = min(math.ceil(math.log(self.k["pcen_kernel_cutoff"]) / math.log(1.0 - slowest)) + 1, frames)
        log_keep = (1.0 - s).log()[:, None]  # [bands, 1]
        lag = torch.arange(taps - 1, -1, -1, dtype=x.dtype, device=x.device)[None]
        kernel = (lag * log_keep).exp() * s[:, None]  # [bands, taps]
        recent = F.conv1d(F.pad(x, (taps - 1, 0)), kernel[:, None], groups=bands)
        steps = torch.arange(1, frames + 1, dtype=x.dtype, device=x.device)[None]
        decay = (steps * log_keep).exp()[None]  # [1, bands, frames]
        return recent + decay * x[:, :, :1]

    def forward(self, x):
        s, alpha, delta, r = self.constrained()
        smooth = self.smooth(x, s)
        alpha, delta, r = alpha[None, :, None], delta[None, :, None], r[None, :, None]
        gain = ((smooth + self.k["pcen_epsilon"]).log() * -alpha).exp()
        return ((x * gain + delta).log() * r).exp() - (delta.log() * r).exp()


class Gabor(nn.Module):
    """Gabor filter bank, squared modulus, Gaussian time-averaging,
    compression, standardisation (``gabor.rs``), on cochlea's plan."""

    def __init__(self, sidecar):
        super().__init__()
        c, k = sidecar["frontend"], sidecar["constants"]
        bands, window = c["bands"], c["window"]
        self.window, self.hop, self.support, self.k = window, c["hop"], c["support"], k
        self.bank = GaborBank(
            bands, k["gabor_min_width"], k["gabor_max_width"], c["learn_centres"], c["learn_bandwidths"]
        )
        self.averaging = TimeAveraging(
            bands, window, k["averaging_min_width"], k["averaging_max_width"], c["learn_averaging"]
        )
        kind = c["compression"]
        if kind == "log":
            self.compression = LogCompression(c["floor"])
        elif kind == "log1p":
            self.compression = Log1pCompression(bands, k["log1p_exponent_limit"], c["learn_compression"])
        elif kind == "pcen":
            self.compression = Pcen(bands, k, c["learn_compression"])
        else:
            raise ValueError(f"unknown Gabor compression {kind!r}")
        s = sidecar["standardization"]
        self.standardize = Standardize(s["mean"], s["std"])

    def energies(self, wave):  # [batch, samples] -> [batch, bands, frames]
        batch, samples = wave.shape
        if samples < self.window:
            raise ValueError(f"input of {samples} samples is shorter than one frame ({self.window})")
        omega, sigma = self.bank.constrained()
        omega_host = omega.detach().double().tolist()
        sigma_host = sigma.detach().double().tolist()
        plan = filter_plan(
            batch, samples, self.hop, sigma_host, self.averaging.std_samples_host(), self.support, self.k
        )
        signals = band_signals(wave, plan, omega, sigma, omega_host)
        widths = self.averaging.constrained()
        return pool(signals, plan, widths, self.window, self.hop, batch, samples, self.k)

    def unstandardized(self, wave):
        return self.compression(self.energies(wave))

    def forward(self, wave):
        return self.standardize(self.unstandardized(wave))


# --------------------------------------------------------------------------
# Backbones and the classifier


def svd_pooled_extent(n):
    return ((n - 4) // 3 - 4) // 3


class SvdCnn(nn.Module):
    """Schlüter & Grill's CNN on ``[batch, 1, frames, bands]`` (``svd_cnn.rs``)."""

    EMBEDDING = 64

    def __init__(self, sidecar):
        super().__init__()
        c = sidecar["model"]
        t = svd_pooled_extent(sidecar["input_frames"])
        f = svd_pooled_extent(sidecar["frontend"]["bands"])
        self.leak = c["leak"]
        self.conv1, self.conv2 = nn.Conv2d(1, 64, 3), nn.Conv2d(64, 32, 3)
        self.conv3, self.conv4 = nn.Conv2d(32, 128, 3), nn.Conv2d(128, 64, 3)
        self.pool = nn.MaxPool2d(3)
        self.dense1, self.dense2 = nn.Linear(64 * t * f, 256), nn.Linear(256, self.EMBEDDING)
        self.dropout = nn.Dropout(c["dropout"])
        self.embedding = self.EMBEDDING

    def forward(self, features):  # [batch, bands, frames] -> [batch, 64]
        act = lambda x: F.leaky_relu(x, self.leak)  # noqa: E731
        x = features.transpose(1, 2)[:, None]  # [batch, 1, frames, bands]
        x = self.pool(act(self.conv2(act(self.conv1(x)))))
        x = self.pool(act(self.conv4(act(self.conv3(x)))))
        x = act(self.dense1(self.dropout(x.flatten(1))))
        return act(self.dense2(self.dropout(x)))


class ConvBlock(nn.Module):
    """3x3 conv (padding 1), batch norm, ReLU, 2x2 max-pool."""

    def __init__(self, inputs, outputs, eps, momentum):
        super().__init__()
        self.conv = nn.Conv2d(inputs, outputs, 3, padding=1)
        self.norm = nn.BatchNorm2d(outputs, eps=eps, momentum=momentum)

    def forward(self, x):
        return F.max_pool2d(F.relu(self.norm(self.conv(x))), 2)


class ShortChunkCnn(nn.Module):
    """Won et al.'s short-chunk CNN on ``[batch, 1, bands, frames]``, global
    max over both remaining axes (``short_chunk_cnn.rs``)."""

    def __init__(self, sidecar):
        super().__init__()
        c, k = sidecar["model"], sidecar["constants"]
        eps, momentum = k["batch_norm_epsilon"], k["batch_norm_momentum"]
        sizes = [1] + list(c["channels"])
        self.blocks = nn.ModuleList(ConvBlock(i, o, eps, momentum) for i, o in zip(sizes, sizes[1:]))
        self.dense = nn.Linear(sizes[-1], c["dense"])
        self.norm = nn.BatchNorm1d(c["dense"], eps=eps, momentum=momentum)
        self.embedding = c["dense"]

    def forward(self, features):  # [batch, bands, frames] -> [batch, dense]
        x = features[:, None]
        for block in self.blocks:
            x = block(x)
        x = x.amax(dim=(2, 3))
        return F.relu(self.norm(self.dense(x)))


FRONTENDS = {"mel": LogMel, "learnable-mel": LearnableMel, "gabor": Gabor}
BACKBONES = {"svd-cnn": SvdCnn, "short-chunk-cnn": ShortChunkCnn}


class Classifier(nn.Module):
    """Frontend, backbone, dropout and the dense head: waveform to logits
    (``crates/model/src/classifier.rs``). The sigmoid is not applied."""

    def __init__(self, sidecar):
        super().__init__()
        self.sidecar = sidecar
        self.frontend = FRONTENDS[sidecar["frontend"]["kind"]](sidecar)
        self.backbone = BACKBONES[sidecar["model"]["kind"]](sidecar)
        self.dropout = nn.Dropout(sidecar["model"]["dropout"])
        self.head = nn.Linear(self.backbone.embedding, sidecar["outputs"])

    @property
    def labels(self):
        """Names of the outputs (the tags, or the singing voice class)."""
        return self.sidecar["task"]["labels"]

    def forward_features(self, features):  # [batch, bands, frames] -> [batch, outputs]
        return self.head(self.dropout(self.backbone(features)))

    def forward(self, wave):  # [batch, input_samples] -> [batch, outputs]
        return self.forward_features(self.frontend(wave))
