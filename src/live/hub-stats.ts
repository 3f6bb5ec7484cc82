// What the hub counts (for tests and the benchmark), mirrored as Prometheus counters on /metrics.
import type { Metrics } from "../ops/metrics";

export interface HubStats {
  batches: number;
  windows: number;
  renders: number;
  queries: number;
  framesSent: number;
  dropped: number;
}

/** The same counts, also exported on /metrics as loupe_live_<name>_total. */
export function countedStats(metrics: Metrics): HubStats {
  const help: Record<keyof HubStats, string> = {
    batches: "Committed batches received from the live bus",
    windows: "Coalescing windows flushed (one per environment per burst)",
    renders: "View renders (shared by every page showing the view)",
    queries: "Database queries made by live renders and catch-ups",
    framesSent: "WebSocket frames sent to pages",
    dropped: "Slow clients dropped for exceeding the send buffer limit",
  };
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const values: HubStats = { batches: 0, windows: 0, renders: 0, queries: 0, framesSent: 0, dropped: 0 };
  const counters = Object.fromEntries(Object.keys(help).map((k) => [k, metrics.counter(`loupe_live_${snake(k)}_total`, help[k as keyof HubStats])]));
  return new Proxy(values, {
    set(target, key: string, value: number) {
      counters[key]?.inc({}, value - target[key as keyof HubStats]);
      target[key as keyof HubStats] = value;
      return true;
    },
  });
}
