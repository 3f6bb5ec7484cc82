import { Hono } from "hono";
import { ASSETS } from "../../views/assets/files";

/** Static files embedded in the binary, with ETag revalidation. */
export function assetRoutes() {
  const app = new Hono();
  const etags = new Map<string, string>();

  const serve = async (name: string, ifNoneMatch: string | undefined) => {
    const asset = ASSETS[name];
    if (!asset) return undefined;
    const file = Bun.file(asset.path);
    let etag = etags.get(name);
    if (!etag) {
      etag = `"${Bun.hash(await file.arrayBuffer()).toString(36)}"`;
      etags.set(name, etag);
    }
    const headers = { "content-type": asset.type, etag, "cache-control": "public, max-age=300, must-revalidate" };
    if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
    return new Response(file, { headers });
  };

  app.get("/assets/:name", async (c) => (await serve(c.req.param("name"), c.req.header("if-none-match"))) ?? c.notFound());
  app.get("/favicon.ico", async (c) => (await serve("favicon.svg", c.req.header("if-none-match")))!);
  return app;
}
