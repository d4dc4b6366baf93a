// Filters, search and expand/collapse: the only things that need JavaScript. Without it every
// card shows and the <details> open and close by themselves.
(function () {
  var controls = document.querySelector(".controls");
  if (!controls) { return; }
  controls.hidden = false;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  var buttons = Array.prototype.slice.call(controls.querySelectorAll("button[data-filter]"));
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var current = { key: "all", kind: "" };
  function apply() {
    var words = (search.value || "").trim().toLowerCase();
    var count = 0;
    cards.forEach(function (card) {
      var ok = current.key === "all" ||
        (current.kind === "status" && card.dataset.status === current.key) ||
        (current.kind === "flag" && (" " + card.dataset.flags + " ").indexOf(" " + current.key + " ") >= 0);
      if (ok && words) { ok = card.dataset.text.indexOf(words) >= 0; }
      card.classList.toggle("hidden", !ok);
      if (ok) { count += 1; }
    });
    document.querySelectorAll("section.part").forEach(function (part) {
      part.classList.toggle("hidden", !part.querySelector(".card:not(.hidden)"));
    });
    shown.textContent = count + " / " + cards.length;
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      current = { key: b.dataset.filter, kind: b.dataset.kind || "" };
      buttons.forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)); });
      apply();
    });
  });
  search.addEventListener("input", apply);
  function openAll(open) {
    document.querySelectorAll(".card details.more").forEach(function (d) { d.open = open; });
  }
  document.getElementById("expand").addEventListener("click", function () { openAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { openAll(false); });
  apply();
})();
