"""An offline folium page: Leaflet inlined, nothing from the network, no data run as a template.

folium loads Leaflet, jQuery, Bootstrap and fonts from CDNs; :class:`OfflineMap` loads none of them
and inlines Leaflet from the ``xstatic-leaflet`` package instead. The legend, key-figures panel,
time control, views and tooltips are drawn by the scripts of ``assets/`` (:data:`SCRIPTS`, put
together by ``atlas.js``) from data embedded with Jinja's ``tojson`` filter (which escapes ``<``,
``>`` and ``&``, so no string can close the script block); they write data into the page only as
text.
"""

from __future__ import annotations

import base64
import re
from importlib import resources
from pathlib import Path
from typing import ClassVar

import folium
from branca.element import Element, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from .page import LANGUAGE

__all__ = ["AtlasControls", "FrameView", "OfflineMap", "SafeGeoJson"]

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
PAGE = Template(
    '<!DOCTYPE html>\n<html lang="{{ this.lang }}">\n<head>\n'
    "{% if this.title %}<title>{{ this.title }}</title>{% endif %}\n"
    "{{ this.header.render(**kwargs) }}\n</head>\n<body>\n{{ this.html.render(**kwargs) }}\n"
    "</body>\n<script>\n{{ this.script.render(**kwargs) }}\n</script>\n</html>\n"
)
"""branca's page with the language set (``<html lang>``)."""
SCRIPTS = (
    "atlas-words.js",
    "atlas-figures.js",
    "atlas-districts.js",
    "atlas-lines.js",
    "atlas-panel.js",
    "atlas-legend.js",
    "atlas-share.js",
    "atlas.js",
)
"""The page's scripts in ``assets/``, inlined in this order: the kit's parts, then ``atlas.js``."""


def _asset(name: str) -> str:
    return resources.files("mapkit").joinpath("assets", name).read_text(encoding="utf-8")


def _leaflet() -> tuple[str, str]:
    """Leaflet's CSS (images inlined as data URIs) and script, from ``xstatic-leaflet``."""
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = base / match.group(1)
        if not image.exists():
            return "none"
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode()})"

    css = re.sub(r"url\((images/[^)]+\.png)\)", inline, css)
    return css, (base / "leaflet.js").read_text(encoding="utf-8")


def _inline(tag: str, text: str) -> str:
    if f"</{tag}" in text.lower():
        raise ValueError(f"an inlined asset contains </{tag}>")
    return f"<{tag}>{text}</{tag}>"


class _Raw(Element):
    """Text put into the page as it is: never compiled or rendered as a Jinja template."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class _RawMacro(MacroElement):
    """A ``MacroElement`` whose rendered text is not compiled as a template a second time.

    branca wraps what a macro renders in ``Element(text)``, which compiles ``text`` as a Jinja
    template again: a ``{{ ... }}`` in a user's data would then run at build time.
    """

    def render(self, **kwargs: object) -> None:
        figure = self.get_root()
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html),
                             ("script", figure.script)):  # fmt: skip
            macro = getattr(module, part, None)
            if macro is not None:
                target.add_child(_Raw(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class SafeGeoJson(folium.GeoJson, _RawMacro):
    """``folium.GeoJson`` whose embedded properties are never evaluated as a template."""


class OfflineMap(folium.Map):
    """A ``folium.Map`` whose page loads nothing from the network.

    Leaflet's script and style are inlined; folium's other CDN assets (jQuery, Bootstrap, Font
    Awesome, awesome-markers) are not used by the atlas and are left out.
    """

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, *args: object, **kwargs: object):
        kwargs.setdefault("tiles", None)
        super().__init__(*args, **kwargs)
        css, js = _leaflet()
        header = self.get_root().header
        header.add_child(_Raw(_inline("style", css) + _inline("script", js)), name="leaflet")
        root = self.get_root()
        root.lang = LANGUAGE
        root._template = PAGE

    def render(self, **kwargs: object) -> None:
        """Render as folium does, with a viewport that lets a reader pinch-zoom the page."""
        super().render(**kwargs)
        header = self.get_root().header
        text = header._children[self.get_name()].render()
        meta = re.compile(r'<meta name="viewport"[^>]*>')
        header._children[self.get_name()] = _Raw(meta.sub(VIEWPORT, text))


class AtlasControls(_RawMacro):
    """Legend, key-figures panel, time control, views and tooltips (the :data:`SCRIPTS`)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        {{ this.assets }}
        {% endmacro %}
        {% macro script(this, kwargs) %}
        mapkitAtlas({{ this._parent.get_name() }}, {
          {%- for key, layer in this.layers.items() %}
          {{ key|tojson }}: {{ layer.get_name() }},
          {%- endfor %}
        }, {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, layers: dict[str, folium.GeoJson], data: dict[str, object]):
        super().__init__()
        self._name = "AtlasControls"
        self.layers = layers
        self.data = data
        # As Jinja's tojson (<, >, & and ' escaped) but letters as UTF-8, not \u escapes: the
        # Azerbaijani and Russian words and names take a third of the bytes.
        self.data_json = htmlsafe_json_dumps(data, ensure_ascii=False, sort_keys=True)
        self.assets = _inline("style", _asset("atlas.css")) + "".join(
            _inline("script", _asset(name)) for name in SCRIPTS
        )


class FrameView(_RawMacro):
    """Frames ``bounds`` to fit the screen the page opens on, before any layer is drawn."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapkitFrame({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FrameView"
        self.bounds = bounds
