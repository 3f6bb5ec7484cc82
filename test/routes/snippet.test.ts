// /loupe.js as customers' sites load it: cross-origin, cached, revalidated, compressed, within budget.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ASSETS } from "../../views/assets/files";
import { SNIPPET, snippetCspHash, snippetScriptTag, snippetSource, snippetTag } from "../../src/snippet";
import { startTestApp, type TestApp } from "../helpers/app";

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); }, 60_000);
afterAll(async () => { await t?.close(); }, 60_000);

describe("GET /loupe.js", () => {
  test("is public, cross-origin loadable and cached briefly with an ETag", async () => {
    const res = await fetch(`${t.url}/loupe.js`, { headers: { origin: "https://shop.example", "accept-encoding": "identity" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("cache-control")).toContain(`max-age=${SNIPPET.maxAgeSeconds}`);
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-z]+"$/);
    expect(res.headers.get("content-encoding")).toBeNull();
    const body = await res.text();
    expect(body).toBe(await Bun.file(ASSETS["loupe.js"].path).text());
  });

  test("answers 304 to a matching If-None-Match and 200 to a stale one", async () => {
    const etag = (await fetch(`${t.url}/loupe.js`)).headers.get("etag")!;
    const again = await fetch(`${t.url}/loupe.js`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");
    const stale = await fetch(`${t.url}/loupe.js`, { headers: { "if-none-match": `"old"` } });
    expect(stale.status).toBe(200);
  });

  test("is gzipped when the client accepts it, byte-identical once decompressed", async () => {
    const res = await fetch(`${t.url}/loupe.js`, { headers: { "accept-encoding": "gzip" }, decompress: false } as RequestInit);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toContain("Accept-Encoding");
    const zipped = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(Bun.gunzipSync(zipped))).toBe(await Bun.file(ASSETS["loupe.js"].path).text());
  });

  test("HEAD answers headers only", async () => {
    const res = await fetch(`${t.url}/loupe.js`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBeTruthy();
  });
});

test(`the snippet stays under ${SNIPPET.maxGzipBytes} bytes gzipped`, async () => {
  const plain = await Bun.file(ASSETS["loupe.js"].path).bytes();
  const gzipped = Bun.gzipSync(plain).byteLength;
  console.log(`loupe.js: ${plain.byteLength} B, ${gzipped} B gzipped (budget ${SNIPPET.maxGzipBytes} B)`);
  expect(gzipped).toBeLessThan(SNIPPET.maxGzipBytes);
});

describe("install stub", () => {
  test("is valid JavaScript that queues calls, load included, and adds the script once", () => {
    const source = snippetSource("https://loupe.example/", "1234567890", { respectDnt: true });
    const appended: { src: string; async: boolean }[] = [];
    const document = { head: { appendChild: (s: { src: string; async: boolean }) => appended.push(s) }, createElement: () => ({}) };
    const window: Record<string, unknown> = {};
    // The stub's last line calls the global `loupe`, which in a browser is window.loupe.
    const body = source.replace(/\nloupe\.load/, "\nloupe = window.loupe; loupe.load");
    const queued = new Function("window", "document", `var loupe; ${body}; loupe.identify("a@b.c"); return window.loupe;`)(window, document) as unknown[][];
    expect(appended).toEqual([{ src: "https://loupe.example/loupe.js", async: true }]);
    expect(queued.slice(0, 2)).toEqual([["load", "1234567890", { respectDnt: true }], ["identify", "a@b.c"]]);
  });

  test("tags embed the environment and cannot break out of their element", () => {
    const tag = snippetTag("https://l.example/</script><b>", "42");
    expect(tag.match(/<\/script>/g)).toHaveLength(1);
    expect(snippetScriptTag("https://l.example", "42")).toBe(`<script src="https://l.example/loupe.js" data-env="42" async></script>`);
    expect(snippetCspHash("https://l.example", "42")).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
  });
});
