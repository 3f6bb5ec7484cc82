// The fixture the browser test files share: a Loupe on a fresh database with the admin logged in,
// whatever the file seeds, and Chromium — started before the file's tests and closed after them.
import { afterAll, beforeAll } from "bun:test";
import type { Browser } from "playwright-core";
import { startTestApp, type TestApp } from "./app";
import { loginAs, type LoggedIn } from "./auth";
import { launchBrowser } from "./browser";

export interface BrowserApp {
  t: TestApp;
  login: LoggedIn;
  /** null when Chromium is not installed (tests then return early; under CI=true launching fails). */
  browser: Browser | null;
}

/** Registers the file's beforeAll/afterAll; the returned object is filled in before the first test. */
export function useBrowserApp(seed: (app: Omit<BrowserApp, "browser">) => Promise<void> = async () => {}): BrowserApp {
  const fx = { browser: null } as BrowserApp;
  beforeAll(async () => {
    fx.t = await startTestApp();
    fx.login = await loginAs(fx.t);
    await seed(fx);
    fx.browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await fx.browser?.close();
    await fx.t?.close();
  }, 60_000);
  return fx;
}
