"""How long matching a boundary file by geometry takes, on the real files a user would bring.

Run ``.venv/bin/python benchmarks/boundaries.py [FILE ...]`` (default: the geoBoundaries ADM2 and
ADM1 files and Natural Earth admin-1 in ``../shared/external``). For each file it reports the
median of five runs of :func:`mapkit.check_boundaries` (read, check coordinates, match every
feature by code or name and by overlap with the reference districts), and of the overlap
computation alone (:func:`mapkit.geomatch.overlaps`), after one warm-up run.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd

import mapkit
from mapkit import geomatch

SHARED = Path(__file__).resolve().parents[2] / "shared" / "external"
FILES = [
    SHARED / "geoboundaries" / "geoBoundaries-AZE-ADM2.geojson",
    SHARED / "geoboundaries" / "geoBoundaries-AZE-ADM1_simplified.geojson",
    SHARED / "naturalearth" / "ne_10m_admin_1_AZE.geojson",
]
RUNS = 5


def median_seconds(work: object) -> float:
    work()  # warm-up: the reference districts are read and simplified once per process
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(paths: list[Path]) -> None:
    print("| file | features | check_boundaries (s) | overlaps alone (s) |")
    print("| --- | ---: | ---: | ---: |")
    warnings.simplefilter("ignore")
    for path in paths:
        frame = gpd.read_file(path)
        whole = median_seconds(lambda p=path: mapkit.check_boundaries(p))
        overlap = median_seconds(lambda f=frame: geomatch.overlaps(f.geometry))
        print(f"| {path.name} | {len(frame)} | {whole:.3f} | {overlap:.3f} |")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or FILES)
