// The page a browser navigation gets when a request fails (APIs and htmx get JSON): src/routes/errors.tsx.
import type { LoupeError } from "../../src/errors";
import { usersPath } from "../../src/urls";
import { Layout, type NavEnv } from "../layout";

const TITLES: Partial<Record<number, string>> = {
  400: "That request could not be read",
  401: "Please log in",
  403: "Not allowed",
  404: "Not found",
  429: "Too many requests",
};

export function ErrorPage(props: { error: LoupeError; csrfToken?: string; env?: NavEnv; envs?: NavEnv[] }) {
  const { error, env } = props;
  const title = TITLES[error.status] ?? (error.status >= 500 ? "Something went wrong" : "Request refused");
  return (
    <Layout title={title} env={env && props.csrfToken ? env : undefined} envs={props.envs} csrfToken={props.csrfToken}>
      <div class="panel empty" data-error-code={error.code}>
        <h1>{title}</h1>
        <p>{error.message}</p>
        <p>{env ? <a class="btn" href={usersPath(env.id)}>Back to users</a> : <a class="btn" href="/">Back to Loupe</a>}</p>
      </div>
    </Layout>
  );
}
