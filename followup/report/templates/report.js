// Filters are the only thing that needs JavaScript; without it every card shows.
(function () {
  var nav = document.querySelector(".filters");
  if (!nav) { return; }
  nav.hidden = false;
  var buttons = nav.querySelectorAll("button[data-filter]");
  function apply(filter) {
    document.querySelectorAll(".card").forEach(function (card) {
      card.classList.toggle("hidden", filter !== "all" && card.dataset.status !== filter);
    });
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.filter === filter)); });
  }
  buttons.forEach(function (b) { b.addEventListener("click", function () { apply(b.dataset.filter); }); });
})();
