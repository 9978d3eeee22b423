import "server-only";
import { z } from "zod";

// The only reader of process.env. Everything configurable is named, typed and defaulted here.
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  // A streaming replica of DATABASE_URL for the dashboard's reads (docs/replica.md); unset: all on the primary.
  DATABASE_READ_URL: z.string().url().optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DEMO_DATA: z.enum(["on", "off"]).default("on"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Sign-in: AUTH_SECRET signs session cookies (npm start makes and keeps one in .data when unset);
  // AUTH_URL is the public address when the app runs behind a proxy.
  AUTH_SECRET: z.string().min(32).optional(),
  AUTH_URL: z.string().url().optional(),
  SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(8),
  LOGIN_MAX_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).default(5),
  // The first admin, created on first start when no user exists.
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12).max(256).optional(),
  ALERT_HIGH_QUEUED: z.coerce.number().int().min(1).default(200),
  ALERT_HIGH_AGE_MINUTES: z.coerce.number().int().min(1).default(60),
  EXPIRY_SWEEP_GRACE_MINUTES: z.coerce.number().int().min(0).default(5),
  // Retention (docs/partitioning.md): days of events (whole day partitions dropped past it; older
  // events refused at ingest) and of hourly counts (history charts), which are kept longer.
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  HOURLY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  // Periodic work (lib/jobs): how often an instance tries to become the leader, or checks it still is.
  JOBS_POLL_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
  // "on": every job run's start and end is logged with its time, so runs can be traced across instances.
  JOBS_LOG_RUNS: z.enum(["on", "off"]).default("off"),
  // Validate connector (lib/probe, docs/probe.md). Minutes between scheduled probes of each enabled
  // connector (0: none), how many run at once, the DNS servers the probe asks ("127.0.0.1:5353,…";
  // the system's when unset), a PEM file of CAs trusted besides Node's, and when a certificate's
  // coming expiry raises a warning.
  PROBE_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  PROBE_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  PROBE_DNS_SERVERS: z.string().optional(),
  PROBE_CA_FILE: z.string().min(1).optional(),
  PROBE_SENDER: z.string().email().optional(),
  CERT_WARN_DAYS: z.coerce.number().int().min(1).max(365).default(21),
  // Real sources (docs/sources.md): a Postfix log the app follows, the zone of its time stamps
  // (the process's when unset), and how long a followed source may stay silent before it alerts.
  POSTFIX_LOG: z.string().min(1).optional(),
  POSTFIX_TIME_ZONE: z.string().min(1).optional(),
  SOURCE_SILENCE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  // Prometheus metrics (docs/metrics.md): the Bearer token GET /api/metrics wants (unset: the route
  // answers 404), and how long the gauges read from the database are reused between scrapes.
  METRICS_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{16,200}$/, "must be 16 to 200 letters, digits, '-' or '_' (e.g. openssl rand -hex 32)").optional(),
  METRICS_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
  // Notifications (docs/notifications.md): the address links in messages point to (AUTH_URL when
  // unset; without either, nothing is delivered and the reason is logged), and the key that
  // encrypts channels' secrets (32 bytes, hex or base64; npm start keeps one in .data when unset).
  APP_URL: z.string().url().optional(),
  NOTIFY_SECRET_KEY: z.string().min(32).optional(),
  // Routed outbox rows and finished notifications older than this many days are deleted (docs/notifications.md, Retention).
  NOTIFY_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // CSV exports (docs/exports.md): how many one user may stream at once, across instances.
  EXPORT_MAX_CONCURRENT_PER_USER: z.coerce.number().int().min(1).max(20).default(2),
  EMBEDDED_DB_DIR: z.string().min(1).default(".data/pglite"),
  EMBEDDED_DB_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  TEST_DATABASE_URL: z.string().url().default("postgres://postgres@127.0.0.1:5432/postgres"),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** For scripts and tests that change the environment after start. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** Sets a variable for this process and its children (scripts only). */
export function setEnv(name: Exclude<keyof Env, "NODE_ENV">, value: string): void {
  process.env[name] = value;
  cached = undefined;
}
