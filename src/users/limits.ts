// Sizes and bounds of the Users list, the user page and the filters, segments and suggestions they use.

/** The user page and session events page. */
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
  /** Events a session of an expanded row opens to, in place (then a link to the whole session). */
  expandedSessionEvents: 20,
  segmentNameChars: 100,
} as const;
