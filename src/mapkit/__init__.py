"""mapkit: cited landmine contamination and clearance figures for Azerbaijan, on maps.

The data flows figures → boundaries → join → render → export; each step is one function here,
and the ``mapkit`` command is a thin layer over the same functions.

Examples
--------
>>> import mapkit
>>> figures = mapkit.load_figures()            # cited figures, one row each
>>> districts = mapkit.load_districts()        # 77 districts with ISO 3166-2:AZ codes
>>> layer = mapkit.join(districts, figures)    # each district with its latest figures
>>> m = mapkit.atlas(districts, figures)       # a folium.Map that works offline
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:  # the static map for reports
...     pdf = mapkit.save_map(f"{folder}/map.pdf", lang="az")
"""

from .boundaries import BoundaryWarning, check_boundaries, load_districts
from .build import Inputs, build
from .corridors import crossings, load_corridors, load_stations
from .country import EQUAL_AREA
from .errors import BoundaryError, FiguresError, FiguresRejected, MapkitError, UnknownPlaceError
from .export import write_geojson, write_layers
from .extract import extract
from .fetch import fetch_boundaries
from .figures import FiguresWarning, latest, load_figures, read_figures
from .join import join
from .names import resolve
from .shortcuts import atlas, save_map
from .validate import Finding, validate
from .worked import load_worked

__all__ = [
    "EQUAL_AREA",
    "BoundaryError",
    "BoundaryWarning",
    "FiguresError",
    "FiguresRejected",
    "FiguresWarning",
    "Finding",
    "Inputs",
    "MapkitError",
    "UnknownPlaceError",
    "atlas",
    "build",
    "check_boundaries",
    "crossings",
    "extract",
    "fetch_boundaries",
    "join",
    "latest",
    "load_corridors",
    "load_districts",
    "load_figures",
    "load_stations",
    "load_worked",
    "read_figures",
    "resolve",
    "save_map",
    "validate",
    "write_geojson",
    "write_layers",
]
__version__ = "0.1.0"
