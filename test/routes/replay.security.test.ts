// The replay dashboard routes: login required, the environment's own sessions only, and the frame's
// security policy (its own, still without eval; the dashboard pages keep theirs).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEnvironment } from "../../src/environments/environments";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import { deviceWithSession, inflate, postChunk, rrwebEvents, upload } from "../helpers/replay";

let t: TestApp;
let login: LoggedIn;
let sessionId: string;
let userId: string;
beforeAll(async () => {
  t = await startTestApp();
  login = await loginAs(t);
  const d = await deviceWithSession(t.url, t.env.id);
  await postChunk(t.url, upload(d, rrwebEvents(Date.now() - 2000)));
  await postChunk(t.url, upload(d, rrwebEvents(Date.now() - 1000, 2, "Second")));
  sessionId = d.sessionId;
  userId = d.userId;
}, 60_000);
afterAll(async () => { await t?.close(); }, 60_000);

const base = () => `/e/${t.env.id}/sessions/${sessionId}/replay`;

/** The stream's frames: header JSON and gzip bytes (src/replay/stream.ts). */
function frames(bytes: Uint8Array) {
  const out: { head: { seq: number; bytes: number; windowId: string }; data: Uint8Array }[] = [];
  for (let at = 0; at < bytes.length;) {
    const len = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
    const head = JSON.parse(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + len)));
    out.push({ head, data: bytes.subarray(at + 4 + len, at + 4 + len + head.bytes) });
    at += 4 + len + head.bytes;
  }
  return out;
}

describe("replay routes", () => {
  test("need a login", async () => {
    for (const path of [base(), `${base()}/chunks`, `${base()}/marks`]) {
      const res = await fetch(t.url + path, { redirect: "manual" });
      expect([302, 303, 401]).toContain(res.status);
    }
  });

  test("stream the chunks in order as stored, from any point", async () => {
    const res = await login.fetch(`${base()}/chunks`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const all = frames(new Uint8Array(await res.arrayBuffer()));
    expect(all.map((f) => f.head.seq)).toEqual([0, 1]);
    const events = inflate(all[1].data);
    expect(JSON.stringify(events)).toContain("Second");
    const after = frames(new Uint8Array(await (await login.fetch(`${base()}/chunks?after=0`)).arrayBuffer()));
    expect(after.map((f) => f.head.seq)).toEqual([1]);
    expect((await login.fetch(`${base()}/chunks?after=x`)).status).toBe(400);
  });

  test("marks are the session's events with their times", async () => {
    const res = await login.fetch(`${base()}/marks`);
    const body = await res.json();
    expect(body.marks.length).toBeGreaterThan(0);
    expect(body.marks[0]).toMatchObject({ rage: false });
    expect(typeof body.marks[0].at).toBe("number");
  });

  test("another environment's URL does not reach this session's recording", async () => {
    const other = await createEnvironment(t.database.db, "Other");
    for (const path of [`/e/${other.id}/sessions/${sessionId}/replay`, `/e/${other.id}/sessions/${sessionId}/replay/chunks`]) {
      const res = await login.fetch(path);
      expect(res.status).toBe(404);
    }
  });

  test("the frame has its own policy: recorded styles and images, scripts from Loupe only, no eval, framed by Loupe alone", async () => {
    const res = await login.fetch(base());
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toMatch(/default-src 'none'/);
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const session = await login.fetch(`/e/${t.env.id}/users/${userId}/sessions/${sessionId}`);
    const pageCsp = session.headers.get("content-security-policy")!;
    expect(pageCsp).toContain("style-src 'self'");
    expect(pageCsp).not.toContain("unsafe-inline");
    expect(pageCsp).toContain("frame-ancestors 'none'");
    expect(await session.text()).toContain(`src="${base()}"`);
  });
});
