#!/usr/bin/env bun
// The binary's entry: read config, then run a subcommand (serve by default).
import { ConfigError, loadConfig } from "./config";
import { adminCommand, readPasswordFromStdin } from "./cli/admin";
import { demoCommand } from "./cli/demo";
import { envCommand } from "./cli/env";
import { healthcheckCommand } from "./cli/healthcheck";
import { helpText, parseArgs, rejectUnknownOptions, UsageError } from "./cli/args";
import { OpenError, openMigrated } from "./cli/open";
import { serveCommand } from "./cli/serve";
import { setLogLevel } from "./log";
import { VERSION } from "./version";

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.version) { console.log(VERSION); return 0; }
  if (args.help) { console.log(helpText(VERSION)); return 0; }
  const config = loadConfig(process.env, args.flags);
  setLogLevel(config.logLevel);
  const [command = "serve", ...rest] = args.command;
  rejectUnknownOptions(command, args.extra);
  switch (command) {
    case "serve":
      await serveCommand(config);
      return -1; // keeps running
    case "env":
      await envCommand(config, rest, (l) => console.log(l));
      return 0;
    case "admin":
      await adminCommand(config, rest, { out: (l) => console.log(l), readPassword: readPasswordFromStdin, env: process.env });
      return 0;
    case "demo":
      await demoCommand(config, args.extra, (l) => console.log(l));
      return 0;
    case "healthcheck":
      return healthcheckCommand(config, (l) => console.log(l), (l) => console.error(l));
    case "migrate": {
      const database = await openMigrated(config);
      await database.close();
      console.log("migrations applied");
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}" (see loupe --help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exit(code); },
  (err) => {
    if (err instanceof ConfigError || err instanceof UsageError) {
      console.error(`loupe: ${err.message}`);
      process.exit(2);
    }
    if (err instanceof OpenError) {
      console.error(`loupe: ${err.message}`);
      if (process.env.LOUPE_LOG_LEVEL === "debug") console.error(err.cause);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  },
);
