// What the Users page and its fragments show: the first page of a view with its count, and one row of
// it (re-rendered by live updates and by expanding it).
import type { Db } from "../db/client";
import type { UsersView } from "../filters/view";
import { countUsers, listUsers, userListRow, userMatchesView, type ListEnv, type UserListPage, type UserListRow } from "./list";
import { hasAnyUsers } from "./list-env";
import { userRowDetails, type RowDetails } from "./row-details";

export interface UsersResults<E extends ListEnv = ListEnv> {
  env: E;
  view: UsersView;
  page: UserListPage;
  count: number;
  /** False when the environment has never received a user: the page shows how to get data in. */
  hasAnyUsers: boolean;
}

export async function usersResults<E extends ListEnv>(db: Db, env: E, view: UsersView): Promise<UsersResults<E>> {
  const page = await listUsers(db, { env, view });
  const [count, any] = await Promise.all([countUsers(db, { env, view, asOf: page.asOf }), page.rows.length ? true : hasAnyUsers(db, env.id)]);
  return { env, view, page, count, hasAnyUsers: any };
}

/** One user's row for the view (undefined when the user is gone), its details when expanded, and whether it still matches. */
export async function usersRow(db: Db, env: ListEnv, view: UsersView, userId: number, expanded: boolean): Promise<{ row?: UserListRow; details?: RowDetails; matches: boolean }> {
  const q = { env, view, userId };
  const row = await userListRow(db, q);
  if (!row) return { matches: false };
  const [details, matches] = await Promise.all([expanded ? userRowDetails(db, env.id, userId) : undefined, userMatchesView(db, q)]);
  return { row, details, matches };
}
