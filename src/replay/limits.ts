// Limits of session recordings: what one upload may carry, and the caps on what a session and an
// environment may store. An upload over a cap is answered 2xx with `stop` and counted as dropped
// (loupe_replay_chunks_dropped_total{reason}); the recorder then stops recording that session.

export const REPLAY_LIMITS = {
  /** One upload's body as sent (gzip or plain JSON). The recorder cuts chunks far smaller. */
  maxUploadBytes: 2_000_000,
  /** One chunk's JSON once decompressed: a gzip body that inflates past this is refused (413). */
  maxChunkRawBytes: 16_000_000,
  /** rrweb events in one chunk. */
  maxEventsPerChunk: 50_000,
  /** Compressed bytes one session may store. */
  maxSessionBytes: 50_000_000,
  /** Recorded time one session may cover, from its first recorded event. */
  maxSessionDurationMs: 6 * 3600_000,
  /** Compressed bytes one environment may store in all (until retention frees room). */
  maxEnvironmentBytes: 10 * 1024 ** 3,
  /** Recorded time one environment may store in all (sum of its sessions' recorded spans). */
  maxEnvironmentDurationMs: 10_000 * 3600_000,
  /** A chunk's events may start at most this long before its session's first event (a tab left open across midnight is fine). */
  maxChunkSpanMs: 6 * 3600_000,
} as const;

/** Why a chunk was not stored although the upload was valid; each is a label of the drop counter. */
export const REPLAY_DROP_REASONS = ["session_bytes", "session_duration", "environment_bytes", "environment_duration"] as const;
export type ReplayDropReason = (typeof REPLAY_DROP_REASONS)[number];

/** Environment totals are re-read from the database at most this often (plus what this process stored since). */
export const ENV_USAGE_CACHE_MS = 30_000;
