// One user: lookup (following merges), key facts, the full property list and the merge history.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { identityMerges, sessions, userAliases, users, type JsonObject } from "../db/schema";

export type User = typeof users.$inferSelect;
export type IdentityMerge = typeof identityMerges.$inferSelect;

export type UserLookup = { kind: "found"; user: User } | { kind: "merged"; intoUserId: number } | { kind: "missing" };

/** The user with this id, or where a merged-away id now points (user_aliases), or nothing. */
export async function findUser(db: Db, envId: string, userId: number): Promise<UserLookup> {
  const [user] = await db.select().from(users).where(and(eq(users.envId, envId), eq(users.id, userId)));
  if (user) return { kind: "found", user };
  const [alias] = await db
    .select({ userId: userAliases.userId })
    .from(userAliases)
    .where(and(eq(userAliases.envId, envId), eq(userAliases.aliasId, userId)));
  return alias ? { kind: "merged", intoUserId: alias.userId } : { kind: "missing" };
}

export interface UserTotals {
  sessions: number;
  events: number;
  sources: string[];
  /** Where the most recent session came from. */
  lastLocation: { country: string | null; region: string | null; city: string | null } | null;
}

/** Totals over all of the user's sessions (web and mobile together). */
export async function userTotals(db: Db, envId: string, userId: number): Promise<UserTotals> {
  const where = and(eq(sessions.envId, envId), eq(sessions.userId, userId));
  const [agg] = await db
    .select({
      sessions: sql<number>`count(*)::int`,
      events: sql<number>`coalesce(sum(${sessions.eventCount}), 0)::int`,
      sources: sql<string[] | null>`array_agg(distinct ${sessions.source})`,
    })
    .from(sessions)
    .where(where);
  const [last] = await db
    .select({ country: sessions.country, region: sessions.region, city: sessions.city })
    .from(sessions)
    .where(where)
    .orderBy(desc(sessions.startedAt))
    .limit(1);
  return {
    sessions: agg?.sessions ?? 0,
    events: agg?.events ?? 0,
    sources: (agg?.sources ?? []).filter((s): s is string => typeof s === "string"),
    lastLocation: last && (last.country || last.region || last.city) ? last : null,
  };
}

export type PropertyGroup = "user" | "initial";

export interface PropertyEntry {
  key: string;
  /** The value as text: strings as they are, everything else as JSON. */
  value: string;
  group: PropertyGroup;
}

const asText = (v: unknown) => (typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v));

/** Every user property (custom, then initial), each group sorted by key, for the searchable list. */
export function propertyList(user: Pick<User, "properties" | "initial">): PropertyEntry[] {
  const entries = (obj: JsonObject | null | undefined, group: PropertyGroup) =>
    Object.entries(obj ?? {})
      .filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([key, v]) => ({ key, value: asText(v), group }))
      .sort((a, b) => a.key.localeCompare(b.key));
  return [...entries(user.properties, "user"), ...entries(user.initial, "initial")];
}

/** Merges into this user, newest first: which user id, under which identity, when and why. */
export function mergeHistory(db: Db, envId: string, userId: number): Promise<IdentityMerge[]> {
  return db
    .select()
    .from(identityMerges)
    .where(and(eq(identityMerges.envId, envId), eq(identityMerges.intoUserId, userId)))
    .orderBy(desc(identityMerges.at), desc(identityMerges.id));
}

/** An initial property by its stored key, tolerating snake_case and camelCase spellings. */
export function initialValue(user: Pick<User, "initial">, snakeKey: string): string | undefined {
  const camel = snakeKey.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
  const v = user.initial?.[snakeKey] ?? user.initial?.[camel];
  return v === undefined || v === null || v === "" ? undefined : asText(v);
}
