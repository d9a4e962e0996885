/* mapkit atlas: the legend, and the series and view selectors beside the date. A part of the
 * kit (atlas-words.js). */
(function () {
  "use strict";

  var kit = window.mapkitKit, el = kit.el;

  // Legend: series and view selectors built once ----------------------------------------------
  kit.legend = function (ctx) {
    var data = ctx.data, state = ctx.state, t = ctx.t;
    ctx.legend = kit.collapsible(ctx, "topright", "mk-legend",
      function () { return t("legend_title"); }, "show_legend", "hide_legend");
    var select = ctx.select = el("select", "mk-series-select");
    data.series_order.forEach(function (series) {
      var option = el("option");
      option.value = series;
      option.selected = series === state.series;
      select.appendChild(option);
    });
    ctx.label(function () {
      select.setAttribute("aria-label", t("series_select"));
      data.series_order.forEach(function (series, i) {
        var n = data.series[series].districts;
        select.options[i].textContent = ctx.seriesLabel(series) + " (" +
          t(n === 1 ? "districts_count_one" : "districts_count", { n: n }) + ")";
      });
    });
    select.addEventListener("change", function () { state.series = select.value; ctx.restyle(); });
    var viewSelect = ctx.viewSelect = el("select", "mk-view-select");
    ctx.label(function () { viewSelect.setAttribute("aria-label", t("view_select")); });
    ctx.choices.appendChild(select);
    ctx.choices.appendChild(viewSelect);
    viewSelect.addEventListener("change", function () {
      state.view = viewSelect.value;
      ctx.restyle();
    });
    ctx.legendData = el("div", "mk-legend-data");
    ctx.legend.body.appendChild(ctx.legendData);
    corridorLegend(ctx);
    ctx.drawLegend = function () { drawLegend(ctx); };
  };

  function corridorLegend(ctx) {
    if (!ctx.data.corridor_legend.length) return;
    var t = ctx.t, body = ctx.legend.body;
    var corridorsHead = el("div", "mk-legend-head");
    ctx.label(function () { corridorsHead.textContent = t("corridors_head"); });
    body.appendChild(corridorsHead);
    ctx.data.corridor_legend.forEach(function (item) {
      var row = el("div", "mk-legend-row mk-legend-line");
      var line = el("span", "mk-line");
      line.style.borderTop = "4px " + item.border + " " + item.colour;
      row.appendChild(line);
      var text = el("span");
      ctx.label(function () {
        text.textContent = item.status ? t("line_style",
          { status: ctx.named("map.status.", item.label) }) : ctx.named("map.mode.", item.label);
      });
      row.appendChild(text);
      body.appendChild(row);
    });
  }

  function swatch(fill) {
    var s = el("span", "mk-swatch");
    if (fill) s.style.background = fill;
    else s.classList.add("mk-swatch-nodata");
    return s;
  }

  function viewOptions(ctx, m) {
    var t = ctx.t, viewSelect = ctx.viewSelect;
    viewSelect.textContent = "";
    var options = [["absolute", t("view_absolute",
      { unit: (m && ctx.unitName(m.unit_label)) || t("count_unit") })]];
    if (m && m.share) options.push(["share", t("view_share")]);
    options.forEach(function (o) {
      var option = el("option", null, o[1]);
      option.value = o[0];
      option.selected = o[0] === ctx.state.view;
      viewSelect.appendChild(option);
    });
    viewSelect.disabled = options.length < 2;
  }

  function drawLegend(ctx) {
    var state = ctx.state, t = ctx.t, fmt = ctx.fmt, legendData = ctx.legendData;
    legendData.textContent = "";
    var m = ctx.data.series[state.series];
    viewOptions(ctx, m);
    if (!m) {
      legendData.appendChild(el("div", "mk-legend-unit", t("no_series")));
    } else {
      var share = ctx.shareShown(state.series), k = ctx.classes(state.series);
      legendData.appendChild(el("div", "mk-legend-unit", t("unit_line",
        { label: ctx.seriesLabel(state.series),
          unit: share ? "%" : (ctx.unitName(m.unit_label) || t("count_unit")) })));
      if (share) legendData.appendChild(el("div", "mk-formula", t("share_formula")));
      var present = Object.keys(ctx.byIso).some(function (iso) {
        return ctx.inSeries(iso, state.series);
      });
      if (!present) {
        legendData.appendChild(el("div", "mk-legend-empty", t("no_figure_at_date",
          { date: ctx.when(state.date) })));
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
})();
