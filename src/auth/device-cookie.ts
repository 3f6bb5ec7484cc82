// Device cookies (OWASP's scheme against account lockout): a browser that logged in as an account once
// carries `login.nonce.signature`, HMAC-SHA256 signed with a key this installation keeps in its database.
// Its login attempts are counted apart from everyone else's (src/auth/throttle.ts), so a stranger's
// failures, however many and from whatever address, never lock it out.
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { instanceSecrets } from "../db/schema";
import { isHttps } from "./request";

export const DEVICE_COOKIE = "loupe_device";
/** A browser stays known this long after its last successful login. */
const DEVICE_COOKIE_TTL_S = 365 * 24 * 3600;
const SECRET_NAME = "device_cookie_key";

const b64 = (s: string) => Buffer.from(s).toString("base64url");
const normalEmail = (email: string) => email.trim().toLowerCase();

/** The signing key: made once per installation (the first process to need it wins; the rest read it). */
const keys = new WeakMap<Db, Promise<Buffer>>();
function signingKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = (async () => {
      await db.insert(instanceSecrets).values({ name: SECRET_NAME, value: randomBytes(32).toString("base64url") }).onConflictDoNothing();
      const [row] = await db.select({ value: instanceSecrets.value }).from(instanceSecrets).where(eq(instanceSecrets.name, SECRET_NAME));
      return Buffer.from(row.value, "base64url");
    })();
    key.catch(() => keys.delete(db)); // a database error now is retried next time
    keys.set(db, key);
  }
  return key;
}

const sign = (key: Buffer, login: string, nonce: string) => createHmac("sha256", key).update(`${login}.${nonce}`).digest("base64url");

/** This browser's device nonce when its cookie is validly signed for `email`, else null. */
export async function trustedDevice(c: Context, db: Db, email: string): Promise<string | null> {
  const parts = getCookie(c, DEVICE_COOKIE)?.split(".");
  if (parts?.length !== 3 || parts[0] !== b64(normalEmail(email)) || !/^[A-Za-z0-9_-]{22}$/.test(parts[1])) return null;
  const expected = Buffer.from(sign(await signingKey(db), parts[0], parts[1]));
  const given = Buffer.from(parts[2]);
  return given.length === expected.length && timingSafeEqual(given, expected) ? parts[1] : null;
}

/** After a successful login: a fresh device cookie for this account. */
export async function issueDeviceCookie(c: Context, db: Db, config: Config, email: string): Promise<void> {
  const login = b64(normalEmail(email));
  const nonce = randomBytes(16).toString("base64url");
  setCookie(c, DEVICE_COOKIE, `${login}.${nonce}.${sign(await signingKey(db), login, nonce)}`, {
    path: "/login",
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c, config),
    maxAge: DEVICE_COOKIE_TTL_S,
  });
}
