"""The peers' side of the data bench (``crates/cli/benches/data.rs``).

Two commands:

``encode WAV DIR``
    Writes the bench's recording as FLAC (16-bit), Ogg Vorbis and MP3 with
    soundfile (libsndfile: its FLAC and Vorbis encoders, and LAME for MP3
    from libsndfile 1.1), so that cochlea and the peers decode the same
    compressed files. Prints the paths written, one per line; a format this
    libsndfile cannot write is left out with a line on stderr.

``time FILE... --rates 22050,16000 --turns 3``
    Times, per file, the median over ``--turns`` of
    - ``decode``: ``soundfile.read(file, dtype="float32")`` (interleaved
      channels, no downmix);
    - ``load_<rate>``: ``librosa.load(file, sr=rate, mono=True)``: decode,
      downmix and resample with librosa's default ``res_type="soxr_hq"``,
      the usual way an MIR script reads a file.
    Prints one JSON object ``{file: {"decode": s, "load_22050": s, ...}}``.

    python3 scripts/data_peer.py encode recording.wav DIR
    python3 scripts/data_peer.py time DIR/recording.* --rates 22050,16000
"""
import argparse
import json
import os
import statistics
import sys
import time


def median_seconds(fn, turns):
    fn()  # warm: imports, the page cache
    seconds = []
    for _ in range(turns):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def encode(wav, out_dir):
    import soundfile as sf

    data, rate = sf.read(wav, dtype="float32")
    stem = os.path.splitext(os.path.basename(wav))[0]
    for ext, fmt, subtype in [
        ("flac", "FLAC", "PCM_16"),
        ("ogg", "OGG", "VORBIS"),
        ("mp3", "MP3", "MPEG_LAYER_III"),
    ]:
        path = os.path.join(out_dir, f"{stem}.{ext}")
        try:
            sf.write(path, data, rate, format=fmt, subtype=subtype)
        except Exception as e:  # noqa: BLE001 - report and go on
            print(f"cannot write {ext}: {e}", file=sys.stderr)
            continue
        print(path)


def time_files(files, rates, turns):
    import librosa
    import soundfile as sf

    results = {}
    for f in files:
        entry = {"decode": median_seconds(lambda: sf.read(f, dtype="float32"), turns)}
        for rate in rates:
            entry[f"load_{rate}"] = median_seconds(
                lambda: librosa.load(f, sr=rate, mono=True), turns
            )
        results[f] = entry
    print(json.dumps(results))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("encode")
    e.add_argument("wav")
    e.add_argument("dir")
    t = sub.add_parser("time")
    t.add_argument("files", nargs="+")
    t.add_argument("--rates", default="22050,16000")
    t.add_argument("--turns", type=int, default=3)
    args = parser.parse_args()
    if args.command == "encode":
        encode(args.wav, args.dir)
    else:
        rates = [int(r) for r in args.rates.split(",") if r.strip()]
        time_files(args.files, rates, args.turns)


if __name__ == "__main__":
    main()
