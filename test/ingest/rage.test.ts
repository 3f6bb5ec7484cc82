// Rage clicks over real HTTP: ≥3 clicks by one user on one hierarchy within 1 s flag every click of the
// burst — within one request, split across requests, and across a restart (cold cache).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import type { LiveBatch } from "../../src/live/bus";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { click, collect, newDevice, rows, T0, type Device } from "../helpers/ingest";

/** A click on an unnamed button (no id, no naming attribute) whose classes the page keeps changing. */
const restyled = (time: number, classes: string[], text = "Retry") => {
  const c = click(time);
  const hierarchy = [{ tag: "html" }, { tag: "body" }, { tag: "div", classes: ["card", ...classes] }, { tag: "button", classes: ["btn", ...classes], attrs: { type: "button" } }];
  return { ...c, target: { text, tag: "button", id: null, classes: ["btn", ...classes], hierarchy } };
};

let t: TestApp;
const published: LiveBatch[] = [];
beforeAll(async () => {
  t = await startTestApp();
  t.ctx.bus.subscribe((b) => published.push(b));
}, 60_000);
afterAll(() => t.close());

const rageOf = async (d: Device) =>
  (await rows(t.database.db, sql`select rage from events where env_id = ${t.env.id} and user_id = ${d.userId} order by time`)).map((r) => r.rage);

describe(`rage clicks (${driver})`, () => {
  test("a burst within one request flags every click of it, and only those", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [click(T0), click(T0 + 300), click(T0 + 900), click(T0 + 3000)]);
    expect(await rageOf(d)).toEqual([true, true, true, false]);
  });

  test("a burst split across two requests back-flags the stored clicks and announces them", async () => {
    const d = newDevice(t.env.id);
    const first = [click(T0), click(T0 + 200)];
    await collect(t.url, d, first);
    expect(await rageOf(d)).toEqual([false, false]);
    published.length = 0;
    const third = click(T0 + 400);
    await collect(t.url, d, [third]);
    expect(await rageOf(d)).toEqual([true, true, true]);
    await Bun.sleep(5);
    const announced = published.flatMap((b) => b.rageEventIds).sort();
    expect(announced).toEqual([first[0].id, first[1].id, third.id].sort());
  });

  test("the burst is found across a restart (the click cache is cold and reads the database)", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [click(T0 + 10_000), click(T0 + 10_500)]);
    t.ctx.ingest.state.clear();
    await collect(t.url, d, [click(T0 + 10_900)]);
    expect(await rageOf(d)).toEqual([true, true, true]);
  });

  test("out-of-order arrival: the middle click of a burst arriving last still flags all three", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [click(T0 + 20_000), click(T0 + 20_800)]);
    await collect(t.url, d, [click(T0 + 20_400)]);
    expect(await rageOf(d)).toEqual([true, true, true]);
  });

  test("a burst on one element is a burst whatever its classes do between clicks (hover, focus, animation)", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [restyled(T0 + 30_000, ["pulse-1"]), restyled(T0 + 30_150, ["pulse-2", "hover"]), restyled(T0 + 30_300, ["pulse-3", "focus-visible"])]);
    await collect(t.url, d, [restyled(T0 + 30_450, ["pulse-4", "is-loading"])]);
    const stored = await rows(t.database.db, sql`select hierarchy, rage from events where env_id = ${t.env.id} and user_id = ${d.userId} order by time`);
    expect(new Set(stored.map((r) => r.hierarchy)).size).toBe(4);
    expect(stored.map((r) => r.rage)).toEqual([true, true, true, true]);
    // Look-alike buttons told apart only by their text (a keypad) are different targets.
    const k = newDevice(t.env.id);
    await collect(t.url, k, ["7", "8", "9"].map((key, i) => restyled(T0 + 40_000 + i * 100, [], key)));
    expect(await rageOf(k)).toEqual([false, false, false]);
  });

  test("no burst: other targets, slower clicks, or clicks of different users", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [click(T0, "a"), click(T0 + 100, "b"), click(T0 + 200, "a"), click(T0 + 300, "b")]);
    await collect(t.url, d, [click(T0 + 5000), click(T0 + 5600), click(T0 + 6200)]);
    expect(await rageOf(d)).toEqual([false, false, false, false, false, false, false]);
    const a = newDevice(t.env.id);
    const b = newDevice(t.env.id);
    await collect(t.url, a, [click(T0 + 50_000), click(T0 + 50_100)]);
    await collect(t.url, b, [click(T0 + 50_200)]);
    expect([...(await rageOf(a)), ...(await rageOf(b))]).toEqual([false, false, false]);
  });
});
