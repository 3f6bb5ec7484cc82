// Property-based fuzzing of every ingest endpoint over real HTTP (fast-check, fixed seed, bounded runs):
// bodies shaped like real requests with hostile leaves (lone surrogates, emoji at every limit, NUL, huge
// numbers, wrong types, deep nesting), plus arbitrary JSON and non-JSON. Never a 5xx; every 4xx is JSON
// naming the field; a refused request writes nothing (row counts before and after).
import { afterAll, beforeAll, describe, test } from "bun:test";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { post, rows } from "../helpers/ingest";

const SEED = 11;
const RUNS = 100;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOUPE_RATE_LIMIT: "0" });
}, 60_000);
afterAll(() => t.close());

const LIMITS_AT = [63, 64, 127, 128, 254, 255, 256, 511, 512, 1023, 1024, 2047, 2048, 4095, 4096];
const shortHostile = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 24 }) },
  { weight: 3, arbitrary: fc.constantFrom("\ud800", "\udfff", "a\ud83d", "\u0000", "\u0000\ud800", "😀", "", " ", "null", "undefined", "anonymous", "__proto__", "constructor", "<script>alert(1)</script>", "'; drop table events; --") },
);
const hostileString = fc.oneof(
  { weight: 9, arbitrary: shortHostile },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...LIMITS_AT), fc.constantFrom("😀", "\ud800", "\udc00", "\u0000", "é", "")).map(([n, tail]) => "a".repeat(n - tail.length + 1) + tail) },
);
const deep = fc.integer({ min: 60, max: 3000 }).map((n) => {
  let v: unknown = "leaf";
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { k: v };
  return v;
});
const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53, 2 ** 64, -0, 1e-320, 9007199254740993, 1e16, -1);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.oneof(fc.double(), fc.integer(), hugeNumber) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
);
/** Mostly what the field should hold, sometimes anything at all. */
const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: anyValue });
const props = fc.oneof(
  { weight: 30, arbitrary: fc.dictionary(hostileString, fc.oneof({ weight: 12, arbitrary: hostileString }, { weight: 1, arbitrary: anyValue }), { maxKeys: 6 }) },
  { weight: 1, arbitrary: deep.map((nested) => ({ nested })) },
);
const id53 = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }).map(String), fc.integer({ min: 0 }));
const time = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: -3_600_000, max: 3_600_000 }).map((d) => Date.now() + d) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 4e12 }) }, { weight: 1, arbitrary: hugeNumber });
const step = fc.record({ tag: field(fc.constantFrom("div", "button", "a")), id: field(shortHostile), classes: field(fc.array(shortHostile, { maxLength: 3 })), attrs: field(fc.dictionary(fc.constantFrom("type", "name", "data-x", "role", "onclick"), shortHostile)) }, { requiredKeys: ["tag"] });
const page = fc.record({ url: field(hostileString.map((s) => `https://shop.example/${s}`)), domain: field(hostileString), path: field(hostileString), query: field(hostileString), hash: field(hostileString), title: field(hostileString), referrer: field(hostileString) }, { requiredKeys: [] });
const target = fc.record({ text: field(hostileString), tag: field(hostileString), id: field(hostileString), classes: field(fc.array(hostileString, { maxLength: 3 })), href: field(hostileString), hierarchy: field(fc.array(step, { maxLength: 40 })) }, { requiredKeys: [] });
const event = fc.record({
  kind: fc.constant("event"), id: field(fc.uuid()), type: field(fc.constantFrom("pageview", "click", "custom", "screen_view", "submit")),
  name: field(hostileString), time: field(time), page: field(page), target: field(target), properties: field(props),
  screen: field(fc.record({ width: field(fc.nat(5000)), height: field(fc.nat(5000)) })),
}, { requiredKeys: ["kind", "id", "type", "time"] });
const message = fc.oneof(
  { weight: 12, arbitrary: event },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("identify"), time: field(time), identity: field(hostileString) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("user_properties"), time: field(time), properties: field(props) }) },
  { weight: 1, arbitrary: anyValue },
);
const envId = () => fc.oneof({ weight: 30, arbitrary: fc.constant(t.env.id) }, { weight: 1, arbitrary: anyValue });
const collectBody = () => fc.record({
  envId: envId(), source: field(fc.constantFrom("web", "ios", "android")), userId: field(id53), sessionId: field(id53),
  sentAt: field(time), library: field(fc.record({ name: hostileString, version: hostileString })),
  device: field(fc.record({ appName: hostileString, os: hostileString, model: hostileString }, { requiredKeys: [] })),
  messages: field(fc.array(message, { maxLength: 6 })),
}, { requiredKeys: ["envId", "userId", "sessionId", "source", "messages"] });
const subject = fc.oneof(fc.record({ identity: field(hostileString) }), fc.record({ user_id: field(id53) }), fc.record({ identity: field(hostileString), user_id: field(id53) }));
const trackItem = fc.tuple(subject, fc.record({ event: field(hostileString), properties: field(props), timestamp: field(fc.oneof(time, hostileString, fc.constant("2026-01-01T00:00:00Z"))), idempotency_key: field(hostileString), session_id: field(id53) }, { requiredKeys: ["event"] })).map(([s, r]) => ({ ...s, ...r }));
const userItem = fc.tuple(subject, fc.record({ properties: field(props) })).map(([s, r]) => ({ ...s, ...r }));
const singleOrBulk = (item: fc.Arbitrary<Record<string, unknown>>, key: string) =>
  fc.oneof(
    fc.tuple(envId(), item).map(([app_id, i]) => ({ app_id, ...i })),
    fc.tuple(envId(), field(fc.array(item, { minLength: 1, maxLength: 5 }))).map(([app_id, items]) => ({ app_id, [key]: items })),
  );
const identifyBody = () => fc.record({ app_id: envId(), user_id: field(id53), identity: field(hostileString), timestamp: field(time) }, { requiredKeys: ["app_id", "user_id", "identity"] });

/** A body: usually JSON of the endpoint's shape, sometimes any JSON, sometimes not JSON at all. */
const bodyFor = (shaped: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 8, arbitrary: shaped.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 4 }), deep).map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
  );

async function counts() {
  const [r] = await rows(t.database.db, sql`select
    (select count(*)::int from events where env_id = ${t.env.id}) as events,
    (select count(*)::int from users where env_id = ${t.env.id}) as users,
    (select count(*)::int from sessions where env_id = ${t.env.id}) as sessions`);
  return r as { events: number; users: number; sessions: number };
}

async function check(path: string, body: string) {
  const before = await counts();
  const res = await post(t.url, path, body);
  const after = await counts();
  const shown = `${path} ${body.slice(0, 300)} → ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`;
  if (res.status >= 500) throw new Error(`5xx: ${shown}`);
  if (res.status >= 400) {
    if (typeof res.json?.error?.field !== "string" || !res.json.error.field || typeof res.json.error.code !== "string") throw new Error(`4xx without a named field: ${shown}`);
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`a refused request wrote rows (${JSON.stringify(before)} → ${JSON.stringify(after)}): ${shown}`);
  } else if (after.events - before.events > (res.json.accepted ?? 0)) {
    throw new Error(`more events stored than acknowledged: ${shown}`);
  }
}

const ENDPOINTS: [string, () => fc.Arbitrary<unknown>][] = [
  ["/api/collect", collectBody],
  ["/api/track", () => singleOrBulk(trackItem, "events")],
  ["/api/add_user_properties", () => singleOrBulk(userItem, "users")],
  ["/api/v1/identify", identifyBody],
];

describe(`ingest fuzz (${driver}; seed ${SEED}, ${RUNS} runs per endpoint)`, () => {
  for (const [path, shape] of ENDPOINTS) {
    test(`${path}: never a 5xx, every 4xx names its field, refusals write nothing`, async () => {
      await fc.assert(fc.asyncProperty(bodyFor(shape()), (body) => check(path, body)), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    });
  }
});
