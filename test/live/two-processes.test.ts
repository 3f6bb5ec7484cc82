// Two Loupe servers on one PostgreSQL database (each with its own connections and LISTEN): an event
// ingested through one is pushed to a page socket served by the other.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createApp } from "../../src/app";
import { buildContext } from "../../src/cli/serve";
import { loadConfig } from "../../src/config";
import type { AppContext } from "../../src/context";
import { openDatabase, type Database } from "../../src/db/client";
import { startServer } from "../../src/server";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import { driver } from "../helpers/db";
import { collect, custom, identifyMsg, newDevice, pageview } from "../helpers/ingest";
import { liveClient } from "../helpers/ws-client";

setDefaultTimeout(60_000);

let a: TestApp;
let admin: LoggedIn;
let bDb: Database;
let bCtx: AppContext;
let bServer: ReturnType<typeof startServer>;
let bUrl: string;

if (driver !== "postgres") console.warn("[live] two-process test skipped: LISTEN/NOTIFY needs PostgreSQL (run with DATABASE_URL); PGlite is one process");

beforeAll(async () => {
  if (driver !== "postgres") return;
  a = await startTestApp();
  admin = await loginAs(a);
  bDb = await openDatabase({ databaseUrl: a.database.url!, poolSize: 3 });
  const config = loadConfig({ HOST: "127.0.0.1", PORT: "0", LOUPE_LOG_LEVEL: "warn" });
  bCtx = await buildContext(config, bDb);
  bServer = startServer(createApp(bCtx), config);
  bUrl = `http://127.0.0.1:${bServer.port}`;
});
afterAll(async () => {
  if (driver !== "postgres") return;
  bServer.stop(true);
  await bCtx.bus.close();
  await bDb.close();
  await a.close();
});

test.skipIf(driver !== "postgres")("an event ingested through server A reaches a socket on server B", async () => {
  const d = newDevice(a.env.id);
  await collect(a.url, d, [identifyMsg(Date.now(), "carol@example.com"), pageview(Date.now())]);

  const c = liveClient(`${bUrl}/live`, { origin: bUrl, cookie: admin.cookie });
  expect(await c.opened).toBe(true);
  c.send({ type: "subscribe", id: "s", view: { kind: "session", envId: a.env.id, userId: Number(d.userId), sessionId: Number(d.sessionId) }, cursor: Date.now() });
  await c.next((f) => f.type === "push" && f.sub === "s");
  c.send({ type: "subscribe", id: "u", view: { kind: "users", envId: a.env.id, query: "" }, cursor: Date.now() });
  await c.next((f) => f.type === "push" && f.sub === "u");

  const ev = custom(Date.now(), "crossed_processes");
  const res = await collect(a.url, d, [ev]);
  expect(res.status).toBeLessThan(300);
  const pushed = await c.next((f) => f.sub === "s" && typeof f.content === "string" && f.content.includes(`event-${ev.id}`));
  expect(pushed.content).toContain("crossed_processes");
  await c.next((f) => f.sub === "u" && typeof f.content === "string" && f.content.includes(`user-${d.userId}`));
  c.ws.close();
});

test.skipIf(driver !== "postgres")("revoking a kiosk link on server A closes its wall on server B at once", async () => {
  const res = await admin.fetch(`/e/${a.env.id}/settings/kiosk`, { method: "POST", body: new URLSearchParams({ name: "TV on B" }) });
  const html = await res.text();
  const token = /\/wall\/([A-Za-z0-9_-]{43})/.exec(html)![1];
  const id = Number(/id="kiosk-(\d+)"/.exec(html)![1]);
  const wall = liveClient(`${bUrl}/wall/${token}/live`, { origin: bUrl });
  expect(await wall.opened).toBe(true);
  await wall.next((f) => f.type === "hello");
  await admin.fetch(`/e/${a.env.id}/settings/kiosk/${id}/revoke`, { method: "POST", body: new URLSearchParams(), redirect: "manual" });
  // Closed by the revocation that crossed processes, not by the periodic re-check ("access ended").
  expect(await wall.closed).toEqual({ code: 4403, reason: "kiosk link revoked" });
});
