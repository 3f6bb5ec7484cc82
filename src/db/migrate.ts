import { createHash } from "node:crypto";
import type { MigrationMeta } from "drizzle-orm/migrator";
import type { Db } from "./client";
import { embeddedMigrations } from "./migrations.gen";

/** Same shape and hashes as drizzle's own folder reader, so both paths agree on what ran. */
export function migrationMetas(): MigrationMeta[] {
  return embeddedMigrations.map((m) => ({
    sql: m.sql.split("--> statement-breakpoint"),
    bps: m.breakpoints,
    folderMillis: m.when,
    hash: createHash("sha256").update(m.sql).digest("hex"),
  }));
}

/** Applies every embedded migration not yet applied; idempotent. */
export async function migrate(db: Db): Promise<void> {
  // The dialect's migrate is the one both drizzle migrators call; it is not on the public type.
  const internal = db as unknown as { dialect: { migrate: (m: MigrationMeta[], s: unknown, c: object) => Promise<void> }; session: unknown };
  await internal.dialect.migrate(migrationMetas(), internal.session, { migrationsFolder: "drizzle" });
}
