"""The static map for reports: ``mapkit map`` and the map.png / map.pdf a build writes.

The files are checked as a reader gets them: the PNG is an A4 page that is not blank, the PDF's
text (read back with poppler's ``pdftotext``) holds the title, legend unit, the sources and the
district names in the chosen language, and the SVG keeps its words as text.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from test_cli import mapkit

from mapkit import load_districts, load_figures
from mapkit.staticmap import shown

LANGS = {
    "en": ("Landmine contamination and clearance in Azerbaijan", "Unit: ha", "Aghdam", "Sources"),
    "az": ("Azərbaycanda mina çirklənməsi", "Ölçü vahidi: ha", "Ağdam", "Mənbələr"),
    "ru": ("Минное загрязнение и разминирование", "Единица измерения: га", "Агдам", "Источники"),
}


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install -y poppler-utils)")
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                            text=True, check=True)  # fmt: skip
    return " ".join(result.stdout.split())


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The PDF map in each language, drawn by the command."""
    folder = tmp_path_factory.mktemp("maps")
    out = {}
    for lang in LANGS:
        out[lang] = folder / f"map-{lang}.pdf"
        result = mapkit("map", "--out", str(out[lang]), "--lang", lang)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"mapkit: wrote {out[lang]}"
    return out


@pytest.mark.parametrize("lang", list(LANGS))
def test_pdf_text_has_title_unit_sources_and_district_names(
    maps: dict[str, Path], lang: str
) -> None:
    text = pdf_text(maps[lang])
    for expected in LANGS[lang]:
        assert expected in text, (lang, expected)
    what = shown(load_districts(), load_figures(), None, lang)
    for url in set(what.figures.url) - {""}:
        assert url.split("//")[1][:25] in text.replace(" ", "")


def test_the_sources_block_lists_every_source_of_the_shown_figures(maps: dict[str, Path]) -> None:
    text = pdf_text(maps["en"])
    what = shown(load_districts(), load_figures(), None, "en")
    assert len(what.figures) == int(what.values.notna().sum()) > 0
    for publisher in set(what.figures.publisher):
        assert publisher in text
    assert "No published figure (not zero)" in text
    assert "under construction" in text and "planned" in text


def test_build_writes_a_png_and_a_pdf_map_beside_the_atlas(atlas_dir: Path) -> None:
    from PIL import Image

    png = atlas_dir / "map.png"
    assert (atlas_dir / "map.pdf").stat().st_size > 10_000
    with Image.open(png) as image:
        width, height = image.size
        pixels = np.asarray(image.convert("L"), dtype=float)
    assert (width, height) == (1753, 1240)  # A4 landscape at 150 dpi
    assert pixels.std() > 20  # not blank: a map, not a white or single-colour page
    assert (pixels < 250).mean() > 0.3
    assert "Aghdam" in pdf_text(atlas_dir / "map.pdf")


def test_svg_keeps_its_words_as_text_and_metric_is_chosen(tmp_path: Path) -> None:
    out = tmp_path / "items.svg"
    result = mapkit("map", "--out", str(out), "--metric", "items_found", "--lang", "az",
                    "--no-corridors")  # fmt: skip
    assert result.returncode == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert "Aşkar edilmiş mina və partlamamış hərbi sursatlar" in svg
    assert "Ağdam" in svg and "<text" in svg
    assert "Nəqliyyat dəhlizləri" not in svg


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "map.jpg"], "map.jpg: cannot write a map as .jpg; end --out with .png"),
        (["--out", "map"], "cannot write a map as a file without extension"),
        (["--out", "m.png", "--metric", "nope"], "unknown metric 'nope': choose --metric from"),
        (["--out", "m.png", "--metric", "spending"], "no district figures of metric 'spending'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = mapkit("map", *args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_national_figures_only_give_a_grey_map_not_a_failed_build(tmp_path: Path) -> None:
    figures = tmp_path / "national.csv"
    rows = "area,metric,value,unit,as_of,source\nAZ,cleared_area,100,ha,2024-01-01,A test source\n"
    figures.write_text(rows, encoding="utf-8")
    out = tmp_path / "atlas"
    result = mapkit("build", "--out", str(out), "--only", "--figures", str(figures))
    assert result.returncode == 0, result.stderr
    text = pdf_text(out / "map.pdf")
    assert "No figures of single districts" in text and "No published figure (not zero)" in text
    assert "Aghdam" in text and "Unit:" not in text
