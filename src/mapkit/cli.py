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

from .errors import FiguresRejected, MapkitError

EXIT_INPUT = 2


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


def _boundary_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--boundaries",
        metavar="FILE",
        help="a boundary file (GeoJSON, GeoPackage, shapefile, FlatGeobuf)",
    )
    parser.add_argument("--name-field", metavar="FIELD", help="the field holding district names")
    parser.add_argument("--layer", metavar="LAYER", help="the layer to read from a GeoPackage")


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
    build.add_argument("--no-corridors", action="store_true", help="leave out the corridors")

    figures = sub.add_parser("figures", help="print the figures dataset, one row per figure")
    figures.add_argument("--format", choices=("csv", "json"), default="csv")
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
    _figure_options(export)
    _boundary_options(export)

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
    return top


def _inputs(args: argparse.Namespace, formats: tuple[str, ...] | None = None):
    from .build import Inputs

    inputs = Inputs(
        figures=args.figures,
        only=args.only,
        as_of=args.as_of,
        boundaries=getattr(args, "boundaries", None),
        name_field=getattr(args, "name_field", None),
        layer=getattr(args, "layer", None),
        corridors=not getattr(args, "no_corridors", False),
    )
    if formats:
        inputs.formats = formats
    return inputs


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        from .build import build

        out = build(args.out, _inputs(args))
        print(f"mapkit: wrote {out / 'index.html'} and {out / 'layers'}")
        return 0
    if args.command == "figures":
        from .export import figures_table
        from .figures import load_figures

        table = figures_table(load_figures(args.figures, only=args.only, as_of=args.as_of))
        if args.format == "csv":
            table.to_csv(sys.stdout, index=False)
        else:
            json.dump(table.to_dict("records"), sys.stdout, ensure_ascii=False, indent=1)
            print()
        return 0
    if args.command == "validate":
        from .validate import report, validate_files

        findings = validate_files(args.figures, only=args.only, as_of=args.as_of)
        print(report(findings, args.format))
        return 1 if any(f.level == "error" for f in findings) else 0
    if args.command == "export":
        from .build import layers
        from .export import write_layers

        found, figures, _ = layers(_inputs(args))
        for path in write_layers(found, figures, args.out, args.format):
            print(path)
        return 0
    if args.command == "extract":
        return _extract(args)
    if args.command == "boundaries":
        from .fetch import API, fetch_boundaries

        path = fetch_boundaries(
            args.source,
            args.iso3,
            args.level,
            api=args.api or API,
            cache_dir=Path(args.cache_dir) if args.cache_dir else None,
        )
        print(path)
        return 0
    raise AssertionError(args.command)


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
    print(f"mapkit: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``mapkit`` command; return its exit code."""
    args = parser().parse_args(argv)
    if not args.debug:
        warnings.showwarning = _show_warning
    try:
        return _run(args)
    except FiguresRejected as exc:
        if args.debug:
            raise
        for line in exc.lines():
            print(f"mapkit: error: {line}", file=sys.stderr)
        rows = f"{len(exc.errors)} row{'s' if len(exc.errors) != 1 else ''}"
        print(f"mapkit: {rows} rejected; nothing was written", file=sys.stderr)
        return EXIT_INPUT
    except MapkitError as exc:
        if args.debug:
            raise
        print(f"mapkit: error: {exc.one_line()}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"mapkit: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("mapkit: interrupted; earlier output left as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
