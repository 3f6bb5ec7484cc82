// The group steps, run by the batch writer inside ONE transaction for every request it grouped:
// deduplicate → resolve identity → sessionise → detect rage → write.
import { LoupeError } from "../errors";
import type { Db } from "../db/client";
import { dedupe } from "./dedupe";
import { EnvBatch } from "./env-batch";
import type { GroupOrder } from "./group-order";
import { identify, resolveSubject } from "./identity";
import { mergeProperties } from "./properties";
import { detectRage } from "./rage";
import { sessionise } from "./sessionise";
import type { IngestState } from "./state";
import type { Job, Unit } from "./types";
import { backflagRage, insertEvents } from "./write-events";
import { upsertSessions } from "./write-sessions";
import { completeInitialLanding, lockUsers, upsertUsers } from "./write-users";

export interface WrittenBatch {
  batch: EnvBatch;
  storedEventIds: Set<string>;
  sessionIds: Set<number>;
}

const firstTime = (unit: Unit) => {
  const m = unit.messages[0];
  return m ? (m.kind === "event" ? m.event.time : m.time) : Date.now();
};

async function processUnit(batch: EnvBatch, job: Job, unit: Unit): Promise<void> {
  let user = await resolveSubject(batch, unit.subject, firstTime(unit));
  batch.users.set(user.id, user);
  for (const m of unit.messages) {
    if (m.kind === "identify") {
      const out = await identify(batch, user, m.identity, m.time, unit.strictIdentity);
      if (out.warning) job.result.warnings.push(out.warning);
      user = out.user;
      batch.users.set(user.id, user);
    } else if (m.kind === "user_properties") {
      const change = batch.change(user.id);
      change.properties = mergeProperties(change.properties ?? {}, m.properties);
    } else if (!m.event.dropped) {
      await sessionise(batch, unit, user, m.event, job.request.device);
      batch.events.push(m.event);
    }
  }
  job.result.userId = user.id;
}

/**
 * Runs every job of one group in `tx`: first the steps of every environment's part (calling `processed`
 * once the shared state is up to date), then their writes; returns what each environment wrote.
 */
export async function processGroup(tx: Db, state: IngestState, jobs: Job[], order: GroupOrder, processed: () => void): Promise<WrittenBatch[]> {
  const byEnv = new Map<string, { batch: EnvBatch; jobs: Job[] }>();
  for (const job of jobs) {
    const envId = job.request.envId;
    let entry = byEnv.get(envId);
    if (!entry) byEnv.set(envId, (entry = { batch: new EnvBatch(tx, state.env(envId), order), jobs: [] }));
    entry.jobs.push(job);
  }
  await state.whileProcessing(async () => {
    for (const { batch, jobs: envJobs } of byEnv.values()) {
      await dedupe(batch, envJobs);
      await prefetch(batch, envJobs);
      for (const job of envJobs) {
        try {
          for (const unit of job.request.units) await processUnit(batch, job, unit);
        } catch (err) {
          // Only raised before the job changed anything (a refused server identify).
          if (err instanceof LoupeError) job.error = err;
          else throw err;
        }
      }
      await detectRage(batch);
    }
  });
  processed();
  const written: (WrittenBatch & { userIds: number[] })[] = [];
  for (const { batch } of byEnv.values()) written.push({ batch, ...(await writeBatch(batch)) });
  order.wrote();
  await order.previousCommitted();
  // Last, so the previous group's new users are visible (write-users.ts, lockUsers).
  for (const { batch, userIds } of written) await lockUsers(batch, userIds);
  return written;
}

/**
 * The write statements go out together (postgres.js pipelines them on the transaction's connection), so
 * the server runs them back to back while this process prepares the next group. The events INSERT goes
 * first and at once; users, sessions and rage back-flags follow the previous group's writes (group-order.ts).
 * Users and sessions are written for every pending event: dedupe already dropped the ones stored before,
 * so an INSERT storing fewer rows than sent means another process stored it meanwhile, and the group is
 * rolled back and retried.
 */
async function writeBatch(batch: EnvBatch): Promise<Omit<WrittenBatch, "batch"> & { userIds: number[] }> {
  const pendingIds = new Set<string>();
  const touchedUsers = new Set(batch.userChanges.keys());
  for (const e of batch.events) {
    if (e.dropped !== null) continue;
    pendingIds.add(e.id);
    touchedUsers.add(e.userId);
  }
  const inserting = insertEvents(batch);
  const others = batch.order.previousWrote().then(() =>
    Promise.all([
      upsertUsers(batch, [...touchedUsers]),
      upsertSessions(batch, pendingIds).then(async (ids) => (await completeInitialLanding(batch), ids)),
      backflagRage(batch),
    ]),
  );
  const [stored, [, sessionIds]] = await Promise.all([inserting, others]);
  if (stored !== pendingIds.size) throw new Error("events stored concurrently by another writer; retrying the group");
  return { storedEventIds: pendingIds, sessionIds, userIds: [...touchedUsers] };
}

/** One query per kind for the whole group instead of one per unit. */
async function prefetch(batch: EnvBatch, jobs: Job[]): Promise<void> {
  const userIds: number[] = [];
  const identities: string[] = [];
  const sessionIds: number[] = [];
  for (const job of jobs) {
    for (const unit of job.request.units) {
      if ("userId" in unit.subject) userIds.push(unit.subject.userId);
      else identities.push(unit.subject.identity);
      if (unit.sessionId !== null) sessionIds.push(batch.state.clientSessions.peek(unit.sessionId) ?? unit.sessionId);
    }
  }
  await batch.state.loadIdentities(batch.tx, identities);
  await batch.state.loadUsers(batch.tx, userIds);
  await batch.state.loadSessions(batch.tx, sessionIds);
}
