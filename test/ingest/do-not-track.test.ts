// An environment that asks to honour Do-Not-Track / Global Privacy Control drops such browsers'
// requests on the server too (2xx, nothing stored, counted) — even from a snippet tag pasted before
// the switch was turned on. Environments that don't ask store them as usual.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { environments } from "../../src/db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { collect, countOf, newDevice, pageview, T0 } from "../helpers/ingest";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(() => t.close());

describe(`Do-Not-Track and GPC (${driver})`, () => {
  test("stored while the environment does not ask; dropped and counted once it does", async () => {
    const before = await collect(t.url, newDevice(t.env.id), [pageview(T0)], {}, { dnt: "1" });
    expect(before.json).toMatchObject({ ok: true, accepted: 1, dropped: 0 });

    // A second environment that asks (set directly: ingestion reads settings when it first meets an environment).
    const [asking] = await t.database.db.insert(environments).values({ id: "5550000001", name: "Private", settings: { respectDnt: true } }).returning();
    for (const headers of [{ dnt: "1" }, { "sec-gpc": "1" }] as Record<string, string>[]) {
      const r = await collect(t.url, newDevice(asking.id), [pageview(T0), pageview(T0 + 1)], {}, headers);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ ok: true, accepted: 0, dropped: 2 });
    }
    expect(await countOf(t.database.db, "events", asking.id)).toBe(0);
    expect(await countOf(t.database.db, "users", asking.id)).toBe(0);

    // Browsers without the signal are still recorded there.
    const plain = await collect(t.url, newDevice(asking.id), [pageview(T0)], {}, { dnt: "0" });
    expect(plain.json).toMatchObject({ ok: true, accepted: 1, dropped: 0 });
    expect(await countOf(t.database.db, "events", asking.id)).toBe(1);

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('loupe_events_dropped_total{reason="do_not_track"} 4');
  });
});
