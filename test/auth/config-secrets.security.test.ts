// A wrong secret setting is reported by name, never by value (config errors end up in logs).
import { expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config";

test("bad LOUPE_ADMIN_PASSWORD and LOUPE_METRICS_TOKEN values are not echoed", () => {
  const cases: [Record<string, string>, string, string][] = [
    [{ LOUPE_ADMIN_EMAIL: "a@example.com", LOUPE_ADMIN_PASSWORD: "hunter2!" }, "LOUPE_ADMIN_PASSWORD", "hunter2!"],
    [{ LOUPE_METRICS_TOKEN: "s3cr3t" }, "LOUPE_METRICS_TOKEN", "s3cr3t"],
  ];
  for (const [env, name, secret] of cases) {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain(secret);
  }
  expect(() => loadConfig({ PORT: "abc" })).toThrow('PORT="abc"'); // ordinary settings still show the value
});
