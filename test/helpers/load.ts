// Steady ingest load for fault tests: workers post collection batches back to back and record every
// answer, so a test can say which events were acknowledged and how each request ended.
import { CHROME_UA, custom, newDevice, pageview } from "./ingest";

export interface Answer {
  /** performance.now() when sent / answered. */
  sentAt: number;
  doneAt: number;
  status: number | null;
  /** The fetch error's code when there was no HTTP answer (ECONNREFUSED: never reached the server). */
  error: string | null;
  retryAfter: string | null;
  contentType: string | null;
}

export interface Load {
  answers: Answer[];
  /** Event ids of every 200. */
  acked: Set<string>;
  /** Resolves once `n` more answers than now have arrived (a sentinel, instead of sleeping). */
  answered(n: number): Promise<void>;
  stop(): Promise<void>;
}

export function startLoad(url: string, envId: string, opts: { workers?: number; timeoutMs?: number; stopOnRefused?: boolean; backoffMs?: number } = {}): Load {
  const answers: Answer[] = [];
  const acked = new Set<string>();
  const waiters: { at: number; resolve: () => void }[] = [];
  let running = true;
  const record = (a: Answer) => {
    answers.push(a);
    for (const w of waiters.filter((w) => answers.length >= w.at)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  async function worker() {
    while (running) {
      const d = newDevice(envId);
      const now = Date.now();
      const messages = [pageview(now), custom(now + 1, "Load")];
      const sentAt = performance.now();
      try {
        const res = await fetch(`${url}/api/collect`, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": CHROME_UA },
          body: JSON.stringify({ envId, source: "web", userId: d.userId, sessionId: d.sessionId, messages }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 20_000),
        });
        const body = (await res.json().catch(() => null)) as { accepted?: number } | null;
        if (res.status === 200 && body?.accepted === messages.length) for (const m of messages) acked.add(m.id);
        record({ sentAt, doneAt: performance.now(), status: res.status, error: null, retryAfter: res.headers.get("retry-after"), contentType: res.headers.get("content-type") });
        // As the snippet does: a 503 waits before the next try (not the whole Retry-After: a test is short).
        if (res.status === 503) await Bun.sleep(opts.backoffMs ?? 200);
      } catch (err) {
        const e = err as { code?: string; name?: string };
        const error = e.code ?? e.name ?? String(err);
        record({ sentAt, doneAt: performance.now(), status: null, error, retryAfter: null, contentType: null });
        if (error === "ECONNREFUSED" && opts.stopOnRefused) return;
        await Bun.sleep(20);
      }
    }
  }
  const workers = Array.from({ length: opts.workers ?? 12 }, worker);
  return {
    answers,
    acked,
    answered: (n) => new Promise((resolve) => {
      const at = answers.length + n;
      if (answers.length >= at) resolve();
      else waiters.push({ at, resolve });
    }),
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}
