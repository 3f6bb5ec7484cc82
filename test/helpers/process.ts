// Real Loupe (or baseline) processes for the binary smoke test, CLI tests and the start-up benchmark.
import { readFileSync } from "node:fs";
import type { Subprocess } from "bun";

export const BUN = process.execPath;
export const REPO_ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** A TCP port nobody is listening on right now. */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

/** Resident memory of a running process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  if (!line) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round(Number(line[1]) / 1024);
}

export interface Running {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  /** Milliseconds from spawn until `path` answered 200. */
  readyMs: number;
  output(): string;
  stop(): Promise<number>;
}

/** A clean environment for a child: PATH and HOME only, plus what the caller sets. */
export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/**
 * Spawns `cmd` (which must listen on `port`) and polls `path` until it answers 200.
 * Fails with the child's output if it exits first or misses `timeoutMs`.
 */
export async function startAndWait(
  cmd: string[],
  opts: { port: number; cwd: string; env: Record<string, string>; path?: string; timeoutMs?: number; https?: boolean },
): Promise<Running> {
  const url = `${opts.https ? "https" : "http"}://127.0.0.1:${opts.port}`;
  const started = performance.now();
  const proc = Bun.spawn(cmd, { cwd: opts.cwd, env: opts.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  let out = "";
  const drain = async (s: ReadableStream<Uint8Array>) => { for await (const chunk of s) out += new TextDecoder().decode(chunk); };
  void drain(proc.stdout);
  void drain(proc.stderr);
  const stop = async () => {
    if (proc.exitCode === null) proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    const code = await proc.exited;
    clearTimeout(timer);
    return code;
  };
  const deadline = started + (opts.timeoutMs ?? 60_000);
  while (performance.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${cmd.join(" ")} exited with ${proc.exitCode} before it was ready:\n${out}`);
    // A self-signed test certificate is fine here: this only waits for the server to answer.
    const ok = await fetch(`${url}${opts.path ?? "/readyz"}`, { tls: { rejectUnauthorized: false } }).then((r) => r.status === 200, () => false);
    if (ok) return { proc, url, readyMs: performance.now() - started, output: () => out, stop };
    await Bun.sleep(5);
  }
  await stop();
  throw new Error(`${cmd.join(" ")} was not ready within ${opts.timeoutMs ?? 60_000} ms:\n${out}`);
}

/** Runs a command to completion, capturing its output. */
export async function run(cmd: string[], opts: { cwd?: string; env: Record<string, string> }) {
  const proc = Bun.spawn(cmd, { cwd: opts.cwd ?? REPO_ROOT, env: opts.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
