/* mapkit atlas: district colours, tooltips, legend, key-figures panel, time control and views.
 * Everything is drawn from the data embedded by mapkit.render. Strings from data reach the page
 * only through textContent and DOM attributes, never through innerHTML or templates. */
(function () {
  "use strict";

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

  function stated(f) {
    var unit = f.unit_label ? " " + f.unit_label : "";
    var text = fmt(f.value) + (f.unit === "%" ? "%" : unit);
    return (f.qualifier ? f.qualifier + " " : "") + text;
  }

  function period(f) {
    return f.period_start ? f.period_start + " to " + f.as_of : "as of " + f.as_of;
  }

  function sourceLine(f) {
    var span = el("span", "mk-source", f.source_short);
    span.title = f.source;
    if (f.url && /^https?:\/\//.test(f.url)) {
      var link = el("a", null, " (link)");
      link.href = f.url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      span.appendChild(link);
    }
    return span;
  }

  window.mapkitAtlas = function (map, layers, data) {
    var state = { date: data.dates[data.dates.length - 1], series: data.default_series };
    var byPlace = {};  // "iso|metric" for the national panel, "iso|@series" for the districts
    data.figures.forEach(function (f) {
      [f.iso + "|" + f.metric, f.iso + "|@" + f.series].forEach(function (key) {
        (byPlace[key] = byPlace[key] || []).push(f);
      });
    });
    Object.keys(byPlace).forEach(function (key) {
      byPlace[key].sort(function (a, b) {
        return a.as_of_date < b.as_of_date ? -1 : a.as_of_date > b.as_of_date ? 1 : 0;
      });
    });

    function current(iso, metric, flows) {
      var list = byPlace[iso + "|" + metric] || [];
      var found = null;
      list.forEach(function (f) {
        if (f.as_of_date <= state.date && !f.scope && (f.kind === "flow") === Boolean(flows)) {
          found = f;
        }
      });
      return found;
    }

    function inSeries(iso, series) {
      var list = byPlace[iso + "|@" + series] || [];
      var found = null;
      list.forEach(function (f) { if (f.as_of_date <= state.date) found = f; });
      return found;
    }

    function colour(series, value) {
      var m = data.series[series];
      for (var i = 0; i < m.bins.length; i++) if (value <= m.bins[i]) return m.colours[i];
      return m.colours[m.bins.length - 1];
    }

    function districtStyle(feature) {
      var f = inSeries(feature.properties.iso, state.series);
      if (!f) {
        return { fillColor: data.no_data_colour, fillOpacity: 0.55, color: "#666", weight: 0.8,
                 dashArray: null };
      }
      return { fillColor: colour(state.series, f.value_std), fillOpacity: 0.8, color: "#444",
               weight: 1, dashArray: null };
    }

    function districtTooltip(layer) {
      var p = layer.feature.properties;
      var box = el("div", "mk-tip");
      box.appendChild(el("div", "mk-tip-title", p.name_en + " (" + p.name_az + ")"));
      box.appendChild(el("div", "mk-tip-sub", p.iso + " · " + p.kind + " · " + p.economic_region));
      var any = false;
      data.series_order.forEach(function (series) {
        var f = inSeries(p.iso, series);
        if (!f) return;
        any = true;
        var row = el("div", "mk-tip-row" + (series === state.series ? " mk-tip-current" : ""));
        row.appendChild(el("b", null, data.series[series].label + ": "));
        row.appendChild(el("span", "mk-value", stated(f)));
        row.appendChild(el("div", "mk-tip-src", period(f) + " · " + f.source_short));
        box.appendChild(row);
      });
      (byPlace[p.iso + "|@"] || []).forEach(function (f) {
        if (f.as_of_date > state.date) return;
        any = true;
        var row = el("div", "mk-tip-row mk-tip-part");
        row.appendChild(el("b", null, data.metrics[f.metric].label + " (" + f.scope + "): "));
        row.appendChild(el("span", "mk-value", stated(f)));
        row.appendChild(el("div", "mk-tip-src", period(f) + " · " + f.source_short));
        box.appendChild(row);
      });
      if (!any) box.appendChild(el("div", "mk-nodata", "No published figure for this unit"));
      return box;
    }

    layers.districts.eachLayer(function (layer) {
      layer.bindTooltip(districtTooltip, { sticky: true, className: "mk-tooltip" });
    });

    function restyle() {
      layers.districts.eachLayer(function (layer) {
        layer.setStyle(districtStyle(layer.feature));
        if (layer.isTooltipOpen()) layer.getTooltip().update();  // a reader keeps the mouse still
      });
      if (worked) worked.eachLayer(function (layer) { layer.setStyle(workedStyle(layer.feature)); });
      drawLegend();
      drawPanel();
    }

    // Legend ---------------------------------------------------------------------------------
    var legend = L.control({ position: "bottomleft" });
    var legendBox = el("div", "mk-box mk-legend");
    legend.onAdd = function () {
      L.DomEvent.disableClickPropagation(legendBox);
      return legendBox;
    };
    legend.addTo(map);

    function swatch(style) {
      var s = el("span", "mk-swatch");
      Object.keys(style).forEach(function (k) { s.style[k] = style[k]; });
      return s;
    }

    function drawLegend() {
      legendBox.textContent = "";
      var m = data.series[state.series] || { label: "No district figures", bins: [], colours: [] };
      var select = el("select", "mk-series-select");
      select.setAttribute("aria-label", "Figures shown on the districts");
      data.series_order.forEach(function (series) {
        var option = el("option", null, data.series[series].label + " (" +
          data.series[series].districts + " units)");
        option.value = series;
        option.selected = series === state.series;
        select.appendChild(option);
      });
      select.addEventListener("change", function () { state.series = select.value; restyle(); });
      legendBox.appendChild(select);
      legendBox.appendChild(el("div", "mk-legend-unit", m.label + " — unit: " +
        (m.unit_label || "count")));
      var lower = m.min;
      m.bins.forEach(function (upper, i) {
        var row = el("div", "mk-legend-row");
        row.appendChild(swatch({ background: m.colours[i] }));
        var label = lower === upper ? fmt(upper) : fmt(lower) + " – " + fmt(upper);
        row.appendChild(el("span", null, label));
        legendBox.appendChild(row);
        lower = upper;
      });
      var none = el("div", "mk-legend-row mk-legend-nodata");
      none.appendChild(swatch({ background: data.no_data_colour }));
      none.appendChild(el("span", null, "No data (no published figure — not zero)"));
      legendBox.appendChild(none);
      if (data.corridor_legend.length) {
        legendBox.appendChild(el("div", "mk-legend-head", "Corridors"));
        data.corridor_legend.forEach(function (item) {
          var row = el("div", "mk-legend-row mk-legend-line");
          var line = el("span", "mk-line");
          line.style.borderTop = "4px " + item.border + " " + item.colour;
          row.appendChild(line);
          row.appendChild(el("span", null, item.label));
          legendBox.appendChild(row);
        });
      }
    }

    // Key figures panel with series charts and the time control -------------------------------
    var panel = L.control({ position: "topright" });
    var panelBox = el("div", "mk-box mk-panel");
    panel.onAdd = function () {
      L.DomEvent.disableClickPropagation(panelBox);
      L.DomEvent.disableScrollPropagation(panelBox);
      return panelBox;
    };
    panel.addTo(map);

    function chart(metric) {
      var points = (byPlace["AZ|" + metric] || []).filter(function (f) {
        return f.kind !== "flow" && !f.scope && f.as_of_date <= state.date;
      });
      if (points.length < 2) return null;
      var w = 250, h = 64, pad = 6, ns = "http://www.w3.org/2000/svg";
      var t0 = Date.parse(points[0].as_of_date), t1 = Date.parse(points[points.length - 1].as_of_date);
      var vmax = Math.max.apply(null, points.map(function (f) { return f.value_std; }));
      var svg = document.createElementNS(ns, "svg");
      svg.setAttribute("width", w); svg.setAttribute("height", h);
      svg.setAttribute("class", "mk-chart");
      svg.setAttribute("data-metric", metric);
      var coords = points.map(function (f) {
        var x = pad + (w - 2 * pad) * (Date.parse(f.as_of_date) - t0) / Math.max(1, t1 - t0);
        var y = h - pad - (h - 2 * pad) * f.value_std / (vmax || 1);
        return [x, y, f];
      });
      var line = document.createElementNS(ns, "polyline");
      line.setAttribute("points", coords.map(function (c) { return c[0] + "," + c[1]; }).join(" "));
      line.setAttribute("fill", "none"); line.setAttribute("stroke", "#b30000");
      line.setAttribute("stroke-width", "2");
      svg.appendChild(line);
      coords.forEach(function (c) {
        var dot = document.createElementNS(ns, "circle");
        dot.setAttribute("cx", c[0]); dot.setAttribute("cy", c[1]); dot.setAttribute("r", 3);
        dot.setAttribute("fill", "#b30000");
        var title = document.createElementNS(ns, "title");
        title.textContent = stated(c[2]) + " (" + c[2].as_of + ", " + c[2].source + ")";
        dot.appendChild(title);
        svg.appendChild(dot);
      });
      var box = el("div", "mk-series");
      box.appendChild(el("div", "mk-series-title", data.metrics[metric].label + " (" +
        (data.metrics[metric].unit_label || "count") + "), cumulative"));
      box.appendChild(svg);
      box.appendChild(el("div", "mk-series-range", fmt(points[0].value_std) + " (" +
        points[0].as_of + ") → " + fmt(points[points.length - 1].value_std) + " (" +
        points[points.length - 1].as_of + ")"));
      return box;
    }

    function drawPanel() {
      panelBox.textContent = "";
      var head = el("div", "mk-title-row");
      head.appendChild(el("div", "mk-title", data.title));
      var toggle = el("button", "mk-toggle", panelBox.classList.contains("mk-collapsed") ? "Show" : "Hide");
      toggle.type = "button";
      toggle.addEventListener("click", function () {
        panelBox.classList.toggle("mk-collapsed");
        toggle.textContent = panelBox.classList.contains("mk-collapsed") ? "Show" : "Hide";
      });
      head.appendChild(toggle);
      panelBox.appendChild(head);
      var time = el("div", "mk-time");
      var slider = el("input", "mk-slider");
      slider.type = "range"; slider.min = 0; slider.max = data.dates.length - 1; slider.step = 1;
      slider.value = data.dates.indexOf(state.date);
      slider.setAttribute("aria-label", "Date of the figures shown");
      slider.addEventListener("input", function () { setDate(data.dates[Number(slider.value)]); });
      time.appendChild(el("label", "mk-date", "Figures as of " + state.date));
      time.appendChild(slider);
      panelBox.appendChild(time);
      panelBox.appendChild(el("div", "mk-head", "Azerbaijan — key figures"));
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
      });
      panelBox.appendChild(table);
      data.series_metrics.forEach(function (metric) {
        var c = chart(metric);
        if (c) panelBox.appendChild(c);
      });
      var flows = data.metric_order.map(function (m) { return current("AZ", m, true); })
        .filter(Boolean);
      if (flows.length) {
        panelBox.appendChild(el("div", "mk-head", "Latest weekly / monthly / yearly reports"));
        flows.forEach(function (f) {
          var row = el("div", "mk-flow");
          row.appendChild(el("b", null, data.metrics[f.metric].label + ": "));
          row.appendChild(el("span", "mk-value", stated(f)));
          row.appendChild(el("div", "mk-when", "in " + f.period_start + " to " + f.as_of +
            " only (not a total)"));
          row.appendChild(sourceLine(f));
          panelBox.appendChild(row);
        });
      }
      drawCorridorPanel();
      drawWorkedPanel();
      drawNotOnThisMap();
      var groups = data.figures.filter(function (f) {
        return (f.iso === "" || f.iso.indexOf("+") >= 0) && f.as_of_date <= state.date;
      });
      if (groups.length) {
        panelBox.appendChild(el("div", "mk-head", "Not on the map: groups of districts, former or unnamed districts"));
        groups.forEach(function (f) {
          var row = el("div", "mk-flow");
          row.appendChild(el("b", null, f.area_name + ": "));
          row.appendChild(el("span", "mk-value", data.metrics[f.metric].label + " " + stated(f)));
          row.appendChild(el("div", "mk-when", period(f)));
          row.appendChild(sourceLine(f));
          panelBox.appendChild(row);
        });
      }
    }

    // Figures of districts the boundary file has no polygon for (a partial file): listed, never
    // dropped in silence.
    function drawNotOnThisMap() {
      var drawn = {};
      layers.districts.eachLayer(function (layer) { drawn[layer.feature.properties.iso] = true; });
      var missing = data.figures.filter(function (f) {
        return /^AZ-[A-Z]+$/.test(f.iso) && !drawn[f.iso] && f.as_of_date <= state.date;
      });
      if (!missing.length) return;
      var box = el("div", "mk-offmap");
      box.appendChild(el("div", "mk-head", "Not on this map: districts the boundary file does not cover"));
      missing.forEach(function (f) {
        var row = el("div", "mk-flow");
        row.appendChild(el("b", null, f.area_name + ": "));
        row.appendChild(el("span", "mk-value", data.metrics[f.metric].label + " " + stated(f)));
        row.appendChild(el("div", "mk-when", period(f)));
        row.appendChild(sourceLine(f));
        box.appendChild(row);
      });
      panelBox.appendChild(box);
    }

    function setDate(date) {
      // Show the figures as they stood on `date`: the latest date with figures on or before it.
      var known = data.dates.filter(function (d) { return d <= date; });
      if (!known.length) throw new Error("no figures on or before " + date);
      state.date = known[known.length - 1];
      restyle();
      return state.date;
    }

    // Views --------------------------------------------------------------------------------
    var views = L.control({ position: "topleft" });
    var viewBox = el("div", "mk-box mk-views");
    views.onAdd = function () {
      L.DomEvent.disableClickPropagation(viewBox);
      return viewBox;
    };
    data.views.forEach(function (view) {
      var button = el("button", "mk-view", view.label);
      button.type = "button";
      button.addEventListener("click", function () {
        map.fitBounds(view.bounds, { paddingTopLeft: [150, 10], paddingBottomRight: [300, 10] });
      });
      viewBox.appendChild(button);
    });
    views.addTo(map);

    // Corridors and stations ------------------------------------------------------------------
    function lineTooltip(layer) {
      var p = layer.feature.properties;
      var box = el("div", "mk-tip");
      box.appendChild(el("div", "mk-tip-title", p.segment));
      box.appendChild(el("div", "mk-tip-sub", p.corridor + " · " + p.mode));
      box.appendChild(el("div", "mk-tip-row", "Status: " + p.status + " (reported " +
        p.status_date + ")"));
      var length = "Length: " + fmt(p.length_km) + " km (geodesic)";
      if (p.stated_length_km !== null && p.stated_length_km !== "") {
        length += "; stated " + fmt(p.stated_length_km) + " km";
      }
      box.appendChild(el("div", "mk-tip-row", length));
      if (p.districts) box.appendChild(el("div", "mk-tip-row", "Districts: " + p.districts));
      if (p.schematic) box.appendChild(el("div", "mk-tip-row", "Route schematic: " + p.schematic));
      box.appendChild(el("div", "mk-tip-src", "Source: " + p.status_source));
      return box;
    }

    if (layers.corridors) {
      var hits = [];
      layers.corridors.eachLayer(function (layer) {
        var p = layer.feature.properties;
        layer.setStyle({ color: data.corridor_modes[p.mode] || "#333", weight: 4, opacity: 0.9,
                         dashArray: data.corridor_status[p.status] || null, lineCap: "butt" });
        layer.bindTooltip(lineTooltip, { sticky: true, className: "mk-tooltip" });
        // A wide invisible twin, so that dashed and dotted lines can be hovered in their gaps.
        var hit = L.polyline(layer.getLatLngs(), { weight: 14, opacity: 0, className: "mk-hit" });
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
          box.appendChild(el("div", "mk-tip-src", "Position: " + p.source));
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
      if (layers.control) layers.control.addOverlay(worked, data.worked_label);
    }

    function bindWorkedTooltip(feature, layer) {
      layer.bindTooltip(function () {
        var p = layer.feature.properties, list = reportsFor(p.iso);
        var box = el("div", "mk-tip");
        box.appendChild(el("div", "mk-tip-title", p.name_en + " (" + p.name_az + ")"));
        if (!list.length) {
          box.appendChild(el("div", "mk-nodata", "Not named in the agency reports mapkit has"));
          return box;
        }
        var last = list[list.length - 1];
        box.appendChild(el("div", "mk-tip-row", "Named as worked in " + list.length +
          " agency reports up to " + state.date));
        box.appendChild(el("div", "mk-tip-src", "Latest: " + (last.period_start || "?") + " to " +
          last.as_of + " · " + last.source_short + (last.name_as_written !== p.name_en
            ? " (written “" + last.name_as_written + "”)" : "")));
        return box;
      }, { sticky: true, className: "mk-tooltip" });
    }

    function drawWorkedPanel() {
      var unplaced = data.worked.filter(function (w) { return !w.iso && w.as_of_date <= state.date; });
      if (!unplaced.length) return;
      var groups = {};
      unplaced.forEach(function (w) { (groups[w.unplaced] = groups[w.unplaced] || []).push(w); });
      panelBox.appendChild(el("div", "mk-head", "Named in reports, not a current unit (not on the map)"));
      Object.keys(groups).forEach(function (reason) {
        var list = groups[reason];
        var written = list.map(function (w) { return w.name_as_written; })
          .filter(function (n, i, all) { return all.indexOf(n) === i; });
        panelBox.appendChild(el("div", "mk-flow", written.join(" / ") + ": named in " + list.length +
          (list.length === 1 ? " report" : " reports") + ", latest " + list[list.length - 1].as_of +
          " — " + reason));
      });
    }

    function drawCorridorPanel() {
      if (!data.corridor_table.length) return;
      panelBox.appendChild(el("div", "mk-head", "Zangazur corridor — districts crossed"));
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
        if (!any) td.appendChild(el("div", "mk-nodata", "no published clearance figure"));
        tr.appendChild(td);
        table.appendChild(tr);
      });
      panelBox.appendChild(table);
    }

    restyle();
    window.mapkit = { map: map, layers: layers, worked: worked, data: data, state: state,
      setDate: setDate,
      setSeries: function (series) { state.series = series; restyle(); } };
  };
})();
