import type { Config } from "../config";
import { createEnvironment, listEnvironments } from "../environments/environments";
import { UsageError } from "./args";
import { openMigrated } from "./open";

/** `loupe env list` and `loupe env create NAME`. */
export async function envCommand(config: Config, args: string[], out: (line: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== "list" && sub !== "create") throw new UsageError("usage: loupe env list | loupe env create NAME");
  if (sub === "create" && rest.join(" ").trim() === "") throw new UsageError("usage: loupe env create NAME");
  const database = await openMigrated(config);
  try {
    if (sub === "list") {
      for (const env of await listEnvironments(database.db)) out(`${env.id}\t${env.name}`);
    } else {
      const env = await createEnvironment(database.db, rest.join(" "));
      out(env.id);
    }
  } finally {
    await database.close();
  }
}
