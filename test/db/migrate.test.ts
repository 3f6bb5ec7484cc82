import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, queryRows } from "../../src/db/client";
import { migrate, migrationMetas } from "../../src/db/migrate";
import { driver, freshPostgresUrl } from "../helpers/db";

describe(`migrations (${driver})`, () => {
  let target: { open: () => ReturnType<typeof openDatabase>; cleanup: () => Promise<void> };

  beforeAll(async () => {
    if (driver === "postgres") {
      const { url, drop } = await freshPostgresUrl();
      target = { open: () => openDatabase({ databaseUrl: url, poolSize: 2 }), cleanup: drop };
    } else {
      const dir = mkdtempSync(join(tmpdir(), "loupe-migrate-"));
      target = { open: () => openDatabase({ dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    }
  });
  afterAll(() => target.cleanup());

  test("apply from empty, then are a no-op when the database is reopened", async () => {
    const first = await target.open();
    await migrate(first.db);
    const tables = await queryRows<{ table_name: string }>(
      first.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      "accounts", "auth_sessions", "definitions", "environments", "events", "identity_merges",
      "instance_secrets", "kiosk_tokens", "login_attempts", "recordings", "replay_chunks", "segments", "sessions", "user_aliases", "users",
    ]);
    await first.close();

    const second = await target.open();
    await migrate(second.db);
    const applied = await queryRows<{ n: number }>(second.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(applied[0].n).toBe(migrationMetas().length);
    await second.close();
  });

  test("every index and key leads with env_id on environment-owned tables", async () => {
    const db = await target.open();
    const rows = await queryRows<{ tablename: string; indexdef: string }>(
      db.db,
      sql`select tablename, indexdef from pg_indexes where schemaname = 'public'
          and tablename not in ('environments', 'accounts', 'auth_sessions', 'login_attempts', 'instance_secrets')`,
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(r.indexdef).toMatch(/\(env_id[,)]/);
    await db.close();
  });
});
