// The one way to fail: handlers throw, and this answers. A LoupeError's code decides the status; a
// page navigation gets an HTML error page, everything else (APIs, ingest, htmx, forms posted by
// scripts) the JSON `{ error: { code, message, field? } }`. Areas that show refusals in place (a form's
// page again, an error box where a fragment goes) say so with showErrors() / formErrors().
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { isPageNavigation } from "../auth/request";
import { DatabaseUnavailable, isDatabaseUnavailable } from "../db/unavailable";
import { LoupeError, type ErrorCode } from "../errors";
import { log } from "../log";
import { ErrorPage } from "../../views/pages/error";
import { databaseUnavailable } from "./database-unavailable";

/**
 * Errors from below the route layer that mean something to the client, by what they are; anything
 * not listed is a 500 (logged). A new failure with a meaning gets its entry here and its code in
 * ERROR_STATUS (src/errors.ts).
 */
const MEANINGFUL: { test: (err: unknown) => boolean; as: (err: Error) => LoupeError }[] = [
  // Checked first: drizzle wraps driver errors, and a wrapped connection failure is still the database's.
  { test: isDatabaseUnavailable, as: (err) => (err instanceof DatabaseUnavailable ? err : new DatabaseUnavailable()) },
  { test: (err) => err instanceof HTTPException && err.status === 403, as: (err) => new LoupeError("forbidden", err.message || "Request refused") },
  { test: (err) => err instanceof HTTPException && err.status === 400, as: (err) => new LoupeError("invalid_input", err.message || "Request refused") },
];

/** Codes with a page of their own, for every client (the rest: JSON, or ErrorPage for page navigations). */
const OWN_ANSWER: Partial<Record<ErrorCode, (c: Context, error: LoupeError) => Response | Promise<Response>>> = {
  database_unavailable: databaseUnavailable,
};

export function toLoupeError(err: unknown, c: Context): LoupeError {
  const known = MEANINGFUL.find((m) => m.test(err));
  if (known) return known.as(err as Error);
  if (err instanceof LoupeError) return err;
  log.error("unhandled error", { path: c.req.path, error: String((err as Error)?.stack ?? err) });
  return new LoupeError("internal_error", "Internal error");
}

/** The response for an error: its headers (Retry-After…), then a page or JSON. */
export function errorResponse(c: Context, error: LoupeError): Response | Promise<Response> {
  const own = OWN_ANSWER[error.code];
  if (own) return own(c, error);
  if (error.retryAfter !== undefined) c.header("Retry-After", String(error.retryAfter));
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  if (!isPageNavigation(c)) return c.json(error.toJSON(), error.status);
  const vars = c.var as { auth?: { csrfToken: string }; env?: { id: string; name: string }; envs?: { id: string; name: string }[] };
  return c.html(<ErrorPage error={error} csrfToken={vars.auth?.csrfToken} env={vars.env} envs={vars.envs} />, error.status);
}

export const onError: ErrorHandler = (err, c) => errorResponse(c, toLoupeError(err, c));

export const onNotFound = (c: Context) => errorResponse(c, new LoupeError("not_found", "Not found"));

/** A browser's own form post (not htmx, not a script): it wants the page back, with the error shown. */
export const isBrowserForm = (c: Context) => c.req.method === "POST" && (c.req.header("accept") ?? "").includes("text/html") && !c.req.header("hx-request");

/** Where an area shows its own refusals: for requests `when` picks, `show` renders the error in place. */
export interface ErrorView<C extends Context> {
  when: (c: C) => boolean;
  /** Answers with `error.status` (its headers are already set). */
  show: (c: C, error: LoupeError) => Response | Promise<Response>;
}

/**
 * An area's onError: a LoupeError on a request one of `views` picks is rendered by it (the page again
 * with the message beside the form, an error box where a fragment goes); everything else goes on to onError.
 */
export function showErrors<C extends Context>(...views: ErrorView<C>[]): (err: Error, c: C) => Promise<Response> {
  return async (err, c) => {
    // Only refusals of the request itself; a server-side failure (5xx) is answered the one general way.
    const view = err instanceof LoupeError && err.status < 500 ? views.find((v) => v.when(c)) : undefined;
    if (!view) throw err;
    const error = err as LoupeError;
    if (error.retryAfter !== undefined) c.header("Retry-After", String(error.retryAfter));
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return view.show(c, error);
  };
}

/** showErrors for browser form posts only. */
export const formErrors = <C extends Context>(show: ErrorView<C>["show"]) => showErrors<C>({ when: isBrowserForm, show });
