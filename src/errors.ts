import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ERROR_CODES, type ErrorCode } from "./constants";

/** A typed, user-facing error: rendered as `{ error: { code, message, field? } }`. */
export class LoupeError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "LoupeError";
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const notFound = (what = "Not found") => new LoupeError(404, ERROR_CODES.notFound, what);

export const invalid = (field: string, message: string) =>
  new LoupeError(400, ERROR_CODES.invalidInput, `${field}: ${message}`, field);
