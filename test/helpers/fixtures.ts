// Realistic users, sessions and events written straight into a test database with Drizzle, for tests
// that need data before (or without) the ingest pipeline. Aggregates stay consistent: seedEvent bumps its
// session's last_at/event_count and its user's first/last seen, like ingestion does.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import { events, sessions, users, type JsonObject } from "../../src/db/schema";
import type { Source } from "../../src/events/model";

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type EventRow = typeof events.$inferSelect;

/** A random user/session id in 1..2^53-1, like clients make. */
export function randomId(): number {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return ((hi & 0x1fffff) * 2 ** 32 + lo) || 1;
}

export const minutesAgo = (m: number, from: Date = new Date()) => new Date(from.getTime() - m * 60_000);
export const hoursAgo = (h: number, from?: Date) => minutesAgo(h * 60, from);
export const daysAgo = (d: number, from?: Date) => minutesAgo(d * 24 * 60, from);

export interface SeedUser {
  id?: number;
  identity?: string | null;
  properties?: JsonObject;
  initial?: JsonObject;
  firstSeen?: Date;
  lastSeen?: Date;
  identifiedAt?: Date | null;
}

export async function seedUser(db: Db, envId: string, u: SeedUser = {}): Promise<UserRow> {
  const firstSeen = u.firstSeen ?? u.lastSeen ?? new Date();
  const [row] = await db
    .insert(users)
    .values({
      envId,
      id: u.id ?? randomId(),
      identity: u.identity ?? null,
      properties: u.properties ?? {},
      initial: u.initial ?? {},
      firstSeen,
      lastSeen: u.lastSeen ?? firstSeen,
      identifiedAt: u.identifiedAt ?? (u.identity ? firstSeen : null),
    })
    .returning();
  return row;
}

export interface SeedSession extends Partial<Omit<SessionRow, "envId" | "userId">> {
  userId: number;
}

const SESSION_DEFAULTS: Record<Source, Partial<SessionRow>> = {
  web: { library: "loupe-web", browser: "Chrome", os: "macOS", deviceType: "Desktop" },
  ios: { library: "loupe-ios", os: "iOS", osVersion: "18.1", deviceType: "Mobile", deviceModel: "iPhone 16", appName: "Acme", appVersion: "3.2.0" },
  android: { library: "loupe-android", os: "Android", osVersion: "15", deviceType: "Mobile", deviceModel: "Pixel 9", appName: "Acme", appVersion: "3.2.0" },
  server: { library: "heap-server-api" },
};

export async function seedSession(db: Db, envId: string, s: SeedSession): Promise<SessionRow> {
  const source = (s.source ?? "web") as Source;
  const startedAt = s.startedAt ?? new Date();
  const [row] = await db
    .insert(sessions)
    .values({
      ...SESSION_DEFAULTS[source],
      country: "France", region: "Île-de-France", city: "Paris",
      ...s,
      envId,
      id: s.id ?? randomId(),
      source,
      startedAt,
      lastAt: s.lastAt ?? startedAt,
      eventCount: s.eventCount ?? 0,
    })
    .returning();
  await touchUser(db, envId, s.userId, startedAt, row.lastAt);
  return row;
}

export interface SeedEvent extends Partial<Omit<EventRow, "envId" | "sessionId">> {
  sessionId: number;
}

/** Inserts an event (user and source default to the session's) and keeps session/user aggregates right. */
export async function seedEvent(db: Db, envId: string, e: SeedEvent): Promise<EventRow> {
  const [session] = await db.select().from(sessions).where(and(eq(sessions.envId, envId), eq(sessions.id, e.sessionId)));
  if (!session) throw new Error(`seedEvent: no session ${e.sessionId}`);
  const time = e.time ?? new Date();
  const [row] = await db
    .insert(events)
    .values({
      type: "pageview",
      domain: "acme.test",
      path: "/",
      ...e,
      envId,
      id: e.id ?? crypto.randomUUID(),
      userId: e.userId ?? session.userId,
      source: e.source ?? session.source,
      time,
      props: e.props ?? {},
    })
    .returning();
  await db
    .update(sessions)
    .set({
      eventCount: sql`${sessions.eventCount} + 1`,
      lastAt: sql`greatest(${sessions.lastAt}, ${time.toISOString()}::timestamptz)`,
      startedAt: sql`least(${sessions.startedAt}, ${time.toISOString()}::timestamptz)`,
    })
    .where(and(eq(sessions.envId, envId), eq(sessions.id, e.sessionId)));
  await touchUser(db, envId, row.userId, time, time);
  return row;
}

async function touchUser(db: Db, envId: string, userId: number, first: Date, last: Date) {
  await db
    .update(users)
    .set({
      firstSeen: sql`least(${users.firstSeen}, ${first.toISOString()}::timestamptz)`,
      lastSeen: sql`greatest(${users.lastSeen}, ${last.toISOString()}::timestamptz)`,
    })
    .where(and(eq(users.envId, envId), eq(users.id, userId)));
}

/** A session with a run of events `gapSeconds` apart starting at `start`. */
export async function seedVisit(
  db: Db,
  envId: string,
  userId: number,
  start: Date,
  steps: Array<Partial<Omit<EventRow, "envId" | "sessionId" | "userId">>>,
  session: Partial<SeedSession> = {},
  gapSeconds = 20,
): Promise<{ session: SessionRow; events: EventRow[] }> {
  const s = await seedSession(db, envId, { ...session, userId, startedAt: start });
  const out: EventRow[] = [];
  for (const [i, step] of steps.entries()) {
    out.push(await seedEvent(db, envId, { ...step, sessionId: s.id, time: step.time ?? new Date(start.getTime() + i * gapSeconds * 1000) }));
  }
  return { session: s, events: out };
}

export interface Scenario {
  now: Date;
  /** Identified web user who also uses the iOS app; rage-clicked twice-over on checkout. */
  alice: UserRow;
  /** Anonymous web visitor known only by an `email` property. */
  bob: UserRow;
  /** Anonymous Android user with no email: shown as `User <id>`. */
  anon: UserRow;
  /** Identified, server-side events only; last seen 20 days ago (outside the default 7 days). */
  server: UserRow;
}

/** Four users across web, iOS, Android and server sources, with identities, emails, properties, rage clicks. */
export async function seedScenario(db: Db, envId: string, now: Date = new Date()): Promise<Scenario> {
  const alice = await seedUser(db, envId, {
    identity: "alice@acme.test",
    properties: { email: "alice@acme.test", plan: "pro", seats: 12, company: "Acme" },
    initial: { browser: "Chrome", os: "macOS", device_type: "Desktop", country: "France", city: "Paris", referrer: "https://www.google.com/", landing_page: "/", utm_source: "google", source: "web" },
    firstSeen: daysAgo(40, now), lastSeen: daysAgo(40, now),
  });
  await seedVisit(db, envId, alice.id, daysAgo(40, now), [{ type: "pageview", path: "/", title: "Acme" }, { type: "pageview", path: "/pricing", title: "Pricing" }], { referrer: "https://www.google.com/", landingPage: "/", utmSource: "google" });
  await seedVisit(db, envId, alice.id, hoursAgo(30, now), [
    { type: "app_open" }, { type: "screen_view", path: "Home" }, { type: "touch", targetText: "Upgrade" },
  ], { source: "ios", country: "Germany", region: "Berlin", city: "Berlin" });
  const rageStart = minutesAgo(10, now);
  await seedVisit(db, envId, alice.id, minutesAgo(12, now), [
    { type: "pageview", path: "/checkout", title: "Checkout" },
    { type: "click", targetText: "Pay now", targetTag: "button", hierarchy: "body|form#pay|button.pay", time: rageStart },
    { type: "click", targetText: "Pay now", targetTag: "button", hierarchy: "body|form#pay|button.pay", rage: true, time: new Date(rageStart.getTime() + 300) },
    { type: "click", targetText: "Pay now", targetTag: "button", hierarchy: "body|form#pay|button.pay", rage: true, time: new Date(rageStart.getTime() + 600) },
    { type: "custom", name: "Checkout failed", props: { reason: "card_declined", amount: 49 }, time: minutesAgo(9, now) },
  ]);

  const bob = await seedUser(db, envId, {
    properties: { email: "bob@example.org", plan: "free" },
    initial: { browser: "Firefox", os: "Windows", device_type: "Desktop", country: "United States", city: "Austin", referrer: "direct", landing_page: "/blog", source: "web" },
    firstSeen: daysAgo(3, now),
  });
  await seedVisit(db, envId, bob.id, daysAgo(3, now), [{ type: "pageview", path: "/blog", title: "Blog" }, { type: "click", targetText: "Sign up", targetTag: "a", href: "/signup" }, { type: "submit", targetTag: "form", hierarchy: "body|form#signup" }], { browser: "Firefox", os: "Windows", country: "United States", region: "Texas", city: "Austin", landingPage: "/blog" });
  await seedVisit(db, envId, bob.id, hoursAgo(5, now), [{ type: "pageview", path: "/pricing", title: "Pricing" }, { type: "custom", name: "Signed up", props: { plan: "free" } }], { browser: "Firefox", os: "Windows", country: "United States", region: "Texas", city: "Austin", landingPage: "/pricing" });

  const anon = await seedUser(db, envId, {
    properties: { app_version: "3.2.0" },
    initial: { os: "Android", device_type: "Mobile", country: "Brazil", city: "São Paulo", source: "android" },
    firstSeen: hoursAgo(2, now),
  });
  await seedVisit(db, envId, anon.id, hoursAgo(2, now), [{ type: "app_install" }, { type: "app_open" }, { type: "screen_view", path: "Onboarding" }, { type: "touch", targetText: "Skip" }], { source: "android", country: "Brazil", region: "São Paulo", city: "São Paulo" });

  const server = await seedUser(db, envId, {
    identity: "svc-42",
    properties: { email: "ops@corp.test", plan: "enterprise", seats: 250 },
    firstSeen: daysAgo(20, now),
  });
  await seedVisit(db, envId, server.id, daysAgo(20, now), [{ type: "custom", name: "Invoice paid", props: { amount: 1200, currency: "EUR" } }], { source: "server", country: null, region: null, city: null, referrer: "direct" });

  const reread = async (u: UserRow) => (await db.select().from(users).where(and(eq(users.envId, envId), eq(users.id, u.id))))[0];
  return { now, alice: await reread(alice), bob: await reread(bob), anon: await reread(anon), server: await reread(server) };
}
