// Typed, user-facing errors. Code anywhere throws a LoupeError; the route layer answers it
// (src/routes/errors.tsx): JSON `{ error: { code, message, field? } }`, or an HTML page for a page view.
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error code Loupe answers with, and the HTTP status that code always carries. */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_input: 400,
  junk_identity: 400,
  unknown_environment: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  already_exists: 409,
  identity_conflict: 409,
  body_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  database_unavailable: 503,
  shutting_down: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface LoupeErrorOptions {
  /** The input the error is about (`events.3.properties.plan`, `name`). */
  field?: string;
  /** Seconds until trying again makes sense (429, 503): sent as Retry-After. */
  retryAfter?: number;
  /** Further response headers (WWW-Authenticate on a 401). */
  headers?: Record<string, string>;
}

export class LoupeError extends Error {
  readonly status: ContentfulStatusCode;
  readonly field?: string;
  readonly retryAfter?: number;
  readonly headers: Record<string, string>;

  constructor(readonly code: ErrorCode, message: string, options: LoupeErrorOptions = {}) {
    super(message);
    this.name = "LoupeError";
    this.status = ERROR_STATUS[code];
    this.field = options.field;
    this.retryAfter = options.retryAfter;
    this.headers = options.headers ?? {};
  }

  /** The message without its `field: ` prefix, for pages that show it beside the field. */
  get reason(): string {
    const prefix = this.field ? `${this.field}: ` : "";
    return prefix && this.message.startsWith(prefix) ? this.message.slice(prefix.length) : this.message;
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const notFound = (what = "Not found") => new LoupeError("not_found", what);

/** 400 naming the field: `name: must not be empty`. */
export const invalid = (field: string, message: string) => new LoupeError("invalid_input", `${field}: ${message}`, { field });
