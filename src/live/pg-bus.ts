// The live bus across processes: every Loupe on one PostgreSQL database shares committed batches
// through LISTEN/NOTIFY. One NOTIFY per batch carries keys only; this process's own batches are
// delivered locally (at once) and skipped when their notification comes back, so each is seen once.
import postgres from "postgres";
import { BOUNDED_WAITS } from "../db/client";
import { log } from "../log";
import type { LiveBatch, LiveBus, LiveListener } from "./bus";

export const PG_BUS = {
  /** PostgreSQL NOTIFY channel shared by every Loupe process on one database. */
  notifyChannel: "loupe_live",
  /** NOTIFY payloads must stay under PostgreSQL's 8000-byte limit; leave room for the envelope. */
  notifyMaxBytes: 7500,
  /** LISTEN connection: reconnect backoff (capped low: live pages catch up within seconds of the database's return). */
  listenRetryMinMs: 250,
  listenRetryMaxMs: 2000,
} as const;

/** Wire form of a batch: short keys, the origin process, and `x` when ids were left out. */
interface WireBatch {
  o: string;
  e: string;
  u?: number[];
  nu?: number[];
  s?: number[];
  ns?: number[];
  ev?: string[];
  r?: string[];
  at: number;
  x?: 1;
  k?: number[];
  m?: number[];
  rp?: number[];
}

/** The smallest honest payload under the limit: full ids, then without event ids, then "re-read". */
export function encodeBatch(origin: string, b: LiveBatch, maxBytes: number = PG_BUS.notifyMaxBytes): string {
  const full: WireBatch = { o: origin, e: b.envId, u: b.userIds, nu: b.newUserIds, s: b.sessionIds, ns: b.newSessionIds, ev: b.eventIds, r: b.rageEventIds, at: b.at, ...(b.overflow ? { x: 1 as const } : {}), ...(b.revokedKioskIds?.length ? { k: b.revokedKioskIds } : {}), ...(b.mergedUserIds?.length ? { m: b.mergedUserIds } : {}), ...(b.replaySessionIds?.length ? { rp: b.replaySessionIds } : {}) };
  const fits = (w: WireBatch) => {
    const text = JSON.stringify(w);
    return Buffer.byteLength(text) <= maxBytes ? text : undefined;
  };
  // Subscribers re-read rows by user/session id and events since their cursor, so event ids are the first to go.
  return fits(full) ?? fits({ ...full, ev: [], r: [] }) ?? JSON.stringify({ o: origin, e: b.envId, at: b.at, x: 1, ...(full.k ? { k: full.k.slice(0, 100) } : {}) });
}

export function decodeBatch(payload: string): { origin: string; batch: LiveBatch } | undefined {
  try {
    const w = JSON.parse(payload) as WireBatch;
    if (typeof w.o !== "string" || typeof w.e !== "string" || typeof w.at !== "number") return undefined;
    const nums = (v: unknown) => (Array.isArray(v) ? v.filter((n): n is number => typeof n === "number") : []);
    const strs = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);
    return {
      origin: w.o,
      batch: {
        envId: w.e, userIds: nums(w.u), newUserIds: nums(w.nu), sessionIds: nums(w.s), newSessionIds: nums(w.ns),
        eventIds: strs(w.ev), rageEventIds: strs(w.r), at: w.at, ...(w.x ? { overflow: true } : {}), ...(nums(w.k).length ? { revokedKioskIds: nums(w.k) } : {}),
        ...(nums(w.m).length ? { mergedUserIds: nums(w.m) } : {}), ...(nums(w.rp).length ? { replaySessionIds: nums(w.rp) } : {}),
      },
    };
  } catch {
    return undefined;
  }
}

export class PgBus implements LiveBus {
  readonly origin = crypto.randomUUID();
  private listeners = new Set<LiveListener>();
  private listenSql: postgres.Sql;
  private sending: Promise<unknown> = Promise.resolve();
  private retryMs: number = PG_BUS.listenRetryMinMs;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private everListened = false;
  /** True while the LISTEN connection is up. */
  listening = false;

  /** `publisher` is the app's pool; LISTEN gets a dedicated connection of its own to `url`. */
  constructor(url: string, private publisher: postgres.Sql) {
    // `onnotify` is a real postgres.js option (its LISTEN helper is built on it) missing from the typings.
    const options = {
      max: 1,
      max_lifetime: null,
      fetch_types: false,
      onnotice: () => {},
      connection: { application_name: "loupe-live" },
      ...BOUNDED_WAITS,
      onnotify: (channel: string, payload: string) => {
        if (channel === PG_BUS.notifyChannel) this.receive(payload);
      },
      onclose: () => {
        if (this.closed || !this.listening) return;
        this.listening = false;
        log.warn("live: LISTEN connection lost; reconnecting");
        this.scheduleListen();
      },
    };
    this.listenSql = postgres(url, options as postgres.Options<{}>);
  }

  /** Resolves once LISTEN is active (or keeps retrying in the background if the database is down). */
  async start(): Promise<void> {
    await this.listen();
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    try {
      await this.listenSql.unsafe(`LISTEN ${PG_BUS.notifyChannel}`);
      this.listening = true;
      this.retryMs = PG_BUS.listenRetryMinMs;
      // Whatever was notified while we were away is gone: tell subscribers to re-read from their cursors.
      if (this.everListened) this.deliver({ envId: "*", userIds: [], newUserIds: [], sessionIds: [], newSessionIds: [], eventIds: [], rageEventIds: [], at: Date.now(), overflow: true, remote: true });
      this.everListened = true;
    } catch (err) {
      log.warn("live: LISTEN failed; retrying", { error: String(err), retryMs: this.retryMs });
      this.scheduleListen();
    }
  }

  private scheduleListen() {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryMs * (0.75 + Math.random() * 0.5);
    this.retryMs = Math.min(this.retryMs * 2, PG_BUS.listenRetryMaxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.listen();
    }, delay);
  }

  private receive(payload: string) {
    const decoded = decodeBatch(payload);
    if (!decoded) return log.warn("live: ignored a malformed notification");
    if (decoded.origin === this.origin) return;
    this.deliver({ ...decoded.batch, remote: true });
  }

  private deliver(batch: LiveBatch) {
    for (const l of this.listeners) queueMicrotask(() => l(batch));
  }

  publish(batch: LiveBatch): void {
    this.deliver(batch);
    const payload = encodeBatch(this.origin, batch);
    // Chained so notifications leave in publish order.
    this.sending = this.sending
      .then(() => this.publisher`select pg_notify(${PG_BUS.notifyChannel}, ${payload})`)
      .catch((err) => log.warn("live: NOTIFY failed", { error: String(err) }));
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    clearTimeout(this.retryTimer);
    this.listeners.clear();
    await this.sending;
    await this.listenSql.end({ timeout: 1 });
  }
}
