// The session cookie: HttpOnly, SameSite=Lax, Secure whenever the browser is on HTTPS.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "../config";
import { SESSION } from "./sessions";
import { isHttps } from "./request";

export const readSessionToken = (c: Context): string | undefined => getCookie(c, SESSION.cookieName);

export function setSessionCookie(c: Context, config: Config, token: string, expiresAt: Date): void {
  setCookie(c, SESSION.cookieName, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c, config),
    expires: expiresAt,
    maxAge: Math.floor((expiresAt.getTime() - Date.now()) / 1000),
  });
}

export function clearSessionCookie(c: Context, config: Config): void {
  deleteCookie(c, SESSION.cookieName, { path: "/", httpOnly: true, sameSite: "Lax", secure: isHttps(c, config) });
}
