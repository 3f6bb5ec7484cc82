// The collection pipeline. Per request: validate (route schemas + known environment) → normalise
// (protocol adapters) → enrich (user agent, bots, location). Then the batch writer runs the group steps
// in one transaction: deduplicate → resolve identity → sessionise → detect rage → write, and answers
// each request after its commit.
import { eq } from "drizzle-orm";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { environments } from "../db/schema";
import { withDeadline } from "../db/unavailable";
import { privacySettings, replaySettings, type ReplaySettings } from "../environments/settings";
import { LoupeError } from "../errors";
import type { LiveBus } from "../live/bus";
import type { Metrics } from "../ops/metrics";
import { BatchWriter, type WriterOptions } from "./batch-writer";
import type { ClientFacts } from "./client";
import { enrich } from "./enrich";
import { GeoLookup } from "./geo";
import { Lru } from "./lru";
import { IngestMetrics } from "./metrics";
import { RateLimiter } from "./rate-limit";
import { IngestState } from "./state";
import type { IngestRequest, IngestResult, Job } from "./types";

/**
 * A request waits at most this long for the database (its environment read, its group's commit); then it
 * is answered 503 + Retry-After, never acknowledged. A down database fails faster than this (its errors
 * are immediate); the bound is for one that stopped answering (a network partition, a frozen server).
 */
export const INGEST_WAIT_MS = 10_000;
/** Ingestion caches each environment's settings (the store-IP switch) this long, so Settings changes apply. */
export const ENV_SETTINGS_CACHE_MS = 10_000;

export class IngestService {
  readonly state = new IngestState();
  readonly metrics: IngestMetrics;
  private readonly writer: BatchWriter;
  private readonly geo: GeoLookup;
  private readonly limiter: RateLimiter;
  /** Known environments with their privacy switch; re-read after a while so Settings changes apply. */
  private readonly knownEnvs = new Lru<string, { storeIp: boolean; respectDnt: boolean; replay: ReplaySettings; readAt: number }>(10_000);

  constructor(private readonly deps: { db: Db; bus: LiveBus; config: Config; metrics: Metrics; writer?: WriterOptions }) {
    this.metrics = new IngestMetrics(deps.metrics);
    this.geo = new GeoLookup(deps.config.geoipDb);
    this.limiter = new RateLimiter(deps.config.rateLimit);
    this.writer = new BatchWriter(deps.db, this.state, deps.bus, this.metrics, deps.writer);
    deps.bus.subscribe((batch) => {
      if (batch.remote) this.state.forgetRemote(batch);
    });
  }

  /** Validate: the environment exists (cached; environments are never deleted while running). */
  async checkEnvironment(envId: string, field: string): Promise<void> {
    const known = this.knownEnvs.get(envId);
    if (known && Date.now() - known.readAt < ENV_SETTINGS_CACHE_MS) return;
    const [row] = await withDeadline(
      this.deps.db.select({ id: environments.id, settings: environments.settings }).from(environments).where(eq(environments.id, envId)),
      INGEST_WAIT_MS,
      "reading the environment",
    );
    if (!row) throw new LoupeError("unknown_environment", `${field}: no environment with id ${JSON.stringify(envId.slice(0, 40))}`, { field });
    const privacy = privacySettings(row, this.deps.config);
    this.knownEnvs.set(envId, { storeIp: privacy.storeIp, respectDnt: privacy.respectDnt, replay: replaySettings(row), readAt: Date.now() });
  }

  /** The environment's replay setting as the snippet takes it (after checkEnvironment), or null when off. */
  replayFor(envId: string): { sampleRate: number; maskAllText: boolean } | null {
    const r = this.knownEnvs.peek(envId)?.replay;
    return r?.enabled ? { sampleRate: r.sampleRate, maskAllText: r.maskAllText } : null;
  }

  /** Rate limit per environment: 0 when allowed, else the seconds to wait (the route answers 429). */
  rateLimitWait(envId: string): number {
    return this.limiter.take(envId);
  }

  /** Enrich, then hand to the batch writer; resolves after commit. LoupeErrors are the caller's 4xx. */
  async submit(request: IngestRequest, client: ClientFacts): Promise<IngestResult> {
    const job: Job = { request, result: { accepted: 0, dropped: 0, userId: null, warnings: [] }, error: null };
    const env = this.knownEnvs.peek(request.envId);
    // Even with a snippet tag pasted before the switch was turned on, the browser's signal is honoured here.
    if (env?.respectDnt && client.doNotTrack) return this.dropRequest(request, "do_not_track");
    if (enrich(request, client, { geo: this.geo, storeIp: env?.storeIp ?? this.deps.config.storeIp }) === "bot") return this.dropRequest(request, "bot");
    await withDeadline(this.writer.write(job), INGEST_WAIT_MS, "committing this request");
    if (job.error) throw job.error;
    if (request.warnings?.length) job.result.warnings.unshift(...request.warnings);
    return job.result;
  }

  /** Accepted (2xx) but nothing stored; the events are counted under the reason. */
  private dropRequest(request: IngestRequest, reason: "bot" | "do_not_track"): IngestResult {
    const n = request.units.reduce((k, u) => k + u.messages.length, 0);
    this.metrics.droppedEvent(reason, request.units.reduce((k, u) => k + u.messages.filter((m) => m.kind === "event").length, 0));
    return { accepted: 0, dropped: n, userId: null, warnings: [] };
  }
}
