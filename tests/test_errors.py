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


def listed(name: str, *rows: str, header: str = HEADER, options: tuple[str, ...] = ()):
    """A maker of a figures file ``name``, printed by ``mapkit figures`` (nothing is built)."""

    def make(folder: Path) -> list[str]:
        figures(name, *rows, header=header)(folder)
        return ["figures", "--only", *options, "--figures", name]

    return make


def one_line_file(folder: Path) -> list[str]:
    (folder / "line.csv").write_text("a," * 500_000 + "\n", encoding="utf-8")  # 1 MB, one line
    return build("--figures", "line.csv")


def forty_thousand_columns(folder: Path) -> list[str]:
    extra = ",".join(f"c{k}" for k in range(40_000))
    return figures("wide.csv", f"{GOOD_ROW}{',' * 40_000}", header=f"{HEADER},{extra}")(folder)


def fifty_megabyte_cell(folder: Path) -> list[str]:
    return figures("big.csv", f"{GOOD_ROW},{'x' * 50_000_000}", header=f"{HEADER},note")(folder)


def _xlsx(path: Path, sheet: Callable[[object], None], shared: Callable[[object], None] | None):
    """A minimal workbook written part by part (``sheet``, ``shared`` write their XML)."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet '
        'name="Figures" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        f'Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<worksheet xmlns="{main}">'.encode())
            sheet(out)
            out.write(b"</worksheet>")
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<sst xmlns="{main}">'.encode())
            if shared:
                shared(out)
            out.write(b"</sst>")


def _header_row() -> bytes:
    cells = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip("ABCDEF", HEADER.split(","), strict=True)
    )
    return f'<row r="1">{cells}</row>'.encode()


def xlsx_to_column_xfd(folder: Path) -> list[str]:
    """1,000,000 rows, each with a cell in the last column Excel has (XFD)."""

    def sheet(out) -> None:
        out.write(b'<dimension ref="A1:XFD1000000"/><sheetData>' + _header_row())
        for start in range(2, 1_000_001, 10_000):
            out.write("".join(
                f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Aghdam</t></is></c>'
                f'<c r="XFD{r}"><v>1</v></c></row>' for r in range(start, start + 10_000)
            ).encode())  # fmt: skip
        out.write(b"</sheetData>")

    _xlsx(folder / "wide.xlsx", sheet, None)
    return build("--figures", "wide.xlsx")


def xlsx_with_a_gib_cell(folder: Path) -> list[str]:
    """A workbook of about 1 MB whose one text cell expands to 1 GiB."""

    def sheet(out) -> None:
        out.write(b"<sheetData>" + _header_row())
        out.write(b'<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>')

    def shared(out) -> None:
        out.write(b"<si><t>")
        for _ in range(1024):
            out.write(b"x" * 2**20)
        out.write(b"</t></si>")

    _xlsx(folder / "bomb.xlsx", sheet, shared)
    return build("--figures", "bomb.xlsx")


def _book(folder: Path, name: str, sheets: dict[str, list[list[object]]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for values in rows:
            sheet.append(values)
    book.save(folder / name)


def readme_only_workbook(folder: Path) -> list[str]:
    _book(folder, "notes.xlsx", {"README": [["Fill the sheet Figures"]], "Summary": [["x", 1]]})
    return build("--figures", "notes.xlsx")


def readme_then_figures(folder: Path) -> list[str]:
    _book(folder, "mine.xlsx", {"README": [["Fill the sheet Figures"]],
                                "Figures": [HEADER.split(","), GOOD_ROW.split(",")]})  # fmt: skip
    return ["figures", "--only", "--figures", "mine.xlsx"]


def formula_without_value(folder: Path) -> list[str]:
    row = GOOD_ROW.split(",")
    row[2] = "=2+3"  # openpyxl saves the formula, not its value (as Excel would)
    _book(folder, "sums.xlsx", {"Figures": [HEADER.split(","), row]})
    return build("--figures", "sums.xlsx")


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
    # Issues 18, 19 and 14: files as people and spreadsheets write them; bounded work.
    Case("value that reads two ways (37.154)",
         figures("mine.csv", "Aghdam,cleared_area,37.154,ha,2025-05-20,Azernews"),
         "mine.csv, line 2: value '37.154' is 37.154 with a decimal point but 37154 with a "
         "decimal comma (the file shows no convention); give --decimal point or --decimal comma"),
    Case("values with both decimal conventions (12.5, 0,5, 1,250)",
         figures("mine.csv", "Aghdam,cleared_area,12.5,ha,2025-05-20,A",
                 'Fuzuli,cleared_area,"0,5",ha,2025-05-20,A',
                 'Tartar,cleared_area,"1,250",ha,2025-05-20,A'),
         "mine.csv, line 4: value '1,250' is 1250 with a decimal point but 1.25 with a decimal "
         "comma (the file has both '12.5' and '0,5')"),
    Case("a 1 MB file on one line", one_line_file,
         "line.csv: the header has 500,001 columns, more than a figures file's 1,000"),
    Case("40,000 columns", forty_thousand_columns,
         "wide.csv: the header has 40,006 columns, more than a figures file's 1,000"),
    Case("a 50 MB cell in a CSV file", fifty_megabyte_cell,
         "big.csv: line 2 is 50,000,042 bytes long, more than a figures file's 1,000,000"),
    Case("XLSX whose 1,000,000 rows reach column XFD", xlsx_to_column_xfd,
         "wide.xlsx, sheet 'Figures': the sheet has 1,000,000 rows (A1:XFD1000000), more than "
         "a figures sheet's 200,000"),
    Case("XLSX of 1 MB expanding to a 1 GiB cell", xlsx_with_a_gib_cell,
         "bomb.xlsx: xl/sharedStrings.xml expands to 1,073,741,"),
    Case("workbook with no sheet of figures", readme_only_workbook,
         "notes.xlsx: no sheet has the figure columns (area, metric, value, unit, as_of, source): "
         "sheets 'README', 'Summary'"),
    Case("workbook with a README sheet before the figures (read, README named)",
         readme_then_figures, "mine.xlsx: skipped 1 sheet without the figure columns: 'README'",
         code=0),
    Case("formula cell with no saved value", formula_without_value,
         "sums.xlsx, line 2: value is a formula with no saved value: open and save it in Excel"),
    Case("NUL in a header",
         figures("mine.csv", GOOD_ROW, header=HEADER.replace("metric", "met\0ric")),
         "mine.csv: missing column(s) metric (is 'met\\x00ric' the metric? name that column "
         "metric)"),
    Case("a column named district", figures("mine.csv", GOOD_ROW,
                                            header=HEADER.replace("area", "district")),
         "mine.csv: missing column(s) area (is 'district' the area? name that column area)"),
    Case("metric written with a space (cleared area)",
         figures("mine.csv", "Aghdam,cleared area,5,ha,2025-01-31,ANAMA"),
         "mine.csv, line 2: unknown metric 'cleared area' (did you mean 'cleared_area'?)"),
    Case("date in the future", figures("mine.csv", "Aghdam,cleared_area,5,ha,2030-06-01,ANAMA"),
         "mine.csv, line 2: date '2030-06-01' is in the future"),
    Case("date that reads two ways (05/06/2025)",
         figures("mine.csv", "Aghdam,cleared_area,5,ha,05/06/2025,ANAMA"),
         "mine.csv, line 2: date '05/06/2025' is ambiguous: 5 June or 6 May; write it as "
         "YYYY-MM-DD"),
    Case("text cell with a NUL (cleaned, said)",
         listed("mine.csv", "Aghdam,cleared_area,5,ha,2025-01-31,ANAMA\0report"),
         "mine.csv: removed control characters from 1 cell (first: line 2, source "
         "'ANAMA\\x00report')", code=0),
    Case("--skip-bad-rows: each skipped row said with its line",
         listed("mine.csv", GOOD_ROW, "Aghdam,cleared_area,lots,ha,2025-01-31,ANAMA",
                options=("--skip-bad-rows",)),
         "mine.csv, line 3: value 'lots' is not a number; row skipped", code=0),
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


def test_the_api_refuses_what_it_cannot_use_with_a_mapkit_error(tmp_path: Path) -> None:
    """Issue 12: these were ValueErrors, which a notebook cannot tell from a bug in mapkit."""
    import geopandas as gpd
    import pandas as pd

    import mapkit

    figures = mapkit.load_figures()
    calls = {
        "unknown format 'kml'": lambda: mapkit.write_layers({}, figures, tmp_path, ("kml",)),
        "no figures to map": lambda: mapkit.atlas(figures=figures.iloc[:0]),
        "segments lacks the column(s)": lambda: mapkit.crossings(
            gpd.GeoDataFrame(pd.DataFrame({"id": []}), geometry=[]), mapkit.load_districts()
        ),
    }
    for message, call in calls.items():
        with pytest.raises(mapkit.MapkitError, match=re.escape(message)):
            call()
