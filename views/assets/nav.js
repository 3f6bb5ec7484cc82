// Dropdowns built on <details data-dropdown> (the environment switcher): close on Escape, on a click
// outside, and when another opens. CSP-clean: no inline handlers.
(function () {
  "use strict";
  function closeAll(except) {
    var open = document.querySelectorAll("details[data-dropdown][open]");
    for (var i = 0; i < open.length; i++) if (open[i] !== except) open[i].removeAttribute("open");
  }
  document.addEventListener("click", function (ev) {
    var inside = ev.target instanceof Element ? ev.target.closest("details[data-dropdown]") : null;
    closeAll(inside);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    var open = document.querySelector("details[data-dropdown][open]");
    if (!open) return;
    open.removeAttribute("open");
    var summary = open.querySelector("summary");
    if (summary) summary.focus();
  });
})();
