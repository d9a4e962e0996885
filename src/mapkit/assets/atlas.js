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

  // 37154 -> "37,154" (en), "37.154" (az), "37 154" (ru); 13.40 -> "13.4": at most two
  // decimals, with the separators Babel gives the language (data.i18n[lang].number). Not
  // toLocaleString: the first call loads Intl, which took 14 ms of the page's opening.
  function formatNumber(value, symbols) {
    var n = Number(value);
    if (!isFinite(n) || Math.abs(n) >= 1e21) return String(value);
    var parts = Math.abs(n).toFixed(2).replace(/\.?0+$/, "").split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, symbols.group);
    var sign = n < 0 && (parts[0] !== "0" || parts[1]) ? symbols.minus : "";
    return sign + whole + (parts[1] ? symbols.decimal + parts[1] : "");
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

  // The scale bar's units in the page's language (metres and kilometres; miles in English only)
  var scaleUnits = null;
  var scaleLine = L.Control.Scale.prototype._updateScale;
  L.Control.Scale.prototype._updateScale = function (scale, text, ratio) {
    scaleLine.call(this, scale, text, ratio);
    if (scaleUnits) scale.textContent = text.replace(/ (k?m)$/, function (all, unit) {
      return " " + scaleUnits[unit];
    });
  };

  window.mapkitAtlas = function (map, layers, data) {
    var state = { date: data.dates[data.dates.length - 1], series: data.default_series,
                  view: "absolute", lang: data.lang };
    // Words: every one from data.i18n[state.lang] (geo/words.csv, metrics.csv, units.csv, Babel)
    function say() { return data.i18n[state.lang]; }
    function t(key, params) {
      var text = say().words[key];
      return String(text === undefined ? key : text).replace(/\{(\w+)\}/g, function (all, name) {
        return params && name in params ? String(params[name]) : all;
      });
    }
    // A value from the data that the words table may name (a kind, status, region), else as is.
    function named(prefix, value) {
      var text = say().words[prefix + value];
      return text === undefined ? value : text;
    }
    function fmt(value) { return formatNumber(value, say().number); }
    // "2025-05-20" as the language writes it (Babel's long format); English keeps ISO dates.
    function when(text) {
      var d = say().dates, m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(String(text || ""));
      if (!d || !m) return text;
      var pattern = m[3] ? d.day[Number(m[2]) - 1] : d.month[Number(m[2]) - 1];
      return pattern.replace("{d}", String(Number(m[3]))).replace("{y}", m[1]);
    }
    function metricName(metric) { return say().metrics[metric] || data.metrics[metric].label; }
    function unitName(label) { return label ? say().units[label] || label : label; }
    function seriesLabel(series) {
      var s = data.series[series];
      return s.labels ? s.labels[state.lang] : s.label;
    }
    function placeName(p) { return p["name_" + state.lang] || p.name_en; }
    function title() {  // the default title follows the language; one a caller chose stays
      return data.title === data.i18n[data.lang].words.title ? t("title") : data.title;
    }
    var relabels = [], restyledHooks = [];  // what a change of language re-labels: controls built once
    function label(write) { relabels.push(write); write(); }
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
      var unit = f.unit_label ? " " + unitName(f.unit_label) : "";
      var text = fmt(f.value) + (f.unit === "%" ? "%" : unit);
      if (!f.qualifier) return text;
      var qualified = say().words["qualifier." + f.qualifier];
      return qualified ? qualified.replace("{value}", text) : f.qualifier + " " + text;
    }
    function period(f) {
      return f.period_start ? t("period", { start: when(f.period_start), end: when(f.as_of) })
        : t("as_of", { date: when(f.as_of) });
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
          t("finding_head", { kind: named("check.", finding.kind) }));
        note.appendChild(head);
        note.appendChild(el("div", null, finding.message)).lang = "en";  // as validate says it
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
      row.appendChild(el("b", null, seriesLabel(series) + ": "));
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
      box.appendChild(el("div", "mk-tip-title", placeName(p) +  // a region may have no az name
        (state.lang === "az" || !p.name_az ? "" : " (" + p.name_az + ")")));
      box.appendChild(el("div", "mk-tip-sub", p.iso + " · " + named("kind.", p.kind) + " · " +
        named("region.", p.economic_region)));
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
        row.appendChild(el("b", null, metricName(f.metric) + " (" + f.scope + "): "));
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
    function collapsible(position, className, heading, showKey, hideKey) {
      var control = L.control({ position: position });
      var box = el("div", "mk-box " + className);
      var head = el("div", "mk-title-row");
      var body = el("div", "mk-body");
      body.id = "mk-body-" + className;
      var headText = el("div", "mk-title");
      head.appendChild(headText);
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
      label(function () {
        headText.textContent = heading();
        set(box.classList.contains("mk-collapsed"));
      });
      control.onAdd = function () {
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      };
      control.addTo(map);
      return { box: box, body: body, set: set };
    }

    // Key figures panel: title, time control and district list built once --------------------
    var panel = collapsible("topright", "mk-panel", title, "show_panel", "hide_panel");
    var time = el("div", "mk-time");
    var slider = el("input", "mk-slider");
    slider.id = "mk-slider";
    slider.type = "range"; slider.min = 0; slider.max = data.dates.length - 1; slider.step = 1;
    slider.value = data.dates.length - 1;
    label(function () { slider.setAttribute("aria-label", t("date_slider")); });
    var dateLabel = el("label", "mk-date");
    dateLabel.htmlFor = slider.id;
    slider.addEventListener("input", function () { setDate(data.dates[Number(slider.value)]); });
    time.appendChild(dateLabel);
    time.appendChild(slider);
    panel.body.appendChild(time);
    var choices = el("div", "mk-choices");  // what the districts show, beside the date
    panel.body.appendChild(choices);
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
    var legend = collapsible("topright", "mk-legend", function () { return t("legend_title"); },
                             "show_legend", "hide_legend");
    var select = el("select", "mk-series-select");
    data.series_order.forEach(function (series) {
      var option = el("option");
      option.value = series;
      option.selected = series === state.series;
      select.appendChild(option);
    });
    label(function () {
      select.setAttribute("aria-label", t("series_select"));
      data.series_order.forEach(function (series, i) {
        var n = data.series[series].districts;
        select.options[i].textContent = seriesLabel(series) + " (" +
          t(n === 1 ? "districts_count_one" : "districts_count", { n: n }) + ")";
      });
    });
    select.addEventListener("change", function () { state.series = select.value; restyle(); });
    var viewSelect = el("select", "mk-view-select");
    label(function () { viewSelect.setAttribute("aria-label", t("view_select")); });
    choices.appendChild(select);
    choices.appendChild(viewSelect);
    viewSelect.addEventListener("change", function () { state.view = viewSelect.value; restyle(); });
    var legendData = el("div", "mk-legend-data");
    legend.body.appendChild(legendData);
    if (data.corridor_legend.length) {
      var corridorsHead = el("div", "mk-legend-head");
      label(function () { corridorsHead.textContent = t("corridors_head"); });
      legend.body.appendChild(corridorsHead);
      data.corridor_legend.forEach(function (item) {
        var row = el("div", "mk-legend-row mk-legend-line");
        var line = el("span", "mk-line");
        line.style.borderTop = "4px " + item.border + " " + item.colour;
        row.appendChild(line);
        var text = el("span");
        label(function () {
          text.textContent = item.status ? t("line_style",
            { status: named("map.status.", item.label) }) : named("map.mode.", item.label);
        });
        row.appendChild(text);
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
      var options = [["absolute", t("view_absolute",
        { unit: (m && unitName(m.unit_label)) || t("count_unit") })]];
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
        legendData.appendChild(el("div", "mk-legend-unit", t("unit_line",
          { label: seriesLabel(state.series),
            unit: share ? "%" : (unitName(m.unit_label) || t("count_unit")) })));
        if (share) legendData.appendChild(el("div", "mk-formula", t("share_formula")));
        var present = Object.keys(byIso).some(function (iso) { return inSeries(iso, state.series); });
        if (!present) {
          legendData.appendChild(el("div", "mk-legend-empty", t("no_figure_at_date",
            { date: when(state.date) })));
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
        title.textContent = stated(c[2]) + " (" + when(c[2].as_of) + ", " + c[2].source + ")";
        dot.appendChild(title);
        svg.appendChild(dot);
      });
      var box = el("div", "mk-series");
      box.appendChild(el("div", "mk-series-title", t("cumulative", { label: metricName(metric),
        unit: unitName(data.metrics[metric].unit_label) || t("count_unit") })));
      box.appendChild(svg);
      box.appendChild(el("div", "mk-series-range", fmt(points[0].value_std) + " (" +
        when(points[0].as_of) + ") → " + fmt(points[points.length - 1].value_std) + " (" +
        when(points[points.length - 1].as_of) + ")"));
      return box;
    }

    function keyTable() {
      var table = el("table", "mk-key");
      data.metric_order.forEach(function (metric) {
        var f = current("AZ", metric, false);
        if (!f) return;
        var tr = el("tr", "mk-key-row");
        tr.setAttribute("data-metric", metric);
        tr.appendChild(el("th", null, metricName(metric)));
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
      dateLabel.textContent = t("date_label", { date: when(state.date) });
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
          panelData.appendChild(figureRow(metricName(f.metric), f,
            t("flow_only", { start: when(f.period_start), end: when(f.as_of) })));
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
          row.querySelector(".mk-value").textContent = metricName(f.metric) + " " + stated(f);
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
        row.appendChild(el("span", "mk-value", metricName(f.metric) + " " + stated(f)));
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
      restyledHooks.forEach(function (hook) { hook(); });
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
    label(function () { viewBox.setAttribute("aria-label", t("views_label")); });
    views.onAdd = function () {
      L.DomEvent.disableClickPropagation(viewBox);
      return viewBox;
    };
    data.views.forEach(function (view) {
      var button = el("button", "mk-view");
      label(function () {
        button.textContent = view.word && say().words[view.word] ? t(view.word) : view.label;
      });
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
        nameLabels();
      } else if (!readable && map.hasLayer(names)) {
        map.removeLayer(names);
      }
    }
    function nameLabels() {
      var i = 0;
      names.eachLayer(function (marker) {
        var icon = marker.getElement();
        if (icon) icon.textContent = placeName(byIso[data.labels[i].iso].feature.properties);
        i += 1;
      });
    }
    map.on("zoomend", showNames);
    relabels.push(function () { if (map.hasLayer(names)) nameLabels(); });

    // Corridors and stations: a line answers only on itself -----------------------------------
    // "Fuzuli (AZ-FUZ) 11.1 km; …" (mapkit.corridors) with names and numbers in the language
    function crossed(text) {
      return text.split("; ").map(function (part) {
        var m = /^(.*) \((AZ-[A-Z]+)\) ([\d.]+) km$/.exec(part);
        if (!m) return part;
        var name = byIso[m[2]] ? placeName(byIso[m[2]].feature.properties) : m[1];
        return name + " (" + m[2] + ") " + fmt(m[3]) + " " + t("map.km");
      }).join("; ");
    }
    function lineTooltip(layer) {
      var p = layer.feature.properties;
      var box = el("div", "mk-tip");
      box.appendChild(el("div", "mk-tip-title", p.segment));
      box.appendChild(el("div", "mk-tip-sub", named("corridor.", p.corridor) + " · " +
        named("map.mode.", p.mode)));
      box.appendChild(el("div", "mk-tip-row", t("status_line", {
        status: named("map.status.", p.status), date: when(p.status_date) })));
      var length = t("length_line", { km: fmt(p.length_km) });
      if (p.stated_length_km !== null && p.stated_length_km !== "") {
        length += t("stated_length", { km: fmt(p.stated_length_km) });
      }
      box.appendChild(el("div", "mk-tip-row", length));
      if (p.districts) box.appendChild(el("div", "mk-tip-row", t("districts_line",
        { names: crossed(p.districts) })));
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
          box.appendChild(el("div", "mk-tip-sub", named("station.", p.kind) + " · " + p.country));
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
      if (layers.control) layers.control.addOverlay(worked, data.i18n.en.words.worked_layer);
    }

    function bindWorkedTooltip(feature, layer) {
      layer.bindTooltip(function () {
        var p = layer.feature.properties, list = reportsFor(p.iso);
        var box = el("div", "mk-tip");
        box.appendChild(el("div", "mk-tip-title", placeName(p)));
        if (!list.length) {
          box.appendChild(el("div", "mk-nodata", t("worked_none")));
          return box;
        }
        var last = list[list.length - 1];
        box.appendChild(el("div", "mk-tip-row", t("worked_tip", { n: list.length,
          date: when(state.date) })));
        box.appendChild(el("div", "mk-tip-src", t("worked_latest", { start:
          when(last.period_start) || "?", end: when(last.as_of), source: last.source_short }) + (last.name_as_written !== p.name_en
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
          n: list.length, date: when(list[list.length - 1].as_of), reason: reason })));
      });
    }

    function drawCorridorPanel() {
      if (!data.corridor_table.length) return;
      panelData.appendChild(el("div", "mk-head", t("corridor_table_head")));
      var table = el("table", "mk-key mk-corridor-table");
      data.corridor_table.forEach(function (row) {
        var tr = el("tr");
        tr.appendChild(el("th", null, (byIso[row.iso] ? placeName(byIso[row.iso].feature.properties)
          : row.name_en) + " (" +
          fmt(row.length_km) + " " + t("map.km") + ")"));
        var td = el("td");
        var any = false;
        data.series_order.forEach(function (series) {
          if (data.series[series].metric !== "cleared_area") return;
          var f = inSeries(row.iso, series);
          if (!f) return;
          any = true;
          td.appendChild(el("div", null, seriesLabel(series) + ": " + stated(f)));
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
      sheet.appendChild(el("h1", null, title()));
      sheet.appendChild(el("p", "mk-print-date", t("print_date", { date: when(state.date) })));
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

    // The layer switcher's names: each is the English of a words key until re-labelled
    label(function () {
      var control = layers.control;
      if (!control || !control._layers) return;
      var english = data.i18n.en.words;
      control._layers.forEach(function (entry) {
        if (!entry.mkKey) {
          entry.mkKey = Object.keys(english).filter(function (key) {
            return (key.indexOf("layer.") === 0 || key === "worked_layer") &&
              english[key] === entry.name;
          })[0] || "";
        }
        if (entry.mkKey) entry.name = t(entry.mkKey);
      });
      if (control._map) control._update();
    });

    label(function () {
      scaleUnits = { km: t("map.km"), m: t("metre") };
      var leaflet = map.getContainer().querySelector(".leaflet-control-attribution a[title]");
      if (leaflet) leaflet.title = "Leaflet";  // its own title is an English phrase
      document.documentElement.classList.toggle("mk-metric-only", state.lang !== "en");
      map.fire("move");  // the scale bar re-draws its text
    });

    function setLanguage(lang) {
      if (!Object.prototype.hasOwnProperty.call(data.i18n, lang)) return;
      state.lang = lang;
      document.documentElement.lang = lang;
      document.title = title();
      relabels.forEach(function (write) { write(); });
      restyle();
    }

    restyle();  // the view was framed before the layers were drawn (mapkitFrame)
    showNames();
    untab();
    map.on("overlayadd", untab);
    var api = { map: map, layers: layers, worked: worked, data: data, state: state,
      setDate: setDate, fitView: fitView, setLanguage: setLanguage,
      setSeries: function (series) { state.series = series; select.value = series; restyle(); },
      setView: function (view) { state.view = view; viewSelect.value = view; restyle(); } };
    window.mapkit = api;
    // Parts drawn by other scripts (atlas-share.js) get what they need to read and re-label.
    var inside = { el: el, t: t, fmt: fmt, when: when, stated: stated, label: label,
      inSeries: inSeries, seriesLabel: seriesLabel, placeName: placeName, goTo: goTo,
      sourceLine: sourceLine, panel: panel, panelData: panelData, viewBox: viewBox,
      restyled: restyledHooks, byIso: byIso, labelAt: labelAt };
    (window.mapkitParts || []).forEach(function (part) { part(api, inside); });
  };
})();
