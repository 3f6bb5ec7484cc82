// The chunk stream the player reads (GET …/replay/chunks): for each chunk, a 4-byte big-endian header
// length, the header as JSON ({seq, windowId, startedAt, endedAt, fullSnapshot, bytes}), then `bytes`
// of gzip exactly as stored. The player (views/assets/replay-player.js) inflates each one as it arrives.
import type { StoredChunk } from "./read";

export interface ChunkHeader {
  seq: number;
  windowId: string;
  startedAt: number;
  endedAt: number;
  fullSnapshot: boolean;
  bytes: number;
}

export function chunkFrame(c: StoredChunk): Uint8Array {
  const header: ChunkHeader = { seq: c.seq, windowId: c.windowId, startedAt: c.startedAt.getTime(), endedAt: c.endedAt.getTime(), fullSnapshot: c.fullSnapshot, bytes: c.data.byteLength };
  const head = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + head.byteLength + c.data.byteLength);
  new DataView(out.buffer).setUint32(0, head.byteLength);
  out.set(head, 4);
  out.set(c.data, 4 + head.byteLength);
  return out;
}

/** A byte stream of frames, pulling the next chunk only when the client has taken the last one. */
export function frameStream(chunks: AsyncGenerator<StoredChunk>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(chunkFrame(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
