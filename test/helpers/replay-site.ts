// The replay fixture (test/fixtures/replay) on its own origin, with the snippet installed by the stub.
import { snippetTag } from "../../src/snippet";

const DIR = `${import.meta.dir}/../fixtures/replay`;

export function startReplaySite(loupeUrl: string, envId: string, loadOptions: Record<string, unknown>) {
  const tag = snippetTag(loupeUrl, envId).replace(`loupe.load(${JSON.stringify(envId)})`, `loupe.load(${JSON.stringify(envId)},${JSON.stringify(loadOptions)})`);
  const server = Bun.serve({
    port: 0,
    hostname: "localhost",
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/app.js") return new Response(Bun.file(`${DIR}/app.js`), { headers: { "content-type": "text/javascript" } });
      if (path === "/favicon.ico") return new Response(null, { status: 204 });
      const html = (await Bun.file(`${DIR}/index.html`).text()).replace("<!--LOUPE-->", tag);
      return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
    },
  });
  return { url: `http://localhost:${server.port}`, close: () => server.stop(true) };
}
