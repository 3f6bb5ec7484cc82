export {};
// The load client, run as its own process by bench/ingest/main.ts so it does not share the server's
// event loop: `bun bench/ingest/client.ts '<json options>'` → one JSON line of results on stdout.
// Fixed concurrency: each worker sends its next request as soon as the previous one is answered.

interface Options {
  url: string;
  envId: string;
  mode: "bulk" | "single";
  concurrency: number;
  seconds: number;
  batch: number;
  name: string;
  users: number;
}

const opts = JSON.parse(process.argv[2]) as Options;

function eventBody(i: number) {
  return {
    identity: `bench-${i % opts.users}@example.com`,
    event: opts.name,
    properties: { plan: ["free", "pro", "team"][i % 3], amount: i % 100, path: `/checkout/step-${i % 5}`, campaign: "spring" },
  };
}

// Bodies are made once and re-sent: without an idempotency_key each send stores new events.
const pool: string[] = Array.from({ length: 64 }, (_, k) =>
  opts.mode === "bulk"
    ? JSON.stringify({ app_id: opts.envId, events: Array.from({ length: opts.batch }, (_, i) => eventBody(k * opts.batch + i)) })
    : JSON.stringify({ app_id: opts.envId, ...eventBody(k) }),
);

const latencies: number[] = [];
let acknowledged = 0;
let errors = 0;
let lastError = "";
const deadline = performance.now() + opts.seconds * 1000;

async function worker(w: number) {
  let k = w;
  while (performance.now() < deadline) {
    const body = pool[k++ % pool.length];
    const started = performance.now();
    try {
      const res = await fetch(`${opts.url}/api/track`, { method: "POST", headers: { "content-type": "application/json" }, body });
      const json = (await res.json()) as { accepted?: number; error?: { message: string } };
      if (res.status === 200) acknowledged += json.accepted ?? 0;
      else {
        errors++;
        lastError = `${res.status} ${json.error?.message ?? ""}`;
      }
    } catch (err) {
      errors++;
      lastError = String(err);
    }
    latencies.push(performance.now() - started);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
console.log(JSON.stringify({ requests: latencies.length, acknowledged, errors, lastError, seconds, p50: pct(50), p99: pct(99) }));
