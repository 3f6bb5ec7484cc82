import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { envUrl, settingsUrl, usersPath } from "../src/urls";
import { APP_NAME } from "../src/version";
import { Csrf } from "./partials/csrf";
import { LiveScripts } from "./partials/live";

export interface NavEnv {
  id: string;
  name: string;
}

export interface LayoutProps {
  title: string;
  children: Child;
  /** The environment being viewed; absent on pages outside one (login, setup). */
  env?: NavEnv;
  envs?: NavEnv[];
  /** Which main-nav entry is current. */
  section?: "users" | "definitions" | "segments" | "wall" | "settings" | "home";
  csrfToken?: string;
  bodyClass?: string;
  /** Extra page scripts by asset name (registered in views/assets/files.ts), e.g. "user-page.js". */
  scripts?: string[];
}

// Only sections that exist this release: Definitions joins when its pages do.
const NAV: { key: LayoutProps["section"]; label: string; path: string }[] = [
  { key: "users", label: "Users", path: "users" },
  { key: "segments", label: "Segments", path: "segments" },
  { key: "wall", label: "Wall", path: "wall" },
  { key: "settings", label: "Settings", path: "settings" },
];

/** Where switching environment lands: the same section in the other environment. */
function sectionPath(section: LayoutProps["section"]): string {
  return NAV.find((n) => n.key === section)?.path ?? "";
}

/** The page shell: doctype, htmx + its WebSocket extension served from the binary, CSP-clean. */
export function Layout(props: LayoutProps) {
  return (
    <>
      {/* A constant, never data: JSX would escape it into visible text. */}
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · ${APP_NAME}`}</title>
          <meta name="htmx-config" content='{"includeIndicatorCSS": false, "history": false}' />
          {props.csrfToken ? <meta name="csrf-token" content={props.csrfToken} /> : null}
          <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/loupe.css" />
          <script src="/assets/app.js" defer></script>
          <script src="/assets/nav.js" defer></script>
          <script src="/assets/relative-time.js" defer></script>
          {(props.scripts ?? []).map((name) => (
            <script src={`/assets/${name}`} defer></script>
          ))}
        </head>
        <body class={props.bodyClass}>
          <a class="skip-link" href="#main">Skip to content</a>
          {props.env ? <TopBar {...props} env={props.env} /> : null}
          <main id="main">{props.children}</main>
          <LiveScripts />
        </body>
      </html>
    </>
  );
}

function TopBar(props: LayoutProps & { env: NavEnv }) {
  return (
    <header class="topbar">
      <a class="brand" href={usersPath(props.env.id)}>
        <img src="/assets/favicon.svg" alt="" /> {APP_NAME}
      </a>
      <nav class="nav" aria-label="Main">
        {NAV.map((n) => (
          <a href={envUrl(props.env.id, `/${n.path}`)} aria-current={props.section === n.key ? "page" : undefined}>
            {n.label}
          </a>
        ))}
      </nav>
      <span class="spacer" />
      {props.envs && props.envs.length > 0 ? <EnvSwitcher env={props.env} envs={props.envs} section={props.section} /> : null}
      <button type="button" class="btn small" data-theme-toggle aria-label="Toggle dark theme">◐</button>
      <form method="post" action="/logout">
        <Csrf token={props.csrfToken} />
        <button type="submit" class="btn small">Log out</button>
      </form>
    </header>
  );
}

/** A dropdown of environments (details/summary; views/assets/nav.js closes it on Escape or outside clicks). */
function EnvSwitcher(props: { env: NavEnv; envs: NavEnv[]; section: LayoutProps["section"] }) {
  const path = sectionPath(props.section);
  return (
    <details class="env-switcher" data-dropdown>
      <summary class="btn small" aria-label={`Environment: ${props.env.name}. Switch environment`}>
        <span class="env-name">{props.env.name}</span>
        <span aria-hidden="true" class="caret">▾</span>
      </summary>
      <div class="dropdown-menu">
        <ul>
          {props.envs.map((e) => (
            <li>
              <a href={envUrl(e.id, path ? `/${path}` : "")} aria-current={e.id === props.env.id ? "true" : undefined}>
                <span class="env-name">{e.name}</span>
                <span class="muted mono">{e.id}</span>
              </a>
            </li>
          ))}
        </ul>
        <a class="dropdown-foot" href={`${settingsUrl(props.env.id)}#new-environment`}>New environment…</a>
      </div>
    </details>
  );
}
