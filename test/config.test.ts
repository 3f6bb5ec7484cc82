// src/config.ts: every bad setting stops Loupe with one clear line naming it; flags beat env.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig, SETTINGS, type SettingName } from "../src/config";
import { DEFAULTS } from "../src/config";

// Any existing file does for "is there a certificate file"; its content is Bun.serve's business.
const HERE = fileURLToPath(import.meta.url);

interface BadCase { value: string; says: string; via?: "env" | "flag"; with?: Record<string, string> }

// Free-text settings can only be wrong when empty, and an empty env var means "unset", so those
// cases go through the flag. Every setting must have at least one case here.
const BAD: Record<SettingName, BadCase[]> = {
  port: [{ value: "abc", says: "must be a number" }, { value: "70000", says: "must be 0..65535" }, { value: "80.5", says: "must be a whole number" }, { value: "-1", says: "must be 0..65535" }],
  host: [{ value: "", says: "must not be empty", via: "flag" }],
  databaseUrl: [{ value: "mysql://db/loupe", says: "must start with postgres:// or postgresql://" }, { value: "not a url", says: "must be a postgres:// URL" }],
  dataDir: [{ value: "", says: "must not be empty", via: "flag" }],
  baseUrl: [{ value: "ftp://loupe.example", says: "must start with http:// or https://" }, { value: "loupe.example", says: "must be a http(s):// URL" }],
  logLevel: [{ value: "verbose", says: "must be debug, info, warn or error" }],
  tlsCert: [{ value: "", says: "must not be empty", via: "flag" }, { value: "/nonexistent/cert.pem", says: "no such file", with: { LOUPE_TLS_KEY: HERE } }],
  tlsKey: [{ value: "/nonexistent/key.pem", says: "no such file", with: { LOUPE_TLS_CERT: HERE } }, { value: tmpdir(), says: "no such file", with: { LOUPE_TLS_CERT: HERE } }],
  trustProxy: [{ value: "maybe", says: "must be true or false" }],
  adminEmail: [{ value: "not-an-email", says: "must be an email address", with: { LOUPE_ADMIN_PASSWORD: "a-long-enough-password" } }],
  adminPassword: [{ value: "short", says: "must be at least", with: { LOUPE_ADMIN_EMAIL: "admin@example.com" } }],
  geoipDb: [{ value: "", says: "must not be empty", via: "flag" }, { value: "/nonexistent/city.mmdb", says: "no such file" }],
  storeIp: [{ value: "2", says: "must be true or false" }],
  maxBodyBytes: [{ value: "10", says: "must be at least 1024" }, { value: "lots", says: "must be a number" }, { value: "2048.5", says: "must be a whole number" }],
  rateLimit: [{ value: "-5", says: "must be 0 or more" }, { value: "fast", says: "must be a number" }],
  metricsToken: [{ value: "short", says: "must be at least 16 characters" }],
};
const SECRETS = new Set<SettingName>(["adminPassword", "metricsToken"]);

function failure(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError, got a config");
}

describe("config", () => {
  test("every setting has bad-value cases below", () => {
    expect(Object.keys(BAD).sort()).toEqual(Object.keys(SETTINGS).sort());
  });

  for (const [key, cases] of Object.entries(BAD) as [SettingName, BadCase[]][]) {
    const s = SETTINGS[key];
    for (const c of cases) {
      const via = c.via ?? "env";
      test(`${via === "env" ? s.env : s.flag}=${JSON.stringify(c.value)} is refused with one line naming it`, () => {
        const err = failure(() => (via === "env" ? loadConfig({ ...c.with, [s.env]: c.value }) : loadConfig({ ...c.with }, { [key]: c.value })));
        const name = via === "env" ? s.env : s.flag;
        expect(err.message).not.toContain("\n");
        expect(err.message.startsWith(`Invalid setting ${name}=`)).toBe(true);
        expect(err.message).toContain(c.says);
        if (SECRETS.has(key)) expect(err.message).not.toContain(c.value);
        else expect(err.message).toContain(JSON.stringify(c.value));
      });
    }
  }

  test("defaults when nothing is set, and an empty env var counts as unset", () => {
    const config = loadConfig({ PORT: "", LOUPE_LOG_LEVEL: "" });
    expect(config).toMatchObject({ port: DEFAULTS.port, host: DEFAULTS.host, dataDir: DEFAULTS.dataDir, logLevel: DEFAULTS.logLevel, trustProxy: false, storeIp: false });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.baseUrl).toBeUndefined();
  });

  test("values are parsed: numbers, booleans in every spelling, URLs", () => {
    for (const yes of ["1", "true", "yes", "on"]) expect(loadConfig({ LOUPE_TRUST_PROXY: yes }).trustProxy).toBe(true);
    for (const no of ["0", "false", "no", "off"]) expect(loadConfig({ LOUPE_TRUST_PROXY: no }).trustProxy).toBe(false);
    const config = loadConfig({ PORT: "8080", DATABASE_URL: "postgresql://u:p@db:5432/loupe", LOUPE_BASE_URL: "https://a.example" });
    expect(config).toMatchObject({ port: 8080, databaseUrl: "postgresql://u:p@db:5432/loupe", baseUrl: "https://a.example" });
  });

  test("a flag overrides its environment variable, including making a bad env value irrelevant", () => {
    expect(loadConfig({ PORT: "8080", LOUPE_DATA_DIR: "/env" }, { port: "9090", dataDir: "/flag" })).toMatchObject({ port: 9090, dataDir: "/flag" });
    expect(loadConfig({ PORT: "nonsense" }, { port: "4000" }).port).toBe(4000);
    expect(failure(() => loadConfig({ PORT: "4000" }, { port: "nonsense" })).message).toStartWith("Invalid setting --port=");
  });

  test("settings that come in pairs are refused alone", () => {
    expect(failure(() => loadConfig({ LOUPE_TLS_CERT: HERE })).message).toBe("Invalid setting LOUPE_TLS_CERT/LOUPE_TLS_KEY: both must be set to serve HTTPS");
    expect(failure(() => loadConfig({ LOUPE_TLS_KEY: HERE })).message).toContain("LOUPE_TLS_CERT/LOUPE_TLS_KEY");
    expect(failure(() => loadConfig({ LOUPE_ADMIN_EMAIL: "a@b.example" })).message).toContain("LOUPE_ADMIN_EMAIL/LOUPE_ADMIN_PASSWORD");
    expect(failure(() => loadConfig({ LOUPE_ADMIN_PASSWORD: "a-long-enough-password" })).message).toContain("LOUPE_ADMIN_EMAIL/LOUPE_ADMIN_PASSWORD");
    expect(loadConfig({ LOUPE_TLS_CERT: HERE, LOUPE_TLS_KEY: HERE })).toMatchObject({ tlsCert: HERE, tlsKey: HERE });
  });

  test("the README's configuration table has a row for every setting", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const s of Object.values(SETTINGS)) expect(readme).toContain(`| \`${s.env}\` | \`${s.flag}\` |`);
  });
});
