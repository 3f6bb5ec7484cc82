import type { Environment } from "../../src/environments/environments";
import { Layout } from "../layout";

/** A page-shaped 404 for browser navigations (htmx and API callers get JSON). */
export function NotFoundPage(props: { message: string; env?: Environment; envs?: Environment[]; csrfToken: string }) {
  const home = props.env ? `/e/${encodeURIComponent(props.env.id)}/users` : "/";
  return (
    <Layout title="Not found" env={props.env} envs={props.envs} csrfToken={props.csrfToken}>
      <div class="panel empty">
        <h1>Not found</h1>
        <p>{props.message}</p>
        <p><a class="btn" href={home}>Back to users</a></p>
      </div>
    </Layout>
  );
}
