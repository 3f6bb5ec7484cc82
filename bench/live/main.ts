// `npm run bench -- live [--clients 100] [--rate 2000] [--seconds 20] [--users 5000] [--database-url URL]`
// 100 WebSocket pages on the Users page with mixed filters, while a SEPARATE process streams events
// through the real ingest API (bulk /api/track) into a Loupe server process on PostgreSQL. Reports
// ingest-ack → fragment-received latency (p50/p99) beside a bare Bun WebSocket round trip measured in the
// same run, database queries per batch (from /metrics), and server memory per connection.
import { join } from "node:path";
import postgres from "postgres";
import { PAGE_PUSH } from "../../src/live/users-view";
import { BUN, childEnv, freePort, REPO_ROOT, rssMb, startAndWait } from "../../test/helpers/process";

const option = (args: string[], name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const now = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const GROUPS = 5;
const TARGET = { p50: 50, p99: 250 };

/** A page's view: one of five identity groups, or "has done bench_marker" (a different filter kind). */
function viewFor(i: number): { query: string; matches: (seq: number) => boolean; label: string } {
  if (i % 5 === 4) {
    const f = [{ k: "event", did: true, e: { custom: "bench_marker" } }];
    return { query: `f=${encodeURIComponent(JSON.stringify(f))}`, matches: () => true, label: "did bench_marker" };
  }
  const g = i % GROUPS;
  const f = [{ k: "user", s: "identity", op: "contains", v: `-g${g}@` }];
  return { query: `f=${encodeURIComponent(JSON.stringify(f))}`, matches: (seq) => seq % GROUPS === g, label: `identity contains -g${g}@` };
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\d+(?:\\.\\d+)?)$`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

async function runProcess(script: string, opts: unknown): Promise<any> {
  const proc = Bun.spawn([BUN, join(import.meta.dir, script), JSON.stringify(opts)], { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${script} failed (${code}): ${err}`);
  return JSON.parse(out.trim().split("\n").pop()!);
}

/** Round trips of `send` → first reply, sampled every 50 ms while `running()`. */
async function sampleRtt(url: string, headers: Record<string, string>, message: () => string, isReply: (data: string) => boolean, running: () => boolean): Promise<number[]> {
  const ws = new WebSocket(url, { headers } as unknown as string[]);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  const out: number[] = [];
  let sentAt = 0;
  ws.onmessage = (e) => { if (sentAt && isReply(String(e.data))) { out.push(now() - sentAt); sentAt = 0; } };
  while (running()) {
    if (!sentAt) { sentAt = now(); ws.send(message()); }
    await Bun.sleep(50);
  }
  ws.close();
  return out;
}

export async function main(args: string[]) {
  const clients = Number(option(args, "clients", "100"));
  const rate = Number(option(args, "rate", "2000"));
  const seconds = Number(option(args, "seconds", "20"));
  /** Distinct returning users the load cycles through (fewer = more events per user = heavier rows). */
  const recurringUsers = Number(option(args, "users", "5000"));
  const baseUrl = option(args, "database-url", process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");

  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  const dbName = `loupe_bench_live_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${dbName}`);
  const dbUrl = new URL(baseUrl);
  dbUrl.pathname = `/${dbName}`;

  const port = freePort();
  const echoPort = freePort();
  const credentials = { email: "bench@loupe.test", password: "bench password 123" };
  const server = await startAndWait([BUN, "src/main.ts", "serve"], {
    port, cwd: REPO_ROOT, timeoutMs: 120_000,
    env: childEnv({ DATABASE_URL: dbUrl.toString(), PORT: String(port), HOST: "127.0.0.1", LOUPE_LOG_LEVEL: process.env.LOUPE_LOG_LEVEL ?? "warn", LOUPE_RATE_LIMIT: "0", LOUPE_ADMIN_EMAIL: credentials.email, LOUPE_ADMIN_PASSWORD: credentials.password }),
  });
  const echo = Bun.spawn([BUN, join(import.meta.dir, "echo.ts"), String(echoPort)], { stdout: "ignore", stderr: "inherit" });
  const sockets: WebSocket[] = [];
  try {
    const url = server.url;
    const envId = /Environment ".*?"(?: \(created\))?: (\d+)/.exec(server.output())?.[1];
    if (!envId) throw new Error(`no environment id in the server output:\n${server.output()}`);
    const login = await fetch(`${url}/login`, { method: "POST", redirect: "manual", headers: { origin: url, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(credentials) });
    const cookie = login.headers.getSetCookie()[0]?.split(";")[0];
    if (login.status !== 303 || !cookie) throw new Error(`login failed: ${login.status}`);
    const headers = { origin: url, cookie };
    const wsUrl = url.replace(/^http/, "ws") + "/live";

    console.log(`live bench: ${clients} pages, ${rate} events/s for ${seconds} s over ${recurringUsers} returning users + 1 new user per request, PostgreSQL, server pid ${server.proc.pid}`);
    const ingestOpts = { url, envId, rate, tickMs: 50, users: recurringUsers, groups: GROUPS };
    await runProcess("ingest.ts", { ...ingestOpts, seconds: Math.max(3, Math.ceil((recurringUsers * 3) / rate)), warmup: true }); // creates the returning users
    // A database minutes old has no planner statistics yet (autovacuum analyzes once a minute at best), and
    // without them per-user counts walk the whole window's events; a running deployment has them.
    const bench = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
    await bench.unsafe("analyze");
    await bench.end();

    const received: Map<number, number>[] = [];
    /** Per page: arrival time and row count of every push carrying rows. */
    const pushes: { at: number; rows: number }[][] = [];
    const views = Array.from({ length: clients }, (_, i) => viewFor(i));
    // The first pages warm the server up (code paths, caches); memory per connection is measured on the rest.
    const warm = Math.min(10, clients);
    let rssBefore = 0;
    const connect = async (view: (typeof views)[number], i: number) => {
      const ws = new WebSocket(wsUrl, { headers } as unknown as string[]);
      sockets.push(ws);
      const seen = new Map<number, number>();
      received[i] = seen;
      const pushed: { at: number; rows: number }[] = (pushes[i] = []);
      let subscribed: () => void;
      const ready = new Promise<void>((r) => (subscribed = r));
      ws.onmessage = (e) => {
        const at = now();
        const text = String(e.data);
        if (text.includes('"type":"push"')) subscribed();
        const rows = text.match(/<tbody id=\\"user-/g)?.length ?? 0;
        if (rows > 0) pushed.push({ at, rows });
        for (const m of text.matchAll(/lt-(\d+)-g/g)) {
          const seq = Number(m[1]);
          if (!seen.has(seq)) seen.set(seq, at);
        }
      };
      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
      // No cursor: nothing to catch up, so the memory measured is the connections' and subscriptions' own.
      ws.send(JSON.stringify({ type: "subscribe", id: "p", view: { kind: "users", envId, query: view.query } }));
      await ready;
    };
    await Promise.all(views.slice(0, warm).map((v, i) => connect(v, i)));
    await Bun.sleep(1000);
    rssBefore = rssMb(server.proc.pid);
    await Promise.all(views.slice(warm).map((v, i) => connect(v, warm + i)));
    await Bun.sleep(1000);
    const rssAfter = rssMb(server.proc.pid);
    for (const seen of received) seen.clear();
    for (const p of pushes) p.length = 0;

    const before = { batches: await metric(url, "loupe_live_batches_total"), windows: await metric(url, "loupe_live_windows_total"), queries: await metric(url, "loupe_live_queries_total"), renders: await metric(url, "loupe_live_renders_total"), frames: await metric(url, "loupe_live_frames_sent_total"), dropped: await metric(url, "loupe_live_dropped_total") };
    let loading = true;
    const bareRtt = sampleRtt(`ws://127.0.0.1:${echoPort}`, {}, () => "x", () => true, () => loading);
    const loupeRtt = sampleRtt(wsUrl, headers, () => '{"type":"ping"}', (d) => d.includes('"pong"'), () => loading);
    const started = now();
    const load = await runProcess("ingest.ts", { ...ingestOpts, seconds, warmup: false });
    const elapsed = (now() - started) / 1000;
    await Bun.sleep(1500); // trailing pushes
    loading = false;
    const [bare, loupePing] = await Promise.all([bareRtt, loupeRtt]);
    const after = { batches: await metric(url, "loupe_live_batches_total"), windows: await metric(url, "loupe_live_windows_total"), queries: await metric(url, "loupe_live_queries_total"), renders: await metric(url, "loupe_live_renders_total"), frames: await metric(url, "loupe_live_frames_sent_total"), dropped: await metric(url, "loupe_live_dropped_total") };

    // Per view kind: the marker view sees only new users (a few per window, always within a push's rows);
    // the identity groups see every active user of their group, and a push carries the PAGE_PUSH.maxRows
    // most recently seen (the page's first screenful). A marker missing from a page counts as "outranked"
    // only when a push that could have carried it was full: one of the first two that page received after
    // the ack (a render begun before the marker's commit can land after the ack); otherwise it is missing.
    const outranked = (i: number, ackAt: number) =>
      pushes[i].filter((p) => p.at >= ackAt).slice(0, 2).some((p) => p.rows >= PAGE_PUSH.maxRows);
    const byKind = new Map<string, { latencies: number[]; expected: number; missing: number; outranked: number }>();
    const latencies: number[] = [];
    let expected = 0;
    let missing = 0;
    for (const [seqText, ackAt] of Object.entries(load.acks as Record<string, number>)) {
      const seq = Number(seqText);
      views.forEach((view, i) => {
        if (!view.matches(seq)) return;
        const kind = view.label.startsWith("did") ? "marker view (did bench_marker)" : "identity-group views";
        const k = byKind.get(kind) ?? { latencies: [], expected: 0, missing: 0, outranked: 0 };
        byKind.set(kind, k);
        const at = received[i].get(seq);
        if (at === undefined && outranked(i, ackAt)) return void k.outranked++;
        expected++;
        k.expected++;
        if (at === undefined) (missing++, k.missing++);
        else (latencies.push(at - ackAt), k.latencies.push(at - ackAt));
      });
    }
    const d = (k: keyof typeof before) => after[k] - before[k];
    const p50 = pct(latencies, 50);
    const p99 = pct(latencies, 99);
    console.log(`\ningest: ${Math.round(load.sent / elapsed).toLocaleString("en")} events/s acknowledged (${load.errors} errors${load.errors ? `: ${load.lastError}` : ""}), ${Object.keys(load.acks).length} marker requests`);
    console.log(`ingest-ack → fragment-received: p50 ${ms(p50)}  p99 ${ms(p99)}  max ${ms(pct(latencies, 100))}  (${latencies.length} deliveries, ${missing} of ${expected} expected not received)`);
    for (const [kind, k] of byKind) console.log(`  ${kind}: p50 ${ms(pct(k.latencies, 50))}  p99 ${ms(pct(k.latencies, 99))}  (${k.latencies.length} deliveries; ${k.missing} of ${k.expected} expected not received; ${k.outranked} outranked by ${PAGE_PUSH.maxRows} newer rows in full pushes)`);
    console.log(`bare Bun WebSocket round trip (same run): p50 ${ms(pct(bare, 50))}  p99 ${ms(pct(bare, 99))}   Loupe socket ping→pong under load: p50 ${ms(pct(loupePing, 50))}  p99 ${ms(pct(loupePing, 99))}`);
    console.log(`per batch: ${d("batches")} batches → ${d("windows")} coalesced windows → ${d("renders")} view renders, ${d("queries")} database queries = ${(d("queries") / Math.max(1, d("batches"))).toFixed(2)} per batch (${(d("queries") / Math.max(1, d("windows"))).toFixed(1)} per window, 6 distinct views)`);
    console.log(`frames sent: ${d("frames").toLocaleString("en")}; slow clients dropped: ${d("dropped")}`);
    console.log(`server memory: ${rssBefore} MB with ${warm} pages, ${rssAfter} MB with ${clients} = ~${(((rssAfter - rssBefore) * 1024) / (clients - warm)).toFixed(0)} KB per connection (RSS; includes allocator noise)`);
    console.log(`targets on PostgreSQL: p50 < ${TARGET.p50} ms ${p50 < TARGET.p50 ? "MET" : "MISSED"}, p99 < ${TARGET.p99} ms ${p99 < TARGET.p99 ? "MET" : "MISSED"}`);
  } finally {
    if (process.env.LOUPE_BENCH_SERVER_LOG) await Bun.write(process.env.LOUPE_BENCH_SERVER_LOG, server.output());
    for (const ws of sockets) ws.close();
    echo.kill();
    await server.stop();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}
