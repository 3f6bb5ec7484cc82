// The password rule: one schema for accounts, the setup form and LOUPE_ADMIN_PASSWORD.
import { z } from "zod";

export const PASSWORD_CHARS = {
  min: 10,
  /** argon2 hashes any length; the cap only stops megabyte "passwords" from burning CPU. */
  max: 1024,
} as const;

export const passwordSchema = z
  .string()
  .min(PASSWORD_CHARS.min, `must be at least ${PASSWORD_CHARS.min} characters`)
  .max(PASSWORD_CHARS.max, `must be at most ${PASSWORD_CHARS.max} characters`);
