export {};
// The ingest load for bench/live, as its own process: `bun bench/live/ingest.ts '<json options>'`.
// Sends `rate` events/s through bulk /api/track in ticks; each request carries one "marker" event of a
// brand-new user whose identity (lt-<seq>-g<k>@bench) names the request, so pages can time its arrival.
// Prints one JSON line: { acks: { [seq]: ackTimeMs }, sent, errors }.

interface Options { url: string; envId: string; rate: number; seconds: number; tickMs: number; users: number; groups: number; warmup: boolean }
const o = JSON.parse(process.argv[2]) as Options;
const now = () => performance.timeOrigin + performance.now();

const acks: Record<number, number> = {};
let sent = 0;
let errors = 0;
let lastError = "";
let seq = 0;
const perTick = Math.max(1, Math.round((o.rate * o.tickMs) / 1000));
const end = performance.now() + o.seconds * 1000;
const inflight = new Set<Promise<void>>();

function body(markerSeq: number | null) {
  const events = [];
  for (let i = 0; i < perTick - (markerSeq === null ? 0 : 1); i++) {
    const u = Math.floor(Math.random() * o.users);
    events.push({ identity: `bench-${u}-g${u % o.groups}@bench`, event: "bench_view", properties: { path: `/p/${u % 20}` } });
  }
  if (markerSeq !== null) events.push({ identity: `lt-${markerSeq}-g${markerSeq % o.groups}@bench`, event: "bench_marker", properties: {} });
  return JSON.stringify({ app_id: o.envId, events });
}

async function send(markerSeq: number | null) {
  try {
    const res = await fetch(`${o.url}/api/track`, { method: "POST", headers: { "content-type": "application/json" }, body: body(markerSeq) });
    const at = now();
    if (res.status !== 200) {
      errors++;
      lastError = `${res.status} ${(await res.text()).slice(0, 200)}`;
      return;
    }
    await res.arrayBuffer();
    if (markerSeq !== null) acks[markerSeq] = at;
    sent += perTick;
  } catch (err) {
    errors++;
    lastError = String(err);
  }
}

let next = performance.now();
while (performance.now() < end) {
  const p = send(o.warmup ? null : seq++).finally(() => inflight.delete(p));
  inflight.add(p);
  next += o.tickMs;
  const wait = next - performance.now();
  if (wait > 0) await Bun.sleep(wait);
}
await Promise.all(inflight);
console.log(JSON.stringify({ acks, sent, errors, lastError }));
