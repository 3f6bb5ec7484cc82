import type { Environment } from "../../src/environments/environments";
import { Layout } from "../layout";
import { snippetTag } from "../partials/snippet";

export function HomePage(props: { env: Environment; envs: Environment[]; baseUrl: string; csrfToken?: string }) {
  const tag = snippetTag(props.baseUrl, props.env.id);
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
        <p class="muted">Paste this before the closing <code>&lt;/head&gt;</code> of every page you want to see users on.</p>
        <pre id="snippet-tag">{tag}</pre>
        <button type="button" class="btn small" data-copy-target="snippet-tag">Copy snippet</button>
      </section>
      <section class="panel">
        <h2>Or see it come alive with demo traffic</h2>
        <pre>npm run demo</pre>
      </section>
    </Layout>
  );
}
