// The wall screen's page script. Its tiles arrive as HTML over the page's live socket (live.js, as on
// every page); what HTML cannot do is here: the clock in the environment's time zone, and marking what
// is new since the last push (rage clicks flash, new sessions glow). CSP-clean: no inline code.
(function () {
  "use strict";
  var root = document.getElementById("wall");
  if (!root) return;
  var FLASH_MS = 3000;
  var clockEl = root.querySelector("[data-wall-clock]");
  var clockFmt = new Intl.DateTimeFormat("en-GB", { timeZone: root.getAttribute("data-time-zone") || "UTC", hour: "2-digit", minute: "2-digit", hour12: false });
  // id → until when it keeps its mark; ids on screen at load are not new.
  var marks = { rage: ids("[data-rage] li"), feed: ids("[data-feed] li") };

  function ids(selector) {
    var out = Object.create(null);
    root.querySelectorAll(selector).forEach(function (li) { out[li.getAttribute("data-id")] = 0; });
    return out;
  }

  /** Items not seen before get `cls` for FLASH_MS (kept across pushes that re-render them). */
  function mark(selector, kind, cls) {
    var now = Date.now(), next = Object.create(null), seen = marks[kind];
    root.querySelectorAll(selector).forEach(function (li) {
      var id = li.getAttribute("data-id");
      var until = id in seen ? seen[id] : now + FLASH_MS;
      next[id] = until;
      if (until > now) li.classList.add(cls);
    });
    marks[kind] = next;
  }

  document.addEventListener("htmx:after:swap", function (ev) {
    if (!(ev.target instanceof Node) || !root.contains(ev.target)) return;
    mark("[data-rage] li", "rage", "flash");
    mark("[data-feed] li", "feed", "fresh");
  });

  function tick() { clockEl.textContent = clockFmt.format(new Date()); }
  tick();
  setInterval(tick, 1000);
})();
