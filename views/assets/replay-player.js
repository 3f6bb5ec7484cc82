// The replay player (the frame at /e/:env/sessions/:id/replay): reads the recording's chunk stream
// (src/replay/stream.ts) and inflates each chunk as it arrives, so playback starts with the first one;
// rrweb's Replayer (@rrweb/replay, MIT) rebuilds the page in its sandboxed iframe; Loupe's controls:
// play/pause, 1×/2×/4×, skip inactivity, a timeline with the session's events as marks (rage clicks
// red), one tab at a time, and live following. The session page (session-replay.js) talks to it with
// postMessage (same origin only): it asks to seek, hands over live chunks, and hears the current time.
(function () {
  "use strict";
  var body = document.body;
  var Replayer = window.rrwebReplay && window.rrwebReplay.Replayer;
  var cfg = { chunks: body.dataset.chunks, marks: body.dataset.marks, start: Number(body.dataset.start), end: Number(body.dataset.end) };
  var LIVE_DELAY_MS = 3000, TIME_EVERY_MS = 250, META = 4, FULL = 2;
  var $ = function (id) { return document.getElementById(id); };
  var stage = $("stage"), note = $("stage-note"), playBtn = $("play"), clock = $("clock"), timeline = $("timeline");
  var progress = $("progress"), loaded = $("loaded"), marksEl = $("marks"), speedSel = $("speed"), skipBox = $("skip");
  var windowPick = $("window-pick"), windowSel = $("window"), liveBtn = $("live");

  /** Tabs of the session, in order of their first chunk: each is its own recording. */
  var windows = [], byId = {};
  var current = null, replayer = null, playing = false, following = body.dataset.live === "true";
  var lastSeq = -1, fetching = null, refetch = false, pendingSeek = null, lastPosted = 0;

  function post(msg) { if (window.parent !== window) window.parent.postMessage(msg, location.origin); }
  function fmt(ms) {
    var s = Math.max(0, Math.floor(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(s % 60).padStart(2, "0");
  }
  function say(text) { note.textContent = text; note.hidden = !text; }
  function end() { return Math.max(cfg.end, current ? current.end : 0); }
  function span() { return Math.max(1, end() - cfg.start); }
  function pct(at) { return Math.min(100, Math.max(0, ((at - cfg.start) / span()) * 100)); }

  // ---- chunks: the stream, live pushes, and tabs -----------------------------------------------
  function inflate(bytes) {
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }
  function addChunk(head, events) {
    if (head.seq <= lastSeq) return;
    lastSeq = head.seq;
    var w = byId[head.windowId];
    if (!w) {
      w = byId[head.windowId] = { id: head.windowId, events: [], start: head.startedAt, end: head.endedAt };
      windows.push(w);
      renderWindows();
    }
    var before = w.end;
    w.end = Math.max(w.end, head.endedAt);
    // A tab's recording plays from its first page snapshot (Meta, then FullSnapshot).
    if (!w.events.length) {
      var i = events.findIndex(function (e) { return e.type === META || e.type === FULL; });
      events = i < 0 ? [] : events.slice(i);
    }
    if (!events.length) return;
    if (!w.events.length) w.start = events[0].timestamp;
    w.events.push.apply(w.events, events);
    if (!current) current = w;
    if (w !== current) return;
    if (replayer) events.forEach(function (e) { replayer.addEvent(e); });
    else start();
    updateTimeline();
    // Following live: a finished playback goes on with the new events (rrweb adds them a task later),
    // from a few seconds before the live edge; what it skips is applied at once, not lost.
    if (following && replayer && !playing) {
      setTimeout(function () { if (following && !playing) play(offsetOf(Math.max(before, current.end - LIVE_DELAY_MS))); }, 0);
    }
    if (pendingSeek !== null && pendingSeek <= current.end) seek(pendingSeek);
  }

  /** Reads every chunk after the last one held; frames are handled one by one, in order. */
  function fetchChunks() {
    if (fetching) { refetch = true; return fetching; }
    var buf = new Uint8Array(0), chain = Promise.resolve();
    function take(bytes) {
      var joined = new Uint8Array(buf.length + bytes.length);
      joined.set(buf);
      joined.set(bytes, buf.length);
      buf = joined;
      for (;;) {
        if (buf.length < 4) return;
        var headLen = new DataView(buf.buffer, buf.byteOffset, 4).getUint32(0);
        if (buf.length < 4 + headLen) return;
        var head = JSON.parse(new TextDecoder().decode(buf.subarray(4, 4 + headLen)));
        if (buf.length < 4 + headLen + head.bytes) return;
        var data = buf.slice(4 + headLen, 4 + headLen + head.bytes);
        buf = buf.slice(4 + headLen + head.bytes);
        chain = chain.then(function (h, d) {
          return inflate(d).then(function (text) { addChunk(h, JSON.parse(text)); });
        }.bind(null, head, data));
      }
    }
    fetching = fetch(cfg.chunks + "?after=" + lastSeq, { credentials: "same-origin" }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      var reader = res.body.getReader();
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return chain;
          take(r.value);
          return pump();
        });
      }
      return pump();
    }).catch(function (err) {
      if (!replayer) say("The recording could not be loaded (" + err.message + "). Reload to try again.");
    }).then(function () {
      fetching = null;
      if (!window.__loupeLoadedMs) window.__loupeLoadedMs = performance.now();
      if (!replayer && !windows.some(function (w) { return w.events.length; })) say("Nothing of this recording can be played yet.");
      if (refetch) { refetch = false; fetchChunks(); }
    });
    return fetching;
  }

  function renderWindows() {
    windowPick.hidden = windows.length < 2;
    windowSel.replaceChildren.apply(windowSel, windows.map(function (w, i) {
      var o = document.createElement("option");
      o.value = w.id;
      o.textContent = "Tab " + (i + 1) + " (from " + fmt(w.start - cfg.start) + ")";
      o.selected = w === current;
      return o;
    }));
  }

  // ---- the player ---------------------------------------------------------------------------------
  function start() {
    if (current.events.length < 2 || !current.events.some(function (e) { return e.type === FULL; })) return;
    replayer = new Replayer(current.events.slice(), {
      root: stage, speed: Number(speedSel.value), skipInactive: skipBox.checked, mouseTail: false,
      showWarning: false, triggerFocus: false, UNSAFE_replayCanvas: false,
    });
    current.start = replayer.getMetaData().startTime;
    replayer.on("fullsnapshot-rebuilded", function () {
      if (body.dataset.state !== "ready") {
        body.dataset.state = "ready";
        window.__loupeFirstFrameMs = performance.now();
      }
    });
    replayer.on("resize", fit);
    replayer.on("finish", function () { setPlaying(false); if (following) tick(true); });
    say("");
    playBtn.disabled = false;
    if (following) play(Math.max(0, current.end - LIVE_DELAY_MS - current.start));
    else replayer.pause(0);
    fit();
    tick(true);
  }
  function offsetOf(at) { return Math.max(0, at - current.start); }
  function now() { return replayer ? current.start + replayer.getCurrentTime() : cfg.start; }
  function setPlaying(on) {
    playing = on;
    playBtn.setAttribute("aria-label", on ? "Pause" : "Play");
    playBtn.firstElementChild.textContent = on ? "❚❚" : "▶";
    if (on) requestAnimationFrame(loop);
  }
  function play(offset) { replayer.play(offset); setPlaying(true); }
  function seek(at) {
    if (!replayer) { pendingSeek = at; return; }
    if (at > current.end) { pendingSeek = at; at = current.end; } else pendingSeek = null;
    var offset = offsetOf(at);
    if (playing) play(offset); else replayer.pause(offset);
    tick(true);
  }
  /** Fits the recorded viewport into the stage (the replayer draws it at its recorded size). */
  function fit() {
    if (!replayer || !replayer.iframe) return;
    var w = Number(replayer.iframe.width) || 1, h = Number(replayer.iframe.height) || 1;
    var k = Math.min(stage.clientWidth / w, stage.clientHeight / h, 1);
    replayer.wrapper.style.transform = "scale(" + k + ")";
    replayer.wrapper.style.left = Math.max(0, (stage.clientWidth - w * k) / 2) + "px";
    replayer.wrapper.style.top = Math.max(0, (stage.clientHeight - h * k) / 2) + "px";
  }
  function updateTimeline() {
    loaded.style.width = (current ? pct(current.end) : 0) + "%";
    marksEl.querySelectorAll(".mark").forEach(function (b) { b.style.left = pct(Number(b.dataset.at)) + "%"; });
    timeline.setAttribute("aria-valuemax", String(Math.round(span() / 1000)));
  }
  function tick(force) {
    var at = now();
    progress.style.width = pct(at) + "%";
    clock.textContent = fmt(at - cfg.start) + " / " + fmt(span());
    timeline.setAttribute("aria-valuenow", String(Math.round((at - cfg.start) / 1000)));
    timeline.setAttribute("aria-valuetext", fmt(at - cfg.start));
    // The exact position, for the page's tests and whoever inspects it.
    body.dataset.at = String(Math.round(at));
    if (force || performance.now() - lastPosted > TIME_EVERY_MS) {
      lastPosted = performance.now();
      post({ type: "loupe:replay-time", at: at });
    }
  }
  function loop() { if (!playing) return; tick(false); requestAnimationFrame(loop); }

  function renderMarks(list) {
    marksEl.replaceChildren.apply(marksEl, list.map(function (m) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "mark" + (m.rage ? " rage" : "");
      b.style.left = pct(m.at) + "%";
      b.title = fmt(m.at - cfg.start) + " " + m.text;
      b.setAttribute("aria-label", (m.rage ? "Rage click: " : "") + m.text + " at " + fmt(m.at - cfg.start));
      b.dataset.at = String(m.at);
      return b;
    }));
  }

  // ---- controls -----------------------------------------------------------------------------------
  playBtn.addEventListener("click", function () {
    if (!replayer) return;
    if (playing) { replayer.pause(); setPlaying(false); setFollowing(false); tick(true); return; }
    var off = replayer.getCurrentTime();
    play(off >= current.end - current.start ? 0 : off);
  });
  speedSel.addEventListener("change", function () { if (replayer) replayer.setConfig({ speed: Number(speedSel.value) }); });
  skipBox.addEventListener("change", function () { if (replayer) replayer.setConfig({ skipInactive: skipBox.checked }); });
  function setFollowing(on) { following = on; liveBtn.setAttribute("aria-pressed", String(on)); }
  liveBtn.hidden = !following;
  setFollowing(following);
  liveBtn.addEventListener("click", function () {
    setFollowing(!following);
    if (following && replayer) play(offsetOf(current.end - LIVE_DELAY_MS));
  });
  windowSel.addEventListener("change", function () {
    var w = byId[windowSel.value];
    if (!w || w === current) return;
    var at = now();
    if (replayer) replayer.destroy();
    replayer = null;
    current = w;
    setPlaying(false);
    start();
    if (replayer) seek(Math.min(Math.max(at, w.start), w.end));
  });
  function atPointer(ev) {
    var r = timeline.getBoundingClientRect();
    return cfg.start + Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width)) * span();
  }
  timeline.addEventListener("click", function (ev) {
    var mark = ev.target.closest && ev.target.closest(".mark");
    setFollowing(false);
    seek(mark ? Number(mark.dataset.at) : atPointer(ev));
  });
  timeline.addEventListener("keydown", function (ev) {
    var step = ev.key === "ArrowRight" ? 5000 : ev.key === "ArrowLeft" ? -5000 : 0;
    if (step) { ev.preventDefault(); setFollowing(false); seek(now() + step); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === " " && ev.target === document.body) { ev.preventDefault(); playBtn.click(); }
  });
  window.addEventListener("resize", fit);

  // ---- the session page ---------------------------------------------------------------------------
  window.addEventListener("message", function (ev) {
    if (ev.origin !== location.origin || ev.source !== window.parent || !ev.data) return;
    var m = ev.data;
    if (m.type === "loupe:replay-seek" && typeof m.at === "number") { setFollowing(false); seek(m.at); }
    else if (m.type === "loupe:replay-live" && Array.isArray(m.chunks)) {
      // Pushed in order; a gap (a push missed) is filled from the stream.
      if (m.chunks.length && m.chunks[0].seq > lastSeq + 1) return fetchChunks();
      m.chunks.forEach(function (c) { addChunk(c, c.events); });
      body.dataset.liveChunks = String(Number(body.dataset.liveChunks || 0) + m.chunks.length);
      if (typeof m.upTo === "number" && m.upTo > lastSeq) fetchChunks();
    } else if (m.type === "loupe:replay-resync") fetchChunks();
  });

  if (!Replayer || !window.DecompressionStream) { say("This browser cannot play recordings."); return; }
  fetch(cfg.marks, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : { marks: [] }; })
    .then(function (r) { renderMarks(r.marks || []); }, function () {});
  fetchChunks();
  tick(true);
  post({ type: "loupe:replay-ready" });
})();
