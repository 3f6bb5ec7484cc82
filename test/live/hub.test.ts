// The hub end to end: real ingest over HTTP, real WebSocket clients, pushes of rendered rows.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { InProcessBus } from "../../src/live/bus";
import { CATCH_UP } from "../../src/live/catch-up";
import { CLOSE, HUB, LiveHub } from "../../src/live/hub";
import { PAGE_PUSH } from "../../src/live/users-view";
import { LIVE_KINDS, liveHub } from "../../src/routes/live-hub";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import { collect, custom, identifyMsg, newDevice, pageview, type Device } from "../helpers/ingest";
import { liveClient, type LiveClient } from "../helpers/ws-client";

setDefaultTimeout(60_000);

let t: TestApp;
let admin: LoggedIn;
let alice: Device;
let bob: Device;

const filter = (identityContains: string) =>
  `f=${encodeURIComponent(JSON.stringify([{ k: "user", s: "identity", op: "contains", v: identityContains }]))}`;

async function send(d: Device, messages: unknown[]) {
  const res = await collect(t.url, d, messages);
  expect(res.status).toBeLessThan(300);
}

async function socket(): Promise<LiveClient> {
  const c = liveClient(`${t.url}/live`, { origin: t.url, cookie: admin.cookie });
  expect(await c.opened).toBe(true);
  await c.next((f) => f.type === "hello");
  return c;
}

async function subscribed(c: LiveClient, id: string, view: Record<string, unknown>, cursor = Date.now()) {
  c.send({ type: "subscribe", id, view, cursor });
  return c.next((f) => f.type === "push" && f.sub === id);
}

const pushesFor = (c: LiveClient, sub: string) => c.frames.filter((f) => f.type === "push" && f.sub === sub && f.content);
const count = (text: string, needle: string) => text.split(needle).length - 1;

beforeAll(async () => {
  t = await startTestApp();
  admin = await loginAs(t);
  alice = newDevice(t.env.id);
  bob = newDevice(t.env.id);
  await send(alice, [identifyMsg(Date.now(), "alice@example.com"), pageview(Date.now())]);
  await send(bob, [identifyMsg(Date.now(), "bob@example.com"), pageview(Date.now())]);
}, 60_000);
afterAll(() => t.close());

describe("Users page view", () => {
  test("activity of a matching user is pushed to the view that shows them, and only there", async () => {
    const a = await socket();
    const b = await socket();
    await subscribed(a, "p", { kind: "users", envId: t.env.id, query: filter("alice") });
    await subscribed(b, "p", { kind: "users", envId: t.env.id, query: filter("bob") });
    await Bun.sleep(HUB.coalesceMs * 2);
    a.frames.length = 0; // forget the subscriptions' catch-up pushes
    b.frames.length = 0;
    await send(alice, [pageview(Date.now(), "https://shop.example/checkout")]);
    const push = await a.next((f) => f.sub === "p" && typeof f.content === "string" && f.content.includes(`id="user-${alice.userId}"`));
    expect(push.content).toContain('hx-swap="liveTop"');
    expect(push.content).toContain('class="badge live"');
    expect(push.cursor).toBeGreaterThan(0);
    // Sentinel: bob's activity after alice's reaches b; had alice's row been pushed there, it would have come first.
    await send(bob, [pageview(Date.now(), "https://shop.example/after")]);
    await b.next((f) => f.sub === "p" && typeof f.content === "string" && f.content.includes(`id="user-${bob.userId}"`));
    expect(pushesFor(b, "p").some((f) => f.content.includes(`user-${alice.userId}`))).toBe(false);
    a.ws.close();
    b.ws.close();
  });

  test("pages showing the same view share one render per push", async () => {
    const hub = liveHub(t.ctx);
    const clients = await Promise.all([socket(), socket(), socket(), socket()]);
    for (const c of clients) await subscribed(c, "p", { kind: "users", envId: t.env.id, query: "" });
    await Bun.sleep(HUB.coalesceMs * 2);
    for (const c of clients) c.frames.length = 0; // forget the catch-up pushes of the subscription
    const before = hub.stats.renders;
    await send(alice, [pageview(Date.now())]);
    for (const c of clients) await c.next((f) => f.sub === "p" && typeof f.content === "string" && f.content.includes(`user-${alice.userId}`));
    // One render for the push, at most one more for a deferred count on the timer; never one per page.
    expect(hub.stats.renders - before).toBeLessThanOrEqual(2);
    for (const c of clients) c.ws.close();
  });

  test("a burst of batches is coalesced into few pushes", async () => {
    const c = await socket();
    await subscribed(c, "p", { kind: "users", envId: t.env.id, query: "" });
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(i % 2 ? alice : bob, [custom(Date.now(), "burst")])));
    // Sentinel: a user first seen after the burst; every push of the burst comes before (or with) theirs.
    const carol = newDevice(t.env.id);
    await send(carol, [identifyMsg(Date.now(), "carol@example.com"), pageview(Date.now())]);
    const last = await c.next((f) => f.sub === "p" && typeof f.content === "string" && f.content.includes(`id="user-${carol.userId}"`));
    const pushes = pushesFor(c, "p").slice(0, pushesFor(c, "p").indexOf(last) + 1);
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.length).toBeLessThan(10); // eleven batches, fewer than ten pushes
    c.ws.close();
  });

  test("a burst of more matching users than a screenful pushes the newest screenful, newest first", async () => {
    const c = await socket();
    await subscribed(c, "p", { kind: "users", envId: t.env.id, query: filter("@cap.test") });
    await Bun.sleep(HUB.coalesceMs * 2);
    c.frames.length = 0;
    const n = PAGE_PUSH.maxRows + 5;
    const now = Date.now();
    // One bulk request is one batch: user i was active i seconds after user 0.
    const events = Array.from({ length: n }, (_, i) => ({ identity: `u${i}@cap.test`, event: "cap", properties: {}, timestamp: now - (n - i) * 1000 }));
    const res = await fetch(`${t.url}/api/track`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ app_id: t.env.id, events }) });
    expect(res.status).toBe(200);
    const push = await c.next((f) => f.sub === "p" && typeof f.content === "string" && f.content.includes("@cap.test"));
    const shown = [...(push.content as string).matchAll(/u(\d+)@cap\.test/g)].map((m) => Number(m[1])).filter((x, i, all) => all.indexOf(x) === i);
    expect(shown).toEqual(Array.from({ length: PAGE_PUSH.maxRows }, (_, i) => n - 1 - i));
    c.ws.close();
  });

  test("a bad view is a clear error, not a closed socket", async () => {
    const c = await socket();
    c.send({ type: "subscribe", id: "bad", view: { kind: "users", envId: t.env.id, query: "sort=sideways" } });
    const err = await c.next((f) => f.type === "error" && f.sub === "bad");
    expect(err.message).toContain("sort");
    c.ws.close();
  });
});

describe("user page and session page", () => {
  test("a new session appears on the user page; new events append to the open session", async () => {
    const c = await socket();
    await subscribed(c, "u", { kind: "user", envId: t.env.id, userId: Number(alice.userId) });
    await subscribed(c, "s", { kind: "session", envId: t.env.id, userId: Number(alice.userId), sessionId: Number(alice.sessionId) });
    const ev = custom(Date.now(), "added_to_cart");
    await send(alice, [ev]);
    const appended = await c.next((f) => f.sub === "s" && typeof f.content === "string" && f.content.includes(`event-${ev.id}`));
    expect(appended.content).toContain('hx-swap="liveAppend"');
    expect(appended.content).toContain("added_to_cart");

    const laptop: Device = { ...newDevice(t.env.id), userId: alice.userId };
    await send(laptop, [pageview(Date.now())]);
    const session = await c.next((f) => f.sub === "u" && typeof f.content === "string" && f.content.includes(`session-${laptop.sessionId}`));
    expect(session.content).toContain('hx-swap="liveTop"');
    c.ws.close();
  });
});

describe("catch-up after a reconnect", () => {
  test("events ingested while disconnected arrive once each on resubscribe", async () => {
    const first = await socket();
    const view = { kind: "session", envId: t.env.id, userId: Number(bob.userId), sessionId: Number(bob.sessionId) };
    const hello = await subscribed(first, "s", view);
    const cursor = hello.cursor as number;
    first.ws.close();
    await first.closed;

    const missed = Array.from({ length: 5 }, (_, i) => custom(Date.now() + i, `missed_${i}`));
    await send(bob, missed);
    await Bun.sleep(50);

    const again = await socket();
    again.send({ type: "subscribe", id: "s", view, cursor });
    const caught = await again.next((f) => f.sub === "s" && typeof f.content === "string" && f.content.includes("missed_4"));
    for (const e of missed) expect(count(caught.content, `id="event-${e.id}"`)).toBe(1);
    expect(caught.cursor).toBeGreaterThan(cursor);
    again.ws.close();
  });

  test("a cursor older than the catch-up window asks the page to reload", async () => {
    const c = await socket();
    c.send({ type: "subscribe", id: "s", view: { kind: "user", envId: t.env.id, userId: 1 }, cursor: Date.now() - CATCH_UP.maxMs - 1000 });
    await c.next((f) => f.type === "reload" && f.sub === "s");
    c.ws.close();
  });
});

describe("abuse", () => {
  test("a socket flooding messages is closed", async () => {
    const c = await socket();
    for (let i = 0; i <= HUB.maxMessagesPerMinute; i++) c.send({ type: "ping" });
    expect((await c.closed).code).toBe(CLOSE.protocol);
  });
});

describe("back-pressure", () => {
  test("a client whose unsent bytes pass the limit is dropped with 1013 (it reconnects and catches up)", async () => {
    const bus = new InProcessBus();
    const hub = new LiveHub(t.ctx.db, bus, "test", LIVE_KINDS);
    let closedWith = 0;
    let buffered = 0;
    const conn = hub.open({ send: (text) => void (buffered += text.length), close: (code) => void (closedWith = code), bufferedAmount: () => buffered }, { kind: "account", accountId: 1, sessionToken: "x" });
    expect(hub.connections.has(conn)).toBe(true);
    buffered = HUB.maxBufferedBytes + 1;
    await hub.message(conn, JSON.stringify({ type: "ping" }));
    expect(closedWith).toBe(CLOSE.slow);
    expect(hub.connections.has(conn)).toBe(false);
    expect(hub.stats.dropped).toBe(1);
    hub.close();
  });
});
