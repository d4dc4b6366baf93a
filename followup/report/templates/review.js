// The review loop: a reviewer sets verdicts, writes notes and picks answer sentences on the page itself,
// offline, and downloads the work as a rules file (decisions and links) that `followup audit --rules DIR`
// applies. Work in progress is kept in this browser (localStorage, under the pair of years and the body,
// so a rerun of the report finds it again); what the rules already hold (the card's data-review-holds)
// is never restored from the browser. Without scripts, and in print, nothing of this shows: the
// controls are made here and the print CSS hides them.
//
// Keys (beside report.js's j/k, 1-4, 0, /, [, ], u, ?): m p s set the verdict of the current card (the
// one j and k move to; pressed again, cleared), c confirms the tool's, a picks the next candidate as the
// answer, n goes to the note (Esc comes back), e exports.
(function () {
  "use strict";
  var root = document.querySelector("[data-review-page]");
  var wordsNode = document.getElementById("review-words");
  if (!root || !wordsNode) { return; }
  var W = JSON.parse(wordsNode.textContent);
  var STATUSES = ["met", "partial", "silent"];
  var storeKey = "followup-review:" + root.dataset.run + ":" + root.dataset.body;

  function load(key, fallback) {
    try { return localStorage.getItem(key) || fallback; } catch (e) { return fallback; }
  }
  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode: kept for this visit only */ }
  }
  var state = {};
  try { state = JSON.parse(load(storeKey, "{}")); } catch (e) { state = {}; }
  if (!state || typeof state !== "object" || Array.isArray(state)) { state = {}; }
  // Only what the controls can set is taken back from storage (another script of the same origin, or an
  // older version of this one, may have left anything there): a status the rules accept, text.
  Object.keys(state).forEach(function (id) {
    var e = state[id];
    if (!e || typeof e !== "object") { delete state[id]; return; }
    state[id] = {status: STATUSES.indexOf(e.status) >= 0 ? e.status : "",
                 note: typeof e.note === "string" ? e.note : "", link: typeof e.link === "string" ? e.link : ""};
  });
  var reviewer = load("followup-reviewer", "");

  // A catalogue template filled with its arguments ("{done} / {of}"); a function, so that a "$&" in a
  // body's name or a reviewer's note is taken as it is.
  function fill(template, args) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in args ? String(args[key]) : whole; });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function holds(card, part) { return (" " + (card.dataset.reviewHolds || "") + " ").indexOf(" " + part + " ") >= 0; }

  // -- the bar: who reviews, how far, export (a row of the sticky filters) ---------------------------
  var who = el("input", {"type": "text", "id": "reviewer", "placeholder": W.reviewer_placeholder, "autocomplete": "name",
                         "aria-label": W.reviewer});
  who.value = reviewer;
  who.addEventListener("input", function () { reviewer = who.value.trim(); store("followup-reviewer", reviewer); });
  var exportButton = el("button", {"type": "button", "id": "review-export", "aria-keyshortcuts": "e"}, W["export"]);
  exportButton.addEventListener("click", exportRules);
  var progress = el("span", {"class": "review-progress", "id": "review-progress", "title": W.stored});
  var message = el("span", {"class": "review-message", "id": "review-message", "role": "status"});
  root.appendChild(el("strong", {"title": W.keys}, W.title));
  root.appendChild(el("label", {"for": "reviewer"}, W.reviewer));
  root.appendChild(who);
  root.appendChild(exportButton);
  root.appendChild(progress);
  root.appendChild(message);

  // -- the controls on each card ---------------------------------------------------------------------
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card[data-status]"));
  var reviewable = [];
  cards.forEach(function (card) {
    if (card.dataset.status === "pending") { return; }
    var id = card.id;
    // What the rules file holds is not restored from the browser: a decision there takes the card's
    // stored work with it (it is changed in the file); a link there takes the stored link.
    if (holds(card, "decision")) { delete state[id]; return; }
    if (state[id] && holds(card, "link")) {
      state[id].link = "";
      if (!state[id].status) { delete state[id]; }
    }
    var box = el("div", {"class": "review-controls", "role": "group", "aria-label": W.title});
    var buttons = {};
    STATUSES.forEach(function (status) {
      var mine = status === card.dataset.status;
      var b = el("button", {"type": "button", "class": "s-" + status, "data-review-status": status, "aria-pressed": "false",
                            "aria-keyshortcuts": status.charAt(0) + (mine ? " c" : "")},
                 W["status_" + status] + (mine ? " " + W.tool_mark : ""));
      b.addEventListener("click", function () { setStatus(card, status); });
      buttons[status] = b;
      box.appendChild(b);
    });
    var note = el("textarea", {"class": "review-note", "rows": "2", "placeholder": W.note_placeholder,
                               "aria-label": W.note, "aria-keyshortcuts": "n"});
    note.addEventListener("input", function () { entry(id).note = note.value; save(); });
    box.appendChild(note);
    var pasted = el("input", {"type": "text", "class": "review-link", "placeholder": W.link_placeholder, "aria-label": W.link});
    pasted.addEventListener("change", function () { setLink(card, pasted.value.trim(), false); });
    box.appendChild(pasted);
    card.appendChild(box);
    var quotes = [];
    Array.prototype.forEach.call(card.querySelectorAll(".candidates li"), function (li) {
      var quote = li.querySelector("blockquote");
      if (!quote) { return; }
      var text = quote.textContent.trim();
      var use = el("button", {"type": "button", "class": "review-use", "aria-pressed": "false", "aria-keyshortcuts": "a"},
                   W.use_as_answer);
      use.addEventListener("click", function () { setLink(card, text, true); });
      li.appendChild(use);
      quotes.push({text: text, button: use});
    });
    card._review = {buttons: buttons, note: note, pasted: pasted, quotes: quotes};
    reviewable.push(card);
    show(card);
  });
  save();
  // A page with nothing left to review (every card pending, or decided in the rules) shows no bar.
  root.hidden = !reviewable.length;
  // Work kept for a commitment that is no longer on the page (its text was edited, so its id changed)
  // is neither shown nor exported: say so rather than lose it in silence.
  var orphans = Object.keys(state).filter(function (id) { return !document.getElementById(id); }).length;
  if (orphans) { message.textContent = fill(W.orphans, {n: orphans}); }

  function entry(id) {
    if (!state[id]) { state[id] = {status: "", note: "", link: ""}; }
    return state[id];
  }

  function save() {
    Object.keys(state).forEach(function (id) {
      var e = state[id];
      if (!e || (!e.status && !e.link && !e.note)) { delete state[id]; }
    });
    store(storeKey, JSON.stringify(state));
    count();
  }

  function setStatus(card, status) {
    var e = entry(card.id);
    e.status = e.status === status ? "" : status;
    save();
    show(card);
  }

  // toggle: a candidate's button pressed again takes it back; a pasted sentence is simply set
  function setLink(card, text, toggle) {
    var e = entry(card.id);
    e.link = toggle && e.link === text ? "" : text;
    save();
    show(card);
  }

  function show(card) {
    var e = state[card.id] || {status: "", note: "", link: ""};
    var r = card._review;
    STATUSES.forEach(function (s) { r.buttons[s].setAttribute("aria-pressed", String(e.status === s)); });
    if (document.activeElement !== r.note) { r.note.value = e.note || ""; }
    var fromCandidate = false;
    r.quotes.forEach(function (q) {
      var used = !!e.link && q.text === e.link;
      q.button.setAttribute("aria-pressed", String(used));
      fromCandidate = fromCandidate || used;
    });
    if (document.activeElement !== r.pasted) { r.pasted.value = e.link && !fromCandidate ? e.link : ""; }
    card.classList.toggle("in-review", !!(e.status || e.link));
  }

  function done(card) { var e = state[card.id]; return !!(e && (e.status || e.link)); }

  function count() {
    progress.textContent = fill(W.progress, {done: reviewable.filter(done).length, of: reviewable.length});
  }
  count();

  // -- export: a rules file in followup's own format --------------------------------------------------
  // A YAML double-quoted scalar: backslash and quote escaped, and every character YAML may not hold
  // as it is (C0 and C1 controls, DEL, line and paragraph separators, BOM, non-characters) as \uXXXX.
  var UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
  function q(text) {
    return '"' + String(text).replace(/[\\"]/g, function (c) { return "\\" + c; }).replace(UNPRINTABLE, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    }) + '"';
  }
  // A comment holds one line: anything that would end it (or that YAML refuses) becomes a space.
  function comment(text) { return "# " + String(text).replace(UNPRINTABLE, " "); }

  function two(n) { return (n < 10 ? "0" : "") + n; }
  function today(d) { return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()); }
  function stamp(d) {
    return today(d).replace(/-/g, "") + "-" + two(d.getHours()) + two(d.getMinutes()) + two(d.getSeconds());
  }

  function askReviewer() {
    if (reviewer) { return true; }
    reviewer = (window.prompt(W.reviewer_prompt, "") || "").trim();
    who.value = reviewer;
    if (reviewer) { store("followup-reviewer", reviewer); return true; }
    message.textContent = W.reviewer_prompt;
    who.focus();
    return false;
  }

  function exportRules() {
    var work = reviewable.filter(done);
    if (!work.length) { message.textContent = W.nothing; return; }
    if (!askReviewer()) { return; }
    var now = new Date(), date = today(now), decisions = [], links = [];
    work.forEach(function (card) {
      var e = state[card.id], name = q("review-" + card.id);
      var note = (e.note || "").trim() || W.default_note;
      var text = card.querySelector(".text");
      var about = comment((text ? text.textContent.trim().slice(0, 40) : "") + " · " +
                          fill(W.file_entry, {status: W["status_" + card.dataset.status] || card.dataset.status}));
      if (e.status) {
        decisions.push("  " + name + ":\n    " + about + "\n    commitment: " + q(card.id) + "\n    status: " + e.status +
                       "\n    note: " + q(note) + "\n    reviewer: " + q(reviewer) + "\n    date: " + q(date) +
                       "\n    tool_status: " + card.dataset.status);
      }
      if (e.link) {
        links.push("  " + name + ":\n    " + about + "\n    commitment: " + q(card.id) + "\n    outcome: " + q(e.link) +
                   "\n    note: " + q(note));
      }
    });
    var years = {body: root.dataset.body, plan: root.dataset.planYear, summary: root.dataset.summaryYear,
                 reviewer: reviewer, date: date};
    var text = comment(fill(W.file_header, years)) + "\n" + comment(fill(W.file_rerun, years)) + "\n" +
      (decisions.length ? "decisions:\n" + decisions.join("\n") + "\n" : "") +
      (links.length ? "links:\n" + links.join("\n") + "\n" : "");
    // The time of the export in the name: a later export never replaces an earlier one in a folder,
    // and sorts after it, so where both hold a card the later one's rule wins (rules files load in
    // name order).
    var file = root.dataset.reviewFile + "-" + stamp(now) + ".yaml";
    var blob = new Blob([text], {type: "application/x-yaml;charset=utf-8"});
    var a = el("a", {"href": URL.createObjectURL(blob), "download": file, "hidden": ""});
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    message.textContent = fill(W.exported, {file: file, decisions: decisions.length, links: links.length});
  }

  // -- keyboard: review without the mouse --------------------------------------------------------------
  function current() {
    // report.js marks the card j/k moved to, or the one clicked or focused, as .current
    var card = document.querySelector("article.card.current");
    if (card) { return card; }
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("article.card");
    return focused || document.querySelector("article.card:target");
  }

  function nextAnswer(card) {
    var r = card._review, e = state[card.id] || {};
    if (!r.quotes.length) { return; }
    var at = -1;
    r.quotes.forEach(function (q, i) { if (q.text === e.link) { at = i; } });
    var details = card.querySelector("details.candidates");
    if (details) { details.open = true; }
    if (at + 1 < r.quotes.length) {
      setLink(card, r.quotes[at + 1].text, false);
      r.quotes[at + 1].button.scrollIntoView({block: "nearest"});
    } else {
      setLink(card, "", false);  // past the last candidate: no answer picked
    }
  }

  document.addEventListener("keydown", function (event) {
    var t = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) {
      if (event.key === "Escape") {
        var back = t.closest && t.closest("article.card");
        if (back) { back.focus({preventScroll: true}); }  // from the note, back to its card
      }
      return;
    }
    if (document.querySelector("dialog[open]") || !reviewable.length) { return; }
    var card = current();
    var review = card && card._review;
    var statuses = {m: "met", p: "partial", s: "silent"};
    if (statuses[event.key] && review) { setStatus(card, statuses[event.key]); }
    else if (event.key === "c" && review) { setStatus(card, card.dataset.status); }
    else if (event.key === "a" && review) { nextAnswer(card); }
    else if (event.key === "n" && review) { review.note.focus(); review.note.scrollIntoView({block: "nearest"}); }
    else if (event.key === "e") { exportRules(); }
    else { return; }
    event.preventDefault();
  });
})();
