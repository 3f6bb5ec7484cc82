// A real WebSocket client for live tests: collects frames, waits for the ones a test expects.
export interface LiveClient {
  ws: WebSocket;
  frames: Record<string, any>[];
  opened: Promise<boolean>;
  closed: Promise<{ code: number; reason: string }>;
  next(match: (f: Record<string, any>) => boolean, ms?: number): Promise<Record<string, any>>;
  send(msg: unknown): void;
}

export function liveClient(url: string, opts: { origin?: string; cookie?: string } = {}): LiveClient {
  const headers: Record<string, string> = {};
  if (opts.origin) headers.origin = opts.origin;
  if (opts.cookie) headers.cookie = opts.cookie;
  // Bun's WebSocket client accepts extra handshake headers (browsers send Origin and cookies themselves).
  const ws = new WebSocket(url.replace(/^http/, "ws"), { headers } as unknown as string[]);
  const frames: Record<string, any>[] = [];
  const waiters: { match: (f: Record<string, any>) => boolean; resolve: (f: Record<string, any>) => void }[] = [];
  ws.onmessage = (e) => {
    const f = JSON.parse(String(e.data));
    frames.push(f);
    for (const w of [...waiters]) if (w.match(f)) waiters.splice(waiters.indexOf(w), 1), w.resolve(f);
  };
  const opened = new Promise<boolean>((resolve) => {
    ws.addEventListener("open", () => resolve(true));
    ws.addEventListener("close", () => resolve(false));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })));
  return {
    ws, frames, opened, closed,
    send: (msg) => ws.send(JSON.stringify(msg)),
    next(match, ms = 5000) {
      const seen = frames.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { match, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(frames).slice(0, 500)}`)), ms);
      });
    },
  };
}
