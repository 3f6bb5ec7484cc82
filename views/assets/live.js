// Live pages (and the wall screen): subscribes what the page shows over htmx's hx-ws socket, keeps the
// page's cursor for catch-up after a reconnect, shows the connection state, closes a socket that went
// silent (hx-ws then reconnects), and adds swap styles that touch only rows — never containers — so
// loaded rows, scroll position, focus and expanded rows survive pushes.
(function () {
  "use strict";
  if (!window.htmx) return;
  var STALE_AFTER_MS = 10000;
  // A ping goes out this often; a socket with no frame for SILENT_MS is dead even if it looks open.
  var PING_MS = 20000, SILENT_MS = 45000;

  function stateEl(region) { return region.querySelector("[data-live-state]"); }
  function setState(region, state, text) {
    var el = stateEl(region);
    if (!el) return;
    el.setAttribute("data-state", state);
    el.textContent = text;
  }
  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function subscribe(region, socket) {
    var view;
    try { view = JSON.parse(region.getAttribute("data-live-view") || "null"); } catch (e) { view = null; }
    if (!view) return;
    var cursor = Number(region.getAttribute("data-live-cursor"));
    var msg = { type: "subscribe", id: "page", view: view };
    if (cursor > 0) msg.cursor = cursor;
    socket.send(JSON.stringify(msg));
  }

  /** Puts `node` first among `container`'s rows (for a table: before its first <tbody>). */
  function moveToTop(container, node) {
    var first = container.firstElementChild;
    if (container.tagName === "TABLE") first = container.querySelector(":scope > tbody");
    if (first === node) return;
    // moveBefore keeps focus, selection and running state of the moved subtree where supported.
    if (container.moveBefore && node.isConnected) container.moveBefore(node, first);
    else container.insertBefore(node, first);
  }

  /**
   * Updates a row already on the page in place. A row group (<tbody>) refreshes only its first row and
   * keeps the others (an expanded row's details); cells marked data-live-keep or holding focus are kept.
   */
  function refresh(oldNode, newNode) {
    newNode.classList.forEach(function (c) { oldNode.classList.add(c); });
    if (oldNode.tagName === "TBODY") {
      var oldMain = oldNode.querySelector(":scope > tr"), newMain = newNode.querySelector(":scope > tr");
      if (oldMain && newMain) refreshCells(oldMain, newMain);
    } else refreshCells(oldNode, newNode);
  }
  function refreshCells(oldRow, newRow) {
    var oldCells = oldRow.children, newCells = newRow.children;
    if (oldCells.length !== newCells.length) return;
    for (var i = 0; i < newCells.length; i++) {
      var o = oldCells[i], n = newCells[i];
      if (o.hasAttribute("data-live-keep") || o.contains(document.activeElement) || o.innerHTML === n.innerHTML) continue;
      o.replaceChildren.apply(o, Array.prototype.slice.call(n.childNodes));
      o.className = n.className;
      htmx.process(o);
    }
  }

  function rows(fragment) {
    return Array.prototype.filter.call(fragment.children, function (n) { return n.id; });
  }

  htmx.registerExtension("loupe-live", {
    // liveTop: rows go to the top of the target (moved if already shown, then refreshed in place).
    // liveRefresh: rows already shown are refreshed where they are; others are ignored.
    // liveAppend: refreshed if shown, else appended — unless older rows are still to load ("load more").
    handle_swap: function (style, target, fragment) {
      if (style !== "liveTop" && style !== "liveRefresh" && style !== "liveAppend") return false;
      var list = rows(fragment);
      var touched = [];
      // The target is the list itself, or a section holding it (the Users table inside its results).
      if (!target.matches("table, tbody, ol, ul")) {
        var inner = target.querySelector("table");
        if (!inner) {
          // An empty state ("no users yet") has nothing to keep: fetch the section as it is now.
          if (style === "liveTop" && target.id) htmx.ajax("GET", location.href, { target: "#" + target.id, select: "#" + target.id, swap: "outerHTML" });
          return true;
        }
        target = inner;
      }
      var morePending = target.querySelector(":scope > .load-more");
      (style === "liveTop" ? list.slice().reverse() : list).forEach(function (node) {
        var existing = document.getElementById(node.id);
        if (existing) {
          refresh(existing, node);
          if (style === "liveTop") moveToTop(target, existing);
          touched.push(existing);
        } else if (style === "liveTop" || (style === "liveAppend" && !morePending)) {
          if (style === "liveTop") moveToTop(target, node);
          else target.appendChild(node);
          htmx.process(node);
          touched.push(node);
        }
      });
      return touched.length ? touched : true;
    },

    htmx_ws_after_connection: function (elt, detail) {
      if (!elt.hasAttribute("data-live-view")) return;
      elt._loupeSocket = detail.connection.socket;
      elt._loupeHeard = Date.now();
      elt.removeAttribute("data-live-down-since");
      setState(elt, "live", "Live");
      subscribe(elt, detail.connection.socket);
    },

    htmx_ws_before_message_incoming: function (elt, detail) {
      if (!elt.hasAttribute("data-live-view") || typeof detail.message.data !== "string") return;
      elt._loupeHeard = Date.now();
      var msg;
      try { msg = JSON.parse(detail.message.data); } catch (e) { return; }
      if (msg.type === "push" && msg.cursor > Number(elt.getAttribute("data-live-cursor") || 0)) {
        elt.setAttribute("data-live-cursor", String(msg.cursor));
      } else if (msg.type === "hello") {
        var version = elt.getAttribute("data-live-version");
        if (version && msg.version !== version) {
          if (elt.hasAttribute("data-live-reload-on-upgrade")) return location.reload();
          setState(elt, "stale", "Loupe was updated — reload the page");
        }
      } else if (msg.type === "reload") {
        location.reload();
      } else if (msg.type === "error") {
        setState(elt, "stale", "Live updates unavailable: " + msg.message);
      }
    },

    htmx_ws_close: function (elt, detail) {
      if (!elt.hasAttribute("data-live-view") || detail.reason === "removed") return;
      var revoked = elt.getAttribute("data-live-revoked-text");
      if (detail.code === 4403 && revoked) return setState(elt, "revoked", revoked);
      if (detail.code === 4401 || detail.code === 4403) return setState(elt, "stale", "Signed out — reload to continue");
      if (!elt.getAttribute("data-live-down-since")) elt.setAttribute("data-live-down-since", String(Date.now()));
      setState(elt, "reconnecting", "Reconnecting…");
    },
  });

  // "Stale since …" once a reconnect has taken a while: what is shown may be behind.
  setInterval(function () {
    document.querySelectorAll("[data-live-down-since]").forEach(function (elt) {
      var since = Number(elt.getAttribute("data-live-down-since"));
      if (Date.now() - since > STALE_AFTER_MS) setState(elt, "stale", "Stale since " + clock(since));
    });
  }, 1000);

  // Keep-alive: ping open sockets; one silent too long is closed, and hx-ws reconnects it (code 1005).
  setInterval(function () {
    document.querySelectorAll("[data-live-view]").forEach(function (elt) {
      var socket = elt._loupeSocket;
      if (!socket || socket.readyState !== 1) return;
      if (Date.now() - elt._loupeHeard > SILENT_MS) return socket.close();
      socket.send(JSON.stringify({ type: "ping" }));
    });
  }, PING_MS);
})();
