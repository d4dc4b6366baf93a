// What needs JavaScript: filters, search, expand/collapse, sorting a table by a header, keyboard
// shortcuts (in the spirit of coverage.py's: j/k, 1-4, 0, ?), the help box. Without it every card shows,
// the <details> open and close by themselves, and the links work.
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var root = document.documentElement;
  var lang = root.lang || "zh";

  // -- help -----------------------------------------------------------------------------------------
  var help = document.getElementById("help");
  var canHelp = !!(help && help.showModal);
  function toggleHelp() {
    if (!canHelp) { return; }
    if (help.open) { help.close(); } else { help.showModal(); }
  }
  each(document.querySelectorAll(".help-button"), function (b) {
    if (!canHelp) { return; }
    b.hidden = false;
    b.addEventListener("click", toggleHelp);
  });
  each(document.querySelectorAll(".js-only"), function (el) { el.hidden = false; });

  // On a phone the chart of sections starts closed: the cards are what the reader came for.
  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    each(document.querySelectorAll("details.chart"), function (d) { d.open = false; });
  }

  // -- sortable tables: a click on a header sorts the body rows (numbers largest first, names A-Z) ----
  function sortValue(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ""; }
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    var tbody = table.tBodies[0];
    each(heads, function (th, col) {
      var button = th.querySelector("button.sort");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var rows = Array.prototype.slice.call(tbody.rows);
        var numeric = rows.every(function (r) { var v = sortValue(r, col); return v !== "" && !isNaN(Number(v)); });
        var was = th.getAttribute("aria-sort");
        var ascending = was ? was === "descending" : !numeric;
        rows.sort(function (a, b) {
          var x = sortValue(a, col), y = sortValue(b, col);
          var d = numeric ? Number(x) - Number(y) : x.localeCompare(y, lang);
          return ascending ? d : -d;
        });
        rows.forEach(function (r) { tbody.appendChild(r); });
        each(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  });

  // -- cards: filters, search, the no-hit message ---------------------------------------------------
  var controls = document.querySelector(".controls");
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card"));
  var buttons = [], search = null, shown = null, nohit = null;
  var current = { key: "all", kind: "" };

  function visible() { return cards.filter(function (c) { return !c.classList.contains("hidden"); }); }

  function apply() {
    var words = (search.value || "").trim().toLowerCase().replace(/^#/, "");
    var count = 0;
    cards.forEach(function (card) {
      var ok = current.key === "all" ||
        (current.kind === "status" && card.dataset.status === current.key) ||
        (current.kind === "flag" && (" " + card.dataset.flags + " ").indexOf(" " + current.key + " ") >= 0);
      if (ok && words) { ok = card.dataset.text.indexOf(words) >= 0; }
      card.classList.toggle("hidden", !ok);
      if (ok) { count += 1; }
    });
    each(document.querySelectorAll("section.part"), function (part) {
      part.classList.toggle("hidden", !part.querySelector(".card:not(.hidden)"));
    });
    shown.textContent = (controls.dataset.shown || "{n} / {total}").replace("{n}", count).replace("{total}", cards.length);
    nohit.hidden = count > 0;
  }

  function choose(button) {
    if (!button || button.disabled) { return; }
    current = { key: button.dataset.filter, kind: button.dataset.kind || "" };
    buttons.forEach(function (x) { x.setAttribute("aria-pressed", String(x === button)); });
    apply();
  }

  function fitScrollMargin() {
    // A permalink lands with its card below the sticky filters, however many lines they wrap to.
    if (controls) { root.style.setProperty("--controls-h", (controls.offsetHeight + 8) + "px"); }
  }

  function showTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    if (target.classList.contains("hidden") || (target.closest && target.closest(".hidden"))) {
      search.value = "";
      choose(buttons[0]);
    }
    target.scrollIntoView({ block: "start" });
  }

  if (controls) {
    controls.hidden = false;
    buttons = Array.prototype.slice.call(controls.querySelectorAll("button[data-filter]"));
    search = document.getElementById("search");
    shown = document.getElementById("shown");
    nohit = document.getElementById("nohit");
    buttons.forEach(function (b) { b.addEventListener("click", function () { choose(b); }); });
    search.addEventListener("input", apply);
    document.getElementById("clear").addEventListener("click", function () { search.value = ""; choose(buttons[0]); search.focus(); });
    var openAll = function (open) { each(document.querySelectorAll(".card details.more"), function (d) { d.open = open; }); };
    document.getElementById("expand").addEventListener("click", function () { openAll(true); });
    document.getElementById("collapse").addEventListener("click", function () { openAll(false); });
    fitScrollMargin();
    if (window.ResizeObserver) { new ResizeObserver(fitScrollMargin).observe(controls); }
    window.addEventListener("resize", fitScrollMargin);
    window.addEventListener("hashchange", showTarget);
    apply();
    if (location.hash) {
      showTarget();
      // fonts and layout may settle after this script: land on the card again once they have
      window.addEventListener("load", function () { if (window.scrollY > 0) { fitScrollMargin(); showTarget(); } });
    }
  }

  // -- keyboard: j/k next/previous card, 1-4 a verdict, 0 all, / search, [ ] bodies, u up, ? help ------
  var at = null;
  function go(step) {
    var list = visible();
    if (!list.length) { return; }
    var i = list.indexOf(at);
    if (i < 0) {
      // from where the reader is: the first card below the filters, or the last one above them
      var top = controls ? controls.getBoundingClientRect().bottom : 0;
      i = -1;
      for (var n = 0; n < list.length; n += 1) {
        if (list[n].getBoundingClientRect().top >= top - 1) { i = step > 0 ? n - 1 : n; break; }
      }
      if (n === list.length) { i = step > 0 ? list.length - 2 : list.length; }
    }
    i = Math.max(0, Math.min(list.length - 1, i + step));
    setCurrent(list[i]);
    at.focus({ preventScroll: true });
    at.scrollIntoView({ block: "start" });
  }
  // One current card: the one j/k moved to, or the one last clicked or focused (a button, the note of the
  // review controls), or the permalink's. The review keys (review.js) act on it.
  function setCurrent(card) {
    if (at === card) { return; }
    if (at) { at.classList.remove("current"); }
    at = card;
    at.classList.add("current");
  }
  document.addEventListener("focusin", function (e) {
    var card = e.target && e.target.closest && e.target.closest("article.card");
    if (card) { setCurrent(card); }
  });
  var landed = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (landed && landed.matches && landed.matches("article.card")) { setCurrent(landed); }
  window.addEventListener("hashchange", function () {
    var card = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (card && card.matches && card.matches("article.card")) { setCurrent(card); }
  });
  function follow(href) { if (href) { location.href = href; } }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var el = e.target;
    if (el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable)) {
      if (e.key === "Escape") { el.blur(); }
      return;
    }
    var statuses = buttons.filter(function (b) { return b.dataset.kind === "status"; });
    switch (e.key) {
      case "?": toggleHelp(); break;
      case "j": if (!cards.length) { return; } go(1); break;
      case "k": if (!cards.length) { return; } go(-1); break;
      case "0": if (!buttons.length) { return; } choose(buttons[0]); break;
      case "1": case "2": case "3": case "4":
        if (!statuses.length) { return; }
        choose(statuses[Number(e.key) - 1]);
        break;
      case "/": if (!search) { return; } search.focus(); break;
      case "[": follow(document.body.dataset.prev); break;
      case "]": follow(document.body.dataset.next); break;
      case "u": follow(document.body.dataset.up); break;
      default: return;
    }
    e.preventDefault();
  });

  // -- print: every part of a card, open or not (browsers without ::details-content) -----------------
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    reopened = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    reopened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });
})();
