"""Write the metric and unit vocabulary table into README.md (between its two markers).

Run from the repository root: ``.venv/bin/python geo/vocabulary_table.py``. The table comes from
``geo/metrics.csv`` and ``geo/units.csv``
(:func:`mapkit.vocabulary_docs.markdown`); a test fails when
the README's copy is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mapkit.vocabulary_docs import END, START, markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def main() -> int:
    """Replace the README's vocabulary block with a fresh one."""
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"vocabulary_table: {README} has no vocabulary markers", file=sys.stderr)
        return 1
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    README.write_text(before + markdown() + after, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
