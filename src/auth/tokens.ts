// Secrets Loupe hands out (session cookies, kiosk links): random, shown once, stored only as a hash;
// and the one comparison of secrets that does not leak through timing.
import { timingSafeEqual } from "node:crypto";

export const TOKEN_BYTES = 32;
/** 32 bytes in base64url: anything else is refused before touching the database. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const newToken = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES))).toString("base64url");

export const isTokenShaped = (token: string | undefined | null): token is string => typeof token === "string" && TOKEN_PATTERN.test(token);

const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest();

/** SHA-256 in base64url. `purpose` separates the hashes of one secret used for different things. */
export const hashToken = (token: string, purpose?: string): string =>
  new Bun.CryptoHasher("sha256").update(purpose ? `${purpose}:${token}` : token).digest("base64url");

/** Equal secrets? Compares digests in constant time, so neither content nor length shows in the timing. */
export const sameSecret = (a: string, b: string): boolean => timingSafeEqual(sha256(a), sha256(b));
