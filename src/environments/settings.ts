// An environment's editable settings: name, time zone and the privacy switches kept in
// environments.settings (read by the snippet tag and by ingestion).
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { environments } from "../db/schema";
import { environmentNameSchema, timeZoneSchema, type Environment } from "./environments";

export interface PrivacySettings {
  /** Honour Do-Not-Track and Global Privacy Control: the snippet sends nothing from such browsers. */
  respectDnt: boolean;
  /** Keep raw client IPs on sessions (otherwise only the derived location is kept). */
  storeIp: boolean;
}

/** The privacy switches in effect: the environment's own choice, else the server-wide default. */
export function privacySettings(env: Pick<Environment, "settings">, config: Pick<Config, "storeIp">): PrivacySettings {
  const s = env.settings ?? {};
  return {
    respectDnt: s.respectDnt === true,
    storeIp: typeof s.storeIp === "boolean" ? s.storeIp : config.storeIp,
  };
}

/** Session replay from the snippet (src/replay): off unless turned on here or by `loupe.load(…, { replay })`. */
export interface ReplaySettings {
  enabled: boolean;
  /** Share of sessions recorded, 0..1 (decided per session id, so every page of a session agrees). */
  sampleRate: number;
  /** Mask every text on the page, not only `data-loupe-redact` ones. */
  maskAllText: boolean;
}

export function replaySettings(env: Pick<Environment, "settings">): ReplaySettings {
  const r = (env.settings ?? {}).replay as Partial<ReplaySettings> | undefined;
  const rate = typeof r?.sampleRate === "number" && r.sampleRate >= 0 && r.sampleRate <= 1 ? r.sampleRate : 1;
  return { enabled: r?.enabled === true, sampleRate: rate, maskAllText: r?.maskAllText === true };
}

/** Every IANA zone the runtime knows, UTC first. */
export function timeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return ["UTC", ...zones.filter((z) => z !== "UTC")];
}

export const generalSettingsSchema = z.object({
  name: environmentNameSchema,
  timeZone: timeZoneSchema,
});
export type GeneralSettings = z.infer<typeof generalSettingsSchema>;

/** HTML checkboxes: present ("on") when ticked, absent otherwise. */
const checkbox = z
  .enum(["on", "true"], { message: "must be \"on\" when ticked, or left out" })
  .optional()
  .transform((v) => v !== undefined);
export const privacyFormSchema = z.object({ respectDnt: checkbox, storeIp: checkbox });
/** The Settings form gives the sampling rate in percent. */
export const replayFormSchema = z.object({
  replayEnabled: checkbox,
  samplePercent: z.coerce.number({ message: "must be a number from 0 to 100" }).min(0, "must be from 0 to 100").max(100, "must be from 0 to 100"),
  maskAllText: checkbox,
}).transform((f): ReplaySettings => ({ enabled: f.replayEnabled, sampleRate: f.samplePercent / 100, maskAllText: f.maskAllText }));

export async function updateGeneralSettings(db: Db, envId: string, input: GeneralSettings): Promise<void> {
  await db.update(environments).set({ name: input.name, timeZone: input.timeZone }).where(eq(environments.id, envId));
}

/** Merges the switches into environments.settings, keeping any other keys stored there. */
export async function updatePrivacySettings(db: Db, envId: string, input: PrivacySettings): Promise<void> {
  const patch = JSON.stringify({ respectDnt: input.respectDnt, storeIp: input.storeIp });
  await db
    .update(environments)
    .set({ settings: sql`${environments.settings} || ${patch}::jsonb` })
    .where(eq(environments.id, envId));
}

export async function updateReplaySettings(db: Db, envId: string, input: ReplaySettings): Promise<void> {
  const patch = JSON.stringify({ replay: input });
  await db
    .update(environments)
    .set({ settings: sql`${environments.settings} || ${patch}::jsonb` })
    .where(eq(environments.id, envId));
}
