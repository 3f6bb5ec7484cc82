// Writes sessions touched by stored events: new ones whole; existing ones' last activity, event count,
// and (if still unset) landing page, referrer and UTM values from their first pageview.
import { sql } from "drizzle-orm";
import type { EnvBatch } from "./env-batch";
import { chunks, iso, recordset } from "./recordset";

const COLUMNS =
  "id bigint, user_id bigint, source text, library text, app_name text, app_version text, browser text, os text, os_version text, " +
  "device_type text, device_model text, country text, region text, city text, ip text, referrer text, landing_page text, " +
  "utm_source text, utm_medium text, utm_campaign text, utm_term text, utm_content text, started_at timestamptz, last_at timestamptz, event_count int";

/** Upserts sessions; returns the ids written. */
export async function upsertSessions(batch: EnvBatch, stored: Set<string>): Promise<Set<number>> {
  const touched = new Map<number, { first: number; last: number; count: number }>();
  for (const e of batch.events) {
    if (!stored.has(e.id)) continue;
    const t = touched.get(e.sessionId);
    if (t) {
      t.first = Math.min(t.first, e.time);
      t.last = Math.max(t.last, e.time);
      t.count++;
    } else touched.set(e.sessionId, { first: e.time, last: e.time, count: 1 });
  }
  const rows = [];
  for (const [id, t] of touched) {
    const s = batch.sessions.get(id) ?? batch.state.sessions.peek(id);
    if (!s) throw new Error(`session ${id} of a stored event is not among the batch's sessions`);
    const d = s.device;
    const l = s.landing;
    rows.push({
      id, user_id: s.userId, source: s.source, library: s.library, app_name: d?.appName ?? null, app_version: d?.appVersion ?? null,
      browser: d?.browser ?? null, os: d?.os ?? null, os_version: d?.osVersion ?? null, device_type: d?.deviceType ?? null,
      device_model: d?.deviceModel ?? null, country: d?.country ?? null, region: d?.region ?? null, city: d?.city ?? null,
      ip: d?.ip ?? null, referrer: l?.referrer ?? "direct", landing_page: l?.page ?? null,
      utm_source: l?.utm.source ?? null, utm_medium: l?.utm.medium ?? null, utm_campaign: l?.utm.campaign ?? null,
      utm_term: l?.utm.term ?? null, utm_content: l?.utm.content ?? null,
      started_at: iso(Math.min(t.first, s.startedAt)), last_at: iso(t.last), event_count: t.count,
    });
  }
  const firstPageview = (col: string) =>
    sql.raw(`${col} = case when sessions.landing_page is null and excluded.landing_page is not null then excluded.${col} else sessions.${col} end`);
  for (const part of chunks(rows)) {
    await batch.tx.execute(sql`insert into sessions (env_id, id, user_id, source, library, app_name, app_version, browser, os, os_version,
        device_type, device_model, country, region, city, ip, referrer, landing_page, utm_source, utm_medium, utm_campaign, utm_term,
        utm_content, started_at, last_at, event_count)
      select ${batch.state.envId}, x.id, x.user_id, x.source, x.library, x.app_name, x.app_version, x.browser, x.os, x.os_version,
        x.device_type, x.device_model, x.country, x.region, x.city, x.ip, x.referrer, x.landing_page, x.utm_source, x.utm_medium,
        x.utm_campaign, x.utm_term, x.utm_content, x.started_at, x.last_at, x.event_count
      from ${recordset(part, COLUMNS)}
      on conflict (env_id, id) do update set
        user_id = excluded.user_id,
        started_at = least(sessions.started_at, excluded.started_at),
        last_at = greatest(sessions.last_at, excluded.last_at),
        event_count = sessions.event_count + excluded.event_count,
        ${firstPageview("referrer")}, ${firstPageview("utm_source")}, ${firstPageview("utm_medium")}, ${firstPageview("utm_campaign")},
        ${firstPageview("utm_term")}, ${firstPageview("utm_content")},
        landing_page = coalesce(sessions.landing_page, excluded.landing_page)`);
  }
  for (const id of touched.keys()) {
    const s = batch.sessions.get(id)!;
    s.stored = true;
    s.landing = null;
  }
  return new Set(touched.keys());
}
