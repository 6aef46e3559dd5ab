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
  function start() {
    document.querySelectorAll(".searchable").forEach(searchable);
    document.querySelectorAll("table.sortable").forEach(sortable);
    scrollers();
    window.addEventListener("resize", scrollers);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
"""

# The dashboard: a table of every structure report built from the JSON embedded in the page
# (<script type="application/json" id="structures-data">), filtered and searched offline.
DASHBOARD = r"""
(function () {
  "use strict";
  var norm = window.autodiagNorm;
  var data = JSON.parse(document.getElementById("structures-data").textContent);
  var body = document.querySelector("#structures tbody");
  var count = document.getElementById("structures-count");
  var controls = {
    campagne: document.getElementById("f-campagne"), reseau: document.getElementById("f-reseau"),
    typologie: document.getElementById("f-typologie"), engagement: document.getElementById("f-engagement"),
    search: document.getElementById("f-search")
  };
  function cell(row, text, cls) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  function link(td, href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    td.textContent = "";
    td.appendChild(a);
  }
  var rows = data.rows.map(function (s) {
    var tr = document.createElement("tr");
    link(cell(tr, "", "code"), s.href, s.code);
    cell(tr, s.nom);
    cell(tr, String(s.campagne), "num");
    var net = cell(tr, s.reseau);
    if (s.reseau_href) { link(net, s.reseau_href, s.reseau); }
    cell(tr, s.typologie || "--");
    cell(tr, s.global, "num");
    var chosen = cell(tr, "", "num");
    tr._s = s;
    tr._chosen = chosen;
    tr._text = norm(s.code + " " + s.nom);
    body.appendChild(tr);
    return tr;
  });
  function apply() {
    var q = norm(controls.search.value.trim()), e = controls.engagement.value, shown = 0;
    var head = document.getElementById("engagement-head");
    (head.querySelector(".label") || head).textContent = e ? "Taux E" + e : "Taux de l'engagement choisi";
    rows.forEach(function (tr) {
      var s = tr._s;
      var ok = (!controls.campagne.value || String(s.campagne) === controls.campagne.value)
        && (!controls.reseau.value || s.reseau === controls.reseau.value)
        && (!controls.typologie.value || (s.typologie || "") === controls.typologie.value)
        && (q === "" || tr._text.indexOf(q) >= 0);
      tr._chosen.textContent = e ? (s.engagements[e] || "--") : "";
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " structure(s) sur " + rows.length;
  }
  Object.keys(controls).forEach(function (k) {
    controls[k].addEventListener(k === "search" ? "input" : "change", apply);
  });
  // « n structure(s) dans le tableau » in a campaign's table: that campaign and network.
  // Listened on the document: the campaign tables come after this script in the page.
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a.show-structures");
    if (!a) { return; }
    controls.campagne.value = a.getAttribute("data-campagne");
    controls.reseau.value = a.getAttribute("data-reseau");
    controls.search.value = "";
    apply();
  });
  apply();
})();
"""
