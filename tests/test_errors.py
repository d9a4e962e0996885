"""Bad input, run through the real ``mapkit`` command: one clear line per problem, exit code 2.

:data:`CASES` is the table of bad inputs. Each case writes its input into an empty folder and
returns the command's arguments (paths relative to that folder, where the command runs). The same
table, with what mapkit actually says, is in ``tests/ERRORS.md``; regenerate it with
``MAPKIT_UPDATE_ERRORS=1 .venv/bin/python -m pytest tests/test_errors.py``.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import REPO

HEADER = "area,metric,value,unit,as_of,source"
GOOD_ROW = "Aghdam,cleared_area,5,ha,2025-01-31,ANAMA"
ERRORS_MD = REPO / "tests" / "ERRORS.md"
SECTION = "## Bad input and what mapkit says"
EXIT_INPUT = 2


class Case(NamedTuple):
    """One bad input: its name, what writes it (returning the arguments), what mapkit must say."""

    name: str
    make: Callable[[Path], list[str]]
    message: str
    code: int = EXIT_INPUT  # 0: mapkit repairs the input and warns
    problems: int = 1  # how many "mapkit: error:" (or, for code 0, "warning:") lines
    unprivileged: bool = False  # needs a user whom chmod 000 stops (not root with DAC override)


def build(*extra: str) -> list[str]:
    return ["build", "--out", "atlas", *extra]


def figures(name: str, *rows: str, header: str = HEADER, encoding: str = "utf-8"):
    """A maker of a figures file ``name`` holding ``header`` and ``rows``."""

    def make(folder: Path) -> list[str]:
        text = "".join(f"{line}\n" for line in (header, *rows) if line is not None)
        (folder / name).write_bytes(text.encode(encoding))
        return build("--figures", name)

    return make


def raw_file(name: str, content: bytes, *option: str):
    def make(folder: Path) -> list[str]:
        (folder / name).write_bytes(content)
        return build(*(option or ("--figures",)), name)

    return make


def locked_figures(folder: Path) -> list[str]:
    args = figures("locked.csv", GOOD_ROW)(folder)
    (folder / "locked.csv").chmod(0)
    return args


def a_folder(folder: Path) -> list[str]:
    (folder / "figures").mkdir()
    return build("--figures", "figures")


def _districts(*names: str):
    """The embedded polygons with a ``name`` column (English names; all of them by default)."""
    import geopandas as gpd

    import mapkit

    def plain(iso: str, name: str) -> bool:
        try:
            return mapkit.resolve(name) == iso
        except mapkit.UnknownPlaceError:
            return False

    d = mapkit.load_districts()
    alone = [plain(i, n) for i, n in zip(d.iso, d.name_en, strict=True)]
    d["name"] = d.name_en.where(alone, d.name_en + " " + d.kind)  # Lankaran city, rayon
    if names:
        d = d[d.name.isin(names)]
        assert len(d) == len(names), set(names) - set(d.name)
    return gpd.GeoDataFrame({"name": d.name.values}, geometry=d.geometry.values, crs=4326)


def bow_tie_boundaries(folder: Path) -> list[str]:
    """Aghdam drawn as a self-crossing bow-tie, beside the 76 other districts, valid."""
    import shapely

    frame = _districts()
    x0, y0, x1, y1 = frame.loc[frame.name == "Aghdam", "geometry"].iloc[0].bounds
    bow = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])
    assert not bow.is_valid
    frame.loc[frame.name == "Aghdam", "geometry"] = bow
    assert (~frame.is_valid).sum() == 1
    frame.to_file(folder / "bowtie.geojson", driver="GeoJSON")
    return build("--boundaries", "bowtie.geojson")


def shapefile_without_prj(folder: Path) -> list[str]:
    _districts("Aghdam", "Fuzuli").to_file(folder / "districts.shp")
    (folder / "districts.prj").unlink()
    return build("--boundaries", "districts.shp")


def foreign_boundaries(folder: Path) -> list[str]:
    import geopandas as gpd
    import shapely

    gpd.GeoDataFrame(
        {"name": ["Paris", "Berlin"]},
        geometry=[shapely.box(2, 48, 3, 49), shapely.box(13, 52, 14, 53)],
        crs=4326,
    ).to_file(folder / "europe.geojson", driver="GeoJSON")
    return build("--boundaries", "europe.geojson")


def out_under_a_file(folder: Path) -> list[str]:
    (folder / "notes.txt").write_text("my notes\n", encoding="utf-8")
    return ["build", "--out", "notes.txt/atlas"]


def out_is_a_file(folder: Path) -> list[str]:
    (folder / "atlas").write_text("not a folder\n", encoding="utf-8")
    return ["build", "--out", "atlas"]


CASES: list[Case] = [
    Case("figures file missing", lambda d: build("--figures", "missing.csv"),
         "missing.csv: file not found"),
    Case("figures file unreadable (chmod 000)", locked_figures,
         "locked.csv: cannot be read (permission denied)", unprivileged=True),
    Case("a folder given as the figures file", a_folder,
         "figures: is a folder, not a figures file"),
    Case("empty figures file", raw_file("empty.csv", b""), "empty.csv: the file is empty"),
    Case("header only", figures("header.csv"), "header.csv: has a header but no figures"),
    Case("not UTF-8 (Russian names saved as cp1251)",
         figures("ru.csv", "Агдамский район,cleared_area,5,ha,2025-01-31,АНАМА",
                 encoding="cp1251"),
         "ru.csv: not UTF-8 text"),
    Case("value that is not a number",
         figures("mine.csv", "Aghdam,cleared_area,lots,ha,2025-01-31,ANAMA"),
         "mine.csv, line 2: value 'lots' is not a number"),
    Case("negative value", figures("mine.csv", "Aghdam,cleared_area,-5,ha,2025-01-31,ANAMA"),
         "mine.csv, line 2: value -5 is negative"),
    Case("share over 100 %", figures("mine.csv", "AZ,contaminated_share,120,%,2025-01-31,ANAMA"),
         "mine.csv, line 2: value 120 % is more than 100 %"),
    Case("unknown unit", figures("mine.csv", "Aghdam,cleared_area,5,acres,2025-01-31,ANAMA"),
         "mine.csv, line 2: unknown unit 'acres'"),
    Case("date that does not exist",
         figures("mine.csv", "Aghdam,cleared_area,5,ha,2025-02-30,ANAMA"),
         "mine.csv, line 2: date '2025-02-30' does not exist"),
    Case("period ending before it starts",
         figures("mine.csv", f"{GOOD_ROW},2025-06-01", header=f"{HEADER},period_start"),
         "mine.csv, line 2: period ends (2025-01-31) before it starts (2025-06-01)"),
    Case("unknown place (with suggestions)",
         figures("mine.csv", "Agdham,cleared_area,5,ha,2025-01-31,ANAMA"),
         "mine.csv, line 2: unknown place 'Agdham' (did you mean 'Ağdam'"),
    Case("three bad rows: one line each",
         figures("mine.csv", GOOD_ROW, "Aghdam,cleared,5,ha,2025-01-31,ANAMA", GOOD_ROW,
                 "Aghdam,cleared_area,5,ha,,ANAMA", "Aghdam,cleared_area,5,ha,2025-13-01,ANAMA"),
         "mine.csv, line 3: unknown metric 'cleared'", problems=3),
    Case("missing required column",
         figures("mine.csv", "Aghdam,cleared_area,5,ha,ANAMA",
                 header="area,metric,value,unit,source"),
         "mine.csv: missing column(s) as_of"),
    Case("unsupported file type (.xls)", raw_file("figures.xls", b"\xd0\xcf\x11\xe0"),
         "figures.xls: unsupported file type '.xls'"),
    Case("Excel file that is not one", raw_file("figures.xlsx", b"area,metric\n"),
         "figures.xlsx: cannot be read as a table"),
    Case("--as-of date that does not exist", lambda d: build("--as-of", "2025-02-30"),
         "--as-of: date '2025-02-30' does not exist"),
    # Bugs in figures.py (see the report): line numbers, overflow, duplicate and extra columns.
    Case("blank line before a bad row (line numbers)",
         figures("mine.csv", GOOD_ROW, "", "Aghdam,cleared_area,lots,ha,2025-01-31,ANAMA"),
         "mine.csv, line 4: value 'lots' is not a number"),
    Case("value too large (1e307 km²)",
         figures("mine.csv", GOOD_ROW, "Fuzuli,cleared_area,1e307,km2,2025-01-31,ANAMA"),
         "mine.csv, line 3: value 1e307 km2 is too large"),
    Case("column given twice (area, Area)",
         figures("mine.csv", f"Aghdam,{GOOD_ROW}", header=f"Area,{HEADER}"),
         "mine.csv: column 'area' appears twice"),
    Case("every row has a field more than the header",
         figures("mine.csv", f"{GOOD_ROW},note", f"{GOOD_ROW},note"),
         "mine.csv, line 2: 7 fields, but the header has 6", problems=2),
    Case("boundary file missing", lambda d: build("--boundaries", "nope.geojson"),
         "nope.geojson: file not found"),
    Case("boundary file with no CRS (shapefile without .prj)", shapefile_without_prj,
         "districts.shp: has no coordinate reference system"),
    Case("boundary file that is not a boundary file", raw_file("b.geojson", b"{not json",
                                                               "--boundaries"),
         "b.geojson: cannot be read as boundaries"),
    Case("boundary file with a bow-tie polygon (repaired, not refused)", bow_tie_boundaries,
         "bowtie.geojson: repaired invalid geometry of Aghdam", code=0),
    Case("boundary file with no district of Azerbaijan", foreign_boundaries,
         "europe.geojson: holds no district of Azerbaijan"),
    Case("output folder under a regular file", out_under_a_file,
         "cannot write to notes.txt/atlas: notes.txt is a file, not a folder"),
    Case("output folder is a regular file", out_is_a_file,
         "atlas exists and is not a mapkit build folder"),
]  # fmt: skip


class Outcome(NamedTuple):
    args: list[str]
    code: int
    stderr: str  # paths inside the case's folder made relative
    debug_code: int | None
    debug_stderr: str


def _no_read_override() -> list[str] | None:
    """A command prefix under which chmod 000 stops reading, or None if there is none here."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


def _run(prefix: list[str], args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "mapkit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def _twice(prefix: list[str], args: list[str], cwd: Path, code: int):
    """The command, then (for a case that must fail) the same with ``--debug``."""
    result = _run(prefix, args, cwd)
    return result, _run(prefix, ["--debug", *args], cwd) if code else None


def _relative(text: str, folder: Path) -> str:
    for f in {str(folder), str(folder.resolve())}:
        text = text.replace(f + os.sep, "").replace(f, ".")
    return text


class Runs:
    """Every case run once (and again with ``--debug``), in parallel, each in its own folder."""

    def __init__(self, root: Path):
        self.root = root
        self.outcomes: dict[str, Outcome | str] = {}
        prefix = _no_read_override()
        jobs = {}
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            for number, case in enumerate(CASES):
                folder = root / f"case{number:02d}"
                folder.mkdir()
                args = case.make(folder)
                if case.unprivileged and prefix is None:
                    self.outcomes[case.name] = (
                        "running as root, where chmod 000 does not stop reading, "
                        "and setpriv cannot drop that right here"
                    )
                    continue
                use = prefix if case.unprivileged else []
                jobs[case.name] = (folder, args, pool.submit(_twice, use, args, folder, case.code))
        for name, (folder, args, job) in jobs.items():
            result, debugged = job.result()
            self.outcomes[name] = Outcome(
                args,
                result.returncode,
                _relative(result.stderr, folder),
                debugged.returncode if debugged else None,
                debugged.stderr if debugged else "",
            )

    def __getitem__(self, case: Case) -> Outcome:
        outcome = self.outcomes[case.name]
        if isinstance(outcome, str):
            pytest.skip(outcome)
        return outcome


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return Runs(tmp_path_factory.mktemp("errors"))


def _named(args: list[str]) -> list[str]:
    """What an error line may name: the files and folders given, or the option at fault."""
    names = [a for a in args if a.startswith("--")]
    for option, value in itertools.pairwise(args):
        if option in ("--figures", "--boundaries", "--out"):
            names += [value, Path(value).name]
    return names


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_explained_in_one_line_per_problem(runs: Runs, case: Case) -> None:
    outcome = runs[case]
    lines = outcome.stderr.splitlines()
    assert outcome.code == case.code, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert case.message in outcome.stderr
    assert all(line.startswith("mapkit: ") for line in lines), outcome.stderr
    if case.code:
        problems = [line for line in lines if line.startswith("mapkit: error: ")]
    else:  # repaired: the warnings about the input (a build also warns about its outputs)
        problems = [line for line in lines if case.message in line]
    assert len(problems) == case.problems, outcome.stderr
    names = _named(outcome.args)
    for line in problems:
        assert any(name in line for name in names), f"{line!r} names none of {names}"
        assert len(line) < 1000


FAILING = [c for c in CASES if c.code]


@pytest.mark.parametrize("case", FAILING, ids=[c.name for c in FAILING])
def test_debug_shows_the_traceback(runs: Runs, case: Case) -> None:
    outcome = runs[case]
    assert outcome.debug_code not in (None, 0)
    assert "Traceback (most recent call last)" in outcome.debug_stderr


def test_a_failed_build_writes_nothing(runs: Runs) -> None:
    for number, case in enumerate(CASES):
        outcome = runs.outcomes[case.name]
        if isinstance(outcome, Outcome) and outcome.code != 0:
            folder = runs.root / f"case{number:02d}"
            leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".atlas")]
            assert leftovers == [], case.name
            if case.make is not out_is_a_file:
                assert not (folder / "atlas").exists(), case.name


def test_a_repaired_bow_tie_is_still_mapped(runs: Runs) -> None:
    import json

    number = next(i for i, c in enumerate(CASES) if c.make is bow_tie_boundaries)
    outcome = runs[CASES[number]]
    assert outcome.code == 0
    layer = runs.root / f"case{number:02d}" / "atlas" / "layers" / "districts.geojson"
    features = json.loads(layer.read_text(encoding="utf-8"))["features"]
    aghdam = [f for f in features if f["properties"]["iso"] == "AZ-AGM"]
    assert aghdam and aghdam[0]["properties"]["area_km2"] > 0


# ERRORS.md ----------------------------------------------------------------------------------


def _cell(text: str) -> str:
    text = text.replace("|", "\\|")
    return text if len(text) <= 300 else text[:297] + "…"


def _said(outcome: Outcome) -> str:
    if "Traceback" in outcome.stderr:
        last = outcome.stderr.strip().splitlines()[-1]
        return f"*a traceback, ending* `{_cell(last)}`"
    return "<br>".join(f"`{_cell(line)}`" for line in outcome.stderr.strip().splitlines())


def errors_section(runs: Runs) -> str:
    rows = [
        SECTION,
        "",
        "Each bad input below was run through the real command, in a folder holding only that "
        "input; paths are shown relative to it. Exit code 2 means an input problem; 0 means "
        "mapkit repaired the input and said what it did. `--debug` adds the traceback.",
        "",
        "| Bad input | Command | Exit | What mapkit says (stderr) |",
        "| --- | --- | --- | --- |",
    ]
    for case in CASES:
        outcome = runs.outcomes[case.name]
        if isinstance(outcome, str):
            pytest.skip(f"{case.name}: {outcome}")
        command = "mapkit " + " ".join(outcome.args)
        rows.append(
            f"| {_cell(case.name)} | `{_cell(command)}` | {outcome.code} | {_said(outcome)} |"
        )
    return "\n".join(rows) + "\n"


def errors_md(runs: Runs) -> str:
    return (
        "# Errors\n\n"
        "What the `mapkit` command says when its input is wrong. Generated by "
        "`tests/test_errors.py` from its table of cases: do not edit by hand; run\n"
        "`MAPKIT_UPDATE_ERRORS=1 .venv/bin/python -m pytest tests/test_errors.py`.\n\n"
        + errors_section(runs)
    )


def test_errors_md_is_current(runs: Runs) -> None:
    text = errors_md(runs)
    if os.environ.get("MAPKIT_UPDATE_ERRORS"):
        ERRORS_MD.write_text(text, encoding="utf-8")
    current = ERRORS_MD.read_text(encoding="utf-8") if ERRORS_MD.exists() else ""
    assert current == text, (
        "tests/ERRORS.md is out of date: MAPKIT_UPDATE_ERRORS=1 .venv/bin/python -m pytest "
        "tests/test_errors.py"
    )


def test_every_case_has_a_distinct_name() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[^|\n]+", n) for n in names)
