"""What one inspection photo costs the server: a 9999 × 9999 PNG of about 300 KB (the
penetration test's decompression bomb) against an ordinary 12-megapixel phone photo.

    python -m benchmarks.photos [--unguarded]

Prints, for each file, its size, the seconds ``store_photo`` takes and how far peak memory rose
above what the process held before, then the ratios to the phone photo, the baseline measured
in the same run. Each case runs in a fresh child process of the same interpreter, so that one
case's peak of memory does not hide the next one's. ``--unguarded`` also decodes the bomb with
the pixel budget (and Pillow's own check) lifted: what the server did before the budget.
"""
from __future__ import annotations

import argparse
import io
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from PIL import Image


def bomb_png(width: int = 9999, height: int = 9999) -> bytes:
    """A valid RGB PNG of ``width`` × ``height`` black pixels; zlib makes it about 300 KB at the
    default size, written row by row so building it costs little memory."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    compressor, row, parts = zlib.compressobj(9), b"\0" * (1 + 3 * width), []
    for _ in range(height):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b"")


def phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A 12-megapixel JPEG with detail in it (a gradient with noise), as a phone camera writes."""
    noise = Image.effect_noise((width, height), 64).convert("RGB")
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(noise, gradient, 0.5).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _status_mb(field: str) -> float:
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field))
    return int(line.split()[1]) / 1024  # kB


def _reset_peak() -> None:
    """Start the peak of resident memory (VmHWM) again from now (Linux 4.0 and later)."""
    Path("/proc/self/clear_refs").write_text("5")


def measure(data: bytes, folder: Path, max_pixels: int) -> tuple[float, float, str]:
    """(seconds, peak memory growth in MB, outcome) of storing ``data`` once."""
    from surveyor.inspect.photos import PhotoError, store_photo
    _reset_peak()
    before, start = _status_mb("VmRSS:"), time.perf_counter()
    try:
        store_photo(data, folder, 64 * 1024 * 1024, max_pixels)
        outcome = "stored"
    except PhotoError as error:
        outcome = f"refused ({error.args[0]})"
    return time.perf_counter() - start, _status_mb("VmHWM:") - before, outcome


CASES = {"phone": "phone photo 4000x3000 JPEG", "bomb": "bomb 9999x9999 PNG",
         "unguarded": "bomb 9999x9999 PNG, pixel budget lifted"}


def _child(case: str, path: Path) -> tuple[float, float, str]:
    """Measure one case in a fresh process, so that each peak of memory is its own."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.photos", "--child", case, str(path)],
                         capture_output=True, text=True, check=True).stdout.split(maxsplit=2)
    return float(out[0]), float(out[1]), out[2].strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unguarded", action="store_true", help="also decode the bomb without the pixel budget")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from surveyor.inspect.photos import MAX_PIXELS
    if args.child:
        case, path = args.child
        data = Path(path).read_bytes()
        if case == "unguarded":
            Image.MAX_IMAGE_PIXELS = None  # Pillow's own bomb check lifted too
        with tempfile.TemporaryDirectory() as folder:
            seconds, grown, outcome = measure(data, Path(folder), 10**9 if case == "unguarded" else MAX_PIXELS)
        print(f"{seconds:.4f} {grown:.0f} {outcome}")
        return
    print(f"pixel budget: {MAX_PIXELS / 1e6:.0f} MP; each case in its own process")
    with tempfile.TemporaryDirectory() as folder:
        files = {"phone": Path(folder) / "phone.jpg", "bomb": Path(folder) / "bomb.png"}
        files["phone"].write_bytes(phone_photo())
        files["bomb"].write_bytes(bomb_png())
        cases = ["phone", "bomb", *(["unguarded"] if args.unguarded else [])]
        figures = {}
        for case in cases:
            path = files["bomb" if case == "unguarded" else case]
            figures[case] = _child(case, path)
            seconds, grown, outcome = figures[case]
            print(f"{CASES[case]}, {path.stat().st_size / 1024:.0f} KB: {seconds:.4f} s, "
                  f"peak memory +{grown:.0f} MB, {outcome}")
    baseline = figures["phone"][0]
    for case in cases[1:]:
        print(f"ratio {case} / phone photo: time {figures[case][0] / baseline:.4f}, "
              f"memory {figures[case][1] / max(figures['phone'][1], 1):.2f}")


if __name__ == "__main__":
    main()
