// Who is on the other end of a live socket, decided before the upgrade and re-checked afterwards.
import { findSession } from "../auth/sessions";
import type { Db } from "../db/client";
import { getEnvironment } from "../environments/environments";
import { kioskOptions, kioskTokenActive, type KioskOptions } from "../auth/kiosk";

export type Principal =
  | { kind: "account"; accountId: number; sessionToken: string }
  | { kind: "kiosk"; envId: string; kioskId: number; options: KioskOptions };

/** Still allowed to see this environment? (logout, session expiry, token revocation, deleted environment) */
export async function principalMaySee(db: Db, p: Principal, envId: string): Promise<boolean> {
  if (p.kind === "kiosk") return p.envId === envId && (await kioskTokenActive(db, p.envId, p.kioskId));
  if (!(await findSession(db, p.sessionToken))) return false;
  return Boolean(await getEnvironment(db, envId));
}

export function kioskPrincipal(row: { envId: string; id: number; options: unknown }): Principal {
  return { kind: "kiosk", envId: row.envId, kioskId: row.id, options: kioskOptions(row as never) };
}

/** Is the principal still valid at all (periodic re-check of open sockets)? */
export async function principalAlive(db: Db, p: Principal): Promise<boolean> {
  if (p.kind === "kiosk") return kioskTokenActive(db, p.envId, p.kioskId);
  return Boolean(await findSession(db, p.sessionToken));
}
