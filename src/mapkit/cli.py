"""The ``mapkit`` command: a thin layer over the functions the notebooks call.

Input problems end in one line per problem on stderr and exit code 2, with no traceback unless
``--debug`` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from .errors import FiguresRejected, MapkitError, MapkitWarning, plural
from .i18n import LANGUAGES
from .layers import SWITCHES
from .names import visible

__all__ = ["EXIT_INPUT", "SHOWN_ERRORS", "as_flag", "main", "parser"]

EXIT_INPUT = 2
SHOWN_ERRORS = 50  # rejected rows listed one by one; the rest are counted
_FLAGS = {"files": "--figures", "layer": "--layer NAME"}  # where a flag is not the API's name


def as_flag(name: str, value: str | bool | None) -> str:
    """An option named in a library message as this command spells it: ``--as-of``,
    ``--force``, ``--decimal point``, ``--layer NAME`` (see :func:`mapkit.errors.option`)."""
    flag = _FLAGS.get(name, "--" + name.replace("_", "-"))
    return flag if value is None or value is True else f"{flag.split()[0]} {value}"


def _figure_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--figures",
        action="append",
        default=[],
        metavar="FILE",
        help="a figures file (CSV or .xlsx) to merge; repeatable",
    )
    parser.add_argument(
        "--only", action="store_true", help="use only the --figures files, not the embedded dataset"
    )
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help="use, for each place and metric, the latest figure on or before DATE",
    )
    parser.add_argument(
        "--decimal",
        choices=("point", "comma"),
        help="the decimal separator of the --figures files (default: inferred from each file; "
        "a value like 1.250 that reads two ways is refused when a file does not show it)",
    )
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="leave out rejected rows of the --figures files, each reported with its line "
        "(default: one bad row stops everything)",
    )


def _boundary_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--boundaries",
        metavar="FILE",
        help="a boundary file (GeoJSON, GeoPackage, shapefile, FlatGeobuf)",
    )
    parser.add_argument("--name-field", metavar="FIELD", help="the field holding district names")
    parser.add_argument("--layer", metavar="LAYER", help="the layer to read from a GeoPackage")


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a folder mapkit did not make, overwriting its files (never an input)",
    )


def _formats(text: str) -> tuple[str, ...]:
    from .export import FORMATS

    chosen = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or text!r} (choose from {', '.join(FORMATS)})"
        )
    return chosen


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``mapkit`` command."""
    top = argparse.ArgumentParser(
        prog="mapkit",
        description="Cited landmine contamination and clearance figures for Azerbaijan: "
        "an offline atlas and GIS layers.",
    )
    top.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", help="build the atlas (index.html) and its layers")
    build.add_argument("--out", default="atlas", metavar="DIR", help="output folder (atlas/)")
    _figure_options(build)
    _boundary_options(build)
    _layer_switches(build)
    build.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language the atlas opens in (en)"
    )
    _force_option(build)
    build.add_argument(
        "--strict",
        action="store_true",
        help="refuse a figure whose district has no polygon in --boundaries",
    )

    figures = sub.add_parser("figures", help="print the figures dataset, one row per figure")
    figures.add_argument("--format", choices=("csv", "json"), default="csv")
    figures.add_argument(
        "--template", action="store_true", help="print a figures CSV to start from, and exit"
    )
    _figure_options(figures)

    validate = sub.add_parser("validate", help="check the figures for errors and contradictions")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    _figure_options(validate)

    export = sub.add_parser("export", help="write the GIS layers in one format")
    export.add_argument(
        "--format",
        type=_formats,
        required=True,
        metavar="FORMATS",
        help="one or more of geojson, gpkg, shp, csv, comma-separated",
    )
    export.add_argument("--out", default="layers", metavar="DIR", help="output folder (layers/)")
    _force_option(export)
    _figure_options(export)
    _boundary_options(export)

    static = sub.add_parser("map", help="draw the static map (PNG, SVG or PDF) for reports")
    static.add_argument("--out", required=True, metavar="FILE", help="map.png, map.svg or map.pdf")
    static.add_argument("--metric", metavar="METRIC", help="the metric to show (geo/metrics.csv)")
    static.add_argument("--lang", choices=LANGUAGES, default="en", help="language (en)")
    _layer_switches(static)
    _figure_options(static)
    _boundary_options(static)
    extract = sub.add_parser(
        "extract", help="propose figure rows from the text of a statement, for a person to check"
    )
    extract.add_argument("article", nargs="?", default="-", help="a plain-text article (- : stdin)")
    extract.add_argument("--published", metavar="YYYY-MM-DD", help="the publication date")
    extract.add_argument("--source", default="", help='the citation ("Publisher, title")')
    extract.add_argument("--url", default="", help="the article's address")
    extract.add_argument("--format", choices=("csv", "json"), default="csv")
    extract.add_argument("--out", metavar="FILE", help="write the rows here (default: stdout)")

    boundaries = sub.add_parser("boundaries", help="fetch boundary files into the local cache")
    actions = boundaries.add_subparsers(dest="action", required=True, metavar="ACTION")
    fetch = actions.add_parser("fetch", help="download a boundary set, then use it offline")
    fetch.add_argument("source", help="where from: geoboundaries")
    fetch.add_argument("iso3", help="country, ISO 3166-1 alpha-3 (AZE)")
    fetch.add_argument("level", help="ADM0, ADM1 or ADM2")
    fetch.add_argument("--api", default=None, metavar="URL", help="the API's base URL")
    fetch.add_argument("--cache-dir", default=None, metavar="DIR", help="cache folder")
    check = actions.add_parser("check", help="show how each feature of a file is matched")
    check.add_argument("file", help="a boundary file (GeoJSON, GeoPackage, shapefile, zip)")
    check.add_argument("--name-field", metavar="FIELD", help="the field holding district names")
    check.add_argument("--layer", metavar="LAYER", help="the layer to read from a GeoPackage")
    check.add_argument("--format", choices=("text", "json"), default="text")
    return top


def _layer_switches(parser: argparse.ArgumentParser) -> None:
    """``--no-corridors`` (``args.corridors`` False) and any other switch of the layer table."""
    for on in SWITCHES:
        parser.add_argument(f"--no-{on}", dest=on, action="store_false", help=f"leave out the {on}")


def _inputs(args: argparse.Namespace, formats: tuple[str, ...] | None = None):
    from .build import Inputs

    inputs = Inputs(
        figures=args.figures,
        only=args.only,
        as_of=args.as_of,
        boundaries=getattr(args, "boundaries", None),
        name_field=getattr(args, "name_field", None),
        layer=getattr(args, "layer", None),
        **{on: getattr(args, on, True) for on in SWITCHES},
        strict=getattr(args, "strict", False),
        language=getattr(args, "lang", "en"),
    )
    if formats:
        inputs.formats = formats
    return inputs


def _build(args: argparse.Namespace) -> int:
    """Validate the figures (errors stop the build, as ``validate`` would), build, say what."""
    from .build import build
    from .figures import load_figures
    from .load import load_atlas
    from .progress import shown
    from .regionmap import is_region_map
    from .validate import validate

    inputs = _inputs(args)
    figures = load_figures(inputs.figures, only=inputs.only, as_of=inputs.as_of)
    findings = validate(figures)
    errors = [f for f in findings if f.level == "error"]
    for finding in errors:
        print(f"mapkit: error: [{finding.kind}] {finding.message}", file=sys.stderr)
    if errors:
        print(f"mapkit: {plural(len(errors), 'error')} (mapkit validate); nothing was built",
              file=sys.stderr)  # fmt: skip
        return EXIT_INPUT
    inputs.read = (figures, findings)
    with shown("mapkit build", stages=6):
        data = load_atlas(inputs)
        out = build(args.out, inputs, force=args.force, data=data)
    as_of = [c for c in data.joined.columns if c.endswith("_as_of")]  # one a series drawn
    coloured = int(data.joined[as_of].ne("").any(axis=1).sum())
    unit = "region" if is_region_map(data.districts) else "district"
    print(
        f"mapkit: {plural(len(figures), 'figure')}, {plural(coloured, unit)} coloured, "
        f"{plural(len(findings), 'warning')} (mapkit validate) → {out / 'index.html'} "
        "(open it in a browser); layers in " + str(out / "layers")
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        return _build(args)
    if args.command == "figures" and args.template:
        from .vocabulary_docs import template_csv

        sys.stdout.write(template_csv())
        return 0
    if args.command == "figures":
        from .export import figures_table
        from .figures import load_figures

        table = figures_table(load_figures(args.figures, only=args.only, as_of=args.as_of))
        if args.format == "csv":
            from .formulas import neutralise_table

            neutralise_table(table).to_csv(sys.stdout, index=False)
        else:
            json.dump(table.to_dict("records"), sys.stdout, ensure_ascii=False, indent=1)
            print()
        return 0
    if args.command == "validate":
        from .validate import report, validate_files

        findings = validate_files(args.figures, only=args.only, as_of=args.as_of, namer=as_flag)
        print(report(findings, args.format))
        return 1 if any(f.level == "error" for f in findings) else 0
    if args.command == "export":
        from .build import export

        for path in export(args.out, _inputs(args, args.format), force=args.force):
            print(path)
        return 0
    if args.command == "boundaries" and args.action == "check":
        from .boundaries import check_boundaries, match_report

        table = check_boundaries(args.file, name_field=args.name_field, layer=args.layer)
        print(match_report(table, args.format))
        return 0
    if args.command == "map":
        return _map(args)
    if args.command == "extract":
        return _extract(args)
    if args.command == "boundaries":
        from .fetch import API, fetch_boundaries

        where, cache = (args.source, args.iso3, args.level), args.cache_dir
        print(fetch_boundaries(*where, api=args.api or API, cache_dir=cache and Path(cache)))
        return 0
    raise AssertionError(args.command)


def _run_with_options(args: argparse.Namespace) -> int:
    from .figures import Options, reading

    options = Options(getattr(args, "decimal", None), getattr(args, "skip_bad_rows", False))
    with reading(options):
        return _run(args)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises no second Broken pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _map(args: argparse.Namespace) -> int:
    from .load import load_atlas
    from .staticmap import check_output, write_static_maps

    out = check_output(args.out)
    data = load_atlas(_inputs(args), findings=False)  # as build reads them (regions too)
    boundaries = Path(args.boundaries).name if args.boundaries else None
    write_static_maps(out.parent, data, names=(out.name,), metric=args.metric, lang=args.lang,
                      as_of=args.as_of, boundaries=boundaries)  # fmt: skip
    print(f"mapkit: wrote {out}")
    return 0


def _extract(args: argparse.Namespace) -> int:
    from .extract import UNSURE, extract, read_article

    stdin = args.article == "-"
    text = read_article(None if stdin else args.article, sys.stdin.buffer.read() if stdin else None)
    rows = extract(text, published=args.published, source=args.source, url=args.url)
    out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout  # noqa: SIM115
    try:
        if args.format == "csv":
            rows.to_csv(out, index=False)
        else:
            json.dump(rows.to_dict("records"), out, ensure_ascii=False, indent=1)
            print(file=out)
    finally:
        if args.out:
            out.close()
    unsure = int((rows.confidence < UNSURE).sum())
    print(
        f"mapkit: {len(rows)} figure row{'s' if len(rows) != 1 else ''} proposed"
        f"{f', {unsure} marked check' if unsure else ''}; check them before mapkit build --figures",
        file=sys.stderr,
    )
    for column, what in (("source", "--source"), ("as_of", "--published")):
        if len(rows) and (rows[column] == "").any():
            print(f"mapkit: warning: no {column} for some rows: give {what}", file=sys.stderr)
    return 0


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    text = message.one_line(as_flag) if isinstance(message, MapkitWarning) else str(message)
    print(f"mapkit: warning: {visible(text)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``mapkit`` command; return its exit code."""
    args = parser().parse_args(argv)
    if not args.debug:
        warnings.showwarning = _show_warning
    from .outdir import Terminated, stop_on_sigterm

    stop_on_sigterm()
    try:
        return _run_with_options(args)
    except BrokenPipeError:  # `mapkit figures | head`: the reader has all it wants
        _quiet_stdout()
        return 0
    except FiguresRejected as exc:
        if args.debug:
            raise
        lines = exc.lines(as_flag)
        for line in lines[:SHOWN_ERRORS]:
            print(f"mapkit: error: {visible(line)}", file=sys.stderr)
        if len(lines) > SHOWN_ERRORS:
            more = plural(len(lines) - SHOWN_ERRORS, "more row")
            print(f"mapkit: error: … and {more} with problems", file=sys.stderr)
        rows = plural(len(exc.errors), "row")
        print(f"mapkit: {rows} rejected; nothing was written", file=sys.stderr)
        return EXIT_INPUT
    except MapkitError as exc:
        if args.debug:
            raise
        print(f"mapkit: error: {visible(exc.one_line(as_flag))}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"mapkit: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(f"mapkit: {what}; earlier output left as it was", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130


if __name__ == "__main__":
    sys.exit(main())
