// Helpers for replay tests: a session stored through /api/collect, rrweb-shaped events, uploads.
import { gunzipSync } from "node:zlib";
import { collect, newDevice, pageview, post, type Device } from "./ingest";

/** A device whose session exists (one pageview stored through the collection endpoint). */
export async function deviceWithSession(url: string, envId: string, at = Date.now()): Promise<Device> {
  const d = newDevice(envId);
  const res = await collect(url, d, [pageview(at)], { sentAt: at });
  if (res.status !== 200) throw new Error(`collect answered ${res.status}: ${JSON.stringify(res.json)}`);
  return d;
}

/** A small page as rrweb records it: Meta, FullSnapshot, then `n` incremental mouse moves. */
export function rrwebEvents(start: number, n = 3, text = "Hello"): Record<string, unknown>[] {
  const snapshot = {
    node: { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: "html", attributes: {}, childNodes: [
      { type: 2, id: 3, tagName: "body", attributes: {}, childNodes: [{ type: 3, id: 4, textContent: text }] },
    ] }] },
    initialOffset: { top: 0, left: 0 },
  };
  return [
    { type: 4, timestamp: start, data: { href: "https://shop.example/", width: 1280, height: 720 } },
    { type: 2, timestamp: start + 1, data: snapshot },
    ...Array.from({ length: n }, (_, i) => ({ type: 3, timestamp: start + 100 * (i + 1), data: { source: 1, positions: [{ x: i, y: i, id: 4, timeOffset: 0 }] } })),
  ];
}

export function upload(d: Device, events: unknown[], extra: Record<string, unknown> = {}) {
  return { envId: d.envId, userId: d.userId, sessionId: d.sessionId, windowId: "tab1", chunkId: crypto.randomUUID(), sentAt: Date.now(), events, ...extra };
}

export const postChunk = (url: string, body: unknown, headers: Record<string, string> = {}) => post(url, "/api/replay", body, headers);

/** A stored chunk's events (its gzip inflated). */
export const inflate = (data: Uint8Array): any[] => JSON.parse(gunzipSync(data).toString("utf8"));
