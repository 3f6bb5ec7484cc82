// A real Loupe on a real database and a real port, for HTTP, WebSocket and browser tests.
import type { Hono } from "hono";
import { createApp } from "../../src/app";
import { buildContext } from "../../src/cli/serve";
import { loadConfig, type Config } from "../../src/config";
import type { AppContext } from "../../src/context";
import { createEnvironment, type Environment } from "../../src/environments/environments";
import { startServer } from "../../src/server";
import { testDatabase, type TestDatabase } from "./db";

export interface TestApp {
  ctx: AppContext;
  app: Hono;
  database: TestDatabase;
  env: Environment;
  /** http://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

/** Starts Loupe on port 0 with a fresh database and one environment. `env` overrides settings. */
export async function startTestApp(settings: Record<string, string> = {}): Promise<TestApp> {
  const database = await testDatabase();
  const config: Config = loadConfig({ HOST: "127.0.0.1", PORT: "0", LOUPE_LOG_LEVEL: "warn", ...settings });
  const ctx = await buildContext(config, database);
  const env = await createEnvironment(database.db, "Test product");
  const app = createApp(ctx);
  const server = startServer(app, config);
  const url = `http://127.0.0.1:${server.port}`;
  // The port is known only now; pages and kiosk links need the base URL.
  if (!settings.LOUPE_BASE_URL) Object.assign(ctx.config, { baseUrl: url });
  return {
    ctx, app, database, env, url,
    close: async () => {
      server.stop(true);
      await ctx.bus.close();
      await database.close();
    },
  };
}
