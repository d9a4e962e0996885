/* mapkit atlas, first of its scripts: the namespace the parts share (window.mapkitKit), the
 * page's framing, elements, numbers and dates, and every word from data.i18n (geo/words.csv,
 * metrics.csv, units.csv, Babel). Each part adds its setup function to the kit; mapkitAtlas
 * (atlas.js) calls them in turn with one object, ctx, that holds what they share. */
(function () {
  "use strict";

  var kit = window.mapkitKit = window.mapkitKit || {};
  var NARROW = 900, SHORT = 560, COLUMN = 300;

  // The panel and legend start collapsed on narrow or short screens (phones, notebook cells).
  kit.small = function (map) {
    var size = map.getSize();
    return size.x < NARROW || size.y < SHORT;
  };

  // Padding that scales with the screen, and room for the open right-hand column if it fits.
  kit.frameOptions = function (map, columnOpen, extra) {
    var size = map.getSize(), pad = Math.round(Math.min(size.x, size.y) * 0.03) + 4;
    var right = pad + (columnOpen && size.x >= NARROW ? Math.min(COLUMN, size.x * 0.35) : 0);
    var options = { paddingTopLeft: [pad, pad], paddingBottomRight: [right, pad] };
    for (var key in extra) options[key] = extra[key];
    return options;
  };
  kit.frame = function (map, bounds, columnOpen) {
    map.options.zoomSnap = 0.25;
    map.fitBounds(bounds, kit.frameOptions(map, columnOpen, { animate: false }));
    if (!isFinite(map.getZoom())) map.setView(L.latLngBounds(bounds).getCenter(), 6);
  };
  // Called by the page right after the map is made, before any layer is drawn.
  window.mapkitFrame = function (map, bounds) { kit.frame(map, bounds, !kit.small(map)); };

  kit.el = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

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

  // Words: every one from data.i18n[state.lang]; ctx.label(write) writes a control's words now
  // and again on each change of language (controls are built once).
  kit.words = function (ctx) {
    var data = ctx.data, state = ctx.state;
    function say() { return data.i18n[state.lang]; }
    function t(key, params) {  // on a map of regions, a key's "@region" variant where it has one
      var words = say().words, text = (data.region_map && words[key + "@region"]) || words[key];
      return String(text === undefined ? key : text).replace(/\{(\w+)\}/g, function (all, name) {
        return params && name in params ? String(params[name]) : all;
      });
    }
    // "2025-05-20" as the language writes it (Babel's long format); English keeps ISO dates.
    function when(text) {
      var d = say().dates, m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(String(text || ""));
      if (!d || !m) return text;
      var pattern = m[3] ? d.day[Number(m[2]) - 1] : d.month[Number(m[2]) - 1];
      return pattern.replace("{d}", String(Number(m[3]))).replace("{y}", m[1]);
    }
    ctx.say = say;
    ctx.t = t;
    ctx.when = when;
    ctx.fmt = function (value) { return formatNumber(value, say().number); };
    // A value from the data that the words table may name (a kind, status, region), else as is.
    ctx.named = function (prefix, value) {
      var text = say().words[prefix + value];
      return text === undefined ? value : text;
    };
    ctx.metricName = function (metric) {
      return say().metrics[metric] || data.metrics[metric].label;
    };
    ctx.unitName = function (label) { return label ? say().units[label] || label : label; };
    ctx.seriesLabel = function (series) {
      var s = data.series[series];
      return s.labels ? s.labels[state.lang] : s.label;
    };
    ctx.placeName = function (p) { return p["name_" + state.lang] || p.name_en; };
    ctx.title = function () {  // the default title follows the language; one a caller chose stays
      return data.title === data.i18n[data.lang].words.title ? t("title") : data.title;
    };
    ctx.relabels = [];  // what a change of language re-labels
    ctx.restyled = [];  // what a change of date, series or view re-draws besides map and panel
    ctx.label = function (write) { ctx.relabels.push(write); write(); };
  };
})();
