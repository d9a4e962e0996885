"""What the static map costs a build: its phases, in CPU seconds (less sensitive to a busy machine).

Run ``.venv/bin/python benchmarks/staticmap.py``: imports matplotlib, draws the map once, writes
``map.png`` and ``map.pdf`` into a temporary folder, and prints each phase's CPU time. Compare the
total with ``python -m mapkit build`` against ``python -c "import geopandas, folium"``
(``benchmarks/run.py``, comparison 1): the static maps are written by every build.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def main() -> None:
    from mapkit.load import assemble

    data = assemble(findings=[])  # the embedded districts and figures; the map shows no findings
    clock = time.process_time
    start = clock()
    import matplotlib
    from matplotlib.figure import Figure  # noqa: F401

    from mapkit.staticmap import DPI, TEXT, draw

    phases = {"import matplotlib": clock() - start}
    with tempfile.TemporaryDirectory() as folder, matplotlib.rc_context(TEXT):
        start = clock()
        fig = draw(data)
        phases["draw (names fitted)"] = clock() - start
        for name in ("map.png", "map.pdf"):
            start = clock()
            fig.savefig(Path(folder) / name, dpi=DPI)
            phases[f"write {name}"] = clock() - start
    for phase, seconds in phases.items():
        print(f"{phase:24} {seconds:6.2f} s")
    print(f"{'total':24} {sum(phases.values()):6.2f} s")


if __name__ == "__main__":
    main()
