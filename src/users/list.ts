// The Users list: users with activity in the timeline, keyset-paged over a snapshot. The cursor
// carries `asOf`; every page is computed as the data stood at that instant (activity after it is ignored,
// and a user whose last_seen moved past it is ranked by their last activity up to it), so "load more"
// never repeats or skips a user while events keep arriving.
import { sql, type SQL } from "drizzle-orm";
import { USERS_LIST } from "./limits";
import { queryRows, type Db } from "../db/client";
import { compileGroups, eventWindow, searchPredicate, type CompileOptions } from "../filters/compile";
import { resolveTimeline, type TimeWindow } from "../filters/timeline";
import type { UsersView } from "../filters/view";
import { cursorTime } from "./time-cursor";
import { decodeListCursor, encodeListCursor, type ListCursor } from "./list-cursor";
import { pickedUserListRows, userListRows, type UserListRow } from "./list-rows";

export type { UserListRow } from "./list-rows";

export interface ListEnv {
  id: string;
  timeZone: string;
}

export interface ListQuery {
  env: ListEnv;
  view: UsersView;
  /** The snapshot instant; the first page takes "now", later pages take it from the cursor. */
  asOf?: Date;
  /** A cursor string from a previous page (validated; its asOf wins). */
  cursor?: string;
  limit?: number;
  definedEvent?: CompileOptions["definedEvent"];
}

export interface UserListPage {
  rows: UserListRow[];
  next: string | null;
  asOf: Date;
  window: TimeWindow;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const micros = (col: SQL) => sql`(extract(epoch from ${col}) * 1000000)::bigint`;

/** The snapshot, window and compiled WHERE parts a list, count or match query shares. */
export function listScope(q: ListQuery, cursor?: ListCursor) {
  const asOf = cursor?.asOf ?? q.asOf ?? new Date();
  const window = resolveTimeline(q.view.timeline, q.env.timeZone, asOf);
  const opts: CompileOptions = { envId: q.env.id, window, definedEvent: q.definedEvent };
  const filters = [compileGroups(q.view.groups, opts), searchPredicate(q.view.q)].filter((x): x is SQL => !!x);
  const where = filters.length ? sql` and ${sql.join(filters, sql` and `)}` : sql``;
  return { asOf, window, where };
}

/** Had activity in the window as of the snapshot (last_seen beyond the window end is re-checked in events). */
export function activeInWindow(window: TimeWindow): SQL {
  const from = window.from ? sql` and u.last_seen >= ${ts(window.from)}` : sql``;
  return sql`((u.last_seen <= ${ts(window.end)}${from}) or (u.last_seen > ${ts(window.end)} and exists (select 1 from events e where e.env_id = u.env_id and e.user_id = u.id and ${eventWindow(window)})))`;
}

export async function listUsers(db: Db, q: ListQuery): Promise<UserListPage> {
  const cursor = q.cursor ? decodeListCursor(q.cursor, q.view.sort) : undefined;
  const scope = listScope(q, cursor);
  const limit = Math.min(q.limit ?? USERS_LIST.pageSize, USERS_LIST.maxPageSize);
  const keys = await queryRows<{ id: string; k: string }>(db, pageKeysQuery(q.env.id, q.view.sort, scope, cursor, limit + 1));
  const page = keys.slice(0, limit);
  const rows = await userListRows(db, q.env.id, scope.window, page.map((r) => Number(r.id)));
  const last = page[page.length - 1];
  return {
    rows,
    next: keys.length > limit && last ? encodeListCursor({ asOf: scope.asOf, sort: q.view.sort, k: BigInt(last.k), id: Number(last.id) }) : null,
    asOf: scope.asOf,
    window: scope.window,
  };
}

export function pageKeysQuery(envId: string, sort: UsersView["sort"], scope: ReturnType<typeof listScope>, c: ListCursor | undefined, n: number): SQL {
  const { window, where } = scope;
  const end = ts(window.end);
  if (sort === "first") {
    const after = c ? sql` and (u.first_seen, u.id) < (${cursorTime(c.k)}, ${c.id}::bigint)` : sql``;
    return sql`select u.id::text as id, ${micros(sql`u.first_seen`)}::text as k from users u
      where u.env_id = ${envId} and u.first_seen <= ${end} and ${activeInWindow(window)}${where}${after}
      order by u.first_seen desc, u.id desc limit ${n}`;
  }
  if (sort === "events") {
    const after = c ? sql` and (x.n, u.id) < (${c.k.toString()}::bigint, ${c.id}::bigint)` : sql``;
    return sql`select u.id::text as id, x.n::text as k
      from (select e.user_id, count(*) as n from events e where e.env_id = ${envId} and ${eventWindow(window)} group by e.user_id) x
      join users u on u.env_id = ${envId} and u.id = x.user_id
      where true${where}${after}
      order by x.n desc, u.id desc limit ${n}`;
  }
  // Last seen: users whose last_seen is inside the window walk the (env_id, last_seen, id) index; the few
  // whose last_seen moved past the snapshot are ranked by their last event up to it.
  const from = window.from ? sql` and u.last_seen >= ${ts(window.from)}` : sql``;
  const afterA = c ? sql` and (u.last_seen, u.id) < (${cursorTime(c.k)}, ${c.id}::bigint)` : sql``;
  const afterB = c ? sql` and (x.k, u.id) < (${c.k.toString()}::bigint, ${c.id}::bigint)` : sql``;
  // Order by the numeric columns of p (not the text output columns, which would sort as strings).
  return sql`select p.uid::text as id, p.k::text as k from (
      (select u.id as uid, ${micros(sql`u.last_seen`)} as k from users u
        where u.env_id = ${envId} and u.last_seen <= ${end}${from}${where}${afterA}
        order by u.last_seen desc, u.id desc limit ${n})
      union all
      (select u.id, x.k from users u
        cross join lateral (select ${micros(sql`max(e.time)`)} as k from events e
          where e.env_id = u.env_id and e.user_id = u.id and ${eventWindow(window)}) x
        where u.env_id = ${envId} and u.last_seen > ${end} and x.k is not null${where}${afterB})
    ) p order by p.k desc, p.uid desc limit ${n}`;
}

/** How many users match the view at the snapshot. */
export async function countUsers(db: Db, q: ListQuery): Promise<number> {
  const { window, where } = listScope(q);
  // The two disjoint halves of activeInWindow counted apart: the first is a plain index range (index-only
  // without filters); the second only sees users whose last_seen moved past the snapshot.
  const end = ts(window.end);
  const from = window.from ? sql` and u.last_seen >= ${ts(window.from)}` : sql``;
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select (select count(*) from users u where u.env_id = ${q.env.id} and u.last_seen <= ${end}${from}${where})
      + (select count(*) from users u where u.env_id = ${q.env.id} and u.last_seen > ${end}
          and exists (select 1 from events e where e.env_id = u.env_id and e.user_id = u.id and ${eventWindow(window)})${where}) as n`,
  );
  return Number(row?.n ?? 0);
}

/** Whether one user belongs in the view right now (for live updates moving a single row). */
export async function userMatchesView(db: Db, q: ListQuery & { userId: number }): Promise<boolean> {
  const { window, where } = listScope(q);
  const [row] = await queryRows<{ ok: boolean }>(
    db,
    sql`select exists (select 1 from users u where u.env_id = ${q.env.id} and u.id = ${q.userId}::bigint and ${activeInWindow(window)}${where}) as ok`,
  );
  return row?.ok === true;
}

/** One user's list row for the view's window (live updates re-render a single row with this). */
export async function userListRow(db: Db, q: ListQuery & { userId: number }): Promise<UserListRow | undefined> {
  const { window } = listScope(q);
  const [row] = await userListRows(db, q.env.id, window, [q.userId]);
  return row;
}

/**
 * The rows of the given users that the view shows (active in its window, matching its filters), most
 * recently seen first, at most `limit`: what a live update of the list re-renders.
 */
export async function viewRowsOf(db: Db, q: ListQuery, ids: number[], limit: number): Promise<UserListRow[]> {
  if (ids.length === 0) return [];
  const { window, where } = listScope(q);
  const idList = sql.join(ids.map((id) => sql`${id}::bigint`), sql`, `);
  return pickedUserListRows(db, window, sql`select u.* from users u
    where u.env_id = ${q.env.id} and u.id in (${idList}) and ${activeInWindow(window)}${where}
    order by u.last_seen desc, u.id desc limit ${limit}`);
}
