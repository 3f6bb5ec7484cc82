// A session page with a recording: links its event list to the player frame (replay-player.js), by
// postMessage, same origin only. Clicking an event jumps the player to its moment; the event being
// played is highlighted (and kept in view unless you are scrolling); new chunks of a live recording
// arrive over the page's own live socket (a "replay" subscription beside live.js's "page" one).
(function () {
  "use strict";
  var panel = document.getElementById("replay"), frame = document.getElementById("replay-frame");
  if (!panel || !frame) return;
  var view = { kind: "replay", envId: panel.getAttribute("data-replay-env"), sessionId: Number(panel.getAttribute("data-replay-session")) };
  var USER_SCROLL_QUIET_MS = 2000;
  var playing = null, userScrolledAt = 0;

  function send(msg) { if (frame.contentWindow) frame.contentWindow.postMessage(msg, location.origin); }
  function timeOf(row) {
    var t = row.querySelector("time[datetime]");
    return t ? Date.parse(t.getAttribute("datetime")) : NaN;
  }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("#session-events .event-link");
    if (!link || !link.parentElement) return;
    var at = timeOf(link.parentElement);
    if (isFinite(at)) send({ type: "loupe:replay-seek", at: at });
  });

  /** The latest event at or before `at` (rows are in time order). */
  function rowAt(at) {
    var list = document.getElementById("session-events");
    var rows = list ? list.querySelectorAll(":scope > li.event") : [];
    var lo = 0, hi = rows.length - 1, found = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (timeOf(rows[mid]) <= at) { found = rows[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
  function highlight(at) {
    var row = rowAt(at);
    if (row === playing) return;
    if (playing) { playing.classList.remove("playing"); playing.removeAttribute("data-playing"); }
    playing = row;
    if (!row) return;
    row.classList.add("playing");
    row.setAttribute("data-playing", "true");
    var r = row.getBoundingClientRect();
    if ((r.top < 60 || r.bottom > window.innerHeight) && Date.now() - userScrolledAt > USER_SCROLL_QUIET_MS) {
      row.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }
  ["wheel", "touchmove", "keydown"].forEach(function (type) {
    window.addEventListener(type, function () { userScrolledAt = Date.now(); }, { passive: true });
  });

  window.addEventListener("message", function (ev) {
    if (ev.origin !== location.origin || ev.source !== frame.contentWindow || !ev.data) return;
    if (ev.data.type === "loupe:replay-time" && typeof ev.data.at === "number") highlight(ev.data.at);
  });

  var live = document.getElementById("live");
  if (!live) return;
  live.addEventListener("htmx:ws:after:connection", function (ev) {
    var socket = ev.detail && ev.detail.connection && ev.detail.connection.socket;
    if (!socket) return;
    socket.send(JSON.stringify({ type: "subscribe", id: "replay", view: view }));
    // Whatever arrived while the socket was down is read from the recording itself.
    send({ type: "loupe:replay-resync" });
  });
  // Pushes land in the panel's inbox as inert <template data-replay-chunks> (views/live/pushes.tsx).
  var inbox = document.getElementById("replay-inbox");
  if (!inbox) return;
  new MutationObserver(function () {
    Array.prototype.slice.call(inbox.querySelectorAll("template[data-replay-chunks]")).forEach(function (t) {
      var msg = null;
      try { msg = JSON.parse(t.getAttribute("data-replay-chunks")); } catch (e) { /* not ours */ }
      t.remove();
      if (msg) send({ type: "loupe:replay-live", chunks: msg.chunks || [], upTo: msg.upTo });
    });
  }).observe(inbox, { childList: true });
})();
