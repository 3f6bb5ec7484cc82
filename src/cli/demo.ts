// `loupe demo`: realistic traffic through Loupe's public HTTP APIs (collection endpoint and Heap server
// API) into a running Loupe, at a chosen rate, forever or for N minutes; Ctrl-C stops it cleanly. People
// browse at a human pace (src/cli/demo-traffic.ts); the demo starts as if it had been running for a while,
// so sessions minutes long are there from the first second.
import type { Config } from "../config";
import { LOCAL_ENVIRONMENTS_PATH, findLocalServer } from "../ops/local-servers";
import { UsageError } from "./args";
import { collectBody, headersFor, newDevice, newId53, newPerson, planVisit, step, visitLength, type Device, type Person, type Visit } from "./demo-traffic";

/** `loupe demo`: simulated traffic through the public APIs. */
export const DEMO = {
  defaultRate: 5,
  maxRate: 5000,
  tickMs: 250,
  minVisits: 3,
  /** People browsing at once, at most; past it, pauses shrink so the rate still holds (a load test). */
  maxVisits: 1000,
  /** Requests in flight at once (the opening history of every visit goes out in the first tick). */
  maxRequestsInFlight: 50,
  requestTimeoutMs: 10_000,
  reportEveryMs: 10_000,
  /** Visits planned at start to learn their typical length and events (how many people make the rate). */
  sampleVisits: 200,
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
  /** Of `events`, those of the opening history (visits already under way at start, times in the past). */
  history: number;
  requests: number;
  failed: number;
  people: number;
  identified: number;
}

/** Typical visit length (ms) and events per visit, from sample plans (the rate decides how many run at once). */
function visitShape(rand: () => number): { lengthMs: number; events: number } {
  let lengthMs = 0, events = 0;
  for (let i = 0; i < DEMO.sampleVisits; i++) {
    const person = newPerson(rand, 0);
    const v = planVisit(rand, person, newDevice(rand, rand() < 0.6 ? "web" : "ios"));
    lengthMs += visitLength(v);
    events += v.actions.reduce((n, a) => n + (a.do === "page" ? 1.2 : a.do === "click" ? (a.times ?? 1) : a.do === "identify" ? 0 : 1), 0);
  }
  return { lengthMs: lengthMs / DEMO.sampleVisits, events: events / DEMO.sampleVisits };
}

/** Runs the simulation until the time is up or the signal aborts; resolves with what was sent. */
export async function runDemo(o: DemoOptions): Promise<DemoStats> {
  const rand = o.rand ?? Math.random;
  const log = o.log ?? (() => {});
  const base = o.url.replace(/\/+$/, "");
  const stats: DemoStats = { events: 0, history: 0, requests: 0, failed: 0, people: 0, identified: 0 };
  const people: Person[] = [];
  const visits: Visit[] = [];
  const until = o.minutes == null ? Infinity : Date.now() + o.minutes * 60_000;
  let lastReport = Date.now(), warned = false;

  // How many people browse at once for the rate: rate × visit length ÷ events per visit (Little's law).
  const shape = visitShape(rand);
  const wanted = (o.rate * shape.lengthMs) / 1000 / shape.events;
  const concurrent = Math.max(DEMO.minVisits, Math.min(DEMO.maxVisits, Math.round(wanted)));
  const scale = wanted > DEMO.maxVisits ? DEMO.maxVisits / wanted : 1;

  let inFlight = 0;
  const queue: (() => void)[] = [];
  /** `first`: ahead of those waiting (a person's server calls, once their device batch is in). */
  const post = async (path: string, body: unknown, headers: Record<string, string>, first = false) => {
    if (inFlight >= DEMO.maxRequestsInFlight) await new Promise<void>((go) => (first ? queue.unshift(go) : queue.push(go)));
    inFlight++;
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
    } finally {
      inFlight--;
      queue.shift()?.();
    }
  };

  let started = 0;
  /** A new visit whose first action is at `startAt` (in the past for the visits under way at start). */
  const startVisit = (startAt: number, elapsedOf?: (lengthMs: number) => number) => {
    // The first three visits tell the whole story: a web signup, the same person identifying on their
    // phone (a merge across devices), and an anonymous Android user. Then a random mix.
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
    const v: Visit = { ...planVisit(rand, person, device, { signup: n === 0, server: n === 0, identifyMidway: secondDevice }, startAt), story: n < 3 };
    const length = visitLength(v) * scale;
    // The story is told by the time the demo starts (only its last seconds are still to come).
    v.dueAt = startAt - (v.story ? Math.max(0, length - 1500 * (3 - n)) : (elapsedOf?.(length) ?? 0));
    visits.push(v);
  };

  const opening = Date.now();
  for (let i = 0; i < concurrent; i++) startVisit(opening, (length) => rand() * length);

  while (Date.now() < until && !o.signal?.aborted) {
    const tickStarted = Date.now();
    // Visits end and new people arrive at the pace that keeps `concurrent` of them browsing.
    while (visits.length < concurrent) startVisit(tickStarted + Math.floor(rand() * DEMO.tickMs));
    const batches = new Map<Device, { person: Person; messages: Record<string, unknown>[] }>();
    const heap = new Map<Person, { path: string; body: unknown }[]>();
    for (const v of [...visits]) {
      while (v.next < v.actions.length && v.dueAt <= tickStarted) {
        const past = v.dueAt < opening;
        const out = step(rand, v, o.envId, scale);
        v.device.sent = true;
        if (out.messages.length) {
          const batch = batches.get(v.device) ?? { person: v.person, messages: [] };
          batch.messages.push(...out.messages);
          batches.set(v.device, batch);
        }
        if (out.heap.length) heap.set(v.person, [...(heap.get(v.person) ?? []), ...out.heap]);
        const events = out.messages.filter((m) => m.kind === "event").length + out.heap.filter((h) => h.path === "/api/track").length;
        stats.events += events;
        if (past) stats.history += events;
      }
      if (v.next >= v.actions.length) visits.splice(visits.indexOf(v), 1);
    }
    // One request per device; a person's server calls after their devices' batches (identify before Heap's
    // identity calls), without waiting for everyone else's.
    const serverCalls = async (person: Person) => {
      const calls = heap.get(person) ?? [];
      heap.delete(person);
      for (const h of calls) await post(h.path, h.body, headersFor(null), true);
    };
    await Promise.all([...batches].map(([d, b]) => post("/api/collect", collectBody(o.envId, d, b.person, b.messages), headersFor(d)).then(() => serverCalls(b.person))));
    await Promise.all([...heap.keys()].map(serverCalls));
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

export interface ChosenEnvironment { id: string; name?: string; others: { id: string; name: string }[] }

/**
 * Which environment of the Loupe at `url` to send to: `--env`, checked against that Loupe; else, for a
 * Loupe on this machine, learned from it (src/ops/local-servers.ts): its only environment, or its first
 * with the others listed. A Loupe elsewhere cannot be asked: `--env` is then required.
 */
export async function chooseEnvironment(url: string, envFlag: string | undefined, dir?: string): Promise<ChosenEnvironment> {
  const base = url.replace(/\/+$/, "");
  if (envFlag !== undefined) {
    // An empty batch: checked like any other (unknown environment → 400), and nothing is stored.
    const res = await fetch(`${base}/api/collect`, {
      method: "POST", headers: { "content-type": "application/json", "user-agent": "loupe-demo" },
      body: JSON.stringify({ envId: envFlag, source: "web", userId: "1", sessionId: "1", messages: [] }), signal: AbortSignal.timeout(DEMO.requestTimeoutMs),
    });
    if (res.status === 400 && /unknown_environment/.test(await res.text())) throw new UsageError(`no environment ${envFlag} on ${base} (its ids are under Settings → Environment id)`);
    return { id: envFlag, others: [] };
  }
  const note = findLocalServer(base, dir);
  const asked = note
    ? await fetch(`${base}${LOCAL_ENVIRONMENTS_PATH}`, { headers: { authorization: `Bearer ${note.token}` }, signal: AbortSignal.timeout(DEMO.requestTimeoutMs) }).catch(() => null)
    : null;
  if (!asked?.ok) {
    throw new UsageError(`cannot tell which environment of ${base} to send to (it is not a Loupe started on this machine by this user): pass --env ID, the id under Settings → Environment id`);
  }
  const { environments } = (await asked.json()) as { environments: { id: string; name: string }[] };
  const [first, ...others] = environments;
  if (!first) throw new UsageError(`${base} has no environment yet: create one under Settings, or with \`loupe env create NAME\``);
  return { id: first.id, name: first.name, others };
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

  const health = await fetch(`${url.replace(/\/+$/, "")}/healthz`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
  if (!health?.ok) throw new UsageError(`no Loupe answers at ${url}: start it with \`npm start\` (or pass --url)`);
  const env = await chooseEnvironment(url, typeof extra.env === "string" ? extra.env : undefined);
  if (env.others.length) out(`demo: ${url} has ${env.others.length + 1} environments; sending to the first. Others: ${env.others.map((e) => `${e.name} (--env ${e.id})`).join(", ")}`);

  const stop = new AbortController();
  const onSignal = () => { out("demo: stopping…"); stop.abort(); };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  out(`demo: sending ~${rate} events/s to ${url} (environment ${env.name ? `"${env.name}" ` : ""}${env.id})${minutes == null ? " until Ctrl-C" : ` for ${minutes} min`}`);
  try {
    const stats = await runDemo({ url, envId: env.id, rate, minutes, signal: stop.signal, log: out });
    out(`demo: done: ${stats.events} events in ${stats.requests} requests (${stats.failed} failed), ${stats.people} people, ${stats.identified} identified`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
