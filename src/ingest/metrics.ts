// The pipeline's Prometheus metrics (rendered at GET /metrics).
import { DROP_REASONS } from "./types";
import type { Metrics } from "../ops/metrics";
import type { WrittenBatch } from "./group";
import type { Job } from "./types";

const SIZE_BUCKETS = [1, 5, 10, 50, 100, 500, 1000, 2500, 5000];
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class IngestMetrics {
  readonly accepted;
  readonly dropped;
  readonly batches;
  readonly overlapped;
  readonly retried;
  readonly batchSize;
  readonly commitSeconds;
  readonly merges;

  constructor(metrics: Metrics) {
    this.accepted = metrics.counter("loupe_events_accepted_total", "Events stored, by source.");
    this.dropped = metrics.counter("loupe_events_dropped_total", "Events dropped by the pipeline, by reason.");
    this.batches = metrics.counter("loupe_ingest_batches_total", "Group-commit transactions.");
    this.overlapped = metrics.counter("loupe_ingest_batches_overlapped_total", "Groups started while the previous group was still writing (PostgreSQL).");
    this.retried = metrics.counter("loupe_ingest_batches_retried_total", "Groups rolled back and retried request by request (a lost race, or built on a group that failed).");
    this.batchSize = metrics.histogram("loupe_ingest_batch_events", "Events per group-commit transaction.", SIZE_BUCKETS);
    this.commitSeconds = metrics.histogram("loupe_ingest_commit_seconds", "Time to process and commit one group.", SECONDS_BUCKETS);
    this.merges = metrics.counter("loupe_identity_merges_total", "Anonymous users merged into identified users.");
    for (const reason of DROP_REASONS) this.dropped.inc({ reason }, 0);
  }

  committed(jobs: Job[], written: WrittenBatch[], seconds: number): void {
    let events = 0;
    for (const wb of written) {
      for (const e of wb.batch.events) if (wb.storedEventIds.has(e.id)) this.accepted.inc({ source: e.source });
      events += wb.storedEventIds.size;
      this.merges.inc({}, wb.batch.merges);
    }
    for (const job of jobs) {
      for (const u of job.request.units) for (const m of u.messages) if (m.kind === "event" && m.event.dropped) this.droppedEvent(m.event.dropped);
    }
    this.batches.inc();
    this.batchSize.observe(events);
    this.commitSeconds.observe(seconds);
  }

  droppedEvent(reason: string, n = 1): void {
    this.dropped.inc({ reason }, n);
  }
}
