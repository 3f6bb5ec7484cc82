// Saved segments: a name and the filter groups, per environment. The only module that reads or
// writes the segments table.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { USERS_LIST } from "../users/limits";
import type { Db } from "../db/client";
import { segments } from "../db/schema";
import { LoupeError, invalid } from "../errors";
import { parseView } from "./view";
import { segmentFiltersSchema, type FilterGroup } from "./model";

export interface Segment {
  id: number;
  name: string;
  groups: FilterGroup[];
  createdAt: Date;
}

export const segmentNameSchema = z.string().trim().min(1, "must not be empty").max(USERS_LIST.segmentNameChars, `must be at most ${USERS_LIST.segmentNameChars} characters`);

function toSegment(row: typeof segments.$inferSelect): Segment {
  // Stored filters are re-validated: a row that no longer fits the model shows as an empty segment.
  const parsed = segmentFiltersSchema.safeParse(row.filters);
  return { id: row.id, name: row.name, groups: parsed.success ? parsed.data.groups : [], createdAt: row.createdAt };
}

function checkName(name: string): string {
  const parsed = segmentNameSchema.safeParse(name);
  if (!parsed.success) throw invalid("name", `Segment name ${parsed.error.issues[0].message}`);
  return parsed.data;
}

const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === "23505" || err?.cause?.code === "23505";
};

const duplicate = (name: string) => new LoupeError("already_exists", `A segment named “${name}” already exists.`, { field: "name" });

export async function listSegments(db: Db, envId: string): Promise<Segment[]> {
  const rows = await db.select().from(segments).where(eq(segments.envId, envId)).orderBy(asc(segments.name), asc(segments.id));
  return rows.map(toSegment);
}

export async function getSegment(db: Db, envId: string, id: number): Promise<Segment | undefined> {
  const [row] = await db.select().from(segments).where(and(eq(segments.envId, envId), eq(segments.id, id)));
  return row ? toSegment(row) : undefined;
}

export async function createSegment(db: Db, envId: string, name: string, groups: FilterGroup[]): Promise<Segment> {
  const clean = checkName(name);
  const filters = segmentFiltersSchema.parse({ groups });
  if (filters.groups.length === 0) throw invalid("f", "A segment needs at least one filter.");
  try {
    const [row] = await db.insert(segments).values({ envId, name: clean, filters }).returning();
    return toSegment(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(clean);
    throw e;
  }
}

/** Saves the filter groups of a Users-page view (its `f` parameters) as a segment. */
export async function saveSegmentFromFilters(db: Db, envId: string, name: string, f: string[]): Promise<Segment> {
  const { view, error } = parseView(new URLSearchParams(f.map((g) => ["f", g] as [string, string])));
  if (error) throw invalid("f", error.message);
  return createSegment(db, envId, name, view.groups);
}

export async function renameSegment(db: Db, envId: string, id: number, name: string): Promise<Segment | undefined> {
  const clean = checkName(name);
  try {
    const [row] = await db.update(segments).set({ name: clean }).where(and(eq(segments.envId, envId), eq(segments.id, id))).returning();
    return row ? toSegment(row) : undefined;
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(clean);
    throw e;
  }
}

export async function deleteSegment(db: Db, envId: string, id: number): Promise<boolean> {
  const rows = await db.delete(segments).where(and(eq(segments.envId, envId), eq(segments.id, id))).returning({ id: segments.id });
  return rows.length > 0;
}
