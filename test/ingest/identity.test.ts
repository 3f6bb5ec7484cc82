// Identity over real HTTP: identify, cross-device merges, refused identities, the server API,
// and parallel identifies while events stream in.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { JUNK_IDENTITIES } from "../../src/ingest/identity";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { click, collect, countOf, custom, identifyMsg, newDevice, pageview, post, rows, T0 } from "../helpers/ingest";

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); }, 60_000);
afterAll(() => t.close());

const userRow = async (id: string) => (await rows(t.database.db, sql`select * from users where env_id = ${t.env.id} and id = ${id}`))[0];
const eventsOf = async (userId: string) => rows(t.database.db, sql`select * from events where env_id = ${t.env.id} and user_id = ${userId} order by time`);
const userOfIdentity = async (identity: string) => rows(t.database.db, sql`select id::text as id from users where env_id = ${t.env.id} and identity = ${identity}`);

describe(`identity (${driver})`, () => {
  test("identify on an anonymous user: the user takes the identity and keeps its earlier events", async () => {
    const d = newDevice(t.env.id);
    expect((await collect(t.url, d, [pageview(T0), click(T0 + 1000)])).status).toBe(200);
    const r = await collect(t.url, d, [identifyMsg(T0 + 2000, "ann@example.com"), custom(T0 + 3000, "Signed in")]);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, accepted: 2, dropped: 0, userId: d.userId, warnings: [] });
    const u = await userRow(d.userId);
    expect(u.identity).toBe("ann@example.com");
    expect(u.identified_at).not.toBeNull();
    expect((await eventsOf(d.userId)).length).toBe(3);
  });

  test("the same identity from another device merges that device's anonymous user into the identified one", async () => {
    const phone = newDevice(t.env.id, "ios");
    const laptop = newDevice(t.env.id);
    // The laptop is seen first (earliest session → initial properties), anonymous, with a property.
    await collect(t.url, laptop, [pageview(T0 - 3600_000, "https://shop.example/?utm_source=mail&utm_campaign=spring"), { kind: "user_properties", time: T0 - 3600_000, properties: { plan: "free", color: "red" } }]);
    await collect(t.url, phone, [{ kind: "event", id: crypto.randomUUID(), type: "screen_view", time: T0, page: { path: "Home" } }, identifyMsg(T0 + 1, "bob@example.com"), { kind: "user_properties", time: T0 + 2, properties: { plan: "pro" } }], { device: { os: "iOS", osVersion: "17.2", model: "iPhone15,2", appName: "Shop", appVersion: "2.3.1" } });
    const r = await collect(t.url, laptop, [identifyMsg(T0 + 10_000, "bob@example.com"), custom(T0 + 11_000, "After merge")]);
    expect(r.status).toBe(200);
    expect(r.json.userId).toBe(phone.userId);

    const survivor = await userRow(phone.userId);
    expect(survivor.identity).toBe("bob@example.com");
    expect(await userRow(laptop.userId)).toBeUndefined();
    // Identified user's values win on conflict; the rest is a union.
    expect(survivor.properties).toMatchObject({ plan: "pro", color: "red" });
    // Initial properties from the earliest session (the laptop's web visit).
    expect(survivor.initial).toMatchObject({ source: "web", utm_source: "mail", utm_campaign: "spring", browser: "Chrome" });
    expect(new Date(survivor.first_seen).getTime()).toBe(T0 - 3600_000);
    // Web and iOS sessions in one timeline; nothing left under the old id.
    const sessions = await rows(t.database.db, sql`select source from sessions where env_id = ${t.env.id} and user_id = ${phone.userId} order by started_at`);
    expect(new Set(sessions.map((s) => s.source))).toEqual(new Set(["web", "ios"]));
    expect((await eventsOf(laptop.userId)).length).toBe(0);
    expect((await eventsOf(phone.userId)).length).toBe(3);
    const [merge] = await rows(t.database.db, sql`select * from identity_merges where env_id = ${t.env.id} and from_user_id = ${laptop.userId}`);
    expect(merge).toMatchObject({ identity: "bob@example.com", reason: "identify" });
    expect(String(merge.into_user_id)).toBe(phone.userId);
    expect(merge.at).not.toBeNull();

    // A late batch still carrying the laptop's old user id lands on the survivor.
    const late = await collect(t.url, laptop, [custom(T0 + 20_000, "Late")]);
    expect(late.json.userId).toBe(phone.userId);
    expect((await eventsOf(phone.userId)).map((e) => e.name)).toContain("Late");
    expect((await eventsOf(laptop.userId)).length).toBe(0);
  });

  test("a late event with the old id lands on the survivor after a restart (cold caches read the alias)", async () => {
    const a = newDevice(t.env.id);
    const b = newDevice(t.env.id);
    await collect(t.url, a, [identifyMsg(T0, "cold@example.com"), pageview(T0)]);
    await collect(t.url, b, [pageview(T0 + 5), identifyMsg(T0 + 6, "cold@example.com")]);
    t.ctx.ingest.state.clear();
    const late = await collect(t.url, b, [custom(T0 + 60_000, "Late after restart")]);
    expect(late.json.userId).toBe(a.userId);
    expect((await eventsOf(b.userId)).length).toBe(0);
    expect((await eventsOf(a.userId)).length).toBe(3);
  });

  test("a different identity on an identified device merges nothing (warning); a new user id is a new user", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [identifyMsg(T0, "carol@example.com"), pageview(T0)]);
    const r = await collect(t.url, d, [identifyMsg(T0 + 1000, "dave@example.com")]);
    expect(r.status).toBe(200);
    expect(r.json.warnings[0]).toStartWith("identity_conflict");
    expect((await userRow(d.userId)).identity).toBe("carol@example.com");
    expect(await userOfIdentity("dave@example.com")).toEqual([]);
    // resetIdentity(): the client makes a new user id and session → a new anonymous user.
    const reset = { ...newDevice(t.env.id) };
    const r2 = await collect(t.url, reset, [pageview(T0 + 2000)]);
    expect(r2.json.userId).toBe(reset.userId);
    expect((await userRow(reset.userId)).identity).toBeNull();
    const r3 = await collect(t.url, reset, [identifyMsg(T0 + 3000, "dave@example.com")]);
    expect(r3.json.userId).toBe(reset.userId);
    expect(await userOfIdentity("dave@example.com")).toEqual([{ id: reset.userId }]);
  });

  test("junk identities are refused with a warning and never merge anyone", async () => {
    const junk = [...JUNK_IDENTITIES.map((j) => (j === "[object object]" ? "[object Object]" : j.toUpperCase())), "  "];
    const first = newDevice(t.env.id);
    const second = newDevice(t.env.id);
    for (const d of [first, second]) {
      const r = await collect(t.url, d, [pageview(T0), ...junk.map((j, i) => identifyMsg(T0 + i + 1, j))]);
      expect(r.status).toBe(200);
      expect(r.json.warnings.length).toBe(junk.length);
      for (const w of r.json.warnings) expect(w).toStartWith("junk_identity");
    }
    expect((await userRow(first.userId)).identity).toBeNull();
    expect((await userRow(second.userId)).identity).toBeNull();
    const bad = await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: first.userId, identity: "null" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: "junk_identity", field: "identity" });
  });

  test("server identify: takes, repeats as a no-op, refuses a second identity, merges into a holder", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [pageview(T0)]);
    const ok = await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: d.userId, identity: "erin@example.com" });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ ok: true, userId: d.userId });
    expect((await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: d.userId, identity: "erin@example.com" })).status).toBe(200);
    const conflict = await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: d.userId, identity: "frank@example.com" });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error).toMatchObject({ code: "identity_conflict", field: "identity" });
    expect((await userRow(d.userId)).identity).toBe("erin@example.com");

    // Another anonymous user identified by the server with erin's identity is merged into erin.
    const other = newDevice(t.env.id);
    await collect(t.url, other, [pageview(T0 + 100)]);
    const merged = await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: Number(other.userId), identity: "erin@example.com" });
    expect(merged.json.userId).toBe(d.userId);
    expect((await eventsOf(d.userId)).length).toBe(2);
    const [m] = await rows(t.database.db, sql`select reason from identity_merges where env_id = ${t.env.id} and from_user_id = ${other.userId}`);
    expect(m.reason).toBe("identify_api");
    // A user id never seen before simply takes the identity.
    const fresh = await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: "123456789", identity: "gina@example.com" });
    expect(fresh.json.userId).toBe("123456789");
  });

  test("parallel identifies from several devices while events stream in: one user, nothing stranded", async () => {
    const people = ["p1@example.com", "p2@example.com", "p3@example.com"];
    const devices = people.flatMap((identity) => Array.from({ length: 4 }, (_, i) => ({ identity, d: newDevice(t.env.id, (["web", "ios", "android", "web"] as const)[i]) })));
    let acknowledged = 0;
    const stream = async ({ identity, d }: (typeof devices)[number], k: number) => {
      for (let round = 0; round < 6; round++) {
        const base = T0 + 100_000 + round * 1000 + k;
        const msgs: unknown[] = [custom(base, `round ${round}`), custom(base + 1, `round ${round} b`)];
        if (round === 2) msgs.splice(1, 0, identifyMsg(base, identity));
        const r = await collect(t.url, d, msgs);
        expect(r.status).toBe(200);
        acknowledged += r.json.accepted - (round === 2 ? 1 : 0);
      }
    };
    await Promise.all(devices.map((dev, k) => stream(dev, k)));
    // Late events with every device's original (possibly merged-away) user id.
    const late = await Promise.all(devices.map(({ d }, k) => collect(t.url, d, [custom(T0 + 200_000 + k, "late")])));
    for (const r of late) acknowledged += r.json.accepted;

    for (const identity of people) {
      const holders = await userOfIdentity(identity);
      expect(holders.length).toBe(1);
      const mine = devices.filter((x) => x.identity === identity);
      const [n] = await rows(t.database.db, sql`select count(*)::int as n from events where env_id = ${t.env.id} and user_id = ${holders[0].id}`);
      expect(Number(n.n)).toBe(mine.length * 13);
      for (const r of late.filter((_, k) => devices[k].identity === identity)) expect(r.json.userId).toBe(holders[0].id);
    }
    // No event or session points at a user that no longer exists.
    const [stranded] = await rows(t.database.db, sql`select
        (select count(*)::int from events e where e.env_id = ${t.env.id} and not exists (select 1 from users u where u.env_id = e.env_id and u.id = e.user_id)) as events,
        (select count(*)::int from sessions s where s.env_id = ${t.env.id} and not exists (select 1 from users u where u.env_id = s.env_id and u.id = s.user_id)) as sessions`);
    expect(stranded).toEqual({ events: 0, sessions: 0 });
    expect(acknowledged).toBe(devices.length * 13);
    // Event counts on sessions add up to the events stored.
    const [sums] = await rows(t.database.db, sql`select (select sum(event_count)::int from sessions where env_id = ${t.env.id}) as counted,
        (select count(*)::int from events where env_id = ${t.env.id}) as stored`);
    expect(sums.counted).toBe(sums.stored);
    expect(await countOf(t.database.db, "identity_merges", t.env.id)).toBeGreaterThanOrEqual(people.length * 3);
  });
});
