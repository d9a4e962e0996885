"""An article as mapkit reads it: plain text, an optional header of ``key: value`` lines ended
by ``---`` (publisher, published, title, author, speaker, url), and its sentences with offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MapkitError

__all__ = ["HEADER_KEYS", "MAX_BYTES", "Article", "ExtractError", "read_article"]

MAX_BYTES = 1_000_000  # one article, not a corpus: keeps time and memory bounded
HEADER_KEYS = ("publisher", "published", "title", "author", "speaker", "url")
_HEADER_LINE = re.compile(r"^([a-z_]+):\s*(.*)$")
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])[\"”»’']?\s+(?=[\"“«‘(]?[A-ZА-ЯЁƏÜÖĞŞÇİ0-9$€])"
    r"|(?<=[.!?…][\"”»’'])\s*(?=[A-ZА-ЯЁƏ])"
)
_ABBREVIATION = re.compile(
    r"\b(?:[A-Z]|No|Nr|Dec|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Mr|Ms|Dr|St|approx|vs|etc|г|тыс|млн)\.$"
)


class ExtractError(MapkitError):
    """An article that cannot be read as plain text."""


@dataclass
class Article:
    """The text of an article, where its body starts, and what its header says."""

    text: str
    body_start: int = 0
    header: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Article:
        """Split off a ``key: value`` header ended by a ``---`` line, if the text has one."""
        lines = text.splitlines(keepends=True)
        header: dict[str, str] = {}
        offset = 0
        for line in lines[:20]:
            offset += len(line)
            if line.strip() == "---":
                return cls(text, offset, header)
            match = _HEADER_LINE.match(line.strip())
            if not match:
                break
            value = match.group(2).strip()
            if match.group(1) in HEADER_KEYS and value.lower() not in ("unknown", "n/a", "-"):
                header[match.group(1)] = value
        return cls(text)

    def sentences(self) -> Iterator[tuple[int, int, str, bool]]:
        """Each sentence: its offset in the text, its paragraph number, text, and whether it
        opens its paragraph."""
        offset = self.body_start
        for paragraph, line in enumerate(self.text[self.body_start :].splitlines(keepends=True)):
            start = 0
            pieces = []
            for cut in _SENTENCE_END.finditer(line):
                if _ABBREVIATION.search(line[start : cut.start()]):
                    continue
                pieces.append((start, line[start : cut.start()]))
                start = cut.end()
            pieces.append((start, line[start:].rstrip()))
            for k, (at, sentence) in enumerate(pieces):
                if sentence.strip():
                    yield offset + at, paragraph, sentence, k == 0
            offset += len(line)


def read_article(path: str | Path | None, data: bytes | None = None) -> str:
    """The text of an article file (or of ``data`` read from standard input).

    Raises
    ------
    ExtractError
        The file is missing, empty, not text (binary, not UTF-8) or larger than one article.
    """
    name = str(path) if path is not None else "<stdin>"
    if data is None:
        file = Path(str(path))
        if not file.exists():
            raise ExtractError("file not found", name)
        if file.is_dir():
            raise ExtractError("is a folder: give a plain-text article", name)
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise ExtractError(_too_large(size), name)
        data = file.read_bytes()
    if len(data) > MAX_BYTES:
        raise ExtractError(_too_large(len(data)), name)
    if b"\x00" in data[:65536]:
        raise ExtractError("is a binary file, not plain text: save the article as .txt", name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError(
            f"is not UTF-8 text (byte {exc.start}): save the article as UTF-8 .txt", name
        ) from None
    if not text.strip():
        raise ExtractError("is empty: give the text of an article", name)
    return text


def _too_large(size: int) -> str:
    return (
        f"is too large ({size / 1e6:.1f} MB): extract reads one article "
        f"(at most {MAX_BYTES / 1e6:.0f} MB); split the text"
    )
