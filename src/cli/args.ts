import { SETTINGS, type SettingName } from "../config";

export interface ParsedArgs {
  command: string[];
  flags: Partial<Record<SettingName, string>>;
  /** Flags that are not settings (e.g. --minutes for demo). */
  extra: Record<string, string | true>;
  help: boolean;
  version: boolean;
}

const BOOLEAN_SETTINGS = new Set<string>(["--trust-proxy", "--store-ip"]);
const BY_FLAG = new Map(Object.entries(SETTINGS).map(([k, s]) => [s.flag as string, k as SettingName]));

export class UsageError extends Error {}

/** `loupe [command …] [--flag value | --flag=value]…`; settings flags map onto SETTINGS. */
export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = { command: [], flags: {}, extra: {}, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") { out.help = true; continue; }
    if (arg === "--version" || arg === "-v") { out.version = true; continue; }
    if (!arg.startsWith("--")) { out.command.push(arg); continue; }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    const setting = BY_FLAG.get(name);
    if (value === undefined) {
      const next = argv[i + 1];
      if (BOOLEAN_SETTINGS.has(name) && (next === undefined || next.startsWith("--"))) value = "true";
      else if (next !== undefined && !next.startsWith("--")) { value = next; i++; }
    }
    if (setting) {
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      out.flags[setting] = value;
    } else out.extra[name.slice(2)] = value ?? true;
  }
  return out;
}

/** Commands other than `demo` take settings only; a mistyped flag must not be silently ignored. */
export function rejectUnknownOptions(command: string, extra: ParsedArgs["extra"]): void {
  if (command === "demo") return;
  const [name] = Object.keys(extra);
  if (name !== undefined) throw new UsageError(`unknown option --${name} for "${command}" (see loupe --help)`);
}

export function helpText(version: string): string {
  const rows = Object.values(SETTINGS).map((s) => `  ${`${s.flag} <value>`.padEnd(28)} ${s.help} (env ${s.env})`);
  return [
    `loupe ${version} — self-hosted user-level product analytics`,
    "",
    "Usage:",
    "  loupe [serve] [options]          start the server (default)",
    "  loupe env list                   list environments: id<TAB>name",
    "  loupe env create NAME            create an environment, print its id",
    "  loupe migrate                    apply database migrations and exit",
    "  loupe healthcheck                exit 0 if the server on this machine answers /healthz",
    "  loupe admin reset-password EMAIL set a new password (read from LOUPE_NEW_PASSWORD or stdin)",
    "  loupe demo [--minutes N] [--rate N] [--url URL] [--env ID]",
    "                                   send realistic demo traffic to a running Loupe",
    "",
    "Options:",
    ...rows,
    "  --help, --version",
  ].join("\n");
}
