/*! loupe.js: Loupe's browser snippet. Plain ES2017, no dependencies, MIT. */
// Contract: docs/collect-protocol.md. Rules: never throw into, block or slow the host page; never read
// input values; one request at a time, retried with backoff; every event carries a client UUID.
(function (w, d) {
  "use strict";
  var VERSION = "0.1.0";
  var before = w.loupe;
  if (before && before.__loupe) return; // loaded twice
  var script = d.currentScript;
  var JUNK = ["", "null", "undefined", "none", "nil", "anonymous", "guest", "0", "-1", "[object object]",
    "true", "false", "nan"];
  var CAPTURES = ["pageview", "click", "change", "submit"];
  var CLICKABLE = "a,button,summary,label,[role=button],[role=link],[role=menuitem],[role=tab],[role=checkbox]," +
    "[role=switch],input[type=button],input[type=submit],input[type=reset],input[type=image]";
  var EDITABLE = "[contenteditable]:not([contenteditable=false])";
  var FIELD = { INPUT: 1, TEXTAREA: 1, SELECT: 1 };
  var NO_TEXT = { INPUT: 1, TEXTAREA: 1, SELECT: 1, OPTION: 1, SCRIPT: 1, STYLE: 1, NOSCRIPT: 1, TEMPLATE: 1, FORM: 1 };
  var SESSION_MS = 30 * 60000, YEAR_S = 31536000, MAX_QUEUE = 1000, MAX_BEACON = 60000, RETRY_FOR_MS = 10 * 60000;

  var cfg = null, key = "", state = null, eventProps = {}, queue = [], referrer = "", lastUrl = "";
  var viewport = [0, 0]; // innerWidth/Height force a layout: read on load and resize only, not per event
  var stopped = false, off = false, sending = false, failing = false, backoff = 0, timer = 0, navTimer = 0;
  var rec = null, acked = {};
  var hasOwn = Object.prototype.hasOwnProperty;

  function noop() {}
  function warn(msg) { try { w.console.warn("[loupe] " + msg); } catch (e) { /* no console */ } }
  function guard(fn) {
    return function () {
      try { return fn.apply(this, arguments); } catch (e) { try { w.console.debug("[loupe] internal error", e); } catch (x) { /* */ } }
    };
  }
  function later(fn, ms) { return setTimeout(guard(fn), ms); }
  /** At most n UTF-16 units, never half an emoji: a pair the limit would split is left out whole. */
  function cap(s, n) {
    s = s == null ? "" : String(s);
    if (s.length <= n) return s;
    var c = s.charCodeAt(n - 1);
    return s.slice(0, c >= 0xd800 && c < 0xdc00 ? n - 1 : n);
  }
  function num(v, min, max, dflt) { v = Number(v); return isFinite(v) && v > 0 ? Math.min(max, Math.max(min, v)) : dflt; }

  // ---- ids
  function random32(n) {
    var a = new Uint32Array(n);
    try { w.crypto.getRandomValues(a); } catch (e) { for (var i = 0; i < n; i++) a[i] = Math.random() * 4294967296 >>> 0; }
    return a;
  }
  /** A random integer 0..2^53-1 as a decimal string (user and session ids). */
  function newId() { var a = random32(2); return String((a[0] & 0x1fffff) * 4294967296 + a[1]); }
  function uuid() {
    try { if (w.crypto && w.crypto.randomUUID) return w.crypto.randomUUID(); } catch (e) { /* insecure context */ }
    var a = random32(4), h = "";
    for (var i = 0; i < 4; i++) h += ("0000000" + a[i].toString(16)).slice(-8);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-4" + h.slice(13, 16) + "-" + "89ab"[a[1] & 3] + h.slice(17, 20) + "-" + h.slice(20);
  }

  // ---- storage: a first-party cookie (cookieDomain: shared by subdomains), localStorage as fallback
  function lsGet(k) { try { return w.localStorage.getItem(k); } catch (e) { return null; } }
  function lsSet(k, v) {
    try { if (v == null) w.localStorage.removeItem(k); else w.localStorage.setItem(k, v); } catch (e) { /* full or blocked */ }
  }
  function readState() {
    var raw = null;
    try { var m = d.cookie.match(new RegExp("(?:^|; )" + key + "=([^;]*)")); raw = m && m[1]; } catch (e) { /* sandboxed */ }
    var p = (raw || lsGet(key) || "").split("|"), i = null;
    if (!/^\d{1,16}$/.test(p[0])) return null;
    try { i = p[3] ? decodeURIComponent(p[3]) : null; } catch (e) { /* mangled: anonymous */ }
    return { u: p[0], s: /^\d{1,16}$/.test(p[1]) ? p[1] : "", t: parseInt(p[2], 36) || 0, i: i };
  }
  // document.cookie is slow: read storage at most once a second; rewrite the activity time at most every 5 s.
  var readAt = 0, savedIds = "", savedT = 0;
  function saveState() {
    var ids = [state.u, state.s, state.i == null ? "" : encodeURIComponent(state.i)];
    if (ids.join("|") === savedIds && state.t >= savedT && state.t - savedT < 5000) return;
    savedIds = ids.join("|");
    savedT = state.t;
    var v = [ids[0], ids[1], state.t.toString(36), ids[2]].join("|");
    try {
      d.cookie = key + "=" + v + "; path=/; max-age=" + YEAR_S + "; SameSite=Lax" +
        (cfg.cookieDomain ? "; domain=" + cfg.cookieDomain : "") + (location.protocol === "https:" ? "; Secure" : "");
    } catch (e) { /* cookies blocked */ }
    lsSet(key, v);
  }
  /** Another tab may have moved the user or session on: storage wins over memory. */
  function sync() {
    var now = Date.now();
    if (now - readAt >= 1000) { readAt = now; state = readState() || state; }
    return state;
  }
  function sessionLive(now) { return state.s && now - state.t <= SESSION_MS; }

  // ---- properties
  function prim(v) { return typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && isFinite(v)); }
  /** Heap's limits: keys ≤ 512, values ≤ 1024 chars; arrays joined with "||"; other types dropped. */
  function clean(p) {
    var out = {}, n = 0;
    if (!p || typeof p !== "object") return out;
    for (var k in p) {
      if (!hasOwn.call(p, k) || n >= 1000) continue;
      var v = p[k];
      if (Array.isArray(v)) v = v.filter(prim).join("||");
      else if (v instanceof Date) v = isFinite(v) ? v.toISOString() : null;
      if (!prim(v)) continue;
      out[cap(k, 512)] = typeof v === "string" ? cap(v, 1024) : v;
      n++;
    }
    return out;
  }
  function assign(to, from) { for (var k in from) if (hasOwn.call(from, k)) to[k] = from[k]; return to; }
  function saveEventProps() { lsSet(key + "_p", JSON.stringify(eventProps)); }

  // ---- what is captured about the page and a target
  function page() {
    var l = w.location;
    return { url: cap(l.href, 2048), domain: l.hostname, path: cap(l.pathname, 2048), query: cap(l.search, 2048),
      hash: cap(l.hash, 2048), title: cap(d.title, 1024), referrer: cap(referrer, 2048) };
  }
  function element(n) { return n && n.nodeType === 3 ? n.parentElement : n && n.nodeType === 1 ? n : null; }
  function tagOf(el) { return String(el.tagName).toLowerCase(); }
  function classes(el) {
    var c = el.getAttribute("class");
    return c ? c.trim().split(/\s+/).slice(0, 20).map(function (x) { return cap(x, 100); }) : [];
  }
  function step(el) {
    var s = { tag: tagOf(el) }, cls = classes(el), a = el.attributes, attrs = null;
    if (el.id) s.id = cap(el.id, 100);
    if (cls.length) s.classes = cls;
    for (var i = 0; i < a.length; i++) {
      var n = a[i].name;
      if (n === "name" || n === "type" || n === "role" || n === "aria-label" || (n.indexOf("data-") === 0 && n.indexOf("data-loupe") !== 0)) {
        (attrs = attrs || {})[n] = cap(a[i].value, 100);
      }
    }
    if (attrs) s.attrs = attrs;
    return s;
  }
  /** Visible text, never from form fields or editable regions. */
  function text(el) {
    // (Attributes, not isContentEditable: that forces a style recalc.)
    if (NO_TEXT[String(el.tagName).toUpperCase()] || el.closest("[data-loupe-redact]," + EDITABLE)) return "";
    var out = "", seen = 0;
    (function walk(node) {
      for (var c = node.firstChild; c && out.length < 600 && seen++ < 400; c = c.nextSibling) {
        if (c.nodeType === 3) out += " " + c.nodeValue;
        else if (c.nodeType === 1 && !NO_TEXT[String(c.tagName).toUpperCase()] && !c.matches("[data-loupe-redact]," + EDITABLE)) walk(c);
      }
    })(el);
    // Icon-only buttons and links: their label is what a person would read.
    return cap(out.replace(/\s+/g, " ").trim() || el.getAttribute("aria-label") || el.getAttribute("title") || "", 255);
  }
  function target(el) {
    var chain = [];
    for (var e = el; e && e.nodeType === 1 && chain.length < 30; e = e.parentElement) chain.unshift(step(e));
    var href = typeof el.href === "string" && !/^javascript:/i.test(el.href) ? cap(el.href, 2048) : null;
    var last = chain[chain.length - 1];
    return { text: text(el), tag: last.tag, id: last.id || null, classes: last.classes || [], href: href, hierarchy: chain };
  }
  /** An icon (svg, path, span…) inside a button or link counts as the button or link. */
  function clicked(node) {
    var el = element(node);
    if (!el || !el.closest) return null;
    if (FIELD[String(el.tagName).toUpperCase()]) return el;
    var c = el.closest(CLICKABLE);
    if (c) return c;
    while (el.ownerSVGElement) el = el.ownerSVGElement;
    return el;
  }
  function ignored(el) { return !el || !!el.closest("[data-loupe-ignore]"); }

  // ---- the queue
  function event(type, extra) {
    extra = extra || {};
    var m = { kind: "event", id: uuid(), type: type, time: Date.now(), page: page(),
      screen: { width: w.screen.width, height: w.screen.height }, viewport: { width: viewport[0], height: viewport[1] } };
    if (extra.name) m.name = extra.name;
    if (extra.target) m.target = extra.target;
    var props = assign(assign({}, eventProps), extra.properties || {});
    for (var k in props) { m.properties = props; break; }
    return m;
  }
  function push(m) {
    queue.push({ u: state.u, s: state.s, m: m });
    if (queue.length > MAX_QUEUE) queue.shift();
    schedule(queue.length >= cfg.maxBatch ? 0 : cfg.interval);
  }
  /** Adds a message to the session, starting one (session_start) after 30 idle minutes. */
  function enqueue(m) {
    if (stopped || off) return;
    sync();
    var fresh = !sessionLive(m.time);
    if (fresh) state.s = newId();
    state.t = m.time;
    saveState();
    if (fresh) {
      var start = event("session_start");
      start.time = m.time;
      push(start);
    }
    push(m);
    record();
  }
  /** A new anonymous (or newly identified) user on this device, with a new session. */
  function newUser(identity) {
    state = { u: newId(), s: stopped ? "" : newId(), t: Date.now(), i: identity };
    saveState();
    eventProps = {};
    saveEventProps();
    if (!stopped) push(event("session_start"));
  }

  // ---- sending
  function schedule(ms) {
    if (timer && (ms > 0 || failing)) return; // never cut a backoff short
    clearTimeout(timer);
    timer = later(flush, ms);
  }
  /** The longest run of queued messages sharing a user and session: one batch. */
  function take() {
    var n = 0, first = queue[0];
    while (n < queue.length && n < cfg.maxBatch && queue[n].u === first.u && queue[n].s === first.s) n++;
    return queue.splice(0, n);
  }
  function body(items) {
    return JSON.stringify({ envId: cfg.env, source: "web", library: { name: "loupe.js", version: VERSION },
      userId: items[0].u, sessionId: items[0].s, sentAt: Date.now(), messages: items.map(function (x) { return x.m; }) });
  }
  /** 5xx, 429, 408 and network errors: the same batch again, with backoff, for cfg.retryFor since its first failure; then dropped. */
  function retryLater(items) {
    if (stopped) return;
    var now = Date.now(), kept = items.filter(function (x) { x.f = x.f || now; return now - x.f < cfg.retryFor; });
    if (kept.length < items.length) warn("gave up on " + (items.length - kept.length) + " event(s) after retrying for " + Math.round(cfg.retryFor / 1000) + " s");
    queue = kept.concat(queue).slice(-MAX_QUEUE);
    if (!queue.length) { failing = false; backoff = 0; return; }
    failing = true;
    backoff = Math.min(backoff ? backoff * 2 : 1000, 30000);
    clearTimeout(timer);
    timer = later(flush, backoff * (0.75 + Math.random() / 2));
  }
  function flush() {
    timer = 0;
    if (sending || !queue.length || stopped) return;
    var items = take(), payload = body(items);
    sending = true;
    // text/plain keeps it a CORS "simple" request: no preflight round trip.
    new Promise(function (ok) {
      ok(w.fetch(cfg.endpoint, { method: "POST", body: payload, keepalive: payload.length < MAX_BEACON, credentials: "omit",
        headers: { "content-type": "text/plain;charset=UTF-8" } }));
    }).then(function (res) {
      sending = false;
      if (res.status >= 500 || res.status === 429 || res.status === 408) return retryLater(items);
      failing = false;
      backoff = 0;
      if (res.ok) acked[items[0].s] = 1;
      if (res.status >= 400) warn("the collection endpoint refused a batch (HTTP " + res.status + "); dropped, not retried");
      else res.json().then(guard(function (r) { (r && r.warnings || []).forEach(function (x) { warn(typeof x === "string" ? x : JSON.stringify(x)); }); rec = r.replay; record(); }), noop);
      if (queue.length) schedule(0);
    }, function () {
      sending = false;
      retryLater(items);
    }).catch(noop);
  }
  /** Page hide: beacon everything; while the server fails, keep it for the next page. */
  function flushNow() {
    if (!cfg || stopped) return;
    if (!failing) { clearTimeout(timer); timer = 0; } // a running backoff keeps going if the page comes back
    while (queue.length && !failing) {
      var items = take(), payload = body(items), sent = false;
      try {
        if (payload.length < MAX_BEACON && w.navigator.sendBeacon) sent = w.navigator.sendBeacon(cfg.endpoint, payload);
        else { w.fetch(cfg.endpoint, { method: "POST", body: payload, keepalive: true, credentials: "omit" }).catch(noop); sent = true; }
      } catch (e) { sent = false; }
      if (!sent) { queue = items.concat(queue); break; }
    }
    lsSet(key + "_q", queue.length ? JSON.stringify(queue) : null);
  }
  function restoreQueue() {
    var saved = null;
    try { saved = JSON.parse(lsGet(key + "_q") || "null"); } catch (e) { /* corrupt */ }
    lsSet(key + "_q", null);
    if (Array.isArray(saved)) queue = saved.filter(function (x) { return x && x.u && x.s && x.m && x.m.id; }).slice(-MAX_QUEUE).concat(queue);
    if (queue.length) schedule(0);
  }

  // ---- replay: loads /loupe-record.js (load()'s replay option wins over the collect answer's)
  function sampled(s) { var o = cfg.replay == null ? rec : cfg.replay; return o && !stopped && !off && s % 1e4 < (o.sampleRate >= 0 ? o.sampleRate : 1) * 1e4 && o; }
  function record() {
    var o = sampled(state.s);
    if (loupe.__replay || !o) return;
    loupe.__replay = { cfg: cfg, options: o, acked: acked, sampled: sampled };
    d.head.appendChild(d.createElement("script")).src = cfg.host + "/loupe-record.js";
  }

  // ---- autocapture
  function pageview() {
    if (w.location.href === lastUrl) return;
    if (lastUrl) referrer = lastUrl;
    lastUrl = w.location.href;
    enqueue(event("pageview"));
  }
  /** Routers set the title just after the URL: look a moment later. */
  function urlMaybeChanged() { clearTimeout(navTimer); navTimer = later(pageview, 30); }
  function listen(t, type, fn) { t.addEventListener(type, guard(fn), { capture: true, passive: true }); }
  function capturing(what) { return cfg.capture[what] && !stopped && !off; }
  function install() {
    if (cfg.capture.pageview) {
      ["pushState", "replaceState"].forEach(function (k) {
        var orig = w.history[k];
        if (typeof orig !== "function") return;
        w.history[k] = function () {
          var r = orig.apply(this, arguments);
          if (capturing("pageview")) urlMaybeChanged();
          return r;
        };
      });
      listen(w, "popstate", function () { if (capturing("pageview")) urlMaybeChanged(); });
      listen(w, "hashchange", function () { if (capturing("pageview")) urlMaybeChanged(); });
    }
    listen(d, "click", function (ev) {
      // Clicks made by page code (el.click()) are not the user's.
      if (!capturing("click") || ev.isTrusted === false) return;
      var el = clicked(ev.target);
      if (!ignored(el)) enqueue(event("click", { target: target(el) }));
    });
    listen(d, "change", function (ev) {
      var el = element(ev.target);
      // Even that a password changed is not sent.
      if (!capturing("change") || ignored(el) || (el.type && String(el.type).toLowerCase() === "password")) return;
      enqueue(event("change", { target: target(el) }));
    });
    listen(d, "submit", function (ev) {
      var el = element(ev.target);
      if (capturing("submit") && !ignored(el)) enqueue(event("submit", { target: target(el) }));
    });
    var measure = function () { viewport = [w.innerWidth, w.innerHeight]; };
    measure();
    listen(w, "resize", measure);
    listen(d, "visibilitychange", function () { if (d.visibilityState === "hidden") flushNow(); });
    listen(w, "pagehide", flushNow);
    // Back/forward cache: the page is shown again without loading; that is a view too.
    listen(w, "pageshow", function (ev) { if (ev.persisted && capturing("pageview")) { lastUrl = ""; pageview(); } });
  }

  // ---- the public API
  function dnt() {
    var n = w.navigator;
    return n.globalPrivacyControl === true || n.doNotTrack === "1" || n.doNotTrack === "yes" || w.doNotTrack === "1" || n.msDoNotTrack === "1";
  }
  function captureFlags(o) {
    var all = o === true || o === "true", list = Array.isArray(o) ? o : typeof o === "string" ? o.split(/[\s,]+/) : [], flags = {};
    CAPTURES.forEach(function (c) { flags[c] = !all && list.indexOf(c) < 0 && list.indexOf(c + "s") < 0; });
    return flags;
  }
  function origin(u) { try { return new URL(u, w.location.href).origin; } catch (e) { return w.location.origin; } }
  function ready() { return cfg && !off && !stopped; }

  var api = {
    load: function (envId, o) {
      envId = String(envId == null ? "" : envId);
      if (cfg) { if (envId !== cfg.env) warn("already loaded for " + cfg.env); return; }
      if (!/^[\w-]{1,64}$/.test(envId)) return warn("load() needs the environment id");
      o = o || {};
      var host = String(o.host || (script && script.src ? origin(script.src) : w.location.origin)).replace(/\/+$/, "");
      var ep = String(o.endpoint || "/api/collect");
      cfg = { env: envId, host: host, replay: o.replay, endpoint: /^https?:\/\//i.test(ep) ? ep : host + (ep.charAt(0) === "/" ? "" : "/") + ep,
        cookieDomain: o.cookieDomain ? String(o.cookieDomain).replace(/[^\w.-]/g, "") : "",
        interval: num(o.batchInterval, 100, 60000, 1000), maxBatch: num(o.maxBatch, 1, 500, 50) | 0,
        retryFor: num(o.retryFor, 1000, 864e5, RETRY_FOR_MS),
        capture: captureFlags(o.disableAutocapture) };
      key = "_loupe_" + envId;
      if ((o.respectDnt === true || o.respectDnt === "true") && dnt()) { off = true; return; }
      stopped = lsGet(key + "_off") === "1";
      state = readState() || { u: newId(), s: "", t: 0, i: null };
      try { eventProps = clean(JSON.parse(lsGet(key + "_p") || "{}")); } catch (e) { eventProps = {}; }
      referrer = d.referrer;
      install();
      if (!stopped) restoreQueue();
      var first = guard(function () { if (capturing("pageview")) pageview(); });
      if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", first, { once: true });
      else first();
    },
    identify: function (identity) {
      if (!ready()) return;
      if (typeof identity === "number" && isFinite(identity)) identity = String(identity);
      if (typeof identity !== "string" || JUNK.indexOf(identity.trim().toLowerCase()) >= 0) {
        return warn("identify() refused junk identity " + JSON.stringify(String(identity)));
      }
      if (identity.length > 255) return warn("identify() refused an identity over 255 characters");
      sync();
      if (state.i === identity) return;
      // A different person on an identified device is a new user, never a merge (SPEC §2).
      if (state.i != null) newUser(identity);
      else { state.i = identity; saveState(); }
      enqueue({ kind: "identify", id: uuid(), time: Date.now(), identity: identity });
    },
    // Even when stopped: logging out must forget who was on this device.
    resetIdentity: function () { if (cfg && !off) newUser(null); },
    addUserProperties: function (p) {
      if (ready()) enqueue({ kind: "user_properties", id: uuid(), time: Date.now(), properties: clean(p) });
    },
    addEventProperties: function (p) { if (cfg && !off) { assign(eventProps, clean(p)); saveEventProps(); } },
    removeEventProperty: function (k) { if (cfg && !off) { delete eventProps[k]; saveEventProps(); } },
    clearEventProperties: function () { if (cfg && !off) { eventProps = {}; saveEventProps(); } },
    track: function (name, p) {
      if (!ready()) return;
      if (typeof name !== "string" || !name.trim()) return warn("track() needs an event name");
      enqueue(event("custom", { name: cap(name, 1024), properties: clean(p) }));
    },
    getUserId: function () { return cfg && !off ? sync().u : null; },
    getSessionId: function () { return cfg && !off && sync() && sessionLive(Date.now()) ? state.s : null; },
    getIdentity: function () { return cfg && !off ? sync().i : null; },
    stopTracking: function () {
      if (!cfg) return;
      stopped = true;
      queue = [];
      clearTimeout(timer);
      timer = 0;
      lsSet(key + "_off", "1");
      lsSet(key + "_q", null);
    },
    startTracking: function () { if (cfg) { stopped = false; lsSet(key + "_off", null); } },
  };

  var loupe = { __loupe: true, version: VERSION };
  Object.keys(api).forEach(function (m) { loupe[m] = guard(api[m]); });
  /** `(window.loupe = window.loupe || []).push(["track", "X"])` works after load too. */
  loupe.push = guard(function (call) { if (call && hasOwn.call(api, call[0])) api[call[0]].apply(null, [].slice.call(call, 1)); });
  w.loupe = loupe;

  guard(function () {
    var calls = before && typeof before.length === "number" ? [].slice.call(before) : [];
    var loadCall = calls.filter(function (c) { return c && c[0] === "load"; })[0];
    if (loadCall) loupe.load(loadCall[1], loadCall[2]);
    else if (script && script.getAttribute("data-env")) {
      var a = function (n) { return script.getAttribute("data-" + n) || undefined; };
      loupe.load(a("env"), { host: a("host"), endpoint: a("endpoint"), cookieDomain: a("cookie-domain"), respectDnt: a("respect-dnt"),
        disableAutocapture: a("disable-autocapture"), batchInterval: a("batch-interval") });
    }
    calls.forEach(function (c) { if (c && c[0] !== "load") loupe.push(c); });
  })();
})(window, document);
