// Hostile input at the ingest boundary: an environment id only appends to its own environment;
// hostile property keys and values are stored as inert data, limited, never executed or interpreted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createEnvironment, type Environment } from "../../src/environments/environments";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { collect, countOf, custom, identifyMsg, newDevice, pageview, post, rows, T0 } from "../helpers/ingest";

let t: TestApp;
let other: Environment;
beforeAll(async () => {
  t = await startTestApp();
  other = await createEnvironment(t.database.db, "Other product");
}, 60_000);
afterAll(() => t.close());

describe(`ingest security (${driver})`, () => {
  test("an environment id only appends to its own environment, even with another environment's ids", async () => {
    const victim = newDevice(other.id);
    await collect(t.url, victim, [pageview(T0), identifyMsg(T0 + 1, "victim@example.com")]);
    const before = await rows(t.database.db, sql`select count(*)::int as n from events where env_id = ${other.id}`);
    // The attacker reuses the victim's user id, session id, event id and identity with their own env id.
    const attacker = { ...victim, envId: t.env.id };
    const r = await collect(t.url, attacker, [{ ...pageview(T0 + 2), id: crypto.randomUUID() }, identifyMsg(T0 + 3, "victim@example.com"), { kind: "user_properties", time: T0 + 4, properties: { owned: true } }]);
    expect(r.status).toBe(200);
    await post(t.url, "/api/track", { app_id: t.env.id, identity: "victim@example.com", event: "Spoof", session_id: victim.sessionId });
    await post(t.url, "/api/add_user_properties", { app_id: t.env.id, identity: "victim@example.com", properties: { owned: true } });
    expect(await rows(t.database.db, sql`select count(*)::int as n from events where env_id = ${other.id}`)).toEqual(before);
    const [v] = await rows(t.database.db, sql`select properties from users where env_id = ${other.id} and identity = 'victim@example.com'`);
    expect(v.properties).toEqual({});
    const [s] = await rows(t.database.db, sql`select event_count from sessions where env_id = ${other.id} and id = ${victim.sessionId}`);
    expect(s.event_count).toBe(1);
    expect(await countOf(t.database.db, "identity_merges", other.id)).toBe(0);
    // A duplicate event id in another environment is a different event.
    const shared = pageview(T0 + 10);
    expect((await collect(t.url, newDevice(other.id), [shared])).json.accepted).toBe(1);
    expect((await collect(t.url, newDevice(t.env.id), [shared])).json.accepted).toBe(1);
  });

  test("hostile property keys and values are stored verbatim as data", async () => {
    const hostile = JSON.parse(`{
      "__proto__": {"polluted": "yes"},
      "constructor": {"prototype": {"polluted": "yes"}},
      "prototype": "x",
      "'; drop table events; --": "1'); delete from users; --",
      "<script>alert(1)</script>": "<img src=x onerror=alert(1)>",
      "$where": "sleep(1000)",
      "a.b[0]": "dotted",
      "emoji 😀": "\\u0000 nul and 😀",
      "deep": {"a": {"b": {"c": {"d": [1, {"e": "f"}]}}}},
      "list": ["x", null, {"y": 1}, [2, 3]]
    }`);
    const d = newDevice(t.env.id);
    const r = await collect(t.url, d, [custom(T0, "<b>Name</b>'; --", hostile), { kind: "user_properties", time: T0, properties: hostile }]);
    expect(r.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const [e] = await rows(t.database.db, sql`select name, props from events where env_id = ${t.env.id} and user_id = ${d.userId}`);
    expect(e.name).toBe("<b>Name</b>'; --");
    const props = e.props as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(props, "__proto__")).toBe(true);
    expect(props["__proto__"]).toBe('{"polluted":"yes"}');
    expect(props["constructor"] as unknown).toBe('{"prototype":{"polluted":"yes"}}');
    expect(props["'; drop table events; --"]).toBe("1'); delete from users; --");
    expect(props["<script>alert(1)</script>"]).toBe("<img src=x onerror=alert(1)>");
    expect(props["emoji 😀"]).toContain("nul and 😀");
    expect(props.deep).toBe('{"a":{"b":{"c":{"d":[1,{"e":"f"}]}}}}');
    expect(props.list).toBe('x||null||{"y":1}||[2,3]');
    const [u] = await rows(t.database.db, sql`select properties from users where env_id = ${t.env.id} and id = ${d.userId}`);
    expect(u.properties["$where"]).toBe("sleep(1000)");
    expect(Object.prototype.hasOwnProperty.call(u.properties, "__proto__")).toBe(true);
    expect(await countOf(t.database.db, "users", t.env.id)).toBeGreaterThan(0);
  });

  test("hostile element hierarchies are escaped into the stored selector, never breaking its grammar", async () => {
    const d = newDevice(t.env.id);
    await collect(t.url, d, [{
      kind: "event", id: crypto.randomUUID(), type: "click", time: T0,
      target: { text: "<script>x</script>", tag: "BUTTON", hierarchy: [
        { tag: "body" },
        { tag: "div > a", id: "x y>z", classes: ["a.b", "c]"], attrs: { "data-x": 'q"] > evil[', onclick: "alert(1)", type: "submit" } },
      ] },
    }]);
    const [e] = await rows(t.database.db, sql`select hierarchy, target_text, target_tag from events where env_id = ${t.env.id} and user_id = ${d.userId}`);
    expect(e.hierarchy).toBe('body > diva#x\\ y\\>z.a\\.b.c\\][data-x="q\\"] > evil["][type="submit"]');
    expect(e.hierarchy).not.toContain("onclick");
    expect(e.target_text).toBe("<script>x</script>");
    expect(e.target_tag).toBe("button");
  });

  test("oversized and over-deep input is refused with a named field, not stored", async () => {
    const d = newDevice(t.env.id);
    const before = await countOf(t.database.db, "events", t.env.id);
    const tooMany = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i]));
    expect((await collect(t.url, d, [custom(T0, "x", tooMany)])).json.error.field).toBe("messages.0.properties");
    expect((await collect(t.url, d, [custom(T0, "x", { big: "y".repeat(1025) })])).json.error.field).toBe("messages.0.properties.big");
    expect((await collect(t.url, d, [custom(T0, "x", { deep: { v: "z".repeat(1100) } })])).json.error.field).toBe("messages.0.properties.deep");
    expect((await collect(t.url, d, [custom(T0, "n".repeat(1025))])).json.error.field).toBe("messages.0.name");
    expect((await collect(t.url, d, [identifyMsg(T0, "i".repeat(256))])).json.error.field).toBe("messages.0.identity");
    let nested: unknown = "leaf";
    for (let i = 0; i < 5000; i++) nested = [nested];
    const deep = await collect(t.url, d, [custom(T0, "x", { nested })]);
    expect(deep.status).toBe(400);
    expect(await countOf(t.database.db, "events", t.env.id)).toBe(before);
  });
});
