// The WebSocket hub: sockets subscribe to views; committed batches are coalesced per environment;
// each affected view is rendered once and the same frame goes to every page showing it.
import type { Db } from "../db/client";
import { invalid, LoupeError } from "../errors";
import { log } from "../log";
import type { Metrics } from "../ops/metrics";
import { countedStats, type HubStats } from "./hub-stats";
import type { LiveBatch, LiveBus } from "./bus";
import { CATCH_UP, changesSince } from "./catch-up";
import { principalAlive, principalMaySee, type Principal } from "./principal";
import { clientMessageSchema } from "./protocol";
import { emptyChanges, mergeChanges, renderPush, type AnyLiveKind, type Changes, type Push } from "./views";

export const HUB = {
  /** A burst of batches for one environment is coalesced into one push per window. */
  coalesceMs: 50,
  /** A socket whose unsent bytes exceed this is dropped rather than allowed to grow memory. */
  maxBufferedBytes: 1_000_000,
  /** Largest client → server message (subscriptions are small JSON). */
  maxInboundBytes: 16 * 1024,
  /** Subscriptions one socket may hold (a page subscribes once; a few tabs share nothing). */
  maxSubscriptionsPerSocket: 8,
  /** Messages one socket may send per minute (subscriptions and pings). */
  maxMessagesPerMinute: 120,
  /** Open kiosk sockets re-check their token this often (revocation from another process). */
  kioskRecheckMs: 10_000,
} as const;

/** The transport as the hub sees it (a Bun ServerWebSocket behind Hono, or a test double). */
export interface LiveSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
  bufferedAmount(): number;
}

export const CLOSE = { slow: 1013, unauthorized: 4401, revoked: 4403, protocol: 4400 } as const;

export class Connection {
  readonly subs = new Map<string, Group>();
  closed = false;
  minute = 0;
  messages = 0;
  constructor(readonly socket: LiveSocket, readonly principal: Principal) {}
}

class Group {
  readonly members = new Map<Connection, string>();
  /** Cursor of the last push this group sent (its members all hold it). */
  at = Date.now();
  lastRender = 0;
  pending: Changes | null = null;
  chain: Promise<void> = Promise.resolve();
  laterTimer: ReturnType<typeof setTimeout> | undefined;
  constructor(readonly key: string, readonly kind: AnyLiveKind, readonly view: { envId: string }) {}
}


export class LiveHub {
  readonly connections = new Set<Connection>();
  readonly stats: HubStats = { batches: 0, windows: 0, renders: 0, queries: 0, framesSent: 0, dropped: 0 };
  private groups = new Map<string, Group>();
  private pending = new Map<string, Changes>();
  private flushTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private lastFlush = new Map<string, number>();
  private timers: ReturnType<typeof setInterval>[] = [];
  private unsubscribe: () => void;
  private kinds: Map<string, AnyLiveKind>;

  constructor(private db: Db, bus: LiveBus, private version: string, kinds: AnyLiveKind[], metrics?: Metrics) {
    this.kinds = new Map(kinds.map((k) => [k.kind, k]));
    if (metrics) this.stats = countedStats(metrics);
    this.unsubscribe = bus.subscribe((b) => this.onBatch(b));
    this.timers.push(setInterval(() => void this.recheck(), HUB.kioskRecheckMs));
    for (const k of kinds) if (k.tickMs) this.timers.push(setInterval(() => this.tick(k), k.tickMs));
    // The hub's timers never keep a process alive on their own (the server does).
    for (const t of this.timers) t.unref?.();
  }

  open(socket: LiveSocket, principal: Principal): Connection {
    const conn = new Connection(socket, principal);
    this.connections.add(conn);
    this.sendTo(conn, JSON.stringify({ type: "hello", version: this.version, at: Date.now() }));
    return conn;
  }

  closed(conn: Connection) {
    conn.closed = true;
    this.connections.delete(conn);
    for (const group of conn.subs.values()) this.leave(group, conn);
    conn.subs.clear();
  }

  async message(conn: Connection, text: string): Promise<void> {
    if (text.length > HUB.maxInboundBytes) return this.drop(conn, CLOSE.protocol, "message too large");
    // Each subscription costs database reads: a page needs a handful per minute, a flood gets closed.
    const minute = Math.floor(Date.now() / 60_000);
    if (conn.minute !== minute) (conn.minute = minute), (conn.messages = 0);
    if (++conn.messages > HUB.maxMessagesPerMinute) return this.drop(conn, CLOSE.protocol, "too many messages");
    let parsed;
    try {
      parsed = clientMessageSchema.parse(JSON.parse(text));
    } catch {
      return this.sendTo(conn, JSON.stringify({ type: "error", code: "invalid_message", message: "expected {type: subscribe|unsubscribe|ping}" }));
    }
    if (parsed.type === "ping") return this.sendTo(conn, JSON.stringify({ type: "pong", at: Date.now() }));
    const existing = conn.subs.get(parsed.id);
    if (existing) this.leave(existing, conn), conn.subs.delete(parsed.id);
    if (parsed.type === "unsubscribe") return;
    try {
      await this.subscribe(conn, parsed.id, parsed.view, parsed.cursor);
    } catch (err) {
      const e = err instanceof LoupeError ? err : undefined;
      if (!e) log.error("live: subscribe failed", { error: String((err as Error)?.stack ?? err) });
      this.sendTo(conn, JSON.stringify({ type: "error", sub: parsed.id, code: e?.code ?? "internal_error", message: e?.message ?? "Internal error" }));
    }
  }

  private async subscribe(conn: Connection, id: string, raw: { kind: string }, cursor: number | undefined) {
    const kind = this.kinds.get(raw.kind);
    if (!kind) throw invalid("view.kind", `unknown view "${raw.kind}"`);
    if (conn.subs.size >= HUB.maxSubscriptionsPerSocket) throw invalid("id", "too many subscriptions on one socket");
    const view = kind.parse(conn.principal.kind === "kiosk" ? { ...raw, ...kioskFixed(conn.principal) } : raw);
    this.stats.queries += 2;
    if (!kind.allows(conn.principal, view) || !(await principalMaySee(this.db, conn.principal, view.envId))) {
      return this.drop(conn, CLOSE.revoked, "not allowed");
    }
    if (conn.closed) return;
    const key = `${kind.kind}\u0000${kind.key(view)}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new Group(key, kind, view)));
    group.members.set(conn, id);
    conn.subs.set(id, group);
    // Catch-up for this page alone: what changed since its cursor, from the database. Rows are keyed by
    // id on the page, so overlap with a live push that lands meanwhile cannot duplicate anything.
    const now = Date.now();
    const since = kind.catchUp === false ? undefined : cursor;
    if (since !== undefined && now - since > CATCH_UP.maxMs) return this.sendTo(conn, JSON.stringify({ type: "reload", sub: id }));
    const changes = since === undefined ? emptyChanges(view.envId, now) : await changesSince(this.ctx(), view.envId, since, now);
    const push = await this.render(group, changes);
    this.sendPush(conn, id, push, changes.at);
    this.sendFollowUp(push, () => [[conn, id]], changes.at);
  }

  private leave(group: Group, conn: Connection) {
    group.members.delete(conn);
    if (group.members.size === 0) {
      clearTimeout(group.laterTimer);
      this.groups.delete(group.key);
    }
  }

  private onBatch(b: LiveBatch) {
    for (const id of b.revokedKioskIds ?? []) this.closeKiosk(b.envId, id);
    if (b.revokedKioskIds && b.userIds.length === 0 && b.eventIds.length === 0 && !b.overflow) return;
    this.stats.batches++;
    const envs = b.envId === "*" ? new Set([...this.groups.values()].map((g) => g.view.envId)) : [b.envId];
    for (const envId of envs) {
      const ch = this.pending.get(envId) ?? emptyChanges(envId, b.at);
      for (const id of b.userIds) ch.userIds.add(id);
      for (const id of b.newUserIds) ch.newUserIds.add(id);
      for (const id of b.sessionIds) ch.sessionIds.add(id);
      for (const id of b.newSessionIds) ch.newSessionIds.add(id);
      for (const id of b.eventIds) ch.eventIds.add(id);
      for (const id of b.rageEventIds) ch.rageEventIds.add(id);
      for (const id of b.replaySessionIds ?? []) ch.replaySessionIds.add(id);
      ch.at = Math.max(ch.at, b.at);
      ch.overflow ||= Boolean(b.overflow);
      this.pending.set(envId, ch);
      // Leading edge: a batch after a quiet spell goes out at once; a burst waits for the window to close.
      if (!this.flushTimers.has(envId)) {
        const wait = Math.max(0, (this.lastFlush.get(envId) ?? 0) + HUB.coalesceMs - Date.now());
        this.flushTimers.set(envId, setTimeout(() => this.flush(envId), wait));
      }
    }
  }

  private flush(envId: string) {
    this.flushTimers.delete(envId);
    this.lastFlush.set(envId, Date.now());
    const changes = this.pending.get(envId);
    this.pending.delete(envId);
    if (!changes) return;
    this.stats.windows++;
    for (const group of this.groups.values()) {
      if (group.view.envId !== envId || !(changes.overflow || group.kind.affected(group.view, changes))) continue;
      this.schedule(group, changes);
    }
  }

  /** Renders a group (serialised per group, so pushes arrive in order), respecting its minimum interval. */
  private schedule(group: Group, changes: Changes) {
    group.pending = group.pending ? mergeChanges(group.pending, changes) : changes;
    const wait = (group.kind.minIntervalMs ?? 0) - (Date.now() - group.lastRender);
    if (wait > 0) {
      group.laterTimer ??= setTimeout(() => { group.laterTimer = undefined; this.schedule(group, emptyChanges(group.view.envId, Date.now())); }, wait);
      return;
    }
    group.chain = group.chain.then(async () => {
      let ch = group.pending;
      group.pending = null;
      if (!ch || group.members.size === 0) return;
      group.lastRender = Date.now();
      if (ch.overflow && group.kind.catchUp !== false) ch = await changesSince(this.ctx(), group.view.envId, group.at, ch.at);
      const started = performance.now();
      const push = await this.render(group, ch);
      log.debug("live: rendered", { view: group.kind.kind, users: ch.userIds.size, ms: Math.round(performance.now() - started), bytes: push?.html.length ?? 0, pages: group.members.size });
      group.at = Math.max(group.at, ch.at);
      if (!push) return;
      for (const [conn, id] of group.members) this.sendPush(conn, id, push, group.at);
      this.sendFollowUp(push, () => [...group.members], group.at);
    }).catch((err) => log.error("live: render failed", { view: group.kind.kind, error: String((err as Error)?.stack ?? err) }));
  }

  private tick(kind: AnyLiveKind) {
    for (const group of this.groups.values()) {
      if (group.kind === kind && (kind.wantsTick?.(group.view) ?? true)) this.schedule(group, emptyChanges(group.view.envId, Date.now()));
    }
  }

  private render(group: Group, changes: Changes): Promise<Push | null> {
    this.stats.renders++;
    return renderPush(group.kind, this.ctx(), group.view, changes);
  }

  private ctx() {
    return { db: this.db, countQuery: (n = 1) => void (this.stats.queries += n) };
  }

  private sendPush(conn: Connection, sub: string, push: Push | null, cursor: number) {
    // The frame text is built per member only for the sub id; the rendered html is shared.
    this.sendTo(conn, JSON.stringify({ type: "push", sub, cursor, ...(push?.html ? { content: push.html } : {}) }));
  }

  private sendFollowUp(push: Push | null, to: () => Iterable<[Connection, string]>, cursor: number) {
    push?.followUp
      ?.then((more) => {
        if (more) for (const [conn, id] of to()) this.sendPush(conn, id, more, cursor);
      })
      .catch((err) => log.error("live: follow-up failed", { error: String((err as Error)?.stack ?? err) }));
  }

  private sendTo(conn: Connection, text: string) {
    if (conn.closed) return;
    conn.socket.send(text);
    this.stats.framesSent++;
    // A client that cannot keep up is dropped (it reconnects and catches up from its cursor).
    if (conn.socket.bufferedAmount() > HUB.maxBufferedBytes) this.drop(conn, CLOSE.slow, "too slow; reconnect to catch up");
  }

  private drop(conn: Connection, code: number, reason: string) {
    if (conn.closed) return;
    if (code === CLOSE.slow) this.stats.dropped++;
    this.closed(conn);
    conn.socket.close(code, reason);
  }

  /** Closes every socket opened with this kiosk token (called when it is revoked). */
  closeKiosk(envId: string, kioskId: number) {
    for (const c of this.connections) {
      if (c.principal.kind === "kiosk" && c.principal.envId === envId && c.principal.kioskId === kioskId) this.drop(c, CLOSE.revoked, "kiosk link revoked");
    }
  }

  private async recheck() {
    for (const conn of [...this.connections]) {
      if (!(await principalAlive(this.db, conn.principal).catch(() => true))) {
        this.drop(conn, conn.principal.kind === "kiosk" ? CLOSE.revoked : CLOSE.unauthorized, "access ended");
      }
    }
  }

  close() {
    this.unsubscribe();
    for (const t of this.timers) clearInterval(t);
    for (const t of this.flushTimers.values()) clearTimeout(t);
    for (const g of this.groups.values()) clearTimeout(g.laterTimer);
    for (const c of [...this.connections]) this.drop(c, 1001, "server shutting down");
  }
}

function kioskFixed(p: Extract<Principal, { kind: "kiosk" }>) {
  return { envId: p.envId, segmentId: p.options.segmentId, event: p.options.event, mask: p.options.maskIdentities };
}
