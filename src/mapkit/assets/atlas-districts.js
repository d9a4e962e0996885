/* mapkit atlas: district colours and tooltips, district names, the no-data hatch. A part of
 * the kit (atlas-words.js). */
(function () {
  "use strict";

  var kit = window.mapkitKit, el = kit.el;
  var LABEL_ZOOM = 8, NO_DATA = "url(#mk-nodata)";

  // A tooltip is kept inside the map: shifted back in after Leaflet has placed it.
  var place = L.Tooltip.prototype._setPosition;
  L.Tooltip.prototype._setPosition = function (pos) {
    place.call(this, pos);
    var node = this._container, map = this._map;
    if (!node || !map || node.className.indexOf("mk-tooltip") < 0) return;
    var box = node.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect();
    var dx = Math.max(0, frame.left + 4 - box.left) - Math.max(0, box.right - frame.right + 4);
    var dy = Math.max(0, frame.top + 4 - box.top) - Math.max(0, box.bottom - frame.bottom + 4);
    if (dx || dy) L.DomUtil.setPosition(node, L.DomUtil.getPosition(node).add([dx, dy]));
  };

  kit.districts = function (ctx) {
    var state = ctx.state;
    function colour(series, value) {
      var m = ctx.classes(series);
      for (var i = 0; i < m.bins.length; i++) if (value <= m.bins[i] + 1e-9) return m.colours[i];
      return m.colours[m.bins.length - 1];
    }
    ctx.districtStyle = function (feature) {
      var f = state.series && ctx.inSeries(feature.properties.iso, state.series);
      if (!f || ctx.shown(state.series, f) === null) {
        // Opaque: a translucent pattern fill made the page open about a fifth slower.
        return { fillColor: NO_DATA, fillOpacity: 1, color: "#666", weight: 0.8 };
      }
      return { fillColor: colour(state.series, ctx.shown(state.series, f)), fillOpacity: 0.85,
               color: "#444", weight: 1 };
    };
    hatch(ctx);
    var byIso = ctx.byIso = {};
    ctx.layers.districts.eachLayer(function (layer) {
      byIso[layer.feature.properties.iso] = layer;
      layer.bindTooltip(function (source) { return districtTooltip(ctx, source); },
                        { sticky: true, className: "mk-tooltip" });
    });
  };

  function hatch(ctx) {  // the no-data pattern, in the SVG the districts are drawn in
    var first = ctx.layers.districts.getLayers()[0];
    var svg = first && first._renderer && first._renderer._container;
    if (!svg || svg.querySelector("#mk-nodata")) return;
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "mk-nodata");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "6"); pattern.setAttribute("height", "6");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var ground = document.createElementNS(ns, "rect");
    ground.setAttribute("width", "6"); ground.setAttribute("height", "6");
    ground.setAttribute("fill", ctx.data.no_data_hatch.background);
    var line = document.createElementNS(ns, "rect");
    line.setAttribute("width", "1"); line.setAttribute("height", "6");
    line.setAttribute("fill", ctx.data.no_data_hatch.line);
    pattern.appendChild(ground); pattern.appendChild(line);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  // District tooltips: the latest figure of each series first, earlier ones folded ------------
  function tipRow(ctx, series, f) {
    var t = ctx.t;
    var row = el("div", "mk-tip-row" + (series === ctx.state.series ? " mk-tip-current" : ""));
    row.appendChild(el("b", null, ctx.seriesLabel(series) + ": "));
    row.appendChild(el("span", "mk-value", ctx.stated(f)));
    if (f.share !== null && ctx.data.series[series].share) {
      row.appendChild(el("div", "mk-tip-share", t("share_of_area", { pct: ctx.fmt(f.share) })));
    }
    row.appendChild(el("div", "mk-tip-src", ctx.period(f) + " · " + ctx.sourceShort(f)));
    var earlier = (ctx.byPlace[f.iso + "|@" + series] || []).filter(function (g) {
      return g.as_of_date < f.as_of_date;
    }).length;
    if (earlier) row.appendChild(el("div", "mk-tip-src", t("earlier_figures", { n: earlier })));
    return ctx.flag(row, f);
  }
  function districtTooltip(ctx, layer) {
    var p = layer.feature.properties, state = ctx.state, t = ctx.t;
    var box = el("div", "mk-tip");
    box.appendChild(el("div", "mk-tip-title", ctx.placeName(p) +  // a region may have no az name
      (state.lang === "az" || !p.name_az ? "" : " (" + p.name_az + ")")));
    box.appendChild(el("div", "mk-tip-sub", p.iso + " · " + ctx.named("kind.", p.kind) + " · " +
      ctx.named("region.", p.economic_region)));
    var order = [state.series].concat(ctx.data.series_order.filter(function (s) {
      return s !== state.series;
    }));
    var any = false;
    order.forEach(function (series) {
      var f = series && ctx.inSeries(p.iso, series);
      if (!f) return;
      any = true;
      box.appendChild(tipRow(ctx, series, f));
    });
    (ctx.byPlace[p.iso + "|@"] || []).forEach(function (f) {
      if (f.as_of_date > state.date) return;
      any = true;
      var row = el("div", "mk-tip-row mk-tip-part");
      row.appendChild(el("b", null, ctx.metricName(f.metric) + " (" + f.scope + "): "));
      row.appendChild(el("span", "mk-value", ctx.stated(f)));
      row.appendChild(el("div", "mk-tip-src", ctx.period(f) + " · " + ctx.sourceShort(f)));
      box.appendChild(ctx.flag(row, f));
    });
    if (!any) box.appendChild(el("div", "mk-nodata", t("no_published_figure")));
    if (box.querySelector(".mk-tip-share")) {
      box.appendChild(el("div", "mk-tip-src mk-formula", t("share_formula")));
    }
    return box;
  }

  // District names, at zooms where they can be read ------------------------------------------
  kit.names = function (ctx) {
    var map = ctx.map, data = ctx.data;
    map.createPane("mk-labels").style.pointerEvents = "none";
    var names = L.layerGroup();
    data.labels.forEach(function (d) {
      names.addLayer(L.marker([d.lat, d.lon], { pane: "mk-labels", interactive: false,
        keyboard: false, icon: L.divIcon({ className: "mk-label", html: "", iconSize: null }) }));
    });
    function nameLabels() {
      var i = 0;
      names.eachLayer(function (marker) {
        var icon = marker.getElement();
        if (icon) icon.textContent = ctx.placeName(ctx.byIso[data.labels[i].iso].feature.properties);
        i += 1;
      });
    }
    ctx.showNames = function () {
      var readable = map.getZoom() >= LABEL_ZOOM;
      if (readable && !map.hasLayer(names)) {
        names.addTo(map);
        nameLabels();
      } else if (!readable && map.hasLayer(names)) {
        map.removeLayer(names);
      }
    };
    map.on("zoomend", ctx.showNames);
    ctx.relabels.push(function () { if (map.hasLayer(names)) nameLabels(); });
  };
})();
