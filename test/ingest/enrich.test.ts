// Enrichment over real HTTP: bots dropped and counted, location from a MaxMind-format file or trusted
// proxy headers (never untrusted ones), raw IPs kept only when enabled, /metrics behind a token.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { collect, countOf, newDevice, pageview, rows, T0 } from "../helpers/ingest";
import { buildMmdb } from "../helpers/mmdb";

const london = { country: { iso_code: "GB", names: { en: "United Kingdom" } }, subdivisions: [{ iso_code: "ENG", names: { en: "England" } }], city: { names: { en: "London" } } };
const dir = mkdtempSync(join(tmpdir(), "loupe-geo-"));
const geoFile = join(dir, "city.mmdb");
writeFileSync(geoFile, buildMmdb([["81.2.69.0/24", london], ["2.125.160.0/20", { country: { iso_code: "FR" } }]]));
const TOKEN = "metrics-secret-0123456789";

let plain: TestApp;
let geo: TestApp;
let proxy: TestApp;
beforeAll(async () => {
  plain = await startTestApp();
  geo = await startTestApp({ LOUPE_GEOIP_DB: geoFile, LOUPE_TRUST_PROXY: "true", LOUPE_STORE_IP: "true", LOUPE_METRICS_TOKEN: TOKEN });
  proxy = await startTestApp({ LOUPE_TRUST_PROXY: "true" });
}, 120_000);
afterAll(async () => {
  await Promise.all([plain.close(), geo.close(), proxy.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const sessionOf = async (t: TestApp, userId: string) =>
  (await rows(t.database.db, sql`select country, region, city, ip, browser from sessions where env_id = ${t.env.id} and user_id = ${userId}`))[0];

describe(`enrichment (${driver})`, () => {
  test("bots (incl. headless browsers and missing user agents) are accepted with 2xx, dropped and counted", async () => {
    const bots = ["Googlebot/2.1 (+http://www.google.com/bot.html)", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36", ""];
    for (const ua of bots) {
      const d = newDevice(plain.env.id);
      const r = await collect(plain.url, d, [pageview(T0), pageview(T0 + 1)], {}, { "user-agent": ua });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ ok: true, accepted: 0, dropped: 2 });
    }
    expect(await countOf(plain.database.db, "events", plain.env.id)).toBe(0);
    expect(await countOf(plain.database.db, "users", plain.env.id)).toBe(0);
    // A duplicate is dropped and counted too.
    const d = newDevice(plain.env.id);
    const pv = pageview(T0);
    await collect(plain.url, d, [pv]);
    const again = await collect(plain.url, d, [pv]);
    expect(again.json).toMatchObject({ accepted: 0, dropped: 1 });
    const metrics = await (await fetch(`${plain.url}/metrics`)).text();
    expect(metrics).toContain('loupe_events_dropped_total{reason="bot"} 6');
    expect(metrics).toContain('loupe_events_dropped_total{reason="duplicate"} 1');
    expect(metrics).toContain('loupe_events_accepted_total{source="web"} 1');
    expect(metrics).toMatch(/loupe_http_requests_total\{route="\/api\/collect",status="200"\} 5/);
    expect(metrics).toContain("loupe_ingest_commit_seconds_bucket");
    expect(metrics).toContain("# TYPE loupe_ingest_batch_events histogram");
  });

  test("without a trusted proxy, forwarded IPs and location headers are ignored and no IP is kept", async () => {
    const d = newDevice(plain.env.id);
    await collect(plain.url, d, [pageview(T0)], {}, { "x-forwarded-for": "81.2.69.160", "cf-ipcountry": "FR", "x-vercel-ip-city": "Paris" });
    expect(await sessionOf(plain, d.userId)).toMatchObject({ country: null, region: null, city: null, ip: null, browser: "Chrome" });
  });

  test("with LOUPE_GEOIP_DB: country/region/city from the file for the (trusted) client IP; IP kept when enabled", async () => {
    const d = newDevice(geo.env.id);
    await collect(geo.url, d, [pageview(T0)], {}, { "x-forwarded-for": "81.2.69.160, 10.0.0.1", "cf-ipcountry": "FR" });
    expect(await sessionOf(geo, d.userId)).toEqual({ country: "GB", region: "England", city: "London", ip: "81.2.69.160", browser: "Chrome" });
    const [u] = await rows(geo.database.db, sql`select initial from users where env_id = ${geo.env.id} and id = ${d.userId}`);
    expect(u.initial).toMatchObject({ country: "GB", region: "England", city: "London" });
    const fr = newDevice(geo.env.id);
    await collect(geo.url, fr, [pageview(T0)], {}, { "x-forwarded-for": "2.125.170.1" });
    expect(await sessionOf(geo, fr.userId)).toMatchObject({ country: "FR", region: null, city: null });
  });

  test("with a trusted proxy and no GeoIP file: location from the proxy's headers", async () => {
    const v = newDevice(proxy.env.id);
    await collect(proxy.url, v, [pageview(T0)], {}, { "x-vercel-ip-country": "US", "x-vercel-ip-country-region": "CA", "x-vercel-ip-city": "San%20Francisco" });
    expect(await sessionOf(proxy, v.userId)).toMatchObject({ country: "US", region: "CA", city: "San Francisco", ip: null });
    const cf = newDevice(proxy.env.id);
    await collect(proxy.url, cf, [pageview(T0)], {}, { "cf-ipcountry": "de" });
    expect(await sessionOf(proxy, cf.userId)).toMatchObject({ country: "DE" });
  });

  test("out of the box: the country from the embedded database, for a trusted proxy's client or a relayed device's declared ip", async () => {
    const behind = newDevice(proxy.env.id);
    await collect(proxy.url, behind, [pageview(T0)], {}, { "x-forwarded-for": "81.2.69.142" });
    expect(await sessionOf(proxy, behind.userId)).toMatchObject({ country: "GB", region: null, city: null });
    // Without any proxy: a sender relaying a device's events names its address.
    const relayed = newDevice(plain.env.id);
    expect((await collect(plain.url, relayed, [pageview(T0)], { ip: "5.9.0.1" })).status).toBe(200);
    expect(await sessionOf(plain, relayed.userId)).toMatchObject({ country: "DE", ip: null });
    const v6 = newDevice(plain.env.id);
    await collect(plain.url, v6, [pageview(T0)], { ip: "2a01:4f8::1" });
    expect(await sessionOf(plain, v6.userId)).toMatchObject({ country: "DE" });
    // A declared address replaces what the sender's own proxy says; addresses that locate nobody locate nobody.
    const over = newDevice(proxy.env.id);
    await collect(proxy.url, over, [pageview(T0)], { ip: "200.160.2.3" }, { "x-forwarded-for": "81.2.69.142", "cf-ipcountry": "FR" });
    expect(await sessionOf(proxy, over.userId)).toMatchObject({ country: "BR" });
    for (const ip of ["192.0.2.10", "10.1.2.3", "::1", "2001:db8::5"]) {
      const d = newDevice(plain.env.id);
      await collect(plain.url, d, [pageview(T0)], { ip });
      expect(await sessionOf(plain, d.userId)).toMatchObject({ country: null });
    }
    // A configured city database still wins, for a declared address too (and the IP is kept where enabled).
    const city = newDevice(geo.env.id);
    await collect(geo.url, city, [pageview(T0)], { ip: "81.2.69.160" });
    expect(await sessionOf(geo, city.userId)).toMatchObject({ country: "GB", region: "England", city: "London", ip: "81.2.69.160" });
    const bad = await collect(plain.url, newDevice(plain.env.id), [pageview(T0)], { ip: "not-an-ip" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ field: "ip", message: "ip: must be an IPv4 or IPv6 address" });
  });

  test("/metrics is open by default and needs the bearer token when LOUPE_METRICS_TOKEN is set", async () => {
    expect((await fetch(`${plain.url}/metrics`)).status).toBe(200);
    const none = await fetch(`${geo.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect((await fetch(`${geo.url}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
    const ok = await fetch(`${geo.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
  });
});
