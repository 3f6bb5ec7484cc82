import { existsSync, statSync } from "node:fs";
import { z } from "zod";
import { passwordSchema } from "./auth/password";

/** Defaults of settings (and of a first environment). */
export const DEFAULTS = {
  port: 3000,
  host: "0.0.0.0",
  dataDir: "./loupe-data",
  logLevel: "info",
  environmentName: "My product",
  timeZone: "UTC",
  /** Ingest requests per second per environment (burst = 2 s worth); 0 turns the limit off. */
  rateLimitPerSecond: 2000,
} as const;

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"], { message: "must be true or false" })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const nonEmpty = () => z.string().min(1, "must not be empty");

/** A file that must exist when Loupe starts (certificates, the GeoIP database). */
const existingFile = () => nonEmpty().refine((p) => existsSync(p) && statSync(p).isFile(), { message: "no such file" });

const url = (what: string) =>
  z.string().refine((v) => URL.canParse(v), { message: `must be a ${what} URL` });

/** Each setting: its environment variable, its CLI flag, and its zod rule. */
export const SETTINGS = {
  port: { env: "PORT", flag: "--port", help: "HTTP port", schema: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(0, "must be 0..65535").max(65535, "must be 0..65535").default(DEFAULTS.port) },
  host: { env: "HOST", flag: "--host", help: "address to listen on", schema: nonEmpty().default(DEFAULTS.host) },
  databaseUrl: { env: "DATABASE_URL", flag: "--database-url", help: "PostgreSQL URL; without it Loupe uses embedded PGlite", schema: url("postgres://").refine((v) => /^postgres(ql)?:\/\//.test(v), { message: "must start with postgres:// or postgresql://" }).optional() },
  dataDir: { env: "LOUPE_DATA_DIR", flag: "--data-dir", help: "folder for the embedded database", schema: nonEmpty().default(DEFAULTS.dataDir) },
  baseUrl: { env: "LOUPE_BASE_URL", flag: "--base-url", help: "public URL of this Loupe (used for links and the WebSocket Origin check)", schema: url("http(s)://").refine((v) => /^https?:\/\//.test(v), { message: "must start with http:// or https://" }).optional() },
  logLevel: { env: "LOUPE_LOG_LEVEL", flag: "--log-level", help: "debug, info, warn or error", schema: z.enum(["debug", "info", "warn", "error"], { message: "must be debug, info, warn or error" }).default(DEFAULTS.logLevel) },
  tlsCert: { env: "LOUPE_TLS_CERT", flag: "--tls-cert", help: "PEM certificate file; serve HTTPS", schema: existingFile().optional() },
  tlsKey: { env: "LOUPE_TLS_KEY", flag: "--tls-key", help: "PEM private key file for --tls-cert", schema: existingFile().optional() },
  trustProxy: { env: "LOUPE_TRUST_PROXY", flag: "--trust-proxy", help: "take client IP and scheme from X-Forwarded-* headers", schema: bool.default(false) },
  adminEmail: { env: "LOUPE_ADMIN_EMAIL", flag: "--admin-email", help: "create this admin on first run (unattended installs)", schema: z.email({ message: "must be an email address" }).optional() },
  adminPassword: { env: "LOUPE_ADMIN_PASSWORD", flag: "--admin-password", help: "password for --admin-email", schema: passwordSchema.optional() },
  geoipDb: { env: "LOUPE_GEOIP_DB", flag: "--geoip-db", help: "MaxMind-format city database (.mmdb)", schema: existingFile().optional() },
  storeIp: { env: "LOUPE_STORE_IP", flag: "--store-ip", help: "keep raw client IPs on sessions", schema: bool.default(false) },
  maxBodyBytes: { env: "LOUPE_MAX_BODY_BYTES", flag: "--max-body-bytes", help: "largest accepted ingest body", schema: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1024, "must be at least 1024").default(1_000_000) },
  rateLimit: { env: "LOUPE_RATE_LIMIT", flag: "--rate-limit", help: "ingest requests per second per environment (0 = unlimited)", schema: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").default(DEFAULTS.rateLimitPerSecond) },
  metricsToken: { env: "LOUPE_METRICS_TOKEN", flag: "--metrics-token", help: "when set, /metrics requires Authorization: Bearer <token>", schema: z.string().min(16, "must be at least 16 characters").optional() },
} as const;

type Settings = typeof SETTINGS;
const SECRET_SETTINGS = new Set<string>(["adminPassword", "metricsToken"]);
export type Config = { [K in keyof Settings]: z.output<Settings[K]["schema"]> };
export type SettingName = keyof Settings;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Builds the config from environment variables, overridden by CLI flags.
 * Throws ConfigError with one line naming the setting on the first bad value.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, flags: Partial<Record<SettingName, string>> = {}): Config {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SETTINGS) as [SettingName, Settings[SettingName]][]) {
    const fromFlag = flags[key];
    const fromEnv = env[s.env];
    const raw = fromFlag ?? (fromEnv === "" ? undefined : fromEnv);
    const parsed = (s.schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      const origin = fromFlag !== undefined ? s.flag : s.env;
      // Secrets never reach logs, even when they are wrong.
      const shown = SECRET_SETTINGS.has(key) ? "(hidden)" : JSON.stringify(raw);
      throw new ConfigError(`Invalid setting ${origin}=${shown}: ${parsed.error.issues[0]?.message ?? "invalid value"}`);
    }
    out[key] = parsed.data;
  }
  const config = out as Config;
  if (Boolean(config.tlsCert) !== Boolean(config.tlsKey)) {
    throw new ConfigError("Invalid setting LOUPE_TLS_CERT/LOUPE_TLS_KEY: both must be set to serve HTTPS");
  }
  if (Boolean(config.adminEmail) !== Boolean(config.adminPassword)) {
    throw new ConfigError("Invalid setting LOUPE_ADMIN_EMAIL/LOUPE_ADMIN_PASSWORD: set both or neither");
  }
  return config;
}
