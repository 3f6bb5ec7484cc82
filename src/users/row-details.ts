// What an expanded Users-list row shows: a handful of key properties and the latest sessions.
import { and, eq } from "drizzle-orm";
import { USERS_LIST } from "./limits";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { listUserSessions, type SessionRow } from "./user-sessions";

const KEY_CUSTOM = ["email", "name", "plan", "company"];
const KEY_INITIAL: [string, string][] = [
  ["browser", "Browser"], ["os", "OS"], ["device_type", "Device"], ["country", "Country"], ["city", "City"],
  ["referrer", "Initial referrer"], ["landing_page", "Landing page"], ["utm_source", "UTM source"], ["utm_campaign", "UTM campaign"],
];
const MAX_CUSTOM = 6;

const show = (v: unknown) => (v === null || v === undefined ? undefined : typeof v === "object" ? JSON.stringify(v) : String(v));

export interface RowDetails {
  properties: { label: string; value: string }[];
  sessions: SessionRow[];
}

export async function userRowDetails(db: Db, envId: string, userId: number): Promise<RowDetails | undefined> {
  const [user] = await db.select({ identity: users.identity, properties: users.properties, initial: users.initial })
    .from(users).where(and(eq(users.envId, envId), eq(users.id, userId)));
  if (!user) return undefined;
  const custom = Object.keys(user.properties);
  custom.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const properties = [
    ...(user.identity ? [{ label: "Identity", value: user.identity }] : []),
    ...custom.slice(0, MAX_CUSTOM).flatMap((k) => {
      const v = show(user.properties[k]);
      return v === undefined ? [] : [{ label: k, value: v }];
    }),
    ...KEY_INITIAL.flatMap(([k, label]) => {
      const v = show(user.initial[k]);
      return v === undefined || v === "" ? [] : [{ label, value: v }];
    }),
  ];
  const { rows } = await listUserSessions(db, envId, userId, undefined, USERS_LIST.expandedSessions);
  return { properties, sessions: rows };
}

function rank(key: string): number {
  const i = KEY_CUSTOM.indexOf(key);
  return i === -1 ? KEY_CUSTOM.length : i;
}
