// Times each Users-page query (the real functions) beside the best hand-written SQL for the same rows,
// in the same run: p50/p95, row counts, and EXPLAIN ANALYZE of both.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Database } from "../../src/db/client";
import type { FilterGroup } from "../../src/filters/model";
import { clearSuggestionCache, userPropertyValues } from "../../src/filters/suggestions";
import { resolveTimeline } from "../../src/filters/timeline";
import { DEFAULT_VIEW, type UsersView } from "../../src/filters/view";
import { countUsers, listScope, listUsers, pageKeysQuery, type ListEnv } from "../../src/users/list";
import { listSessionEvents, mostFrequent } from "../../src/users/session-events";
import { findUser, mergeHistory, userTotals } from "../../src/users/user";
import { listUserSessions } from "../../src/users/user-sessions";

interface Timing { p50: number; p95: number; rows: number }

async function time(iterations: number, fn: () => Promise<number>): Promise<Timing> {
  let rows = 0;
  for (let i = 0; i < 2; i++) rows = await fn();
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    rows = await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), rows };
}

async function plan(database: Database, query: SQL): Promise<string> {
  const rows = await queryRows<Record<string, string>>(database.db, sql`explain (analyze, buffers) ${query}`);
  return rows.map((r) => `      ${Object.values(r)[0]}`).join("\n");
}

const f = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;

export async function measureAll(database: Database, env: ListEnv, iterations: number): Promise<void> {
  const db = database.db;
  const e = env.id;
  const [heavy] = await queryRows<{ user_id: string }>(db, sql`select user_id::text from sessions where env_id = ${e} group by user_id order by count(*) desc limit 1`);
  const [bigSession] = await queryRows<{ id: string }>(db, sql`select id::text from sessions where env_id = ${e} order by event_count desc limit 1`);
  const heavyUser = Number(heavy.user_id);
  const window = resolveTimeline(DEFAULT_VIEW.timeline, env.timeZone, new Date());
  const from = window.from!.toISOString();

  const plan1: FilterGroup[] = [[{ k: "user", s: "custom", key: "plan", op: "eq", v: "pro" }]];
  const plan3: FilterGroup[] = [
    [{ k: "user", s: "custom", key: "plan", op: "eq", v: "pro" }, { k: "user", s: "custom", key: "plan", op: "eq", v: "team" }],
    [{ k: "event", did: true, e: { custom: "Added to cart" }, cnt: { op: "atLeast", n: 2 } }],
    [{ k: "user", s: "initial", key: "country", op: "neq", v: "Germany" }],
  ];
  const plan5: FilterGroup[] = [
    ...plan3,
    [{ k: "eprop", e: { raw: "pageview" }, key: "path", op: "contains", v: "/pricing" }],
    [{ k: "user", s: "custom", key: "email", op: "contains", v: ".com" }],
  ];
  const hand: Record<string, SQL> = {
    none: sql``,
    one: sql` and u.properties->>'plan' = 'pro'`,
    three: sql` and u.properties->>'plan' in ('pro', 'team')
      and u.id in (select e.user_id from events e where e.env_id = ${e} and e.type = 'custom' and e.name = 'Added to cart' and e.time >= ${from}::timestamptz
        group by e.user_id having count(*) >= 2)
      and u.initial->>'country' is distinct from 'Germany'`,
  };
  hand.five = sql`${hand.three} and u.id in (select e.user_id from events e where e.env_id = ${e} and e.type = 'pageview' and e.time >= ${from}::timestamptz and e.path like '%/pricing%')
      and u.properties->>'email' ilike '%.com%'`;
  const handList = (extra: SQL) => sql`select u.id, (select count(*) from sessions s where s.env_id = u.env_id and s.user_id = u.id and s.last_at >= ${from}::timestamptz) as sessions, ev.n, ev.rage
    from (select u.id, u.env_id, u.last_seen from users u where u.env_id = ${e} and u.last_seen >= ${from}::timestamptz${extra} order by u.last_seen desc, u.id desc limit 50) u
    left join lateral (select count(*) as n, count(*) filter (where e.rage) as rage from events e where e.env_id = u.env_id and e.user_id = u.id and e.time >= ${from}::timestamptz) ev on true
    order by u.last_seen desc, u.id desc`;
  const handCount = (extra: SQL) => sql`select count(*)::int as n from users u where u.env_id = ${e} and u.last_seen >= ${from}::timestamptz${extra}`;

  const cases: { name: string; target?: number; ours: () => Promise<number>; hand: () => Promise<number>; oursPlan?: SQL; handPlan: SQL }[] = [];
  const listCase = (name: string, groups: FilterGroup[], extra: SQL, target?: number, q = "") => {
    const view: UsersView = { ...DEFAULT_VIEW, groups, q };
    const scope = listScope({ env, view });
    cases.push({
      name, target,
      ours: async () => {
        const [page, count] = await Promise.all([listUsers(db, { env, view }), countUsers(db, { env, view })]);
        return page.rows.length + count * 0;
      },
      hand: async () => {
        const [rows] = await Promise.all([queryRows(db, handList(extra)), queryRows(db, handCount(extra))]);
        return rows.length;
      },
      oursPlan: pageKeysQuery(env.id, view.sort, scope, undefined, 51),
      handPlan: handList(extra),
    });
  };
  listCase("Users page, default (past 7 days)", [], hand.none, 150);
  listCase("Users page, 1 filter", plan1, hand.one);
  listCase("Users page, 3 filters", plan3, hand.three, 400);
  listCase("Users page, 5 mixed filters", plan5, hand.five);
  // Search for the local part of a recently active user's email, as someone would type it.
  const [probe] = await queryRows<{ email: string }>(db, sql`select properties->>'email' as email from users where env_id = ${e} and properties ? 'email' order by last_seen desc offset 20 limit 1`);
  const needle = (probe?.email ?? "user1@").split("@")[0] + "@";
  listCase(`Quick search ("${needle}")`, [], sql` and (u.identity ilike ${`%${needle}%`} or u.properties->>'email' ilike ${`%${needle}%`})`, undefined, needle);

  cases.push({
    name: "Suggestions (company values containing 'acme1', uncached)", target: 100,
    ours: async () => {
      clearSuggestionCache();
      return (await userPropertyValues(db, e, "custom", "company", "acme1")).length;
    },
    hand: async () => (await queryRows(db, sql`select properties->>'company' as v, count(*) from (select properties from users where env_id = ${e} order by last_seen desc limit 10000) r
      where properties->>'company' ilike '%acme1%' group by 1 order by 2 desc limit 20`)).length,
    handPlan: sql`select properties->>'company' as v, count(*) from (select properties from users where env_id = ${e} order by last_seen desc limit 10000) r where properties->>'company' ilike '%acme1%' group by 1 order by 2 desc limit 20`,
  });
  cases.push({
    name: `User page (heaviest user, ${heavy.user_id})`, target: 50,
    ours: async () => {
      const [found, totals, merges, sessions] = await Promise.all([findUser(db, e, heavyUser), userTotals(db, e, heavyUser), mergeHistory(db, e, heavyUser), listUserSessions(db, e, heavyUser)]);
      return sessions.rows.length + (found.kind === "found" ? 0 : 0) + (totals ? 0 : 0) + merges.length * 0;
    },
    hand: async () => (await queryRows(db, sql`select * from sessions where env_id = ${e} and user_id = ${heavyUser}::bigint order by started_at desc, id desc limit 50`)).length,
    handPlan: sql`select * from sessions where env_id = ${e} and user_id = ${heavyUser}::bigint order by started_at desc, id desc limit 50`,
  });
  cases.push({
    name: `Session events (largest session, ${bigSession.id})`, target: 50,
    ours: async () => {
      const [page] = await Promise.all([listSessionEvents(db, e, Number(bigSession.id), []), mostFrequent(db, e, Number(bigSession.id), [])]);
      return page.rows.length;
    },
    hand: async () => (await queryRows(db, sql`select * from events where env_id = ${e} and session_id = ${bigSession.id}::bigint order by time, id limit 200`)).length,
    handPlan: sql`select * from events where env_id = ${e} and session_id = ${bigSession.id}::bigint order by time, id limit 200`,
  });

  const summary: string[] = [];
  for (const c of cases) {
    const ours = await time(iterations, c.ours);
    const handT = await time(iterations, c.hand);
    const verdict = c.target ? (ours.p95 < c.target ? `  ✓ target p95 < ${c.target} ms` : `  ✗ target p95 < ${c.target} ms`) : "";
    const text = `${c.name}\n    loupe:        p50 ${f(ours.p50)}  p95 ${f(ours.p95)}  rows ${ours.rows}${verdict}\n    hand-written: p50 ${f(handT.p50)}  p95 ${f(handT.p95)}  rows ${handT.rows}`;
    summary.push(text);
    console.log(`\n${text}`);
    if (c.oursPlan) console.log(`    plan (loupe, page query):\n${await plan(database, c.oursPlan)}`);
    console.log(`    plan (hand-written):\n${await plan(database, c.handPlan)}`);
  }
  console.log(`\n==== summary (${iterations} iterations each, after 2 warm-ups) ====\n${summary.join("\n")}`);
}
