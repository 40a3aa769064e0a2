/* gongkai — progressive enhancement: sortable catalogue tables (keyboard operable), the 大字模式
   toggle, the palette toggle by Space as well as Enter, link targets for print. */
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.getAttribute("data-sort") || cell.textContent.trim();
  }
  function sortTable(table, index, th) {
    var tbody = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var r = x.localeCompare(y, "zh-Hans-CN", { numeric: true });
      return ascending ? r : -r;
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function enhance(table) {
    if (table.getAttribute("data-gk-enhanced")) return;
    table.setAttribute("data-gk-enhanced", "1");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      button.setAttribute("title", "按“" + th.textContent + "”排序");
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, index, th); });
    });
  }
  // 大字模式 (适老化): the header toggle; gk-text.js restores the choice on every page.
  var TEXT_KEY = (function () {
    var script = document.querySelector("script[src$='assets/javascripts/gk-text.js']");
    try { return new URL("../../", script ? script.src : location.href).pathname + ".gk-text"; }
    catch (e) { return ".gk-text"; }
  })();
  function setLarge(on) {
    if (on) { document.documentElement.setAttribute("data-gk-text", "large"); }
    else { document.documentElement.removeAttribute("data-gk-text"); }
    var toggle = document.getElementById("gk-text-toggle");
    if (toggle) {
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.title = toggle.getAttribute("aria-label") + (on ? "（已开启）" : "");
    }
    try { if (on) { localStorage.setItem(TEXT_KEY, "large"); } else { localStorage.removeItem(TEXT_KEY); } }
    catch (e) { /* no storage: this page only */ }
  }
  function initText() {
    var toggle = document.getElementById("gk-text-toggle");
    if (!toggle || toggle.getAttribute("data-gk-bound")) return;
    toggle.setAttribute("data-gk-bound", "1");
    setLarge(document.documentElement.getAttribute("data-gk-text") === "large");
    toggle.addEventListener("click", function () {
      setLarge(document.documentElement.getAttribute("data-gk-text") !== "large");
    });
  }
  // Material's palette toggles are <label>s that answer Enter only: Space too, as for any button;
  // focus follows to the label that replaces the pressed one.
  document.addEventListener("keydown", function (event) {
    var label = event.target;
    if ((event.key !== " " && event.key !== "Enter") || !label || !label.matches ||
        !label.matches("[data-md-component='palette'] label")) return;
    if (event.key === " ") {  // Material handles Enter itself
      event.preventDefault();
      label.click();
    }
    // Material swaps the labels when it has handled the change, which may come after this
    // handler's next task on a busy device: follow once the other label is shown (≤ 0.5 s).
    var form = label.closest("form"), tries = 0;
    function follow() {
      var shown = form && form.querySelector("label:not([hidden])");
      if (shown && shown !== label) { shown.focus(); return; }
      if (++tries < 20) { setTimeout(follow, 25); }
    }
    setTimeout(follow, 0);  // never before the key's own action: Enter clicks the focused label
  });
  function initPalette() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-md-component='palette'] label"), function (label) {
      if (!label.hasAttribute("tabindex")) { label.setAttribute("tabindex", "0"); }
      label.setAttribute("role", "button");
      if (!label.hasAttribute("aria-label")) { label.setAttribute("aria-label", label.title); }
    });
  }
  // Printed pages name every link's target (absolute, from wherever the page was opened).
  function initPrint() {
    Array.prototype.forEach.call(document.querySelectorAll(".gk-page a[href]"), function (a) {
      var href = a.getAttribute("href");
      if (!href || href.charAt(0) === "#" || /^(javascript|mailto|tel):/i.test(href)) return;
      a.setAttribute("data-gk-href", a.href);
    });
  }
  // The header tab of a page outside the navigation (an entry, a topic page): the page names it.
  function initTab() {
    var meta = document.querySelector('meta[name="gk-tab"]');
    if (!meta || document.querySelector(".md-tabs__item--active")) return;
    Array.prototype.forEach.call(document.querySelectorAll("a.md-tabs__link[data-gk-tab]"), function (a) {
      if (a.getAttribute("data-gk-tab") !== meta.getAttribute("content")) return;
      a.setAttribute("aria-current", "true");
      a.parentNode.classList.add("md-tabs__item--active");
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-gk-sortable]"), enhance);
    initTab();
    initText();
    initPalette();
    initPrint();
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
