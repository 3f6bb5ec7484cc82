import { Hono } from "hono";
import { notFound } from "../errors";
import { ASSETS, GENERATED_ASSETS } from "../../views/assets/files";

const etags = new Map<string, string>();

/** One embedded (or generated) file, with ETag revalidation. */
async function serve(name: string, ifNoneMatch: string | undefined): Promise<Response> {
  const asset = ASSETS[name];
  const generated = GENERATED_ASSETS[name];
  if (!asset && !generated) throw notFound();
  const body = asset ? Bun.file(asset.path) : generated.body;
  let etag = etags.get(name);
  if (!etag) {
    etag = `"${Bun.hash(asset ? await Bun.file(asset.path).arrayBuffer() : generated.body).toString(36)}"`;
    etags.set(name, etag);
  }
  const headers = { "content-type": (asset ?? generated).type, etag, "cache-control": "public, max-age=300, must-revalidate" };
  if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}

/** Static files embedded in the binary. Mounted at /assets. */
export function assetRoutes() {
  return new Hono().get("/:name", (c) => serve(c.req.param("name"), c.req.header("if-none-match")));
}

/** Mounted at /favicon.ico (browsers ask for it on every origin). */
export function faviconRoutes() {
  return new Hono().get("/", (c) => serve("favicon.svg", c.req.header("if-none-match")));
}
