"""A CSV file's bytes looked over before they are parsed, in bounded memory and at C speed.

:func:`scan` measures the lines and looks for control characters a few megabytes at a time, and
tells whether a row may hold no text or a cell may start with mapkit's formula quote (else the
reader skips those passes over every cell); :func:`check_utf8` checks the encoding without
holding the file's text. Both work on the bytes of a UTF-8 file (a UTF-16 file is decoded first
and read as text).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import numpy as np

from .formulas import QUOTE

__all__ = ["Scan", "check_utf8", "scan"]

_BLOCK = 1 << 23  # bytes looked at at once
_C0 = np.zeros(256, dtype=bool)  # by byte: a C0 control but tab and line ends, or DEL
_C0[[c for c in range(32) if c not in (9, 10, 13)] + [127]] = True
_EDGE = np.zeros(256, dtype=bool)  # by byte: ends a line or a cell, or opens one: a line that
_EDGE[list(b'\n\r \t",;')] = True  # starts with it may hold no text; a cell may start after it


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` found in a file's bytes."""

    longest: int  # bytes in the longest line (without its end)
    worst: int  # that line's number (the first of equally long ones)
    lines: int  # lines, counting a last one without an end (``\\r\\n``, ``\\r`` or ``\\n``)
    controls: bool  # a control character: C0 but tab and line ends, DEL, or C1 (UTF-8)
    bare: bool  # a line after the first starts with a line end, space, tab, quote, comma or ;
    quote_first: bool  # mapkit's formula quote (') after a line end, space, tab, ", comma or ;


def scan(raw: bytes) -> Scan:
    """Measure the lines of ``raw`` and look for control characters in it."""
    data = np.frombuffer(raw, dtype=np.uint8)
    last, longest, worst, newlines, controls, bare, quote_first = -1, 0, 1, 0, False, False, False
    for start in range(0, len(data), _BLOCK):
        block = data[start : start + _BLOCK + 1]  # one byte more: a C1 pair may straddle blocks
        lf = block[:_BLOCK] == 10
        ends = np.flatnonzero(lf) + start
        if len(ends):
            lengths = np.diff(ends, prepend=last) - 1
            k = int(np.argmax(lengths))
            if lengths[k] > longest:
                longest, worst = int(lengths[k]), newlines + k + 1
            newlines, last = newlines + len(ends), int(ends[-1])
        if not bare:  # the first byte of each next line: after \n, or after \r but not \r\n
            at = np.flatnonzero(lf | (block[:_BLOCK] == 13))
            at = at[at + 1 < len(block)]
            first = block[at + 1]
            bare = bool((_EDGE[first] & ~((block[at] == 13) & (first == 10))).any())
        if not quote_first:
            quotes = np.flatnonzero(block[:_BLOCK] == ord(QUOTE)) + start
            quote_first = bool(_EDGE[data[quotes[quotes > 0] - 1]].any())
        if not controls:
            lead = np.flatnonzero(block[:-1] == 0xC2) + 1  # U+0080–U+009F: C2 80 to C2 9F
            controls = bool(_C0[block[:_BLOCK]].any()) or bool(
                ((block[lead] >= 0x80) & (block[lead] <= 0x9F)).any()
            )
    if len(data) - last - 1 > longest:
        longest, worst = len(data) - last - 1, newlines + 1
    ends = raw.count(b"\n") + raw.count(b"\r") - raw.count(b"\r\n")
    lines = ends + (not raw.endswith((b"\n", b"\r")))
    return Scan(longest, worst, lines, controls, bare, quote_first)


def check_utf8(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-8, decoded a block at a time (never the whole text at once)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), _BLOCK):
            decoder.decode(view[start : start + _BLOCK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
