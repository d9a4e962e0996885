/* mapkit atlas: the figure current at the page's date, and a figure as the page states it
 * (value and unit, period, source, the validation findings that concern it). A part of the kit
 * (atlas-words.js). */
(function () {
  "use strict";

  var kit = window.mapkitKit, el = kit.el;

  // Figures come in the order Python ranks them: the last one on or before a date is current.
  kit.figures = function (ctx) {
    var data = ctx.data, state = ctx.state;
    // "iso|metric" for the national panel, "iso|@series" for the districts
    var byPlace = ctx.byPlace = {};
    var findings = ctx.findings = {};
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
    ctx.current = function (iso, metric, flows) {
      return lastOnOrBefore(byPlace[iso + "|" + metric] || [], function (f) {
        return !f.scope && (f.kind === "flow") === Boolean(flows);
      });
    };
    ctx.inSeries = function (iso, series) {
      return lastOnOrBefore(byPlace[iso + "|@" + series] || [], function () { return true; });
    };
    ctx.shareShown = function (series) {
      return state.view === "share" && data.series[series].share;
    };
    ctx.classes = function (series) {
      return ctx.shareShown(series) ? data.series[series].share : data.series[series];
    };
    ctx.shown = function (series, f) { return ctx.shareShown(series) ? f.share : f.value_std; };
    stating(ctx);
  };

  function stating(ctx) {
    var t = ctx.t;
    ctx.stated = function (f) {
      var unit = f.unit_label ? " " + ctx.unitName(f.unit_label) : "";
      var text = ctx.fmt(f.value) + (f.unit === "%" ? "%" : unit);
      if (!f.qualifier) return text;
      var qualified = ctx.say().words["qualifier." + f.qualifier];
      return qualified ? qualified.replace("{value}", text) : f.qualifier + " " + text;
    };
    ctx.period = function (f) {
      return f.period_start ? t("period", { start: ctx.when(f.period_start), end: ctx.when(f.as_of) })
        : t("as_of", { date: ctx.when(f.as_of) });
    };
    // A figure's short source; a sum of districts' figures (a map of regions) says so in words
    ctx.sourceShort = function (f) {
      if (!f.summed) return f.source_short;
      return t(f.summed[0] === 1 ? "summed_one" : "summed",
        { n: ctx.fmt(f.summed[0]), size: ctx.fmt(f.summed[1]) }) + ": " + f.summed[2];
    };
    ctx.sourceLine = function (f) {
      var span = el("span", "mk-source", ctx.sourceShort(f));
      span.title = f.source;
      if (f.url && /^https?:\/\//.test(f.url)) {
        var link = el("a", null, " " + t("link"));
        link.href = f.url;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        span.appendChild(link);
      }
      return span;
    };
    // A figure a validation finding concerns is marked, with the finding in words: folded
    // (a <details>) in the panel, written out in a tooltip, which cannot be clicked.
    ctx.flag = function (node, f, folded) {
      (ctx.findings[f.id] || []).forEach(function (finding) {
        node.classList.add("mk-flagged");
        var note = el(folded ? "details" : "div", "mk-finding mk-finding-" + finding.level);
        var head = el(folded ? "summary" : "b", null, t("finding_mark") + " " +
          t("finding_head", { kind: ctx.named("check.", finding.kind) }));
        note.appendChild(head);
        if (ctx.state.lang === "en") {
          note.appendChild(el("div", null, finding.message));  // as mapkit validate says it
        } else {  // the kind in the page's language, then each figure as the page states it
          note.appendChild(el("div", null, t("finding_says." + finding.kind)));
          finding.values.forEach(function (v) {
            note.appendChild(el("div", "mk-finding-figure",
              ctx.stated(v) + ", " + ctx.period(v) + " — " + v.source));
          });
        }
        node.appendChild(note);
      });
      return node;
    };
  }
})();
