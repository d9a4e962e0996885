/* mapkit atlas: the collapsible boxes, and the key-figures panel: time control, key figures,
 * charts, flows, corridors, worked and off-map figures. A part of the kit (atlas-words.js). */
(function () {
  "use strict";

  var kit = window.mapkitKit, el = kit.el;

  // Collapsible boxes -------------------------------------------------------------------------
  kit.collapsible = function (ctx, position, className, heading, showKey, hideKey) {
    var t = ctx.t, control = L.control({ position: position });
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
    set(kit.small(ctx.map));
    ctx.label(function () {
      headText.textContent = heading();
      set(box.classList.contains("mk-collapsed"));
    });
    control.onAdd = function () {
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(ctx.map);
    return { box: box, body: body, set: set };
  };

  // Key figures panel: title, time control and district list built once ----------------------
  kit.panel = function (ctx) {
    var data = ctx.data, panel = ctx.panel = kit.collapsible(ctx, "topright", "mk-panel",
      ctx.title, "show_panel", "hide_panel");
    var time = el("div", "mk-time");
    var slider = ctx.slider = el("input", "mk-slider");
    slider.id = "mk-slider";
    slider.type = "range"; slider.min = 0; slider.max = data.dates.length - 1; slider.step = 1;
    slider.value = data.dates.length - 1;
    slider.hidden = data.dates.length < 2;  // a page of the latest figures only (payload.py)
    ctx.label(function () { slider.setAttribute("aria-label", ctx.t("date_slider")); });
    var dateLabel = ctx.dateLabel = el("label", "mk-date");
    dateLabel.htmlFor = slider.id;
    slider.addEventListener("input", function () {
      ctx.setDate(data.dates[Number(slider.value)]);
    });
    time.appendChild(dateLabel);
    time.appendChild(slider);
    panel.body.appendChild(time);
    ctx.choices = el("div", "mk-choices");  // what the districts show, beside the date
    panel.body.appendChild(ctx.choices);
    ctx.panelData = el("div", "mk-panel-data");
    panel.body.appendChild(ctx.panelData);

    var labelAt = ctx.labelAt = {};
    data.labels.forEach(function (d) { labelAt[d.iso] = d; });
    ctx.goTo = function (iso) {
      var layer = ctx.byIso[iso];
      if (!layer) return;
      ctx.map.fitBounds(layer.getBounds(), ctx.fitOptions({ maxZoom: 9, animate: false }));
      var spot = labelAt[iso];
      layer.openTooltip(spot ? [spot.lat, spot.lon] : layer.getBounds().getCenter());
    };
    ctx.keyTable = function () { return keyTable(ctx); };
    ctx.drawPanel = function () { drawPanel(ctx); };
  };

  // Panel contents that follow the date -------------------------------------------------------
  function chart(ctx, metric) {
    var points = (ctx.byPlace["AZ|" + metric] || []).filter(function (f) {
      return f.kind !== "flow" && !f.scope && f.as_of_date <= ctx.state.date;
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
      dot.setAttribute("fill", ctx.findings[c[2].id] ? "#d95f02" : "#2b5d8a");
      var title = document.createElementNS(ns, "title");
      title.textContent = ctx.stated(c[2]) + " (" + ctx.when(c[2].as_of) + ", " + c[2].source + ")";
      dot.appendChild(title);
      svg.appendChild(dot);
    });
    return chartBox(ctx, metric, points, svg);
  }
  function chartBox(ctx, metric, points, svg) {
    var fmt = ctx.fmt, when = ctx.when, first = points[0], last = points[points.length - 1];
    var box = el("div", "mk-series");
    box.appendChild(el("div", "mk-series-title", ctx.t("cumulative", {
      label: ctx.metricName(metric),
      unit: ctx.unitName(ctx.data.metrics[metric].unit_label) || ctx.t("count_unit") })));
    box.appendChild(svg);
    box.appendChild(el("div", "mk-series-range", fmt(first.value_std) + " (" +
      when(first.as_of) + ") → " + fmt(last.value_std) + " (" + when(last.as_of) + ")"));
    return box;
  }

  function keyTable(ctx) {
    var table = el("table", "mk-key");
    ctx.data.metric_order.forEach(function (metric) {
      var f = ctx.current("AZ", metric, false);
      if (!f) return;
      var tr = el("tr", "mk-key-row");
      tr.setAttribute("data-metric", metric);
      tr.appendChild(el("th", null, ctx.metricName(metric)));
      var td = el("td");
      td.appendChild(el("span", "mk-value", ctx.stated(f)));
      td.appendChild(el("div", "mk-when", ctx.period(f)));
      td.appendChild(ctx.sourceLine(f));
      tr.appendChild(td);
      table.appendChild(tr);
      if (ctx.findings[f.id]) {
        tr.classList.add("mk-flagged");
        var note = el("tr", "mk-key-finding");
        var cell = el("td");
        cell.colSpan = 2;
        note.appendChild(ctx.flag(cell, f, true));
        table.appendChild(note);
      }
    });
    return table;
  }

  function figureRow(ctx, label, f, when) {
    var row = el("div", "mk-flow");
    row.appendChild(el("b", null, label + ": "));
    row.appendChild(el("span", "mk-value", ctx.stated(f)));
    row.appendChild(el("div", "mk-when", when));
    row.appendChild(ctx.sourceLine(f));
    return ctx.flag(row, f, true);
  }

  function drawPanel(ctx) {
    var data = ctx.data, state = ctx.state, t = ctx.t, when = ctx.when, panelData = ctx.panelData;
    panelData.textContent = "";
    ctx.dateLabel.textContent = t("date_label", { date: when(state.date) });
    var key = keyTable(ctx);
    if (key.rows.length) {  // no heading over an empty table (--only, before the first figure)
      panelData.appendChild(el("div", "mk-head", t("key_head")));
      panelData.appendChild(key);
    }
    data.series_metrics.forEach(function (metric) {
      var c = chart(ctx, metric);
      if (c) panelData.appendChild(c);
    });
    var flows = data.metric_order.map(function (m) { return ctx.current("AZ", m, true); })
      .filter(Boolean);
    if (flows.length) {
      panelData.appendChild(el("div", "mk-head", t("flows_head")));
      flows.forEach(function (f) {
        panelData.appendChild(figureRow(ctx, ctx.metricName(f.metric), f,
          t("flow_only", { start: when(f.period_start), end: when(f.as_of) })));
      });
    }
    drawCorridorPanel(ctx);
    drawWorkedPanel(ctx);
    drawNotOnThisMap(ctx);
    var groups = data.figures.filter(function (f) {
      return (f.iso === "" || f.iso.indexOf("+") >= 0) && f.as_of_date <= state.date;
    });
    if (groups.length) {
      panelData.appendChild(el("div", "mk-head", t("groups_head")));
      groups.forEach(function (f) {
        var row = figureRow(ctx, f.area_name, f, ctx.period(f));
        row.querySelector(".mk-value").textContent = ctx.metricName(f.metric) + " " + ctx.stated(f);
        panelData.appendChild(row);
      });
    }
  }

  // Figures of districts the boundary file has no polygon for (a partial file): listed, never
  // dropped in silence.
  function drawNotOnThisMap(ctx) {
    var drawn = {};
    ctx.layers.districts.eachLayer(function (layer) {
      var p = layer.feature.properties;  // a region is drawn for its districts (members)
      String(p.members || p.iso).split("+").concat([p.iso]).forEach(function (iso) {
        drawn[iso] = true;
      });
    });
    var missing = ctx.data.figures.filter(function (f) {
      return /^AZ-[A-Z]+$/.test(f.iso) && !drawn[f.iso] && f.as_of_date <= ctx.state.date;
    });
    if (!missing.length) return;
    var box = el("div", "mk-offmap");
    box.appendChild(el("div", "mk-head", ctx.t("offmap_head")));
    missing.forEach(function (f) {
      var row = el("div", "mk-flow");
      row.appendChild(el("b", null, f.area_name + ": "));
      row.appendChild(el("span", "mk-value", ctx.metricName(f.metric) + " " + ctx.stated(f)));
      row.appendChild(el("div", "mk-when", ctx.period(f)));
      row.appendChild(ctx.sourceLine(f));
      box.appendChild(row);
    });
    ctx.panelData.appendChild(box);
  }

  function drawWorkedPanel(ctx) {
    var unplaced = ctx.data.worked.filter(function (w) {
      return !w.iso && w.as_of_date <= ctx.state.date;
    });
    if (!unplaced.length) return;
    var groups = {};
    unplaced.forEach(function (w) {  // why, in the page's language where geo/ says it so
      var why = (w.unplaced_said || {})[ctx.state.lang] || w.unplaced;
      (groups[why] = groups[why] || []).push(w);
    });
    ctx.panelData.appendChild(el("div", "mk-head", ctx.t("worked_head")));
    Object.keys(groups).forEach(function (reason) {
      var list = groups[reason];
      var written = list.map(function (w) { return w.name_as_written; })
        .filter(function (n, i, all) { return all.indexOf(n) === i; });
      ctx.panelData.appendChild(el("div", "mk-flow", ctx.t("worked_named", {
        names: written.join(" / "), n: list.length, date: ctx.when(list[list.length - 1].as_of),
        reason: reason })));
    });
  }

  function drawCorridorPanel(ctx) {
    var data = ctx.data, byIso = ctx.byIso;
    if (!data.corridor_table.length) return;
    ctx.panelData.appendChild(el("div", "mk-head", ctx.t("corridor_table_head")));
    var table = el("table", "mk-key mk-corridor-table");
    data.corridor_table.forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", null, (byIso[row.iso] ? ctx.placeName(byIso[row.iso].feature.properties)
        : row.name_en) + " (" + ctx.fmt(row.length_km) + " " + ctx.t("map.km") + ")"));
      var td = el("td");
      var any = false;
      data.series_order.forEach(function (series) {
        if (data.series[series].metric !== "cleared_area") return;
        var f = ctx.inSeries(row.iso, series);
        if (!f) return;
        any = true;
        td.appendChild(el("div", null, ctx.seriesLabel(series) + ": " + ctx.stated(f)));
      });
      if (!any) td.appendChild(el("div", "mk-nodata", ctx.t("corridor_no_clearance")));
      tr.appendChild(td);
      table.appendChild(tr);
    });
    ctx.panelData.appendChild(table);
  }
})();
