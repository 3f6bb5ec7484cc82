/*! loupe-record.js: Loupe's session recorder, on rrweb's recorder (@rrweb/record, MIT). Plain ES2017. */
// Served at /loupe-record.js by src/routes/recorder.ts, which puts rrweb's UMD build in front of this
// file inside one function scope: `rrweb.rrwebRecord` is defined there, nothing leaks into the page.
// The snippet (views/assets/loupe.js) loads this only when replay is on, and hands over `loupe.__replay`.
// Same rules as the snippet: never throw into the page; 4xx drops, 5xx/429/408/network retry with
// backoff for retryFor, then drop; nothing is uploaded for a session the collection endpoint has not
// acknowledged (the server refuses chunks of sessions it does not know).
(function (w, d) {
  "use strict";
  var h = w.loupe && w.loupe.__replay;
  var lib = rrweb.rrwebRecord;
  if (!h || !lib || h.started || !w.JSON || !w.Promise) return;
  h.started = true;
  var CHUNK_MS = 5000, MAX_CHUNK_EVENTS = 1000, IDLE_SNAPSHOT_MS = 5 * 60000, MAX_PENDING = 40, MAX_BEACON = 60000;
  var SAVED_MAX_CHARS = 2000000;
  var env = h.cfg.env, retryFor = h.cfg.retryFor, KEY = "_loupe_" + env + "_rec";
  var o = h.options && typeof h.options === "object" ? h.options : {};
  var endpoint = h.cfg.host + "/api/replay";
  var sid = null, buffer = [], pending = [], stopFor = null, lastAt = 0, timer = 0, waitTimer = 0, sending = false, backoff = 0;
  var paused = true, snapshotDue = false, snapshotAsked = false;

  function warn(msg) { try { w.console.warn("[loupe] replay: " + msg); } catch (e) { /* no console */ } }
  function guard(fn) {
    return function () { try { return fn.apply(this, arguments); } catch (e) { try { w.console.debug("[loupe] replay: internal error", e); } catch (x) { /* */ } } };
  }
  function ss(k, v) {
    try { if (v === undefined) return w.sessionStorage.getItem(k); if (v === null) w.sessionStorage.removeItem(k); else w.sessionStorage.setItem(k, v); } catch (e) { /* blocked or full */ }
    return null;
  }
  function uuid() {
    try { if (w.crypto.randomUUID) return w.crypto.randomUUID(); } catch (e) { /* insecure context */ }
    var a = new Uint8Array(16), s = "";
    w.crypto.getRandomValues(a);
    a[6] = (a[6] & 15) | 64; a[8] = (a[8] & 63) | 128;
    for (var i = 0; i < 16; i++) s += (a[i] + 256).toString(16).slice(1) + (i === 3 || i === 5 || i === 7 || i === 9 ? "-" : "");
    return s;
  }
  // One id per tab (sessionStorage survives reloads and page-to-page navigation, not new tabs).
  var windowId = ss(KEY + "_w");
  if (!windowId || !/^[\w-]{1,64}$/.test(windowId)) ss(KEY + "_w", (windowId = uuid().replace(/-/g, "")));

  /** Cuts the buffer into a chunk for its session. */
  function cut() {
    clearTimeout(timer);
    timer = 0;
    if (!buffer.length) return;
    pending.push({ s: sid, u: w.loupe.getUserId(), id: uuid(), events: buffer });
    buffer = [];
    // The oldest chunk goes first when the page cannot upload for a long while; the rest needs a fresh snapshot.
    if (pending.length > MAX_PENDING) { pending.shift(); snapshotDue = true; }
    send();
  }
  function body(c) {
    return JSON.stringify({ envId: env, userId: c.u, sessionId: c.s, windowId: windowId, chunkId: c.id, sentAt: Date.now(), events: c.events });
  }
  /** gzip with CompressionStream where the browser has it (about a tenth of the bytes), else plain JSON. */
  function compress(text) {
    if (!w.CompressionStream || !w.Response || !w.Blob) return Promise.resolve(text);
    return new w.Response(new w.Blob([text]).stream().pipeThrough(new w.CompressionStream("gzip"))).arrayBuffer();
  }
  /** Loupe has stored the session (its events were acknowledged, on this page or the one before). */
  function acked(c) { return c.a || (c.a = h.acked[c.s] === 1); }
  function send() {
    if (sending || !pending.length) return;
    var c = pending[0];
    // Tracking was stopped (loupe.stopTracking()): nothing recorded is sent.
    if (!h.sampled(c.s)) { pending = []; return; }
    if (!acked(c)) {
      // The session's first events have not reached Loupe yet: try again shortly, for as long as they may be retried.
      c.w = c.w || Date.now();
      if (Date.now() - c.w > retryFor) { pending.shift(); snapshotDue = true; return send(); }
      waitTimer = waitTimer || setTimeout(guard(function () { waitTimer = 0; send(); }), 1000);
      return;
    }
    sending = true;
    compress(body(c)).then(function (payload) {
      return w.fetch(endpoint, { method: "POST", body: payload, credentials: "omit", keepalive: (payload.byteLength || payload.length) < MAX_BEACON });
    }).then(function (res) {
      sending = false;
      if (res.status >= 500 || res.status === 429 || res.status === 408) return retry(c);
      pending.shift();
      backoff = 0;
      if (res.status >= 400) { warn("Loupe refused a recording chunk (HTTP " + res.status + "); dropped, not retried"); snapshotDue = true; }
      else res.json().then(guard(function (r) { if (r && r.stop) { stopFor = c.s; pending = pending.filter(function (p) { return p.s !== c.s; }); warn("recording stopped for this session: " + r.dropped); } }), function () {});
      send();
    }, function () { sending = false; retry(c); }).catch(function () { sending = false; });
  }
  function retry(c) {
    var now = Date.now();
    c.f = c.f || now;
    if (now - c.f >= retryFor) { pending.shift(); backoff = 0; snapshotDue = true; warn("gave up on a recording chunk after retrying for " + Math.round(retryFor / 1000) + " s"); return send(); }
    backoff = Math.min(backoff ? backoff * 2 : 1000, 30000);
    setTimeout(guard(send), backoff * (0.75 + Math.random() / 2));
  }

  function snapshot() { snapshotAsked = false; try { lib.record.takeFullSnapshot(true); } catch (e) { /* not recording yet */ } }
  /** Taken just after the current event (rrweb cannot snapshot from inside its own emit). */
  function askSnapshot() { if (!snapshotAsked) { snapshotAsked = true; setTimeout(guard(snapshot), 0); } }

  /**
   * Every rrweb event: kept for the current Loupe session while it is sampled and not stopped. Whenever
   * recording (re)starts — a new Loupe session, tracking started again — it starts with a full snapshot.
   */
  function onEvent(e) {
    var now = w.loupe.getSessionId();
    if (now !== sid) { cut(); sid = now; paused = true; }
    if (!sid || sid === stopFor || !h.sampled(sid)) { paused = true; return; }
    if (e.type === 2) paused = snapshotDue = false;
    // Meta (4) comes just before its full snapshot.
    if (paused && e.type !== 4) return askSnapshot();
    // After a long idle, or once a chunk was lost, a fresh snapshot lets what follows play on its own.
    if (e.type === 3 && (snapshotDue || (lastAt && e.timestamp - lastAt > IDLE_SNAPSHOT_MS))) { snapshotDue = true; askSnapshot(); }
    lastAt = e.timestamp;
    buffer.push(e);
    if (buffer.length >= MAX_CHUNK_EVENTS || e.type === 2) cut();
    else if (!timer) timer = setTimeout(guard(cut), CHUNK_MS);
  }

  /** Page hide: beacon what can go now; what cannot (too big, session not acknowledged) waits in this tab for its next page. */
  function hide() {
    cut();
    var keep = [];
    pending.forEach(function (c, i) {
      if (i === 0 && sending) return keep.push(c); // in flight: resent on the next page if it never landed
      var text = body(c), sent = false;
      try { sent = h.sampled(c.s) && acked(c) && text.length < MAX_BEACON && w.navigator.sendBeacon(endpoint, text); } catch (e) { sent = false; }
      if (!sent) keep.push(c);
    });
    pending = keep;
    var saved = JSON.stringify(keep);
    ss(KEY + "_q", keep.length && saved.length < SAVED_MAX_CHARS ? saved : null);
  }
  function restore() {
    var saved = null;
    try { saved = JSON.parse(ss(KEY + "_q") || "null"); } catch (e) { /* corrupt */ }
    ss(KEY + "_q", null);
    if (Array.isArray(saved)) pending = saved.filter(function (c) { return c && c.s && c.u && c.id && Array.isArray(c.events); }).concat(pending);
    pending.forEach(function (c) { delete c.w; });
  }

  function on(t, type, fn) { t.addEventListener(type, guard(fn), { capture: true, passive: true }); }
  guard(function () {
    restore();
    var mask = o.maskAllText === true || o.maskAllText === "true";
    lib.record({
      emit: guard(onEvent),
      // Private by default: every input masked, blocked elements kept out, redacted (or all) text masked.
      maskAllInputs: true,
      maskInputFn: function (text, el) { return el && String(el.type).toLowerCase() === "password" ? "********" : "*".repeat(String(text || "").length); },
      blockClass: "loupe-block",
      blockSelector: "[data-loupe-block]",
      maskTextClass: "loupe-redact",
      // What is typed into editable regions (rich-text editors) is masked like an input.
      maskTextSelector: mask ? "*" : "[data-loupe-redact],[contenteditable]:not([contenteditable=false])",
      slimDOMOptions: "all",
      // Pointer moves and scrolls are sampled; every input change is kept (masked), so replays show typing.
      sampling: { mousemove: 100, scroll: 200, media: 800 },
      recordCanvas: false,
      collectFonts: false,
      inlineImages: false,
    });
    // Shown again: what was kept for the next page is sent from this one after all.
    on(d, "visibilitychange", function () { if (d.visibilityState === "hidden") hide(); else { ss(KEY + "_q", null); send(); } });
    on(w, "pagehide", hide);
    send();
  })();
})(window, document);
