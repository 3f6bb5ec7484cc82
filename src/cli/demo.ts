// `loupe demo`: realistic traffic through Loupe's public HTTP APIs (collection endpoint and Heap server
// API) into a running Loupe, at a chosen rate, forever or for N minutes; Ctrl-C stops it cleanly.
import { cp, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../config";
import { openDatabase } from "../db/client";
import { listEnvironments } from "../environments/environments";
import { UsageError } from "./args";
import { collectBody, headersFor, newDevice, newId53, newPerson, planVisit, step, type Device, type Person, type Visit } from "./demo-traffic";

/** `loupe demo`: simulated traffic through the public APIs. */
export const DEMO = {
  defaultRate: 5,
  maxRate: 5000,
  tickMs: 250,
  minVisits: 3,
  maxVisits: 200,
  requestTimeoutMs: 10_000,
  reportEveryMs: 10_000,
} as const;

export interface DemoOptions {
  url: string;
  envId: string;
  /** Events per second, roughly. */
  rate: number;
  /** Stop after this many minutes; null runs until `signal` aborts. */
  minutes: number | null;
  signal?: AbortSignal;
  log?: (line: string) => void;
  rand?: () => number;
}

export interface DemoStats {
  events: number;
  requests: number;
  failed: number;
  people: number;
  identified: number;
}

/** Runs the simulation until the time is up or the signal aborts; resolves with what was sent. */
export async function runDemo(o: DemoOptions): Promise<DemoStats> {
  const rand = o.rand ?? Math.random;
  const log = o.log ?? (() => {});
  const base = o.url.replace(/\/+$/, "");
  const stats: DemoStats = { events: 0, requests: 0, failed: 0, people: 0, identified: 0 };
  const people: Person[] = [];
  const visits: Visit[] = [];
  const until = o.minutes == null ? Infinity : Date.now() + o.minutes * 60_000;
  let budget = 0, lastReport = Date.now(), warned = false;

  const post = async (path: string, body: unknown, headers: Record<string, string>) => {
    stats.requests++;
    try {
      const res = await fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(DEMO.requestTimeoutMs) });
      if (!res.ok) {
        stats.failed++;
        if (!warned) log(`demo: ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        warned = true;
      } else await res.body?.cancel();
    } catch (err) {
      stats.failed++;
      if (!warned) log(`demo: cannot reach ${base}${path}: ${(err as Error).message}`);
      warned = true;
    }
  };

  let started = 0, cursor = 0;
  const startVisit = () => {
    // The first three visits tell the whole story at once: a web signup, the same person identifying
    // on their phone mid-session (a merge), and an anonymous Android user. Then a random mix.
    const n = started++;
    const idle = people.filter((p) => !visits.some((v) => v.person === p));
    const returning = n === 1 ? people[0] : n > 2 && idle.length > 0 && rand() < 0.35 ? idle[Math.floor(rand() * idle.length)] : null;
    const person = returning ?? newPerson(rand, people.length + 1);
    if (!returning) people.push(person);
    const source: Device["source"] = n === 0 ? "web" : n === 1 ? "ios" : n === 2 ? "android" : rand() < 0.6 ? "web" : rand() < 0.55 ? "ios" : "android";
    let device = person.devices.find((d) => d.source === source);
    const secondDevice = !device && (person.identified || n === 1);
    if (!device) { device = newDevice(rand, source); person.devices.push(device); }
    device.sessionId = newId53(rand);
    visits.push({ ...planVisit(rand, person, device, { signup: n === 0, server: n === 0, identifyMidway: secondDevice }), story: n < 3 });
  };

  while (Date.now() < until && !o.signal?.aborted) {
    const tickStarted = Date.now();
    budget += (o.rate * DEMO.tickMs) / 1000;
    while (visits.length < Math.max(DEMO.minVisits, Math.min(DEMO.maxVisits, Math.ceil(o.rate)))) startVisit();
    const batches = new Map<Device, { person: Person; messages: Record<string, unknown>[] }>();
    const heap: Promise<void>[] = [];
    // The opening story advances every tick, whatever the rate, so it plays out within seconds.
    const turns = [...visits.filter((v) => v.story), ...Array.from({ length: visits.length }, () => visits[cursor++ % visits.length])];
    for (const v of turns) {
      if ((!v.story && budget < 1) || v.next >= v.actions.length) continue;
      const out = step(rand, v, o.envId);
      v.device.sent = true;
      const batch = batches.get(v.device) ?? { person: v.person, messages: [] };
      batch.messages.push(...out.messages);
      if (out.messages.length) batches.set(v.device, batch);
      for (const h of out.heap) heap.push(post(h.path, h.body, headersFor(null, v.person.place)));
      const events = out.messages.filter((m) => m.kind === "event").length + out.heap.filter((h) => h.path === "/api/track").length;
      stats.events += events;
      budget -= Math.max(1, events);
      if (v.next >= v.actions.length) visits.splice(visits.indexOf(v), 1);
    }
    // One request per device, and server calls after the device batches (identify before Heap's identity calls).
    await Promise.all([...batches].map(([d, b]) => post("/api/collect", collectBody(o.envId, d, b.messages), headersFor(d, b.person.place))));
    await Promise.all(heap);
    stats.people = people.filter((p) => p.devices.some((d) => d.sent)).length;
    stats.identified = people.filter((p) => p.identified).length;
    if (Date.now() - lastReport >= DEMO.reportEveryMs) {
      lastReport = Date.now();
      log(`demo: ${stats.events} events · ${stats.people} people (${stats.identified} identified) · ${stats.failed} failed requests`);
    }
    await sleep(Math.max(0, DEMO.tickMs - (Date.now() - tickStarted)), o.signal);
  }
  return stats;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

/** The first environment, read from the configured database. A live PGlite data dir is read from a copy. */
export async function firstEnvironmentId(config: Config): Promise<string | null> {
  if (config.databaseUrl) {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
    try { return (await listEnvironments(database.db))[0]?.id ?? null; } finally { await database.close(); }
  }
  if (!(await stat(config.dataDir).catch(() => null))) return null;
  // A running Loupe holds the data dir; PGlite has no multi-process locking, so never open it twice.
  const copy = await mkdtemp(join(tmpdir(), "loupe-demo-"));
  try {
    await cp(config.dataDir, copy, { recursive: true });
    const database = await openDatabase({ dataDir: copy });
    try { return (await listEnvironments(database.db))[0]?.id ?? null; } finally { await database.close(); }
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/** Parses `loupe demo [--url URL] [--env ID] [--rate N] [--minutes N]` and runs until done or Ctrl-C. */
export async function demoCommand(config: Config, extra: Record<string, string | true>, out: (line: string) => void): Promise<void> {
  const number = (name: string, min: number, max: number) => {
    const raw = extra[name];
    if (raw === undefined) return null;
    const n = Number(raw);
    if (raw === true || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
    return n;
  };
  const rate = number("rate", 0.1, DEMO.maxRate) ?? DEMO.defaultRate;
  const minutes = number("minutes", 0.01, 525_600);
  if (extra.url === true || (typeof extra.url === "string" && !/^https?:\/\/[^/]/.test(extra.url))) throw new UsageError("--url must be an http(s):// URL");
  const url = (typeof extra.url === "string" ? extra.url : undefined) ?? config.baseUrl ?? `http://localhost:${config.port}`;
  if (extra.env === true) throw new UsageError("--env needs an environment id");
  const envId = typeof extra.env === "string" ? extra.env : await firstEnvironmentId(config);
  if (!envId) throw new UsageError("no environment found: pass --env ID (see `loupe env list`)");

  const health = await fetch(`${url.replace(/\/+$/, "")}/healthz`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
  if (!health?.ok) throw new UsageError(`no Loupe answers at ${url}: start it with \`npm start\` (or pass --url)`);

  const stop = new AbortController();
  const onSignal = () => { out("demo: stopping…"); stop.abort(); };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  out(`demo: sending ~${rate} events/s to ${url} (environment ${envId})${minutes == null ? " until Ctrl-C" : ` for ${minutes} min`}`);
  try {
    const stats = await runDemo({ url, envId, rate, minutes, signal: stop.signal, log: out });
    out(`demo: done: ${stats.events} events in ${stats.requests} requests (${stats.failed} failed), ${stats.people} people, ${stats.identified} identified`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
