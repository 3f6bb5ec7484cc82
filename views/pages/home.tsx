import type { Environment } from "../../src/environments/environments";
import { Layout } from "../layout";
import { snippetCspHash, snippetScriptTag, snippetTag, type SnippetOptions } from "../partials/snippet";

export function HomePage(props: { env: Environment; envs: Environment[]; baseUrl: string; csrfToken?: string }) {
  const options: SnippetOptions = { respectDnt: props.env.settings?.respectDnt === true };
  const tag = snippetTag(props.baseUrl, props.env.id, options);
  const scriptTag = snippetScriptTag(props.baseUrl, props.env.id, options);
  return (
    <Layout title={props.env.name} env={props.env} envs={props.envs} section="home" csrfToken={props.csrfToken}>
      <div class="page-head">
        <div>
          <h1>{props.env.name}</h1>
          <div class="muted">
            Environment id <code>{props.env.id}</code> · time zone {props.env.timeZone}
          </div>
        </div>
      </div>
      <section class="panel">
        <h2>Install the snippet</h2>
        <p class="muted">Paste this before the closing <code>&lt;/head&gt;</code> of every page you want to see users on.
          Calls made before the script arrives are queued.</p>
        <pre id="snippet-tag">{tag}</pre>
        <button type="button" class="btn small" data-copy-target="snippet-tag">Copy snippet</button>
        <h3>Sites with a Content-Security-Policy</h3>
        <p class="muted">
          Allow <code>{props.baseUrl}</code> in <code>script-src</code> and <code>connect-src</code>, and either add the
          stub's hash <code>{snippetCspHash(props.baseUrl, props.env.id, options)}</code> to <code>script-src</code>, or use
          this tag instead of the stub (no inline code; queue early calls with
          <code>(window.loupe = window.loupe || []).push(["identify", "alice@example.com"])</code>):
        </p>
        <pre id="snippet-script-tag">{scriptTag}</pre>
        <button type="button" class="btn small" data-copy-target="snippet-script-tag">Copy tag</button>
      </section>
      <section class="panel">
        <h2>Then, from your code</h2>
        <pre>{[
          `loupe.identify("alice@example.com");          // when someone logs in`,
          `loupe.addUserProperties({ plan: "pro" });`,
          `loupe.track("Checkout started", { items: 3 });`,
          `loupe.addEventProperties({ theme: "dark" });   // sent with every later event`,
          `loupe.resetIdentity();                         // on logout`,
        ].join("\n")}</pre>
        <p class="muted">
          Pageviews (including single-page-app route changes), clicks, changes and form submits are captured on their
          own; input values never are. Options go in <code>loupe.load(id, {"{ … }"})</code>: <code>cookieDomain</code>{" "}
          (share users across subdomains), <code>respectDnt</code>, <code>disableAutocapture</code>,{" "}
          <code>host</code>/<code>endpoint</code> (serve collection through your own domain), <code>batchInterval</code>.
        </p>
      </section>
      <section class="panel">
        <h2>Or see it come alive with demo traffic</h2>
        <pre>npm run demo</pre>
      </section>
    </Layout>
  );
}
