// The wall screen's live behaviour. Runs for weeks on a TV: reconnects forever with backoff, reloads
// itself when the server's version changes, and keeps memory flat (fixed DOM, replaced not appended).
(function () {
  "use strict";
  var root = document.getElementById("wall");
  if (!root) return;
  var socketPath = root.getAttribute("data-socket");
  var view = JSON.parse(root.getAttribute("data-view") || "{}");
  var version = root.getAttribute("data-version");
  var timeZone = root.getAttribute("data-time-zone") || "UTC";
  var stateEl = root.querySelector("[data-live-state]");
  var clockEl = root.querySelector("[data-wall-clock]");
  var CHART_W = 600, CHART_H = 200;
  var socket = null, attempt = 0, retryTimer = null, watchdog = null, lastMessage = 0, downSince = 0, stopped = false;
  var seenRage = Object.create(null), seenFeed = Object.create(null), firstData = true;
  var fmt = new Intl.NumberFormat("en-US");
  var clockFmt = new Intl.DateTimeFormat("en-GB", { timeZone: timeZone, hour: "2-digit", minute: "2-digit", hour12: false });

  function setState(state, text) {
    stateEl.setAttribute("data-state", state);
    stateEl.textContent = text;
  }
  function fig(name, value) {
    var el = root.querySelector('[data-figure="' + name + '"]');
    if (el && el.textContent !== value) el.textContent = value;
  }
  function tickClock() {
    clockEl.textContent = clockFmt.format(new Date());
    // "Stale since …" once a reconnect has taken a while: the numbers on screen are old.
    if (downSince && Date.now() - downSince > 10000) setState("stale", "Stale since " + clockFmt.format(new Date(downSince)));
    // No frame for 45 s (the server ticks every 15 s): the connection is dead even if it looks open.
    if (socket && socket.readyState === 1 && lastMessage && Date.now() - lastMessage > 45000) socket.close();
  }

  function connect() {
    if (stopped) return;
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + socketPath;
    try { socket = new WebSocket(url); } catch (e) { return scheduleReconnect(); }
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: "subscribe", id: "wall", view: view }));
    };
    socket.onmessage = function (ev) {
      lastMessage = Date.now();
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (msg.type === "hello") {
        if (msg.version !== version) { stopped = true; location.reload(); return; }
        attempt = 0;
        downSince = 0;
        setState("live", "Live");
      } else if (msg.type === "push" && msg.data) {
        render(msg.data);
      } else if (msg.type === "reload") {
        location.reload();
      }
    };
    socket.onclose = function (ev) {
      socket = null;
      if (ev.code === 4403) {
        stopped = true;
        setState("revoked", "This wall link was revoked");
        return;
      }
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    if (stopped || retryTimer) return;
    if (!downSince) downSince = Date.now();
    setState("reconnecting", "Reconnecting…");
    var delay = Math.min(500 * Math.pow(2, attempt), 30000) * (0.7 + Math.random() * 0.6);
    attempt = Math.min(attempt + 1, 16);
    retryTimer = setTimeout(function () { retryTimer = null; connect(); }, delay);
  }

  function render(d) {
    fig("active", fmt.format(d.active));
    fig("sessionsToday", fmt.format(d.sessionsToday));
    var counterTile = root.querySelector("[data-counter]");
    if (d.counter) {
      counterTile.hidden = false;
      fig("counterLabel", d.counter.label);
      fig("counter", fmt.format(d.counter.value));
    } else counterTile.hidden = true;
    renderChart(d.perMinute);
    renderFeed(d.feed);
    renderTop(d.topPages);
    renderRage(d.rage);
    firstData = false;
  }

  function renderChart(points) {
    var max = Math.max.apply(null, [1].concat(points));
    var step = points.length > 1 ? CHART_W / (points.length - 1) : CHART_W;
    var pts = points.map(function (n, i) { return (i * step).toFixed(1) + "," + (CHART_H - (n / max) * (CHART_H - 8)).toFixed(1); });
    root.querySelector("[data-chart-line]").setAttribute("points", pts.join(" "));
    root.querySelector("[data-chart-area]").setAttribute("d", "M0," + CHART_H + " L" + pts.join(" L") + " L" + CHART_W + "," + CHART_H + " Z");
    fig("perMinuteNow", fmt.format(points[points.length - 1] || 0));
    fig("perMinuteMax", fmt.format(max));
  }

  function span(cls, text) {
    var s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    return s;
  }

  // Lists are rebuilt from the server's capped arrays: the DOM never holds more than it shows.
  function renderFeed(items) {
    var ul = root.querySelector("[data-feed]");
    var next = Object.create(null);
    var frag = document.createDocumentFragment();
    items.forEach(function (s) {
      var li = document.createElement("li");
      li.setAttribute("data-id", s.id);
      if (!seenFeed[s.id] && !firstData) li.className = "fresh";
      li.append(span("who", s.who), span("src", { web: "Web", ios: "iOS", android: "Android", server: "Server" }[s.source] || s.source), span("where", s.where || "Unknown location"), span("page", s.page));
      next[s.id] = true;
      frag.append(li);
    });
    seenFeed = next;
    ul.replaceChildren(frag);
  }

  function renderTop(pages) {
    var ol = root.querySelector("[data-top]");
    var frag = document.createDocumentFragment();
    pages.forEach(function (t) {
      var li = document.createElement("li");
      li.append(span("page", t.page), span("n", fmt.format(t.users)));
      frag.append(li);
    });
    ol.replaceChildren(frag);
  }

  function renderRage(items) {
    var ul = root.querySelector("[data-rage]");
    var next = Object.create(null);
    var frag = document.createDocumentFragment();
    items.forEach(function (r) {
      var li = document.createElement("li");
      li.setAttribute("data-id", r.id);
      if (!seenRage[r.id]) li.className = "flash";
      li.append(span("who", r.who), document.createTextNode(" "), span("target", r.target ? "\u201c" + r.target + "\u201d" : "(no text)"), document.createTextNode(" "), span("n", "\u00d7" + r.clicks), document.createTextNode(" "), span("page", r.page));
      next[r.id] = true;
      frag.append(li);
    });
    seenRage = next;
    ul.replaceChildren(frag);
    root.querySelector("[data-rage-none]").hidden = items.length > 0;
  }

  root.querySelectorAll("[data-rage] li").forEach(function (li) { seenRage[li.getAttribute("data-id")] = true; });
  root.querySelectorAll("[data-feed] li").forEach(function (li) { seenFeed[li.getAttribute("data-id")] = true; });
  tickClock();
  watchdog = setInterval(tickClock, 1000);
  connect();
})();
