// Input validation for routes: Hono's validator with a zod schema, its first issue a 400 naming the
// field (src/validate.ts). Handlers read `c.req.valid("form" | "query" | "param")`.
import { validator } from "hono/validator";
import { z } from "zod";
import { parse } from "../validate";

export const form = <S extends z.ZodType>(schema: S) => validator("form", (value) => parse(schema, value) as z.output<S>);
export const query = <S extends z.ZodType>(schema: S) => validator("query", (value) => parse(schema, value) as z.output<S>);
export const params = <S extends z.ZodType>(schema: S) => validator("param", (value) => parse(schema, value) as z.output<S>);

const ID_MESSAGE = "must be a decimal id between 0 and 2^53-1";

/** A numeric id in a path (users, sessions, segments, kiosk links): decimal, 0 to 2^53-1. */
export const pathId = z.string().regex(/^\d{1,16}$/, ID_MESSAGE).transform(Number).refine(Number.isSafeInteger, ID_MESSAGE);

/** An event id in a path or query: a UUID, lower-cased. */
export const pathUuid = z.uuid("must be an event id (UUID)").transform((s) => s.toLowerCase());
