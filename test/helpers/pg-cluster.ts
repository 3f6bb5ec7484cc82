// A PostgreSQL cluster of the test's own: initdb into a temporary folder, served on a free port, started
// and stopped by the test (fault tests stop it under load). The suite's shared server is never touched.
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./process";

const BIN = "/usr/lib/postgresql/15/bin";
/** initdb and postgres refuse to run as root: as root, they run as the `postgres` account. */
const AS_POSTGRES = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];

export const clusterAvailable = () => existsSync(join(BIN, "initdb"));

export interface Cluster {
  url: string;
  port: number;
  /** Stops the server: `fast` ends every session at once (what a restart or a failover does). */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
  /** Stops it (if running) and deletes its folder. */
  destroy(): Promise<void>;
}

async function sh(cmd: string[]): Promise<void> {
  const proc = Bun.spawn([...AS_POSTGRES, ...cmd], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" } });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}:\n${out}\n${err}`);
}

/** A fresh cluster with a `loupe` superuser (trust auth on 127.0.0.1) and a `loupe` database, running. */
export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), "loupe-pg-"));
  chmodSync(dir, 0o700);
  if (AS_POSTGRES.length) chownSync(dir, Number(Bun.spawnSync(["id", "-u", "postgres"]).stdout.toString().trim()), Number(Bun.spawnSync(["id", "-g", "postgres"]).stdout.toString().trim()));
  const data = join(dir, "data");
  const port = freePort();
  await sh([`${BIN}/initdb`, "-D", data, "-A", "trust", "-U", "loupe", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB`;
  let running = false;
  const cluster: Cluster = {
    port,
    url: `postgres://loupe@127.0.0.1:${port}/loupe`,
    start: async () => {
      await sh([`${BIN}/pg_ctl`, "-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "30", "start"]);
      running = true;
    },
    stop: async (mode = "fast") => {
      await sh([`${BIN}/pg_ctl`, "-D", data, "-m", mode, "-w", "-t", "30", "stop"]);
      running = false;
    },
    destroy: async () => {
      if (running) await cluster.stop("immediate").catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  await sh([`${BIN}/createdb`, "-h", "127.0.0.1", "-p", String(port), "-U", "loupe", "loupe"]);
  return cluster;
}
