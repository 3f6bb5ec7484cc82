// LOUPE_RATE_LIMIT: requests per second per environment, with a burst of two seconds' worth; over it,
// 429 with Retry-After, and other environments are unaffected.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEnvironment } from "../../src/environments/environments";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { post } from "../helpers/ingest";

let t: TestApp;
beforeAll(async () => { t = await startTestApp({ LOUPE_RATE_LIMIT: "2" }); }, 60_000);
afterAll(() => t.close());

describe(`ingest rate limit (${driver})`, () => {
  test("over the per-environment rate: 429 with Retry-After; another environment still accepted", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const r = await post(t.url, "/api/track", { app_id: t.env.id, identity: "rate@example.com", event: `E${i}` });
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers.get("retry-after");
        expect(r.json.error.code).toBe("rate_limited");
      }
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const other = await createEnvironment(t.database.db, "Other");
    expect((await post(t.url, "/api/track", { app_id: other.id, identity: "rate@example.com", event: "E" })).status).toBe(200);
  });
});
