// Sessions over real HTTP: idle limits (web 30 min, mobile 5 min), client ids honoured, server events,
// landing page / referrer / UTM from the first pageview, initial user properties, counts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { collect, custom, newDevice, pageview, post, rows, T0, type Device } from "../helpers/ingest";

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); }, 60_000);
afterAll(() => t.close());

const MIN = 60_000;
const sessionsOf = (userId: string) =>
  rows(t.database.db, sql`select id::text as id, source, event_count, started_at, last_at, referrer, landing_page, utm_source, utm_medium,
    utm_campaign, utm_term, utm_content, browser, os, device_type, device_model, app_name, app_version, os_version
    from sessions where env_id = ${t.env.id} and user_id = ${userId} order by started_at`);
const screen = (time: number, path = "Home") => ({ kind: "event", id: crypto.randomUUID(), type: "screen_view", time, page: { path } });

async function twoEventsApart(d: Device, gapMs: number, mobile: boolean) {
  const first = mobile ? screen(T0) : pageview(T0);
  const second = mobile ? screen(T0 + gapMs) : pageview(T0 + gapMs);
  await collect(t.url, d, [first]);
  await collect(t.url, d, [second]);
  return sessionsOf(d.userId);
}

describe(`sessions (${driver})`, () => {
  test("web: 29 minutes idle continues the session, 31 minutes starts a new one", async () => {
    const near = newDevice(t.env.id);
    const s1 = await twoEventsApart(near, 29 * MIN, false);
    expect(s1.length).toBe(1);
    expect(s1[0].id).toBe(near.sessionId);
    expect(s1[0].event_count).toBe(2);
    expect(new Date(s1[0].last_at).getTime()).toBe(T0 + 29 * MIN);

    const far = newDevice(t.env.id);
    const s2 = await twoEventsApart(far, 31 * MIN, false);
    expect(s2.length).toBe(2);
    expect(s2[0].id).toBe(far.sessionId);
    expect(s2[1].id).not.toBe(far.sessionId);
    expect(s2.map((s) => s.event_count)).toEqual([1, 1]);
    // Later events with the same (stale) client session id keep going to the server's new session,
    // also after a restart.
    await collect(t.url, far, [pageview(T0 + 32 * MIN)]);
    t.ctx.ingest.state.clear();
    await collect(t.url, far, [pageview(T0 + 33 * MIN)]);
    const s3 = await sessionsOf(far.userId);
    expect(s3.map((s) => s.event_count)).toEqual([1, 3]);
  });

  test("mobile: 4 minutes continues, 6 minutes starts a new session (iOS and Android)", async () => {
    for (const source of ["ios", "android"] as const) {
      expect((await twoEventsApart(newDevice(t.env.id, source), 4 * MIN, true)).length).toBe(1);
      expect((await twoEventsApart(newDevice(t.env.id, source), 6 * MIN, true)).length).toBe(2);
    }
  });

  test("events within one batch split too, and a client session id of another user is not joined", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [pageview(T0), pageview(T0 + 10 * MIN), pageview(T0 + 45 * MIN)]);
    expect((await sessionsOf(d.userId)).map((s) => s.event_count)).toEqual([2, 1]);
    const intruder = { ...newDevice(t.env.id), sessionId: d.sessionId };
    await collect(t.url, intruder, [pageview(T0 + 1000)]);
    const mine = await sessionsOf(intruder.userId);
    expect(mine.length).toBe(1);
    expect(mine[0].id).not.toBe(d.sessionId);
    expect((await sessionsOf(d.userId))[0].event_count).toBe(2);
  });

  test("landing page, referrer and UTM come from the first pageview; `direct` without a referrer", async () => {
    const d = newDevice(t.env.id);
    const landing = "https://shop.example/sale?utm_source=news&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=hero";
    await collect(t.url, d, [
      { kind: "event", id: crypto.randomUUID(), type: "session_start", time: T0 },
      pageview(T0 + 1, landing, { referrer: "https://www.google.com/" }),
      pageview(T0 + 2, "https://shop.example/cart?utm_source=other", { referrer: "https://shop.example/sale" }),
    ]);
    const [s] = await sessionsOf(d.userId);
    expect(s).toMatchObject({
      landing_page: landing, referrer: "https://www.google.com/", utm_source: "news", utm_medium: "email",
      utm_campaign: "spring", utm_term: "shoes", utm_content: "hero", browser: "Chrome", os: "macOS", device_type: "Desktop",
    });
    const direct = newDevice(t.env.id);
    await collect(t.url, direct, [pageview(T0)]);
    expect((await sessionsOf(direct.userId))[0]).toMatchObject({ referrer: "direct", utm_source: null });
    // A session whose pageview arrives in a later batch still takes it.
    const later = newDevice(t.env.id);
    await collect(t.url, later, [{ kind: "event", id: crypto.randomUUID(), type: "session_start", time: T0 }]);
    await collect(t.url, later, [pageview(T0 + 5, "https://shop.example/?utm_source=late", { referrer: "https://news.example/" })]);
    expect((await sessionsOf(later.userId))[0]).toMatchObject({ referrer: "https://news.example/", utm_source: "late", landing_page: "https://shop.example/?utm_source=late" });
  });

  test("initial user properties are the first session's and never change afterwards", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [pageview(T0, "https://shop.example/a?utm_source=first", { referrer: "https://ref.example/" })], {}, { "cf-ipcountry": "FR" });
    await collect(t.url, { ...d, sessionId: String(Date.now()) }, [pageview(T0 + 2 * 3600_000, "https://shop.example/b?utm_source=second")], {}, {
      "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
    });
    const [u] = await rows(t.database.db, sql`select initial, first_seen, last_seen from users where env_id = ${t.env.id} and id = ${d.userId}`);
    expect(u.initial).toEqual({
      source: "web", referrer: "https://ref.example/", landing_page: "https://shop.example/a?utm_source=first",
      browser: "Chrome", os: "macOS", device_type: "Desktop", utm_source: "first",
    });
    expect(new Date(u.first_seen).getTime()).toBe(T0);
    expect(new Date(u.last_seen).getTime()).toBe(T0 + 2 * 3600_000);
    const s = await sessionsOf(d.userId);
    expect(s[1]).toMatchObject({ browser: "Safari", os: "iOS", device_type: "Mobile" });
  });

  test("initial properties take the first session's landing page, referrer and UTM also when its first pageview comes in a later batch", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [{ kind: "event", id: crypto.randomUUID(), type: "session_start", time: T0 }]);
    const initial = async () => (await rows(t.database.db, sql`select initial from users where env_id = ${t.env.id} and id = ${d.userId}`))[0].initial;
    expect(await initial()).toMatchObject({ source: "web", referrer: "direct" });
    expect((await initial()).landing_page).toBeUndefined();
    await collect(t.url, d, [pageview(T0 + 5, "https://shop.example/?utm_source=late&utm_campaign=fall", { referrer: "https://news.example/" })]);
    expect(await initial()).toEqual({
      source: "web", browser: "Chrome", os: "macOS", device_type: "Desktop",
      referrer: "https://news.example/", landing_page: "https://shop.example/?utm_source=late&utm_campaign=fall", utm_source: "late", utm_campaign: "fall",
    });
    // A later session's late first pageview leaves them alone.
    const second = { ...d, sessionId: String(Number(d.sessionId) + 1) };
    await collect(t.url, second, [{ kind: "event", id: crypto.randomUUID(), type: "session_start", time: T0 + 3 * 3600_000 }]);
    await collect(t.url, second, [pageview(T0 + 3 * 3600_000 + 5, "https://shop.example/b?utm_source=second", { referrer: "https://other.example/" })]);
    expect(await initial()).toMatchObject({ referrer: "https://news.example/", utm_source: "late" });
  });

  test("mobile sessions keep the device and app details of the batch", async () => {
    const d = newDevice(t.env.id, "android");
    await collect(t.url, d, [screen(T0, "Checkout")], { device: { appName: "Shop", appVersion: "2.3.1", os: "Android", osVersion: "14", model: "Pixel 8" } });
    expect((await sessionsOf(d.userId))[0]).toMatchObject({
      source: "android", app_name: "Shop", app_version: "2.3.1", os: "Android", os_version: "14", device_model: "Pixel 8", device_type: "Mobile", landing_page: "Checkout",
    });
  });

  test("server events join the user's open session, else start a server session; session_id is honoured", async () => {
    const d = newDevice(t.env.id);
    const now = Date.now() - 4 * 3600_000;
    await collect(t.url, d, [pageview(now)]);
    await post(t.url, "/api/track", { app_id: t.env.id, user_id: d.userId, event: "Invoice paid", timestamp: now + 1000 });
    let s = await sessionsOf(d.userId);
    expect(s.length).toBe(1);
    expect(s[0]).toMatchObject({ source: "web", event_count: 2 });
    const [e] = await rows(t.database.db, sql`select source, type, name from events where env_id = ${t.env.id} and name = 'Invoice paid' and user_id = ${d.userId}`);
    expect(e).toEqual({ source: "server", type: "custom", name: "Invoice paid" });

    await post(t.url, "/api/track", { app_id: t.env.id, user_id: d.userId, event: "Renewal", timestamp: now + 3 * 3600_000 });
    s = await sessionsOf(d.userId);
    expect(s.map((x) => x.source)).toEqual(["web", "server"]);

    await post(t.url, "/api/track", { app_id: t.env.id, identity: "srv@example.com", event: "A", session_id: "777000111", timestamp: T0 });
    await post(t.url, "/api/track", { app_id: t.env.id, identity: "srv@example.com", event: "B", session_id: 777000111, timestamp: T0 + 3 * 3600_000 });
    const [srv] = await rows(t.database.db, sql`select id::text as id, source, event_count from sessions where env_id = ${t.env.id} and id = 777000111`);
    expect(srv).toEqual({ id: "777000111", source: "server", event_count: 2 });
  });
});
