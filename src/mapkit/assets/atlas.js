/* mapkit atlas: district colours, tooltips, legend, key-figures panel, time control and views.
 * Everything is drawn from the data embedded by mapkit.render, and every word from data.words
 * (geo/words.csv). Strings from data reach the page only through textContent and DOM attributes,
 * never through innerHTML or templates. Controls are built once; only their contents change.
 * This script, the last, puts the kit's parts together (atlas-words.js and the others, inlined
 * before it in the order mapkit.offline lists them): they share one object, ctx. */
(function () {
  "use strict";

  var kit = window.mapkitKit, el = kit.el;

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
    var ctx = { map: map, layers: layers, data: data, el: el,
      state: { date: data.dates[data.dates.length - 1], series: data.default_series,
               view: "absolute", lang: data.lang } };
    kit.words(ctx);
    kit.figures(ctx);
    kit.districts(ctx);
    changes(ctx);
    kit.panel(ctx);
    kit.legend(ctx);
    views(ctx);
    kit.names(ctx);
    kit.lines(ctx);
    kit.worked(ctx);
    printSheet(ctx);
    languages(ctx);
    ctx.restyle();  // the view was framed before the layers were drawn (mapkitFrame)
    ctx.showNames();
    untab(map);
    map.on("overlayadd", function () { untab(map); });
    var api = { map: map, layers: layers, worked: ctx.worked, data: data, state: ctx.state,
      setDate: ctx.setDate, fitView: ctx.fitView, setLanguage: ctx.setLanguage,
      setSeries: function (series) {
        ctx.state.series = series;
        ctx.select.value = series;
        ctx.restyle();
      },
      setView: function (view) { ctx.state.view = view; ctx.viewSelect.value = view; ctx.restyle(); } };
    window.mapkit = api;
    // Parts drawn by other scripts (atlas-share.js) get ctx to read and re-label with.
    (window.mapkitParts || []).forEach(function (part) { part(api, ctx); });
  };

  // What follows a change of date, series, view; framing with room for the open column ---------
  function changes(ctx) {
    var map = ctx.map, data = ctx.data, state = ctx.state;
    ctx.restyle = function () {
      ctx.layers.districts.eachLayer(function (layer) {
        layer.setStyle(ctx.districtStyle(layer.feature));
        if (layer.isTooltipOpen()) layer.getTooltip().update();  // a reader keeps the mouse still
      });
      if (ctx.worked) {
        ctx.worked.eachLayer(function (layer) { layer.setStyle(ctx.workedStyle(layer.feature)); });
      }
      ctx.drawLegend();
      ctx.drawPanel();
      ctx.restyled.forEach(function (hook) { hook(); });
      ctx.reprint();
    };
    ctx.setDate = function (date) {
      // Show the figures as they stood on `date`: the latest date with figures on or before it.
      var known = data.dates.filter(function (d) { return d <= date; });
      if (!known.length) throw new Error("no figures on or before " + date);
      state.date = known[known.length - 1];
      var index = data.dates.indexOf(state.date);
      if (Number(ctx.slider.value) !== index) ctx.slider.value = index;
      ctx.restyle();
      return state.date;
    };
    function isOpen(part) { return !part.box.classList.contains("mk-collapsed"); }
    function columnOpen() { return isOpen(ctx.panel) || isOpen(ctx.legend); }
    ctx.fitOptions = function (extra) { return kit.frameOptions(map, columnOpen(), extra); };
    ctx.fitView = function (bounds) { kit.frame(map, bounds, columnOpen()); };
  }

  function views(ctx) {
    var control = L.control({ position: "topleft" });
    var viewBox = ctx.viewBox = el("div", "mk-box mk-views");
    viewBox.setAttribute("role", "group");
    ctx.label(function () { viewBox.setAttribute("aria-label", ctx.t("views_label")); });
    control.onAdd = function () {
      L.DomEvent.disableClickPropagation(viewBox);
      return viewBox;
    };
    ctx.data.views.forEach(function (view) {
      var button = el("button", "mk-view");
      ctx.label(function () {
        button.textContent = view.word && ctx.say().words[view.word] ? ctx.t(view.word)
          : view.label;
      });
      button.type = "button";
      button.addEventListener("click", function () { ctx.fitView(view.bounds); });
      viewBox.appendChild(button);
    });
    control.addTo(ctx.map);
  }

  // Print: the map on the page, then title, date, legend, key figures and sources ------------
  function printSheet(ctx) {
    var map = ctx.map, data = ctx.data;
    var sheet = el("div", "mk-print");
    sheet.setAttribute("aria-hidden", "true");
    document.body.appendChild(sheet);
    var printing = window.matchMedia ? window.matchMedia("print") : { matches: false };
    var printed = false;
    function drawPrint() {
      if (printed) return;
      printed = true;
      drawSheet(ctx, sheet);
    }
    ctx.reprint = function () {
      printed = false;
      if (printing.matches) drawPrint();
    };
    function toPrint() {
      drawPrint();
      map.invalidateSize({ animate: false });
      ctx.fitView(data.views[0].bounds);
    }
    function fromPrint() { map.invalidateSize({ animate: false }); ctx.fitView(data.views[0].bounds); }
    window.addEventListener("beforeprint", toPrint);
    window.addEventListener("afterprint", fromPrint);
    if (printing.addEventListener) {
      printing.addEventListener("change", function (e) { if (e.matches) toPrint(); else fromPrint(); });
    }
  }
  function drawSheet(ctx, sheet) {
    var t = ctx.t, state = ctx.state, select = ctx.select;
    sheet.textContent = "";
    sheet.appendChild(el("h1", null, ctx.title()));
    sheet.appendChild(el("p", "mk-print-date", t("print_date", { date: ctx.when(state.date) })));
    var row = el("div", "mk-print-row");
    var legendCopy = el("div", "mk-print-legend");
    legendCopy.appendChild(el("div", "mk-legend-unit", select.options[select.selectedIndex] ?
      select.options[select.selectedIndex].textContent : ""));
    legendCopy.appendChild(ctx.legendData.cloneNode(true));
    row.appendChild(legendCopy);
    row.appendChild(ctx.keyTable());
    sheet.appendChild(row);
    sheet.appendChild(el("h2", null, t("print_sources")));
    var list = el("ul", "mk-print-sources"), seen = {};
    ctx.data.figures.forEach(function (f) {
      if (f.as_of_date > state.date || seen[f.source]) return;
      seen[f.source] = true;
      list.appendChild(el("li", null, f.source + (f.url ? " — " + f.url : "")));
    });
    sheet.appendChild(list);
  }

  // Shapes are reached through the district list, not one Tab stop each ----------------------
  function untab(map) {
    var svgs = map.getPanes().overlayPane.querySelectorAll("svg, path");
    for (var i = 0; i < svgs.length; i++) {
      svgs[i].setAttribute("tabindex", "-1");
      svgs[i].setAttribute("focusable", "false");
    }
  }

  // The language: the layer switcher's names, the scale bar, the page's title and lang --------
  function languages(ctx) {
    var map = ctx.map, data = ctx.data, state = ctx.state, t = ctx.t;
    // The layer switcher's names: each is the English of a words key until re-labelled
    ctx.label(function () {
      var control = ctx.layers.control;
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
    ctx.label(function () {
      scaleUnits = { km: t("map.km"), m: t("metre") };
      var leaflet = map.getContainer().querySelector(".leaflet-control-attribution a[title]");
      if (leaflet) leaflet.title = "Leaflet";  // its own title is an English phrase
      document.documentElement.classList.toggle("mk-metric-only", state.lang !== "en");
      map.fire("move");  // the scale bar re-draws its text
    });
    ctx.setLanguage = function (lang) {
      if (!Object.prototype.hasOwnProperty.call(data.i18n, lang)) return;
      state.lang = lang;
      document.documentElement.lang = lang;
      document.title = ctx.title();
      ctx.relabels.forEach(function (write) { write(); });
      ctx.restyle();
    };
  }
})();
