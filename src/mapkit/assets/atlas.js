/* mapkit atlas: district colours, tooltips, legend, key-figures panel, time control and views.
 * Everything is drawn from the data embedded by mapkit.render, and every word from data.words
 * (geo/words.csv). Strings from data reach the page only through textContent and DOM attributes,
 * never through innerHTML or templates. Controls are built once; only their contents change. */
(function () {
  "use strict";

  var NARROW = 900, SHORT = 560, COLUMN = 300, LABEL_ZOOM = 8;

  // The panel and legend start collapsed on narrow or short screens (phones, notebook cells).
  function small(map) {
    var size = map.getSize();
    return size.x < NARROW || size.y < SHORT;
  }

  // Padding that scales with the screen, and room for the open right-hand column if it fits.
  function frameOptions(map, columnOpen, extra) {
    var size = map.getSize(), pad = Math.round(Math.min(size.x, size.y) * 0.03) + 4;
    var right = pad + (columnOpen && size.x >= NARROW ? Math.min(COLUMN, size.x * 0.35) : 0);
    var options = { paddingTopLeft: [pad, pad], paddingBottomRight: [right, pad] };
    for (var key in extra) options[key] = extra[key];
    return options;
  }
  function frame(map, bounds, columnOpen) {
    map.options.zoomSnap = 0.25;
    map.fitBounds(bounds, frameOptions(map, columnOpen, { animate: false }));
    if (!isFinite(map.getZoom())) map.setView(L.latLngBounds(bounds).getCenter(), 6);
  }
  // Called by the page right after the map is made, before any layer is drawn.
  window.mapkitFrame = function (map, bounds) { frame(map, bounds, !small(map)); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // 37154 -> "37,154", 13.40 -> "13.4": at most two decimals, thousands by commas. Not
  // toLocaleString: the first call loads Intl, which took 14 ms of the page's opening.
  function fmt(value) {
    var n = Number(value);
    if (!isFinite(n) || Math.abs(n) >= 1e21) return String(value);
    var parts = Math.abs(n).toFixed(2).replace(/\.?0+$/, "").split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var sign = n < 0 && (parts[0] !== "0" || parts[1]) ? "-" : "";
    return sign + whole + (parts[1] ? "." + parts[1] : "");
  }

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

  window.mapkitAtlas = function (map, layers, data) {
    var words = data.words;
    function t(key, params) {
      return String(words[key]).replace(/\{(\w+)\}/g, function (all, name) {
        return params && name in params ? String(params[name]) : all;
      });
    }
    var state = { date: data.dates[data.dates.length - 1], series: data.default_series,
                  view: "absolute" };
    // Figures come in the order Python ranks them: the last one on or before a date is current.
    var byPlace = {};  // "iso|metric" for the national panel, "iso|@series" for the districts
    var findings = {};
    data.figures.forEach(function (f) {
      [f.iso + "|" + f.metric, f.iso + "|@" + f.series].forEach(function (key) {
        (byPlace[key] = byPlace[key] || []).push(f);
      });
    });
    data.findings.forEach(function (finding) {
      finding.ids.forEach(function (id) { (findings[id] = findings[id] || []).push(finding); });
    });

    function lastOnOrBefore(list, keep) {
      var found = null;
      list.forEach(function (f) { if (f.as_of_date <= state.date && keep(f)) found = f; });
      return found;
    }
    function current(iso, metric, flows) {
      return lastOnOrBefore(byPlace[iso + "|" + metric] || [], function (f) {
        return !f.scope && (f.kind === "flow") === Boolean(flows);
      });
    }
    function inSeries(iso, series) {
      return lastOnOrBefore(byPlace[iso + "|@" + series] || [], function () { return true; });
    }
    function shareShown(series) { return state.view === "share" && data.series[series].share; }
    function classes(series) {
      return shareShown(series) ? data.series[series].share : data.series[series];
    }
    function shown(series, f) { return shareShown(series) ? f.share : f.value_std; }

    function stated(f) {
      var unit = f.unit_label ? " " + f.unit_label : "";
      var text = fmt(f.value) + (f.unit === "%" ? "%" : unit);
      return (f.qualifier ? f.qualifier + " " : "") + text;
    }
    function period(f) {
      return f.period_start ? t("period", { start: f.period_start, end: f.as_of })
        : t("as_of", { date: f.as_of });
    }
    function sourceLine(f) {
      var span = el("span", "mk-source", f.source_short);
      span.title = f.source;
      if (f.url && /^https?:\/\//.test(f.url)) {
        var link = el("a", null, " " + t("link"));
        link.href = f.url;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        span.appendChild(link);
      }
      return span;
    }
    // A figure a validation finding concerns is marked, with the finding in words: folded
    // (a <details>) in the panel, written out in a tooltip, which cannot be clicked.
    function flag(node, f, folded) {
      (findings[f.id] || []).forEach(function (finding) {
        node.classList.add("mk-flagged");
        var note = el(folded ? "details" : "div", "mk-finding mk-finding-" + finding.level);
        var head = el(folded ? "summary" : "b", null, t("finding_mark") + " " +
          t("finding_head", finding));
        note.appendChild(head);
        note.appendChild(el("div", null, finding.message));
        node.appendChild(note);
      });
      return node;
    }

    // Colours -------------------------------------------------------------------------------
    function colour(series, value) {
      var m = classes(series);
      for (var i = 0; i < m.bins.length; i++) if (value <= m.bins[i] + 1e-9) return m.colours[i];
      return m.colours[m.bins.length - 1];
    }
    var NO_DATA = "url(#mk-nodata)";
    function districtStyle(feature) {
      var f = state.series && inSeries(feature.properties.iso, state.series);
      if (!f || shown(state.series, f) === null) {
        // Opaque: a translucent pattern fill made the page open about a fifth slower.
        return { fillColor: NO_DATA, fillOpacity: 1, color: "#666", weight: 0.8 };
      }
      return { fillColor: colour(state.series, shown(state.series, f)), fillOpacity: 0.85,
               color: "#444", weight: 1 };
    }

    function hatch() {  // the no-data pattern, in the SVG the districts are drawn in
      var first = layers.districts.getLayers()[0];
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
      ground.setAttribute("fill", data.no_data_hatch.background);
      var line = document.createElementNS(ns, "rect");
      line.setAttribute("width", "1"); line.setAttribute("height", "6");
      line.setAttribute("fill", data.no_data_hatch.line);
      pattern.appendChild(ground); pattern.appendChild(line);
      defs.appendChild(pattern);
      svg.insertBefore(defs, svg.firstChild);
    }
    hatch();

    // District tooltips: the latest figure of each series first, earlier ones folded ----------
    function tipRow(series, f) {
      var row = el("div", "mk-tip-row" + (series === state.series ? " mk-tip-current" : ""));
      row.appendChild(el("b", null, data.series[series].label + ": "));
      row.appendChild(el("span", "mk-value", stated(f)));
      if (f.share !== null && data.series[series].share) {
        row.appendChild(el("div", "mk-tip-share", t("share_of_area", { pct: fmt(f.share) })));
      }
      row.appendChild(el("div", "mk-tip-src", period(f) + " · " + f.source_short));
      var earlier = (byPlace[f.iso + "|@" + series] || []).filter(function (g) {
        return g.as_of_date < f.as_of_date;
      }).length;
      if (earlier) row.appendChild(el("div", "mk-tip-src", t("earlier_figures", { n: earlier })));
      return flag(row, f);
    }
    function districtTooltip(layer) {
      var p = layer.feature.properties;
      var box = el("div", "mk-tip");
      box.appendChild(el("div", "mk-tip-title",
        p.name_en + (p.name_az ? " (" + p.name_az + ")" : "")));  // a region may have no az name
      box.appendChild(el("div", "mk-tip-sub", p.iso + " · " + p.kind + " · " + p.economic_region));
      var order = [state.series].concat(data.series_order.filter(function (s) {
        return s !== state.series;
      }));
      var any = false;
      order.forEach(function (series) {
        var f = series && inSeries(p.iso, series);
        if (!f) return;
        any = true;
        box.appendChild(tipRow(series, f));
      });
      (byPlace[p.iso + "|@"] || []).forEach(function (f) {
        if (f.as_of_date > state.date) return;
        any = true;
        var row = el("div", "mk-tip-row mk-tip-part");
        row.appendChild(el("b", null, data.metrics[f.metric].label + " (" + f.scope + "): "));
        row.appendChild(el("span", "mk-value", stated(f)));
        row.appendChild(el("div", "mk-tip-src", period(f) + " · " + f.source_short));
        box.appendChild(flag(row, f));
      });
      if (!any) box.appendChild(el("div", "mk-nodata", t("no_published_figure")));
      if (box.querySelector(".mk-tip-share")) {
        box.appendChild(el("div", "mk-tip-src mk-formula", t("share_formula")));
      }
      return box;
    }
    var byIso = {};
    layers.districts.eachLayer(function (layer) {
      byIso[layer.feature.properties.iso] = layer;
      layer.bindTooltip(districtTooltip, { sticky: true, className: "mk-tooltip" });
    });

    // Collapsible boxes -----------------------------------------------------------------------
    function collapsible(position, className, title, showKey, hideKey) {
      var control = L.control({ position: position });
      var box = el("div", "mk-box " + className);
      var head = el("div", "mk-title-row");
      var body = el("div", "mk-body");
      body.id = "mk-body-" + className;
      head.appendChild(el("div", "mk-title", title));
      var toggle = el("button", "mk-toggle");
      toggle.type = "button";
      toggle.setAttribute("aria-controls", body.id);
      function set(collapsed) {
        box.classList.toggle("mk-collapsed", collapsed);
        toggle.textContent = collapsed ? t("show") : t("hide");
        toggle.setAttribute("aria-expanded", String(!collapsed));
        toggle.setAttribute("aria-label", collapsed ? t(showKey) : t(hideKey));
      }
      toggle.addEventListener("click", function () {
        set(!box.classList.contains("mk-collapsed"));
      });
      head.appendChild(toggle);
      box.appendChild(head);
      box.appendChild(body);
      set(small(map));
      control.onAdd = function () {
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      };
      control.addTo(map);
      return { box: box, body: body, set: set };
    }

    // Key figures panel: title, time control and district list built once --------------------
    var panel = collapsible("topright", "mk-panel", data.title, "show_panel", "hide_panel");
    var time = el("div", "mk-time");
    var slider = el("input", "mk-slider");
    slider.id = "mk-slider";
    slider.type = "range"; slider.min = 0; slider.max = data.dates.length - 1; slider.step = 1;
    slider.value = data.dates.length - 1;
    slider.setAttribute("aria-label", t("date_slider"));
    var dateLabel = el("label", "mk-date");
    dateLabel.htmlFor = slider.id;
    slider.addEventListener("input", function () { setDate(data.dates[Number(slider.value)]); });
    time.appendChild(dateLabel);
    time.appendChild(slider);
    panel.body.appendChild(time);
    var choices = el("div", "mk-choices");  // what the districts show, beside the date
    panel.body.appendChild(choices);
    var search = el("select", "mk-district-search");
    search.setAttribute("aria-label", t("district_search"));
    var none = el("option", null, t("district_search_none"));
    none.value = "";
    search.appendChild(none);
    data.labels.slice().sort(function (a, b) { return a.name < b.name ? -1 : 1; })
      .forEach(function (d) {
        var option = el("option", null, d.name);
        option.value = d.iso;
        search.appendChild(option);
      });
    search.addEventListener("change", function () { goTo(search.value); });
    panel.body.appendChild(search);
    var panelData = el("div", "mk-panel-data");
    panel.body.appendChild(panelData);

    var labelAt = {};
    data.labels.forEach(function (d) { labelAt[d.iso] = d; });
    function goTo(iso) {
      var layer = byIso[iso];
      if (!layer) return;
      map.fitBounds(layer.getBounds(), fitOptions({ maxZoom: 9, animate: false }));
      var spot = labelAt[iso];
      layer.openTooltip(spot ? [spot.lat, spot.lon] : layer.getBounds().getCenter());
    }

    // Legend: series and view selectors built once --------------------------------------------
    var legend = collapsible("topright", "mk-legend", t("legend_title"), "show_legend",
                             "hide_legend");
    var select = el("select", "mk-series-select");
    select.setAttribute("aria-label", t("series_select"));
    data.series_order.forEach(function (series) {
      var n = data.series[series].districts;
      var option = el("option", null, data.series[series].label + " (" +
        t(n === 1 ? "districts_count_one" : "districts_count", { n: n }) + ")");
      option.value = series;
      option.selected = series === state.series;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { state.series = select.value; restyle(); });
    var viewSelect = el("select", "mk-view-select");
    viewSelect.setAttribute("aria-label", t("view_select"));
    choices.appendChild(select);
    choices.appendChild(viewSelect);
    viewSelect.addEventListener("change", function () { state.view = viewSelect.value; restyle(); });
    var legendData = el("div", "mk-legend-data");
    legend.body.appendChild(legendData);
    if (data.corridor_legend.length) {
      legend.body.appendChild(el("div", "mk-legend-head", t("corridors_head")));
      data.corridor_legend.forEach(function (item) {
        var row = el("div", "mk-legend-row mk-legend-line");
        var line = el("span", "mk-line");
        line.style.borderTop = "4px " + item.border + " " + item.colour;
        row.appendChild(line);
        row.appendChild(el("span", null, item.status ? t("line_style", { status: item.label })
          : item.label));
        legend.body.appendChild(row);
      });
    }

    function swatch(fill) {
      var s = el("span", "mk-swatch");
      if (fill) s.style.background = fill;
      else s.classList.add("mk-swatch-nodata");
      return s;
    }

    function drawLegend() {
      legendData.textContent = "";
      var m = data.series[state.series];
      viewSelect.textContent = "";
      var options = [["absolute", t("view_absolute", { unit: (m && m.unit_label) || t("count_unit") })]];
      if (m && m.share) options.push(["share", t("view_share")]);
      options.forEach(function (o) {
        var option = el("option", null, o[1]);
        option.value = o[0];
        option.selected = o[0] === state.view;
        viewSelect.appendChild(option);
      });
      viewSelect.disabled = options.length < 2;
      if (!m) {
        legendData.appendChild(el("div", "mk-legend-unit", t("no_series")));
      } else {
        var share = shareShown(state.series), k = classes(state.series);
        legendData.appendChild(el("div", "mk-legend-unit", t("unit_line", { label: m.label,
          unit: share ? "%" : (m.unit_label || t("count_unit")) })));
        if (share) legendData.appendChild(el("div", "mk-formula", t("share_formula")));
        var present = Object.keys(byIso).some(function (iso) { return inSeries(iso, state.series); });
        if (!present) {
          legendData.appendChild(el("div", "mk-legend-empty", t("no_figure_at_date",
            { date: state.date })));
        } else {
          var lower = k.min;
          k.bins.forEach(function (upper, i) {
            var row = el("div", "mk-legend-row");
            row.appendChild(swatch(k.colours[i]));
            row.appendChild(el("span", null, lower === upper ? fmt(upper)
              : fmt(lower) + " – " + fmt(upper)));
            legendData.appendChild(row);
            lower = upper;
          });
        }
      }
      var empty = el("div", "mk-legend-row mk-legend-nodata");
      empty.appendChild(swatch(null));
      empty.appendChild(el("span", null, t("no_data")));
      legendData.appendChild(empty);
    }

    // Panel contents that follow the date ------------------------------------------------------
    function chart(metric) {
      var points = (byPlace["AZ|" + metric] || []).filter(function (f) {
        return f.kind !== "flow" && !f.scope && f.as_of_date <= state.date;
      });
      if (points.length < 2) return null;
      var w = 250, h = 64, pad = 6, ns = "http://www.w3.org/2000/svg";
      var t0 = Date.parse(points[0].as_of_date), t1 = Date.parse(points[points.length - 1].as_of_date);
      var vmax = Math.max.apply(null, points.map(function (f) { return f.value_std; }));
      var svg = document.createElementNS(ns, "svg");
      svg.setAttribute("viewBox", "0 0 " + w + " " + h);
      svg.setAttribute("class", "mk-chart");
      svg.setAttribute("data-metric", metric);
      var coords = points.map(function (f) {
        var x = pad + (w - 2 * pad) * (Date.parse(f.as_of_date) - t0) / Math.max(1, t1 - t0);
        var y = h - pad - (h - 2 * pad) * f.value_std / (vmax || 1);
        return [x, y, f];
      });
      var line = document.createElementNS(ns, "polyline");
      line.setAttribute("points", coords.map(function (c) { return c[0] + "," + c[1]; }).join(" "));
      line.setAttribute("fill", "none"); line.setAttribute("stroke", "#2b5d8a");
      line.setAttribute("stroke-width", "2");
      svg.appendChild(line);
      coords.forEach(function (c) {
        var dot = document.createElementNS(ns, "circle");
        dot.setAttribute("cx", c[0]); dot.setAttribute("cy", c[1]); dot.setAttribute("r", 3);
        dot.setAttribute("fill", findings[c[2].id] ? "#d95f02" : "#2b5d8a");
        var title = document.createElementNS(ns, "title");
        title.textContent = stated(c[2]) + " (" + c[2].as_of + ", " + c[2].source + ")";
        dot.appendChild(title);
        svg.appendChild(dot);
      });
      var box = el("div", "mk-series");
      box.appendChild(el("div", "mk-series-title", t("cumulative", { label: data.metrics[metric].label,
        unit: data.metrics[metric].unit_label || t("count_unit") })));
      box.appendChild(svg);
      box.appendChild(el("div", "mk-series-range", fmt(points[0].value_std) + " (" +
        points[0].as_of + ") → " + fmt(points[points.length - 1].value_std) + " (" +
        points[points.length - 1].as_of + ")"));
      return box;
    }

    function keyTable() {
      var table = el("table", "mk-key");
      data.metric_order.forEach(function (metric) {
        var f = current("AZ", metric, false);
        if (!f) return;
        var tr = el("tr", "mk-key-row");
        tr.setAttribute("data-metric", metric);
        tr.appendChild(el("th", null, data.metrics[metric].label));
        var td = el("td");
        td.appendChild(el("span", "mk-value", stated(f)));
        td.appendChild(el("div", "mk-when", period(f)));
        td.appendChild(sourceLine(f));
        tr.appendChild(td);
        table.appendChild(tr);
        if (findings[f.id]) {
          tr.classList.add("mk-flagged");
          var note = el("tr", "mk-key-finding");
          var cell = el("td");
          cell.colSpan = 2;
          note.appendChild(flag(cell, f, true));
          table.appendChild(note);
        }
      });
      return table;
    }

    function figureRow(label, f, when) {
      var row = el("div", "mk-flow");
      row.appendChild(el("b", null, label + ": "));
      row.appendChild(el("span", "mk-value", stated(f)));
      row.appendChild(el("div", "mk-when", when));
      row.appendChild(sourceLine(f));
      return flag(row, f, true);
    }

    function drawPanel() {
      panelData.textContent = "";
      dateLabel.textContent = t("date_label", { date: state.date });
      var key = keyTable();
      if (key.rows.length) {  // no heading over an empty table (--only, before the first figure)
        panelData.appendChild(el("div", "mk-head", t("key_head")));
        panelData.appendChild(key);
      }
      data.series_metrics.forEach(function (metric) {
        var c = chart(metric);
        if (c) panelData.appendChild(c);
      });
      var flows = data.metric_order.map(function (m) { return current("AZ", m, true); })
        .filter(Boolean);
      if (flows.length) {
        panelData.appendChild(el("div", "mk-head", t("flows_head")));
        flows.forEach(function (f) {
          panelData.appendChild(figureRow(data.metrics[f.metric].label, f,
            t("flow_only", { start: f.period_start, end: f.as_of })));
        });
      }
      drawCorridorPanel();
      drawWorkedPanel();
      drawNotOnThisMap();
      var groups = data.figures.filter(function (f) {
        return (f.iso === "" || f.iso.indexOf("+") >= 0) && f.as_of_date <= state.date;
      });
      if (groups.length) {
        panelData.appendChild(el("div", "mk-head", t("groups_head")));
        groups.forEach(function (f) {
          var row = figureRow(f.area_name, f, period(f));
          row.querySelector(".mk-value").textContent = data.metrics[f.metric].label + " " +
            stated(f);
          panelData.appendChild(row);
        });
      }
    }

    // Figures of districts the boundary file has no polygon for (a partial file): listed, never
    // dropped in silence.
    function drawNotOnThisMap() {
      var drawn = {};
      layers.districts.eachLayer(function (layer) {
        var p = layer.feature.properties;  // a region is drawn for its districts (members)
        String(p.members || p.iso).split("+").concat([p.iso]).forEach(function (iso) {
          drawn[iso] = true;
        });
      });
      var missing = data.figures.filter(function (f) {
        return /^AZ-[A-Z]+$/.test(f.iso) && !drawn[f.iso] && f.as_of_date <= state.date;
      });
      if (!missing.length) return;
      var box = el("div", "mk-offmap");
      box.appendChild(el("div", "mk-head", t("offmap_head")));
      missing.forEach(function (f) {
        var row = el("div", "mk-flow");
        row.appendChild(el("b", null, f.area_name + ": "));
        row.appendChild(el("span", "mk-value", data.metrics[f.metric].label + " " + stated(f)));
        row.appendChild(el("div", "mk-when", period(f)));
        row.appendChild(sourceLine(f));
        box.appendChild(row);
      });
      panelData.appendChild(box);
    }

    function restyle() {
      layers.districts.eachLayer(function (layer) {
        layer.setStyle(districtStyle(layer.feature));
        if (layer.isTooltipOpen()) layer.getTooltip().update();  // a reader keeps the mouse still
      });
      if (worked) worked.eachLayer(function (layer) { layer.setStyle(workedStyle(layer.feature)); });
      drawLegend();
      drawPanel();
      printed = false;
      if (printing.matches) drawPrint();
    }

    function setDate(date) {
      // Show the figures as they stood on `date`: the latest date with figures on or before it.
      var known = data.dates.filter(function (d) { return d <= date; });
      if (!known.length) throw new Error("no figures on or before " + date);
      state.date = known[known.length - 1];
      var index = data.dates.indexOf(state.date);
      if (Number(slider.value) !== index) slider.value = index;
      restyle();
      return state.date;
    }

    // Framing: room for the open right-hand column (panel and legend) when the screen has it
    function isOpen(part) { return !part.box.classList.contains("mk-collapsed"); }
    function columnOpen() { return isOpen(panel) || isOpen(legend); }
    function fitOptions(extra) { return frameOptions(map, columnOpen(), extra); }
    function fitView(bounds) { frame(map, bounds, columnOpen()); }

    var views = L.control({ position: "topleft" });
    var viewBox = el("div", "mk-box mk-views");
    viewBox.setAttribute("role", "group");
    viewBox.setAttribute("aria-label", t("views_label"));
    views.onAdd = function () {
      L.DomEvent.disableClickPropagation(viewBox);
      return viewBox;
    };
    data.views.forEach(function (view) {
      var button = el("button", "mk-view", view.label);
      button.type = "button";
      button.addEventListener("click", function () { fitView(view.bounds); });
      viewBox.appendChild(button);
    });
    views.addTo(map);

    // District names, at zooms where they can be read ----------------------------------------
    map.createPane("mk-labels").style.pointerEvents = "none";
    var names = L.layerGroup();
    data.labels.forEach(function (d) {
      names.addLayer(L.marker([d.lat, d.lon], { pane: "mk-labels", interactive: false,
        keyboard: false, icon: L.divIcon({ className: "mk-label", html: "", iconSize: null }) }));
    });
    function showNames() {
      var readable = map.getZoom() >= LABEL_ZOOM;
      if (readable && !map.hasLayer(names)) {
        names.addTo(map);
        var i = 0;
        names.eachLayer(function (marker) {
          var icon = marker.getElement();
          if (icon && !icon.textContent) icon.textContent = data.labels[i].name;
          i += 1;
        });
      } else if (!readable && map.hasLayer(names)) {
        map.removeLayer(names);
      }
    }
    map.on("zoomend", showNames);

    // Corridors and stations: a line answers only on itself -----------------------------------
    function lineTooltip(layer) {
      var p = layer.feature.properties;
      var box = el("div", "mk-tip");
      box.appendChild(el("div", "mk-tip-title", p.segment));
      box.appendChild(el("div", "mk-tip-sub", p.corridor + " · " + p.mode));
      box.appendChild(el("div", "mk-tip-row", t("status_line", { status: p.status,
        date: p.status_date })));
      var length = t("length_line", { km: fmt(p.length_km) });
      if (p.stated_length_km !== null && p.stated_length_km !== "") {
        length += t("stated_length", { km: fmt(p.stated_length_km) });
      }
      box.appendChild(el("div", "mk-tip-row", length));
      if (p.districts) box.appendChild(el("div", "mk-tip-row", t("districts_line",
        { names: p.districts })));
      if (p.schematic) box.appendChild(el("div", "mk-tip-row", t("schematic_line",
        { text: p.schematic })));
      box.appendChild(el("div", "mk-tip-src", t("source_line", { source: p.status_source })));
      return box;
    }

    if (layers.corridors) {
      var hits = [];
      layers.corridors.eachLayer(function (layer) {
        var p = layer.feature.properties;
        layer.setStyle({ color: data.corridor_modes[p.mode] || "#333", weight: 4, opacity: 0.9,
                         dashArray: data.corridor_status[p.status] || null, lineCap: "butt" });
        layer.bindTooltip(lineTooltip, { sticky: true, className: "mk-tooltip" });
        // A narrow invisible twin, so that the gaps of dashed and dotted lines answer too.
        var hit = L.polyline(layer.getLatLngs(), { weight: 6, opacity: 0, className: "mk-hit" });
        hit.feature = layer.feature;
        hit.bindTooltip(function () { return lineTooltip(layer); },
                        { sticky: true, className: "mk-tooltip" });
        hits.push(hit);
      });
      hits.forEach(function (hit) { layers.corridors.addLayer(hit); });
    }
    if (layers.stations) {
      layers.stations.eachLayer(function (layer) {
        var p = layer.feature.properties;
        layer.bindTooltip(function () {
          var box = el("div", "mk-tip");
          box.appendChild(el("div", "mk-tip-title", p.name));
          box.appendChild(el("div", "mk-tip-sub", p.kind + " · " + p.country));
          box.appendChild(el("div", "mk-tip-src", t("position_line", { source: p.source })));
          return box;
        }, { className: "mk-tooltip" });
      });
    }

    // Districts named as worked in agency reports (a categorical layer) -------------------
    function reportsFor(iso) {
      return data.worked.filter(function (w) { return w.iso === iso && w.as_of_date <= state.date; });
    }

    function workedStyle(feature) {
      return reportsFor(feature.properties.iso).length
        ? { color: "#1b7837", weight: 2, fillColor: "#5aae61", fillOpacity: 0.45, dashArray: null }
        : { color: "#888", weight: 0.5, fillOpacity: 0, dashArray: "2 4" };
    }

    var worked = null;
    if (data.worked.length) {
      // Filled the first time a reader turns the layer on: the page opens without drawing it.
      worked = L.geoJSON(null, { style: workedStyle, className: "mapkit-worked",
        onEachFeature: bindWorkedTooltip });
      worked.once("add", function () { worked.addData(layers.districts.toGeoJSON()); });
      if (layers.control) layers.control.addOverlay(worked, t("worked_layer"));
    }

    function bindWorkedTooltip(feature, layer) {
      layer.bindTooltip(function () {
        var p = layer.feature.properties, list = reportsFor(p.iso);
        var box = el("div", "mk-tip");
        box.appendChild(el("div", "mk-tip-title",
        p.name_en + (p.name_az ? " (" + p.name_az + ")" : "")));  // a region may have no az name
        if (!list.length) {
          box.appendChild(el("div", "mk-nodata", t("worked_none")));
          return box;
        }
        var last = list[list.length - 1];
        box.appendChild(el("div", "mk-tip-row", t("worked_tip", { n: list.length,
          date: state.date })));
        box.appendChild(el("div", "mk-tip-src", t("worked_latest", { start: last.period_start ||
          "?", end: last.as_of, source: last.source_short }) + (last.name_as_written !== p.name_en
            ? " " + t("worked_written", { name: last.name_as_written }) : "")));
        return box;
      }, { sticky: true, className: "mk-tooltip" });
    }

    function drawWorkedPanel() {
      var unplaced = data.worked.filter(function (w) { return !w.iso && w.as_of_date <= state.date; });
      if (!unplaced.length) return;
      var groups = {};
      unplaced.forEach(function (w) { (groups[w.unplaced] = groups[w.unplaced] || []).push(w); });
      panelData.appendChild(el("div", "mk-head", t("worked_head")));
      Object.keys(groups).forEach(function (reason) {
        var list = groups[reason];
        var written = list.map(function (w) { return w.name_as_written; })
          .filter(function (n, i, all) { return all.indexOf(n) === i; });
        panelData.appendChild(el("div", "mk-flow", t("worked_named", { names: written.join(" / "),
          n: list.length, date: list[list.length - 1].as_of, reason: reason })));
      });
    }

    function drawCorridorPanel() {
      if (!data.corridor_table.length) return;
      panelData.appendChild(el("div", "mk-head", t("corridor_table_head")));
      var table = el("table", "mk-key mk-corridor-table");
      data.corridor_table.forEach(function (row) {
        var tr = el("tr");
        tr.appendChild(el("th", null, row.name_en + " (" + fmt(row.length_km) + " km)"));
        var td = el("td");
        var any = false;
        data.series_order.forEach(function (series) {
          if (data.series[series].metric !== "cleared_area") return;
          var f = inSeries(row.iso, series);
          if (!f) return;
          any = true;
          td.appendChild(el("div", null, data.series[series].label + ": " + stated(f)));
        });
        if (!any) td.appendChild(el("div", "mk-nodata", t("corridor_no_clearance")));
        tr.appendChild(td);
        table.appendChild(tr);
      });
      panelData.appendChild(table);
    }

    // Print: the map on the page, then title, date, legend, key figures and sources ------------
    var sheet = el("div", "mk-print");
    sheet.setAttribute("aria-hidden", "true");
    document.body.appendChild(sheet);
    var printing = window.matchMedia ? window.matchMedia("print") : { matches: false };
    var printed = false;
    function drawPrint() {
      if (printed) return;
      printed = true;
      sheet.textContent = "";
      sheet.appendChild(el("h1", null, data.title));
      sheet.appendChild(el("p", "mk-print-date", t("print_date", { date: state.date })));
      var row = el("div", "mk-print-row");
      var legendCopy = el("div", "mk-print-legend");
      legendCopy.appendChild(el("div", "mk-legend-unit", select.options[select.selectedIndex] ?
        select.options[select.selectedIndex].textContent : ""));
      legendCopy.appendChild(legendData.cloneNode(true));
      row.appendChild(legendCopy);
      row.appendChild(keyTable());
      sheet.appendChild(row);
      sheet.appendChild(el("h2", null, t("print_sources")));
      var list = el("ul", "mk-print-sources"), seen = {};
      data.figures.forEach(function (f) {
        if (f.as_of_date > state.date || seen[f.source]) return;
        seen[f.source] = true;
        list.appendChild(el("li", null, f.source + (f.url ? " — " + f.url : "")));
      });
      sheet.appendChild(list);
    }
    function toPrint() { drawPrint(); map.invalidateSize({ animate: false }); fitView(data.views[0].bounds); }
    function fromPrint() { map.invalidateSize({ animate: false }); fitView(data.views[0].bounds); }
    window.addEventListener("beforeprint", toPrint);
    window.addEventListener("afterprint", fromPrint);
    if (printing.addEventListener) {
      printing.addEventListener("change", function (e) { if (e.matches) toPrint(); else fromPrint(); });
    }

    // Shapes are reached through the district list, not one Tab stop each ----------------------
    function untab() {
      var svgs = map.getPanes().overlayPane.querySelectorAll("svg, path");
      for (var i = 0; i < svgs.length; i++) {
        svgs[i].setAttribute("tabindex", "-1");
        svgs[i].setAttribute("focusable", "false");
      }
    }

    restyle();  // the view was framed before the layers were drawn (mapkitFrame)
    showNames();
    untab();
    map.on("overlayadd", untab);
    window.mapkit = { map: map, layers: layers, worked: worked, data: data, state: state,
      setDate: setDate, fitView: fitView,
      setSeries: function (series) { state.series = series; select.value = series; restyle(); },
      setView: function (view) { state.view = view; restyle(); } };
  };
})();
