"""Read a PNG with the standard library only and say whether it shows something.

The smoke test runs with any Python, without Qt or Pillow, so it decodes the PNG itself:
8-bit greyscale, RGB or RGBA (with or without alpha), not interlaced: what Qt writes.
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


@dataclass(frozen=True)
class PngSummary:
    """Size and colour variety of a decoded PNG."""

    width: int
    height: int
    distinct_colours: int
    commonest_share: float  # fraction of pixels that have the most common colour

    def blank_reason(self, min_colours: int = 16, max_share: float = 0.9) -> str | None:
        """Why the image looks blank (one colour, or nearly), or None if it does not."""
        if self.distinct_colours < min_colours:
            return f"only {self.distinct_colours} distinct colours (expected {min_colours}+)"
        if self.commonest_share > max_share:
            return f"{self.commonest_share:.0%} of the pixels have one colour"
        return None


def _paeth(left: int, up: int, up_left: int) -> int:
    estimate = left + up - up_left
    dl, du, dul = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
    if dl <= du and dl <= dul:
        return left
    return up if du <= dul else up_left


def _unfilter(data: bytes, width: int, height: int, pixel_bytes: int) -> list[bytes]:
    stride = width * pixel_bytes
    rows, previous, offset = [], bytearray(stride), 0
    for _ in range(height):
        kind, row = data[offset], bytearray(data[offset + 1: offset + 1 + stride])
        offset += 1 + stride
        if kind == 1:
            for i in range(pixel_bytes, stride):
                row[i] = (row[i] + row[i - pixel_bytes]) & 0xFF
        elif kind == 2:
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = row[i - pixel_bytes] if i >= pixel_bytes else 0
                row[i] = (row[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = row[i - pixel_bytes] if i >= pixel_bytes else 0
                up_left = previous[i - pixel_bytes] if i >= pixel_bytes else 0
                row[i] = (row[i] + _paeth(left, previous[i], up_left)) & 0xFF
        elif kind != 0:
            raise ValueError(f"unknown PNG filter type {kind}")
        rows.append(bytes(row))
        previous = row
    return rows


def summarise_png(path: Path) -> PngSummary:
    """Decode ``path`` and count its colours. Raises ValueError for an unreadable PNG."""
    blob = Path(path).read_bytes()
    if not blob.startswith(_SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    offset, header, compressed = len(_SIGNATURE), None, bytearray()
    while offset < len(blob):
        length, kind = struct.unpack(">I4s", blob[offset: offset + 8])
        body = blob[offset + 8: offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path} has no IHDR chunk")
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in _CHANNELS or interlace:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type "
                         f"{colour_type}, interlace {interlace})")
    pixel_bytes = _CHANNELS[colour_type]
    rows = _unfilter(zlib.decompress(bytes(compressed)), width, height, pixel_bytes)
    colours = Counter()
    for row in rows:
        colours.update(row[i: i + pixel_bytes] for i in range(0, len(row), pixel_bytes))
    commonest = colours.most_common(1)[0][1] if colours else 0
    return PngSummary(width, height, len(colours), commonest / max(1, width * height))
