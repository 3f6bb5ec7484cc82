// How to send data to an environment: the snippet tag (inline stub, or a plain tag for sites with a
// CSP), the calls to make from code, the Heap-compatible server API and demo traffic.
import type { Environment } from "../../src/environments/environments";
import { snippetCspHash, snippetScriptTag, snippetTag, type SnippetOptions } from "../../src/snippet";

export function InstallSnippet(props: { env: Environment; baseUrl: string; options: SnippetOptions }) {
  const { env, baseUrl, options } = props;
  const heapExample = [
    `curl -X POST ${baseUrl}/api/track \\`,
    `  -H 'content-type: application/json' \\`,
    `  -d '${JSON.stringify({ app_id: env.id, identity: "alice@example.com", event: "Invoice paid", properties: { amount: 49 } })}'`,
  ].join("\n");
  return (
    <>
      <section class="panel wide" aria-labelledby="install-title" id="install">
        <h2 id="install-title">Install the snippet</h2>
        <p class="muted">
          Paste this before the closing <code>&lt;/head&gt;</code> of every page you want to see users on. Calls made before the
          script arrives are queued.
        </p>
        <pre id="snippet-tag">{snippetTag(baseUrl, env.id, options)}</pre>
        <div class="copy-row">
          <button type="button" class="btn small" data-copy-target="snippet-tag">Copy snippet</button>
        </div>
        <details class="more">
          <summary>Sites with a Content-Security-Policy</summary>
          <p class="muted">
            Allow <code>{baseUrl}</code> in <code>script-src</code> and <code>connect-src</code>, and either add the stub's hash{" "}
            <code>{snippetCspHash(baseUrl, env.id, options)}</code> to <code>script-src</code>, or use this tag instead of the stub
            (no inline code):
          </p>
          <pre id="snippet-script-tag">{snippetScriptTag(baseUrl, env.id, options)}</pre>
          <button type="button" class="btn small" data-copy-target="snippet-script-tag">Copy tag</button>
        </details>
        <h3>Then, from your code</h3>
        <pre>{[
          `loupe.identify("alice@example.com");          // when someone logs in`,
          `loupe.addUserProperties({ plan: "pro" });`,
          `loupe.track("Checkout started", { items: 3 });`,
          `loupe.resetIdentity();                         // on logout`,
        ].join("\n")}</pre>
      </section>
      <section class="panel" aria-labelledby="server-api-title">
        <h2 id="server-api-title">Server-side events (Heap-compatible API)</h2>
        <p class="muted">
          Send <code>app_id</code> = <code>{env.id}</code> in the JSON body of <code>/api/track</code>,{" "}
          <code>/api/add_user_properties</code> and <code>/api/v1/identify</code>. Existing Heap server integrations only need
          their host changed.
        </p>
        <pre id="heap-example">{heapExample}</pre>
        <button type="button" class="btn small" data-copy-target="heap-example">Copy example</button>
      </section>
      <section class="panel" aria-labelledby="demo-title">
        <h2 id="demo-title">See it come alive with demo traffic</h2>
        <p class="muted">Generates realistic users, sessions and events in this Loupe so you can explore every page.</p>
        <pre>npm run demo</pre>
      </section>
    </>
  );
}
