"""The pages' small hand-written scripts: offline, no library, no request.

Every script reads text with ``textContent`` and writes it with ``textContent`` or the
``hidden`` property: nothing from the data ever goes through ``innerHTML``, so an escaped
verbatim stays text. Searches ignore case and accents (« universite » finds « Université »).
"""

# On every page: search boxes over verbatims (``.searchable``) and sortable tables.
COMMON = r"""
(function () {
  "use strict";
  function norm(s) { return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  window.autodiagNorm = norm;
  function searchable(scope) {
    var input = scope.querySelector("input.search");
    var count = scope.querySelector(".search-count");
    var items = scope.querySelectorAll("li.item");
    input.addEventListener("input", function () {
      var q = norm(input.value.trim()), shown = 0;
      items.forEach(function (li) {
        var ok = q === "" || norm(li.textContent).indexOf(q) >= 0;
        li.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (count) { count.textContent = q === "" ? "" : shown + " sur " + items.length; }
      if (q !== "") { scope.querySelectorAll("details.more").forEach(function (d) { d.open = true; }); }
    });
  }
  // A French figure ("55,6 %", "-3,2 pts", "1 234") sorts as a number; anything else as text.
  function key(cell) {
    var text = cell ? cell.textContent.trim() : "";
    var n = text.replace(/[\s\u00a0\u202f]/g, "").replace(/(%|pts)$/, "").replace(",", ".");
    return /^[+-]?\d+(\.\d+)?$/.test(n) ? [0, parseFloat(n), ""] : [1, 0, norm(text)];
  }
  function compare(a, b) {
    if (a[0] !== b[0]) { return a[0] - b[0]; }
    if (a[0] === 0) { return a[1] - b[1]; }
    return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
  }
  function sortBy(table, th, index) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (h) {
      h.removeAttribute("aria-sort");
      h.querySelector(".arrow").textContent = "\u2195";
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    th.querySelector(".arrow").textContent = ascending ? "\u25B2" : "\u25BC";
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return !r.classList.contains("total"); });
    var totals = Array.prototype.slice.call(body.rows).filter(function (r) { return r.classList.contains("total"); });
    rows.sort(function (a, b) {
      var order = compare(key(a.cells[index]), key(b.cells[index]));
      return ascending ? order : -order;
    });
    rows.concat(totals).forEach(function (r) { body.appendChild(r); });
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    // Each header's text inside a button (Enter and Space sort); the arrow is not read out.
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement("button"), label = document.createElement("span");
      var arrow = document.createElement("span");
      button.type = "button";
      label.className = "label";
      while (th.firstChild) { label.appendChild(th.firstChild); }
      arrow.className = "arrow";
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = "\u2195";
      button.appendChild(label);
      button.appendChild(arrow);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, th, index); });
    });
  }
  window.autodiagSortable = sortable;
  // A table or chart wider than the page scrolls in its box: only then a Tab stop, named, so
  // that the keyboard can scroll it too (WCAG 2.1.1; at 320 px, 1.4.10).
  function scrollers() {
    document.querySelectorAll(".table-wrap, .chart").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var named = box.querySelector("caption") || (box.closest("figure") || box).querySelector("figcaption");
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (named ? named.textContent : "Tableau") + " (défilement horizontal)");
      } else if (box.hasAttribute("role")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  // Shared figures of a site page (references.py): the campaign's data file, by key.
  function reference(name) {
    var found = window.AUTODIAG_REPERES;
    return found && Object.prototype.hasOwnProperty.call(found, name) ? found[name] : null;
  }
  function fill(value) {
    if (typeof value === "string" && value.indexOf("@ref:") === 0) { return reference(value.slice(5)); }
    if (Array.isArray(value)) { return value.map(fill); }
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = fill(value[k]); });
      return out;
    }
    return value;
  }
  window.autodiagFill = fill;
  function frNumber(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " "); }
  window.autodiagNumber = frNumber;
  function text(value) { return value === null || value === undefined ? "indisponible" : String(value); }
  // A lever's contacts: the first two others of its theme in the network, and how many more.
  function contacts(span) {
    var found = reference(span.getAttribute("data-contacts")) || [[], []];
    var self = span.getAttribute("data-self");
    var names = found[0].filter(function (c) { return c[0] !== self; }).slice(0, 2);
    var more = found[1].length - (found[1].indexOf(self) >= 0 ? 1 : 0) - names.length;
    var shown = names.map(function (c) { return c[1]; }).join(" ; ");
    return names.length ? shown + (more > 0 ? " ; et " + frNumber(more) + " autre(s)" : "") : "--";
  }
  // Levers: the largest gain first, then the most common « Oui » among comparable structures
  // (typologie, else network; unknown last), then the questionnaire order; the first N shown.
  function levers(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row) {
      var mark = row.querySelector("[data-lever]");
      var common = reference(mark.getAttribute("data-common1"));
      if (common === null) { common = reference(mark.getAttribute("data-common2")); }
      return {row: row, mark: mark, gain: parseFloat(mark.getAttribute("data-gain")), common: common,
              position: parseInt(mark.getAttribute("data-position"), 10)};
    });
    rows.sort(function (a, b) {
      if (a.gain !== b.gain) { return b.gain - a.gain; }
      if ((a.common === null) !== (b.common === null)) { return a.common === null ? 1 : -1; }
      if (a.common !== b.common) { return (b.common || 0) - (a.common || 0); }
      return a.position - b.position;
    });
    var limit = parseInt(table.getAttribute("data-levers"), 10);
    rows.forEach(function (r, i) {
      r.mark.textContent = String(i + 1);
      r.row.hidden = i >= limit;
      body.appendChild(r.row);
    });
  }
  function references() {
    document.querySelectorAll("span[data-ref]").forEach(function (s) { s.textContent = text(reference(s.getAttribute("data-ref"))); });
    document.querySelectorAll("span[data-contacts]").forEach(function (s) { s.textContent = contacts(s); });
    document.querySelectorAll("[data-ref-show]").forEach(function (e) { e.hidden = !reference(e.getAttribute("data-ref-show")); });
    document.querySelectorAll("[data-ref-hide]").forEach(function (e) { e.hidden = !!reference(e.getAttribute("data-ref-hide")); });
    document.querySelectorAll("table[data-levers]").forEach(levers);
    var masked = reference("masque");
    document.querySelectorAll("[data-ref-masked]").forEach(function (note) {
      var scope = document.getElementById(note.getAttribute("data-ref-masked"));
      note.hidden = !scope || !Array.prototype.some.call(scope.querySelectorAll("td"), function (td) {
        return !td.closest("tr").hidden && td.textContent.trim() === masked;
      });
    });
  }
  function start() {
    references();
    document.querySelectorAll(".searchable").forEach(searchable);
    document.querySelectorAll("table.sortable").forEach(sortable);
    scrollers();
    window.addEventListener("resize", scrollers);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
"""

# Pages with long tables (network reports, the dashboard): paged tables drawn a page at a time.
# Kept apart from COMMON: the hundreds of structure pages have none and do not carry it.
PAGED = r"""
(function () {
  "use strict";
  var norm = window.autodiagNorm;
  // A table that draws only the page in view (tens of rows, whatever the data's size): filter,
  // sort and page over the rows in memory. ``o``: table, pager (nav of buttons), label (page
  // n of m), count, rows, cells(row) -> [[text, href, class]], key(row, k) -> sort value,
  // match(row) -> bool, size (rows per page), counted(shown, total) -> text.
  function pager(o) {
    var body = o.table.tBodies[0], shown = o.rows, page = 0, sortKey = null, ascending = true;
    var heads = o.table.querySelectorAll("th button.sort");
    function pages() { return Math.max(1, Math.ceil(shown.length / o.size)); }
    function draw() {
      var part = document.createDocumentFragment(), end = Math.min(shown.length, (page + 1) * o.size);
      for (var i = page * o.size; i < end; i += 1) {
        var tr = document.createElement("tr");
        o.cells(shown[i]).forEach(function (c) {
          var td = document.createElement("td");
          if (c[2]) { td.className = c[2]; }
          if (c[1]) {
            var a = document.createElement("a");
            a.href = c[1];
            a.textContent = c[0];
            td.appendChild(a);
          } else { td.textContent = c[0]; }
          tr.appendChild(td);
        });
        part.appendChild(tr);
      }
      body.textContent = "";
      body.appendChild(part);
      o.label.textContent = "Page " + frNumber(page + 1) + " sur " + frNumber(pages());
      o.pager.querySelectorAll("button").forEach(function (b) {
        var where = b.getAttribute("data-page");
        b.disabled = (where === "first" || where === "previous") ? page === 0 : page >= pages() - 1;
      });
    }
    function order() {
      if (sortKey === null) { return; }
      var keyed = shown.map(function (r, i) { return [o.key(r, sortKey), i, r]; });
      keyed.sort(function (a, b) {
        var x = a[0], y = b[0];
        if (x === y) { return a[1] - b[1]; }
        if (x === null || x === undefined) { return 1; }  // no value last, either way
        if (y === null || y === undefined) { return -1; }
        return (x < y ? -1 : 1) * (ascending ? 1 : -1);
      });
      shown = keyed.map(function (k) { return k[2]; });
    }
    function refresh() {
      shown = o.rows.filter(o.match);
      order();
      page = 0;
      if (o.count) { o.count.textContent = o.counted(shown.length, o.rows.length); }
      draw();
    }
    heads.forEach(function (button) {
      button.addEventListener("click", function () {
        var th = button.parentNode, key = button.getAttribute("data-key");
        ascending = !(sortKey === key && ascending);
        sortKey = key;
        heads.forEach(function (b) {
          b.parentNode.removeAttribute("aria-sort");
          var other = b.querySelector(".arrow");
          if (other) { other.textContent = "\u2195"; }
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var arrow = button.querySelector(".arrow");
        if (arrow) { arrow.textContent = ascending ? "\u25B2" : "\u25BC"; }
        order();
        page = 0;
        draw();
      });
    });
    o.pager.addEventListener("click", function (e) {
      var where = e.target.getAttribute && e.target.getAttribute("data-page");
      if (!where) { return; }
      page = where === "first" ? 0 : where === "last" ? pages() - 1
        : Math.max(0, Math.min(pages() - 1, page + (where === "next" ? 1 : -1)));
      draw();
    });
    return {refresh: refresh, setRows: function (rows) { o.rows = rows; refresh(); }};
  }
  window.autodiagPager = pager;
  // « 28 478 »: thousands grouped by a space, as autodiag.formatting writes them.
  var frNumber = window.autodiagNumber;
  // A rate already rounded to one decimal: « 55,6 % ».
  window.autodiagRate = function (v) { return v === null || v === undefined ? "-- %" : v.toFixed(1).replace(".", ",") + " %"; };
  // Tables of many rows (network reports): the rows as JSON beside the table, drawn a page at a time.
  function pagedTable(scope) {
    var inline = scope.querySelector("script.rows");
    var data = inline ? JSON.parse(inline.textContent) : (window.AUTODIAG_TABLES || {})[scope.id];
    if (!data || scope.pagedFilter) { return; }
    var input = scope.querySelector("input.search"), numeric = data.numeric || [];
    var filter = null;  // [column, below]: the rows under a value in that column (« Lesquelles »)
    var texts = data.rows.map(function (r) {
      return norm(r.map(function (c) { return typeof c === "string" ? c : c[0]; }).join(" "));
    });
    var rows = data.rows.map(function (r, i) { return {cells: r, text: texts[i]}; });
    function value(cell) {
      var text = typeof cell === "string" ? cell : cell[0];
      var n = text.replace(/[\s\u00a0\u202f]/g, "").replace(/(%|pts)$/, "").replace(",", ".");
      return /^[+-]?\d+(\.\d+)?$/.test(n) ? parseFloat(n) : null;
    }
    var table = pager({
      table: scope.querySelector("table"), pager: scope.querySelector("nav.pager"),
      label: scope.querySelector(".page-label"), count: scope.querySelector(".search-count"), rows: rows,
      size: data.size || 25,
      cells: function (r) {
        return r.cells.map(function (c, i) {
          var cls = numeric.indexOf(i) >= 0 ? "num" : (data.nowrap || []).indexOf(i) >= 0 ? "code" : "";
          return typeof c === "string" ? [c, null, cls] : [c[0], c[1], cls];
        });
      },
      key: function (r, k) {
        var i = parseInt(k, 10);
        return numeric.indexOf(i) >= 0 ? value(r.cells[i]) : norm(typeof r.cells[i] === "string" ? r.cells[i] : r.cells[i][0]);
      },
      match: function (r) {
        var q = norm(input.value.trim());
        if (filter !== null) {
          var v = value(r.cells[filter[0]]);
          if (v === null || v >= filter[1]) { return false; }
        }
        return q === "" || r.text.indexOf(q) >= 0;
      },
      counted: function (n, total) {
        return (n === total ? frNumber(total) + " lignes" : frNumber(n) + " sur " + frNumber(total))
          + (filter !== null ? " (" + filter[2] + ")" : "");
      }
    });
    input.addEventListener("input", table.refresh);
    scope.pagedFilter = function (column, below, what) {
      filter = column === null ? null : [column, below, what];
      input.value = "";
      table.refresh();
    };
    table.refresh();
  }
  // « n structures » links to a paged table, filtered on the rows under a value in one column.
  function filterLinks() {
    document.querySelectorAll("a[data-filter-column]").forEach(function (a) {
      a.addEventListener("click", function () {
        var scope = document.getElementById(a.getAttribute("href").slice(1));
        if (scope && scope.pagedFilter) {
          scope.pagedFilter(parseInt(a.getAttribute("data-filter-column"), 10),
                            parseFloat(a.getAttribute("data-filter-below")), a.getAttribute("data-filter-label"));
        }
      });
    });
  }
  function start() {
    document.querySelectorAll(".paged-table").forEach(pagedTable);
    // Folded tables whose rows sit in a data script of their own, loaded when first opened.
    document.querySelectorAll("details[data-src]").forEach(function (d) {
      d.addEventListener("toggle", function () {
        var inside = d.querySelector(".paged-table");
        if (!d.open || d.getAttribute("data-loading")) { return; }
        d.setAttribute("data-loading", "1");
        if (inside && (window.AUTODIAG_TABLES || {})[inside.id]) {  // loaded for another section
          document.querySelectorAll(".paged-table").forEach(pagedTable);
          return;
        }
        var s = document.createElement("script");
        s.src = d.getAttribute("data-src");
        s.onload = function () { document.querySelectorAll(".paged-table").forEach(pagedTable); };
        document.body.appendChild(s);
      });
    });
    filterLinks();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
"""

# The dashboard: every structure report in a paged table (only the rows in view are drawn), from
# one data script per campaign (outputs/data/structures-<campaign>.js, window.AUTODIAG_DATA);
# the latest campaign's comes with the page, another is loaded when its campaign is chosen.
DASHBOARD = r"""
(function () {
  "use strict";
  var norm = window.autodiagNorm, rate = window.autodiagRate, number = window.autodiagNumber;
  var table = document.getElementById("structures");
  var campaigns = table.getAttribute("data-campaigns").split(",");
  var engagements = table.getAttribute("data-engagements").split(",");
  var controls = {
    campagne: document.getElementById("f-campagne"), reseau: document.getElementById("f-reseau"),
    typologie: document.getElementById("f-typologie"), engagement: document.getElementById("f-engagement"),
    search: document.getElementById("f-search")
  };
  var loaded = {}, rows = [], wanted = "";
  // One campaign's rows as records, once (the data file keeps them compact).
  function read(campaign) {
    if (loaded[campaign]) { return loaded[campaign]; }
    var d = window.AUTODIAG_DATA[campaign], c = parseInt(campaign, 10);
    loaded[campaign] = d.rows.map(function (r) {
      var net = d.networks[r[2]];
      return {code: r[0], nom: r[1], campagne: c, reseau: net[0], reseau_href: net[1],
              typologie: r[3] === null ? null : d.typologies[r[3]],
              href: r[4] !== null && r[4].indexOf("/") >= 0 ? r[4] : d.prefix + (r[4] === null ? r[0].toLowerCase() : r[4]) + ".html",
              global: r[5], engagements: r[6], text: norm(r[0] + " " + r[1])};
    });
    return loaded[campaign];
  }
  // The data scripts of these campaigns, then ``done`` (a <script src> works from file://).
  function load(list, done) {
    var missing = list.filter(function (c) { return !(window.AUTODIAG_DATA && window.AUTODIAG_DATA[c]); });
    if (!missing.length) { done(); return; }
    count.textContent = "Chargement des données…";
    var left = missing.length;
    missing.forEach(function (c) {
      var s = document.createElement("script");
      s.src = "data/structures-" + c + ".js";
      s.onload = function () { left -= 1; if (!left) { done(); } };
      s.onerror = function () { count.textContent = "Données de la campagne " + c + " introuvables (dossier data/)."; };
      document.body.appendChild(s);
    });
  }
  var count = document.getElementById("structures-count");
  function chosen() { return controls.engagement.value ? engagements.indexOf(controls.engagement.value) : -1; }
  var view = window.autodiagPager({
    table: table, pager: document.querySelector("nav.pager"), label: document.getElementById("structures-page"),
    count: count, rows: [], size: 50,
    cells: function (s) {
      var e = chosen();
      return [[s.code, s.href, "code"], [s.nom], [String(s.campagne), null, "num"], [s.reseau, s.reseau_href],
              [s.typologie || "--"], [rate(s.global), null, "num"], [e < 0 ? "" : (s.engagements[e] === null ? "--" : rate(s.engagements[e])), null, "num"]];
    },
    key: function (s, k) {
      if (k === "engagement") { var e = chosen(); return e < 0 ? null : s.engagements[e]; }
      if (k === "code" || k === "nom" || k === "reseau" || k === "typologie") { return s[k] === null ? null : norm(s[k]); }
      return s[k];
    },
    match: function (s) {
      var q = norm(controls.search.value.trim());
      return (!controls.reseau.value || s.reseau === controls.reseau.value)
        && (!controls.typologie.value || (s.typologie || "") === controls.typologie.value)
        && (q === "" || s.text.indexOf(q) >= 0);
    },
    counted: function (n, total) { return number(n) + " structure(s) sur " + number(total); }
  });
  // Searching and filtering work on the rows in memory; a campaign change may load its data first.
  function campaign() {
    var c = controls.campagne.value, list = c ? [c] : campaigns.slice();
    wanted = c;
    load(list, function () {
      if (wanted !== c) { return; }  // another campaign was chosen meanwhile
      rows = [];
      list.forEach(function (x) { rows = rows.concat(read(x)); });
      view.setRows(rows);
    });
  }
  controls.search.addEventListener("input", view.refresh);
  controls.reseau.addEventListener("change", view.refresh);
  controls.typologie.addEventListener("change", view.refresh);
  controls.engagement.addEventListener("change", function () {
    var e = controls.engagement.value;
    document.querySelector("#engagement-head .label").textContent = e ? "Taux E" + e : "Taux de l'engagement choisi";
    view.refresh();
  });
  controls.campagne.addEventListener("change", campaign);
  // « n dans le tableau » in a campaign's table: that campaign and network.
  // Listened on the document: the campaign tables come after this script in the page.
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a.show-structures");
    if (!a) { return; }
    controls.campagne.value = a.getAttribute("data-campagne");
    controls.reseau.value = a.getAttribute("data-reseau");
    controls.typologie.value = "";
    controls.search.value = "";
    campaign();
  });
  campaign();
})();
"""
