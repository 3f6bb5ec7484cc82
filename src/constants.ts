// Every default, limit and error code Loupe uses, in one place.

export const APP_NAME = "Loupe";

export const DEFAULTS = {
  port: 3000,
  host: "0.0.0.0",
  dataDir: "./loupe-data",
  logLevel: "info",
  environmentName: "My product",
  timeZone: "UTC",
} as const;

export const SESSION_IDLE_MS = {
  web: 30 * 60_000,
  ios: 5 * 60_000,
  android: 5 * 60_000,
  server: 30 * 60_000,
} as const;

export const SOURCES = ["web", "ios", "android", "server"] as const;
export type Source = (typeof SOURCES)[number];

export const WEB_EVENT_TYPES = ["pageview", "click", "change", "submit", "session_start"] as const;
export const MOBILE_EVENT_TYPES = ["screen_view", "touch", "app_install", "app_open"] as const;
export const EVENT_TYPES = [...WEB_EVENT_TYPES, ...MOBILE_EVENT_TYPES, "custom"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Heap's documented limits, enforced at every ingest boundary. */
export const LIMITS = {
  eventNameChars: 1024,
  identityChars: 255,
  propertyKeyChars: 512,
  propertyValueChars: 1024,
  bulkItems: 1000,
  maxBodyBytes: 1_000_000,
  maxPropertiesPerObject: 1000,
  rageClickCount: 3,
  rageClickWindowMs: 1000,
  targetTextChars: 255,
  urlChars: 2048,
  hierarchyChars: 4096,
} as const;

export const AUTH = {
  cookieName: "loupe_session",
  sessionTtlMs: 30 * 24 * 3600_000,
  minPasswordChars: 10,
  /** argon2 hashes any length; the cap only stops megabyte "passwords" from burning CPU. */
  maxPasswordChars: 1024,
  csrfHeader: "x-csrf-token",
  csrfField: "_csrf",
  /** Failed logins allowed per client address and email within the window, then 429 + Retry-After. */
  loginMaxFailures: 10,
  loginWindowMs: 15 * 60_000,
} as const;

/**
 * Group commit: concurrent ingest requests share one transaction. An idle writer waits `maxWaitMs` to
 * gather what arrives together; requests arriving while a group is in flight form the next group at once.
 */
export const BATCH_WRITER = {
  maxWaitMs: 2,
  maxEvents: 5000,
  /**
   * Groups in flight at once on PostgreSQL: the next group is prepared and starts its events INSERT on
   * another connection while the previous one finishes (src/ingest/group-order.ts). PGlite is one
   * backend, so there it is always 1.
   */
  postgresGroupsInFlight: 2,
  /**
   * A pipelined group's statement waiting this long for a row lock gives up, and the group is retried
   * request by request. Normal waits (on the previous group's commit) take milliseconds; this only ends
   * a lock cycle PostgreSQL cannot see, one that runs through two processes' writers.
   */
  lockTimeoutMs: 5000,
} as const;

/** The collection pipeline (src/ingest): caches, clocks and defaults. */
export const INGEST = {
  /** Per-environment bounds of the in-memory user / session / recent-click state. */
  cachedUsersPerEnv: 50_000,
  cachedSessionsPerEnv: 50_000,
  cachedClickUsersPerEnv: 10_000,
  /** Recent clicks kept per user for rage detection (beyond the 1 s window, for out-of-order arrivals). */
  clickMemoryMs: 10_000,
  /** Event times further in the future than this (after skew correction) are clamped to now. */
  futureToleranceMs: 60_000,
  /** Default request rate per environment (requests/second, burst = 2 s worth); 0 turns it off. */
  rateLimitPerSecond: 2000,
  /** Rows per INSERT statement (jsonb_to_recordset: one bound parameter whatever the row count). */
  rowsPerStatement: 5000,
} as const;

/** Why the pipeline dropped an event; each is a label of loupe_events_dropped_total. */
export const DROP_REASONS = ["bot", "duplicate", "do_not_track", "time_out_of_range"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** The browser snippet (views/assets/loupe.js) and how it is served. */
export const SNIPPET = {
  path: "/loupe.js",
  maxAgeSeconds: 300,
  staleSeconds: 3600,
  /** The size budget a test holds the snippet to. */
  maxGzipBytes: 8 * 1024,
} as const;

/** `loupe demo`: simulated traffic through the public APIs. */
export const DEMO = {
  defaultRate: 5,
  maxRate: 5000,
  tickMs: 250,
  minVisits: 3,
  maxVisits: 200,
  requestTimeoutMs: 10_000,
  reportEveryMs: 10_000,
} as const;

/** A user id is a random integer 0..2^53-1 carried as a decimal string. */
export const MAX_USER_ID = 2n ** 53n - 1n;

/** Identities that would merge strangers (SPEC §2), compared case-insensitively. */
export const JUNK_IDENTITIES = [
  "", "null", "undefined", "none", "nil", "anonymous", "guest", "0", "-1",
  "[object object]", "true", "false", "nan",
] as const;

export const ERROR_CODES = {
  invalidJson: "invalid_json",
  invalidInput: "invalid_input",
  bodyTooLarge: "body_too_large",
  unknownEnvironment: "unknown_environment",
  identityConflict: "identity_conflict",
  junkIdentity: "junk_identity",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  notFound: "not_found",
  rateLimited: "rate_limited",
  databaseUnavailable: "database_unavailable",
  shuttingDown: "shutting_down",
  internal: "internal_error",
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Live updates over WebSockets (SPEC §7). */
export const LIVE = {
  /** PostgreSQL NOTIFY channel shared by every Loupe process on one database. */
  notifyChannel: "loupe_live",
  /** NOTIFY payloads must stay under PostgreSQL's 8000-byte limit; leave room for the envelope. */
  notifyMaxBytes: 7500,
  /** LISTEN connection: reconnect backoff (capped low: live pages catch up within seconds of the database's return). */
  listenRetryMinMs: 250,
  listenRetryMaxMs: 2000,
  /** A burst of batches for one environment is coalesced into one push per window. */
  coalesceMs: 50,
  /** A socket whose unsent bytes exceed this is dropped rather than allowed to grow memory. */
  maxBufferedBytes: 1_000_000,
  /** Largest client → server message (subscriptions are small JSON). */
  maxInboundBytes: 16 * 1024,
  /** Subscriptions one socket may hold (a page subscribes once; a few tabs share nothing). */
  maxSubscriptionsPerSocket: 8,
  /** Messages one socket may send per minute (subscriptions and pings). */
  maxMessagesPerMinute: 120,
  /**
   * At most this many rows are pushed per view per window: the most recently active, as many as the page's
   * first screenful (USERS_LIST.pageSize), so after a burst the top of the page is what a reload would show.
   */
  maxRowsPerPush: 50,
  /** "N users" on a live Users page is re-counted at most this often. */
  countIntervalMs: 2000,
  /** Catch-up after a reconnect reads at most this far back; older cursors get a full refresh. */
  catchUpMaxMs: 24 * 3600_000,
  catchUpMaxRows: 5000,
  /** received_at is the inserting transaction's start, which can precede an earlier batch's commit. */
  catchUpSlackMs: 5000,
  /** Catch-up scans events by (client) time from this long before the cursor; older backfills only arrive live. */
  catchUpClockSkewMs: 3600_000,
  /** Open kiosk sockets re-check their token this often (revocation from another process). */
  kioskRecheckMs: 10_000,
  /** Kiosk and session re-checks also run on each subscription. */
  kioskTokenBytes: 32,
  /** Wall screen. */
  wallActiveWindowMs: 5 * 60_000,
  wallChartMinutes: 60,
  wallFeedItems: 12,
  wallTopPages: 6,
  wallRefreshMs: 1000,
} as const;

/** The user page and session events page (SPEC §4). */
export const USER_PAGE = {
  sessionsPerPage: 50,
  eventsPerPage: 200,
  mostFrequentEntries: 5,
  /** Distinct event shapes read to build Most frequent; a session rarely has more than a few hundred. */
  mostFrequentMaxGroups: 2000,
  /** Custom-property keys (tested by definitions) that Most frequent groups by, at most. */
  mostFrequentMaxPropertyKeys: 10,
} as const;

/** The Users list, its filters, suggestions, segments and CSV export (src/users, src/filters). */
export const USERS_LIST = {
  pageSize: 50,
  maxPageSize: 1000,
  maxTimelineDays: 3650,
  maxSearchChars: 200,
  maxGroups: 10,
  maxConditionsPerGroup: 10,
  maxEventCount: 1_000_000,
  /** Rows per keyset batch written to a CSV export stream. */
  csvBatch: 1000,
  suggestions: 20,
  /** Suggested values and keys come from the most recently active users / newest events (bounded work). */
  suggestionSampleUsers: 10_000,
  suggestionSampleEvents: 50_000,
  suggestionCacheMs: 30_000,
  /** Latest sessions shown when a row is expanded. */
  expandedSessions: 5,
  segmentNameChars: 100,
} as const;

/**
 * Embedded PGlite. Postgres touches all of shared_buffers at start, so this sets idle memory:
 * 128MB (its default) idles near 290 MB RSS, 64MB near 200 MB. The OS page cache still caches
 * the data files on top of it.
 */
export const PGLITE = { sharedBuffers: "64MB" } as const;

/** `loupe healthcheck` gives up after this long (container HEALTHCHECK intervals are longer). */
export const HEALTHCHECK_TIMEOUT_MS = 3000;

/** Ingestion caches each environment's settings (the store-IP switch) this long, so Settings changes apply. */
export const ENV_SETTINGS_CACHE_MS = 10_000;
