/* mapkit atlas, to find and to share: the language switch, the district search, the view kept
 * in the URL hash, and the table of the figures shown with their CSV. A part of atlas.js
 * (window.mapkitParts): drawn from the same embedded data, every word from data.i18n, strings
 * from data written only as text. */
(function () {
  "use strict";

  var PHONE = 600;

  // A link's words are looked up only among the data's own keys (never "__proto__" and the like)
  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  // What a reader types and every known spelling, folded alike: case, accents, ə and ı.
  function fold(text) {
    return String(text).toLowerCase().replace(/ə/g, "e").replace(/ı/g, "i").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  (window.mapkitParts = window.mapkitParts || []).push(function (api, inside) {
    var share = { applying: false, writeHash: function () {} };
    var table = tableView(api, inside);
    languageSwitch(api, inside, table);
    searchBox(api, inside, share);
    urlHash(api, inside, share);
  });

  // Language switch: the three languages, each named in itself, and the table's button ---------
  function languageSwitch(api, inside, tableButton) {
    var data = api.data, state = api.state, el = inside.el, t = inside.t;
    var langs = el("div", "mk-langs");
    langs.setAttribute("role", "group");
    Object.keys(data.i18n).sort().forEach(function (lang) {  // one a column of words.csv
      var button = el("button", "mk-lang", lang.toUpperCase());
      button.type = "button";
      button.lang = lang;
      button.setAttribute("aria-label", data.i18n[lang].words.language_name);
      button.addEventListener("click", function () { api.setLanguage(lang); });
      langs.appendChild(button);
    });
    inside.label(function () {
      langs.setAttribute("aria-label", t("language"));
      langs.querySelectorAll("button").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.lang === state.lang));
      });
    });
    inside.viewBox.appendChild(tableButton);
    inside.viewBox.appendChild(langs);
  }

  // District search: any spelling the name matcher knows ----------------------------------------
  function searchBox(api, inside, share) {
    var data = api.data, state = api.state, el = inside.el, t = inside.t;
    var index = {};
    Object.keys(inside.byIso).forEach(function (iso) {
      var p = inside.byIso[iso].feature.properties;
      [p.name_en, p.name_az, p.name_ru].concat(data.aliases[iso] || []).forEach(function (name) {
        var key = name ? fold(name) : "";
        if (key && !(key in index)) index[key] = iso;
      });
    });
    function find(text) {
      var key = fold(text);
      if (!key) return null;
      if (index[key]) return index[key];
      var hits = Object.keys(index).filter(function (k) { return k.indexOf(key) === 0; })
        .map(function (k) { return index[k]; })
        .filter(function (iso, i, all) { return all.indexOf(iso) === i; });
      return hits.length === 1 ? hits[0] : null;
    }
    var form = el("form", "mk-search");
    form.setAttribute("role", "search");
    var input = el("input", "mk-search-input");
    input.type = "search";
    input.autocomplete = "off";
    input.setAttribute("list", "mk-search-names");
    var names = el("datalist");
    names.id = "mk-search-names";
    var go = el("button", "mk-search-go");
    go.type = "submit";
    var note = el("div", "mk-search-note");
    note.setAttribute("role", "status");
    [input, names, go].forEach(function (node) { form.appendChild(node); });
    inside.label(function () {
      input.setAttribute("aria-label", t("district_search"));
      input.placeholder = t("district_search_none");
      go.textContent = t("search_go");
      names.textContent = "";
      Object.keys(inside.byIso).map(function (iso) {
        return inside.placeName(inside.byIso[iso].feature.properties);
      }).sort(inside.compare)
        .forEach(function (name) { names.appendChild(el("option")).value = name; });
      note.textContent = "";
    });
    function open(iso) {
      state.district = iso;
      if (api.map.getSize().x < PHONE) inside.panel.set(true);  // the open panel hides the map
      inside.goTo(iso);
      share.writeHash();
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var iso = find(input.value);
      note.textContent = iso || !input.value.trim() ? "" : t("search_none", { name: input.value });
      if (iso) open(iso);
    });
    input.addEventListener("input", function () {  // a name picked from the list goes at once
      var picked = [].some.call(names.options, function (o) { return o.value === input.value; });
      if (picked) open(find(input.value));
    });
    inside.panel.body.insertBefore(form, inside.panelData);
    inside.panel.body.insertBefore(note, inside.panelData);
    Object.keys(inside.byIso).forEach(function (iso) {
      inside.byIso[iso].on("tooltipclose", function () {
        if (state.district === iso && !share.applying) {
          state.district = null;
          share.writeHash();
        }
      });
    });
  }

  // The table: one row per district coloured, sortable; the metric's figures as CSV ------------
  var COLUMNS = [
    ["district", "table_district", function (r) { return r.name; }],
    ["value", "table_value", function (r) { return r.f.value_std; }],
    ["date", "table_date", function (r) { return r.f.as_of_date; }],
    ["source", "table_source", function (r) { return r.source; }]
  ];
  function tableView(api, inside) {
    var el = inside.el, t = inside.t;
    inside.compare = function (a, b) {
      return String(a).localeCompare(String(b), api.state.lang);
    };
    var tableButton = el("button", "mk-view mk-table-open");
    tableButton.type = "button";
    tableButton.setAttribute("aria-haspopup", "dialog");
    inside.label(function () { tableButton.textContent = t("table_show"); });
    var dialog = el("div", "mk-table-dialog");
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", "mk-table-caption");
    dialog.hidden = true;
    document.body.appendChild(dialog);
    var table = { api: api, inside: inside, dialog: dialog, csvUrls: {},
      sort: { column: "value", descending: true } };
    table.draw = function () { drawTable(table); };
    table.close = function () {
      dialog.hidden = true;
      tableButton.focus();
    };
    tableButton.addEventListener("click", function () {
      dialog.hidden = false;
      table.draw();
      dialog.querySelector(".mk-table-close").focus();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") table.close();
    });
    inside.restyled.push(table.draw);
    return tableButton;
  }
  function rows(table) {
    var inside = table.inside, state = table.api.state;
    return Object.keys(inside.byIso).map(function (iso) {
      var f = state.series && inside.inSeries(iso, state.series);
      return f && { iso: iso, f: f, name: inside.placeName(inside.byIso[iso].feature.properties),
        source: inside.sourceShort(f) };
    }).filter(Boolean);
  }
  function sorted(table, list) {
    var sort = table.sort;
    var key = COLUMNS.filter(function (c) { return c[0] === sort.column; })[0][2];
    return list.sort(function (a, b) {
      var x = key(a), y = key(b);
      var order = typeof x === "number" ? x - y : table.inside.compare(x, y);
      return sort.descending ? -order : order;
    });
  }
  // The metric's figures as `mapkit figures --format csv` prints them, embedded gzipped and
  // unzipped by the browser itself (no library), offered as a blob link.
  function csvUrl(table, metric) {
    var csvUrls = table.csvUrls;
    if (!csvUrls[metric]) {
      var bytes = Uint8Array.from(atob(table.api.data.csv[metric]), function (c) {
        return c.charCodeAt(0);
      });
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      csvUrls[metric] = new Response(stream).blob().then(function (blob) {
        return URL.createObjectURL(new Blob([blob], { type: "text/csv;charset=utf-8" }));
      });
    }
    return csvUrls[metric];
  }
  function csvLink(table, metric) {
    if (!(metric in table.api.data.csv)) {  // too many figures to carry (mapkit.page.metric_csv)
      var file = table.inside.el("a", "mk-csv", table.inside.t("csv_in_layers"));
      file.href = "layers/figures.csv";
      return file;
    }
    var link = table.inside.el("a", "mk-csv", table.inside.t("csv_download"));
    link.download = "mapkit-figures-" + metric + ".csv";
    link.setAttribute("aria-disabled", "true");
    csvUrl(table, metric).then(function (url) {
      link.href = url;
      link.removeAttribute("aria-disabled");
    });
    return link;
  }
  function drawTable(table) {
    var dialog = table.dialog, inside = table.inside, el = inside.el;
    if (dialog.hidden) return;
    dialog.textContent = "";
    var series = table.api.data.series[table.api.state.series];
    dialog.appendChild(tableHead(table, series));
    if (!series) return;
    dialog.appendChild(csvLink(table, series.metric));
    var element = el("table", "mk-key mk-table");
    element.appendChild(columnHeads(table, series));
    var body = el("tbody");
    sorted(table, rows(table)).forEach(function (r) {
      var row = el("tr");
      row.setAttribute("data-iso", r.iso);
      row.appendChild(el("th", null, r.name)).scope = "row";
      row.appendChild(el("td", "mk-value", inside.stated(r.f)));
      row.appendChild(el("td", null, inside.when(r.f.as_of)));
      var source = el("td");
      source.appendChild(inside.sourceLine(r.f));
      row.appendChild(source);
      body.appendChild(row);
    });
    element.appendChild(body);
    dialog.appendChild(element);
  }
  function tableHead(table, series) {
    var inside = table.inside, el = inside.el, t = inside.t, state = table.api.state;
    var head = el("div", "mk-title-row");
    var caption = el("h2", "mk-table-caption", series ? t("table_caption",
      { label: inside.seriesLabel(state.series), date: inside.when(state.date) }) : t("no_series"));
    caption.id = "mk-table-caption";
    head.appendChild(caption);
    var close = el("button", "mk-toggle mk-table-close", t("close"));
    close.type = "button";
    close.addEventListener("click", table.close);
    head.appendChild(close);
    return head;
  }
  function columnHeads(table, series) {
    var el = table.inside.el, t = table.inside.t, sort = table.sort, state = table.api.state;
    var unit = series.unit_label ? table.api.data.i18n[state.lang].units[series.unit_label] ||
      series.unit_label : t("count_unit");
    var tr = el("tr");
    COLUMNS.forEach(function (column) {
      var th = el("th");
      th.scope = "col";
      var at = sort.column === column[0];
      th.setAttribute("aria-sort", at ? (sort.descending ? "descending" : "ascending") : "none");
      var name = t(column[1], { unit: unit });
      var button = el("button", "mk-sort", name + (at ? (sort.descending ? " ▼" : " ▲") : ""));
      button.type = "button";
      button.title = t("table_sort", { column: name });
      button.setAttribute("data-column", column[0]);
      button.addEventListener("click", function () {
        sort.descending = sort.column === column[0] ? !sort.descending : column[0] === "value";
        sort.column = column[0];
        table.draw();
        table.dialog.querySelector('[data-column="' + column[0] + '"]').focus();
      });
      th.appendChild(button);
      tr.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(tr);
    return thead;
  }

  // The view in the URL hash: #lang=az&series=…&date=…&view=…&zoom=…&center=lat,lon&district=…
  function urlHash(api, inside, share) {
    var data = api.data, state = api.state, map = api.map;
    function writeHash() {
      if (share.applying) return;
      var centre = map.getCenter();
      var view = { lang: state.lang, series: state.series, date: state.date, view: state.view,
        zoom: String(Math.round(map.getZoom() * 100) / 100),
        center: centre.lat.toFixed(4) + "," + centre.lng.toFixed(4) };
      if (state.district) view.district = state.district;
      var hash = "#" + new URLSearchParams(view).toString();
      if (hash !== location.hash) history.replaceState(null, "", hash);
    }
    function applyHash() {
      var view = new URLSearchParams(location.hash.slice(1));
      if (!location.hash.slice(1)) return;
      share.applying = true;
      try {
        var lang = view.get("lang"), series = view.get("series"), date = view.get("date");
        var district = own(inside.byIso, view.get("district")) ? view.get("district") : null;
        if (own(data.series, series)) api.setSeries(series);
        if (view.get("view") === "share" || view.get("view") === "absolute") {
          api.setView(view.get("view"));
        }
        if (date && date >= data.dates[0]) api.setDate(date);
        if (own(data.i18n, lang) && lang !== state.lang) api.setLanguage(lang);
        var centre = (view.get("center") || "").split(",").map(Number);
        var zoom = Number(view.get("zoom"));
        if (centre.length === 2 && centre.every(isFinite) && isFinite(zoom) && view.get("zoom")) {
          map.setView(centre, zoom, { animate: false });
        } else if (district) {
          inside.goTo(district);
        }
        if (district) {
          state.district = district;
          var spot = inside.labelAt[district];
          inside.byIso[district].openTooltip(spot ? [spot.lat, spot.lon] : undefined);
        }
      } finally {
        share.applying = false;
      }
      writeHash();
    }
    share.writeHash = writeHash;
    applyHash();
    inside.restyled.push(writeHash);
    map.on("moveend", writeHash);
    window.addEventListener("hashchange", applyHash);
  }
})();
