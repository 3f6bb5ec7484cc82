// The whole data model. Every environment-owned table carries env_id, and env_id leads every
// primary key, unique key and index, so the schema can later be distributed by Citus on env_id.
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });
/** User and session ids are integers up to 2^53-1: exact in a JS number. */
const id53 = (name: string) => bigint(name, { mode: "number" });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export type JsonObject = Record<string, unknown>;

export const environments = pgTable("environments", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull().default("UTC"),
  /** Per-environment switches: respectDnt, storeIp, … */
  settings: jsonb("settings").$type<JsonObject>().notNull().default({}),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const users = pgTable(
  "users",
  {
    envId: text("env_id").notNull(),
    id: id53("id").notNull(),
    identity: text("identity"),
    /** Custom user properties; last write wins. */
    properties: jsonb("properties").$type<JsonObject>().notNull().default({}),
    /** Taken from the first session, never changed afterwards. */
    initial: jsonb("initial").$type<JsonObject>().notNull().default({}),
    firstSeen: ts("first_seen").notNull(),
    lastSeen: ts("last_seen").notNull(),
    identifiedAt: ts("identified_at"),
  },
  (t) => [
    primaryKey({ columns: [t.envId, t.id] }),
    uniqueIndex("users_identity_key").on(t.envId, t.identity),
    index("users_last_seen_idx").on(t.envId, t.lastSeen.desc(), t.id.desc()),
    index("users_first_seen_idx").on(t.envId, t.firstSeen.desc(), t.id.desc()),
  ],
);

/** A merged-away user id keeps pointing at the user that absorbed it, so late events land there. */
export const userAliases = pgTable(
  "user_aliases",
  {
    envId: text("env_id").notNull(),
    aliasId: id53("alias_id").notNull(),
    userId: id53("user_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.envId, t.aliasId] }), index("user_aliases_user_idx").on(t.envId, t.userId)],
);

/** Audit of every identity merge: from, into, when, why. */
export const identityMerges = pgTable(
  "identity_merges",
  {
    envId: text("env_id").notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    fromUserId: id53("from_user_id").notNull(),
    intoUserId: id53("into_user_id").notNull(),
    identity: text("identity").notNull(),
    reason: text("reason").notNull(),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.envId, t.id] }), index("identity_merges_into_idx").on(t.envId, t.intoUserId, t.at)],
);

export const sessions = pgTable(
  "sessions",
  {
    envId: text("env_id").notNull(),
    id: id53("id").notNull(),
    userId: id53("user_id").notNull(),
    source: text("source").notNull(),
    library: text("library"),
    appName: text("app_name"),
    appVersion: text("app_version"),
    browser: text("browser"),
    os: text("os"),
    osVersion: text("os_version"),
    deviceType: text("device_type"),
    deviceModel: text("device_model"),
    country: text("country"),
    region: text("region"),
    city: text("city"),
    ip: text("ip"),
    referrer: text("referrer").notNull().default("direct"),
    landingPage: text("landing_page"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    startedAt: ts("started_at").notNull(),
    lastAt: ts("last_at").notNull(),
    eventCount: integer("event_count").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.envId, t.id] }),
    index("sessions_user_idx").on(t.envId, t.userId, t.startedAt.desc()),
    index("sessions_last_at_idx").on(t.envId, t.lastAt.desc()),
  ],
);

export const events = pgTable(
  "events",
  {
    envId: text("env_id").notNull(),
    /** Client-made UUID, or one derived from an idempotency key: a repeat is ignored. */
    id: uuid("id").notNull(),
    userId: id53("user_id").notNull(),
    sessionId: id53("session_id").notNull(),
    time: ts("time").notNull(),
    type: text("type").notNull(),
    /** Custom event name (type = custom); null for raw autocaptured events. */
    name: text("name"),
    source: text("source").notNull(),
    domain: text("domain"),
    path: text("path"),
    title: text("title"),
    targetText: text("target_text"),
    targetTag: text("target_tag"),
    /** Root-to-element path as a selector-like string, e.g. `body|div#app.main|button[type=submit]`. */
    hierarchy: text("hierarchy"),
    href: text("href"),
    rage: boolean("rage").notNull().default(false),
    /** Everything else: query, hash, screen, viewport, target id/class, custom properties. */
    props: jsonb("props").$type<JsonObject>().notNull().default({}),
    receivedAt: ts("received_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.envId, t.id] }),
    index("events_session_time_idx").on(t.envId, t.sessionId, t.time),
    // Ascending, read backwards for "newest first": new events then land on the right edge of the
    // index, where PostgreSQL appends cheaply and splits pages 90/10 (a descending index puts them on the
    // left edge: 50/50 splits, an index ~1.7× the size, slower concurrent inserts).
    index("events_user_time_idx").on(t.envId, t.userId, t.time),
    index("events_time_idx").on(t.envId, t.time),
    // time last: "did event X in the timeline" filters read one tight range per event
    index("events_type_idx").on(t.envId, t.type, t.name, t.time),
  ],
);

/** A named rule over raw events; conditions are OR-ed; a combo unions other definitions. */
export const definitions = pgTable(
  "definitions",
  {
    envId: text("env_id").notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    name: text("name").notNull(),
    category: text("category").notNull().default(""),
    color: text("color").notNull().default("#6366f1"),
    description: text("description").notNull().default(""),
    conditions: jsonb("conditions").$type<JsonObject[]>().notNull().default([]),
    comboOf: jsonb("combo_of").$type<number[]>(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.envId, t.id] }), uniqueIndex("definitions_name_key").on(t.envId, t.name)],
);

/** A saved, named set of filters. */
export const segments = pgTable(
  "segments",
  {
    envId: text("env_id").notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    name: text("name").notNull(),
    filters: jsonb("filters").$type<JsonObject>().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.envId, t.id] }), uniqueIndex("segments_name_key").on(t.envId, t.name)],
);

/**
 * A session recording's chunks: gzip-compressed JSON arrays of rrweb events, in upload order (src/replay).
 * `chunk_id` is the recorder's own id for a chunk, so an upload retried after a lost answer is stored once;
 * `window_id` tells apart the tabs of one session (each tab is its own recording).
 */
export const replayChunks = pgTable(
  "replay_chunks",
  {
    envId: text("env_id").notNull(),
    sessionId: id53("session_id").notNull(),
    seq: integer("seq").notNull(),
    startedAt: ts("started_at").notNull(),
    data: bytea("data").notNull(),
    endedAt: ts("ended_at").notNull().defaultNow(),
    chunkId: uuid("chunk_id").notNull().defaultRandom(),
    windowId: text("window_id").notNull().default(""),
    eventCount: integer("event_count").notNull().default(0),
    /** JSON bytes before compression (`data` holds the compressed bytes). */
    rawBytes: integer("raw_bytes").notNull().default(0),
    fullSnapshot: boolean("full_snapshot").notNull().default(false),
    receivedAt: ts("received_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.envId, t.sessionId, t.seq] }), uniqueIndex("replay_chunks_chunk_key").on(t.envId, t.sessionId, t.chunkId)],
);

/** One row per recorded session: totals the caps are checked against, and the range the player's timeline shows. */
export const recordings = pgTable(
  "recordings",
  {
    envId: text("env_id").notNull(),
    sessionId: id53("session_id").notNull(),
    startedAt: ts("started_at").notNull(),
    endedAt: ts("ended_at").notNull(),
    chunks: integer("chunks").notNull(),
    /** Compressed bytes stored, and JSON bytes before compression. */
    bytes: bigint("bytes", { mode: "number" }).notNull(),
    rawBytes: bigint("raw_bytes", { mode: "number" }).notNull(),
    eventCount: integer("event_count").notNull(),
    /** Server clock minus the recorder's clock at the first chunk: event times (skew-corrected) minus this are recording times. */
    clockSkewMs: bigint("clock_skew_ms", { mode: "number" }).notNull().default(0),
    /** Set once a cap stopped this recording (src/replay/limits.ts): later chunks are refused at once. */
    cappedBy: text("capped_by"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.envId, t.sessionId] }), index("recordings_ended_idx").on(t.envId, t.endedAt)],
);

/** Read-only wall-screen links: the token fixes environment, segment and options. */
export const kioskTokens = pgTable(
  "kiosk_tokens",
  {
    envId: text("env_id").notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    options: jsonb("options").$type<JsonObject>().notNull().default({}),
    createdAt: ts("created_at").notNull().defaultNow(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [primaryKey({ columns: [t.envId, t.id] }), uniqueIndex("kiosk_tokens_hash_key").on(t.envId, t.tokenHash)],
);

// Dashboard accounts span environments (an account may see several), so they carry no env_id.
export const accounts = pgTable("accounts", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role").notNull().default("admin"),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const authSessions = pgTable(
  "auth_sessions",
  {
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: text("token_hash").primaryKey(),
    accountId: bigint("account_id", { mode: "number" }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    lastEnvId: text("last_env_id"),
  },
  (t) => [index("auth_sessions_account_idx").on(t.accountId)],
);

/**
 * Login attempts counted per key (a client address and email, or a signed device cookie: src/auth/throttle.ts),
 * in the database so that every Loupe process on it shares one allowance.
 */
export const loginAttempts = pgTable("login_attempts", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  windowStart: ts("window_start").notNull(),
});

/** Secrets this installation made for itself (the device-cookie signing key), shared by its processes. */
export const instanceSecrets = pgTable("instance_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const schema = {
  environments,
  users,
  userAliases,
  identityMerges,
  sessions,
  events,
  definitions,
  segments,
  replayChunks,
  recordings,
  kioskTokens,
  accounts,
  authSessions,
  loginAttempts,
  instanceSecrets,
};
