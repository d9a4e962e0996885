"""The notebooks in notebooks/ run from top to bottom and show what a reader would check.

Each notebook is executed with nbclient in a fresh kernel, from the notebooks folder (as Jupyter
runs it). A cell that raises fails the test; so does a notebook whose outputs lack the values a
reader would look for. The notebooks are kept in git without outputs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import REPO, shared
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = REPO / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
GEOBOUNDARIES = ("external", "geoboundaries", "geoBoundaries-AZE-ADM2.geojson")

# What a reader checks in each notebook's outputs (text, HTML or SVG).
EXPECTED = {
    "01-figures.ipynb": [
        "azernews-2025-05-20/01",  # the figures table
        "shorter period from the same start",  # a validate finding
        "<svg",  # the national series chart
        "Cleared area, ha",
        "200,321",
    ],
    "02-district-map.ipynb": [
        "37,154",  # Aghdam's cleared area in the joined layer
        "leaflet",  # the folium map
        "Агдамский район",  # the reader's own figures, as written ...
        "Illustrative example (not published)",  # ... and joined to their districts
    ],
    "03-corridors.ipynb": [
        "Horadiz–Aghband railway",
        "Fuzuli → Jabrayil → Zangilan",
        "9,110.40",  # Jabrayil's clearance in 2025
    ],
    "04-your-own-boundaries.ipynb": [
        "lies on Laçın (AZ-LAC, overlap 1.00): matched by geometry",  # the mislabelled polygon
        "covers 14 of 77 units",
        "Dashkasan",  # a figure not on this map, listed
        "37,154",
        "leaflet",
    ],
}
NEEDS_SHARED: dict[str, tuple[str, ...]] = {}  # every notebook runs in a user's clone
TEXT_TYPES = ("text/plain", "text/html", "text/markdown", "image/svg+xml")


def outputs_text(nb: nbformat.NotebookNode) -> str:
    """All the text a reader sees in the notebook's outputs."""
    parts = []
    for cell in nb.cells:
        # a kernel may send one printed line in several stream messages: join them as printed
        parts.append("".join(o.text for o in cell.get("outputs", []) if o.output_type == "stream"))
        for output in cell.get("outputs", []):
            for kind in TEXT_TYPES:
                value = output.get("data", {}).get(kind)
                if value:
                    parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def test_there_are_notebooks() -> None:
    assert {p.name for p in PATHS} >= set(EXPECTED)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_notebook_runs(path: Path) -> None:
    assert path.name in EXPECTED, f"say in EXPECTED what a reader checks in {path.name}"
    if path.name in NEEDS_SHARED:
        shared(*NEEDS_SHARED[path.name])  # skips without ../shared, fails in CI
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed\n{exc}", pytrace=False)
    text = outputs_text(nb)
    missing = [s for s in EXPECTED[path.name] if s not in text]
    assert not missing, f"{path.name}: the outputs do not show {missing}"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_notebook_is_saved_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    kept = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not kept, f"{path.name}: cells {kept} have outputs; clear them before committing"
