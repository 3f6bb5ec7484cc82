// Headless Chromium for browser tests, and a recorder of everything that should never happen on a page.
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

/**
 * A Chromium browser, or null (with a loud warning) when Chromium is not installed.
 * Under CI (CI=true) a missing Chromium is an error: browser tests must not silently skip there.
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser | null> {
  if (!(await Bun.file(CHROMIUM_PATH).exists())) {
    const message = `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
    if (process.env.CI === "true") throw new Error(`${message}: browser tests cannot run under CI=true`);
    console.warn(`\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! SKIPPING BROWSER TEST: ${message}\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`);
    return null;
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...ARGS, ...extraArgs], headless: true });
}

export interface PageProblems {
  consoleErrors: string[];
  /** Content-Security-Policy violations reported by the page (securitypolicyviolation events). */
  cspViolations: string[];
  /** Uncaught exceptions thrown by page scripts. */
  pageErrors: string[];
  /** Responses with status >= 400 and requests that failed outright, as "STATUS URL". */
  badResponses: string[];
  /** Everything above in one list; assert `expect(problems.all()).toEqual([])`. */
  all(): string[];
}

const CSP_MARK = "__loupe_csp_violation__";

/**
 * Starts recording a page's console errors, CSP violations, page errors and 4xx/5xx responses.
 * Call before the first navigation. `allowStatus` lets a test expect a specific failing URL.
 */
export async function recordProblems(page: Page, allowStatus: (status: number, url: string) => boolean = () => false): Promise<PageProblems> {
  const problems: PageProblems = {
    consoleErrors: [],
    cspViolations: [],
    pageErrors: [],
    badResponses: [],
    all: () => [
      ...problems.consoleErrors.map((m) => `console: ${m}`),
      ...problems.cspViolations.map((m) => `csp: ${m}`),
      ...problems.pageErrors.map((m) => `page error: ${m}`),
      ...problems.badResponses.map((m) => `response: ${m}`),
    ],
  };
  // Init scripts run through the DevTools protocol, outside the page's CSP.
  await page.addInitScript((mark: string) => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`${mark} ${e.violatedDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  }, CSP_MARK);
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const text = msg.text();
    if (text.startsWith(CSP_MARK)) problems.cspViolations.push(text.slice(CSP_MARK.length + 1));
    else problems.consoleErrors.push(text);
  });
  page.on("pageerror", (err) => problems.pageErrors.push(String(err?.stack ?? err)));
  page.on("response", (res) => {
    if (res.status() >= 400 && !allowStatus(res.status(), res.url())) problems.badResponses.push(`${res.status()} ${res.url()}`);
  });
  page.on("requestfailed", (req) => {
    const reason = req.failure()?.errorText ?? "failed";
    // A navigation that replaces the page aborts its pending requests; that is not a defect.
    if (reason !== "net::ERR_ABORTED") problems.badResponses.push(`${reason} ${req.url()}`);
  });
  return problems;
}
