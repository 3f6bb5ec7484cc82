// Logging in to a test Loupe through its real HTTP login, for tests of dashboard pages and actions.
import type { BrowserContext } from "playwright-core";
import { createAccount, findAccountByEmail } from "../../src/auth/accounts";
import { CSRF } from "../../src/auth/middleware";
import { SESSION } from "../../src/auth/sessions";
import type { TestApp } from "./app";

export const TEST_ADMIN = { email: "admin@loupe.test", password: "correct horse battery staple" } as const;

export interface LoggedIn {
  /** `loupe_session=…`, ready for a Cookie header. */
  cookie: string;
  /** The session's CSRF token (what pages put in `_csrf` fields and the meta tag). */
  csrf: string;
  /**
   * fetch against the test app as this user: sends the cookie, a same-origin Origin header and the
   * CSRF header, and adds `_csrf` to URLSearchParams/FormData bodies. Redirects follow unless init says otherwise.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Puts the session cookie into a Playwright browser context. */
  addToBrowser(context: BrowserContext): Promise<void>;
}

/** Creates the account if missing, logs in with POST /login and reads the CSRF token from a real page. */
export async function loginAs(t: TestApp, credentials: { email: string; password: string } = TEST_ADMIN): Promise<LoggedIn> {
  if (!(await findAccountByEmail(t.ctx.db, credentials.email))) await createAccount(t.ctx.db, credentials);

  const login = await fetch(`${t.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: t.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: credentials.email, password: credentials.password }),
  });
  const setCookie = login.headers.getSetCookie().find((c) => c.startsWith(`${SESSION.cookieName}=`));
  if (login.status !== 303 || !setCookie) throw new Error(`loginAs: login failed with ${login.status}: ${await login.text()}`);
  const cookie = setCookie.split(";")[0];
  const token = cookie.slice(SESSION.cookieName.length + 1);

  const page = await fetch(`${t.url}/e/${t.env.id}`, { headers: { cookie } });
  const html = await page.text();
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error(`loginAs: no csrf-token meta tag on /e/${t.env.id} (status ${page.status})`);

  return {
    cookie,
    csrf,
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("cookie", headers.has("cookie") ? `${headers.get("cookie")}; ${cookie}` : cookie);
      if (!headers.has("origin")) headers.set("origin", t.url);
      if (!headers.has(CSRF.header)) headers.set(CSRF.header, csrf);
      let body = init.body;
      if (body instanceof URLSearchParams && !body.has(CSRF.field)) {
        body = new URLSearchParams(body);
        body.set(CSRF.field, csrf);
      } else if (body instanceof FormData && !body.has(CSRF.field)) {
        const copy = new FormData();
        for (const [k, v] of body) copy.append(k, v);
        copy.set(CSRF.field, csrf);
        body = copy;
      }
      return fetch(new URL(path, t.url), { ...init, headers, body });
    },
    async addToBrowser(context) {
      await context.addCookies([{ name: SESSION.cookieName, value: token, url: t.url, httpOnly: true, sameSite: "Lax" }]);
    },
  };
}
