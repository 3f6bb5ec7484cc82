// Loupe's own page behaviour. CSP-clean: no inline handlers, no eval; wired by data attributes.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem("loupe-theme"); } catch (e) {}
  if (stored === "dark" || stored === "light") root.setAttribute("data-theme", stored);

  // Every htmx request carries the session's CSRF token (the server also accepts the _csrf form field).
  document.addEventListener("htmx:config:request", function (ev) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    var request = ev.detail && ev.detail.ctx && ev.detail.ctx.request;
    if (meta && request && request.headers) request.headers["X-CSRF-Token"] = meta.getAttribute("content");
  });

  // Forms that destroy something (delete a segment, revoke a kiosk link) ask first: data-confirm.
  document.addEventListener("submit", function (ev) {
    var form = ev.target instanceof HTMLFormElement ? ev.target : null;
    var question = form && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) ev.preventDefault();
  }, true);

  document.addEventListener("click", function (ev) {
    var t = ev.target instanceof Element ? ev.target : null;
    if (!t) return;
    var toggle = t.closest("[data-theme-toggle]");
    if (toggle) {
      var dark = root.getAttribute("data-theme") === "dark" ||
        (!root.getAttribute("data-theme") && window.matchMedia("(prefers-color-scheme: dark)").matches);
      var next = dark ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("loupe-theme", next); } catch (e) {}
      return;
    }
    var copy = t.closest("[data-copy-target]");
    if (copy) {
      var src = document.getElementById(copy.getAttribute("data-copy-target"));
      if (src && navigator.clipboard) {
        navigator.clipboard.writeText(src.textContent || "").then(function () {
          var label = copy.textContent;
          copy.textContent = "Copied";
          setTimeout(function () { copy.textContent = label; }, 1500);
        }, function () {});
      }
    }
  });
})();
