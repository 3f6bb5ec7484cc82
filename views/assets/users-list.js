// Users-list page behaviour, CSP-clean (no inline handlers): timeline auto-apply, closing the filter
// builder, focusing it when it opens.
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!(el instanceof HTMLSelectElement) || !el.hasAttribute("data-autosubmit")) return;
    // "Past N days…" and "Between dates…" wait for their inputs and the Apply button.
    if (el.value === "custom" || el.value === "range") {
      var input = el.form && el.form.querySelector(el.value === "custom" ? "input[name=days]" : "input[name=from]");
      if (input) input.focus();
      return;
    }
    if (el.form) el.form.requestSubmit();
  });

  document.addEventListener("click", function (ev) {
    var t = ev.target instanceof Element ? ev.target.closest("[data-close-builder]") : null;
    if (!t) return;
    var holder = document.getElementById("filter-builder");
    if (holder) holder.replaceChildren();
    var add = document.getElementById("add-filter");
    if (add) add.focus();
  });

  document.addEventListener("htmx:after:swap", function (ev) {
    var target = ev.target instanceof Element ? ev.target : null;
    if (!target || target.id !== "filter-builder") return;
    var first = target.querySelector("select, input:not([type=hidden])");
    // Re-renders caused by a field keep focus on that field; a fresh builder focuses its first field.
    var active = document.activeElement;
    if (first && (!active || !target.contains(active))) first.focus();
  });

  // Quick search swaps only the results; keep the address bar in step so the view stays a URL.
  document.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!(el instanceof HTMLInputElement) || el.id !== "user-search") return;
    var params = new URLSearchParams(location.search);
    if (el.value.trim()) params.set("q", el.value.trim()); else params.delete("q");
    var qs = params.toString();
    history.replaceState(history.state, "", location.pathname + (qs ? "?" + qs : ""));
  });

  // Escape closes the builder.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    var holder = document.getElementById("filter-builder");
    if (holder && holder.contains(document.activeElement)) {
      holder.replaceChildren();
      var add = document.getElementById("add-filter");
      if (add) add.focus();
    }
  });
})();
