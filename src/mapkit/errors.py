"""Errors that mapkit reports to people: one line each, naming the input and the problem."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "LONGEST",
    "BoundaryError",
    "FiguresError",
    "FiguresRejected",
    "MapkitError",
    "UnknownPlaceError",
    "plural",
    "shown",
]

LONGEST = 900  # characters in one message: a terminal line, never a megabyte


class MapkitError(Exception):
    """A problem with the user's input or environment, explained in one line.

    Parameters
    ----------
    problem : str
        What is wrong, in words a person can act on.
    source : str or Path, optional
        The file (or other input) the problem is in.
    where : str, optional
        The line, row or feature inside ``source`` ("line 4", "feature 12").
    """

    def __init__(self, problem: str, source: str | Path | None = None, where: str | None = None):
        self.problem = problem
        self.source = str(source) if source is not None else None
        self.where = where
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as one line: ``file, line N: problem``."""
        prefix = ", ".join(p for p in (self.source, self.where) if p)
        text = " ".join((f"{prefix}: {self.problem}" if prefix else self.problem).split())
        return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


class FiguresError(MapkitError):
    """A figures file, or a row in it, that cannot be used."""


class BoundaryError(MapkitError):
    """A boundary file that cannot be used."""


class UnknownPlaceError(MapkitError):
    """A place name that matches no district of Azerbaijan.

    Parameters
    ----------
    name : str
        The name as written in the input.
    suggestions : sequence of str
        The closest known names, best first.
    reason : str, optional
        Why the name cannot be placed, when that is known (a former district, an ambiguous name).
    """

    def __init__(
        self,
        name: str,
        suggestions: Sequence[str] = (),
        reason: str | None = None,
        source: str | Path | None = None,
        where: str | None = None,
    ):
        self.name = name
        self.suggestions = list(suggestions)
        problem = reason or f"unknown place {name!r}"
        if self.suggestions:
            problem += f" (did you mean {', '.join(repr(s) for s in self.suggestions)}?)"
        super().__init__(problem, source, where)


class FiguresRejected(MapkitError):
    """Some rows of one or more figures files were rejected; each is listed.

    Parameters
    ----------
    errors : sequence of MapkitError
        One error per rejected row, each naming its file and line.
    """

    def __init__(self, errors: Sequence[MapkitError]):
        self.errors = list(errors)
        first = self.errors[0].one_line() if self.errors else "no rows"
        more = len(self.errors) - 1
        more = f" (and {plural(more, 'more rejected row')})" if more else ""
        super().__init__(first + more)

    def lines(self) -> list[str]:
        """One line per rejected row."""
        return [e.one_line() for e in self.errors]


_INVISIBLE = {i: f"\\x{i:02x}" for i in (*range(0x20), *range(0x7F, 0xA0))}


def shown(text: object, limit: int = 80, *, quoted: bool = True) -> str:
    """``text`` quoted for a message: control characters made visible (``'ANAMA\\x00report'``),
    long text cut with ``…``."""
    text = str(text)
    cut = text[:limit] + "…" if len(text) > limit else text
    visible = repr(cut.translate(_INVISIBLE)).replace("\\\\x", "\\x")
    return visible if quoted else visible[1:-1]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 row``, ``2 rows``: a count with its noun in the right number."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
