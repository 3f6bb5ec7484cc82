import { APP_NAME } from "../../src/version";
import { Layout } from "../layout";

/**
 * The page a dashboard request gets while the database is unreachable (503): no navigation (it needs the
 * database), a reload after `retryAfter` seconds, and the way back once it answers.
 */
export function DatabaseUnavailablePage(props: { retryAfter: number; path: string }) {
  return (
    <Layout title="Database unavailable" bodyClass="auth-page">
      {/* Reloads by itself: no script needed (and none allowed inline by the CSP). */}
      <meta http-equiv="refresh" content={String(props.retryAfter)} />
      <div class="auth-wrap">
        <section class="panel auth-card" role="alert">
          <div class="brand">
            <img src="/assets/favicon.svg" alt="" /> {APP_NAME}
          </div>
          <h1>Database unavailable</h1>
          <p>{APP_NAME} cannot reach its database right now. Nothing is lost: collection clients retry, and this page reloads every {props.retryAfter} seconds until the database answers again.</p>
          <p><a class="btn" href={props.path}>Try again</a></p>
        </section>
      </div>
    </Layout>
  );
}
