// Casebridge on every page (loaded in <head>, not deferred, so that the first paint on a phone already
// has the menu folded). Everything here is an enhancement: without it the menu stays unfolded, tables
// scroll inside themselves (casebridge.css) and htmx swaps still happen.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The narrow-screen menu: a disclosure button (aria-expanded) that shows the navigation below it.
  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    if (!toggle) return;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
    });
    document.addEventListener("keydown", function (event) {
      var menu = document.getElementById(toggle.getAttribute("aria-controls"));
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" && menu.contains(document.activeElement)) {
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  // A table wider than the screen scrolls inside a wrapper; while it does, the wrapper is a named,
  // focusable region, so that keyboard users can scroll it and screen readers say what it holds.
  function nameOf(table) {
    var caption = table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var node = table; node && node.tagName !== "BODY"; node = node.parentElement) {
      for (var before = node.previousElementSibling; before; before = before.previousElementSibling) {
        var heading = /^H[1-6]$/.test(before.tagName) ? before : before.querySelector("h1, h2, h3, h4, h5, h6");
        if (heading) return heading.textContent.trim();
      }
    }
    return document.title;
  }

  var scrolling = window.ResizeObserver && new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var wrap = entry.target;
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", nameOf(wrap.querySelector("table")));
        wrap.setAttribute("tabindex", "0");
      } else {
        ["role", "aria-label", "tabindex"].forEach(function (name) { wrap.removeAttribute(name); });
      }
    });
  });

  // A list (one header row, the same cells in every row, nothing spanning) reads better on a phone as a
  // stack of cards: each cell gets its column's name as data-label, shown before it by casebridge.css
  // below 48rem. The table's roles are stated explicitly because some browsers drop a table's
  // semantics once its rows are laid out as blocks. Tables that compare (class "compare") keep scrolling.
  function stackable(table) {
    var heads = table.tHead && table.tHead.rows.length === 1 ? table.tHead.rows[0].cells : null;
    if (!heads || heads.length < 3 || table.classList.contains("compare") || table.querySelector("[colspan], [rowspan]")) return false;
    return Array.prototype.every.call(table.tBodies, function (body) {
      return Array.prototype.every.call(body.rows, function (row) { return row.cells.length === heads.length; });
    });
  }

  function stack(table) {
    var labels = Array.prototype.map.call(table.tHead.rows[0].cells, function (cell) { return cell.textContent.trim(); });
    table.classList.add("stackable");
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody"), function (group) { group.setAttribute("role", "rowgroup"); });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      Array.prototype.forEach.call(row.cells, function (cell, column) {
        var header = cell.tagName === "TH";
        cell.setAttribute("role", !header ? "cell" : cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
        if (row.parentElement !== table.tHead) cell.setAttribute("data-label", labels[column]);
      });
    });
  }

  function wrapTables(root) {
    if (!scrolling) return;
    root.querySelectorAll("main table").forEach(function (table) {
      if (!table.classList.contains("stackable") && stackable(table)) stack(table);
      var wrap = table.parentElement;
      if (!wrap.classList.contains("table-wrap")) {
        wrap = document.createElement("div");
        wrap.className = "table-wrap";
        table.parentNode.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
      scrolling.observe(wrap);
    });
  }

  // <main> is replaced whole by the case page's htmx forms: a live region outside it reads out the
  // message the swap brought ("Action set."). Emptied first, so that the same message twice is read twice.
  function announce() {
    var announcer = document.getElementById("announcer");
    var messages = document.querySelector("main .messages");
    if (!announcer || !messages) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = messages.textContent.trim(); }, 100);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    wrapTables(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    wrapTables(document);
    var target = event.detail.target;
    if (!target || target.tagName === "MAIN" || !document.body.contains(target)) announce();
  });
})();
