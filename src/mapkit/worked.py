"""Where clearance is reported at all: the districts agency reports name as worked, with dates.

Per-district figures are rare; ANAMA's weekly and monthly reports list the districts where work was
done. ``geo/worked_districts.csv`` keeps one row per district named in a report, with the name as
written. A name that is not a current unit (Aghdara) keeps an empty code and is never placed on a
polygon.
"""

from __future__ import annotations

import pandas as pd

from .data import geo_path, read_table
from .errors import MapkitError
from .figures import citation, parse_date, short_citation
from .names import gazetteer

__all__ = ["load_worked"]


def load_worked() -> pd.DataFrame:
    """The districts named as worked in agency reports.

    Returns
    -------
    DataFrame
        Columns ``iso`` (empty for a former district), ``name_as_written``, ``period_start``,
        ``as_of``, ``as_of_date``, ``source_id``, ``source`` (a citation) and ``note``.

    Raises
    ------
    MapkitError
        A row names an unknown code or source, or leaves the code empty for a current unit.
    """
    table = read_table("worked_districts.csv").copy()
    sources = read_table("sources.csv").set_index("source_id")
    gaz = gazetteer()
    for line, row in enumerate(table.itertuples(), start=2):
        where = f"line {line}"
        if row.source_id not in sources.index:
            raise MapkitError(
                f"unknown source_id {row.source_id!r}", geo_path("sources.csv"), where
            )
        if row.iso and row.iso not in gaz.units:
            raise MapkitError(f"unknown code {row.iso!r}", geo_path("worked_districts.csv"), where)
        if not row.iso and not gaz.unplaced(row.name_as_written):
            raise MapkitError(f"{row.name_as_written!r} has no code and is not a former district",
                              geo_path("worked_districts.csv"), where)  # fmt: skip
    table["as_of_date"] = [pd.Timestamp(parse_date(d, end=True)) for d in table.as_of]
    used = sources.loc[table.source_id.unique()]
    table["source"] = table.source_id.map({s: citation(row) for s, row in used.iterrows()})
    table["source_short"] = table.source_id.map(short_citation(used.publisher, used.published))
    return table
