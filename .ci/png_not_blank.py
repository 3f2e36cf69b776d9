#!/usr/bin/env python3
"""Checks that a browser screenshot of the report is not blank, with the standard library only.

Decodes the PNG (zlib + the five scanline filters; 8-bit grey, RGB or RGBA) and counts:
non-white pixels (text, borders, charts), dark pixels (text) and accent-blue pixels (the charts'
bars and lines). A blank, white or error page fails; so does a page without its charts.

Usage: png_not_blank.py FILE.png
"""

import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if header is None:
        raise SystemExit(f"{path}: no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        raise SystemExit(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1 : at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = prev[i]
            corner = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, channels, rows


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    path = sys.argv[1]
    width, height, channels, rows = decode(path)
    total = nonwhite = dark = blue = 0
    for line in rows:
        for x in range(0, width * channels, channels * 2):  # every other pixel is plenty
            px = line[x : x + channels]
            r, g, b = (px[0], px[0], px[0]) if channels < 3 else (px[0], px[1], px[2])
            total += 1
            if min(r, g, b) < 235:
                nonwhite += 1
            if max(r, g, b) < 90:
                dark += 1
            if b > 150 and b - r > 60 and b - g > 30:
                blue += 1
    share = nonwhite / max(total, 1)
    print(
        f"{path}: {width}x{height}, sampled {total} pixels: {share:.1%} not white, "
        f"{dark} dark (text), {blue} accent blue (charts)"
    )
    problems = []
    if share < 0.03:
        problems.append("the page is (almost) blank")
    if dark < 1000:
        problems.append("too little text")
    if blue < 2000:
        problems.append("no charts drawn")
    if problems:
        raise SystemExit(f"{path}: " + "; ".join(problems))
    print(f"{path}: not blank")


if __name__ == "__main__":
    main()
