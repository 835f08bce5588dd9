"""A PDF page as a reader sees it: rendered by poppler's pdftoppm, then measured.

At 72 dpi one pixel is one point, so a text line's height in pixels is its
height in points. Tests that need this skip, saying why, where pdftoppm is
missing (``apt-get install poppler-utils``).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

DPI = 72  # one pixel per point
INK = 160  # a grey darker than this is text


@dataclass(frozen=True)
class PageInk:
    """Where the ink is on one page, in points."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    line_heights: tuple[int, ...]  # each run of inked rows: about one text line

    @property
    def typical_line(self) -> float:
        return statistics.median(self.line_heights)


def need_pdftoppm() -> str:
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.skip("pdftoppm (poppler-utils) is missing: cannot render the PDF to measure it")
    return tool


def page_ink(pdf: Path, page: int = 1) -> PageInk:
    tool = need_pdftoppm()
    stem = pdf.with_suffix("")
    subprocess.run(
        [tool, "-r", str(DPI), "-f", str(page), "-l", str(page), "-gray", "-singlefile"]
        + [str(pdf), str(stem)],
        check=True,
        capture_output=True,
    )
    width, height, pixels = _read_pgm(Path(str(stem) + ".pgm"))
    inked_rows: list[int] = []
    left, right = width, -1
    for y in range(height):
        row = pixels[y * width : (y + 1) * width]
        xs = [x for x, value in enumerate(row) if value < INK]
        if xs:
            inked_rows.append(y)
            left, right = min(left, xs[0]), max(right, xs[-1])
    assert inked_rows, "the page is blank"
    heights: list[int] = []
    run = 1
    for previous, current in zip(inked_rows, inked_rows[1:], strict=False):
        if current == previous + 1:
            run += 1
        else:
            heights.append(run)
            run = 1
    heights.append(run)
    return PageInk(width, height, left, right, inked_rows[0], inked_rows[-1], tuple(heights))


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    """Binary greyscale PGM (P5), as pdftoppm -gray writes it: header, then one byte a pixel."""
    data = path.read_bytes()
    fields: list[bytes] = []
    at = 0
    while len(fields) < 4:
        while data[at : at + 1].isspace():
            at += 1
        end = at
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[at:end])
        at = end
    assert fields[0] == b"P5" and fields[3] == b"255", fields
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[at + 1 : at + 1 + width * height]
