"""Errors that mapkit reports to people: one line each, naming the input and the problem.

A message that tells the reader which option to set names it with :func:`option`: a notebook
reads it as the API's argument (`as_of`), the ``mapkit`` command shows its own flag (--as-of).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = [
    "LONGEST",
    "BoundaryError",
    "FiguresError",
    "FiguresRejected",
    "MapkitError",
    "MapkitWarning",
    "OptionNamer",
    "UnknownPlaceError",
    "in_python",
    "option",
    "plural",
    "shown",
    "spoken",
]

LONGEST = 900  # characters in one message: a terminal line, never a megabyte


OptionNamer = Callable[[str, "str | bool | None"], str]
"""How a message names an option: given its name and value, the words shown."""

_OPTION = re.compile("\x1e([a-z_]+)(?:=([^\x1f]*))?\x1f")
_TRUE = "\x1d"


def option(name: str, value: str | bool | None = None) -> str:
    """An option of the API named inside a message, for the reader of the message to spell.

    The library writes ``f"choose another {option('out')}"``; the message reads "choose another
    `out`" from the API (see :func:`in_python`) and "choose another --out" from the ``mapkit``
    command, which spells its own flags. Passed as an :data:`OptionNamer`, it keeps the option
    as it is, for a message built from another.

    Parameters
    ----------
    name : str
        The option's name in the API (``as_of``, ``layer``).
    value : str or True, optional
        The value the message suggests (``True`` for a switch such as ``force``).

    Examples
    --------
    >>> spoken(f"add {option('force', True)} or give {option('decimal', 'comma')}")
    "add `force=True` or give `decimal='comma'`"
    """
    if value is None:
        return f"\x1e{name}\x1f"
    return f"\x1e{name}={_TRUE if value is True else value}\x1f"


def in_python(name: str, value: str | bool | None) -> str:
    """An option as the API spells it, in backticks: `as_of`, `force=True`, `decimal='point'`."""
    if value is None:
        return f"`{name}`"
    return f"`{name}={value!r}`"


def spoken(text: str, namer: OptionNamer = in_python) -> str:
    """``text`` with each :func:`option` in it spelled by ``namer``."""

    def spell(found: re.Match[str]) -> str:
        value = found.group(2)
        return namer(found.group(1), True if value == _TRUE else value)

    return _OPTION.sub(spell, text)


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

    def one_line(self, namer: OptionNamer = in_python) -> str:
        """The message as one line: ``file, line N: problem``, its options spelled by ``namer``."""
        prefix = ", ".join(p for p in (self.source, self.where) if p)
        text = spoken(f"{prefix}: {self.problem}" if prefix else self.problem, namer)
        text = " ".join(text.split())
        return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


class MapkitWarning(UserWarning):
    """Something the user should know; its options are spelled as for :class:`MapkitError`."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(spoken(message))

    def one_line(self, namer: OptionNamer = in_python) -> str:
        """The warning, its options spelled by ``namer``."""
        return spoken(self.message, namer)


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

    def lines(self, namer: OptionNamer = in_python) -> list[str]:
        """One line per rejected row, options spelled by ``namer``."""
        return [e.one_line(namer) for e in self.errors]


_INVISIBLE = {i: f"\\x{i:02x}" for i in (*range(0x20), *range(0x7F, 0xA0))}


def shown(text: object, limit: int = 80, *, quoted: bool = True) -> str:
    """``text`` quoted for a message: control characters made visible (``'ANAMA\\x00report'``),
    long text cut with ``…``.

    Examples
    --------
    >>> print(shown("ANAMA" + chr(0) + "report"), shown("x" * 100, limit=10))
    'ANAMA\\x00report' 'xxxxxxxxxx…'
    """
    text = str(text)
    cut = text[:limit] + "…" if len(text) > limit else text
    visible = repr(cut.translate(_INVISIBLE)).replace("\\\\x", "\\x")
    return visible if quoted else visible[1:-1]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 row``, ``2 rows``: a count with its noun in the right number.

    Examples
    --------
    >>> plural(1, "row"), plural(1200, "entry", "entries")
    ('1 row', '1,200 entries')
    """
    return f"{count:,} {word if count == 1 else many or word + 's'}"
