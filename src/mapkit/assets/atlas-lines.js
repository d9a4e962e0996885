/* mapkit atlas: the layers over the districts: corridors and stations with their tooltips, and
 * the districts named as worked in agency reports. A part of the kit (atlas-words.js). */
(function () {
  "use strict";

  var kit = window.mapkitKit, el = kit.el;
  var TIP = { sticky: true, className: "mk-tooltip" };

  // Corridors and stations: a line answers only on itself -----------------------------------
  kit.lines = function (ctx) {
    var data = ctx.data, layers = ctx.layers;
    function lineTip(layer) { return lineTooltip(ctx, layer); }
    if (layers.corridors) {
      var hits = [];
      layers.corridors.eachLayer(function (layer) {
        var p = layer.feature.properties;
        layer.setStyle({ color: data.corridor_modes[p.mode] || "#333", weight: 4, opacity: 0.9,
                         dashArray: data.corridor_status[p.status] || null, lineCap: "butt" });
        layer.bindTooltip(lineTip, TIP);
        // A narrow invisible twin, so that the gaps of dashed and dotted lines answer too.
        var hit = L.polyline(layer.getLatLngs(), { weight: 6, opacity: 0, className: "mk-hit" });
        hit.feature = layer.feature;
        hit.bindTooltip(function () { return lineTip(layer); }, TIP);
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
          box.appendChild(el("div", "mk-tip-sub", ctx.named("station.", p.kind) + " · " +
            p.country));
          box.appendChild(el("div", "mk-tip-src", ctx.t("position_line", { source: p.source })));
          return box;
        }, { className: "mk-tooltip" });
      });
    }
  };

  // "Fuzuli (AZ-FUZ) 11.1 km; …" (mapkit.corridors) with names and numbers in the language
  function crossed(ctx, text) {
    return text.split("; ").map(function (part) {
      var m = /^(.*) \((AZ-[A-Z]+)\) ([\d.]+) km$/.exec(part);
      if (!m) return part;
      var name = ctx.byIso[m[2]] ? ctx.placeName(ctx.byIso[m[2]].feature.properties) : m[1];
      return name + " (" + m[2] + ") " + ctx.fmt(m[3]) + " " + ctx.t("map.km");
    }).join("; ");
  }
  function lineTooltip(ctx, layer) {
    var p = layer.feature.properties, t = ctx.t, fmt = ctx.fmt;
    var box = el("div", "mk-tip");
    box.appendChild(el("div", "mk-tip-title", p.segment));
    box.appendChild(el("div", "mk-tip-sub", ctx.named("corridor.", p.corridor) + " · " +
      ctx.named("map.mode.", p.mode)));
    box.appendChild(el("div", "mk-tip-row", t("status_line", {
      status: ctx.named("map.status.", p.status), date: ctx.when(p.status_date) })));
    var length = t("length_line", { km: fmt(p.length_km) });
    if (p.stated_length_km !== null && p.stated_length_km !== "") {
      length += t("stated_length", { km: fmt(p.stated_length_km) });
    }
    box.appendChild(el("div", "mk-tip-row", length));
    if (p.districts) box.appendChild(el("div", "mk-tip-row", t("districts_line",
      { names: crossed(ctx, p.districts) })));
    if (p.schematic) box.appendChild(el("div", "mk-tip-row", t("schematic_line",
      { text: p.schematic })));
    box.appendChild(el("div", "mk-tip-src", t("source_line", { source: p.status_source })));
    return box;
  }

  // Districts named as worked in agency reports (a categorical layer) -------------------------
  kit.worked = function (ctx) {
    var data = ctx.data, layers = ctx.layers;
    function reportsFor(iso) {
      return data.worked.filter(function (w) {
        return w.iso === iso && w.as_of_date <= ctx.state.date;
      });
    }
    ctx.workedStyle = function (feature) {
      return reportsFor(feature.properties.iso).length
        ? { color: "#1b7837", weight: 2, fillColor: "#5aae61", fillOpacity: 0.45, dashArray: null }
        : { color: "#888", weight: 0.5, fillOpacity: 0, dashArray: "2 4" };
    };
    ctx.worked = null;
    if (!data.worked.length) return;
    // Filled the first time a reader turns the layer on: the page opens without drawing it.
    var worked = ctx.worked = L.geoJSON(null, { style: ctx.workedStyle,
      className: "mapkit-worked", onEachFeature: function (feature, layer) {
        layer.bindTooltip(function () { return workedTooltip(ctx, layer, reportsFor); }, TIP);
      } });
    worked.once("add", function () { worked.addData(layers.districts.toGeoJSON()); });
    if (layers.control) layers.control.addOverlay(worked, data.i18n.en.words.worked_layer);
  };

  function workedTooltip(ctx, layer, reportsFor) {
    var p = layer.feature.properties, list = reportsFor(p.iso), t = ctx.t, when = ctx.when;
    var box = el("div", "mk-tip");
    box.appendChild(el("div", "mk-tip-title", ctx.placeName(p)));
    if (!list.length) {
      box.appendChild(el("div", "mk-nodata", t("worked_none")));
      return box;
    }
    var last = list[list.length - 1];
    box.appendChild(el("div", "mk-tip-row", t("worked_tip", { n: list.length,
      date: when(ctx.state.date) })));
    box.appendChild(el("div", "mk-tip-src", t("worked_latest", { start:
      when(last.period_start) || "?", end: when(last.as_of), source: last.source_short }) +
      (last.name_as_written !== p.name_en
        ? " " + t("worked_written", { name: last.name_as_written }) : "")));
    return box;
  }
})();
