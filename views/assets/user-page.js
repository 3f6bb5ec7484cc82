// User and session pages: property search as you type, Most frequent highlighting, the selected
// event row. CSP-clean: wired by data attributes and delegated listeners, so rows htmx adds work too.
(function () {
  "use strict";

  // Property search: hide rows of [data-filter-list] whose text does not contain every typed word.
  document.addEventListener("input", function (ev) {
    var input = ev.target instanceof Element ? ev.target.closest("[data-filter-input]") : null;
    if (!input) return;
    var list = input.closest("[data-filter-list]");
    if (!list) return;
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    var items = list.querySelectorAll("[data-filter-item]");
    for (var i = 0; i < items.length; i++) {
      var text = (items[i].textContent || "").toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      items[i].hidden = !match;
      if (match) shown++;
    }
    var groups = list.querySelectorAll("[data-filter-group]");
    for (var g = 0; g < groups.length; g++) {
      groups[g].hidden = !groups[g].querySelector("[data-filter-item]:not([hidden])");
    }
    var empty = list.querySelector("[data-filter-empty]");
    if (empty) empty.hidden = shown !== 0 || items.length === 0;
  });

  // Most frequent: hovering or focusing an entry highlights each of its instances in the event list.
  // `current` is the entry pointed at or focused: rows and entries a live push brings in follow it.
  var current = null;
  function highlight(key) {
    current = key;
    var rows = document.querySelectorAll(".events [data-entry]");
    var count = 0;
    for (var i = 0; i < rows.length; i++) {
      var on = key !== null && rows[i].getAttribute("data-entry") === key;
      rows[i].classList.toggle("highlighted", on);
      if (on) count++;
    }
    var list = document.querySelector(".events");
    if (list) list.classList.toggle("highlighting", key !== null && count > 0);
  }
  function entryOf(ev) {
    return ev.target instanceof Element ? ev.target.closest("[data-highlight-entry]") : null;
  }
  document.addEventListener("mouseover", function (ev) {
    var chip = entryOf(ev);
    if (chip) highlight(chip.getAttribute("data-highlight-entry"));
  });
  document.addEventListener("mouseout", function (ev) {
    var chip = entryOf(ev);
    var to = ev.relatedTarget instanceof Element ? ev.relatedTarget.closest("[data-highlight-entry]") : null;
    if (chip && to !== chip) highlight(null);
  });
  var focused = null;
  document.addEventListener("focusin", function (ev) {
    var chip = entryOf(ev);
    focused = chip ? chip.getAttribute("data-highlight-entry") : null;
    if (chip) highlight(focused);
  });
  document.addEventListener("focusout", function (ev) {
    // A chip replaced by a live push loses focus without the person moving it: keep its highlight.
    if (!entryOf(ev) || !ev.target.isConnected) return;
    focused = null;
    highlight(null);
  });
  // A live push appended events or replaced the entries: highlight the new ones, keep a focused entry focused.
  document.addEventListener("htmx:after:swap", function () {
    if (focused !== null && document.activeElement === document.body) {
      var chip = document.querySelector('[data-highlight-entry="' + CSS.escape(focused) + '"]');
      if (chip) chip.focus({ preventScroll: true });
    }
    if (current !== null) highlight(current);
  });
  // Clicking an entry jumps to its first instance (keyboard users get there with Enter).
  document.addEventListener("click", function (ev) {
    var chip = entryOf(ev);
    if (!chip) return;
    var key = chip.getAttribute("data-highlight-entry");
    var rows = document.querySelectorAll(".events [data-entry]");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-entry") === key) {
        rows[i].scrollIntoView({ block: "center" });
        var link = rows[i].querySelector("a");
        if (link) link.focus({ preventScroll: true });
        break;
      }
    }
  });

  // The clicked event row stays marked while its panel is open.
  function select(row) {
    var selected = document.querySelectorAll(".events .event.selected");
    for (var i = 0; i < selected.length; i++) {
      selected[i].classList.remove("selected");
      var a = selected[i].querySelector(".event-link");
      if (a) a.removeAttribute("aria-current");
    }
    if (!row) return;
    row.classList.add("selected");
    var link = row.querySelector(".event-link");
    if (link) link.setAttribute("aria-current", "true");
  }

  // A clicked event is a URL (?event=<id>, the link's own href): htmx loads its panel, the address bar
  // follows, and Back / Forward open the panel of the event that URL names.
  document.addEventListener("click", function (ev) {
    var link = ev.target instanceof Element ? ev.target.closest(".events .event-link") : null;
    if (!link || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    select(link.closest(".event"));
    if (link.href !== location.href) history.pushState({ loupeEvent: true }, "", link.href);
  });

  window.addEventListener("popstate", function () {
    var panel = document.getElementById("event-panel");
    if (!panel || !window.htmx) return;
    var id = new URL(location.href).searchParams.get("event");
    var row = id ? document.getElementById("event-" + id) : null;
    select(row);
    if (id) {
      htmx.ajax("GET", panel.getAttribute("data-event-panel-base") + encodeURIComponent(id), { target: "#event-panel", swap: "innerHTML" });
    } else {
      var empty = document.getElementById("event-panel-empty");
      if (empty) panel.replaceChildren(empty.content.cloneNode(true));
    }
  });
})();
