// The review loop: a reviewer sets verdicts, writes notes and links answers on the page itself,
// offline, and downloads the result as a rules file (decisions and links) that
// `followup audit --rules DIR` applies. Work in progress is kept in this browser (localStorage,
// keyed by the report's run and page). Without scripts, and in print, nothing of this shows.
(function () {
  "use strict";
  var root = document.querySelector("[data-review-page]");
  var wordsNode = document.getElementById("review-words");
  if (!root || !wordsNode) { return; }
  var W = JSON.parse(wordsNode.textContent);
  var storeKey = "followup-review:" + root.dataset.run + ":" + root.dataset.page;
  var state = {};
  try { state = JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { state = {}; }
  var reviewer = "";
  try { reviewer = localStorage.getItem("followup-reviewer") || ""; } catch (e) { reviewer = ""; }
  var STATUSES = ["met", "partial", "silent"];

  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode: kept for this visit */ }
    count();
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // -- the bar: who reviews, how far, export -----------------------------------------------------
  var bar = el("div", {"class": "review-bar", "role": "region", "aria-label": W.title});
  var who = el("input", {"type": "text", "id": "reviewer", "placeholder": W.reviewer_placeholder, "aria-label": W.reviewer});
  who.value = reviewer;
  who.addEventListener("change", function () {
    reviewer = who.value.trim();
    try { localStorage.setItem("followup-reviewer", reviewer); } catch (e) { /* ignore */ }
  });
  var progress = el("span", {"class": "review-progress", "aria-live": "polite"});
  var exportButton = el("button", {"type": "button", "id": "review-export"}, W.export);
  exportButton.addEventListener("click", exportRules);
  var help = el("span", {"class": "review-help"}, W.keys);
  bar.appendChild(el("strong", {}, W.title));
  bar.appendChild(el("label", {"for": "reviewer"}, W.reviewer));
  bar.appendChild(who);
  bar.appendChild(exportButton);
  bar.appendChild(progress);
  bar.appendChild(help);
  root.insertBefore(bar, root.firstChild);

  // -- the controls on each card ------------------------------------------------------------------
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card[data-status]"));
  cards.forEach(function (card) {
    if (card.dataset.status === "pending") { return; }
    var id = card.id;
    if (card.dataset.reviewed === "1") { delete state[id]; return; }  // the rules file already holds it
    var box = el("div", {"class": "review-controls", "role": "group", "aria-label": W.title});
    var buttons = {};
    STATUSES.forEach(function (status) {
      var b = el("button", {"type": "button", "class": "s-" + status, "data-review-status": status, "aria-pressed": "false"},
                 W["status_" + status] + (status === card.dataset.status ? " " + W.tool_mark : ""));
      b.addEventListener("click", function () { setStatus(card, status); });
      buttons[status] = b;
      box.appendChild(b);
    });
    var note = el("textarea", {"class": "review-note", "rows": "2", "placeholder": W.note_placeholder, "aria-label": W.note});
    note.addEventListener("input", function () { entry(id).note = note.value; save(); });
    box.appendChild(note);
    var pasted = el("input", {"type": "text", "class": "review-link", "placeholder": W.link_placeholder, "aria-label": W.link});
    pasted.addEventListener("change", function () { setLink(card, pasted.value.trim()); });
    box.appendChild(pasted);
    card.appendChild(box);
    card.querySelectorAll(".candidates li").forEach(function (li) {
      var quote = li.querySelector("blockquote");
      if (!quote) { return; }
      var use = el("button", {"type": "button", "class": "review-use", "aria-pressed": "false"}, W.use_as_answer);
      use.addEventListener("click", function () { setLink(card, quote.textContent.trim()); });
      li.appendChild(use);
    });
    card._review = {buttons: buttons, note: note, pasted: pasted};
    show(card);
  });

  function entry(id) {
    if (!state[id]) { state[id] = {status: "", note: "", link: ""}; }
    return state[id];
  }

  function setStatus(card, status) {
    var e = entry(card.id);
    e.status = e.status === status ? "" : status;
    save();
    show(card);
  }

  function setLink(card, text) {
    var e = entry(card.id);
    e.link = e.link === text ? "" : text;
    save();
    show(card);
  }

  function show(card) {
    var e = state[card.id] || {status: "", note: "", link: ""};
    var r = card._review;
    STATUSES.forEach(function (s) { r.buttons[s].setAttribute("aria-pressed", String(e.status === s)); });
    if (document.activeElement !== r.note) { r.note.value = e.note || ""; }
    card.querySelectorAll(".candidates li").forEach(function (li) {
      var quote = li.querySelector("blockquote"), use = li.querySelector(".review-use");
      if (quote && use) { use.setAttribute("aria-pressed", String(!!e.link && quote.textContent.trim() === e.link)); }
    });
    var linkedCandidate = Array.prototype.some.call(card.querySelectorAll(".candidates blockquote"),
      function (q) { return q.textContent.trim() === e.link; });
    r.pasted.value = e.link && !linkedCandidate ? e.link : "";
    card.classList.toggle("in-review", !!(e.status || e.link));
  }

  function count() {
    var done = Object.keys(state).filter(function (id) { return state[id].status || state[id].link; }).length;
    progress.textContent = W.progress.replace("{done}", done).replace("{of}", cards.length);
  }
  count();

  // -- export: a rules file in followup's own format ---------------------------------------------
  function q(text) { return JSON.stringify(String(text)); }  // a YAML double-quoted scalar

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function exportRules() {
    if (!reviewer) {
      reviewer = (window.prompt(W.reviewer_prompt, "") || "").trim();
      who.value = reviewer;
      try { localStorage.setItem("followup-reviewer", reviewer); } catch (e) { /* ignore */ }
      if (!reviewer) { return; }
    }
    var date = today(), decisions = [], links = [];
    cards.forEach(function (card) {
      var e = state[card.id];
      if (!e) { return; }
      var note = (e.note || "").trim() || W.default_note;
      if (e.status) {
        decisions.push("  review-" + card.id + ":\n    commitment: " + q(card.id) + "\n    status: " + e.status +
                       "\n    note: " + q(note) + "\n    reviewer: " + q(reviewer) + "\n    date: " + q(date));
      }
      if (e.link) {
        links.push("  review-" + card.id + ":\n    commitment: " + q(card.id) + "\n    outcome: " + q(e.link) +
                   "\n    note: " + q(note));
      }
    });
    var text = "# " + W.file_header.replace("{body}", root.dataset.body).replace("{plan}", root.dataset.planYear)
      .replace("{summary}", root.dataset.summaryYear).replace("{reviewer}", reviewer).replace("{date}", date) + "\n" +
      "# followup audit " + root.dataset.planYear + " " + root.dataset.summaryYear + " --rules <this folder>\n" +
      (decisions.length ? "decisions:\n" + decisions.join("\n") + "\n" : "") +
      (links.length ? "links:\n" + links.join("\n") + "\n" : "");
    var blob = new Blob([text], {type: "application/x-yaml;charset=utf-8"});
    var a = el("a", {"href": URL.createObjectURL(blob), "download": root.dataset.reviewFile});
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // -- keyboard: review without the mouse --------------------------------------------------------
  function current() {
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("article.card");
    return focused || document.querySelector("article.card.current") || document.querySelector("article.card:target");
  }
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA")) {
      if (event.key === "Escape") { t.blur(); }
      return;
    }
    var card = current();
    var keys = {m: "met", p: "partial", s: "silent"};
    if (keys[event.key] && card && card._review) { setStatus(card, keys[event.key]); event.preventDefault(); }
    else if (event.key === "c" && card && card._review) { setStatus(card, card.dataset.status); event.preventDefault(); }
    else if (event.key === "n" && card && card._review) { card._review.note.focus(); event.preventDefault(); }
    else if (event.key === "e") { exportRules(); event.preventDefault(); }
  });
})();
